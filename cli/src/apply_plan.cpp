#include "apply_plan.hpp"

#include <unordered_set>
#include <utility>

namespace fingerprint::cli::migrate {

namespace {

std::size_t AfterLastTruncate(const std::vector<const Change *> &changes, bool *truncate) {
	std::size_t start = 0;
	*truncate = false;
	for (std::size_t i = 0; i < changes.size(); ++i)
		if (changes[i]->op == 'T') {
			start = i + 1;
			*truncate = true;
		}
	return start;
}

std::string Describe(const RowState &state) {
	return state.present ? "a row with fingerprint " + state.fingerprint : "no row";
}

} // namespace

TablePlan StartPlan(const std::vector<const Change *> &changes) {
	TablePlan plan;
	const std::size_t start = AfterLastTruncate(changes, &plan.truncate);
	std::unordered_set<std::string_view> seen; // views of the changes' key images
	seen.reserve(changes.size() - start);
	for (std::size_t i = start; i < changes.size(); ++i) {
		const Change &c = *changes[i];
		if (c.moved_key && seen.insert(c.old_key_image).second)
			plan.keys.push_back(c.old_key_image);
		if (seen.insert(c.key_image).second)
			plan.keys.push_back(c.key_image);
	}
	return plan;
}

void FinishPlan(const std::vector<const Change *> &changes, RowsByKey before, bool seam, TablePlan &plan) {
	bool truncate = false;
	const std::size_t start = AfterLastTruncate(changes, &truncate);
	// The rows before become the plan's rows (no second map, no copy of each row); every
	// key they lack is absent.
	RowsByKey rows = truncate ? RowsByKey{} : std::move(before);
	rows.reserve(plan.keys.size());
	for (const std::string &key : plan.keys)
		rows.try_emplace(key);
	// The first use of a key: the target must hold what the log says was there (present
	// with this fingerprint, or absent). Views, not a RowState: no copy per change.
	auto expect = [&](const Change &c, const std::string &key, RowState &found, bool present,
	                  std::string_view fingerprint) {
		if (std::exchange(found.checked, true) || !plan.conflict.empty())
			return;
		if (found.present == present && (!present || found.fingerprint == fingerprint))
			return;
		if (seam)
			return;
		plan.conflict_key = key;
		plan.conflict_seq = c.seq;
		plan.conflict_expected_present = present;
		plan.conflict_found_present = found.present;
		plan.conflict =
		    "the log expects " +
		    Describe(RowState{present, std::string(present ? fingerprint : std::string_view()), {}}) +
		    " on the target, which holds " + Describe(found);
	};
	// A row's new state; its `checked` stays.
	auto set = [](RowState &row, bool present, const std::string &fingerprint, std::string_view image) {
		row.present = present;
		row.fingerprint = fingerprint;
		row.image = image;
	};
	const std::string none;
	for (std::size_t i = start; i < changes.size(); ++i) {
		const Change &c = *changes[i];
		RowState &row = rows[c.key_image]; // references into the map stay valid as it grows
		switch (c.op) {
		case 'I':
			expect(c, c.key_image, row, false, {});
			set(row, true, c.new_fingerprint, c.new_image);
			break;
		case 'U':
			if (c.moved_key) {
				RowState &old_row = rows[c.old_key_image];
				expect(c, c.old_key_image, old_row, true, c.old_fingerprint);
				row.checked = true; // a swap's destination may be taken: no expectation
				if (old_row.present && old_row.fingerprint == c.old_fingerprint)
					set(old_row, false, none, {});
			} else {
				expect(c, c.key_image, row, true, c.old_fingerprint);
			}
			set(row, true, c.new_fingerprint, c.new_image);
			break;
		case 'D':
			expect(c, c.key_image, row, true, c.old_fingerprint);
			set(row, false, none, {});
			break;
		default:
			break;
		}
	}
	plan.last = std::move(rows);
}

std::vector<std::string> KeysToInsert(const TablePlan &plan) {
	return FinalRowsToInsert(plan).keys;
}

FinalRows FinalRowsToInsert(const TablePlan &plan) {
	FinalRows inserts;
	inserts.keys.reserve(plan.keys.size());
	inserts.rows.reserve(plan.keys.size());
	for (const std::string &key : plan.keys) {
		const RowState &row = plan.last.at(key);
		if (row.present) {
			inserts.keys.push_back(key);
			inserts.rows.push_back(&row);
		}
	}
	return inserts;
}

} // namespace fingerprint::cli::migrate
