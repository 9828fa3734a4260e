#include "migrate_source.hpp"

#include "cli_error.hpp"

#include <rapidjson/document.h>

#include <cstdlib>
#include <ctime>

namespace fingerprint::cli::migrate {

std::string ClassNameOfLetter(char letter) {
	switch (letter) {
	case 'i':
	case 'u':
	case 'd':
		return "exact";
	case 'f':
		return "approx";
	case 's':
	case 'c':
	case 'b':
	case 'U':
		return "string";
	case 'D':
		return "date";
	case 'T':
		return "timestamp";
	case 't':
		return "time";
	case 'j':
		return "json";
	default:
		return "unsupported";
	}
}

double ParseUtcTimestamp(const std::string &text) {
	std::tm tm{};
	int year = 0, month = 0, day = 0, hour = 0, minute = 0;
	double second = 0;
	if (std::sscanf(text.c_str(), "%d-%d-%d %d:%d:%lf", &year, &month, &day, &hour, &minute, &second) != 6)
		return 0;
	tm.tm_year = year - 1900;
	tm.tm_mon = month - 1;
	tm.tm_mday = day;
	tm.tm_hour = hour;
	tm.tm_min = minute;
	return static_cast<double>(timegm(&tm)) + second;
}

std::vector<std::string> ParseJsonStrings(const std::string &json) {
	rapidjson::Document document;
	document.Parse(json.c_str(), json.size());
	if (document.HasParseError() || !document.IsArray())
		throw Error("not a JSON array of names: " + json);
	std::vector<std::string> out;
	for (const auto &item : document.GetArray()) {
		if (!item.IsString())
			throw Error("not a JSON array of names: " + json);
		out.emplace_back(item.GetString(), item.GetStringLength());
	}
	return out;
}

std::map<std::string, std::string> ParseRefusals(const std::string &json) {
	rapidjson::Document document;
	document.Parse(json.c_str(), json.size());
	if (document.HasParseError() || !document.IsArray())
		throw Error("next_batch_per_table: not a JSON array of [table, message] pairs: " + json);
	std::map<std::string, std::string> out;
	for (const auto &pair : document.GetArray()) {
		if (!pair.IsArray() || pair.Size() != 2 || !pair[0].IsString() || !pair[1].IsString())
			throw Error("next_batch_per_table: not a JSON array of [table, message] pairs: " + json);
		out[std::string(pair[0].GetString(), pair[0].GetStringLength())] =
		    std::string(pair[1].GetString(), pair[1].GetStringLength());
	}
	return out;
}

std::vector<std::string> SplitCommas(const std::string &text) {
	std::vector<std::string> out;
	std::size_t start = 0;
	while (start <= text.size()) {
		std::size_t end = text.find(',', start);
		if (end == std::string::npos)
			end = text.size();
		out.push_back(text.substr(start, end - start));
		start = end + 1;
	}
	return out;
}

namespace {

// Why a registered table no longer fits its capture registration (a RENAME TABLE, DROP
// TABLE or a dropped or changed primary key since capture was enabled): the key columns
// capture identifies its rows by (`captured_key`) are no longer its primary key.
std::string KeyLoss(bool exists, const Value &primary_key, const std::string &captured_key) {
	if (!exists)
		return " no longer exists (renamed or dropped since capture was enabled; its capture"
		       " registration and triggers still name it)";
	if (!primary_key)
		return " has no primary key, but capture identifies its rows by the key " + captured_key +
		       " (the primary key was dropped since capture was enabled, or that key is another unique key)";
	return " has the primary key " + *primary_key + ", but capture identifies its rows by the key " +
	       captured_key + " (the primary key changed since capture was enabled)";
}

SourceTable DescribePg(Session &session, const std::string &table) {
	const std::string regclass = session.Literal(session.Qualified(table)) + "::regclass";
	const std::vector<Row> rows = session.Query(
	    "SELECT t.table_name, t.schema_version, array_to_json(t.column_names)::text,"
	    " array_to_json(t.column_classes)::text, array_to_json(t.key_columns)::text, t.identity,"
	    " (SELECT array_to_json(array_agg(a.attname ORDER BY k.ord))::text FROM pg_catalog.pg_index i"
	    "   CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY k(attnum, ord)"
	    "   JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum"
	    "  WHERE i.indrelid = " +
	        regclass + " AND i.indisprimary)" + " FROM fingerprint.capture_tables t WHERE t.relid = " +
	        regclass + " AND t.enabled ORDER BY t.schema_version DESC LIMIT 1",
	    "reading the capture registration of " + table);
	if (rows.empty())
		throw Error(session.who() + ": capture of " + session.Namespace() + "." + table +
		            " is not on: SELECT fingerprint_capture_enable('" + session.Namespace() + "." + table +
		            "')");
	SourceTable out;
	out.name = table;
	out.log_name = Text(rows[0][0]);
	out.schema_version = std::atoi(Text(rows[0][1]).c_str());
	out.column_names = ParseJsonStrings(Text(rows[0][2]));
	out.column_classes = ParseJsonStrings(Text(rows[0][3]));
	out.key_columns = ParseJsonStrings(Text(rows[0][4]));
	out.whole_row = Text(rows[0][5]) == "row";
	if (!out.whole_row && (!rows[0][6] || ParseJsonStrings(*rows[0][6]) != out.key_columns))
		throw Error(session.who() + ": table " + out.log_name + KeyLoss(true, rows[0][6], Text(rows[0][4])) +
		            ": migrate applies changes by the primary key");
	return out;
}

SourceTable DescribeMy(Session &session, const std::string &table) {
	const std::string log_name = session.Namespace() + "." + table;
	const std::vector<Row> rows = session.Query(
	    "SELECT s.schema_version, t.column_names, t.column_classes, t.key_columns, s.enabled, t.identity,"
	    " (SELECT GROUP_CONCAT(k.COLUMN_NAME ORDER BY k.SEQ_IN_INDEX SEPARATOR ',') FROM "
	    "information_schema.STATISTICS k"
	    "   WHERE k.TABLE_SCHEMA = " +
	        session.Literal(session.Namespace()) + " AND k.TABLE_NAME = " + session.Literal(table) +
	        " AND k.INDEX_NAME = 'PRIMARY')"
	        " FROM fingerprint.capture_state s JOIN fingerprint.capture_tables t"
	        " ON t.table_name = s.table_name AND t.schema_version = s.schema_version"
	        " WHERE BINARY s.table_name = BINARY " +
	        session.Literal(log_name),
	    "reading the capture registration of " + log_name);
	if (rows.empty() || Text(rows[0][4]) != "1")
		throw Error(session.who() + ": capture of " + log_name + " is not on: fingerprint capture enable " +
		            session.who().substr(session.who().find(' ') + 1) + " " + table);
	SourceTable out;
	out.name = table;
	out.log_name = log_name;
	out.schema_version = std::atoi(Text(rows[0][0]).c_str());
	out.column_names = SplitCommas(Text(rows[0][1]));
	for (const char letter : Text(rows[0][2]))
		out.column_classes.push_back(ClassNameOfLetter(letter));
	out.key_columns = SplitCommas(Text(rows[0][3]));
	out.whole_row = Text(rows[0][5]) == "row";
	if (!out.whole_row && (!rows[0][6] || SplitCommas(*rows[0][6]) != out.key_columns)) {
		const bool exists = session
		                        .QueryValue("SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = " +
		                                        session.Literal(session.Namespace()) +
		                                        " AND BINARY TABLE_NAME = BINARY " + session.Literal(table),
		                                    "looking up table " + log_name)
		                        .has_value();
		throw Error(session.who() + ": table " + log_name + KeyLoss(exists, rows[0][6], Text(rows[0][3])) +
		            "; capture of it is no longer usable: copy it again under a new --name");
	}
	return out;
}

// The columns of a PostgreSQL source's batch, read in binary format (QueryEach): their
// type OIDs in pg_type (int8, bpchar, text, int4, bytea, timestamptz), fixed since 1.0.
constexpr unsigned kInt8 = 20, kBpchar = 1042, kText = 25, kInt4 = 23, kBytea = 17, kTimestamptz = 1184;
const char kPgBatchColumns[] =
    "SELECT seq, op, table_name, schema_version, key_image, old_key_image, new_image,"
    " old_fingerprint, new_fingerprint, captured_at FROM fingerprint.batch_changes(";
const std::vector<unsigned> kPgBatchTypes = {kInt8,  kBpchar, kText, kInt4, kBytea,
                                             kBytea, kBytea,  kText, kText, kTimestamptz};
// PostgreSQL's timestamptz epoch (2000-01-01 UTC) in Unix seconds.
constexpr double kPgEpochUnixSeconds = 946684800.0;

// A big-endian binary integer of `size` bytes (PostgreSQL's int4/int8 send format).
std::uint64_t BigEndian(const std::optional<std::string_view> &value, std::size_t size, const char *column,
                        std::uint64_t seq) {
	if (!value || value->size() != size)
		throw Error("the change after seq " + std::to_string(seq) + " has " +
		            (value ? std::to_string(value->size()) + " bytes" : std::string("NULL")) + " in column " +
		            column + ", expected a " + std::to_string(size) + "-byte integer");
	std::uint64_t out = 0;
	for (const char byte : *value)
		out = (out << 8) | static_cast<unsigned char>(byte);
	return out;
}

std::string Bytes(const std::optional<std::string_view> &value) {
	return value ? std::string(*value) : std::string();
}

// A row of fingerprint.batch_changes in binary format: bytea columns are the image bytes
// themselves, so nothing is decoded but the three integers.
Change PgChange(const RowView &row, std::uint64_t previous_seq) {
	Change c;
	c.seq = BigEndian(row[0], 8, "seq", previous_seq);
	c.op = row[1] && !row[1]->empty() ? (*row[1])[0] : '?';
	c.table = Bytes(row[2]);
	c.schema_version =
	    static_cast<int>(static_cast<std::int32_t>(BigEndian(row[3], 4, "schema_version", c.seq)));
	c.key_image = Bytes(row[4]);
	c.moved_key = row[5].has_value();
	c.old_key_image = Bytes(row[5]);
	c.new_image = Bytes(row[6]);
	c.old_fingerprint = Bytes(row[7]);
	c.new_fingerprint = Bytes(row[8]);
	const auto micros = static_cast<std::int64_t>(BigEndian(row[9], 8, "captured_at", c.seq));
	c.captured_at = kPgEpochUnixSeconds + static_cast<double>(micros) / 1e6;
	return c;
}

// A row of CALL fingerprint.batch_changes: the columns of the view fingerprint.changes.
Change MyChange(const RowView &row) {
	Change c;
	c.seq = std::strtoull(Bytes(row[0]).c_str(), nullptr, 10);
	c.op = row[3] && !row[3]->empty() ? (*row[3])[0] : '?';
	c.table = Bytes(row[4]);
	c.schema_version = std::atoi(Bytes(row[5]).c_str());
	c.old_fingerprint = Bytes(row[11]);
	c.new_fingerprint = Bytes(row[12]);
	c.captured_at = ParseUtcTimestamp(Bytes(row[13]));
	c.key_image = Bytes(row[14]);
	c.moved_key = row[15].has_value();
	c.old_key_image = Bytes(row[15]);
	c.new_image = Bytes(row[16]);
	return c;
}

} // namespace

SourceTable Source::Describe(const std::string &table) {
	return session_.engine() == Engine::postgresql ? DescribePg(session_, table)
	                                               : DescribeMy(session_, table);
}

bool Source::ConsumerExists() {
	if (session_.engine() != Engine::postgresql)
		return true;
	return session_
	    .QueryValue("SELECT 1 FROM fingerprint.consumers WHERE consumer = " + session_.Literal(consumer_),
	                "looking up consumer " + consumer_)
	    .has_value();
}

void Source::Register(const std::string &snapshot) {
	if (session_.engine() != Engine::postgresql)
		return;
	session_.Exec(
	    "SELECT fingerprint.register_consumer(" + session_.Literal(consumer_) +
	        (snapshot.empty() ? std::string() : ", " + session_.Literal(snapshot) + "::pg_snapshot") + ")",
	    "registering consumer " + consumer_);
}

void Source::Unregister() {
	if (session_.engine() != Engine::postgresql)
		return;
	session_.Exec("SELECT fingerprint.unregister_consumer(" + session_.Literal(consumer_) + ")",
	              "unregistering consumer " + consumer_);
}

std::optional<std::uint64_t> Source::NextBatch(std::optional<unsigned> max_changes) {
	Value id;
	refusals_.clear();
	if (session_.engine() == Engine::postgresql) {
		id = session_.QueryValue("SELECT fingerprint.next_batch(" + session_.Literal(consumer_) + ")",
		                         "fingerprint.next_batch");
	} else {
		const std::vector<Row> rows =
		    session_.Query("CALL fingerprint.next_batch_per_table(" + session_.Literal(consumer_) + ", " +
		                       (max_changes ? std::to_string(*max_changes) : std::string("NULL")) + ")",
		                   "fingerprint.next_batch_per_table");
		if (!rows.empty() && !rows[0].empty())
			id = rows[0][0];
		if (!rows.empty() && rows[0].size() > 5 && rows[0][5])
			refusals_ = ParseRefusals(*rows[0][5]);
	}
	if (!id)
		return std::nullopt;
	return std::strtoull(id->c_str(), nullptr, 10);
}

std::vector<Change> Source::BatchChanges(std::uint64_t batch) {
	std::vector<Change> changes;
	const std::string what = "reading the changes of batch " + std::to_string(batch);
	if (session_.engine() == Engine::postgresql)
		session_.QueryEach(
		    kPgBatchColumns + session_.Literal(consumer_) + ", " + std::to_string(batch) + ")", what,
		    [&](const RowView &row) {
			    if (changes.empty())
				    changes.reserve(session_.RowsVisited());
			    try {
				    changes.push_back(PgChange(row, changes.empty() ? 0 : changes.back().seq));
			    } catch (const Error &error) {
				    throw Error(session_.who() + ": " + what + ": " + error.what());
			    }
		    },
		    kPgBatchTypes);
	else
		session_.QueryEach("CALL fingerprint.batch_changes(" + std::to_string(batch) + ")", what,
		                   [&](const RowView &row) { changes.push_back(MyChange(row)); });
	return changes;
}

void Source::FinishBatch(std::uint64_t batch) {
	const std::string args = session_.Literal(consumer_) + ", " + std::to_string(batch) + ")";
	session_.Exec(session_.engine() == Engine::postgresql ? "SELECT fingerprint.finish_batch(" + args
	                                                      : "CALL fingerprint.finish_batch(" + args,
	              "fingerprint.finish_batch of batch " + std::to_string(batch));
}

std::map<std::string, std::string> Source::StoredFingerprints() {
	std::map<std::string, std::string> out;
	if (session_.engine() == Engine::postgresql)
		return out;
	for (const Row &row : session_.Query("SELECT table_name, fingerprint FROM fingerprint.capture_state",
	                                     "reading fingerprint.capture_state"))
		if (row[0] && row[1])
			out[*row[0]] = *row[1];
	return out;
}

std::vector<std::string> Source::CapturedTables() {
	std::vector<std::string> out;
	if (session_.engine() == Engine::postgresql)
		return out;
	for (const Row &row : session_.Query("SELECT table_name FROM fingerprint.capture_state WHERE enabled",
	                                     "reading fingerprint.capture_state"))
		if (row[0])
			out.push_back(*row[0]);
	return out;
}

std::uint64_t Source::LastSeq() {
	if (session_.engine() == Engine::postgresql)
		return 0;
	return std::strtoull(Text(session_.QueryValue("SELECT COALESCE(MAX(seq), 0) FROM fingerprint.change_log",
	                                              "reading the log"))
	                         .c_str(),
	                     nullptr, 10);
}

std::uint64_t Source::LastFinishedBatch() {
	if (session_.engine() == Engine::postgresql)
		return 0;
	return std::strtoull(Text(session_.QueryValue("SELECT COALESCE(MAX(batch_id), 0) FROM "
	                                              "fingerprint.capture_batches WHERE finished_at IS NOT NULL",
	                                              "reading the log's batches"))
	                         .c_str(),
	                     nullptr, 10);
}

bool Source::HoldsChangesUpTo(std::uint64_t seq) {
	if (session_.engine() == Engine::postgresql || seq == 0)
		return false;
	return session_
	    .QueryValue("SELECT 1 FROM fingerprint.change_log WHERE seq <= " + std::to_string(seq) + " LIMIT 1",
	                "reading the log")
	    .has_value();
}

std::string Source::OtherConsumersBatch(std::uint64_t after, std::uint64_t before) {
	if (session_.engine() == Engine::postgresql)
		return std::string();
	const std::vector<Row> rows =
	    session_.Query("SELECT batch_id, consumer FROM fingerprint.capture_batches WHERE batch_id > " +
	                       std::to_string(after) + " AND batch_id < " + std::to_string(before) +
	                       " AND NOT (BINARY consumer <=> BINARY " + session_.Literal(consumer_) +
	                       ") ORDER BY batch_id DESC LIMIT 1",
	                   "reading the log's batches");
	if (rows.empty())
		return std::string();
	return "batch " + rows[0][0].value_or("?") + " of consumer '" + rows[0][1].value_or("") + "'";
}

void Source::Backlog(const std::vector<std::string> &log_names, std::uint64_t &changes, double &oldest) {
	std::string list;
	for (const std::string &name : log_names)
		list += (list.empty() ? "" : ", ") + session_.Literal(name);
	if (list.empty()) {
		changes = 0;
		oldest = 0;
		return;
	}
	std::vector<Row> rows;
	if (session_.engine() == Engine::postgresql)
		rows = session_.Query("SELECT count(*), COALESCE(extract(epoch FROM min(l.captured_at)), 0) FROM "
		                      "fingerprint.change_log l"
		                      " JOIN fingerprint.consumers c ON c.consumer = " +
		                          session_.Literal(consumer_) + " WHERE l.table_name IN (" + list +
		                          ") AND l.txid >= pg_snapshot_xmin(c.last_snapshot)"
		                          " AND NOT pg_visible_in_snapshot(l.txid, c.last_snapshot)",
		                      "counting the waiting changes");
	else
		rows = session_.Query("SELECT COUNT(*), COALESCE(UNIX_TIMESTAMP(MIN(captured_at)), 0)"
		                      " FROM fingerprint.change_log WHERE table_name IN (" +
		                          list + ")",
		                      "counting the waiting changes");
	changes = rows.empty() ? 0 : std::strtoull(Text(rows[0][0]).c_str(), nullptr, 10);
	oldest = rows.empty() ? 0 : std::strtod(Text(rows[0][1]).c_str(), nullptr);
}

} // namespace fingerprint::cli::migrate
