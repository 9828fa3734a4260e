// Strict UTF-8 validation (RFC 3629: no overlong forms, no surrogates, nothing above
// U+10FFFF), with an ASCII fast path since most text in a table is ASCII.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace fingerprint {

bool IsValidUtf8(const unsigned char *data, std::size_t length) noexcept;
inline bool IsValidUtf8(std::string_view text) noexcept {
	return IsValidUtf8(reinterpret_cast<const unsigned char *>(text.data()), text.size());
}

// For text a MariaDB server has already checked as utf8mb4 or utf8mb3 (a value stored in
// such a column, or the output of CONVERT(... USING utf8mb4)): whether it holds an
// encoded UTF-16 surrogate (ED A0..BF xx), the one sequence RFC 3629 forbids that
// MariaDB's check lets through (observed on 10.11: X'EDA080' is stored in strict mode,
// while X'C080', X'E08080', X'F4908080' and X'C328' are refused). For such text,
// !HasUtf8Surrogate is exactly IsValidUtf8, found with one memchr per 0xED byte instead
// of a look at every byte. Text nobody checked must go through IsValidUtf8.
bool HasUtf8Surrogate(const unsigned char *data, std::size_t length) noexcept;

// The length (1 to 4) of the valid UTF-8 sequence that starts data[0..length), or 0
// when the bytes there start none (by the rule of IsValidUtf8).
std::size_t Utf8SequenceLength(const unsigned char *data, std::size_t length) noexcept;

// text with every byte that starts no valid sequence replaced by U+FFFD, for showing
// text whose encoding nobody checked (a server's message, a value in a report).
std::string ToValidUtf8(std::string_view text);

} // namespace fingerprint
