// Canonical JSON text: the same JSON value always gives the same bytes.
//   - objects: members sorted by the UTF-8 bytes of their keys; of duplicate keys the
//     last one wins (as in PostgreSQL jsonb and MySQL's JSON type)
//   - arrays keep their order
//   - numbers: the canonical exact decimal (1.0 = 1 = 1e0, 1e2 = 100), no exponent
//   - strings: '"' and '\' escaped with a backslash, U+0000..U+001F as \u00xx (lower
//     case), everything else as raw UTF-8
//   - no whitespace; true, false, null as literals
#pragma once

#include "fingerprint/status.hpp"

#include <string>
#include <string_view>

namespace fingerprint {

// Writes the canonical form of `text` into *out. May throw std::bad_alloc; the caller
// (RowHasher::AddJsonText) catches it at the noexcept boundary.
Status CanonicalizeJson(std::string_view text, std::string *out);

// Appends text as a JSON string in the canonical form (FormatJsonString,
// fingerprint/json_string.hpp). Throws std::bad_alloc only.
void AppendJsonString(std::string_view text, std::string *out);

} // namespace fingerprint
