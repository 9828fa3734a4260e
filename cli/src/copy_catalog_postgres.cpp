// ReadTableDefinition for PostgreSQL, from the catalogs: pg_attribute with format_type
// for the type as written, the base type behind any chain of domains (with the first
// type modifier on the way, which is where a domain's varchar(20) keeps its 20),
// pg_attrdef for defaults, identity and serial columns, pg_index for the primary key and
// the plain secondary indexes, pg_enum for enum labels in their sort order.
#include "copy_types_sql.hpp"

#include "cli_error.hpp"

#include <vector>

namespace fingerprint::cli::copy {

namespace {

const char *const kTableSql = R"SQL(
SELECT c.oid::text, c.relkind::text
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = $1 AND c.relname = $2)SQL";

// One row per column: name, number, format_type, declared type's schema, is a domain,
// base typname, base typtype, effective typmod, string-like, NOT NULL, default, identity,
// owns a sequence, primary-key position, base type oid, generated.
const char *const kColumnsSql = R"SQL(
WITH RECURSIVE chain(attnum, typid, typmod, depth) AS (
    SELECT a.attnum, a.atttypid, a.atttypmod, 0
      FROM pg_attribute a
     WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped
    UNION ALL
    SELECT c.attnum, t.typbasetype, CASE WHEN c.typmod >= 0 THEN c.typmod ELSE t.typtypmod END, c.depth + 1
      FROM chain c JOIN pg_type t ON t.oid = c.typid AND t.typtype = 'd'),
base AS (SELECT DISTINCT ON (attnum) attnum, typid, typmod FROM chain ORDER BY attnum, depth DESC)
SELECT a.attname, a.attnum::text, format_type(a.atttypid, a.atttypmod), dn.nspname,
       (dt.typtype = 'd')::text, bt.typname, bt.typtype::text, b.typmod::text,
       (bt.typtype = 'b' AND bt.typcategory = 'S' AND bt.typlen = -1 AND EXISTS (
            SELECT 1 FROM pg_cast k
             WHERE k.castsource = bt.oid AND k.casttarget = 'text'::regtype AND k.castmethod = 'b'))::text,
       a.attnotnull::text, pg_get_expr(d.adbin, d.adrelid), a.attidentity::text,
       (pg_get_serial_sequence(a.attrelid::regclass::text, a.attname) IS NOT NULL)::text,
       (SELECT k.n FROM unnest(i.indkey) WITH ORDINALITY AS k(att, n) WHERE k.att = a.attnum)::text,
       bt.oid::text, a.attgenerated::text
  FROM pg_attribute a
  JOIN pg_type dt ON dt.oid = a.atttypid
  JOIN pg_namespace dn ON dn.oid = dt.typnamespace
  JOIN base b ON b.attnum = a.attnum
  JOIN pg_type bt ON bt.oid = b.typid
  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
  LEFT JOIN pg_index i ON i.indrelid = a.attrelid AND i.indisprimary
 WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped
 ORDER BY a.attnum)SQL";

const char *const kLabelsSql =
    "SELECT enumlabel FROM pg_enum WHERE enumtypid = $1::oid ORDER BY enumsortorder";

// One row per index key: index name, unique, column (NULL for an expression), key
// count, has expressions or a predicate, access method.
const char *const kIndexesSql = R"SQL(
SELECT ic.relname, i.indisunique::text, a.attname, i.indnkeyatts::text, k.n::text,
       (i.indexprs IS NOT NULL OR i.indpred IS NOT NULL)::text, am.amname
  FROM pg_index i
  JOIN pg_class ic ON ic.oid = i.indexrelid
  JOIN pg_am am ON am.oid = ic.relam
  CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(att, n)
  LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.att AND k.att > 0
 WHERE i.indrelid = $1::oid AND NOT i.indisprimary
 ORDER BY ic.relname, k.n)SQL";

const std::string &Field(const Row &row, std::size_t index) {
	static const std::string kEmpty;
	return index < row.size() && row[index] ? *row[index] : kEmpty;
}

bool True(const Row &row, std::size_t index) {
	return Field(row, index) == "true";
}

