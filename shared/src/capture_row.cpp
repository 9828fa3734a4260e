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

// kCaptureKeyLengthDigits lower-case hex digits at the start of text, into *length.
bool ReadCaptureLength(std::string_view text, std::size_t *length) noexcept {
	if (text.size() < kCaptureKeyLengthDigits)
		return false;
	std::size_t value = 0;
	for (std::size_t i = 0; i < kCaptureKeyLengthDigits; ++i) {
		const char c = text[i];
		if (!IsLowerHexDigit(c))
			return false;
		value = value * 16 + static_cast<std::size_t>(c <= '9' ? c - '0' : c - 'a' + 10);
	}
	*length = value;
	return true;
}

// A side of an update row at the start of *rest (its length, then the capture row),
// taken off *rest.
bool TakeUpdateSide(std::string_view *rest, CaptureRowParts *out) noexcept {
	std::size_t length = 0;
	if (!ReadCaptureLength(*rest, &length) || length > rest->size() - kCaptureKeyLengthDigits)
		return false;
	if (!SplitCaptureRow(rest->substr(kCaptureKeyLengthDigits, length), out))
		return false;
	rest->remove_prefix(kCaptureKeyLengthDigits + length);
	return true;
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
	WriteCaptureLength(key_length, out + n);
}

void WriteCaptureLength(std::size_t length, char *out) noexcept {
	for (std::size_t i = 0; i < kCaptureKeyLengthDigits; ++i)
		out[i] = kHex[(length >> (4 * (kCaptureKeyLengthDigits - 1 - i))) & 0xf];
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
	if (!ReadCaptureLength(row.substr(fingerprint_length), &key_length))
		return false;
	const std::size_t header = fingerprint_length + kCaptureKeyLengthDigits;
	if (key_length > row.size() - header)
		return false;
	out->fingerprint = row.substr(0, fingerprint_length);
	out->image = row.substr(header, row.size() - header - key_length);
	out->key = row.substr(row.size() - key_length);
	return true;
}

bool SplitCaptureValue(std::string_view value, CaptureValueParts *out) noexcept {
	if (value.substr(0, kCaptureUpdateTag.size()) != kCaptureUpdateTag) {
		if (!SplitCaptureRow(value, &out->now))
			return false;
		out->old = out->now;
		out->changed = std::string_view();
		out->is_update = false;
		return true;
	}
	std::string_view rest = value.substr(kCaptureUpdateTag.size());
	if (!TakeUpdateSide(&rest, &out->now) || !TakeUpdateSide(&rest, &out->old))
		return false;
	out->changed = rest;
	out->is_update = true;
	return true;
}

bool ParseCapturePart(std::string_view name, CapturePart *out) noexcept {
	if (name == "fingerprint")
		*out = CapturePart::fingerprint;
	else if (name == "image")
		*out = CapturePart::image;
	else if (name == "key")
		*out = CapturePart::key;
	else if (name == "old_fingerprint")
		*out = CapturePart::old_fingerprint;
	else if (name == "old_image")
		*out = CapturePart::old_image;
	else if (name == "old_key")
		*out = CapturePart::old_key;
	else if (name == "changed")
		*out = CapturePart::changed;
	else
		return false;
	return true;
}

std::string_view CaptureRowPart(const CaptureRowParts &parts, CapturePart part) noexcept {
	switch (part) {
	case CapturePart::fingerprint:
	case CapturePart::old_fingerprint:
		return parts.fingerprint;
	case CapturePart::image:
	case CapturePart::old_image:
		return parts.image;
	case CapturePart::key:
	case CapturePart::old_key:
	case CapturePart::changed:
		break;
	}
	return parts.key;
}

bool CaptureValuePart(const CaptureValueParts &parts, CapturePart part, std::string_view *out) noexcept {
	switch (part) {
	case CapturePart::fingerprint:
	case CapturePart::image:
	case CapturePart::key:
		*out = CaptureRowPart(parts.now, part);
		return true;
	case CapturePart::old_fingerprint:
	case CapturePart::old_image:
	case CapturePart::old_key:
		*out = CaptureRowPart(parts.old, part);
		return true;
	case CapturePart::changed:
		break;
	}
	*out = parts.changed;
	return parts.is_update;
}

} // namespace fingerprint
