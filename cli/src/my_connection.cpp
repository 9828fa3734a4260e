// The MySQL/MariaDB side of a diff: CALLs of the procedures in the `fingerprint`
// database (install.sql, assembled from sql/mysql/src/) through the MySQL client library.
#include "connection.hpp"

#include "cli_error.hpp"
#include "installed_version.hpp"
#include "my_client.hpp"
#include "text_list.hpp"

#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace fingerprint::cli {

namespace {

std::string Field(MYSQL_ROW row, const unsigned long *lengths, unsigned index) {
	return row[index] == nullptr ? std::string() : std::string(row[index], lengths[index]);
}

std::int64_t IntField(MYSQL_ROW row, const unsigned long *lengths, unsigned index) {
	return row[index] == nullptr ? 0 : std::strtoll(Field(row, lengths, index).c_str(), nullptr, 10);
}

class MyConnection final : public Connection {
  public:
	MyConnection(Side side, const ConnectionUrl &url, std::shared_ptr<std::atomic<std::uint64_t>> bytes_read)
	    : Connection(side, url, std::move(bytes_read)), mysql_(OpenMysql(url, Who())) {
		Run("SET SESSION TRANSACTION READ ONLY", "making the session read-only", nullptr);
		CheckInstallation();
	}

	const std::string &Namespace() const override { return url().database; }

	std::vector<std::string> ListTables() override {
		std::vector<std::string> tables;
		Run("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = " + Quote(Namespace()) +
		        " AND TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED') ORDER BY TABLE_NAME",
		    "listing the tables of database " + Namespace(),
		    [&](MYSQL_ROW row, const unsigned long *lengths, unsigned) {
			    tables.push_back(Field(row, lengths, 0));
		    });
		return tables;
	}

	std::vector<ColumnInfo> TableColumns(const std::string &table) override {
		std::vector<ColumnInfo> columns;
		CallProcedure("table_columns", table, "", 5, [&](MYSQL_ROW row, const unsigned long *lengths) {
			ColumnInfo column;
			column.position = static_cast<int>(IntField(row, lengths, 0));
			column.name = Field(row, lengths, 1);
			column.data_type = Field(row, lengths, 2);
			column.value_class = Field(row, lengths, 3);
			column.key_position = static_cast<int>(IntField(row, lengths, 4));
			columns.push_back(std::move(column));
		});
		return columns;
	}

	// MariaDB's own rule decides (case-insensitive, accent-sensitive: `É` names `é`
	// but `e` does not): the server resolves each name in a SELECT ... LIMIT 0, and the
	// result's metadata gives the column's own spelling. An unknown column is "".
	std::vector<std::string> ResolveColumnNames(const std::string &table, const std::vector<ColumnInfo> &,
	                                            const std::vector<std::string> &names) override {
		return MysqlResolveColumns(mysql_.get(), QuoteName(Namespace()) + "." + QuoteName(table), names,
		                           Who());
	}

	double EstimateRows(const std::string &table) override {
		double rows = 0;
		Run("SELECT COALESCE(TABLE_ROWS, 0) FROM information_schema.TABLES WHERE TABLE_SCHEMA = " +
		        Quote(Namespace()) + " AND TABLE_NAME = " + Quote(table),
		    "estimating the rows of " + QualifiedName(table),
		    [&](MYSQL_ROW row, const unsigned long *lengths, unsigned) {
			    rows = std::strtod(Field(row, lengths, 0).c_str(), nullptr);
		    });
		return rows;
	}

	// One row per bucket (bucket_fingerprints_json has the same buckets as one string).
	std::vector<BucketFingerprint> BucketFingerprints(const std::string &table, std::uint32_t buckets,
	                                                  const ScanOptions &options) override {
		std::vector<BucketFingerprint> out;
		CallProcedure("bucket_fingerprints_with", table,
		              ", " + std::to_string(buckets) + ScanArguments(options), 3,
		              [&](MYSQL_ROW row, const unsigned long *lengths) {
			              BucketFingerprint bucket;
			              bucket.bucket = static_cast<std::int32_t>(IntField(row, lengths, 0));
			              bucket.rows = IntField(row, lengths, 1);
			              bucket.fingerprint = Field(row, lengths, 2);
			              out.push_back(std::move(bucket));
		              });
		return out;
	}

