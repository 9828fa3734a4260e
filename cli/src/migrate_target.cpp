#include "migrate_target.hpp"

#include "migrate_source.hpp"
#include "shown_text.hpp"
#include "text_list.hpp"

#include <fingerprint/printable.hpp>

#include <cstdlib>
#include <functional>
#include <unordered_map>

namespace fingerprint::cli::migrate {

namespace {

// Rows or keys per statement: each statement is sized by its bytes, so that a batch of
// small rows costs few round trips (and few parse and plan steps on the server), and
// no statement comes near MariaDB's default max_allowed_packet (16 MiB). The row cap
// keeps one statement's IN list or VALUES list of tiny keys within reason.
constexpr std::size_t kRowsPerStatement = 10000;
constexpr std::size_t kStatementBytes = 2 << 20;
// PostgreSQL's COPY data goes in pieces of about this size (the server parses one while
// the client makes the next).
constexpr std::size_t kCopyPieceBytes = 256 << 10;

std::string ImageFingerprint(const std::string &image) {
	char text[kMaxPrintableLength];
	const std::size_t length = FormatRowFingerprint(
	    kDefaultAlgorithm, HashImage(kDefaultAlgorithm, image.data(), image.size()), text);
	return std::string(text, length);
}

// Key fingerprint -> key image: rows come back in any order (a SELECT, a DELETE or an
// INSERT ... RETURNING) and are matched to their keys by the key's fingerprint, computed
// here once per key. Keyed by the digest, not its text: no string per key.
struct DigestHash {
	std::size_t operator()(const Digest128 &digest) const { return digest.lo ^ (digest.hi << 1); }
};
using KeysByFingerprint = std::unordered_map<Digest128, const std::string *, DigestHash>;

// Built when the first row comes back: a DELETE of keys that hold no row yet (a batch of
// inserts) returns none, and hashing every key for nothing cost 200,000 digests and map
// entries per 200,000 inserts.
class ByFingerprint {
  public:
	explicit ByFingerprint(const std::vector<std::string> &keys) : keys_(keys) {}
	const KeysByFingerprint &Map() {
		if (!built_) {
			map_.reserve(keys_.size());
			for (const std::string &key : keys_)
				map_.emplace(HashImage(kDefaultAlgorithm, key.data(), key.size()), &key);
			built_ = true;
		}
		return map_;
	}

  private:
	const std::vector<std::string> &keys_;
	KeysByFingerprint map_;
	bool built_ = false;
};

// Rows of (key fingerprint, row fingerprint) into `out` by key image, as QueryEach hands
// them out. `how` says how the rows came back, for messages. The first failure is kept
// and thrown by Finish, after the result was read to its end: the MySQL client streams
// it, and a throw from inside the visit would leave the connection out of step.
class Collector {
  public:
	Collector(ByFingerprint &keys, const std::string &table, const char *how, RowsByKey &out)
	    : keys_(keys), table_(table), how_(how), out_(out) {}

	void operator()(const RowView &row) {
		if (!failure_.empty())
			return;
		for (const auto &value : row)
			if (!value || value->compare(0, 7, "error: ") == 0) {
				failure_ = "table " + table_ + ": the target's row_fingerprint failed on a row " + how_ +
				           ": " + (value ? std::string(*value) : std::string("NULL"));
				return;
			}
		Algorithm algorithm;
		Digest128 digest;
		const KeysByFingerprint &keys = keys_.Map();
		const auto key =
		    ParseRowFingerprint(*row[0], &algorithm, &digest) == Status::ok && algorithm == kDefaultAlgorithm
		        ? keys.find(digest)
		        : keys.end();
		if (key == keys.end()) {
			failure_ = "table " + table_ + ": a row " + how_ + " has a key fingerprint (" +
			           std::string(*row[0]) + ") of no key asked for";
			return;
		}
		out_.emplace(*key->second, RowState{true, std::string(*row[1]), {}});
	}

