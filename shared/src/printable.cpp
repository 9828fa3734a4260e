#include "fingerprint/printable.hpp"

#include <cstring>

#include "fingerprint/no_database_headers.hpp"

namespace fingerprint {

namespace {

constexpr char kHex[] = "0123456789abcdef";

char *WriteText(char *out, const char *text) {
	const std::size_t n = std::strlen(text);
	std::memcpy(out, text, n);
	return out + n;
}

char *WriteHex64(char *out, std::uint64_t value) {
	for (int shift = 60; shift >= 0; shift -= 4)
		*out++ = kHex[(value >> shift) & 0xf];
	return out;
}

char *WriteUnsigned(char *out, std::uint64_t value) {
	char digits[20];
	int n = 0;
	do {
		digits[n++] = static_cast<char>('0' + value % 10);
		value /= 10;
	} while (value != 0);
	while (n > 0)
		*out++ = digits[--n];
	return out;
}

char *WritePrefix(char *out, Algorithm algorithm) {
	out = WriteText(out, kFormatName);
	*out++ = ':';
	out = WriteText(out, AlgorithmName(algorithm));
	*out++ = ':';
	return out;
}

bool ReadHex64(std::string_view text, std::uint64_t *out) {
	std::uint64_t value = 0;
	for (const char c : text) {
		int nibble;
		if (c >= '0' && c <= '9')
			nibble = c - '0';
		else if (c >= 'a' && c <= 'f')
			nibble = c - 'a' + 10;
		else
			return false;
		value = (value << 4) | static_cast<std::uint64_t>(nibble);
	}
	*out = value;
	return true;
}

// Reads "fp1:<algorithm>:" off the front of text.
bool ReadPrefix(std::string_view *text, Algorithm *algorithm) {
	const std::string_view version = std::string_view(kFormatName);
	if (text->size() < version.size() + 1 || text->substr(0, version.size()) != version ||
	    (*text)[version.size()] != ':')
		return false;
	text->remove_prefix(version.size() + 1);
	const std::size_t colon = text->find(':');
	if (colon == std::string_view::npos || !ParseAlgorithm(text->substr(0, colon), algorithm))
		return false;
	text->remove_prefix(colon + 1);
	return true;
}

} // namespace

std::size_t FormatRowFingerprint(Algorithm algorithm, Digest128 digest, char *out) noexcept {
	char *end = WritePrefix(out, algorithm);
	end = WriteHex64(end, digest.hi);
	end = WriteHex64(end, digest.lo);
	*end = '\0';
	return static_cast<std::size_t>(end - out);
}

std::size_t FormatTableFingerprint(const AggregateState &state, char *out) noexcept {
	char *end = WritePrefix(out, static_cast<Algorithm>(state.algorithm));
	end = WriteUnsigned(end, state.rows);
	*end++ = ':';
	end = WriteHex64(end, state.sum_hi);
	end = WriteHex64(end, state.sum_lo);
	*end = '\0';
	return static_cast<std::size_t>(end - out);
}

Status ParseRowFingerprint(std::string_view text, Algorithm *algorithm, Digest128 *out) noexcept {
	Algorithm parsed;
	std::uint64_t hi, lo;
	if (!ReadPrefix(&text, &parsed) || text.size() != 32 || !ReadHex64(text.substr(0, 16), &hi) ||
	    !ReadHex64(text.substr(16), &lo))
		return Status::invalid_fingerprint;
	*algorithm = parsed;
	out->hi = hi;
	out->lo = lo;
	return Status::ok;
}

Status ParseTableFingerprint(std::string_view text, AggregateState *out) noexcept {
	Algorithm algorithm;
	if (!ReadPrefix(&text, &algorithm))
		return Status::invalid_fingerprint;
	const std::size_t colon2 = text.find(':');
	if (colon2 == std::string_view::npos || colon2 == 0 || colon2 > 20 || text.size() - colon2 - 1 != 32)
		return Status::invalid_fingerprint;
	std::uint64_t rows = 0;
	for (const char c : text.substr(0, colon2)) {
		if (c < '0' || c > '9')
			return Status::invalid_fingerprint;
		const std::uint64_t digit = static_cast<std::uint64_t>(c - '0');
		if (rows > (UINT64_MAX - digit) / 10)
			return Status::invalid_fingerprint;
		rows = rows * 10 + digit;
	}
	std::uint64_t hi, lo;
	const std::string_view hex = text.substr(colon2 + 1);
	if (!ReadHex64(hex.substr(0, 16), &hi) || !ReadHex64(hex.substr(16), &lo))
		return Status::invalid_fingerprint;
	AggregateInit(out, algorithm);
	out->rows = rows;
	out->sum_hi = hi;
	out->sum_lo = lo;
	return Status::ok;
}

} // namespace fingerprint
