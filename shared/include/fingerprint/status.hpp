// Errors the core reports. The core never throws across its API and never calls into a
// database: it returns one of these and the adapter turns it into the engine's error,
// naming the column and type it was encoding.
#pragma once

namespace fingerprint {

enum class Status {
	ok = 0,
	invalid_utf8,        // text value is not valid UTF-8
	invalid_decimal,     // exact-number text is not a decimal number
	invalid_date,        // date text is not YYYY-MM-DD or names no real day
	invalid_timestamp,   // timestamp text is not YYYY-MM-DD HH:MM:SS[.ffffff]
	invalid_time,        // time text is not [-]H:MM:SS[.ffffff]
	invalid_json,        // JSON text does not parse
	json_too_deep,       // JSON nesting deeper than kMaxJsonDepth
	number_out_of_range, // a JSON number whose canonical form would be unreasonably long
	value_too_long,      // a value longer than 4 GiB - 1 bytes cannot be length-prefixed
	out_of_memory,       // allocation failed inside the core
	invalid_uuid,        // uuid text is not 8-4-4-4-12 hex
	algorithm_mismatch,  // merging aggregate states made with different algorithms
	invalid_fingerprint, // printable fingerprint text does not parse
	invalid_image,       // bytes are not a well-formed row image
};

// A short lower-case English description, suitable for errdetail or a UDF message.
const char *StatusMessage(Status status) noexcept;

} // namespace fingerprint
