// The source side of `fingerprint migrate`: the change-capture consumer of either engine
// (docs/capture.md) behind one interface. PostgreSQL: snapshot batches per consumer
// (register_consumer / next_batch / batch_changes / finish_batch). MariaDB: one consumer
// per log, delete-on-consume (next_batch / batch_changes / finish_batch), plus the
// table fingerprints minus the log that capture_state keeps.
#pragma once

#include "apply_plan.hpp"
#include "migrate_session.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fingerprint::cli::migrate {

// A migration's consumer on the source is kConsumerPrefix + its name (options.cpp's
// CheckMigrationName keeps it within 64 characters).
constexpr std::string_view kConsumerPrefix = "migrate:";
inline std::string Consumer(const std::string &migration) {
	return std::string(kConsumerPrefix) + migration;
}

// A captured source table as its latest enabled registration describes it.
struct SourceTable {
	std::string name;     // the table, in the source URL's schema/database
	std::string log_name; // its table_name in the change log
	int schema_version = 0;
	std::vector<std::string> column_names;   // ordinal order: the images follow it
	std::vector<std::string> column_classes; // value class names (fingerprint/value_class.hpp)
	std::vector<std::string> key_columns;
	// Captured with whole-row identity (no usable unique key): key_columns are every
	// column, and the changes are applied as a multiset (apply_multiset.hpp).
	bool whole_row = false;
};

class Source {
  public:
	Source(Session &session, std::string consumer) : session_(session), consumer_(std::move(consumer)) {}
	Session &session() { return session_; }

	// Throws Error naming the table when capture of it is not on or it is captured by a
	// key that is not its primary key (whole-row identity is accepted).
	SourceTable Describe(const std::string &table);
	// PostgreSQL: registers the consumer at the current snapshot (or at `snapshot`);
	// MariaDB: nothing (its consumer is named by next_batch).
	void Register(const std::string &snapshot = "");
	// PostgreSQL: unregisters the consumer (fingerprint.unregister_consumer); MariaDB:
	// nothing (its log keeps no registry).
	void Unregister();
	bool ConsumerExists();
	// The open or next batch; nullopt when nothing committed since the last one.
	// MariaDB: taken with next_batch_per_table, so a captured table altered since capture
	// was enabled does not refuse the log; Refusals() names it with the refusal. Without
	// max_changes a snapshot batch (every committed transaction, each whole); with it at
	// most that many changes, which may split a transaction at the cut. PostgreSQL: always
	// a snapshot batch (max_changes has no effect).
	std::optional<std::uint64_t> NextBatch(std::optional<unsigned> max_changes);
	// MariaDB, after NextBatch: log table name -> next_batch's refusal, for each captured
	// table whose changes must not be applied (docs/migrate.md "Fail closed"). PostgreSQL:
	// empty (a schema change shows as a new schema version in the changes).
	const std::map<std::string, std::string> &Refusals() const { return refusals_; }
	std::vector<Change> BatchChanges(std::uint64_t batch);
	void FinishBatch(std::uint64_t batch);
	// MariaDB: capture_state.fingerprint per log table name (the table fingerprint minus
	// the changes still in the log); PostgreSQL: empty.
	std::map<std::string, std::string> StoredFingerprints();
	// MariaDB: the captured tables (log names) whose capture is on. PostgreSQL: empty
	// (each consumer reads the whole log; other tables' changes are left to others).
	std::vector<std::string> CapturedTables();
	// MariaDB: the largest seq in the log now (0 when empty); whether any change up to
	// `seq` is still in the log.
	std::uint64_t LastSeq();
	// MariaDB: the latest batch finished on the log (0 when none): where a new migration
	// starts watching for other consumers' batches. PostgreSQL: 0.
	std::uint64_t LastFinishedBatch();
	bool HoldsChangesUpTo(std::uint64_t seq);
	// MariaDB: a batch after `after` and before `before` that another consumer took
	// ("batch 7 of consumer 'x'"), or "" when none. finish_batch keeps the row of the
	// latest finished batch, so one such batch stays visible until this consumer
	// finishes a later one. PostgreSQL: always "" (consumers do not share batches).
	std::string OtherConsumersBatch(std::uint64_t after, std::uint64_t before);
	// Changes of the given log tables waiting for this consumer, and the capture time of
	// the oldest one (seconds since the epoch, 0 when none).
	void Backlog(const std::vector<std::string> &log_names, std::uint64_t &changes, double &oldest);

  private:
	Session &session_;
	std::string consumer_;
	std::map<std::string, std::string> refusals_;
};

// MariaDB class letters (docs/mysql.md) -> value class names.
std::string ClassNameOfLetter(char letter);
// "2024-06-01 12:00:00.250000" (UTC) -> seconds since the epoch; 0 when unreadable.
double ParseUtcTimestamp(const std::string &text);
// A JSON array of strings -> its elements; throws Error.
std::vector<std::string> ParseJsonStrings(const std::string &json);
std::vector<std::string> SplitCommas(const std::string &text);
// next_batch_per_table's refused column, [[table, message], ...] -> table -> message;
// throws Error.
std::map<std::string, std::string> ParseRefusals(const std::string &json);

} // namespace fingerprint::cli::migrate
