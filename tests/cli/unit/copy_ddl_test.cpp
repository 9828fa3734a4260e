// --create-tables: the type chosen on the other engine for each source type, keys,
// defaults, identity columns and indexes, and the columns that stop a table. Also the
// session settings and select-list expressions the values' text depends on.
#include "cli_error.hpp"
#include "copy_test_columns.hpp"
#include "copy_types.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace fingerprint::cli::copy {
namespace {

using testing::My;
using testing::MyLabels;
using testing::Pg;
using testing::PgEnum;

constexpr Engine kPg = Engine::postgresql;
constexpr Engine kMy = Engine::mysql;

ColumnDefinition Named(ColumnDefinition column, const std::string &name) {
	column.name = name;
	return column;
}

TableDefinition Table(std::vector<ColumnDefinition> columns) {
	TableDefinition table;
	table.schema = "src";
	table.name = "t";
	int position = 0;
	for (ColumnDefinition &column : columns)
		column.position = ++position;
	table.columns = std::move(columns);
	return table;
}

// The line of CREATE TABLE that declares `name`, without indentation and comma.
std::string ColumnLine(const TargetDdl &ddl, const std::string &name, Engine target) {
	const std::string &create = ddl.create.back();
	const char quote = target == kPg ? '"' : '`';
	const std::string start = std::string(1, quote) + name + quote + " ";
	const std::size_t at = create.find(start);
	if (at == std::string::npos)
		return "(none)";
	std::string line = create.substr(at, create.find('\n', at) - at);
	if (!line.empty() && line.back() == ',')
		line.pop_back();
	return line;
}

// The target type of one source column, with nothing else in the table.
std::string TypeOn(Engine target, Engine source, const ColumnDefinition &column) {
	const TargetDdl ddl = CreateTableDdl(Table({Named(column, "c")}), source, target, "dst");
	const std::string line = ColumnLine(ddl, "c", target);
	return line.substr(4);
}

TEST(CopyDdlToMysql, TypesKeepEveryValue) {
	EXPECT_EQ(TypeOn(kMy, kPg, Pg("bool", "boolean")), "BOOLEAN");
	EXPECT_EQ(TypeOn(kMy, kPg, Pg("int2", "smallint")), "SMALLINT");
	EXPECT_EQ(TypeOn(kMy, kPg, Pg("int8", "bigint")), "BIGINT");
	EXPECT_EQ(TypeOn(kMy, kPg, Pg("oid", "oid")), "INT UNSIGNED");
	EXPECT_EQ(TypeOn(kMy, kPg, Pg("numeric", "numeric(12,4)", 12, 4)), "DECIMAL(12,4)");
	EXPECT_EQ(TypeOn(kMy, kPg, Pg("numeric", "numeric")), "DECIMAL(65,30)");
	EXPECT_EQ(TypeOn(kMy, kPg, Pg("numeric", "numeric(5,-2)", 5, -2)), "DECIMAL(7,0)");
	EXPECT_EQ(TypeOn(kMy, kPg, Pg("numeric", "numeric(3,5)", 3, 5)), "DECIMAL(5,5)");
	EXPECT_EQ(TypeOn(kMy, kPg, Pg("float4", "real")), "FLOAT");
	EXPECT_EQ(TypeOn(kMy, kPg, Pg("float8", "double precision")), "DOUBLE");
	EXPECT_EQ(TypeOn(kMy, kPg, Pg("varchar", "character varying(100)", 100)),
	          "VARCHAR(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin");
	EXPECT_EQ(TypeOn(kMy, kPg, Pg("varchar", "character varying(100000)", 100000)),
	          "MEDIUMTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin");
	EXPECT_EQ(TypeOn(kMy, kPg, Pg("text", "text")),
	          "LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin");
	EXPECT_EQ(TypeOn(kMy, kPg, Pg("bpchar", "character(8)", 8)),
	          "CHAR(8) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
	EXPECT_EQ(TypeOn(kMy, kPg, Pg("bpchar", "character(300)", 300)),
	          "VARCHAR(300) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin");
	EXPECT_EQ(TypeOn(kMy, kPg, Pg("bpchar", "bpchar")),
	          "LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin");
	EXPECT_EQ(TypeOn(kMy, kPg, Pg("name", "name")),
	          "VARCHAR(63) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin");
	EXPECT_EQ(TypeOn(kMy, kPg, Pg("bytea", "bytea")), "LONGBLOB");
	EXPECT_EQ(TypeOn(kMy, kPg, Pg("uuid", "uuid")), "UUID");
	EXPECT_EQ(TypeOn(kMy, kPg, Pg("date", "date")), "DATE");
	EXPECT_EQ(TypeOn(kMy, kPg, Pg("timestamp", "timestamp(3) without time zone", 3)), "DATETIME(3)");
	EXPECT_EQ(TypeOn(kMy, kPg, Pg("timestamptz", "timestamp with time zone")), "DATETIME(6)");
	EXPECT_EQ(TypeOn(kMy, kPg, Pg("time", "time without time zone")), "TIME(6)");
	EXPECT_EQ(TypeOn(kMy, kPg, Pg("jsonb", "jsonb")), "JSON");
	EXPECT_EQ(TypeOn(kMy, kPg, Pg("json", "json")), "JSON");
	EXPECT_EQ(TypeOn(kMy, kPg, Pg("bit", "bit(10)", 10)), "BIT(10)");
	EXPECT_EQ(TypeOn(kMy, kPg, PgEnum({"sad", "it's", "b\\c"})),
	          "ENUM('sad','it''s','b\\\\c') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
	// MySQL would drop the trailing space of a label.
	EXPECT_EQ(TypeOn(kMy, kPg, PgEnum({"a", "b  "})),
	          "VARCHAR(3) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin");
}

TEST(CopyDdlToPostgres, TypesKeepEveryValue) {
	EXPECT_EQ(TypeOn(kPg, kMy, My("tinyint", "tinyint(1)")), "smallint");
	EXPECT_EQ(TypeOn(kPg, kMy, My("tinyint", "tinyint(3) unsigned")), "smallint");
	EXPECT_EQ(TypeOn(kPg, kMy, My("smallint", "smallint(5) unsigned")), "integer");
	EXPECT_EQ(TypeOn(kPg, kMy, My("mediumint", "mediumint(8) unsigned")), "integer");
	EXPECT_EQ(TypeOn(kPg, kMy, My("int", "int(10) unsigned")), "bigint");
	EXPECT_EQ(TypeOn(kPg, kMy, My("bigint", "bigint(20)")), "bigint");
	EXPECT_EQ(TypeOn(kPg, kMy, My("bigint", "bigint(20) unsigned")), "numeric(20,0)");
	EXPECT_EQ(TypeOn(kPg, kMy, My("decimal", "decimal(10,2) unsigned", 10, 2)), "numeric(10,2)");
	EXPECT_EQ(TypeOn(kPg, kMy, My("year", "year(4)")), "smallint");
	EXPECT_EQ(TypeOn(kPg, kMy, My("bit", "bit(63)", 63)), "bigint");
	EXPECT_EQ(TypeOn(kPg, kMy, My("bit", "bit(64)", 64)), "numeric(20,0)");
	EXPECT_EQ(TypeOn(kPg, kMy, My("float", "float")), "real");
	EXPECT_EQ(TypeOn(kPg, kMy, My("double", "double")), "double precision");
	EXPECT_EQ(TypeOn(kPg, kMy, My("char", "char(8)", 8)), "character(8)");
	EXPECT_EQ(TypeOn(kPg, kMy, My("varchar", "varchar(50)", 50)), "character varying(50)");
	EXPECT_EQ(TypeOn(kPg, kMy, My("mediumtext", "mediumtext")), "text");
	EXPECT_EQ(TypeOn(kPg, kMy, My("binary", "binary(4)", 4)), "bytea");
	EXPECT_EQ(TypeOn(kPg, kMy, My("longblob", "longblob")), "bytea");
	EXPECT_EQ(TypeOn(kPg, kMy, MyLabels("set", {"a", "b"})), "text");
	EXPECT_EQ(TypeOn(kPg, kMy, My("uuid", "uuid")), "uuid");
	EXPECT_EQ(TypeOn(kPg, kMy, My("date", "date")), "date");
	EXPECT_EQ(TypeOn(kPg, kMy, My("datetime", "datetime", 0)), "timestamp(0) without time zone");
	EXPECT_EQ(TypeOn(kPg, kMy, My("timestamp", "timestamp(6)", 6)), "timestamp(6) with time zone");
	EXPECT_EQ(TypeOn(kPg, kMy, My("time", "time(2)", 2)), "time(2) without time zone");
	ColumnDefinition json = My("longtext", "longtext");
	json.is_json = true;
	EXPECT_EQ(TypeOn(kPg, kMy, json), "jsonb");
}

TEST(CopyDdlToPostgres, EnumsBecomeTypesInTheTargetSchema) {
	const TargetDdl ddl =
	    CreateTableDdl(Table({Named(MyLabels("enum", {"x'y", "b"}), "mood")}), kMy, kPg, "dst");
	ASSERT_EQ(ddl.create.size(), 2U);
	EXPECT_NE(ddl.create[0].find("CREATE TYPE \"dst\".\"t_mood\" AS ENUM ('x''y', 'b')"), std::string::npos)
	    << ddl.create[0];
	EXPECT_NE(ddl.create[0].find("RAISE EXCEPTION 'type %.% exists with other labels'"), std::string::npos);
	EXPECT_EQ(ColumnLine(ddl, "mood", kPg), "\"mood\" \"dst\".\"t_mood\"");
	// A PostgreSQL enum keeps its own name when it is a plain one.
	const TargetDdl same = CreateTableDdl(Table({Named(PgEnum({"a"}), "m")}), kPg, kPg, "dst");
	EXPECT_EQ(ColumnLine(same, "m", kPg), "\"m\" \"dst\".\"mood\"");
}

TEST(CopyDdl, KeysNotNullIdentityAndIndexes) {
	ColumnDefinition id = Named(My("int", "int(10) unsigned"), "id");
	id.auto_increment = true;
	id.nullable = false;
	id.key_position = 1;
	ColumnDefinition code = Named(My("varchar", "varchar(10)", 10), "code");
	code.nullable = false;
	code.key_position = 2;
	TableDefinition table = Table({id, code, Named(My("int", "int(11)"), "n")});
	table.indexes.push_back(IndexDefinition{"by_n", true, {"n", "code"}, {}});
	const TargetDdl to_pg = CreateTableDdl(table, kMy, kPg, "dst");
	EXPECT_EQ(ColumnLine(to_pg, "id", kPg), "\"id\" bigint GENERATED BY DEFAULT AS IDENTITY NOT NULL");
	EXPECT_EQ(ColumnLine(to_pg, "code", kPg), "\"code\" character varying(10) NOT NULL");
	EXPECT_NE(to_pg.create.back().find("PRIMARY KEY (\"id\", \"code\")"), std::string::npos);
	ASSERT_EQ(to_pg.after_load.size(), 2U);
	EXPECT_EQ(to_pg.after_load[0], "CREATE UNIQUE INDEX \"t_by_n\" ON \"dst\".\"t\" (\"n\", \"code\")");
	EXPECT_EQ(to_pg.after_load[1],
	          "SELECT setval(pg_get_serial_sequence('\"dst\".\"t\"', 'id'), GREATEST(max(\"id\"), "
	          "1), max(\"id\") >= 1) FROM \"dst\".\"t\" HAVING max(\"id\") IS NOT NULL");

	TableDefinition pg_table = table;
	pg_table.columns[0] = id;
	pg_table.columns[0].base_type = "int8";
	pg_table.columns[0].type = "bigint";
	pg_table.columns[0].type_schema = "pg_catalog";
	pg_table.columns[1] = Named(Pg("text", "text"), "code");
	pg_table.columns[1].key_position = 2;
	pg_table.columns[2] = Named(Pg("int4", "integer"), "n");
	const TargetDdl to_my = CreateTableDdl(pg_table, kPg, kMy, "dst");
	EXPECT_EQ(ColumnLine(to_my, "id", kMy), "`id` BIGINT NOT NULL AUTO_INCREMENT");
	// An indexed text column needs a bounded type on MySQL: the key (id, code) and the
	// index (n, code) leave it 3,072 - 8 bytes.
	EXPECT_EQ(ColumnLine(to_my, "code", kMy),
	          "`code` VARCHAR(766) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin");
	EXPECT_NE(to_my.create.back().find("PRIMARY KEY (`id`, `code`)"), std::string::npos);
	EXPECT_EQ(to_my.after_load,
	          std::vector<std::string>{"CREATE UNIQUE INDEX `by_n` ON `dst`.`t` (`n`, `code`)"});
	EXPECT_EQ(to_my.notes,
	          std::vector<std::string>{"column `code` is indexed: it becomes VARCHAR(766), and longer "
	                                   "values are refused"});
}

TEST(CopyDdl, UnboundedColumnsShareAKeysBytes) {
	ColumnDefinition a = Named(Pg("text", "text"), "a");
	a.key_position = 1;
	ColumnDefinition b = Named(Pg("bytea", "bytea"), "b");
	b.key_position = 2;
	ColumnDefinition c = Named(Pg("varchar", "character varying(100)", 100), "c");
	c.key_position = 3;
	const TargetDdl ddl = CreateTableDdl(Table({a, b, c}), kPg, kMy, "dst");
	// 3,072 - 400 bytes for c, shared by a (as characters of 4 bytes) and b.
	EXPECT_EQ(ColumnLine(ddl, "a", kMy), "`a` VARCHAR(334) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin");
	EXPECT_EQ(ColumnLine(ddl, "b", kMy), "`b` VARBINARY(1336)");
	EXPECT_EQ(ColumnLine(ddl, "c", kMy), "`c` VARCHAR(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin");
	// A bounded column that alone needs more than a key holds is limited too.
	ColumnDefinition wide = Named(Pg("varchar", "character varying(1000)", 1000), "wide");
	wide.key_position = 1;
	const TargetDdl one = CreateTableDdl(Table({wide}), kPg, kMy, "dst");
	EXPECT_EQ(ColumnLine(one, "wide", kMy),
	          "`wide` VARCHAR(768) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin");
	EXPECT_EQ(one.notes,
	          std::vector<std::string>{"column `wide` is indexed: it becomes VARCHAR(768), and longer "
	                                   "values are refused"});
}

TEST(CopyDdl, DefaultsAreTranslatedOrLeftOutWithANote) {
	auto with_default = [](ColumnDefinition column, const std::string &name, const std::string &expression) {
		column.name = name;
		column.default_expression = expression;
		return column;
	};
	const TableDefinition pg = Table({
	    with_default(Pg("int4", "integer"), "n", "'-5'::integer"),
	    with_default(Pg("text", "text"), "s", "'it''s'::text"),
	    with_default(Pg("bool", "boolean"), "b", "true"),
	    with_default(Pg("timestamptz", "timestamp with time zone"), "at", "now()"),
	    with_default(Pg("timestamp", "timestamp without time zone"), "local", "CURRENT_TIMESTAMP"),
	    with_default(Pg("date", "date"), "d", "CURRENT_DATE"),
	    with_default(Pg("uuid", "uuid"), "u", "gen_random_uuid()"),
	    with_default(Pg("bytea", "bytea"), "bin", "'\\x00ff'::bytea"),
	    with_default(Pg("date", "date"), "far", "'infinity'::date"),
	    with_default(Pg("int4", "integer"), "f", "my_function()"),
	    with_default(Pg("text", "text"), "none", "NULL::text"),
	    with_default(Pg("int8", "bigint"), "shared", "nextval('shared_seq'::regclass)"),
	});
	const TargetDdl ddl = CreateTableDdl(pg, kPg, kMy, "dst");
	EXPECT_EQ(ColumnLine(ddl, "n", kMy), "`n` INT DEFAULT '-5'");
	EXPECT_EQ(ColumnLine(ddl, "s", kMy),
	          "`s` LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin DEFAULT 'it''s'");
	EXPECT_EQ(ColumnLine(ddl, "b", kMy), "`b` BOOLEAN DEFAULT '1'");
	EXPECT_EQ(ColumnLine(ddl, "at", kMy), "`at` DATETIME(6) DEFAULT (UTC_TIMESTAMP(6))");
	EXPECT_EQ(ColumnLine(ddl, "local", kMy), "`local` DATETIME(6) DEFAULT CURRENT_TIMESTAMP(6)");
	EXPECT_EQ(ColumnLine(ddl, "d", kMy), "`d` DATE DEFAULT (CURRENT_DATE)");
	EXPECT_EQ(ColumnLine(ddl, "u", kMy), "`u` UUID DEFAULT (UUID())");
	EXPECT_EQ(ColumnLine(ddl, "bin", kMy), "`bin` LONGBLOB DEFAULT X'00FF'");
	EXPECT_EQ(ColumnLine(ddl, "far", kMy), "`far` DATE");
	EXPECT_EQ(ColumnLine(ddl, "f", kMy), "`f` INT");
	EXPECT_EQ(ColumnLine(ddl, "none", kMy),
	          "`none` LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin");
	EXPECT_EQ(ColumnLine(ddl, "shared", kMy), "`shared` BIGINT");
	ASSERT_EQ(ddl.notes.size(), 3U);
	EXPECT_EQ(ddl.notes[0], "column `far`: default 'infinity'::date is left out: value infinity has no "
	                        "counterpart in MySQL DATE");
	EXPECT_EQ(ddl.notes[1],
	          "column `f`: default my_function() is left out: it is not a literal or a function "
	          "this copy translates");
	EXPECT_EQ(ddl.notes[2],
	          "column `shared`: default nextval('shared_seq'::regclass) is left out: the target has "
	          "no such sequence");

	const TableDefinition my = Table({
	    with_default(My("varchar", "varchar(10)", 10), "s", "'it\\'s'"),
	    with_default(My("timestamp", "timestamp(3)", 3), "at", "current_timestamp(3)"),
	    with_default(My("datetime", "datetime", 0), "local", "current_timestamp()"),
	    with_default(My("decimal", "decimal(5,2)", 5, 2), "price", "-1.50"),
	    with_default(My("bit", "bit(4)", 4), "bits", "b'101'"),
	    with_default(My("date", "date"), "zero", "'0000-00-00'"),
	});
	const TargetDdl to_pg = CreateTableDdl(my, kMy, kPg, "dst");
	EXPECT_EQ(ColumnLine(to_pg, "s", kPg), "\"s\" character varying(10) DEFAULT 'it''s'");
	EXPECT_EQ(ColumnLine(to_pg, "at", kPg), "\"at\" timestamp(3) with time zone DEFAULT CURRENT_TIMESTAMP");
	EXPECT_EQ(ColumnLine(to_pg, "local", kPg),
	          "\"local\" timestamp(0) without time zone DEFAULT LOCALTIMESTAMP");
	EXPECT_EQ(ColumnLine(to_pg, "price", kPg), "\"price\" numeric(5,2) DEFAULT '-1.5'");
	EXPECT_EQ(ColumnLine(to_pg, "bits", kPg), "\"bits\" bigint DEFAULT '5'");
	EXPECT_EQ(ColumnLine(to_pg, "zero", kPg), "\"zero\" date");
	ASSERT_EQ(to_pg.notes.size(), 1U);
	EXPECT_NE(to_pg.notes[0].find("zero or invalid date"), std::string::npos) << to_pg.notes[0];
}

TEST(CopyDdl, ColumnsWithoutCounterpartStopTheTable) {
	const TableDefinition table =
	    Table({Named(Pg("int4", "integer"), "id"), Named(Pg("interval", "interval"), "span")});
	try {
		CreateTableDdl(table, kPg, kMy, "dst");
		FAIL() << "interval was created";
	} catch (const Error &error) {
		EXPECT_STREQ(error.what(),
		             "PostgreSQL table src.t: column `span` (interval) cannot be copied: PostgreSQL "
		             "interval has no MySQL counterpart and no fingerprint");
	}
	EXPECT_THROW(CreateTableDdl(Table({Named(My("geometry", "geometry"), "g")}), kMy, kPg, "dst"), Error);
	EXPECT_THROW(CreateTableDdl(Table({Named(Pg("varbit", "bit varying(100)", 100), "b")}), kPg, kMy, "dst"),
	             Error);
}

TEST(CopyDdl, IndexNotesOfTheSourceAreKept) {
	TableDefinition table = Table({Named(Pg("int4", "integer"), "id")});
	table.notes.push_back("index `e` is not copied: it has an expression or a WHERE clause");
	EXPECT_EQ(CreateTableDdl(table, kPg, kMy, "dst").notes, table.notes);
}

TEST(CopySession, SettingsMakeTheTextExact) {
	const std::vector<std::string> pg = SessionSettings(kPg, true);
	for (const char *setting :
	     {"SET TimeZone = 'UTC'", "SET DateStyle = 'ISO, YMD'", "SET extra_float_digits = 3",
	      "SET bytea_output = 'hex'", "SET client_encoding = 'UTF8'"})
		EXPECT_NE(std::find(pg.begin(), pg.end(), setting), pg.end()) << setting;
	// A source reads every row or fails; a target's own policies are its business.
	EXPECT_NE(std::find(pg.begin(), pg.end(), "SET row_security = off"), pg.end());
	const std::vector<std::string> pg_target = SessionSettings(kPg, false);
	EXPECT_EQ(std::find(pg_target.begin(), pg_target.end(), "SET row_security = off"), pg_target.end());
	const std::vector<std::string> my = SessionSettings(kMy, false);
	EXPECT_NE(std::find(my.begin(), my.end(), "SET time_zone = '+00:00'"), my.end());
	bool strict = false;
	for (const std::string &setting : my)
		strict = strict || (setting.find("sql_mode") != std::string::npos &&
		                    setting.find("STRICT_ALL_TABLES") != std::string::npos &&
		                    setting.find("NO_BACKSLASH_ESCAPES") == std::string::npos &&
		                    setting.find("NO_AUTO_VALUE_ON_ZERO") != std::string::npos);
	EXPECT_TRUE(strict);
}

TEST(CopySession, SourceExpressionsReadExactText) {
	EXPECT_EQ(SourceExpression(kMy, Named(My("float", "float"), "f`x")), "CAST(`f``x` AS DOUBLE)");
	EXPECT_EQ(SourceExpression(kMy, Named(My("bit", "bit(4)", 4), "b")), "`b` + 0");
	EXPECT_EQ(SourceExpression(kMy, Named(My("double", "double"), "d")), "`d`");
	EXPECT_EQ(SourceExpression(kPg, Named(Pg("float4", "real"), "F\"")), "\"F\"\"\"");
}

} // namespace
} // namespace fingerprint::cli::copy
