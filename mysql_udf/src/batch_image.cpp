#include "batch_image.hpp"

namespace fingerprint::udf {

WriterKind ImageWriterOf(char letter) noexcept {
	switch (letter) {
	case 'i':
		return WriterKind::signed_integer;
	case 'u':
		return WriterKind::unsigned_integer;
	case 'f':
		return WriterKind::real;
	case 'd':
		return WriterKind::decimal;
	case 's':
		return WriterKind::text;
	case 'S':
		return WriterKind::checked_text;
	case 'c':
		return WriterKind::padded_text;
	case 'C':
		return WriterKind::checked_padded;
	case 'b':
		return WriterKind::bytes;
	case 'T':
		return WriterKind::timestamp;
	case 'D':
		return WriterKind::date;
	default:
		return WriterKind::none;
	}
}

} // namespace fingerprint::udf
