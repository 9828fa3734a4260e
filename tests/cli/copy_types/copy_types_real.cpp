// The type rules of `fingerprint copy` against real servers (run by run_copy_types.sh,
// which starts them and loads tests/cross/*_data.sql and copy_types_extra_*.sql). For
// every table and both directions: read the definition, create the table on the other
// engine with CreateTableDdl, check that both sides' table_columns report the same value
// classes, copy every row through SourceExpression and MakeConverter with plain SELECTs
// and INSERTs, run after_load, and check that table_fingerprint is the same on both
// sides. The copy is then copied back, which must give the original fingerprint again.
// Values the target cannot hold must be refused, each with its reason.
#include "cli_error.hpp"
#include "copy_types.hpp"

#include <libpq-fe.h>
#include <mysql.h>

#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

namespace copy = fingerprint::cli::copy;
using copy::Engine;
using copy::Row;

namespace {

int failures = 0;
int passes = 0;

void Check(bool ok, const std::string &what, const std::string &detail = "") {
	if (ok) {
		++passes;
		std::cout << "ok   " << what << "\n";
	} else {
		++failures;
		std::cout << "FAIL " << what << (detail.empty() ? "" : "\n     " + detail) << "\n";
	}
}

class Postgres {
  public:
	explicit Postgres(const std::string &conninfo) : conn_(PQconnectdb(conninfo.c_str())) {
		if (PQstatus(conn_) != CONNECTION_OK)
			throw fingerprint::cli::Error(std::string("PostgreSQL: ") + PQerrorMessage(conn_));
	}
	~Postgres() { PQfinish(conn_); }

	std::vector<Row> Query(const std::string &sql, const std::vector<std::optional<std::string>> &params) {
		std::vector<const char *> values;
		for (const auto &param : params)
			values.push_back(param ? param->c_str() : nullptr);
		PGresult *result = PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr,
		                                values.data(), nullptr, nullptr, 0);
		const ExecStatusType status = PQresultStatus(result);
		if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
			const std::string message = PQresultErrorMessage(result);
			PQclear(result);
			throw fingerprint::cli::Error("PostgreSQL: " + message + "in: " + sql.substr(0, 300));
		}
		std::vector<Row> rows;
		for (int r = 0; r < PQntuples(result); ++r) {
			Row row;
			for (int c = 0; c < PQnfields(result); ++c)
				row.push_back(PQgetisnull(result, r, c)
				                  ? std::nullopt
				                  : std::optional<std::string>(
				                        std::string(PQgetvalue(result, r, c),
				                                    static_cast<std::size_t>(PQgetlength(result, r, c)))));
			rows.push_back(std::move(row));
		}
		PQclear(result);
		return rows;
	}
	copy::QueryRows Callback() {
		return [this](const std::string &sql, const std::vector<std::string> &params) {
			return Query(sql, std::vector<std::optional<std::string>>(params.begin(), params.end()));
		};
	}

  private:
	PGconn *conn_;
};

class Mysql {
  public:
	explicit Mysql(const std::string &socket) : conn_(mysql_init(nullptr)) {
		if (mysql_real_connect(conn_, nullptr, "root", nullptr, nullptr, 0, socket.c_str(),
		                       CLIENT_MULTI_RESULTS) == nullptr)
			throw fingerprint::cli::Error(std::string("MySQL: ") + mysql_error(conn_));
	}
	~Mysql() { mysql_close(conn_); }

	std::string Literal(const std::string &text) {
		std::string out(text.size() * 2 + 1, '\0');
		const unsigned long length = mysql_real_escape_string(conn_, out.data(), text.data(), text.size());
		out.resize(length);
		return "'" + out + "'";
	}

	// Binds ? parameters as literals; returns the rows of the first result set.
	std::vector<Row> Query(const std::string &sql, const std::vector<std::string> &params = {}) {
		std::string text;
		std::size_t next = 0;
		for (const char c : sql) {
			if (c == '?' && next < params.size())
				text += Literal(params[next++]);
			else
				text += c;
		}
		if (mysql_real_query(conn_, text.data(), text.size()) != 0)
			throw fingerprint::cli::Error(std::string("MySQL: ") + mysql_error(conn_) +
			                              " in: " + text.substr(0, 300));
		std::vector<Row> rows;
		bool first = true;
		do {
			MYSQL_RES *result = mysql_store_result(conn_);
			if (result != nullptr) {
				const unsigned fields = mysql_num_fields(result);
				while (MYSQL_ROW row = mysql_fetch_row(result)) {
					const unsigned long *lengths = mysql_fetch_lengths(result);
					Row out;
					for (unsigned c = 0; c < fields; ++c)
						out.push_back(row[c] == nullptr
						                  ? std::nullopt
						                  : std::optional<std::string>(std::string(row[c], lengths[c])));
					if (first)
						rows.push_back(std::move(out));
				}
				mysql_free_result(result);
				first = false;
			}
		} while (mysql_next_result(conn_) == 0);
		if (mysql_errno(conn_) != 0)
			throw fingerprint::cli::Error(std::string("MySQL: ") + mysql_error(conn_) +
			                              " in: " + text.substr(0, 300));
		return rows;
	}
	copy::QueryRows Callback() {
		return [this](const std::string &sql, const std::vector<std::string> &params) {
			return Query(sql, params);
		};
	}

