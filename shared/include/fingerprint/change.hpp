// Incremental table fingerprints: a table fingerprint is a row count and a sum modulo
// 2^128 (aggregate.hpp), so a captured change moves it without a rescan: subtract the
// old row's fingerprint, add the new one. A TRUNCATE resets it to the empty table.
#pragma once

#include "fingerprint/aggregate.hpp"
#include "fingerprint/status.hpp"

#include <string_view>

namespace fingerprint {

// Operations of the change log (docs/capture.md), stored as one letter.
enum class ChangeOp : char { insert = 'I', update = 'U', remove = 'D', truncate = 'T' };

// "I", "U", "D", "T" (also the Debezium letters "c", "u", "d", "t"); false otherwise.
bool ParseChangeOp(std::string_view text, ChangeOp *out) noexcept;

// Applies one change to *state. old_fingerprint / new_fingerprint are printable row
// fingerprints (fp1:<algorithm>:<32 hex>) or empty when the change has none (an insert
// has no old row, a delete no new one; a truncate uses neither). Returns
// invalid_fingerprint for unparsable text and algorithm_mismatch when a row fingerprint
// was made with another algorithm than *state; *state is then unchanged.
Status AdvanceAggregate(AggregateState *state, ChangeOp op, std::string_view old_fingerprint,
                        std::string_view new_fingerprint) noexcept;

} // namespace fingerprint
