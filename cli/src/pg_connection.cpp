// The PostgreSQL side of a diff, through libpq. Results come in binary format, so
// key and row images (bytea) arrive as their raw bytes and integers as big-endian words.
#include "connection.hpp"
#include "pg_one_line.hpp"

#include "cli_error.hpp"
#include "installed_version.hpp"
#include "dead_peer.hpp"
#include "pg_wait.hpp"
#include "text_list.hpp"

#include <libpq-fe.h>

#include <cstdlib>
#include <cstring>
#include <optional>

namespace fingerprint::cli {

namespace {

using Result = PgResult;
using Param = std::optional<std::string>;

std::string QuoteIdentifier(const std::string &name) {
	std::string out = "\"";
	for (const char c : name) {
		out += c;
		if (c == '"')
			out += '"';
	}
	return out + "\"";
}

// A text[] literal, or no value (SQL NULL) for an empty list.
Param TextArray(const std::vector<std::string> &items) {
	if (items.empty())
		return std::nullopt;
	std::string out = "{";
	for (std::size_t i = 0; i < items.size(); ++i) {
		if (i > 0)
			out += ',';
		out += '"';
		for (const char c : items[i]) {
			if (c == '"' || c == '\\')
				out += '\\';
			out += c;
		}
		out += '"';
	}
	return out + "}";
}

std::string IntArray(const std::vector<std::int32_t> &items) {
	return "{" + JoinNumbers(items) + "}";
}

std::string Text(const PGresult *result, int row, int column) {
	return std::string(PQgetvalue(result, row, column),
	                   static_cast<std::size_t>(PQgetlength(result, row, column)));
}

// A binary integer field of any width; 0 for NULL.
std::int64_t Integer(const PGresult *result, int row, int column) {
	if (PQgetisnull(result, row, column))
		return 0;
	const auto *bytes = reinterpret_cast<const unsigned char *>(PQgetvalue(result, row, column));
	const int length = PQgetlength(result, row, column);
	std::uint64_t value = 0;
	for (int i = 0; i < length; ++i)
		value = (value << 8) | bytes[i];
	if (length < 8 && length > 0 && (bytes[0] & 0x80)) // sign-extend int2/int4
		value |= ~std::uint64_t{0} << (8 * length);
	return static_cast<std::int64_t>(value);
}

class PgConnection final : public Connection {
  public:
	PgConnection(Side side, const ConnectionUrl &url, std::shared_ptr<std::atomic<std::uint64_t>> bytes_read)
	    : Connection(side, url, std::move(bytes_read)) {
		Open();
		CheckInstallation();
	}

	const std::string &Namespace() const override { return url().schema; }

	std::vector<std::string> ListTables() override {
		// Base and partitioned tables, not partitions; not the tables of an extension.
		const Result result =
		    Exec("SELECT c.relname FROM pg_catalog.pg_class c"
		         " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
		         " WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition"
		         " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d"
		         "  WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid"
		         "  AND d.deptype = 'e')"
		         " ORDER BY c.relname",
		         {Namespace()}, "listing the tables of schema " + Namespace());
		std::vector<std::string> tables;
		for (int row = 0; row < PQntuples(result.get()); ++row)
			tables.push_back(Text(result.get(), row, 0));
		return tables;
	}

	std::vector<ColumnInfo> TableColumns(const std::string &table) override {
		const Result result =
		    Exec("SELECT \"position\", column_name, data_type, value_class, key_position FROM " +
		             extension_schema_ + ".table_columns($1::regclass)",
		         {Regclass(table)}, "table_columns of " + QualifiedName(table));
		std::vector<ColumnInfo> columns;
		for (int row = 0; row < PQntuples(result.get()); ++row) {
			ColumnInfo column;
			column.position = static_cast<int>(Integer(result.get(), row, 0));
			column.name = Text(result.get(), row, 1);
			column.data_type = Text(result.get(), row, 2);
			column.value_class = Text(result.get(), row, 3);
			column.key_position = static_cast<int>(Integer(result.get(), row, 4));
			columns.push_back(std::move(column));
		}
		return columns;
	}

