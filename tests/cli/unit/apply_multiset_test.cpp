// The multiset plan of `fingerprint migrate` for a table with whole-row identity
// (cli/src/apply_multiset.hpp): what a batch does to the count of each distinct row.
#include "apply_multiset.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace fingerprint::cli::migrate {
namespace {

// Images and fingerprints are opaque to the plan: short names keep the cases readable.
Change Insert(const std::string &row) {
	Change c;
	c.op = 'I';
	c.key_image = c.new_image = "image " + row;
	c.new_fingerprint = "fp " + row;
	return c;
}
Change Update(const std::string &from, const std::string &to) {
	Change c = Insert(to);
	c.op = 'U';
	c.moved_key = true;
	c.old_key_image = "image " + from;
	c.old_fingerprint = "fp " + from;
	return c;
}
Change Delete(const std::string &row) {
	Change c;
	c.op = 'D';
	c.key_image = "image " + row;
	c.old_fingerprint = "fp " + row;
	return c;
}
std::vector<const Change *> Pointers(const std::vector<Change> &changes) {
	std::vector<const Change *> out;
	for (const Change &c : changes)
		out.push_back(&c);
	return out;
}

TEST(ApplyMultiset, DuplicatesCountNeverCompact) {
	// Two identical rows inserted, one of them updated, the other deleted, one more.
	const std::vector<Change> changes = {Insert("a"), Insert("a"), Update("a", "b"), Delete("a"),
	                                     Insert("a")};
	const MultisetPlan plan = PlanMultiset(Pointers(changes), "batch 1");
	EXPECT_FALSE(plan.truncate);
	EXPECT_EQ(plan.changes.size(), 5u); // every change, in log order
	EXPECT_EQ(plan.delta.at("fp a"), 1);
	EXPECT_EQ(plan.delta.at("fp b"), 1);
	EXPECT_EQ(plan.images.at("fp a"), "image a");
	EXPECT_EQ(plan.images.at("fp b"), "image b");
}

TEST(ApplyMultiset, DeletesOfRowsTheBatchDidNotInsert) {
	const std::vector<Change> changes = {Delete("a"), Delete("a"), Update("c", "a")};
	const MultisetPlan plan = PlanMultiset(Pointers(changes), "batch 2");
	EXPECT_EQ(plan.delta.at("fp a"), -1);
	EXPECT_EQ(plan.delta.at("fp c"), -1);
}

TEST(ApplyMultiset, OnlyTheChangesAfterTheLastTruncate) {
	Change truncate;
	truncate.op = 'T';
	const std::vector<Change> changes = {Insert("a"), truncate, Insert("b"), Insert("b")};
	const MultisetPlan plan = PlanMultiset(Pointers(changes), "batch 3");
	EXPECT_TRUE(plan.truncate);
	EXPECT_EQ(plan.changes.size(), 2u);
	EXPECT_EQ(plan.delta.count("fp a"), 0u);
	EXPECT_EQ(plan.delta.at("fp b"), 2);
}

TEST(ApplyMultiset, AChangeWithoutItsOldRowStopsTheTable) {
	Change update = Update("a", "b");
	update.old_key_image.clear();
	const std::vector<Change> changes = {update};
	try {
		PlanMultiset(Pointers(changes), "batch 4, table s.t");
		FAIL() << "no error";
	} catch (const TableStop &stop) {
		EXPECT_NE(std::string(stop.what()).find("batch 4, table s.t: change seq 0 (U)"), std::string::npos)
		    << stop.what();
		EXPECT_NE(std::string(stop.what()).find("old row image"), std::string::npos) << stop.what();
	}
}

} // namespace
} // namespace fingerprint::cli::migrate
