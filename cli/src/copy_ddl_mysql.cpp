// --create-tables on MySQL/MariaDB (docs/copy-types.md, "PostgreSQL to MySQL"). Character
// columns are utf8mb4 with a binary no-pad collation, so that a primary key or unique
// index tells apart what PostgreSQL tells apart ('a', 'A' and 'a '); unbounded text is
// LONGTEXT, or a VARCHAR short enough for InnoDB's keys where an index needs it; timestamptz becomes
// DATETIME(n) holding UTC wall clock (its fingerprint is the same instant, and it holds the years 1000-9999
// where TIMESTAMP stops in 2038).
#include "copy_ddl_parts.hpp"

#include "cli_error.hpp"
#include "copy_types_sql.hpp"

#include <algorithm>
#include <map>

namespace fingerprint::cli::copy {

namespace {

constexpr Engine kMy = Engine::mysql;
constexpr const char *kText = " CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin";
constexpr const char *kFixedText = " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin";
// InnoDB's limits: 65,535 bytes for a row's VARCHARs together, 3,072 bytes for a key.
constexpr long long kRowBudget = 60000;
constexpr long long kKeyBytes = 3072;

std::string Sized(const char *name, long long size) {
	return std::string(name) + "(" + std::to_string(size) + ")";
}

struct TargetColumn {
	std::string type;
	TypeSpec spec;
};

struct Mapper {
	Engine source_engine;
	std::string column; // the source column's name, for notes
	bool indexed = false;
	long long key_bytes = -1;       // the bytes its keys leave it (KeyBudgets); -1: no limit
	long long *row_bytes = nullptr; // VARCHAR bytes of the row so far
	std::vector<std::string> *notes = nullptr;
};

// The TEXT or BLOB type that holds `bytes` bytes.
TargetColumn LobColumn(bool text, long long bytes, TypeSpec spec) {
	spec.max_chars = -1;
	spec.fixed = false;
	if (bytes >= 0 && bytes <= 65535) {
		spec.max_bytes = 65535;
		return {std::string(text ? "TEXT" : "BLOB"), spec};
	}
	if (bytes >= 0 && bytes <= 16777215) {
		spec.max_bytes = 16777215;
		return {std::string(text ? "MEDIUMTEXT" : "MEDIUMBLOB"), spec};
	}
	spec.max_bytes = 4294967295LL;
	return {std::string(text ? "LONGTEXT" : "LONGBLOB"), spec};
}

TargetColumn TextColumn(const TypeSpec &source, const Mapper &mapper) {
	TypeSpec spec = source;
	spec.charset = "utf8mb4";
	if (source.fixed && source.max_chars >= 0 && source.max_chars <= 255) {
		*mapper.row_bytes += source.max_chars * 4;
		return {Sized("CHAR", source.max_chars) + kFixedText, spec};
	}
	spec.fixed = false; // a longer char(n) loses its pads on the way (StringConverter)
	long long chars = source.max_chars;
	if (mapper.key_bytes >= 0 && (chars < 0 || chars * 4 > mapper.key_bytes)) {
		chars = mapper.key_bytes / 4;
		mapper.notes->push_back("column `" + mapper.column + "` is indexed: it becomes VARCHAR(" +
		                        std::to_string(chars) + "), and longer values are refused");
	}
	const bool fits = chars >= 0 && (mapper.indexed || *mapper.row_bytes + chars * 4 + 2 <= kRowBudget);
	if (fits) {
		*mapper.row_bytes += chars * 4 + 2;
		spec.max_chars = chars;
		spec.max_bytes = -1;
		return {Sized("VARCHAR", chars) + kText, spec};
	}
	TargetColumn lob = LobColumn(true, chars < 0 ? -1 : chars * 4, spec);
	lob.spec.max_chars = source.max_chars;
	lob.type += kText;
	return lob;
}

TargetColumn DecimalColumn(const TypeSpec &source, const ColumnDefinition &column, const Mapper &mapper) {
	TypeSpec spec = source;
	if (source.precision < 0) {
		spec.precision = 65;
		spec.scale = 30;
		mapper.notes->push_back(
		    "column `" + column.name +
		    "` (numeric without precision) becomes DECIMAL(65,30): values with more than 35 "
		    "integer or 30 fractional digits are refused");
		return {"DECIMAL(65,30)", spec};
	}
	// numeric(p,s) with a negative scale or a scale above p still needs p - s integer digits.
	const long long fraction = std::max(0, source.scale);
	const long long whole = std::max(0, source.precision - source.scale);
	spec.scale = static_cast<int>(std::min(fraction, 30LL));
	spec.precision = static_cast<int>(std::min(whole + spec.scale, 65LL));
	spec.precision = std::max(spec.precision, std::max(1, spec.scale));
	if (spec.scale != fraction || spec.precision != whole + fraction)
		mapper.notes->push_back("column `" + column.name + "` (" + column.type + ") becomes DECIMAL(" +
		                        std::to_string(spec.precision) + "," + std::to_string(spec.scale) +
		                        "), MySQL's largest: values that need more digits are refused");
	return {"DECIMAL(" + std::to_string(spec.precision) + "," + std::to_string(spec.scale) + ")" +
	            (source.is_unsigned ? " UNSIGNED" : ""),
	        spec};
}

std::string EnumList(const std::vector<std::string> &labels) {
	std::string list;
	for (const std::string &label : labels)
		list += (list.empty() ? "" : ",") + QuoteLiteral(kMy, label);
	return list;
}

TargetColumn EnumColumn(const TypeSpec &source, const ColumnDefinition &column, const Mapper &mapper) {
	// MySQL drops an ENUM label's trailing spaces: such labels travel as VARCHAR.
	bool keeps_labels = !column.labels.empty();
	long long longest = 1;
	for (const std::string &label : column.labels) {
		if (label.empty() || label.back() == ' ')
			keeps_labels = false;
		longest = std::max(longest, static_cast<long long>(label.size()));
	}
	if (keeps_labels)
		return {"ENUM(" + EnumList(column.labels) + ")" + kFixedText, source};
	mapper.notes->push_back("column `" + column.name +
	                        "` becomes VARCHAR: MySQL's ENUM would drop its labels' trailing spaces");
	TypeSpec text;
	text.kind = Kind::text;
	text.max_chars = longest;
	return TextColumn(text, mapper);
}

TargetColumn MapColumn(const ColumnDefinition &column, const Mapper &mapper) {
	const TypeSpec source = DescribeType(mapper.source_engine, column);
	TypeSpec spec = source;
	if (source.kind == Kind::json)
		return {"JSON", spec};
	// MySQL's own types are kept as they were written.
	if (mapper.source_engine == kMy) {
		std::string type = column.type;
		if (!column.charset.empty())
			type += " CHARACTER SET " + column.charset +
			        (column.collation.empty() ? "" : " COLLATE " + column.collation);
		return {type, spec};
	}
	static constexpr const char *kIntegers[] = {"", "TINYINT", "SMALLINT", "MEDIUMINT", "INT",
	                                            "", "",        "",         "BIGINT"};
	switch (source.kind) {
	case Kind::boolean:
		return {"BOOLEAN", spec};
	case Kind::integer:
		return {std::string(kIntegers[source.bytes]) + (source.is_unsigned ? " UNSIGNED" : ""), spec};
	case Kind::decimal:
		return DecimalColumn(source, column, mapper);
	case Kind::bits:
		return {Sized("BIT", std::max(1LL, source.max_bytes)), spec};
	case Kind::float4:
		return {"FLOAT", spec};
	case Kind::float8:
		return {"DOUBLE", spec};
	case Kind::text:
		return TextColumn(source, mapper);
	case Kind::binary:
		if (mapper.key_bytes >= 0 && (source.max_bytes < 0 || source.max_bytes > mapper.key_bytes)) {
			spec.max_bytes = mapper.key_bytes;
			mapper.notes->push_back("column `" + mapper.column + "` is indexed: it becomes VARBINARY(" +
			                        std::to_string(spec.max_bytes) + "), and longer values are refused");
			return {Sized("VARBINARY", spec.max_bytes), spec};
		}
		return LobColumn(false, source.max_bytes, spec);
	case Kind::uuid:
		return {"UUID", spec};
	case Kind::enumeration:
		return EnumColumn(source, column, mapper);
	case Kind::date:
		return {"DATE", spec};
	case Kind::timestamp:
	case Kind::timestamptz:
		spec.kind = Kind::timestamp;
		return {Sized("DATETIME", FractionDigits(source)), spec};
	case Kind::time:
		return {Sized("TIME", FractionDigits(source)), spec};
	default:
		break;
	}
	throw Error("column `" + column.name + "` (" + column.type + ") has no MySQL counterpart");
}

// AUTO_INCREMENT needs an integer column that leads an index when the table is created
// (the secondary indexes come after the load), and a table has one.
bool CanAutoIncrement(const TableDefinition &table, const ColumnDefinition &column, const TypeSpec &spec) {
	const std::vector<std::string> key = PrimaryKeyColumns(table);
	return spec.kind == Kind::integer && !key.empty() && key.front() == column.name;
}

// What each variable-length text or bytea column may take of InnoDB's 3,072 bytes per
// key when the key's columns would need more: in every key it is in (the primary key,
// each index) such columns share fairly what the others leave, the smallest keeping all
// they need (a utf8mb4 character counts 4 bytes, CHAR(n) 4n, any other column 8).
// Columns not in the map need no limit.
std::map<std::string, long long> KeyBudgets(const TableDefinition &table, Engine source_engine) {
	constexpr long long kUnbounded = 1LL << 40;
	std::vector<std::vector<std::string>> keys{PrimaryKeyColumns(table)};
	for (const IndexDefinition &index : table.indexes)
		keys.push_back(index.columns);
	std::map<std::string, long long> budgets;
	for (const std::vector<std::string> &key : keys) {
		long long fixed = 0;
		std::vector<std::pair<long long, std::string>> variable; // bytes needed, name
		for (const std::string &name : key) {
			for (const ColumnDefinition &column : table.columns) {
				if (column.name != name)
					continue;
				const TypeSpec spec = DescribeType(source_engine, column);
				if (spec.kind == Kind::text && !spec.fixed)
					variable.emplace_back(spec.max_chars < 0 ? kUnbounded : spec.max_chars * 4, name);
				else if (spec.kind == Kind::binary && !spec.fixed)
					variable.emplace_back(spec.max_bytes < 0 ? kUnbounded : spec.max_bytes, name);
				else
					fixed += spec.kind == Kind::text ? std::max(0LL, spec.max_chars) * 4 : 8;
			}
		}
		std::sort(variable.begin(), variable.end());
		long long left = kKeyBytes - fixed;
		for (std::size_t i = 0; i < variable.size(); ++i) {
			const long long share = std::max(4LL, left / static_cast<long long>(variable.size() - i) / 4 * 4);
			const long long need = variable[i].first;
			if (need > share) {
				const auto known = budgets.find(variable[i].second);
				budgets[variable[i].second] = known == budgets.end() ? share : std::min(known->second, share);
			}
			left -= std::min(need, share);
		}
	}
	return budgets;
}

} // namespace

TargetDdl MysqlTargetDdl(const TableDefinition &source, Engine source_engine, const std::string &schema) {
	TargetDdl ddl;
	const std::string table = QuoteName(kMy, schema) + "." + QuoteName(kMy, source.name);
	const std::set<std::string> indexed = IndexedColumns(source);
	const std::map<std::string, long long> key_budgets = KeyBudgets(source, source_engine);
	long long row_bytes = 0;
	bool has_auto_increment = false;
	std::string body;
	// Indexed columns first, so that the row's VARCHAR budget goes to the ones that need it.
	std::vector<std::string> lines(source.columns.size());
	for (int pass = 0; pass < 2; ++pass) {
		for (std::size_t i = 0; i < source.columns.size(); ++i) {
			const ColumnDefinition &column = source.columns[i];
			if ((indexed.count(column.name) != 0) != (pass == 0))
				continue;
			const auto budget = key_budgets.find(column.name);
			Mapper mapper{source_engine, column.name,
			              pass == 0,     budget == key_budgets.end() ? -1 : budget->second,
			              &row_bytes,    &ddl.notes};
			const TargetColumn target = MapColumn(column, mapper);
			std::string line = "    " + QuoteName(kMy, column.name) + " " + target.type;
			if (!column.nullable)
				line += " NOT NULL";
			if (column.auto_increment && !has_auto_increment &&
			    CanAutoIncrement(source, column, target.spec)) {
				line += " AUTO_INCREMENT";
				has_auto_increment = true;
			} else {
				if (column.auto_increment)
					ddl.notes.push_back(
					    "column `" + column.name +
					    "` gets no AUTO_INCREMENT: MySQL allows one, on an integer column that "
					    "leads the primary key");
				const std::optional<std::string> value =
				    TranslateDefault(source_engine, column, kMy, target.spec, target.type, &ddl.notes);
				if (value)
					line += " DEFAULT " + *value;
			}
			lines[i] = line;
		}
	}
	for (const std::string &line : lines)
		body += (body.empty() ? "" : ",\n") + line;
	const std::vector<std::string> key = PrimaryKeyColumns(source);
	if (!key.empty()) {
		std::string list;
		for (const std::string &name : key)
			list += (list.empty() ? "" : ", ") + QuoteName(kMy, name);
		body += ",\n    PRIMARY KEY (" + list + ")";
	}
	ddl.create.push_back("CREATE TABLE " + table + " (\n" + body +
	                     "\n) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4");
	for (const IndexDefinition &index : source.indexes) {
		std::string list;
		for (std::size_t i = 0; i < index.columns.size(); ++i) {
			const int prefix = i < index.prefixes.size() ? index.prefixes[i] : 0;
			list += (list.empty() ? "" : ", ") + QuoteName(kMy, index.columns[i]) +
			        (prefix > 0 ? "(" + std::to_string(prefix) + ")" : "");
		}
		std::string name = index.name.size() > 64 ? index.name.substr(0, 64) : index.name;
		ddl.after_load.push_back(std::string("CREATE ") + (index.unique ? "UNIQUE " : "") + "INDEX " +
		                         QuoteName(kMy, name) + " ON " + table + " (" + list + ")");
	}
	return ddl;
}

} // namespace fingerprint::cli::copy
