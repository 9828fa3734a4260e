// The value of one hexadecimal digit, for every place the tool reads hex text (URL
// percent-escapes, PostgreSQL's \x bytea text, COPY's \x escapes).
#pragma once

namespace fingerprint::cli {

// 0-15 for 0-9, a-f, A-F; -1 for anything else.
constexpr int HexDigitValue(char c) noexcept {
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

} // namespace fingerprint::cli
