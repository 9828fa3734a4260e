// --create-tables on PostgreSQL (docs/copy-types.md, "MySQL to PostgreSQL"). Every
// type is chosen so that the fingerprint of each value stays what it was: integers one
// size up where MySQL's are unsigned (BIGINT UNSIGNED needs numeric(20,0)), TINYINT(1)
// stays an integer (it may hold 2), TIMESTAMP becomes timestamptz (both are instants),
// DATETIME timestamp (both wall clocks), JSON jsonb, ENUM an enum type of the same labels
// in the target schema, SET text (its fingerprint is its labels joined by commas).
#include "copy_ddl_parts.hpp"

#include "cli_error.hpp"
#include "copy_types_sql.hpp"

namespace fingerprint::cli::copy {

namespace {

constexpr Engine kPg = Engine::postgresql;

std::string Sized(const char *name, long long size) {
	return std::string(name) + "(" + std::to_string(size) + ")";
}

// A name PostgreSQL keeps as it is written: an enum type that has one is created under
// the same name, others are named after their table and column.
bool IsPlainName(const std::string &name) {
	if (name.empty() || name.size() > 63 || (name[0] >= '0' && name[0] <= '9'))
		return false;
	for (const char c : name)
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
			return false;
	return true;
}

std::string EnumTypeName(const TableDefinition &table, const ColumnDefinition &column, Engine source_engine) {
	if (source_engine == kPg && IsPlainName(column.base_type))
		return column.base_type;
	std::string name = table.name + "_" + column.name;
	if (name.size() > 63)
		name.resize(63);
	return name;
}

// Creates the enum type unless the target schema has it with the same labels already
// (a second table, a resumed copy); with other labels it is an error, never a silent
// mismatch.
std::string CreateEnumStatement(const std::string &schema, const std::string &name,
                                const std::vector<std::string> &labels) {
	std::string list;
	for (const std::string &label : labels)
		list += (list.empty() ? "" : ", ") + QuoteLiteral(kPg, label);
	const std::string where =
	    "n.nspname = " + QuoteLiteral(kPg, schema) + " AND t.typname = " + QuoteLiteral(kPg, name);
	const std::string qualified = QuoteName(kPg, schema) + "." + QuoteName(kPg, name);
	return "DO $fingerprint$ BEGIN\n"
	       "  IF NOT EXISTS (SELECT 1 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE " +
	       where + ") THEN\n    CREATE TYPE " + qualified + " AS ENUM (" + list +
	       ");\n"
	       "  ELSIF (SELECT array_agg(e.enumlabel::text ORDER BY e.enumsortorder) FROM pg_enum e\n"
	       "         JOIN pg_type t ON t.oid = e.enumtypid JOIN pg_namespace n ON n.oid = t.typnamespace "
	       "WHERE " +
	       where + ") IS DISTINCT FROM ARRAY[" + list +
	       "]::text[] THEN\n"
	       "    RAISE EXCEPTION 'type %.% exists with other labels', " +
	       QuoteLiteral(kPg, schema) + ", " + QuoteLiteral(kPg, name) +
	       ";\n"
	       "  END IF;\n"
	       "END $fingerprint$";
}

struct TargetColumn {
	std::string type;
	TypeSpec spec;
};

TargetColumn IntegerColumn(const TypeSpec &source) {
	TypeSpec spec = source;
	spec.is_unsigned = false;
	if (source.bytes <= 2 && !(source.bytes == 2 && source.is_unsigned)) {
		spec.bytes = 2;
		return {"smallint", spec};
	}
	if (source.bytes <= 4 && !(source.bytes == 4 && source.is_unsigned)) {
		spec.bytes = 4;
		return {"integer", spec};
	}
	if (source.bytes <= 4 || !source.is_unsigned) {
		spec.bytes = 8;
		return {"bigint", spec};
	}
	spec.kind = Kind::decimal;
	spec.precision = 20;
	spec.scale = 0;
	return {"numeric(20,0)", spec};
}

TargetColumn MapColumn(const TableDefinition &table, const ColumnDefinition &column, Engine source_engine,
                       const std::string &schema) {
	const TypeSpec source = DescribeType(source_engine, column);
	TypeSpec spec = source;
	// PostgreSQL's own built-in types are kept as they were written.
	if (source_engine == kPg && column.type_schema == "pg_catalog" && !column.is_domain)
		return {column.type, spec};
	switch (source.kind) {
	case Kind::boolean:
		return {"boolean", spec};
	case Kind::integer:
		return IntegerColumn(source);
	case Kind::decimal:
		spec.is_unsigned = false;
		if (source.precision < 0)
			return {"numeric", spec};
		return {"numeric(" + std::to_string(source.precision) + "," + std::to_string(source.scale) + ")",
		        spec};
	case Kind::bits: {
		if (source_engine == kPg)
			return {Sized(source.fixed ? "bit" : "bit varying", source.max_bytes), spec};
		TypeSpec integer;
		integer.kind = Kind::integer;
		integer.bytes = 8;
		integer.is_unsigned = source.max_bytes >= 64;
		return IntegerColumn(integer);
	}
	case Kind::year:
		spec.kind = Kind::integer;
		spec.bytes = 2;
		return {"smallint", spec};
	case Kind::float4:
		return {"real", spec};
	case Kind::float8:
		return {"double precision", spec};
	case Kind::text:
		spec.charset.clear();
		if (source.fixed)
			return {source.max_chars < 0 ? "bpchar" : Sized("character", std::max(1LL, source.max_chars)),
			        spec};
		if (source.max_chars >= 0) {
			spec.max_chars = std::max(1LL, source.max_chars);
			return {Sized("character varying", spec.max_chars), spec};
		}
		spec.max_bytes = -1;
		return {"text", spec};
	case Kind::binary:
		spec.max_bytes = -1;
		spec.fixed = false;
		return {"bytea", spec};
	case Kind::uuid:
		return {"uuid", spec};
	case Kind::enumeration:
		return {QuoteName(kPg, schema) + "." + QuoteName(kPg, EnumTypeName(table, column, source_engine)),
		        spec};
	case Kind::set:
		spec.kind = Kind::text;
		spec.max_chars = -1;
		spec.max_bytes = -1;
		return {"text", spec};
	case Kind::date:
		return {"date", spec};
	case Kind::timestamp:
		return {Sized("timestamp", FractionDigits(source)) + " without time zone", spec};
	case Kind::timestamptz:
		return {Sized("timestamp", FractionDigits(source)) + " with time zone", spec};
	case Kind::time:
		return {Sized("time", FractionDigits(source)) + " without time zone", spec};
	case Kind::json:
		spec.jsonb = source_engine == Engine::mysql || source.jsonb;
		return {spec.jsonb ? "jsonb" : "json", spec};
	case Kind::unsupported:
		break;
	}
	throw Error("column `" + column.name + "` (" + column.type + ") has no PostgreSQL counterpart");
}

bool IsIdentityType(const std::string &type) {
	return type == "smallint" || type == "integer" || type == "bigint";
}

} // namespace

TargetDdl PostgresTargetDdl(const TableDefinition &source, Engine source_engine, const std::string &schema) {
	TargetDdl ddl;
	const std::string table = QuoteName(kPg, schema) + "." + QuoteName(kPg, source.name);
	std::string body;
	std::vector<std::string> sequences; // after the indexes: setval of each identity
	for (const ColumnDefinition &column : source.columns) {
		const TargetColumn target = MapColumn(source, column, source_engine, schema);
		if (target.spec.kind == Kind::enumeration)
			ddl.create.push_back(
			    CreateEnumStatement(schema, EnumTypeName(source, column, source_engine), column.labels));
		std::string line = "    " + QuoteName(kPg, column.name) + " " + target.type;
		if (column.auto_increment && IsIdentityType(target.type)) {
			line += " GENERATED BY DEFAULT AS IDENTITY";
			// The next value follows the largest copied one; a sequence starts at 1, so
			// with only values below 1 it starts there (none of them is 1).
			const std::string max = "max(" + QuoteName(kPg, column.name) + ")";
			sequences.push_back("SELECT setval(pg_get_serial_sequence(" + QuoteLiteral(kPg, table) + ", " +
			                    QuoteLiteral(kPg, column.name) + "), GREATEST(" + max + ", 1), " + max +
			                    " >= 1) FROM " + table + " HAVING " + max + " IS NOT NULL");
		} else if (column.auto_increment) {
			ddl.notes.push_back("column `" + column.name + "` is " + target.type +
			                    ", which cannot be an identity column: it gets no automatic values");
		}
		if (!column.nullable)
			line += " NOT NULL";
		if (!column.auto_increment) {
			const std::optional<std::string> value =
			    TranslateDefault(source_engine, column, kPg, target.spec, target.type, &ddl.notes);
			if (value)
				line += " DEFAULT " + *value;
		}
		body += (body.empty() ? "" : ",\n") + line;
	}
	const std::vector<std::string> key = PrimaryKeyColumns(source);
	if (!key.empty()) {
		std::string list;
		for (const std::string &name : key)
			list += (list.empty() ? "" : ", ") + QuoteName(kPg, name);
		body += ",\n    PRIMARY KEY (" + list + ")";
	}
	ddl.create.push_back("CREATE TABLE " + table + " (\n" + body + "\n)");
	for (const IndexDefinition &index : source.indexes) {
		std::string list;
		for (std::size_t i = 0; i < index.columns.size(); ++i) {
			list += (list.empty() ? "" : ", ") + QuoteName(kPg, index.columns[i]);
			if (i < index.prefixes.size() && index.prefixes[i] > 0)
				ddl.notes.push_back("index `" + index.name + "` indexes a prefix of `" + index.columns[i] +
				                    "`: PostgreSQL indexes the whole column");
		}
		// MySQL index names are per table, PostgreSQL's per schema.
		const bool named_after_table = index.name.rfind(source.name + "_", 0) == 0;
		std::string name =
		    source_engine == kPg || named_after_table ? index.name : source.name + "_" + index.name;
		if (name.size() > 63)
			name.resize(63);
		ddl.after_load.push_back(std::string("CREATE ") + (index.unique ? "UNIQUE " : "") + "INDEX " +
		                         QuoteName(kPg, name) + " ON " + table + " (" + list + ")");
	}
	ddl.after_load.insert(ddl.after_load.end(), sequences.begin(), sequences.end());
	return ddl;
}

} // namespace fingerprint::cli::copy
