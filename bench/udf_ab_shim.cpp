// fingerprint_agg_<NAME>(spec, v1, ...): fingerprint_agg of another build of the UDF
// library, for bench/udf_ab.sh. The server finds a UDF by its symbol name, so two builds
// of fingerprint_agg cannot be loaded side by side; this shim, compiled by the script
// once per build with -DNAME=... -DLIB="path", opens that build with RTLD_LOCAL (its
// own symbols stay private) and forwards the five calls. Bench-only, never installed.
#include <dlfcn.h>
#include <mysql.h>

#include <cstring>

#define SHIM_EXPORT extern "C" __attribute__((visibility("default")))
#define SHIM_CAT2(a, b) a##b
#define SHIM_CAT(a, b) SHIM_CAT2(a, b)
#define SHIM_NAME(suffix) SHIM_CAT(SHIM_CAT(fingerprint_agg_, NAME), suffix)

namespace {

using InitFn = my_bool (*)(UDF_INIT *, UDF_ARGS *, char *);
using DeinitFn = void (*)(UDF_INIT *);
using ClearFn = void (*)(UDF_INIT *, char *, char *);
using AddFn = void (*)(UDF_INIT *, UDF_ARGS *, char *, char *);
using MainFn = char *(*)(UDF_INIT *, UDF_ARGS *, char *, unsigned long *, char *, char *);

InitFn init_fn;
DeinitFn deinit_fn;
ClearFn clear_fn;
AddFn add_fn;
MainFn main_fn;

void *Symbol(const char *name) {
	static void *library = dlopen(LIB, RTLD_NOW | RTLD_LOCAL);
	return library == nullptr ? nullptr : dlsym(library, name);
}

} // namespace

SHIM_EXPORT my_bool SHIM_NAME(_init)(UDF_INIT *initid, UDF_ARGS *args, char *message) {
	init_fn = reinterpret_cast<InitFn>(Symbol("fingerprint_agg_init"));
	deinit_fn = reinterpret_cast<DeinitFn>(Symbol("fingerprint_agg_deinit"));
	clear_fn = reinterpret_cast<ClearFn>(Symbol("fingerprint_agg_clear"));
	add_fn = reinterpret_cast<AddFn>(Symbol("fingerprint_agg_add"));
	main_fn = reinterpret_cast<MainFn>(Symbol("fingerprint_agg"));
	if (!init_fn || !deinit_fn || !clear_fn || !add_fn || !main_fn) {
		std::strcpy(message, "udf_ab_shim: cannot load " LIB);
		return 1;
	}
	return init_fn(initid, args, message);
}

SHIM_EXPORT void SHIM_NAME(_deinit)(UDF_INIT *initid) {
	deinit_fn(initid);
}

SHIM_EXPORT void SHIM_NAME(_clear)(UDF_INIT *initid, char *is_null, char *error) {
	clear_fn(initid, is_null, error);
}

SHIM_EXPORT void SHIM_NAME(_add)(UDF_INIT *initid, UDF_ARGS *args, char *is_null, char *error) {
	add_fn(initid, args, is_null, error);
}

SHIM_EXPORT char *SHIM_NAME()(UDF_INIT *initid, UDF_ARGS *args, char *result, unsigned long *length,
                              char *is_null, char *error) {
	return main_fn(initid, args, result, length, is_null, error);
}