	double EstimateRows(const std::string &table) override {
		// reltuples is -1 until the first VACUUM or ANALYZE: then guess from the size. A
		// partitioned table is the sum of its leaf partitions.
		const Result result =
		    Exec("SELECT COALESCE(sum(CASE WHEN c.reltuples >= 0 THEN c.reltuples"
		         " ELSE pg_catalog.pg_relation_size(c.oid) / 64.0 END), 0)::float8::text"
		         " FROM pg_catalog.pg_class c WHERE c.relkind <> 'p' AND (c.oid = $1::regclass"
		         " OR c.oid IN (SELECT relid FROM pg_catalog.pg_partition_tree($1::regclass) WHERE isleaf))",
		         {Regclass(table)}, "estimating the rows of " + QualifiedName(table));
		return std::strtod(Text(result.get(), 0, 0).c_str(), nullptr);
	}

	std::vector<BucketFingerprint> BucketFingerprints(const std::string &table, std::uint32_t buckets,
	                                                  const ScanOptions &options) override {
		const Result result =
		    Exec("SELECT bucket, \"rows\", fingerprint FROM " + extension_schema_ +
		             ".bucket_fingerprints($1::regclass, $2::integer, $3::text[], NULL::text[], $4::text[],"
		             " $5::text, 'xxh3')",
		         {Regclass(table), std::to_string(buckets), TextArray(options.key_columns),
		          TextArray(options.exclude_columns), Filter(options)},
		         "bucket_fingerprints of " + QualifiedName(table));
		std::vector<BucketFingerprint> out(static_cast<std::size_t>(PQntuples(result.get())));
		for (int row = 0; row < PQntuples(result.get()); ++row) {
			out[row].bucket = static_cast<std::int32_t>(Integer(result.get(), row, 0));
			out[row].rows = Integer(result.get(), row, 1);
			out[row].fingerprint = Text(result.get(), row, 2);
		}
		return out;
	}

	std::vector<BucketRow> BucketRows(const std::string &table, std::uint32_t buckets,
	                                  const std::vector<std::int32_t> &bucket_ids, const ScanOptions &options,
	                                  bool with_images) override {
		const Result result = Exec(
		    "SELECT bucket, key_image, key_json, fingerprint, row_image FROM " + extension_schema_ +
		        ".bucket_rows($1::regclass, $2::integer, $3::integer[], $4::text[], NULL::text[], $5::text[],"
		        " $6::text, 'xxh3', $7::boolean)",
		    {Regclass(table), std::to_string(buckets), IntArray(bucket_ids), TextArray(options.key_columns),
		     TextArray(options.exclude_columns), Filter(options),
		     std::string(with_images ? "true" : "false")},
		    "bucket_rows of " + QualifiedName(table));
		std::vector<BucketRow> out(static_cast<std::size_t>(PQntuples(result.get())));
		for (int row = 0; row < PQntuples(result.get()); ++row) {
			BucketRow &r = out[row];
			r.bucket = static_cast<std::int32_t>(Integer(result.get(), row, 0));
			r.key_image = Text(result.get(), row, 1);
			r.key_json = Text(result.get(), row, 2);
			r.fingerprint = Text(result.get(), row, 3);
			r.has_image = !PQgetisnull(result.get(), row, 4);
			if (r.has_image)
				r.row_image = Text(result.get(), row, 4);
		}
		return out;
	}

	void BeginSnapshot() override {
		Exec("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", {}, "starting a read-only transaction");
	}
	// Under the same deadline as every statement: a server that froze after the last
	// answer must not hang the tool here (the connection is then closed instead).
	void EndSnapshot() noexcept override {
		if (link_.conn == nullptr || PQtransactionStatus(link_.conn) == PQTRANS_IDLE)
			return;
		try {
			Exec("ROLLBACK", {}, "ending the transaction");
		} catch (...) { // the connection is gone or closed; the next statement will say so
		}
	}

