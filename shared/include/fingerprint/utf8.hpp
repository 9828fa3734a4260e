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

// The length (1 to 4) of the valid UTF-8 sequence that starts data[0..length), or 0
// when the bytes there start none (by the rule of IsValidUtf8).
std::size_t Utf8SequenceLength(const unsigned char *data, std::size_t length) noexcept;

// text with every byte that starts no valid sequence replaced by U+FFFD, for showing
// text whose encoding nobody checked (a server's message, a value in a report).
std::string ToValidUtf8(std::string_view text);

} // namespace fingerprint
