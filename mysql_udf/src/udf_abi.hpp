// The boundary with mysqld/mariadbd: exported entry points, the server's UDF types and a
// plain view of their fields.
//
// Why the server's headers stay out of this header: MariaDB's mysql.h drags in its
// client API, its macros and typedefs (my_bool, ulong, ...). Only udf_args.cpp includes
// it; every other file sees the UDF structs as incomplete types and reads them through
// the functions below. So one file decides the ABI, and a header mix-up (Connector/C's
// smaller structs, see docs/mysql.md) is caught by that file's static_asserts alone.
#pragma once

#include "fingerprint/algorithm.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

// The server finds entry points with dlsym: C linkage, default visibility. Everything
// else in the library is hidden (CXX_VISIBILITY_PRESET hidden), so none of our symbols
// can bind to a same-named symbol of mysqld, nor the other way round.
#define FP_EXPORT extern "C" __attribute__((visibility("default")))

// MySQL 8 names the structs UDF_INIT/UDF_ARGS, returns bool from init and passes the
// is_null/error flags as unsigned char*. MariaDB (and MySQL 5.x) use struct tags
// st_udf_init/st_udf_args, my_bool (a char) and char*. Both are the same bytes to the
// caller; the declarations must still agree with the header udf_args.cpp includes.
#if __has_include(<mysql/udf_registration_types.h>)
#define FP_MYSQL8_UDF_ABI 1
struct UDF_INIT;
struct UDF_ARGS;
using fp_init_result = bool;
using fp_flag = unsigned char;
#else
#define FP_MYSQL8_UDF_ABI 0
struct st_udf_init;
struct st_udf_args;
typedef struct st_udf_init UDF_INIT;
typedef struct st_udf_args UDF_ARGS;
using fp_init_result = char; // my_bool
using fp_flag = char;
#endif

namespace fingerprint::udf {

// The server's message buffer for a refused init is MYSQL_ERRMSG_SIZE (512), but the
// manual asks for less than 80 bytes; we keep to that.
constexpr std::size_t kInitMessageSize = 80;

// How the server must hand an argument to us (UDF_ARGS::arg_type, set in init).
enum class ArgKind { string, integer, real };

// The per-row values of UDF_ARGS. values[i] == nullptr is SQL NULL; strings are
// (values[i], lengths[i]) and not NUL-terminated; integer arguments point to a long long,
// real ones to a double.
struct ArgsView {
	unsigned count;
	const char *const *values;
	const unsigned long *lengths;
};

// In init: the number of arguments and whether argument i is a constant string (its
// value is then values[i], NUL-terminated by the server).
ArgsView ViewArgs(const UDF_ARGS *args) noexcept;
bool IsConstantString(const UDF_ARGS *args, unsigned index) noexcept;
// What the server would pass for argument i before CoerceArg (its expression's result type).
enum class ArgResult { string, integer, real, decimal, other };
ArgResult ArgResultOf(const UDF_ARGS *args, unsigned index) noexcept;
// Asks the server to convert argument i to kind before each call.
void CoerceArg(UDF_ARGS *args, unsigned index, ArgKind kind) noexcept;
// The argument's name as the server reports it: the alias of `expr AS name`, else the
// expression text. Empty when the server gives none.
std::string_view ArgName(const UDF_ARGS *args, unsigned index) noexcept;

// UDF_INIT: the state pointer and the result shape.
void *StatePointer(const UDF_INIT *initid) noexcept;
void SetStatePointer(UDF_INIT *initid, void *state) noexcept;
void SetResultShape(UDF_INIT *initid, unsigned long max_length, bool maybe_null) noexcept;

} // namespace fingerprint::udf
