#include "fingerprint/value_writer.hpp"

#include "big_endian.hpp"
#include "number_format.hpp"
#include "temporal.hpp"
#include "value_encoding.hpp"
#include "fingerprint/row_hasher.hpp"
#include "fingerprint/utf8.hpp"

#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "fingerprint/no_database_headers.hpp"

namespace fingerprint {

namespace {

// The digits of value, DecimalDigitCount(value) of them: below 10^4 (quantities, flags,
// small keys) as two digit pairs (WriteGroupOf4, then the count digits moved to the
// front), below 10^8 (ids) in one branch-free step; both write up to 8 bytes (the slack
// covers the rest). Inline, as value_encoding.hpp's PutInt64 and PutUint64 it is given
// to, so that WritePackedRowImage's loop writes an integer without a call.
inline void PutDigits(std::uint64_t value, unsigned count, char *text) noexcept {
	if (value < 10000) {
		char four[8] = {};
		WriteGroupOf4(static_cast<unsigned>(value), four);
		std::memcpy(text, four + 4 - count, 4);
	} else if (value < 100000000)
		WriteShortDecimalDigits(static_cast<std::uint32_t>(value), count, text);
	else
		WriteDecimalDigits(value, count, text);
}

#if defined(__SSE2__)
// A decimal text of 1..16 bytes read as one 16-byte vector: which bytes are digits,
// zeros, the point, found at once, the text's shape checked on those bit masks and its
// trailing zeros found from the last byte that is not '0'. The text is copied whole.
std::size_t WriteShortUdfDecimal(const char *text, unsigned size, unsigned char *out) {
	const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i *>(text));
	_mm_storeu_si128(reinterpret_cast<__m128i *>(out + 5), bytes);
	const unsigned valid = (1U << size) - 1;
	const __m128i values = _mm_sub_epi8(bytes, _mm_set1_epi8('0'));
	const unsigned digits = static_cast<unsigned>(_mm_movemask_epi8(
	                            _mm_cmpeq_epi8(_mm_min_epu8(values, _mm_set1_epi8(9)), values))) &
	                        valid;
	const unsigned zeros =
	    static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, _mm_set1_epi8('0')))) & valid;
	const unsigned points =
	    static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, _mm_set1_epi8('.')))) & valid;
	const unsigned sign = text[0] == '-' ? 1U : 0U;
	if ((digits | points | sign) != valid || (points & (points - 1)) != 0)
		return 0; // another byte, or two points
	const unsigned integer_end = points != 0 ? static_cast<unsigned>(__builtin_ctz(points)) : size;
	if (integer_end == sign || (((zeros >> sign) & 1) != 0 && integer_end - sign > 1))
		return 0; // no integer digit, or a leading zero
	unsigned end = size;
	if (points != 0) {
		if (integer_end + 1 == size)
			return 0; // no fraction digit
		// The last byte that is not '0' (the point at the latest) ends the text; a point
		// left last goes too.
		end = 32 - static_cast<unsigned>(__builtin_clz(valid & ~zeros));
		if (end == integer_end + 1)
			end = integer_end;
	}
	if (end == 2 && sign != 0 && text[1] == '0') {
		out[5] = '0'; // "-0", "-0.00": zero has no sign
		end = 1;
	}
	return PutHeader(Tag::exact_number, end, out) + end;
}
#endif

} // namespace

std::size_t WriteUint64Value(std::uint64_t value, unsigned char *out) noexcept {
	return PutUint64<PutDigits>(value, DecimalDigitCount(value), out);
}

std::size_t WriteInt64Value(std::int64_t value, unsigned char *out) noexcept {
	return PutInt64<PutDigits>(value, out);
}

std::size_t WriteDoubleValue(double value, unsigned char *out) noexcept {
	out[0] = static_cast<unsigned char>(Tag::approx_number);
	StoreBigEndian64(CanonicalDoubleBits(value), out + 1);
	return 9;
}

std::size_t WriteStringValue(const char *data, std::size_t length, unsigned char *out) noexcept {
	PutHeader(Tag::string, length, out);
	std::memcpy(out + 5, data, length);
	return 5 + length;
}

std::size_t WriteCheckedTextValue(const char *data, std::size_t length, unsigned char *out) noexcept {
#if defined(__SSE2__)
	// Copied and searched for 0xED in the same 16-byte steps: no call for either. A byte
	// past the text may match too; then HasUtf8Surrogate, exact, decides.
	const __m128i lead = _mm_set1_epi8(static_cast<char>(0xED));
	__m128i seen = _mm_setzero_si128();
	unsigned char *const text = out + 5;
	for (std::size_t i = 0; i < length; i += 16) {
		const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i *>(data + i));
		_mm_storeu_si128(reinterpret_cast<__m128i *>(text + i), chunk);
		seen = _mm_or_si128(seen, _mm_cmpeq_epi8(chunk, lead));
	}
	if (_mm_movemask_epi8(seen) != 0 &&
	    HasUtf8Surrogate(reinterpret_cast<const unsigned char *>(data), length))
		return 0;
	PutHeader(Tag::string, length, out);
	return 5 + length;