  private:
	MYSQL *conn_;
};

struct Servers {
	Postgres &pg;
	Mysql &my;
};

void Exec(Servers &servers, Engine engine, const std::string &sql) {
	if (engine == Engine::postgresql)
		servers.pg.Query(sql, {});
	else
		servers.my.Query(sql);
}

std::vector<Row> Run(Servers &servers, Engine engine, const std::string &sql) {
	return engine == Engine::postgresql ? servers.pg.Query(sql, {}) : servers.my.Query(sql);
}

copy::QueryRows Callback(Servers &servers, Engine engine) {
	return engine == Engine::postgresql ? servers.pg.Callback() : servers.my.Callback();
}

std::string Quote(Engine engine, const std::string &name) {
	const char q = engine == Engine::postgresql ? '"' : '`';
	return std::string(1, q) + name + q;
}

std::string Qualified(Engine engine, const std::string &schema, const std::string &table) {
	return Quote(engine, schema) + "." + Quote(engine, table);
}

std::string TableFingerprint(Servers &servers, Engine engine, const std::string &schema,
                             const std::string &table) {
	if (engine == Engine::postgresql)
		return *servers.pg.Query("SELECT table_fingerprint($1::regclass)", {Qualified(engine, schema, table)})
		            .at(0)
		            .at(0);
	return *servers.my.Query("CALL fingerprint.table_fingerprint(?)", {schema + "." + table}).at(0).at(0);
}

// "name:class" for every column, as the engine's own table_columns reports them.
std::string ValueClasses(Servers &servers, Engine engine, const std::string &schema,
                         const std::string &table) {
	std::vector<Row> rows =
	    engine == Engine::postgresql
	        ? servers.pg.Query(
	              "SELECT column_name, value_class FROM table_columns($1::regclass) ORDER BY position",
	              {Qualified(engine, schema, table)})
	        : servers.my.Query("CALL fingerprint.table_columns(?)", {schema + "." + table});
	std::string out;
	for (const Row &row : rows) {
		const std::size_t class_column = engine == Engine::postgresql ? 1 : 3;
		out += *row.at(engine == Engine::postgresql ? 0 : 1) + ":" + *row.at(class_column) + " ";
	}
	return out;
}

std::string Hex(const std::string &bytes) {
	static constexpr char kHex[] = "0123456789ABCDEF";
	std::string out;
	for (const char c : bytes) {
		out += kHex[static_cast<unsigned char>(c) >> 4];
		out += kHex[static_cast<unsigned char>(c) & 0x0f];
	}
	return out;
}

// Inserts one converted row the way the target's loader would take its text.
void InsertRow(Servers &servers, Engine target, const copy::TableDefinition &table,
               const std::vector<std::optional<std::string>> &values) {
	const std::string name = Qualified(target, table.schema, table.name);
	if (target == Engine::postgresql) {
		std::string sql = "INSERT INTO " + name + " VALUES (";
		for (std::size_t i = 0; i < values.size(); ++i)
			sql += (i == 0 ? "$" : ", $") + std::to_string(i + 1);
		servers.pg.Query(sql + ")", values);
		return;
	}
	std::string sql = "INSERT INTO " + name + " VALUES (";
	for (std::size_t i = 0; i < values.size(); ++i) {
		const std::string &base = table.columns[i].base_type;
		const bool raw = base == "bit" || base == "binary" || base == "varbinary" ||
		                 base.find("blob") != std::string::npos;
		sql += i == 0 ? "" : ", ";
		sql += !values[i] ? "NULL" : raw ? "X'" + Hex(*values[i]) + "'" : servers.my.Literal(*values[i]);
	}
	servers.my.Query(sql + ")");
}

struct Refusal {
	std::string column;
	std::string value;
	std::string reason;
};

