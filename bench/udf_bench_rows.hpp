// The benchmark table's rows (bench/lib.sh) as MariaDB 10.11 hands them to a UDF, for the
// drivers that call one build's UDF outside the server (udf_rows.cpp, capture_rows.cpp):
// integers in 8-byte slots, DECIMAL and DATETIME(6) as the server's text, NULLs where the
// table has them. Bench-only, never installed.
#pragma once

#include <dlfcn.h>
#include <mysql.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace bench_udf {

constexpr unsigned kArgs = 8; // the spec and seven columns

// One row's values, kept alive while the UDF reads them.
struct Row {
	long long id, qty, active;
	std::string price, name, note, created;
	bool name_null, note_null;
};

inline Row MakeRow(long long n) {
	Row r;
	r.id = n;
	r.qty = n * 7919 % 1000 - 100;
	r.active = n % 3 != 0;
	const long long cents = n * 104729 % 10000000;
	char text[64];
	std::snprintf(text, sizeof text, "%lld.%02lld", cents / 100, cents % 100);
	r.price = text;
	r.name_null = n % 50 == 0;
	r.name = (n % 10 == 0 ? std::string("Zo\xC3\xAB M\xC3\xBCller ") : std::string("customer ")) +
	         std::to_string(n);
	r.note_null = n % 7 == 0;
	std::string hex;
	for (int i = 0; i < 3; ++i) {
		std::snprintf(text, sizeof text, "%016llx%016llx",
		              static_cast<unsigned long long>(n * 0x9E3779B97F4A7C15ULL),
		              static_cast<unsigned long long>(n * 0xC2B2AE3D27D4EB4FULL));
		hex += text;
	}
	r.note = hex.substr(0, static_cast<std::size_t>(20 + n % 80));
	const long long seconds = n * 37, day = seconds / 86400, in_day = seconds % 86400;
	std::snprintf(text, sizeof text, "%04lld-%02lld-%02lld %02lld:%02lld:%02lld.%06lld", 2020 + day / 336,
	              1 + day / 28 % 12, 1 + day % 28, in_day / 3600, in_day / 60 % 60, in_day % 60,
	              n % 999983 % 1000000);
	r.created = text;
	return r;
}

// The UDF_ARGS the server builds for the spec and the seven columns, with their storage;
// PointAt sets the column arguments to one row's values.
struct Args {
	Item_result types[kArgs] = {STRING_RESULT, INT_RESULT,    INT_RESULT,    DECIMAL_RESULT,
	                            STRING_RESULT, STRING_RESULT, STRING_RESULT, INT_RESULT};
	char *values[kArgs] = {};
	unsigned long lengths[kArgs] = {};
	char maybe_null[kArgs] = {0, 0, 1, 1, 1, 1, 1, 1};
	const char *attributes[kArgs] = {};
	unsigned long attribute_lengths[kArgs] = {};
	UDF_ARGS udf{kArgs, types, values, lengths, maybe_null, attributes, attribute_lengths, nullptr};

	Args(const char *spec, const char *const (&names)[kArgs]) {
		values[0] = const_cast<char *>(spec);
		lengths[0] = std::strlen(spec);
		for (unsigned i = 0; i < kArgs; ++i) {
			attributes[i] = names[i];
			attribute_lengths[i] = std::strlen(names[i]);
		}
	}
	Args(const Args &) = delete;
	Args &operator=(const Args &) = delete;
	// Points the arguments after the spec (1..7) at row r's values, as the server does per row.
	void PointAt(Row &r) {
		values[1] = reinterpret_cast<char *>(&r.id);
		values[2] = reinterpret_cast<char *>(&r.qty);
		values[3] = r.price.data();
		lengths[3] = r.price.size();
		values[4] = r.name_null ? nullptr : r.name.data();
		lengths[4] = r.name_null ? 0 : r.name.size();
		values[5] = r.note_null ? nullptr : r.note.data();
		lengths[5] = r.note_null ? 0 : r.note.size();
		values[6] = r.created.data();
		lengths[6] = r.created.size();
		values[7] = reinterpret_cast<char *>(&r.active);
	}
};

// The drivers' command line, LIBRARY ROWS: the library opened, or the process ends with
// the usage (2) or dlopen's message (1).
inline void *OpenLibraryOrExit(int argc, char **argv) {
	if (argc != 3) {
		std::fprintf(stderr, "usage: %s LIBRARY ROWS\n", argv[0]);
		std::exit(2);
	}
	void *library = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
	if (library == nullptr) {
		std::fprintf(stderr, "%s\n", dlerror());
		std::exit(1);
	}
	return library;
}

} // namespace bench_udf
