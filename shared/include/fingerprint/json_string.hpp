// A JSON string in the canonical spelling (docs/FORMAT.md): '"' and '\' escaped with a
// backslash, U+0000-U+001F as \u00xx in lower case, every other byte verbatim (the text
// is UTF-8 already). One writer for every layer that spells a JSON string: the core's
// canonical JSON and row-image rendering, and the PostgreSQL adapter's jsonb walk, which
// writes into PostgreSQL memory and so cannot take a std::string.
#pragma once

#include <cstddef>
#include <string_view>

namespace fingerprint {

// Writes `text` as a quoted JSON string into out, at most `capacity` bytes, and returns
// the full length; when that exceeds capacity, nothing was written: call again with room
// (out may be nullptr to ask for the length only).
std::size_t FormatJsonString(std::string_view text, char *out, std::size_t capacity) noexcept;

} // namespace fingerprint
