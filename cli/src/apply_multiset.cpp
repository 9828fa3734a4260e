#include "apply_multiset.hpp"

#include "migrate_apply.hpp"

#include <fingerprint/printable.hpp>
#include <fingerprint/row_image.hpp>

#include <string_view>

namespace fingerprint::cli::migrate {

namespace {

// Fingerprints per counting query: each is a 45-byte literal.
constexpr std::size_t kFingerprintsPerStatement = 500;

void Need(bool present, const Change &c, const char *what, const std::string &where) {
	if (!present)
		throw TableStop(where + ": change seq " + std::to_string(c.seq) + " (" + std::string(1, c.op) +
		                ") of a whole-row identity table carries no " + what);
}

Digest128 Digest(const std::string &fingerprint, const std::string &where) {
	Algorithm algorithm;
	Digest128 digest;
	if (ParseRowFingerprint(fingerprint, &algorithm, &digest) != Status::ok || algorithm != kDefaultAlgorithm)
		throw TableStop(where + ": unreadable row fingerprint '" + fingerprint + "'");
	return digest;
}

} // namespace

MultisetPlan PlanMultiset(const std::vector<const Change *> &changes, const std::string &where) {
	MultisetPlan plan;
	std::size_t start = 0;
	for (std::size_t i = 0; i < changes.size(); ++i)
		if (changes[i]->op == 'T') {
			start = i + 1;
			plan.truncate = true;
		}
	for (std::size_t i = start; i < changes.size(); ++i) {
		const Change &c = *changes[i];
		plan.changes.push_back(&c);
		if (c.op == 'U' || c.op == 'D') {
			Need(!c.old_fingerprint.empty(), c, "old row fingerprint", where);
			// The old row's image: the key image of a D, the old key image of a U (the
			// whole row is the key, so any change of a row changes its key).
			const std::string &old = c.op == 'D' ? c.key_image : c.old_key_image;
			Need(!old.empty(), c, "old row image", where);
			plan.delta[c.old_fingerprint] -= 1;
			plan.images.emplace(c.old_fingerprint, old);
		}
		if (c.op == 'I' || c.op == 'U') {
			Need(!c.new_fingerprint.empty() && !c.new_image.empty(), c, "new row", where);
			plan.delta[c.new_fingerprint] += 1;
			plan.images.emplace(c.new_fingerprint, c.new_image);
		}
	}
	return plan;
}

// The target side: counting and deleting rows by row fingerprint (a friend of
// TargetTable, which knows the columns and the fingerprint SQL).
class MultisetTarget {
  public:
	explicit MultisetTarget(TargetTable &table) : t_(table) {}

	// The target's number of rows with each of these fingerprints (absent: none).
	std::map<std::string, long long> Count(const std::map<std::string, std::string> &images) {
		std::map<std::string, long long> counts;
		std::vector<std::string> fingerprints;
		for (const auto &image : images)
			fingerprints.push_back(image.first);
		for (std::size_t begin = 0; begin < fingerprints.size(); begin += kFingerprintsPerStatement) {
			std::string list;
			for (std::size_t i = begin; i < std::min(fingerprints.size(), begin + kFingerprintsPerStatement);
			     ++i)
				list += (list.empty() ? "" : ", ") + t_.session_.Literal(fingerprints[i]);
			for (const Row &row : t_.session_.Query("SELECT fp, COUNT(*) FROM (SELECT " +
			                                            t_.row_fingerprint_ + " AS fp FROM " + t_.qualified_ +
			                                            " t) c WHERE fp IN (" + list + ") GROUP BY fp",
			                                        "counting rows of " + t_.name_))
				if (row[0] && row[1])
					counts[*row[0]] = std::atoll(row[1]->c_str());
		}
		return counts;
	}

	// Deletes one row with this image and fingerprint; false when there is none.
	bool DeleteOne(const std::string &image, const std::string &fingerprint) {
		const std::string match =
		    Filter(image) + t_.row_fingerprint_ + " = " + t_.session_.Literal(fingerprint);
		const std::string sql =
		    t_.session_.engine() == Engine::postgresql
		        ? "DELETE FROM " + t_.qualified_ + " WHERE ctid = (SELECT t.ctid FROM " + t_.qualified_ +
		              " t WHERE " + match + " LIMIT 1) RETURNING 1"
		        : "DELETE FROM " + t_.qualified_ + " WHERE " + match + " LIMIT 1 RETURNING 1";
		return !t_.session_.Query(sql, "deleting a row of " + t_.name_).empty();
	}

