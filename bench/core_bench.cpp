// Core-only microbenchmark: the cost of fingerprinting one typical row, with no database
// around it. The row matches the table bench/run.sh loads into both engines:
//   (id bigint, qty int, price numeric(12,2), name varchar(64), note text,
//    created timestamp(6), active boolean)
// fed the way each adapter is expected to feed it: PostgreSQL hands over binary forms
// (base-10000 numeric digits, microseconds), MariaDB's UDF receives decimals and
// datetimes as text. Each benchmark also adds the row to an AggregateState, so one
// iteration is the whole per-row work of fingerprint_agg minus the engine's own cost.
//
// Built as bench/core_bench (not a CTest test):
//   build/bench/core_bench --benchmark_min_time=0.5
// Timings on a shared machine are noisy, so it also runs a fixed number of rows of one
// kind, for an instruction count that does not depend on the load:
//   valgrind --tool=callgrind --toggle-collect='*RunFixedRows*' build/bench/core_bench --fixed pg 100000
// (instructions per row = the collected Ir / 100000; kinds: pg, pg_validate, my, my_checked,
// my_image, decimal_text, decimal_base10000, timestamp_text, int64).
#include "fingerprint/aggregate.hpp"
#include "fingerprint/printable.hpp"
#include "fingerprint/row_hasher.hpp"
#include "fingerprint/row_image.hpp"
#include "fingerprint/utf8.hpp"
#include "fingerprint/value_writer.hpp"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <iterator>
#include <utility>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

using fingerprint::AggregateState;
using fingerprint::Algorithm;
using fingerprint::RowHasher;
using fingerprint::Status;

constexpr int kRows = 4096; // a ring of distinct rows, so branch predictors see real variety

// One row in every form the adapters might hand the core.
struct Row {
	std::int64_t id;
	std::int32_t qty;
	// price as PostgreSQL's numeric keeps it: base-10000 digits and the weight of the first
	bool price_negative;
	int price_weight;
	std::int16_t price_digits[4];
	int price_ndigits;
	std::string price_text; // as MariaDB passes DECIMAL to a UDF: "12345.67"
	std::string name;
	bool note_null;
	std::string note;
	std::int64_t created_micros; // since 2000-01-01
	std::string created_text;    // "2020-01-01 00:00:37.000001"
	bool active;
};

// Same rule as bench/run.sh (see there): deterministic, ASCII, ~100 bytes of text.
std::vector<Row> MakeRows() {
	std::vector<Row> rows(kRows);
	for (int i = 0; i < kRows; i++) {
		const std::int64_t n = 1000003 + i;
		Row &r = rows[i];
		r.id = n;
		r.qty = static_cast<std::int32_t>((n * 7919) % 1000 - 100);
		const std::int64_t cents = (n * 104729) % 10000000; // 0 .. 99999.99
		char text[64];
		std::snprintf(text, sizeof text, "%lld.%02lld", static_cast<long long>(cents / 100),
		              static_cast<long long>(cents % 100));
		r.price_text = text;
		// base 10000: integer part (< 100000) is one or two digits, fraction is one digit
		const std::int64_t whole = cents / 100;
		const std::int16_t frac = static_cast<std::int16_t>((cents % 100) * 100);
		r.price_negative = false;
		r.price_ndigits = 0;
		if (whole >= 10000) {
			r.price_weight = 1;
			r.price_digits[r.price_ndigits++] = static_cast<std::int16_t>(whole / 10000);
			r.price_digits[r.price_ndigits++] = static_cast<std::int16_t>(whole % 10000);
		} else {
			r.price_weight = 0;
			r.price_digits[r.price_ndigits++] = static_cast<std::int16_t>(whole);
		}
		if (frac != 0)
			r.price_digits[r.price_ndigits++] = frac;
		std::snprintf(text, sizeof text, "customer %lld", static_cast<long long>(n));
		r.name = text;
		r.note_null = n % 7 == 0;
		// 64 bytes, like repeat(md5(n::text), 2) in run.sh (content does not matter here)
		r.note.clear();
		for (int k = 0; k < 64; k++)
			r.note.push_back("0123456789abcdef"[(n * 31 + k * 17) % 16]);
		const std::int64_t seconds = n * 37; // since 2020-01-01, itself 7305 days after 2000
		const std::int64_t micros = n % 999983;
		r.created_micros = (7305LL * 86400 + seconds) * 1000000 + micros;
		const long long day_seconds = seconds % 86400;
		const long long days = seconds / 86400;
		// text form only needs to be plausible for the parser's cost; keep it a real date
		std::snprintf(text, sizeof text, "20%02lld-%02lld-%02lld %02lld:%02lld:%02lld.%06lld",
		              20 + days / 360, 1 + (days / 30) % 12, 1 + days % 28, day_seconds / 3600,
		              (day_seconds / 60) % 60, day_seconds % 60, static_cast<long long>(micros));
		r.created_text = text;
		r.active = n % 3 != 0;
	}
	return rows;
}

