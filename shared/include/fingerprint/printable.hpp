// The printable forms users compare (docs/FORMAT.md):
//   row fingerprint    fp1:xxh3:<32 lower-case hex digits>
//   table fingerprint  fp1:xxh3:<row count>:<32 lower-case hex digits of the sum>
// "fp1" is the encoding version: a future change of the encoding changes it, so two
// fingerprints made under different encodings can never look equal.
#pragma once

#include "fingerprint/aggregate.hpp"
#include "fingerprint/algorithm.hpp"
#include "fingerprint/version.hpp"

#include <cstddef>
#include <string_view>

namespace fingerprint {

// kFormatName ("fp1", version.hpp) starts every printable form.
// Longest printable form: "fp1:" + "sha256:" + 20-digit count + ":" + 32 hex, plus NUL.
constexpr std::size_t kMaxPrintableLength = 4 + 7 + 20 + 1 + 32 + 1;

// Both write a NUL-terminated string into out (kMaxPrintableLength bytes) and return its
// length without the NUL.
std::size_t FormatRowFingerprint(Algorithm algorithm, Digest128 digest, char *out) noexcept;
std::size_t FormatTableFingerprint(const AggregateState &state, char *out) noexcept;

// Reads a table fingerprint back (for merging and incremental updates).
Status ParseTableFingerprint(std::string_view text, AggregateState *out) noexcept;

// The inverse of FormatRowFingerprint; invalid_fingerprint if text is not one.
Status ParseRowFingerprint(std::string_view text, Algorithm *algorithm, Digest128 *out) noexcept;

} // namespace fingerprint