	void Insert(const std::string &image) { t_.InsertRows({image}); }

	// The row as a JSON object keyed by the target's column names, for messages.
	std::string RowJson(const std::string &image) const {
		std::vector<std::string_view> names;
		for (const TargetColumn &column : t_.columns_)
			names.push_back(column.name);
		std::string out;
		if (RenderImageJson(image.data(), image.size(), names.data(), names.size(), &out) != Status::ok)
			return TargetTable::KeyJson(image);
		return out;
	}

  private:
	// NULL-safe equality on the columns whose values compare exactly (integers, decimals,
	// booleans, dates, timestamps, times: so an index or a cheap comparison narrows the
	// rows whose fingerprint is computed); the fingerprint decides. Strings, floats,
	// bytes, bits and JSON are left to the fingerprint: collations, float text and json's
	// missing equality would make the filter unreliable.
	std::string Filter(const std::string &image) {
		std::vector<ImageValue> values;
		if (ReadImageValues(image.data(), image.size(), &values) != Status::ok ||
		    values.size() != t_.columns_.size())
			throw TableStop("table " + t_.name_ + ": a logged row image does not fit the target's " +
			                std::to_string(t_.columns_.size()) + " columns");
		const std::string row_json = TargetTable::KeyJson(image);
		std::string out;
		for (std::size_t i = 0; i < values.size(); ++i) {
			const TargetColumn &column = t_.columns_[i];
			const copy::Kind k = column.kind;
			const bool exact =
			    column.converter != nullptr &&
			    (k == copy::Kind::integer || k == copy::Kind::decimal || k == copy::Kind::boolean ||
			     k == copy::Kind::date || k == copy::Kind::timestamp || k == copy::Kind::timestamptz ||
			     k == copy::Kind::time);
			const std::string name = t_.session_.Name(column.name);
			if (values[i].tag == Tag::null)
				out += name + " IS NULL AND ";
			else if (exact && values[i].tag != Tag::invalid_temporal)
				out += name + " = " + t_.Literal(column, values[i], row_json) + " AND ";
		}
		return out;
	}

	TargetTable &t_;
};

std::string ApplyMultiset(TargetTable &target, const MultisetPlan &plan,
                          const std::string &target_fingerprint, const std::string &where) {
	MultisetTarget rows(target);
	AggregateState state = ParseTableState(target_fingerprint, where);
	std::map<std::string, long long> before; // empty after a TRUNCATE: every count starts at 0
	if (plan.truncate) {
		target.DeleteAll();
		AggregateInit(&state, kDefaultAlgorithm);
	} else {
		before = rows.Count(plan.images);
	}
	for (const Change *c : plan.changes) {
		if (c->op == 'U' || c->op == 'D') {
			const std::string &old = c->op == 'D' ? c->key_image : c->old_key_image;
			if (!rows.DeleteOne(old, c->old_fingerprint))
				throw TableStop(
				    where + ", change seq " + std::to_string(c->seq) + " (" + std::string(1, c->op) +
				    "): the target holds no row " + rows.RowJson(old) +
				    " to remove (whole-row identity): the target table was changed by someone else");
		}
		if (c->op == 'I' || c->op == 'U')
			rows.Insert(c->new_image);
	}
	const std::map<std::string, long long> after = rows.Count(plan.images);
	for (const auto &image : plan.images) {
		const std::string &fingerprint = image.first;
		const auto was = before.find(fingerprint);
		const auto is = after.find(fingerprint);
		const long long count_before = was == before.end() ? 0 : was->second;
		const long long count_after = is == after.end() ? 0 : is->second;
		const long long expected = count_before + plan.delta.at(fingerprint);
		if (count_after != expected)
			throw TableStop(where + ": the target holds " + std::to_string(count_after) + " row(s) " +
			                rows.RowJson(image.second) + " after the batch, the log leads to " +
			                std::to_string(expected) + " (" + std::to_string(count_before) +
			                " before; whole-row identity): the target table was changed by someone else");
		const Digest128 digest = Digest(fingerprint, where);
		for (long long n = 0; n < count_before; ++n)
			AggregateSubtract(&state, digest);
		for (long long n = 0; n < count_after; ++n)
			AggregateAdd(&state, digest);
	}
	return FormatTableState(state);
}

} // namespace fingerprint::cli::migrate
