#include "copy_types_spec.hpp"

#include <initializer_list>

namespace fingerprint::cli::copy {

namespace {

TypeSpec Unsupported(std::string why) {
	TypeSpec spec;
	spec.why = std::move(why);
	return spec;
}

TypeSpec Of(Kind kind) {
	TypeSpec spec;
	spec.kind = kind;
	return spec;
}

TypeSpec Integer(int bytes, bool is_unsigned) {
	TypeSpec spec = Of(Kind::integer);
	spec.bytes = bytes;
	spec.is_unsigned = is_unsigned;
	return spec;
}

TypeSpec Text(long long max_chars, long long max_bytes, bool fixed) {
	TypeSpec spec = Of(Kind::text);
	spec.max_chars = max_chars;
	spec.max_bytes = max_bytes;
	spec.fixed = fixed;
	return spec;
}

TypeSpec Binary(long long max_bytes, bool fixed) {
	TypeSpec spec = Of(Kind::binary);
	spec.max_bytes = max_bytes;
	spec.fixed = fixed;
	return spec;
}

TypeSpec Temporal(Kind kind, int precision) {
	TypeSpec spec = Of(kind);
	spec.precision = precision;
	return spec;
}

bool OneOf(const std::string &value, std::initializer_list<const char *> names) {
	for (const char *name : names)
		if (value == name)
			return true;
	return false;
}

TypeSpec DescribePostgres(const ColumnDefinition &column) {
	const std::string &base = column.base_type;
	if (column.is_enum) {
		TypeSpec spec = Of(Kind::enumeration);
		spec.labels = &column.labels;
		return spec;
	}
	if (base == "bool")
		return Of(Kind::boolean);
	if (base == "int2")
		return Integer(2, false);
	if (base == "int4")
		return Integer(4, false);
	if (base == "int8")
		return Integer(8, false);
	if (base == "oid")
		return Integer(4, true);
	if (base == "numeric") {
		TypeSpec spec = Of(Kind::decimal);
		spec.precision = column.precision;
		spec.scale = column.precision < 0 ? -1 : column.scale;
		return spec;
	}
	if (base == "float4")
		return Of(Kind::float4);
	if (base == "float8")
		return Of(Kind::float8);
	if (base == "bpchar") // without a length (bare bpchar) of any length, pads still dropped
		return Text(column.precision, -1, true);
	if (base == "varchar")
		return Text(column.precision, -1, false);
	if (base == "text" || column.string_like)
		return Text(-1, -1, false);
	if (base == "name")
		return Text(63, 63, false);
	if (base == "char")
		return Text(1, 1, false);
	if (base == "bytea")
		return Binary(-1, false);
	if (base == "uuid")
		return Of(Kind::uuid);
	if (base == "date")
		return Of(Kind::date);
	if (base == "timestamp")
		return Temporal(Kind::timestamp, column.precision);
	if (base == "timestamptz")
		return Temporal(Kind::timestamptz, column.precision);
	if (base == "time")
		return Temporal(Kind::time, column.precision);
	if (base == "json" || base == "jsonb") {
		TypeSpec spec = Of(Kind::json);
		spec.jsonb = base == "jsonb";
		return spec;
	}
	if (base == "bit" || base == "varbit") {
		if (column.precision > 64)
			return Unsupported("a bit string of more than 64 bits is no number fingerprint knows");
		TypeSpec spec = Of(Kind::bits);
		spec.max_bytes = column.precision < 0 ? 64 : column.precision;
		spec.fixed = base == "bit";
		return spec;
	}
	if (base == "interval")
		return Unsupported("PostgreSQL interval has no MySQL counterpart and no fingerprint");
	return Unsupported("fingerprint cannot read PostgreSQL type " + column.type);
}

TypeSpec DescribeMysql(const ColumnDefinition &column) {
	const std::string &type = column.base_type; // DATA_TYPE
	if (column.is_json)
		return Of(Kind::json);
	if (type == "tinyint")
		return Integer(1, column.is_unsigned);
	if (type == "smallint")
		return Integer(2, column.is_unsigned);
	if (type == "mediumint")
		return Integer(3, column.is_unsigned);
	if (type == "int" || type == "integer")
		return Integer(4, column.is_unsigned);
	if (type == "bigint")
		return Integer(8, column.is_unsigned);
	if (type == "decimal" || type == "numeric") {
		TypeSpec spec = Of(Kind::decimal);
		spec.precision = column.precision;
		spec.scale = column.scale;
		spec.is_unsigned = column.is_unsigned;
		return spec;
	}
	if (type == "bit") {
		TypeSpec spec = Of(Kind::bits);
		spec.max_bytes = column.precision;
		spec.fixed = true;
		return spec;
	}
	if (type == "year")
		return Of(Kind::year);
	if (type == "float")
		return Of(Kind::float4);
	if (type == "double" || type == "real")
		return Of(Kind::float8);
	if (OneOf(type, {"char", "varchar", "tinytext", "text", "mediumtext", "longtext"})) {
		const bool is_text_family = type != "char" && type != "varchar";
		static constexpr long long kTextBytes[] = {255, 65535, 16777215, 4294967295LL};
		long long max_bytes = -1;
		if (is_text_family)
			max_bytes = kTextBytes[type == "tinytext"     ? 0
			                       : type == "text"       ? 1
			                       : type == "mediumtext" ? 2
			                                              : 3];
		TypeSpec spec = Text(is_text_family ? -1 : column.precision, max_bytes, type == "char");
		spec.charset = column.charset;
		return spec;
	}
	if (OneOf(type, {"binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob"}))
		return Binary(column.precision, type == "binary");
	if (type == "enum" || type == "set") {
		TypeSpec spec = Of(type == "enum" ? Kind::enumeration : Kind::set);
		spec.labels = &column.labels;
		spec.charset = column.charset;
		return spec;
	}
	if (type == "uuid")
		return Of(Kind::uuid);
	if (type == "date")
		return Of(Kind::date);
	if (type == "datetime")
		return Temporal(Kind::timestamp, column.precision);
	if (type == "timestamp")
		return Temporal(Kind::timestamptz, column.precision);
	if (type == "time")
		return Temporal(Kind::time, column.precision);
	return Unsupported("fingerprint cannot read MySQL type " + column.type);
}

} // namespace

TypeSpec DescribeType(Engine engine, const ColumnDefinition &column) {
	return engine == Engine::postgresql ? DescribePostgres(column) : DescribeMysql(column);
}

ValueClass ClassOf(Kind kind) {
	switch (kind) {
	case Kind::boolean:
	case Kind::integer:
	case Kind::decimal:
	case Kind::bits:
	case Kind::year:
		return ValueClass::exact;
	case Kind::float4:
	case Kind::float8:
		return ValueClass::approx;
	case Kind::text:
	case Kind::binary:
	case Kind::uuid:
	case Kind::enumeration:
	case Kind::set:
		return ValueClass::string;
	case Kind::date:
		return ValueClass::date;
	case Kind::timestamp:
	case Kind::timestamptz:
		return ValueClass::timestamp;
	case Kind::time:
		return ValueClass::time;
	case Kind::json:
		return ValueClass::json;
	case Kind::unsupported:
		break;
	}
	return ValueClass::unsupported;
}

const char *IntegerMin(int bytes, bool is_unsigned) {
	if (is_unsigned)
		return "0";
	switch (bytes) {
	case 1:
		return "-128";
	case 2:
		return "-32768";
	case 3:
		return "-8388608";
	case 4:
		return "-2147483648";
	default:
		return "-9223372036854775808";
	}
}

const char *IntegerMax(int bytes, bool is_unsigned) {
	switch (bytes) {
	case 1:
		return is_unsigned ? "255" : "127";
	case 2:
		return is_unsigned ? "65535" : "32767";
	case 3:
		return is_unsigned ? "16777215" : "8388607";
	case 4:
		return is_unsigned ? "4294967295" : "2147483647";
	default:
		return is_unsigned ? "18446744073709551615" : "9223372036854775807";
	}
}

int FractionDigits(const TypeSpec &spec) {
	return spec.precision < 0 ? 6 : spec.precision;
}

} // namespace fingerprint::cli::copy