#else
	if (HasUtf8Surrogate(reinterpret_cast<const unsigned char *>(data), length))
		return 0;
	return WriteStringValue(data, length, out);
#endif
}

std::size_t WriteUdfDecimalValue(const char *text, std::size_t length, unsigned char *out) noexcept {
#if defined(__SSE2__)
	if (length - 1 < 16) // 1..16 bytes: DECIMAL(15,s) and shorter
		return WriteShortUdfDecimal(text, static_cast<unsigned>(length), out);
#endif
	return WriteMariaDbDecimal(text, length, out);
}

std::size_t WriteUdfTimestampValue(const char *text, std::size_t length, unsigned char *out) noexcept {
	TemporalParse result;
	std::int64_t micros;
	if (!ParseUdfTimestampText(std::string_view(text, length), &result, &micros) ||
	    result != TemporalParse::ok)
		return 0;
	out[0] = static_cast<unsigned char>(Tag::timestamp);
	StoreBigEndian64(static_cast<std::uint64_t>(micros), out + 1);
	return 9;
}

std::size_t WriteUdfDateValue(const char *text, std::size_t length, unsigned char *out) noexcept {
	std::int32_t days;
	if (ParseDateText(std::string_view(text, length), &days) != TemporalParse::ok)
		return 0;
	out[0] = static_cast<unsigned char>(Tag::date);
	StoreBigEndian32(static_cast<std::uint32_t>(days), out + 1);
	return 5;
}

namespace {

template <typename T> T ReadSlot(const unsigned char *value) {
	T number;
	std::memcpy(&number, value, sizeof number);
	return number;
}

inline std::size_t WritePackedValue(WriterKind kind, const unsigned char *value, std::uint32_t length,
                                    unsigned char *out) {
	const char *text = reinterpret_cast<const char *>(value);
	switch (kind) {
	case WriterKind::signed_integer:
		return PutInt64<PutDigits>(ReadSlot<std::int64_t>(value), out);
	case WriterKind::unsigned_integer: {
		const std::uint64_t number = ReadSlot<std::uint64_t>(value);
		return PutUint64<PutDigits>(number, DecimalDigitCount(number), out);
	}
	case WriterKind::real:
		return WriteDoubleValue(ReadSlot<double>(value), out);
	case WriterKind::decimal:
		return WriteUdfDecimalValue(text, length, out);
	case WriterKind::checked_text:
		return WriteCheckedTextValue(text, length, out);
	case WriterKind::checked_padded:
		return WriteCheckedTextValue(text, Unpadded(text, length), out);
	case WriterKind::text:
		return IsValidUtf8(value, length) ? WriteStringValue(text, length, out) : 0;
	case WriterKind::padded_text: {
		const std::size_t unpadded = Unpadded(text, length);
		return IsValidUtf8(value, unpadded) ? WriteStringValue(text, unpadded, out) : 0;
	}
	case WriterKind::bytes:
		return WriteStringValue(text, length, out);
	case WriterKind::timestamp:
		return WriteUdfTimestampValue(text, length, out);
	case WriterKind::date:
		return WriteUdfDateValue(text, length, out);
	case WriterKind::none:
		break;
	}
	return 0;
}

} // namespace

std::size_t WritePackedRowImage(const WriterKind *kinds, unsigned count, const unsigned char **cursor,
                                unsigned char *image, std::size_t capacity) noexcept {
	const unsigned char *p = *cursor;
	unsigned char *out = image;
	unsigned char *const end = image + capacity;
	for (unsigned i = 0; i < count; ++i) {
		std::uint32_t length;
		std::memcpy(&length, p, sizeof length);
		p += sizeof length;
		if (length == kPackedNullLength) {
			if (out == end)
				return 0;
			*out++ = static_cast<unsigned char>(Tag::null);
			continue;
		}
		// The most any writer takes: an integer's 26 bytes, or 5 + the value's length.
		if (static_cast<std::size_t>(end - out) < kIntegerValueRoom + std::size_t{length})
			return 0;
		const std::size_t written = WritePackedValue(kinds[i], p, length, out);
		if (written == 0)
			return 0;
		out += written;
		p += length;
	}
	*cursor = p;
	return static_cast<std::size_t>(out - image);
}

} // namespace fingerprint
