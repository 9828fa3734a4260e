// The type rules of `fingerprint copy`: how a table of one engine is described, created
// and read on the other, and how each value travels so that it arrives exactly (the same
// value by the classes of docs/FORMAT.md) or is refused with a reason. Everything here is
// free of client-library headers: catalogs are read through a QueryRows callback, values
// are plain bytes. The plumbing (connections, snapshot, streaming, chunks, proof) is in
// copy_*.cpp and calls only what this header declares.
//
// Values travel as text: the source's select list (SourceExpression) makes each column's
// text unambiguous (PostgreSQL: COPY TO STDOUT text format, already un-escaped; MySQL:
// the raw bytes of a text-protocol result), a ValueConverter turns it into the exact
// input text the target's loader accepts for the target column (not yet escaped for
// COPY FROM STDIN or LOAD DATA), and NULL never reaches a converter.
#pragma once

#include <fingerprint/value_class.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fingerprint::cli::copy {

enum class Engine { postgresql, mysql };
const char *EngineName(Engine engine); // "PostgreSQL" / "MySQL"

// One column as its engine's catalog describes it.
struct ColumnDefinition {
	std::string name;
	int position = 0;                // ordinal, 1-based, dropped columns skipped
	std::string type;                // as the engine writes it: format_type() / COLUMN_TYPE
	std::string base_type;           // PostgreSQL: the base type's typname (domains unwrapped);
	                                 // MySQL: DATA_TYPE
	std::string type_schema;         // PostgreSQL: the schema of a user-defined type
	std::string charset;             // MySQL: CHARACTER_SET_NAME, "" when none
	std::string collation;           // MySQL: COLLATION_NAME, "" when none
	std::vector<std::string> labels; // ENUM / SET / PostgreSQL enum labels, in order
	int precision = -1;              // numeric precision, char length, fsp; -1 when none
	int scale = -1;                  // numeric scale; -1 when none
	bool is_unsigned = false;        // MySQL integer/decimal UNSIGNED
	bool nullable = true;
	std::optional<std::string> default_expression; // the engine's own text of the default
	bool auto_increment = false;                   // MySQL AUTO_INCREMENT / PostgreSQL identity or serial
	int key_position = 0;                          // 1-based in the primary key, 0 otherwise
	bool is_enum = false;                          // PostgreSQL enum type / MySQL ENUM
	bool is_json = false;                          // json/jsonb / MySQL JSON (MariaDB: LONGTEXT + json_valid)
	bool string_like = false;                      // PostgreSQL: a string-category type read as text (citext)
	bool is_domain = false;                        // PostgreSQL: declared as a domain over base_type
};

struct IndexDefinition {
	std::string name;
	bool unique = false;
	std::vector<std::string> columns; // in index order
	std::vector<int> prefixes;        // MySQL: SUB_PART per column (0: the whole column); may be empty
};

struct TableDefinition {
	std::string schema; // PostgreSQL schema / MySQL database
	std::string name;
	std::vector<ColumnDefinition> columns; // in ordinal order
	std::vector<IndexDefinition> indexes;  // secondary indexes (not the primary key)
	std::vector<std::string> notes;        // what was read but cannot be copied (an expression index)
	bool has_primary_key() const;
};

// Runs one catalog query and returns its rows as text (nullopt = SQL NULL). Parameters
// are written $1, $2, ... for PostgreSQL and ? for MySQL; the implementation binds them.
using Row = std::vector<std::optional<std::string>>;
using QueryRows =
    std::function<std::vector<Row>(const std::string &sql, const std::vector<std::string> &params)>;

// Reads a table's definition. Throws Error (cli_error.hpp) naming the table when it does
// not exist or is not a base table.
TableDefinition ReadTableDefinition(Engine engine, const QueryRows &query, const std::string &schema,
                                    const std::string &table);

// Statements each copy session runs before anything else (time zone UTC, ISO dates,
// exact float output, hex bytea, UTF-8, strict modes...).
std::vector<std::string> SessionSettings(Engine engine, bool source);

// --create-tables: the target's statements for a source table. `create` runs before the
// load (types such as PostgreSQL enums, then CREATE TABLE with the primary key, NOT
// NULL and defaults), `after_load` after it (secondary indexes). Throws Error naming
// the column and its type when a column has no exact counterpart on the target.
struct TargetDdl {
	std::vector<std::string> create;
	std::vector<std::string> after_load;
	// What the target does not get, one sentence each, for the caller to print: a default
	// that is not translated, an index that is skipped, an ON UPDATE clause.
	std::vector<std::string> notes;
};
TargetDdl CreateTableDdl(const TableDefinition &source, Engine source_engine, Engine target_engine,
                         const std::string &target_schema);

// The source's select-list expression for a column (its quoted name, or a cast that
// makes its text exact, such as MySQL FLOAT read as DOUBLE).
std::string SourceExpression(Engine source_engine, const ColumnDefinition &column);

// One column's conversion, decided once per (source column, target column) pair. It is
// immutable after construction, so one converter may serve several threads. Its output
// is the target's own text of the value: for PostgreSQL the input text of the type
// (bytea as \x hex, booleans t/f), for MySQL what LOAD DATA stores unchanged (binary
// and BIT columns as their raw bytes, BOOLEAN as 1/0, YEAR as four digits).
class ValueConverter {
  public:
	virtual ~ValueConverter() = default;
	// `in`: a non-NULL value as the source gave it. On success writes the target's input
	// text into `out` (cleared first) and returns true; when the target column cannot
	// hold the value exactly, returns false and says why in `reason` (the caller adds
	// table, key and column), e.g. "MariaDB zero date 0000-00-00 has no PostgreSQL date".
	virtual bool Convert(std::string_view in, std::string &out, std::string &reason) const = 0;
};

// Throws Error naming both columns and types when they are not of one value class or
// the target type cannot hold the source type's values at all (e.g. jsonb into INT).
std::unique_ptr<ValueConverter> MakeConverter(Engine source_engine, const ColumnDefinition &source,
                                              Engine target_engine, const ColumnDefinition &target);

// The same conversion into `target` for values that come from a change-log row image
// (`fingerprint migrate`): the source is the value class itself, each value given as
// its canonical text (docs/FORMAT.md; apply_values.hpp ImageValueText), so the target
// side (checks, refusals, the target's text) is the one copy uses. Throws Error naming
// the target column when it holds another class or cannot receive a copy at all.
std::unique_ptr<ValueConverter> MakeImageConverter(ValueClass value_class, Engine target_engine,
                                                   const ColumnDefinition &target);

} // namespace fingerprint::cli::copy