// Copies schema.table from `source` into target_schema on `target`, creating it there
// unless `create` is false (then the table is there already). Returns the refusals; rows
// with a refused value are left out.
std::vector<Refusal> CopyTable(Servers &servers, Engine source, const std::string &schema,
                               const std::string &table, Engine target, const std::string &target_schema,
                               bool create = true) {
	const copy::TableDefinition definition =
	    copy::ReadTableDefinition(source, Callback(servers, source), schema, table);
	const copy::TargetDdl ddl =
	    create ? copy::CreateTableDdl(definition, source, target, target_schema) : copy::TargetDdl();
	// The statements and notes go to the log: what --create-tables does, for people.
	for (const auto *list : {&ddl.create, &ddl.after_load, &ddl.notes})
		for (const std::string &line : *list)
			std::cout << (list == &ddl.notes ? "     note: " : "     ") << line << "\n";
	for (const std::string &statement : ddl.create)
		Exec(servers, target, statement);
	const copy::TableDefinition created =
	    copy::ReadTableDefinition(target, Callback(servers, target), target_schema, table);
	std::vector<std::unique_ptr<copy::ValueConverter>> converters;
	std::string select;
	for (std::size_t i = 0; i < definition.columns.size(); ++i) {
		converters.push_back(
		    copy::MakeConverter(source, definition.columns[i], target, created.columns.at(i)));
		select += (i == 0 ? "" : ", ") + copy::SourceExpression(source, definition.columns[i]);
	}
	std::vector<Refusal> refusals;
	for (const Row &row :
	     Run(servers, source,
	         "SELECT " + select + " FROM " + Qualified(source, schema, table) + " ORDER BY 1")) {
		std::vector<std::optional<std::string>> values;
		bool refused = false;
		for (std::size_t i = 0; i < row.size(); ++i) {
			if (!row[i]) {
				values.emplace_back();
				continue;
			}
			std::string out;
			std::string reason;
			if (!converters[i]->Convert(*row[i], out, reason)) {
				refusals.push_back(Refusal{definition.columns[i].name, *row[i], reason});
				refused = true;
			}
			values.emplace_back(std::move(out));
		}
		if (!refused)
			InsertRow(servers, target, created, values);
	}
	for (const std::string &statement : ddl.after_load)
		Exec(servers, target, statement);
	return refusals;
}

const char *Name(Engine engine) {
	return engine == Engine::postgresql ? "PostgreSQL" : "MariaDB";
}

// One table there and back again: classes, fingerprints, no refusals.
void RoundTrip(Servers &servers, Engine source, const std::string &schema, const std::string &table) {
	const Engine target = source == Engine::postgresql ? Engine::mysql : Engine::postgresql;
	const std::string what = std::string(Name(source)) + " " + table + " to " + Name(target);
	const std::string original = TableFingerprint(servers, source, schema, table);
	const std::vector<Refusal> refusals = CopyTable(servers, source, schema, table, target, "copy_there");
	std::string refused;
	for (const Refusal &r : refusals)
		refused += r.column + " " + r.value.substr(0, 40) + ": " + r.reason + "; ";
	Check(refusals.empty(), what + ": no value refused", refused);
	const std::string source_classes = ValueClasses(servers, source, schema, table);
	const std::string target_classes = ValueClasses(servers, target, "copy_there", table);
	Check(source_classes == target_classes, what + ": the same value classes",
	      "source: " + source_classes + "\n     target: " + target_classes);
	const std::string copied = TableFingerprint(servers, target, "copy_there", table);
	Check(copied == original, what + ": the same table fingerprint",
	      "source: " + original + "\n     target: " + copied);
	const std::vector<Refusal> back = CopyTable(servers, target, "copy_there", table, source, "copy_back");
	Check(back.empty() && TableFingerprint(servers, source, "copy_back", table) == original,
	      what + " and back: the original table fingerprint");
}

// A copy to the same engine (another schema or database): the same fingerprint.
void SameEngine(Servers &servers, Engine engine, const std::string &schema, const std::string &table) {
	const std::string what = std::string(Name(engine)) + " " + table + " to " + Name(engine);
	const std::vector<Refusal> refusals = CopyTable(servers, engine, schema, table, engine, "copy_same");
	Check(refusals.empty(), what + ": no value refused");
	Check(ValueClasses(servers, engine, schema, table) == ValueClasses(servers, engine, "copy_same", table),
	      what + ": the same value classes");
	Check(TableFingerprint(servers, engine, schema, table) ==
	          TableFingerprint(servers, engine, "copy_same", table),
	      what + ": the same table fingerprint");
}