  private:
	void Open() {
		// Keywords before dbname are defaults the URL may override; client_encoding after
		// it is forced (the report is UTF-8).
		// Keepalive (dead_peer.hpp) has the same numbers on both engines.
		const std::string idle = std::to_string(kKeepaliveIdleSeconds);
		const std::string interval = std::to_string(kKeepaliveIntervalSeconds);
		const std::string probes = std::to_string(kKeepaliveProbes);
		std::vector<const char *> keywords{"connect_timeout", "fallback_application_name", "keepalives",
		                                   "keepalives_idle", "keepalives_interval",       "keepalives_count",
		                                   "dbname",          "client_encoding",           nullptr};
		const char *timeout = std::getenv("PGCONNECT_TIMEOUT") != nullptr ? "" : "10";
		std::vector<const char *> values{
		    timeout,        "fingerprint",           "1",    idle.c_str(), interval.c_str(),
		    probes.c_str(), url().libpq_url.c_str(), "UTF8", nullptr};
		link_.who = Who();
		link_.timeout = url().statement_timeout;
		link_.Adopt(PQconnectdbParams(keywords.data(), values.data(), 1));
		if (link_.conn == nullptr)
			throw Error(Who() + ": cannot connect: out of memory");
		if (PQstatus(link_.conn) != CONNECTION_OK) {
			std::string message = PgOneLine(PQerrorMessage(link_.conn));
			if (message.find("password") != std::string::npos)
				message += " (the password comes from PGPASSWORD or ~/.pgpass)";
			throw Error(Who() + ": cannot connect: " + message);
		}
		// Belt and braces: nothing this session runs may write.
		Exec("SET default_transaction_read_only = on", {}, "making the session read-only");
		if (url().statement_timeout > 0)
			Exec("SELECT pg_catalog.set_config('statement_timeout', $1, false)",
			     {std::to_string(url().statement_timeout) + "s"}, "setting the statement timeout");
	}

	void CheckInstallation() {
		const std::string database = PQdb(link_.conn);
		Result result = Exec("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1", {Namespace()},
		                     "looking up schema " + Namespace());
		if (PQntuples(result.get()) == 0)
			throw Error(Who() + ": schema \"" + Namespace() + "\" does not exist in database \"" + database +
			            "\" (choose one with ?schema=NAME)");
		result =
		    Exec("SELECT n.nspname, e.extversion FROM pg_catalog.pg_extension e"
		         " JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'fingerprint'",
		         {}, "looking up the fingerprint extension");
		if (PQntuples(result.get()) == 0)
			throw Error(Who() + ": the fingerprint extension is not installed in database \"" + database +
			            "\": run CREATE EXTENSION fingerprint");
		const std::string schema = Text(result.get(), 0, 0);
		extension_schema_ = QuoteIdentifier(schema);
		CheckInstalledRelease(Text(result.get(), 0, 1), Engine::postgresql,
		                      Who() + " (database " + database + ")");
	}

	std::string Regclass(const std::string &table) const {
		return QuoteIdentifier(Namespace()) + "." + QuoteIdentifier(table);
	}
	static Param Filter(const ScanOptions &options) {
		return options.filter.empty() ? Param() : Param(options.filter);
	}

	// Runs one statement with text parameters and binary results, under the --timeout
	// deadline (pg_wait.hpp); throws on failure.
	Result Exec(const std::string &sql, const std::vector<Param> &params, const std::string &what) {
		std::vector<const char *> values;
		for (const Param &param : params)
			values.push_back(param ? param->c_str() : nullptr);
		Result result = PgRun(link_, sql, values, 1, what);
		if (!PgSucceeded(result.get()))
			throw Error(Who() + ": " + what + " failed: " + PgFailure(link_, result.get()));
		std::uint64_t bytes = 0;
		const int rows = PQntuples(result.get());
		const int fields = PQnfields(result.get());
		for (int row = 0; row < rows; ++row)
			for (int field = 0; field < fields; ++field)
				bytes += static_cast<std::uint64_t>(PQgetlength(result.get(), row, field));
		CountBytes(bytes);
		return result;
	}

	PgLink link_;
	std::string extension_schema_; // quoted
};

} // namespace

std::unique_ptr<Connection> ConnectPostgres(Side side, const ConnectionUrl &url,
                                            std::shared_ptr<std::atomic<std::uint64_t>> bytes_read) {
	return std::make_unique<PgConnection>(side, url, std::move(bytes_read));
}

} // namespace fingerprint::cli