	std::vector<BucketRow> BucketRows(const std::string &table, std::uint32_t buckets,
	                                  const std::vector<std::int32_t> &bucket_ids, const ScanOptions &options,
	                                  bool with_images) override {
		std::vector<BucketRow> out;
		CallProcedure("bucket_rows_with", table,
		              ", " + std::to_string(buckets) + ", '" + JoinNumbers(bucket_ids) + "'" +
		                  ScanArguments(options) + (with_images ? ", TRUE" : ", FALSE"),
		              5, [&](MYSQL_ROW row, const unsigned long *lengths) {
			              BucketRow r;
			              r.bucket = static_cast<std::int32_t>(IntField(row, lengths, 0));
			              r.key_image = Field(row, lengths, 1);
			              r.key_json = Field(row, lengths, 2);
			              r.fingerprint = Field(row, lengths, 3);
			              r.has_image = row[4] != nullptr;
			              if (r.has_image)
				              r.row_image = Field(row, lengths, 4);
			              out.push_back(std::move(r));
		              });
		return out;
	}

	void BeginSnapshot() override {
		Run("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY", "starting a read-only transaction",
		    nullptr);
	}
	void EndSnapshot() noexcept override {
		try {
			Run("ROLLBACK", "ending the transaction", nullptr);
		} catch (...) { // the connection is gone; the next statement will say so
		}
	}

  private:
	void CheckInstallation() {
		bool has_database = false;
		Run("SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'fingerprint'",
		    "looking up the fingerprint database",
		    [&](MYSQL_ROW, const unsigned long *, unsigned) { has_database = true; });
		if (!has_database)
			throw Error(Who() + ": the fingerprint procedures are not installed on this server (there is no"
			                    " database `fingerprint`): load install.sql (share/fingerprint/mysql/ of "
			                    "fingerprint's install prefix) as an administrator");
		for (const char *procedure : {"table_columns", "bucket_fingerprints_with", "bucket_rows_with"}) {
			bool found = false;
			Run(std::string("SELECT 1 FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = 'fingerprint'"
			                " AND ROUTINE_TYPE = 'PROCEDURE' AND ROUTINE_NAME = '") +
			        procedure + "'",
			    "looking up the fingerprint procedures",
			    [&](MYSQL_ROW, const unsigned long *, unsigned) { found = true; });
			if (!found)
				throw Error(Who() + ": there is no procedure fingerprint." + procedure +
				            " (or no EXECUTE privilege on it): load the current install.sql "
				            "(share/fingerprint/mysql/ of fingerprint's install prefix)");
		}
		// After the procedures are known to be visible: a missing version() then means 1.0.
		CheckInstalledRelease(MysqlInstalledRelease(mysql_.get(), Who()), Engine::mysql, Who());
	}

	// CALL fingerprint.<procedure>('<db>.<table>'<arguments>); every result row, which must
	// have at least `fields` columns, goes to on_row.
	template <typename OnRow>
	void CallProcedure(const char *procedure, const std::string &table, const std::string &arguments,
	                   unsigned fields, OnRow &&on_row) {
		const std::string what = std::string("fingerprint.") + procedure + " of " + QualifiedName(table);
		Run(std::string("CALL fingerprint.") + procedure + "(" + Quote(QualifiedName(table)) + arguments +
		        ")",
		    what, [&](MYSQL_ROW row, const unsigned long *lengths, unsigned count) {
			    if (count < fields)
				    throw Error(Who() + ": " + what + " returned " + std::to_string(count) +
				                " columns, expected " + std::to_string(fields) +
				                ": is the loaded install.sql of this release?");
			    on_row(row, lengths);
		    });
	}
	// The procedures' key_columns, include_columns (always NULL), exclude_columns, filter
	// and algorithm arguments, each after a comma.
	std::string ScanArguments(const ScanOptions &options) {
		return ", " + QuoteOrNull(Join(options.key_columns, ",")) + ", NULL, " +
		       QuoteOrNull(Join(options.exclude_columns, ",")) + ", " + QuoteOrNull(options.filter) +
		       ", 'xxh3'";
	}
	std::string Quote(const std::string &text) { return MysqlQuote(mysql_.get(), text); }
	std::string QuoteOrNull(const std::string &text) { return MysqlQuoteOrNull(mysql_.get(), text); }
	void Run(const std::string &sql, const std::string &what, const MysqlRowCallback &on_row) {
		CountBytes(MysqlRun(mysql_.get(), sql, Who(), what, on_row));
	}

	MysqlHandle mysql_;
};

} // namespace

std::unique_ptr<Connection> ConnectMysql(Side side, const ConnectionUrl &url,
                                         std::shared_ptr<std::atomic<std::uint64_t>> bytes_read) {
	return std::make_unique<MyConnection>(side, url, std::move(bytes_read));
}

} // namespace fingerprint::cli
