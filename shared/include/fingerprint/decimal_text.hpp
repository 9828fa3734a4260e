// The canonical decimal text of the exact-number class (docs/FORMAT.md), for adapters
// that must write a number as text rather than hash it: PostgreSQL's jsonb numbers are
// written into JSON text that the core then canonicalizes. One writer, so the adapter
// never re-implements how a decimal is spelled.
#pragma once

#include <cstddef>
#include <cstdint>

namespace fingerprint {

// Writes the canonical text of PostgreSQL numeric's base-10000 digits (the first one
// weighted 10000^weight) into out, at most `capacity` bytes, and returns the full
// length; when that exceeds capacity, nothing useful was written: call again with room.
std::size_t FormatDecimalBase10000(bool negative, int weight, const std::int16_t *digits, int ndigits,
                                   char *out, std::size_t capacity) noexcept;

} // namespace fingerprint
