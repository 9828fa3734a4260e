// udf_rows LIBRARY ROWS: calls one build's fingerprint_agg on ROWS rows shaped like
// bench/lib.sh's table, as MariaDB 10.11 hands them to the UDF (the procedure's spec
// 'xxh3:iidSSTi'; integers in 8-byte slots, DECIMAL and DATETIME(6) as the server's
// text, NULLs where the table has them), and prints the fingerprint. Outside the server,
// for counting what our code executes per row: bench/udf_ab.sh runs it under callgrind
// for both builds (BENCH_CALLGRIND=1). The texts are the server's shapes, not its exact
// values, so the fingerprint is compared between builds, not with the server's.
// Bench-only, never installed.
#include <dlfcn.h>
#include <mysql.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "udf_bench_rows.hpp"

namespace {

using bench_udf::kArgs;
using bench_udf::MakeRow;
using bench_udf::Row;

using InitFn = my_bool (*)(UDF_INIT *, UDF_ARGS *, char *);
using DeinitFn = void (*)(UDF_INIT *);
using ClearFn = void (*)(UDF_INIT *, char *, char *);
using AddFn = void (*)(UDF_INIT *, UDF_ARGS *, char *, char *);
using MainFn = char *(*)(UDF_INIT *, UDF_ARGS *, char *, unsigned long *, char *, char *);

} // namespace

int main(int argc, char **argv) {
	void *library = bench_udf::OpenLibraryOrExit(argc, argv);
	const auto init = reinterpret_cast<InitFn>(dlsym(library, "fingerprint_agg_init"));
	const auto deinit = reinterpret_cast<DeinitFn>(dlsym(library, "fingerprint_agg_deinit"));
	const auto clear = reinterpret_cast<ClearFn>(dlsym(library, "fingerprint_agg_clear"));
	const auto add = reinterpret_cast<AddFn>(dlsym(library, "fingerprint_agg_add"));
	const auto result = reinterpret_cast<MainFn>(dlsym(library, "fingerprint_agg"));
	if (!init || !deinit || !clear || !add || !result) {
		std::fprintf(stderr, "%s: no fingerprint_agg\n", argv[1]);
		return 1;
	}
	const long long rows = std::atoll(argv[2]);

	static const char kSpec[] = "xxh3:iidSSTi";
	static const char *const kNames[kArgs] = {"", "id", "qty", "price", "name", "note", "created", "active"};
	bench_udf::Args call_args(kSpec, kNames);
	UDF_ARGS &args = call_args.udf;
	UDF_INIT initid{};
	char message[MYSQL_ERRMSG_SIZE] = {};
	if (init(&initid, &args, message) != 0) {
		std::fprintf(stderr, "init: %s\n", message);
		return 1;
	}
	// The rows are made first, so that only the UDF's calls are in the loop below.
	std::vector<Row> table;
	table.reserve(static_cast<std::size_t>(rows));
	for (long long n = 1; n <= rows; ++n)
		table.push_back(MakeRow(n));

	char is_null = 0, error = 0;
	clear(&initid, &is_null, &error);
	for (Row &r : table) {
		call_args.PointAt(r);
		add(&initid, &args, &is_null, &error);
	}
	unsigned long length = 0;
	const char *text = result(&initid, &args, nullptr, &length, &is_null, &error);
	std::printf("%.*s\n", static_cast<int>(text == nullptr ? 0 : length), text == nullptr ? "" : text);
	deinit(&initid);
	dlclose(library);
	return error != 0;
}
