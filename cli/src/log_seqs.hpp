// A set of MariaDB change-log seqs, kept as sorted ranges: the rows of
// fingerprint.change_log that one consistent snapshot of a copy sees (the exact copy
// seam of `fingerprint migrate` on a MariaDB source, docs/migrate.md "The copy seam").
//
// InnoDB makes a transaction's log rows and its table rows visible together, so a logged
// change is in a copy exactly when its seq is in the set read in the snapshot that
// copied the table. The set is every visible seq, not "up to the highest": a transaction
// still open at the snapshot (or one rolled back) leaves a hole below the highest seq,
// and its changes are applied when they arrive.
//
// Text form (kept in the migration's ledger): "lo-hi" ranges joined by commas, a range
// of one seq as "lo"; "" for the empty set. "1-40,43,45-90".
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace fingerprint::cli {

class LogSeqs {
  public:
	// Appends [lo, hi]; ranges must come in ascending order and not touch the last one.
	// Throws Error when they do not.
	void Append(std::uint64_t lo, std::uint64_t hi);
	bool Contains(std::uint64_t seq) const;
	bool empty() const { return ranges_.empty(); }
	// The highest seq of the set; 0 when it is empty.
	std::uint64_t Highest() const { return ranges_.empty() ? 0 : ranges_.back().second; }
	std::size_t Ranges() const { return ranges_.size(); }
	std::string Text() const;
	// Throws Error naming `what` when `text` is not the text form above.
	static LogSeqs Parse(const std::string &text, const std::string &what);
	bool operator==(const LogSeqs &other) const { return ranges_ == other.ranges_; }
	bool operator!=(const LogSeqs &other) const { return !(*this == other); }

  private:
	std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges_;
};

} // namespace fingerprint::cli
