// A column's type as both engines' rules need it: one engine-neutral description
// (TypeSpec) that the DDL of either target and every value converter are decided from, so
// that "what a PostgreSQL numeric(12,4) is" is written once, not once per direction.
#pragma once

#include "copy_types.hpp"

#include "fingerprint/value_class.hpp"

#include <string>

namespace fingerprint::cli::copy {

enum class Kind {
	boolean,     // PostgreSQL boolean (MySQL BOOLEAN is TINYINT(1): an integer)
	integer,     // every integer width; bytes, is_unsigned
	decimal,     // numeric/DECIMAL; precision/scale, -1 for PostgreSQL's unconstrained numeric
	bits,        // PostgreSQL bit/varbit, MySQL BIT: the unsigned integer of `length` bits
	year,        // MySQL YEAR
	float4,      // real / FLOAT
	float8,      // double precision / DOUBLE
	text,        // character data; max_chars/max_bytes, fixed for char(n)/CHAR(n)
	binary,      // bytea, BINARY/VARBINARY/BLOB; max_bytes, fixed for BINARY(n)
	uuid,        // PostgreSQL uuid / MariaDB UUID
	enumeration, // PostgreSQL enum / MySQL ENUM: labels
	set,         // MySQL SET: labels
	date,        // date / DATE
	timestamp,   // wall clock: timestamp / DATETIME
	timestamptz, // instant: timestamptz / TIMESTAMP
	time,        // time / TIME
	json,        // json, jsonb / JSON
	unsupported,
};

struct TypeSpec {
	Kind kind = Kind::unsupported;
	int bytes = 0;            // integer: 1, 2, 3, 4 or 8
	bool is_unsigned = false; // integer, decimal
	int precision = -1;       // decimal precision; fractional digits of a temporal type
	int scale = -1;           // decimal scale
	long long max_chars = -1; // text: the most characters a value may have; -1 unbounded
	long long max_bytes = -1; // text, binary: the most bytes; bits: the bit count; -1 unbounded
	bool fixed = false;       // char(n)/CHAR(n) (pad spaces dropped), BINARY(n) (zero padded)
	bool jsonb = false;       // PostgreSQL jsonb (as opposed to json)
	const std::vector<std::string> *labels = nullptr; // enumeration, set: the column's labels
	std::string charset;                              // MySQL character data: the column's character set
	std::string why; // unsupported: why ("PostgreSQL interval has no MySQL counterpart")
};

// The description of a column as its engine's catalog gave it.
TypeSpec DescribeType(Engine engine, const ColumnDefinition &column);

// The value class of docs/FORMAT.md a kind belongs to.
ValueClass ClassOf(Kind kind);

// Integer bounds as decimal text, for range checks on decimal text of any length.
const char *IntegerMin(int bytes, bool is_unsigned);
const char *IntegerMax(int bytes, bool is_unsigned);

// A temporal type's fractional digits: -1 (PostgreSQL without a declared precision)
// is 6; MySQL's catalog always states it.
int FractionDigits(const TypeSpec &spec);

} // namespace fingerprint::cli::copy