// Into a table made by hand, whose types differ from what --create-tables would choose
// but hold the same values (a TINYINT(1) into boolean, CHAR(36) into uuid, DECIMAL(10,2)
// into numeric(6,2)); the one row that does not fit is refused.
void IntoExisting(Servers &servers) {
	servers.pg.Query("CREATE TABLE copy_there.my_existing (id integer PRIMARY KEY, flag boolean, u uuid, "
	                 "amount numeric(6,2), at timestamp(0))",
	                 {});
	const std::vector<Refusal> refusals =
	    CopyTable(servers, Engine::mysql, "crossdb", "my_existing", Engine::postgresql, "copy_there", false);
	Check(refusals.size() == 1 && refusals[0].column == "flag" &&
	          refusals[0].reason == "value 2 is neither 0 nor 1: no value of PostgreSQL boolean",
	      "MariaDB my_existing into a PostgreSQL table made by hand: TINYINT(1) 2 refused for boolean",
	      refusals.empty() ? "nothing refused" : refusals[0].column + ": " + refusals[0].reason);
	servers.my.Query("DELETE FROM crossdb.my_existing WHERE flag = 2");
	Check(TableFingerprint(servers, Engine::mysql, "crossdb", "my_existing") ==
	          TableFingerprint(servers, Engine::postgresql, "copy_there", "my_existing"),
	      "MariaDB my_existing into a PostgreSQL table made by hand: the same table fingerprint");
}

// A table whose every row holds one value the target cannot hold: each must be refused.
void Refusals(Servers &servers, Engine source, const std::string &schema, const std::string &table,
              const std::vector<std::string> &expected) {
	const Engine target = source == Engine::postgresql ? Engine::mysql : Engine::postgresql;
	const std::vector<Refusal> refusals = CopyTable(servers, source, schema, table, target, "copy_there");
	std::string got;
	for (const Refusal &r : refusals)
		got += r.column + " " + r.value.substr(0, 40) + ": " + r.reason + "\n     ";
	Check(refusals.size() == expected.size(),
	      std::string(Name(source)) + " " + table + ": " + std::to_string(expected.size()) +
	          " values refused",
	      got);
	for (std::size_t i = 0; i < expected.size() && i < refusals.size(); ++i)
		Check(refusals[i].reason.find(expected[i]) != std::string::npos,
		      std::string(Name(source)) + " " + table + " refuses " + refusals[i].column + " " +
		          refusals[i].value + " saying \"" + expected[i] + "\"",
		      refusals[i].reason);
	const std::string rows =
	    *Run(servers, target, "SELECT count(*) FROM " + Qualified(target, "copy_there", table)).at(0).at(0);
	Check(rows == "1",
	      std::string(Name(source)) + " " + table + ": only the row without a refused value copied",
	      rows + " rows");
}

} // namespace

int main(int argc, char **argv) {
	if (argc != 4) {
		std::cerr << "usage: copy_types_real PG_HOST PG_PORT MARIADB_SOCKET\n";
		return 2;
	}
	try {
		Postgres pg(std::string("host=") + argv[1] + " port=" + argv[2] + " user=postgres dbname=postgres");
		Mysql my(argv[3]);
		Servers servers{pg, my};
		for (const std::string &setting : copy::SessionSettings(Engine::postgresql, false))
			pg.Query(setting, {});
		for (const std::string &setting : copy::SessionSettings(Engine::mysql, false))
			my.Query(setting);
		pg.Query("CREATE SCHEMA copy_there", {});
		pg.Query("CREATE SCHEMA copy_back", {});
		pg.Query("CREATE SCHEMA copy_same", {});
		my.Query("CREATE DATABASE copy_same");
		my.Query("CREATE DATABASE copy_there");
		my.Query("CREATE DATABASE copy_back");

		for (const char *table : {"everything", "everything_reordered", "composite", "dups", "pg_extra"})
			RoundTrip(servers, Engine::postgresql, "public", table);
		for (const char *table :
		     {"everything", "composite", "dups", "dups_reordered", "my_extra", "my_counter"})
			RoundTrip(servers, Engine::mysql, "crossdb", table);
		for (const char *table : {"everything", "pg_extra"})
			SameEngine(servers, Engine::postgresql, "public", table);
		for (const char *table : {"everything", "my_extra"})
			SameEngine(servers, Engine::mysql, "crossdb", table);
		IntoExisting(servers);
		Refusals(servers, Engine::mysql, "crossdb", "my_refused",
		         {"zero or invalid date", "invalid date", "beyond 24:00:00", "below zero", "NUL byte"});
		Refusals(servers, Engine::postgresql, "public", "pg_refused",
		         {"has no counterpart", "outside the years 1000-9999", "has no counterpart",
		          "outside the years 1000-9999", "more integer digits", "NaN has no counterpart",
		          "Infinity has no counterpart"});
	} catch (const std::exception &error) {
		std::cout << "FAIL " << error.what() << "\n";
		++failures;
	}
	std::cout << "\ncopy types: " << passes << " passed, " << failures << " failed\n";
	return failures == 0 ? 0 : 1;
}
