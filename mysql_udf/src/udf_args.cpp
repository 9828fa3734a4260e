// The only file that includes the server's UDF header and touches UDF_ARGS/UDF_INIT.
#include "udf_abi.hpp"

#if FP_MYSQL8_UDF_ABI
#include <mysql/udf_registration_types.h>
#else
#include <mysql.h>
#endif

#include <type_traits>

namespace fingerprint::udf {

// Connector/C (libmariadb-dev) declares a 32-byte UDF_INIT with a 4-byte max_length and a
// 40-byte UDF_ARGS without attributes; mysqld passes the server's 40- and 64-byte structs.
// Building against the wrong header compiles and then corrupts memory, so stop it here.
static_assert(sizeof(((UDF_INIT *)nullptr)->max_length) == sizeof(unsigned long),
              "UDF_INIT::max_length must be unsigned long: use the server's UDF headers");
static_assert(sizeof(void *) != 8 || sizeof(UDF_ARGS) == 64,
              "UDF_ARGS is not the server's 64-byte struct: use the server's UDF headers");
static_assert(sizeof(void *) != 8 || sizeof(UDF_INIT) == 40,
              "UDF_INIT is not the server's 40-byte struct: use the server's UDF headers");
static_assert(std::is_same_v<decltype(((UDF_INIT *)nullptr)->maybe_null), fp_init_result>,
              "fp_init_result must be the header's my_bool/bool");

ArgsView ViewArgs(const UDF_ARGS *args) noexcept {
	return ArgsView{args->arg_count, args->args, args->lengths};
}

bool IsConstantString(const UDF_ARGS *args, unsigned index) noexcept {
	return index < args->arg_count && args->arg_type[index] == STRING_RESULT && args->args[index] != nullptr;
}

ArgResult ArgResultOf(const UDF_ARGS *args, unsigned index) noexcept {
	switch (args->arg_type[index]) {
	case STRING_RESULT:
		return ArgResult::string;
	case INT_RESULT:
		return ArgResult::integer;
	case REAL_RESULT:
		return ArgResult::real;
	case DECIMAL_RESULT:
		return ArgResult::decimal;
	default:
		return ArgResult::other;
	}
}

void CoerceArg(UDF_ARGS *args, unsigned index, ArgKind kind) noexcept {
	switch (kind) {
	case ArgKind::string:
		args->arg_type[index] = STRING_RESULT;
		break;
	case ArgKind::integer:
		args->arg_type[index] = INT_RESULT;
		break;
	case ArgKind::real:
		args->arg_type[index] = REAL_RESULT;
		break;
	}
}

std::string_view ArgName(const UDF_ARGS *args, unsigned index) noexcept {
	if (args->attributes == nullptr || args->attribute_lengths == nullptr ||
	    args->attributes[index] == nullptr)
		return {};
	return std::string_view(args->attributes[index], args->attribute_lengths[index]);
}

void *StatePointer(const UDF_INIT *initid) noexcept {
	return initid->ptr;
}

void SetStatePointer(UDF_INIT *initid, void *state) noexcept {
	initid->ptr = static_cast<char *>(state);
}

// const_item is left as the server set it (true when every argument is constant): both
// functions are deterministic, and clearing it would make the server treat them like RAND().
void SetResultShape(UDF_INIT *initid, unsigned long max_length, bool maybe_null) noexcept {
	initid->max_length = max_length;
	initid->maybe_null = maybe_null;
}

} // namespace fingerprint::udf