	void Finish() const {
		if (!failure_.empty())
			throw TableStop(failure_);
	}

  private:
	ByFingerprint &keys_;
	const std::string &table_;
	const char *how_;
	RowsByKey &out_;
	std::string failure_;
};

void ReadValues(std::string_view image, std::vector<ImageValue> &values) {
	if (ReadImageValues(image.data(), image.size(), &values) != Status::ok)
		throw Error("a logged row image is malformed");
}

std::vector<ImageValue> Values(std::string_view image) {
	std::vector<ImageValue> values;
	ReadValues(image, values);
	return values;
}

std::vector<TargetColumn> DescribePg(Session &session, const std::string &qualified, const std::string &ext) {
	const std::string regclass = session.Literal(qualified) + "::regclass";
	const std::vector<Row> rows = session.Query(
	    "SELECT a.attname, format_type(a.atttypid, a.atttypmod),"
	    " CASE WHEN t.typtype = 'd' THEN (SELECT b.typname FROM pg_catalog.pg_type b WHERE b.oid = "
	    "t.typbasetype)"
	    " ELSE t.typname END, a.attgenerated <> '', a.attidentity = 'a', c.value_class, c.key_position"
	    " FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid"
	    " JOIN (SELECT * FROM " +
	        session.Name(ext) + ".table_columns(" + regclass +
	        ")) c ON c.column_name = a.attname"
	        " WHERE a.attrelid = " +
	        regclass + " AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
	    "reading the columns of " + qualified);
	std::vector<TargetColumn> columns;
	for (const Row &row : rows) {
		TargetColumn column;
		column.name = Text(row[0]);
		column.type = Text(row[1]);
		column.generated = Text(row[3]) == "t";
		column.identity_always = Text(row[4]) == "t";
		column.value_class = ParseValueClass(Text(row[5])).value_or(ValueClass::unsupported);
		column.key_position = std::atoi(Text(row[6]).c_str());
		columns.push_back(column);
	}
	return columns;
}

// MariaDB: the class letter and the UDF argument of each column, as the procedures make
// them (fingerprint.column_class / column_argument), so the UDF sees what it sees there.
std::vector<TargetColumn> DescribeMy(Session &session, const std::string &table,
                                     std::vector<std::string> &letters, std::vector<std::string> &arguments) {
	const std::string schema = session.Literal(session.Namespace()), name = session.Literal(table);
	const std::string is_json = "EXISTS (SELECT 1 FROM information_schema.CHECK_CONSTRAINTS k WHERE "
	                            "k.CONSTRAINT_SCHEMA = c.TABLE_SCHEMA"
	                            " AND k.TABLE_NAME = c.TABLE_NAME AND k.CHECK_CLAUSE = CONCAT('json_valid(', "
	                            "fingerprint.quote_name(c.COLUMN_NAME), ')'))";
	const std::vector<Row> rows = session.Query(
	    "SELECT c.COLUMN_NAME, c.COLUMN_TYPE, c.DATA_TYPE, c.EXTRA,"
	    " fingerprint.column_class(c.DATA_TYPE, c.COLUMN_TYPE, " +
	        is_json + "), fingerprint.column_argument(c.COLUMN_NAME, c.DATA_TYPE, c.COLUMN_TYPE, " + is_json +
	        ", c.CHARACTER_SET_NAME),"
	        " (SELECT s.SEQ_IN_INDEX FROM information_schema.STATISTICS s WHERE s.TABLE_SCHEMA = "
	        "c.TABLE_SCHEMA"
	        " AND s.TABLE_NAME = c.TABLE_NAME AND s.INDEX_NAME = 'PRIMARY' AND s.COLUMN_NAME = c.COLUMN_NAME)"
	        " FROM information_schema.COLUMNS c WHERE c.TABLE_SCHEMA = " +
	        schema + " AND c.TABLE_NAME = " + name + " ORDER BY c.ORDINAL_POSITION",
	    "reading the columns of " + session.Namespace() + "." + table);
	std::vector<TargetColumn> columns;
	for (const Row &row : rows) {
		TargetColumn column;
		column.name = Text(row[0]);
		column.type = Text(row[1]);
		column.generated = Text(row[3]).find("GENERATED") != std::string::npos;
		const std::string letter = Text(row[4]);
		column.value_class = ParseValueClass(letter.empty() ? "unsupported" : ClassNameOfLetter(letter[0]))
		                         .value_or(ValueClass::unsupported);
		column.key_position = std::atoi(Text(row[6]).c_str());
		letters.push_back(letter);
		arguments.push_back(Text(row[5]));
		columns.push_back(column);
	}
	return columns;
}

} // namespace

std::string ExtensionSchema(Session &session) {
	if (session.engine() != Engine::postgresql)
		return std::string();
	const Value schema = session.QueryValue("SELECT n.nspname FROM pg_catalog.pg_extension e JOIN"
	                                        " pg_catalog.pg_namespace n ON n.oid = e.extnamespace"
	                                        " WHERE e.extname = 'fingerprint'",
	                                        "looking up the fingerprint extension");
	if (!schema)
		throw Error(session.who() + ": the fingerprint extension is not installed in this database (CREATE"
		                            " EXTENSION fingerprint)");
	return *schema;
}

TargetTable::TargetTable(Session &session, const std::string &table, const std::string &ext_schema,
                         bool whole_row)
    : session_(session), name_(table), qualified_(session.Qualified(table)), ext_schema_(ext_schema) {
	const bool pg = session.engine() == Engine::postgresql;
	std::vector<std::string> letters, arguments;
	columns_ =
	    pg ? DescribePg(session, qualified_, ext_schema) : DescribeMy(session, table, letters, arguments);
	const std::string shown = session.Namespace() + "." + table;
	if (columns_.empty())
		throw Error(session.who() + ": table " + shown + " does not exist (or has no columns you may read)");
	for (std::size_t i = 0; whole_row && i < columns_.size(); ++i)
		key_.push_back(i);
	for (std::size_t position = 1; !whole_row; ++position) {
		bool found = false;
		for (std::size_t i = 0; i < columns_.size(); ++i)
			if (columns_[i].key_position == static_cast<int>(position)) {
				key_.push_back(i);
				found = true;
			}
		if (!found)
			break;
	}
	if (key_.empty())
		throw Error(session.who() + ": table " + shown +
		            " has no primary key: migrate applies changes by key");
	// Values are converted by copy's rules for each written column (apply_values.hpp).
	const copy::TableDefinition definition =
	    copy::ReadTableDefinition(pg ? copy::Engine::postgresql : copy::Engine::mysql,
	                              CatalogQueries(session), session.Namespace(), table);
	for (TargetColumn &column : columns_)
		for (const copy::ColumnDefinition &c : definition.columns)
			if (c.name == column.name && !column.generated) {
				try {
					PrepareConverter(session.engine(), c, column);
				} catch (const Error &error) {
					throw Error(session.who() + ": table " + shown + ": " + error.what());
				}
			}
	const std::string fp = pg ? session.Name(ext_schema) + ".row_fingerprint" : "row_fingerprint";
	// checked: MariaDB's fingerprint.checked() raises the UDF's error string as an error.
	// The row and key fingerprints (of reads, DELETE and INSERT ... RETURNING) leave it
	// out (a stored function call per value is slow): each fingerprint received is
	// checked here (Collect).
	auto fingerprint_of = [&](const std::vector<std::size_t> &indexes, bool checked) {
		std::string spec, list;
		for (const std::size_t i : indexes) {
			if (pg) {
				list += (list.empty() ? "" : ", ") + std::string("t.") + session.Name(columns_[i].name);
			} else {
				spec += letters[i];
				list += ", " + arguments[i];
			}
		}
		return pg        ? fp + "(ROW(" + list + "))"
		       : checked ? "fingerprint.checked(" + fp + "('xxh3:" + spec + "'" + list + "))"
		                 : fp + "('xxh3:" + spec + "'" + list + ")";
	};
	std::vector<std::size_t> all;
	for (std::size_t i = 0; i < columns_.size(); ++i) {
		all.push_back(i);
		column_fingerprint_.push_back(fingerprint_of({i}, true));
	}
	// PostgreSQL: t.*, the whole row even when a column is named t (which `t` would name).
	row_fingerprint_ = pg ? fp + "(t.*)" : fingerprint_of(all, false);
	key_fingerprint_ = fingerprint_of(key_, false);
	std::string list;
	bool overriding = false;
	for (const TargetColumn &column : columns_) {
		written_.push_back(!column.generated);
		overriding = overriding || column.identity_always;
		if (!column.generated)
			list += (list.empty() ? "" : ", ") + session.Name(column.name);
	}
	insert_head_ = "INSERT INTO " + qualified_ + " (" + list + ")" +
	               (overriding ? " OVERRIDING SYSTEM VALUE" : "") + " VALUES ";
	// COPY writes the given values of identity columns as OVERRIDING SYSTEM VALUE does.
	copy_head_ = "COPY " + qualified_ + " (" + list + ") FROM STDIN";
	if (pg && !whole_row)
		PrepareStage(list, overriding);
}

void TargetTable::CheckMatches(const std::vector<std::string> &names, const std::vector<std::string> &classes,
                               const std::vector<std::string> &key, const std::string &source_name) const {
	std::vector<std::string> target_names, target_classes, target_key;
	for (const TargetColumn &column : columns_) {
		target_names.push_back(column.name);
		target_classes.push_back(std::string(ValueClassName(column.value_class)));
	}
	for (const std::size_t i : key_)
		target_key.push_back(columns_[i].name);
	const std::string target_name = session_.Namespace() + "." + name_;
	if (target_names != names)
		throw Error("the columns of " + target_name + " (" + Join(target_names, ", ") +
		            ") are not those of " + source_name + " (" + Join(names, ", ") +
		            "): migrate needs the same columns in the same order");
	for (std::size_t i = 0; i < names.size(); ++i)
		if (i < classes.size() && target_classes[i] != classes[i])
			throw Error("column " + names[i] + " of " + target_name + " (" + columns_[i].type + ", class " +
			            target_classes[i] + ") cannot hold the values of " + source_name + "." + names[i] +
			            " (class " + classes[i] + ")");
	if (target_key != key)
		throw Error("the primary key of " + target_name + " (" + Join(target_key, ", ") +
		            ") is not the key " + source_name + " is captured by (" + Join(key, ", ") + ")");
}

std::string TargetTable::Literal(const TargetColumn &column, const ImageValue &value,
                                 const std::string &key_json) {
	std::string out, reason;
	if (!TargetLiteral(session_.engine(), column, value, out, reason))
		throw TableStop("target table " + session_.Namespace() + "." + name_ + ", key " + key_json +
		                ", column " + column.name + ": " + reason);
	return out;
}

template <typename KeyText>
void TargetTable::Check(bool appended, const TargetColumn &column, const KeyText &key_json) {
	if (!appended)
		throw TableStop("target table " + session_.Namespace() + "." + name_ + ", key " + key_json() +
		                ", column " + column.name + ": " + reason_);
}

template <typename KeyText>
void TargetTable::AppendChecked(const TargetColumn &column, const ImageValue &value, std::string &out,
                                const KeyText &key_json) {
	Check(AppendLiteral(session_.engine(), column, value, buffers_, out, reason_), column, key_json);
}

// PostgreSQL, a one-column key: "key = ANY('{...}')", one array literal that the server
// reads with the type's input function like COPY, where an IN list of 10,000 constants
// costs a parse node and a selectivity estimate each (measured: about 4 times the time
// of the lookups themselves). Otherwise "key IN (...)" (MariaDB reads an IN list fast).
std::string TargetTable::KeyCondition(const std::vector<std::string> &keys, std::size_t begin,
                                      std::size_t &end) {
	const bool array = session_.engine() == Engine::postgresql && key_.size() == 1;
	std::string head, list;
	for (const std::size_t i : key_)
		head += (head.empty() ? "" : ", ") + session_.Name(columns_[i].name);
	for (end = begin; end < keys.size() && end - begin < kRowsPerStatement && list.size() < kStatementBytes;
	     ++end) {
		const std::size_t k = end;
		std::vector<ImageValue> &values = values_;
		ReadValues(keys[k], values);
		if (values.size() != key_.size())
			throw TableStop("table " + name_ + ": a logged key has " + std::to_string(values.size()) +
			                " values, the primary key " + std::to_string(key_.size()) + " columns");
		// Appended in place: the key's JSON only for a message.
		const auto key_json = [&] { return KeyJson(keys[k]); };
		if (array) {
			if (!list.empty())
				list += ',';
			Check(AppendPgArrayElement(columns_[key_[0]], values[0], buffers_, list, reason_),
			      columns_[key_[0]], key_json);
			continue;
		}
		if (!list.empty())
			list += ", ";
		if (key_.size() > 1)
			list += '(';
		for (std::size_t v = 0; v < values.size(); ++v) {
			if (v > 0)
				list += ", ";
			AppendChecked(columns_[key_[v]], values[v], list, key_json);
		}
		if (key_.size() > 1)
			list += ')';
	}
	if (array)
		return head + " = ANY(" + session_.Literal("{" + list + "}") + ")";
	return (key_.size() > 1 ? "(" + head + ")" : head) + " IN (" + list + ")";
}

RowsByKey TargetTable::ReadRows(const std::vector<std::string> &keys) {
	ByFingerprint by_fingerprint(keys);
	RowsByKey rows;
	rows.reserve(keys.size());
	Collector collect(by_fingerprint, name_, "read back by key", rows);
	for (std::size_t begin = 0, end = 0; begin < keys.size(); begin = end) {
		const std::string condition = KeyCondition(keys, begin, end);
		session_.QueryEach("SELECT " + key_fingerprint_ + ", " + row_fingerprint_ + " FROM " + qualified_ +
		                       " t WHERE " + condition,
		                   "reading rows of " + name_, std::ref(collect));
		collect.Finish();
	}
	return rows;
}

std::vector<std::string> TargetTable::ReadRowFingerprints(const std::vector<std::string> &keys) {
	std::vector<std::string> fingerprints;
	fingerprints.reserve(keys.size());
	for (std::size_t begin = 0, end = 0; begin < keys.size(); begin = end) {
		const std::string condition = KeyCondition(keys, begin, end);
		for (const Row &row :
		     session_.Query("SELECT " + row_fingerprint_ + " FROM " + qualified_ + " t WHERE " + condition,
		                    "reading rows of " + name_)) {
			if (!row[0] || row[0]->compare(0, 7, "error: ") == 0)
				throw TableStop("table " + name_ +
				                ": the target's row_fingerprint failed on a row read back: " +
				                (row[0] ? *row[0] : std::string("NULL")));
			fingerprints.push_back(*row[0]);
		}
	}
	return fingerprints;
}

void TargetTable::DeleteAll() {
	// DELETE, not TRUNCATE: TRUNCATE would commit the apply transaction on MySQL.
	session_.Exec("DELETE FROM " + qualified_, "emptying " + name_ + " (TRUNCATE on the source)");
}

RowsByKey TargetTable::DeleteRows(const std::vector<std::string> &keys) {
	ByFingerprint by_fingerprint(keys);
	// MariaDB's single-table DELETE takes no alias; its fingerprint SQL names bare columns.
	const std::string target = session_.engine() == Engine::postgresql ? qualified_ + " t" : qualified_;
	RowsByKey rows;
	rows.reserve(keys.size());
	Collector collect(by_fingerprint, name_, "deleted by key", rows);
	for (std::size_t begin = 0, end = 0; begin < keys.size(); begin = end) {
		std::string sql = "DELETE FROM " + target + " WHERE ";
		sql += KeyCondition(keys, begin, end);
		sql += " RETURNING " + key_fingerprint_ + ", " + row_fingerprint_;
		session_.QueryEach(sql, "deleting rows of " + name_, std::ref(collect));
		collect.Finish();
	}
	return rows;
}

// PostgreSQL: COPY FROM STDIN (text format) in the apply transaction, which the
// server parses far faster than a VALUES list; MySQL: multi-row INSERTs, with RETURNING
// the stored rows' fingerprints when asked. Either way each value is the converter's
// text apply_values makes of it (a COPY field, or a literal).
void TargetTable::InsertRows(const std::vector<std::string_view> &images,
                             const std::vector<std::string> *keys, RowsByKey *stored) {
	if (session_.engine() == Engine::postgresql && stored != nullptr && !stage_insert_.empty()) {
		InsertStaged(images); // proven by WrittenAsExpected
		return;
	}
	WriteRows(images, keys, stored, copy_head_);
}

void TargetTable::WriteRows(const std::vector<std::string_view> &images, const std::vector<std::string> *keys,
                            RowsByKey *stored, const std::string &copy_head) {
	const bool copy = session_.engine() == Engine::postgresql;
	const bool returning = stored != nullptr && keys != nullptr && !copy;
	static const std::vector<std::string> no_keys;
	ByFingerprint by_fingerprint(returning ? *keys : no_keys);
	if (returning)
		stored->reserve(stored->size() + keys->size());
	std::string sql;
	// One buffer for every statement: a statement ends past kStatementBytes by one row.
	sql.reserve(copy ? kCopyPieceBytes + (kCopyPieceBytes >> 4) : kStatementBytes + (kStatementBytes >> 4));
	std::size_t rows = 0;
	// PostgreSQL: one COPY for all the rows, its data sent a piece at a time as it is made,
	// so that the server parses a piece while the next is built (a COPY per 10,000 rows
	// left the server idle while the client built each and the client idle while the
	// server parsed it). A refusal or a failed send ends the COPY before it is thrown.
	const std::string copy_what = "inserting rows into " + name_ + " (COPY)";
	struct CopyGuard {
		Session *session = nullptr;
		const std::string *what = nullptr;
		~CopyGuard() {
			if (session != nullptr)
				session->CopyEnd(*what, "abandoned by fingerprint migrate");
		}
	} copy_guard;
	if (copy && !images.empty()) {
		session_.CopyStart(copy_head, copy_what);
		copy_guard = CopyGuard{&session_, &copy_what};
	}
	auto flush = [&] {
		if (rows > 0) {
			if (copy) {
				session_.CopyData(sql, copy_what);
			} else if (returning) {
				Collector collect(by_fingerprint, name_, "inserted", *stored);
				sql += " RETURNING " + key_fingerprint_ + ", " + row_fingerprint_;
				session_.QueryEach(sql, "inserting rows into " + name_, std::ref(collect));
				collect.Finish();
			} else {
				session_.Exec(sql, "inserting rows into " + name_);
			}
		}
		sql.clear();
		rows = 0;
	};
	std::vector<ImageValue> &values = values_;
	// The row's key as JSON, for a message only.
	const auto key_json = [&] {
		std::string json = "[";
		for (std::size_t k = 0; k < key_.size(); ++k) {
			json += k == 0 ? "" : ",";
			AppendValueJson(values[key_[k]], &json);
		}
		return json + "]";
	};
	for (const std::string_view image : images) {
		ReadValues(image, values);
		if (values.size() != columns_.size())
			throw TableStop("table " + name_ + ": a logged row has " + std::to_string(values.size()) +
			                " values, the target table " + std::to_string(columns_.size()) + " columns");
		if (copy) { // each value as a COPY field (no allocation per value)
			bool first = true;
			for (std::size_t i = 0; i < values.size(); ++i)
				if (written_[i]) {
					if (!first)
						sql += '\t';
					first = false;
					Check(AppendCopyValue(columns_[i], values[i], buffers_, sql, reason_), columns_[i],
					      key_json);
				}
			sql += '\n';
			++rows;
			if (sql.size() >= kCopyPieceBytes)
				flush();
			continue;
		}
		// Each literal appended in place (apply_values.hpp AppendLiteral).
		sql += rows == 0 ? insert_head_ : std::string_view(", ");
		sql += '(';
		bool first = true;
		for (std::size_t i = 0; i < values.size(); ++i)
			if (written_[i]) {
				if (!first)
					sql += ", ";
				first = false;
				AppendChecked(columns_[i], values[i], sql, key_json);
			}
		sql += ')';
		if (++rows >= kRowsPerStatement || sql.size() >= kStatementBytes)
			flush();
	}
	flush();
	if (copy_guard.session != nullptr) {
		copy_guard.session = nullptr;
		session_.CopyEnd(copy_what);
	}
}

std::vector<Row> TargetTable::ReadByKey(const std::string &key, bool fingerprints, const std::string &what) {
	std::string select;
	for (std::size_t i = 0; i < columns_.size(); ++i)
		select += (i == 0 ? "" : ", ") + (fingerprints ? column_fingerprint_[i] + ", " : std::string()) +
		          (session_.engine() == Engine::postgresql ? "t." + session_.Name(columns_[i].name) + "::text"
		                                                   : "t." + session_.Name(columns_[i].name));
	std::size_t end = 0;
	return session_.Query(
	    "SELECT " + select + " FROM " + qualified_ + " t WHERE " + KeyCondition({key}, 0, end), what);
}

std::string TargetTable::Explain(const std::string &key, std::string_view image) {
	const std::vector<Row> rows = ReadByKey(key, true, "reading back a row");
	if (rows.empty())
		return "missing on the target";
	const std::vector<ImageValue> values = Values(image);
	for (std::size_t i = 0; i < columns_.size() && i < values.size(); ++i) {
		const std::string expected = ImageFingerprint(std::string(values[i].encoded));
		if (Text(rows[0][2 * i]) == expected)
			continue;
		std::string source;
		AppendValueJson(values[i], &source);
		return "column " + columns_[i].name + ": source " + source + ", target " +
		       (rows[0][2 * i + 1] ? Shown(*rows[0][2 * i + 1]) : std::string("NULL"));
	}
	return "every column reads back equal, but the row fingerprint differs";
}

std::string TargetTable::RowText(const std::string &key) {
	const std::vector<Row> rows = ReadByKey(key, false, "reading a row of " + name_ + " again");
	if (rows.empty())
		return "no row";
	std::string out;
	for (std::size_t i = 0; i < columns_.size() && i < rows[0].size(); ++i)
		out += (i == 0 ? "" : ", ") + columns_[i].name + " = " +
		       (rows[0][i] ? Shown(*rows[0][i]) : std::string("NULL"));
	return out;
}

std::string TargetTable::TableFingerprint() {
	if (session_.engine() == Engine::postgresql)
		return Text(session_.QueryValue("SELECT " + session_.Name(ext_schema_) + ".table_fingerprint(" +
		                                    session_.Literal(qualified_) + "::regclass)",
		                                "table_fingerprint of " + name_));
	return Text(session_.QueryValue("CALL fingerprint.table_fingerprint(" +
	                                    session_.Literal(session_.Namespace() + "." + name_) + ")",
	                                "fingerprint.table_fingerprint of " + name_));
}

std::string TargetTable::KeyJson(const std::string &key_image) {
	std::string out;
	if (RenderImageJson(key_image.data(), key_image.size(), nullptr, 0, &out) != Status::ok)
		return "(unreadable key)";
	return out;
}

} // namespace fingerprint::cli::migrate
