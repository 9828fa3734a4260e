// Strict UTF-8 validation (RFC 3629: no overlong forms, no surrogates, nothing above
// U+10FFFF), with an ASCII fast path since most text in a table is ASCII.
#pragma once

#include <cstddef>

namespace fingerprint {

bool IsValidUtf8(const unsigned char *data, std::size_t length) noexcept;

} // namespace fingerprint
