#include "fingerprint/capture_row.hpp"

#include "fingerprint/printable.hpp"

#include <cstring>

#include "fingerprint/no_database_headers.hpp"

namespace fingerprint {

namespace {

constexpr char kHex[] = "0123456789abcdef";
constexpr std::size_t kDigestHexDigits = 32;

// "fp1:<algorithm>:" of a known algorithm at the start of text: its length, else 0.
std::size_t FingerprintPrefixLength(std::string_view text, Algorithm *algorithm) noexcept {
	const std::string_view format(kFormatName);
	if (text.size() <= format.size() || text.substr(0, format.size()) != format || text[format.size()] != ':')
		return 0;
	const std::size_t name_start = format.size() + 1;
	const std::size_t colon = text.find(':', name_start);
	if (colon == std::string_view::npos ||
	    !ParseAlgorithm(text.substr(name_start, colon - name_start), algorithm))
		return 0;
	return colon + 1;
}

bool IsLowerHexDigit(char c) noexcept {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

} // namespace

std::size_t CaptureHeaderLength(Algorithm algorithm) noexcept {
	return std::strlen(kFormatName) + 1 + std::strlen(AlgorithmName(algorithm)) + 1 + kDigestHexDigits +
	       kCaptureKeyLengthDigits;
}

void WriteCaptureHeader(Algorithm algorithm, Digest128 digest, std::size_t key_length, char *out) noexcept {
	char text[kMaxPrintableLength];
	const std::size_t n = FormatRowFingerprint(algorithm, digest, text);
	std::memcpy(out, text, n);
	for (std::size_t i = 0; i < kCaptureKeyLengthDigits; ++i)
		out[n + i] = kHex[(key_length >> (4 * (kCaptureKeyLengthDigits - 1 - i))) & 0xf];
}

bool SplitCaptureRow(std::string_view row, CaptureRowParts *out) noexcept {
	Algorithm algorithm{};
	const std::size_t prefix = FingerprintPrefixLength(row, &algorithm);
	if (prefix == 0)
		return false;
	const std::size_t fingerprint_length = prefix + kDigestHexDigits;
	if (row.size() < fingerprint_length + kCaptureKeyLengthDigits)
		return false;
	// The digest as FormatRowFingerprint writes it: a row whose fingerprint is not one
	// would be compared, and reported, as if it were.
	for (std::size_t i = prefix; i < fingerprint_length; ++i)
		if (!IsLowerHexDigit(row[i]))
			return false;
	std::size_t key_length = 0;
	for (std::size_t i = 0; i < kCaptureKeyLengthDigits; ++i) {
		const char c = row[fingerprint_length + i];
		if (!IsLowerHexDigit(c))
			return false;
		key_length = key_length * 16 + static_cast<std::size_t>(c <= '9' ? c - '0' : c - 'a' + 10);
	}
	const std::size_t header = fingerprint_length + kCaptureKeyLengthDigits;
	if (key_length > row.size() - header)
		return false;
	out->fingerprint = row.substr(0, fingerprint_length);
	out->image = row.substr(header, row.size() - header - key_length);
	out->key = row.substr(row.size() - key_length);
	return true;
}

bool ParseCapturePart(std::string_view name, CapturePart *out) noexcept {
	if (name == "fingerprint")
		*out = CapturePart::fingerprint;
	else if (name == "image")
		*out = CapturePart::image;
	else if (name == "key")
		*out = CapturePart::key;
	else
		return false;
	return true;
}

std::string_view CaptureRowPart(const CaptureRowParts &parts, CapturePart part) noexcept {
	switch (part) {
	case CapturePart::fingerprint:
		return parts.fingerprint;
	case CapturePart::image:
		return parts.image;
	case CapturePart::key:
		break;
	}
	return parts.key;
}

} // namespace fingerprint
