// The target side of `fingerprint migrate`: one target table, described once from its
// catalog, and the statements one batch runs on it inside the apply transaction: delete
// keys, insert row images, read rows by key. The proof rides on the writes: the DELETE
// returns the fingerprints of the rows it removed and MariaDB's INSERT those of the rows
// it stored (RETURNING), each computed by the target's own fingerprint functions
// (PostgreSQL row_fingerprint, MariaDB's row_fingerprint UDF over the columns as its
// procedures pass them) on the row as the target holds it.
#pragma once

#include "apply_plan.hpp"
#include "apply_values.hpp"
#include "cli_error.hpp"
#include "migrate_session.hpp"

#include <fingerprint/aggregate.hpp>

#include <map>
#include <string>
#include <vector>

namespace fingerprint::cli::migrate {

// A failure that stops one table (the others go on): a value the target cannot hold, a
// unique conflict, a proof that failed, a schema change. The message names the table.
class TableStop : public Error {
  public:
	explicit TableStop(const std::string &message) : Error(message) {}
};

class TargetTable {
  public:
	// Reads the table's columns; throws Error naming the table when it is missing or has
	// no primary key. ext_schema: the schema of the PostgreSQL extension's functions.
	// whole_row: the source is captured with whole-row identity; every column is then the
	// key and no primary key is needed (apply_multiset.hpp).
	TargetTable(Session &session, const std::string &table, const std::string &ext_schema,
	            bool whole_row = false);

	const std::string &name() const { return name_; }
	const std::vector<TargetColumn> &columns() const { return columns_; }
	// Throws Error naming both sides when the target's columns (names, order, value
	// classes, primary key) are not those the source logs.
	void CheckMatches(const std::vector<std::string> &names, const std::vector<std::string> &classes,
	                  const std::vector<std::string> &key, const std::string &source_name) const;

	// The target's rows of these keys (key images), with their row fingerprints.
	RowsByKey ReadRows(const std::vector<std::string> &keys);
	// Only the row fingerprints of the target's rows of these keys, in any order: a third
	// cheaper on PostgreSQL than ReadRows, which also computes each key's fingerprint.
	std::vector<std::string> ReadRowFingerprints(const std::vector<std::string> &keys);
	void DeleteAll();
	// Deletes the rows of these keys and returns what they held (key image -> row
	// fingerprint), read by the DELETE itself (RETURNING) from the rows it locked and
	// removed: the target's state before the batch, without a read of its own.
	RowsByKey DeleteRows(const std::vector<std::string> &keys);
	// Inserts row images. With `stored` (MariaDB only, see InsertReturnsRows), the
	// fingerprints of the rows as the target stored them come back from the INSERT
	// itself (RETURNING), by key image; `keys[i]` is the key image of `images[i]`.
	void InsertRows(const std::vector<std::string_view> &images,
	                const std::vector<std::string> *keys = nullptr, RowsByKey *stored = nullptr);
	// Whether InsertRows can return the stored rows' fingerprints by key: MariaDB's INSERT
	// ... RETURNING can; on PostgreSQL the rows written are proven by WrittenAsExpected.
	bool InsertReturnsRows() const { return session_.engine() != Engine::postgresql; }
	// PostgreSQL: whether the rows the last InsertRows with `stored` wrote (keys[i] the key
	// of the i-th) are, as the target stored them, the rows of expected[i]'s fingerprints,
	// as a multiset; `want` is the aggregate of those fingerprints (the caller parsed each
	// once). Staged (migrate_target_stage.cpp): the aggregate fingerprint the INSERT
	// returned against `want`; else the rows COPY wrote, read back by key. false: the
	// caller reads them again by key (ReadRows) to name the difference.
	bool WrittenAsExpected(const std::vector<std::string> &keys, const AggregateState &want,
	                       const std::vector<const RowState *> &expected);
	// A mismatch after the apply: which column differs and both values, for the message.
	std::string Explain(const std::string &key, std::string_view image);
	// The target's row of this key as its columns read ("column = value, ..." with the
	// values as Explain shows the target's), or "no row": for messages only.
	std::string RowText(const std::string &key);
	// table_fingerprint on the target.
	std::string TableFingerprint();
	// The key image rendered as JSON (for messages).
	static std::string KeyJson(const std::string &key_image);

  private:
	friend class MultisetTarget; // apply_multiset.cpp: counts and deletes rows by fingerprint
	// "key IN (...)" for keys[begin, end), end chosen here so that the statement stays
	// within the size limits.
	std::string KeyCondition(const std::vector<std::string> &keys, std::size_t begin, std::size_t &end);
	std::string Literal(const TargetColumn &column, const ImageValue &value, const std::string &key_json);
	// The row of this key with each column's text (PostgreSQL: ::text), each after its
	// fingerprint (column_fingerprint_) when `fingerprints`: Explain's and RowText's read.
	std::vector<Row> ReadByKey(const std::string &key, bool fingerprints, const std::string &what);
	// PostgreSQL staging (migrate_target_stage.cpp): PrepareStage decides at start whether
	// the table's rows can go through a staging table; InsertStaged writes them that way.
	void PrepareStage(const std::string &columns, bool overriding);
	void InsertStaged(const std::vector<std::string_view> &images);
	// InsertRows' writing, with PostgreSQL's COPY into `copy_head`'s table (the target's,
	// or the staging table's).
	void WriteRows(const std::vector<std::string_view> &images, const std::vector<std::string> *keys,
	               RowsByKey *stored, const std::string &copy_head);
	// A refusal (appended false, reason_ set) throws TableStop naming key_json() (made only then).
	template <typename KeyText>
	void Check(bool appended, const TargetColumn &column, const KeyText &key_json);
	// Appends the literal to out; a refusal throws as Check does.
	template <typename KeyText>
	void AppendChecked(const TargetColumn &column, const ImageValue &value, std::string &out,
	                   const KeyText &key_json);

	Session &session_;
	std::string name_;
	std::string qualified_;
	std::string ext_schema_;
	std::vector<TargetColumn> columns_;
	std::vector<std::size_t> key_;                // column indexes in key order
	std::string row_fingerprint_;                 // SQL over the columns of the table (alias t), unchecked
	std::string key_fingerprint_;                 // SQL over its key columns
	std::vector<std::string> column_fingerprint_; // per column
	std::string insert_head_;                     // INSERT INTO ... (columns) [OVERRIDING ...] VALUES
	std::string copy_head_;                       // COPY ... (columns) FROM STDIN (PostgreSQL)
	std::vector<bool> written_;                   // per column: part of the INSERT
	// PostgreSQL staging: empty when the table's rows go straight in by COPY.
	std::string stage_prepare_;   // CREATE TEMP TABLE IF NOT EXISTS ...; TRUNCATE ...
	std::string stage_copy_head_; // COPY <staging table> (columns) FROM STDIN
	std::string stage_insert_;    // INSERT ... SELECT FROM staging, the aggregate returned
	std::string stage_test_sql_;  // tests only: FINGERPRINT_MIGRATE_TEST_STAGE_SQL (migrate_target_stage.cpp)
	std::string written_aggregate_; // what the last InsertStaged returned; "" when none
	// Reused across the rows of a batch (no allocation per row or value).
	std::vector<ImageValue> values_;
	LiteralBuffers buffers_;
	std::string reason_;
};

// The schema holding the PostgreSQL extension's functions ("" on MySQL).
std::string ExtensionSchema(Session &session);

} // namespace fingerprint::cli::migrate
