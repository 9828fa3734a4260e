#include "fingerprint/status.hpp"

#include "fingerprint/no_database_headers.hpp"

namespace fingerprint {

const char *StatusMessage(Status status) noexcept {
	switch (status) {
	case Status::ok:
		return "ok";
	case Status::invalid_utf8:
		return "invalid UTF-8 byte sequence";
	case Status::invalid_decimal:
		return "not a decimal number";
	case Status::invalid_date:
		return "not a date in the form YYYY-MM-DD";
	case Status::invalid_timestamp:
		return "not a timestamp in the form YYYY-MM-DD HH:MM:SS[.ffffff]";
	case Status::invalid_time:
		return "not a time in the form [-]HH:MM:SS[.ffffff]";
	case Status::invalid_json:
		return "not valid JSON";
	case Status::json_too_deep:
		return "JSON nested deeper than 256 levels";
	case Status::number_out_of_range:
		return "number too large or too small to write out exactly";
	case Status::value_too_long:
		return "value longer than 4294967295 bytes";
	case Status::out_of_memory:
		return "out of memory";
	case Status::invalid_uuid:
		return "not a UUID in the form 8-4-4-4-12 hex digits";
	case Status::algorithm_mismatch:
		return "fingerprints made with different algorithms cannot be combined";
	case Status::invalid_fingerprint:
		return "not a fingerprint of the form fp1:ALGORITHM:HEX (row) or fp1:ALGORITHM:ROWS:HEX (table)";
	case Status::invalid_image:
		return "not a well-formed row image";
	}
	return "unknown error";
}

} // namespace fingerprint
