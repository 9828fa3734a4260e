#include "migrate_mismatch.hpp"

#include "cli_error.hpp"

#include <optional>

namespace fingerprint::cli::migrate {

namespace {

// The old_image of one change, read from the source's log while its batch is still open
// (finish_batch has not run), as hex so that both engines give the same text. nullopt:
// the log holds none (capture without old_images).
std::optional<std::string> OldImage(Session &source, std::uint64_t seq) {
	const bool pg = source.engine() == Engine::postgresql;
	const Value hex =
	    source.QueryValue(std::string("SELECT ") + (pg ? "encode(old_image, 'hex')" : "HEX(old_image)") +
	                          " FROM fingerprint.change_log WHERE seq = " + std::to_string(seq),
	                      "reading the old image of change seq " + std::to_string(seq));
	if (!hex)
		return std::nullopt;
	return DecodeHex(*hex);
}

} // namespace

std::string ConflictDetail(Session &source, TargetTable &target, const TablePlan &plan) {
	const std::string seq = std::to_string(plan.conflict_seq);
	try {
		if (!plan.conflict_found_present)
			return "";
		if (!plan.conflict_expected_present)
			return "; the target's row: " + target.RowText(plan.conflict_key);
		const std::optional<std::string> image = OldImage(source, plan.conflict_seq);
		if (!image)
			return "; the target's row: " + target.RowText(plan.conflict_key) +
			       " (the source's values are not named: the log holds no image of the row before change "
			       "seq " +
			       seq + ", capture was enabled without old_images)";
		return "; " + target.Explain(plan.conflict_key, *image);
	} catch (const Error &error) {
		return std::string("; (its columns could not be read again: ") + error.what() + ")";
	}
}

} // namespace fingerprint::cli::migrate
