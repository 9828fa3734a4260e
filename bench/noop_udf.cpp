// fingerprint_noop_agg(spec, v1, v2, ...): a bench-only UDF aggregate that asks the server
// for its arguments exactly as fingerprint_agg does (the same spec, the same argument
// types per class letter) and then does nothing with them. Timed beside
// `CALL fingerprint.table_fingerprint` in bench/run.sh, it is the floor of the UDF
// interface: the scan plus the server's own argument preparation (DECIMAL and DATETIME
// turned into text, a String per value), so what fingerprint_agg adds is known.
//
// Built from bench/ into build/bench/fingerprint_noop_udf.so and never installed: users
// never get it. It reads the server's UDF header directly (no other file of the project
// includes this one) and keeps the class-to-type rule of mysql_udf/src/spec.cpp.
#include <mysql.h>

#include <cstring>

#define NOOP_EXPORT extern "C" __attribute__((visibility("default")))

namespace {

// What fingerprint_agg asks for (mysql_udf/src/spec.cpp, ClassArgKind): integers as
// long long, floats as double, every other class as a string.
Item_result ArgTypeOf(char letter) {
	switch (letter) {
	case 'i':
	case 'u':
		return INT_RESULT;
	case 'f':
		return REAL_RESULT;
	default:
		return STRING_RESULT;
	}
}

} // namespace

NOOP_EXPORT my_bool fingerprint_noop_agg_init(UDF_INIT *initid, UDF_ARGS *args, char *message) {
	if (args->arg_count < 2 || args->arg_type[0] != STRING_RESULT || args->args[0] == nullptr) {
		std::strcpy(message, "fingerprint_noop_agg: expects a constant spec and values");
		return 1;
	}
	const char *spec = args->args[0];
	const unsigned long length = args->lengths[0];
	const char *colon = static_cast<const char *>(std::memchr(spec, ':', length));
	const char *classes = colon == nullptr ? spec : colon + 1;
	const unsigned long count = length - static_cast<unsigned long>(classes - spec);
	if (count != args->arg_count - 1) {
		std::strcpy(message, "fingerprint_noop_agg: one class letter per value");
		return 1;
	}
	for (unsigned long i = 0; i < count; ++i)
		args->arg_type[i + 1] = ArgTypeOf(classes[i]);
	initid->max_length = 20;
	initid->maybe_null = 0;
	initid->ptr = nullptr;
	return 0;
}

NOOP_EXPORT void fingerprint_noop_agg_deinit(UDF_INIT *) {}

NOOP_EXPORT void fingerprint_noop_agg_clear(UDF_INIT *initid, char *, char *) {
	initid->ptr = nullptr;
}

// Counts the rows, so the result shows that every row was handed over.
NOOP_EXPORT void fingerprint_noop_agg_add(UDF_INIT *initid, UDF_ARGS *, char *, char *) {
	initid->ptr = reinterpret_cast<char *>(reinterpret_cast<unsigned long>(initid->ptr) + 1);
}

NOOP_EXPORT long long fingerprint_noop_agg(UDF_INIT *initid, UDF_ARGS *, char *is_null, char *) {
	*is_null = 0;
	return static_cast<long long>(reinterpret_cast<unsigned long>(initid->ptr));
}