const std::vector<Row> &Rows() {
	static const std::vector<Row> rows = MakeRows();
	return rows;
}

// PostgreSQL path: binary forms; text already known valid UTF-8 (server encoding UTF8),
// validation selectable to show its cost.
void HashRowPg(RowHasher &h, const Row &r, bool validate) {
	h.AddInt64(r.id);
	h.AddInt64(r.qty);
	h.AddDecimalBase10000(r.price_negative, r.price_weight, r.price_digits, r.price_ndigits);
	(void)h.AddText(r.name.data(), r.name.size(), validate);
	if (r.note_null)
		h.AddNull();
	else
		(void)h.AddText(r.note.data(), r.note.size(), validate);
	h.AddTimestampMicros(r.created_micros);
	h.AddBool(r.active);
}

// MariaDB UDF path: integers as long long, DECIMAL and DATETIME as text, strings
// validated as UTF-8 (the UDF cannot trust its arguments).
bool HashRowMy(RowHasher &h, const Row &r) {
	h.AddInt64(r.id);
	h.AddInt64(r.qty);
	bool ok = h.AddDecimalText(r.price_text) == Status::ok;
	ok &= h.AddText(r.name.data(), r.name.size(), true) == Status::ok;
	if (r.note_null)
		h.AddNull();
	else
		ok &= h.AddText(r.note.data(), r.note.size(), true) == Status::ok;
	ok &= h.AddTimestampText(r.created_text) == Status::ok;
	h.AddInt64(r.active ? 1 : 0);
	return ok;
}

// What CALL fingerprint.table_fingerprint has the UDF do for that row: the strings come
// from utf8mb4 columns, so class 'S' (only encoded surrogates looked for, then no
// validation); the rest as HashRowMy.
bool HashRowMyChecked(RowHasher &h, const Row &r) {
	const auto add_checked = [&h](const std::string &text) {
		if (fingerprint::HasUtf8Surrogate(reinterpret_cast<const unsigned char *>(text.data()), text.size()))
			return false;
		return h.AddText(text.data(), text.size(), false) == Status::ok;
	};
	h.AddInt64(r.id);
	h.AddInt64(r.qty);
	bool ok = h.AddDecimalText(r.price_text) == Status::ok;
	ok &= add_checked(r.name);
	if (r.note_null)
		h.AddNull();
	else
		ok &= add_checked(r.note);
	ok &= h.AddTimestampText(r.created_text) == Status::ok;
	h.AddInt64(r.active ? 1 : 0);
	return ok;
}

// The texts of the ring's rows as fingerprint_agg's batch holds them for the value
// writers (value_writer.hpp): each followed by kValueWriterSlack readable bytes.
struct PaddedTexts {
	std::string price, name, note, created;
};

const std::vector<PaddedTexts> &PaddedRows() {
	static const std::vector<PaddedTexts> padded = [] {
		const std::string slack(fingerprint::kValueWriterSlack, '\0');
		std::vector<PaddedTexts> out;
		for (const Row &r : Rows())
			out.push_back({r.price_text + slack, r.name + slack, r.note + slack, r.created_text + slack});
		return out;
	}();
	return padded;
}

