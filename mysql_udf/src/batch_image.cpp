#include "batch_image.hpp"

#include "fingerprint/utf8.hpp"
#include "fingerprint/value_writer.hpp"

#include <cstring>

namespace fingerprint::udf {

namespace {

template <typename T> T ReadNumber(const unsigned char *value) {
	T number;
	std::memcpy(&number, value, sizeof number); // the server's long long / double slot
	return number;
}

// CHAR(n) text without its padding (RowHasher::AddPaddedText).
std::size_t Unpadded(const char *text, std::size_t length) {
	while (length > 0 && text[length - 1] == ' ')
		--length;
	return length;
}

// One value's image, or 0 (the row goes to RowHasher's path).
std::size_t WriteValue(ImageWriter writer, const unsigned char *value, std::uint32_t length,
                       unsigned char *out) {
	const char *text = reinterpret_cast<const char *>(value);
	switch (writer) {
	case ImageWriter::signed_integer:
		return WriteInt64Value(ReadNumber<std::int64_t>(value), out);
	case ImageWriter::unsigned_integer:
		return WriteUint64Value(ReadNumber<std::uint64_t>(value), out);
	case ImageWriter::real:
		return WriteDoubleValue(ReadNumber<double>(value), out);
	case ImageWriter::decimal:
		return WriteUdfDecimalValue(text, length, out);
	case ImageWriter::checked_text:
		return WriteCheckedTextValue(text, length, out);
	case ImageWriter::checked_padded:
		return WriteCheckedTextValue(text, Unpadded(text, length), out);
	case ImageWriter::text:
		return IsValidUtf8(value, length) ? WriteStringValue(text, length, out) : 0;
	case ImageWriter::padded_text: {
		const std::size_t unpadded = Unpadded(text, length);
		return IsValidUtf8(value, unpadded) ? WriteStringValue(text, unpadded, out) : 0;
	}
	case ImageWriter::bytes:
		return WriteStringValue(text, length, out);
	case ImageWriter::timestamp:
		return WriteUdfTimestampValue(text, length, out);
	case ImageWriter::date:
		return WriteUdfDateValue(text, length, out);
	case ImageWriter::none:
		break;
	}
	return 0;
}

} // namespace

ImageWriter ImageWriterOf(char letter) noexcept {
	switch (letter) {
	case 'i':
		return ImageWriter::signed_integer;
	case 'u':
		return ImageWriter::unsigned_integer;
	case 'f':
		return ImageWriter::real;
	case 'd':
		return ImageWriter::decimal;
	case 's':
		return ImageWriter::text;
	case 'S':
		return ImageWriter::checked_text;
	case 'c':
		return ImageWriter::padded_text;
	case 'C':
		return ImageWriter::checked_padded;
	case 'b':
		return ImageWriter::bytes;
	case 'T':
		return ImageWriter::timestamp;
	case 'D':
		return ImageWriter::date;
	default:
		return ImageWriter::none;
	}
}

std::size_t WriteBatchedRowImage(const ImageWriter *writers, unsigned count, const unsigned char **cursor,
                                 unsigned char *image, std::size_t capacity) noexcept {
	const unsigned char *p = *cursor;
	unsigned char *out = image;
	unsigned char *const end = image + capacity;
	for (unsigned i = 0; i < count; ++i) {
		std::uint32_t length;
		std::memcpy(&length, p, sizeof length);
		p += sizeof length;
		if (length == kNullLength) {
			if (out == end)
				return 0;
			*out++ = 0; // Tag::null
			continue;
		}
		// The most any writer takes: an integer's 26 bytes, or 5 + the value's length.
		if (static_cast<std::size_t>(end - out) < kIntegerValueRoom + std::size_t{length})
			return 0;
		const std::size_t written = WriteValue(writers[i], p, length, out);
		if (written == 0)
			return 0;
		out += written;
		p += length;
	}
	*cursor = p;
	return static_cast<std::size_t>(out - image);
}

} // namespace fingerprint::udf