// precision/scale from the base type's modifier, as format_type reads it.
void ApplyTypmod(const std::string &base, int typmod, ColumnDefinition *column) {
	if (typmod < 0)
		return;
	if (base == "numeric" && typmod >= 4) {
		const int packed = typmod - 4;
		column->precision = (packed >> 16) & 0xffff;
		column->scale = ((packed & 0x7ff) ^ 1024) - 1024;
	} else if ((base == "varchar" || base == "bpchar") && typmod >= 4) {
		column->precision = typmod - 4;
	} else if (base == "timestamp" || base == "timestamptz" || base == "time" || base == "bit" ||
	           base == "varbit") {
		column->precision = typmod;
	}
}

ColumnDefinition ReadColumn(const Row &row, const QueryRows &query, std::vector<std::string> *notes) {
	ColumnDefinition column;
	column.name = Field(row, 0);
	column.position = std::stoi(Field(row, 1));
	column.type = Field(row, 2);
	column.type_schema = Field(row, 3);
	column.is_domain = True(row, 4);
	column.base_type = Field(row, 5);
	column.is_enum = Field(row, 6) == "e";
	ApplyTypmod(column.base_type, std::stoi(Field(row, 7)), &column);
	column.string_like = True(row, 8);
	column.nullable = !True(row, 9);
	if (row.size() > 10 && row[10])
		column.default_expression = *row[10];
	const bool identity = !Field(row, 11).empty();
	const bool serial =
	    True(row, 12) && column.default_expression && column.default_expression->rfind("nextval(", 0) == 0;
	column.auto_increment = identity || serial;
	if (serial)
		column.default_expression.reset(); // the sequence is the auto-increment itself
	column.key_position = Field(row, 13).empty() ? 0 : std::stoi(Field(row, 13));
	column.is_json = column.base_type == "json" || column.base_type == "jsonb";
	// A stored generated column's expression is in pg_attrdef too: it is no default.
	if (!Field(row, 15).empty() && column.default_expression) {
		notes->push_back("column `" + column.name + "` is GENERATED ALWAYS AS " + *column.default_expression +
		                 ": the copy holds its values in a plain column");
		column.default_expression.reset();
	}
	if (column.is_domain)
		notes->push_back("column `" + column.name + "` is of the domain " + column.type +
		                 ": the copy has its base type, without the domain's constraints");
	if (column.is_enum)
		for (const Row &label : query(kLabelsSql, {Field(row, 14)}))
			column.labels.push_back(Field(label, 0));
	return column;
}

void ReadIndexes(const QueryRows &query, const std::string &oid, TableDefinition *table) {
	struct Pending {
		IndexDefinition index;
		std::string why_not; // non-empty: the index is not copied
	};
	std::vector<Pending> pending; // rows come ordered by index name
	for (const Row &row : query(kIndexesSql, {oid})) {
		if (pending.empty() || pending.back().index.name != Field(row, 0))
			pending.push_back(Pending{IndexDefinition{Field(row, 0), True(row, 1), {}, {}}, ""});
		Pending &index = pending.back();
		if (std::stoi(Field(row, 4)) > std::stoi(Field(row, 3)))
			continue; // an INCLUDE column: the index is copied without it
		if (Field(row, 6) != "btree")
			index.why_not = "it is a " + Field(row, 6) + " index";
		else if (True(row, 5) || !row[2])
			index.why_not = "it has an expression or a WHERE clause";
		else
			index.index.columns.push_back(Field(row, 2));
	}
	for (Pending &index : pending) {
		if (index.why_not.empty())
			table->indexes.push_back(std::move(index.index));
		else
			table->notes.push_back("index `" + index.index.name + "` is not copied: " + index.why_not);
	}
}

} // namespace

TableDefinition ReadPostgresTable(const QueryRows &query, const std::string &schema,
                                  const std::string &table) {
	const std::string qualified = schema + "." + table;
	const std::vector<Row> found = query(kTableSql, {schema, table});
	if (found.empty())
		throw Error("PostgreSQL table " + qualified + " does not exist");
	const std::string &kind = Field(found[0], 1);
	if (kind != "r" && kind != "p")
		throw Error("PostgreSQL relation " + qualified + " is not a base table (relkind " + kind + ")");
	const std::string &oid = Field(found[0], 0);
	TableDefinition definition;
	definition.schema = schema;
	definition.name = table;
	for (const Row &row : query(kColumnsSql, {oid}))
		definition.columns.push_back(ReadColumn(row, query, &definition.notes));
	ReadIndexes(query, oid, &definition);
	return definition;
}

} // namespace fingerprint::cli::copy