// The row as the UDF's batch loop writes it (mysql_udf/src/call_state.cpp) without its
// per-column dispatch: its image from the value writers, hashed whole; false if a writer
// declined (the UDF would then take HashRowMyChecked's path).
bool HashRowMyImage(const Row &r, const PaddedTexts &t, fingerprint::Digest128 *digest) {
	unsigned char image[1024 + fingerprint::kValueWriterSlack];
	unsigned char *out = image;
	const auto put = [&out](std::size_t written) {
		out += written;
		return written != 0;
	};
	put(fingerprint::WriteInt64Value(r.id, out));
	put(fingerprint::WriteInt64Value(r.qty, out));
	bool ok = put(fingerprint::WriteUdfDecimalValue(t.price.data(), r.price_text.size(), out));
	ok &= put(fingerprint::WriteCheckedTextValue(t.name.data(), r.name.size(), out));
	if (r.note_null)
		*out++ = 0;
	else
		ok &= put(fingerprint::WriteCheckedTextValue(t.note.data(), r.note.size(), out));
	ok &= put(fingerprint::WriteUdfTimestampValue(t.created.data(), r.created_text.size(), out));
	put(fingerprint::WriteInt64Value(r.active ? 1 : 0, out));
	*digest = fingerprint::HashImage(Algorithm::xxh3, image, static_cast<std::size_t>(out - image));
	return ok;
}

void BM_RowPgBinary(benchmark::State &state) {
	const auto &rows = Rows();
	const bool validate = state.range(0) != 0;
	RowHasher h;
	AggregateState agg;
	fingerprint::AggregateInit(&agg, Algorithm::xxh3);
	std::size_t i = 0;
	for (auto _ : state) {
		HashRowPg(h, rows[i++ % kRows], validate);
		fingerprint::AggregateAdd(&agg, h.Finish());
	}
	benchmark::DoNotOptimize(agg);
	state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_RowPgBinary)->ArgName("validate_utf8")->Arg(0)->Arg(1);

