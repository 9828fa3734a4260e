#include "copy_chunks.hpp"

#include "cli_error.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace fingerprint::cli::copy {

const char kEmptyFingerprint[] = "fp1:xxh3:0:00000000000000000000000000000000";

std::vector<Chunk> PlanChunks(std::int64_t min, std::int64_t max, std::uint64_t rows,
                              std::uint64_t chunk_rows) {
	// Keys are spread over [min, max]: span is max - min computed in unsigned arithmetic,
	// exact even when it exceeds INT64_MAX. Bound i is min + span * i / count, written so
	// that nothing overflows (count is at most kMaxChunks).
	const std::uint64_t span = static_cast<std::uint64_t>(max) - static_cast<std::uint64_t>(min);
	std::uint64_t count = chunk_rows == 0 ? 1 : rows / chunk_rows + (rows % chunk_rows != 0);
	if (max < min || count < 2)
		count = 1;
	count = std::min<std::uint64_t>({count, kMaxChunks, span + (span < UINT64_MAX)});
	std::vector<Chunk> chunks;
	std::int64_t previous = 0;
	for (std::uint64_t i = 0; i < count; ++i) {
		Chunk chunk;
		chunk.number = static_cast<int>(i);
		if (i > 0)
			chunk.lo = previous;
		if (i + 1 < count) {
			const std::uint64_t offset = span / count * (i + 1) + span % count * (i + 1) / count;
			previous = static_cast<std::int64_t>(static_cast<std::uint64_t>(min) + offset);
			chunk.hi = previous;
		}
		chunks.push_back(chunk);
	}
	return chunks;
}

std::string ChunkFilter(const Chunk &chunk, const std::string &quoted_key) {
	std::string filter;
	if (chunk.lo)
		filter = quoted_key + " >= " + std::to_string(*chunk.lo);
	if (chunk.hi)
		filter += (filter.empty() ? "" : " AND ") + quoted_key + " < " + std::to_string(*chunk.hi);
	return filter;
}

std::string DescribeChunk(const Chunk &chunk) {
	if (chunk.lo && chunk.hi)
		return "keys " + std::to_string(*chunk.lo) + ".." + std::to_string(*chunk.hi - 1);
	if (chunk.lo)
		return "keys >= " + std::to_string(*chunk.lo);
	if (chunk.hi)
		return "keys < " + std::to_string(*chunk.hi);
	return "whole table";
}

namespace {

struct Parsed {
	std::string prefix; // "fp1:xxh3:"
	unsigned long long rows = 0;
	std::uint64_t hi = 0; // the 128-bit sum, big-endian halves
	std::uint64_t lo = 0;
};

Parsed Parse(const std::string &text) {
	const std::size_t second = text.find(':', text.find(':') + 1);
	const std::size_t third = second == std::string::npos ? second : text.find(':', second + 1);
	const auto bad = [&] { return Error("malformed table fingerprint '" + text + "'"); };
	if (third == std::string::npos || text.size() - third - 1 != 32)
		throw bad();
	Parsed parsed;
	parsed.prefix = text.substr(0, second + 1);
	char *end = nullptr;
	const std::string rows = text.substr(second + 1, third - second - 1);
	parsed.rows = std::strtoull(rows.c_str(), &end, 10);
	if (rows.empty() || *end != '\0')
		throw bad();
	for (std::size_t i = third + 1; i < text.size(); ++i) {
		const char c = text[i];
		const int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
		if (digit < 0)
			throw bad();
		std::uint64_t &half = i < third + 17 ? parsed.hi : parsed.lo;
		half = half * 16 + static_cast<unsigned>(digit);
	}
	return parsed;
}

} // namespace

std::string AddFingerprints(const std::string &a, const std::string &b) {
	const Parsed x = Parse(a);
	const Parsed y = Parse(b);
	if (x.prefix != y.prefix)
		throw Error("cannot add fingerprints of different algorithms: " + a + " and " + b);
	// Modulo 2^128, as the engines add.
	const std::uint64_t lo = x.lo + y.lo;
	const std::uint64_t hi = x.hi + y.hi + (lo < x.lo);
	char hex[33];
	std::snprintf(hex, sizeof hex, "%016llx%016llx", static_cast<unsigned long long>(hi),
	              static_cast<unsigned long long>(lo));
	return x.prefix + std::to_string(x.rows + y.rows) + ":" + hex;
}

} // namespace fingerprint::cli::copy
