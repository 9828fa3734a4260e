// One database session of the diff: the SQL API of bucketed fingerprints (table_columns,
// bucket_fingerprints, bucket_rows) behind one interface, so the diff itself does not
// care which engine sits on which side. PostgreSQL: pg_connection.cpp (libpq); MySQL and
// MariaDB: my_connection.cpp (the MySQL client library).
//
// Read-only: a diff session only runs SELECTs and CALLs of READS SQL DATA procedures,
// inside read-only transactions. A connection is used by one thread at a time.
// Every failure throws Error with a message that says which side and table it concerns.
#pragma once

#include "url.hpp"

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace fingerprint::cli {

// One row of table_columns.
struct ColumnInfo {
	int position = 0;
	std::string name;
	std::string data_type;
	std::string value_class; // a ValueClassName (fingerprint/value_class.hpp), as the server said it
	int key_position = 0;    // 1-based position in the primary key, 0 if not a key column
};

// One row of bucket_fingerprints.
struct BucketFingerprint {
	std::int32_t bucket = 0;
	std::int64_t rows = 0;
	std::string fingerprint; // fp1:xxh3:<rows>:<hex>
};

// One row of bucket_rows.
struct BucketRow {
	std::int32_t bucket = 0;
	std::string key_image;   // canonical image of the key: identical bytes on both engines
	std::string key_json;    // the key rendered as a JSON array
	std::string fingerprint; // fp1:xxh3:<hex>
	std::string row_image;   // the included columns' image, when asked for
	bool has_image = false;
};

// What to fingerprint in a table. Empty lists and an empty filter mean "the default".
struct ScanOptions {
	std::vector<std::string> key_columns;
	std::vector<std::string> exclude_columns;
	std::string filter; // an SQL boolean expression over the table's columns
};

enum class Side { source, target };
const char *SideName(Side side); // "source" / "target"

class Connection {
  public:
	virtual ~Connection() = default;

	Side side() const { return side_; }
	const ConnectionUrl &url() const { return url_; }
	// The schema (PostgreSQL) or database (MySQL) whose tables are compared.
	virtual const std::string &Namespace() const = 0;
	// "schema.table" / "db.table", as the user would write it.
	std::string QualifiedName(const std::string &table) const { return Namespace() + "." + table; }

	// The base tables of Namespace(), by name; the extension's own tables are left out.
	virtual std::vector<std::string> ListTables() = 0;
	virtual std::vector<ColumnInfo> TableColumns(const std::string &table) = 0;
	// For each name a user gave (--exclude-columns, --key), the column of `table` it
	// names, resolved as this engine resolves a column name in SQL; "" when it names
	// none. columns: the table's TableColumns.
	virtual std::vector<std::string> ResolveColumnNames(const std::string &table,
	                                                    const std::vector<ColumnInfo> &columns,
	                                                    const std::vector<std::string> &names);
	// The server's estimate of the table's row count (statistics, no scan); 0 if unknown.
	virtual double EstimateRows(const std::string &table) = 0;
	virtual std::vector<BucketFingerprint> BucketFingerprints(const std::string &table, std::uint32_t buckets,
	                                                          const ScanOptions &options) = 0;
	virtual std::vector<BucketRow> BucketRows(const std::string &table, std::uint32_t buckets,
	                                          const std::vector<std::int32_t> &bucket_ids,
	                                          const ScanOptions &options, bool with_images) = 0;

	// A read-only transaction with one snapshot, so that the bucket fingerprints and the
	// rows drilled into afterwards come from the same state of the table.
	virtual void BeginSnapshot() = 0;
	virtual void EndSnapshot() noexcept = 0;

	// Bytes of result data received so far by every connection of this side.
	std::uint64_t BytesRead() const { return bytes_read_->load(); }

  protected:
	Connection(Side side, ConnectionUrl url, std::shared_ptr<std::atomic<std::uint64_t>> bytes_read)
	    : side_(side), url_(std::move(url)), bytes_read_(std::move(bytes_read)) {}
	void CountBytes(std::uint64_t bytes) { bytes_read_->fetch_add(bytes); }
	// "source postgresql://...": the prefix of every error message.
	std::string Who() const { return std::string(SideName(side_)) + " " + url_.display; }

  private:
	Side side_;
	ConnectionUrl url_;
	std::shared_ptr<std::atomic<std::uint64_t>> bytes_read_;
};

// Opens a diff session (read-only) and checks that the fingerprint SQL API is installed.
// bytes_read is shared by every connection of one side.
std::unique_ptr<Connection> Connect(Side side, const ConnectionUrl &url,
                                    std::shared_ptr<std::atomic<std::uint64_t>> bytes_read);
std::unique_ptr<Connection> ConnectPostgres(Side side, const ConnectionUrl &url,
                                            std::shared_ptr<std::atomic<std::uint64_t>> bytes_read);
std::unique_ptr<Connection> ConnectMysql(Side side, const ConnectionUrl &url,
                                         std::shared_ptr<std::atomic<std::uint64_t>> bytes_read);

} // namespace fingerprint::cli
