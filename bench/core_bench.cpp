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
#include "fingerprint/aggregate.hpp"
#include "fingerprint/printable.hpp"
#include "fingerprint/row_hasher.hpp"

#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
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

void BM_RowMyText(benchmark::State &state) {
	const auto &rows = Rows();
	RowHasher h;
	AggregateState agg;
	fingerprint::AggregateInit(&agg, Algorithm::xxh3);
	std::size_t i = 0;
	for (auto _ : state) {
		if (!HashRowMy(h, rows[i++ % kRows])) {
			state.SkipWithError("core refused a benchmark row");
			break;
		}
		fingerprint::AggregateAdd(&agg, h.Finish());
	}
	benchmark::DoNotOptimize(agg);
	state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_RowMyText);

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

} // namespace

BENCHMARK_MAIN();
