// capture_rows LIBRARY ROWS: calls one build's fingerprint_capture_row the way MariaDB
// 10.11 calls it from a capture INSERT trigger: for every row, _init (with the row's
// values already in the arguments: a trigger's NEW.col is a constant to the server), the
// call and _deinit, on ROWS rows shaped like bench/lib.sh's table (spec 'xxh3:iidssTi/1':
// integers in 8-byte slots, DECIMAL and DATETIME(6) as the server's text, NULLs where the
// table has them). Prints the rows' count and a 64-bit FNV-1a of every result, to compare
// two builds. Outside the server, for counting what our code (with its allocations)
// executes per captured row: run it under valgrind --tool=callgrind
// --toggle-collect='fingerprint_capture_row*' (bench/README.md). Bench-only, never installed.
#include <dlfcn.h>
#include <mysql.h>

#include <cstdint>
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
using MainFn = char *(*)(UDF_INIT *, UDF_ARGS *, char *, unsigned long *, char *, char *);

} // namespace

int main(int argc, char **argv) {
	void *library = bench_udf::OpenLibraryOrExit(argc, argv);
	const auto init = reinterpret_cast<InitFn>(dlsym(library, "fingerprint_capture_row_init"));
	const auto deinit = reinterpret_cast<DeinitFn>(dlsym(library, "fingerprint_capture_row_deinit"));
	const auto call = reinterpret_cast<MainFn>(dlsym(library, "fingerprint_capture_row"));
	if (!init || !deinit || !call) {
		std::fprintf(stderr, "%s: no fingerprint_capture_row\n", argv[1]);
		return 1;
	}
	const long long rows = std::atoll(argv[2]);

	static const char kSpec[] = "xxh3:iidssTi/1";
	static const char *const kNames[kArgs] = {"cb.bench", "id",   "qty",     "price",
	                                          "name",     "note", "created", "active"};
	bench_udf::Args call_args(kSpec, kNames);
	UDF_ARGS &args = call_args.udf;
	// The rows are made first, so that only the UDF's calls are in the loop below.
	std::vector<Row> table;
	table.reserve(static_cast<std::size_t>(rows));
	for (long long n = 1; n <= rows; ++n)
		table.push_back(MakeRow(n));

	std::uint64_t hash = 1469598103934665603ULL;
	for (Row &r : table) {
		call_args.PointAt(r);
		UDF_INIT initid{};
		char message[MYSQL_ERRMSG_SIZE] = {};
		if (init(&initid, &args, message) != 0) {
			std::fprintf(stderr, "init: %s\n", message);
			return 1;
		}
		char buffer[256];
		unsigned long length = 0;
		char is_null = 0, error = 0;
		const char *text = call(&initid, &args, buffer, &length, &is_null, &error);
		for (unsigned long i = 0; text != nullptr && i < length; ++i)
			hash = (hash ^ static_cast<unsigned char>(text[i])) * 1099511628211ULL;
		deinit(&initid);
	}
	std::printf("%lld rows, results' FNV-1a %016llx\n", rows, static_cast<unsigned long long>(hash));
	dlclose(library);
	return 0;
}