// One MariaDB-style row per iteration, hashed by `hash_row` and added to an aggregate.
template <bool (*hash_row)(RowHasher &, const Row &)> void RunMyRows(benchmark::State &state) {
	const auto &rows = Rows();
	RowHasher h;
	AggregateState agg;
	fingerprint::AggregateInit(&agg, Algorithm::xxh3);
	std::size_t i = 0;
	for (auto _ : state) {
		if (!hash_row(h, rows[i++ % kRows])) {
			state.SkipWithError("core refused a benchmark row");
			break;
		}
		fingerprint::AggregateAdd(&agg, h.Finish());
	}
	benchmark::DoNotOptimize(agg);
	state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

void BM_RowMyText(benchmark::State &state) {
	RunMyRows<HashRowMy>(state);
}
BENCHMARK(BM_RowMyText);

void BM_RowMyChecked(benchmark::State &state) {
	RunMyRows<HashRowMyChecked>(state);
}
BENCHMARK(BM_RowMyChecked);

void BM_RowPgSha256(benchmark::State &state) {
	const auto &rows = Rows();
	RowHasher h(Algorithm::sha256);
	AggregateState agg;
	fingerprint::AggregateInit(&agg, Algorithm::sha256);
	std::size_t i = 0;
	for (auto _ : state) {
		HashRowPg(h, rows[i++ % kRows], false);
		fingerprint::AggregateAdd(&agg, h.Finish());
	}
	benchmark::DoNotOptimize(agg);
	state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_RowPgSha256);

// Pieces, to see where a row's time goes.
void BM_DecimalText(benchmark::State &state) {
	const auto &rows = Rows();
	RowHasher h;
	std::size_t i = 0;
	for (auto _ : state) {
		(void)h.AddDecimalText(rows[i++ % kRows].price_text);
		benchmark::DoNotOptimize(h.Finish());
	}
	state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_DecimalText);

void BM_DecimalBase10000(benchmark::State &state) {
	const auto &rows = Rows();
	RowHasher h;
	std::size_t i = 0;
	for (auto _ : state) {
		const Row &r = rows[i++ % kRows];
		h.AddDecimalBase10000(r.price_negative, r.price_weight, r.price_digits, r.price_ndigits);
		benchmark::DoNotOptimize(h.Finish());
	}
	state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_DecimalBase10000);

void BM_TimestampText(benchmark::State &state) {
	const auto &rows = Rows();
	RowHasher h;
	std::size_t i = 0;
	for (auto _ : state) {
		(void)h.AddTimestampText(rows[i++ % kRows].created_text);
		benchmark::DoNotOptimize(h.Finish());
	}
	state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_TimestampText);

void BM_FormatTableFingerprint(benchmark::State &state) {
	AggregateState agg;
	fingerprint::AggregateInit(&agg, Algorithm::xxh3);
	fingerprint::AggregateAdd(&agg, fingerprint::Digest128{0x0123456789abcdefULL, 0xfedcba9876543210ULL});
	char out[fingerprint::kMaxPrintableLength];
	for (auto _ : state) {
		benchmark::DoNotOptimize(fingerprint::FormatTableFingerprint(agg, out));
		benchmark::ClobberMemory();
	}
}
BENCHMARK(BM_FormatTableFingerprint);

// The fixed-count mode: `rows` rows of one kind through RowHasher and an aggregate.
// Not inlined, so that callgrind can count exactly this function (--toggle-collect).
enum class FixedKind {
	pg,
	pg_validate,
	my,
	my_checked,
	my_image,
	decimal_text,
	decimal_base10000,
	timestamp_text,
	int64
};

__attribute__((noinline)) bool RunFixedRows(FixedKind kind, long rows, AggregateState *agg) {
	const auto &ring = Rows();
	const auto &padded = PaddedRows();
	RowHasher h;
	bool ok = true;
	for (long i = 0; i < rows; i++) {
		const Row &r = ring[static_cast<std::size_t>(i) % kRows];
		if (kind == FixedKind::my_image) {
			fingerprint::Digest128 digest;
			ok &= HashRowMyImage(r, padded[static_cast<std::size_t>(i) % kRows], &digest);
			fingerprint::AggregateAdd(agg, digest);
			continue;
		}
		switch (kind) {
		case FixedKind::pg:
			HashRowPg(h, r, false);
			break;
		case FixedKind::pg_validate:
			HashRowPg(h, r, true);
			break;
		case FixedKind::my:
			ok &= HashRowMy(h, r);
			break;
		case FixedKind::my_checked:
			ok &= HashRowMyChecked(h, r);
			break;
		case FixedKind::my_image: // above
			break;
		case FixedKind::decimal_text:
			ok &= h.AddDecimalText(r.price_text) == Status::ok;
			break;
		case FixedKind::decimal_base10000:
			h.AddDecimalBase10000(r.price_negative, r.price_weight, r.price_digits, r.price_ndigits);
			break;
		case FixedKind::timestamp_text:
			ok &= h.AddTimestampText(r.created_text) == Status::ok;
			break;
		case FixedKind::int64:
			h.AddInt64(r.id * (r.qty | 1));
			break;
		}
		fingerprint::AggregateAdd(agg, h.Finish());
	}
	return ok;
}

int RunFixed(const std::string &kind, long rows) {
	static const std::pair<const char *, FixedKind> kKinds[] = {
	    {"pg", FixedKind::pg},
	    {"pg_validate", FixedKind::pg_validate},
	    {"my", FixedKind::my},
	    {"my_checked", FixedKind::my_checked},
	    {"my_image", FixedKind::my_image},
	    {"decimal_text", FixedKind::decimal_text},
	    {"decimal_base10000", FixedKind::decimal_base10000},
	    {"timestamp_text", FixedKind::timestamp_text},
	    {"int64", FixedKind::int64},
	};
	const auto *found = std::find_if(std::begin(kKinds), std::end(kKinds),
	                                 [&](const auto &entry) { return kind == entry.first; });
	if (found == std::end(kKinds)) {
		std::fprintf(stderr, "core_bench: unknown kind '%s'\n", kind.c_str());
		return 2;
	}
	(void)Rows(); // build the rings outside the counted function
	(void)PaddedRows();
	AggregateState agg;
	fingerprint::AggregateInit(&agg, Algorithm::xxh3);
	if (!RunFixedRows(found->second, rows, &agg)) {
		std::fprintf(stderr, "core_bench: the core refused a %s row\n", kind.c_str());
		return 1;
	}
	char out[fingerprint::kMaxPrintableLength];
	fingerprint::FormatTableFingerprint(agg, out);
	std::printf("%s %ld rows %s\n", kind.c_str(), rows, out);
	return 0;
}

} // namespace

int main(int argc, char **argv) {
	if (argc == 4 && std::strcmp(argv[1], "--fixed") == 0)
		return RunFixed(argv[2], std::atol(argv[3]));
	benchmark::Initialize(&argc, argv);
	if (benchmark::ReportUnrecognizedArguments(argc, argv))
		return 1;
	benchmark::RunSpecifiedBenchmarks();
	benchmark::Shutdown();
	return 0;
}
