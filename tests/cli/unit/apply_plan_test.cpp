// The replay plan of `fingerprint migrate` (cli/src/apply_plan.hpp): what one batch
// leaves on the target for each key it touches, and when the target contradicts the log.
#include "apply_plan.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace fingerprint::cli::migrate {
namespace {

// Keys and images are opaque bytes to the plan: short names keep the cases readable.
Change Insert(const std::string &key, const std::string &fp) {
	Change c;
	c.op = 'I';
	c.key_image = key;
	c.new_image = "row " + fp;
	c.new_fingerprint = fp;
	return c;
}
Change Update(const std::string &key, const std::string &old_fp, const std::string &fp) {
	Change c = Insert(key, fp);
	c.op = 'U';
	c.old_fingerprint = old_fp;
	return c;
}
Change Move(const std::string &from, const std::string &to, const std::string &old_fp,
            const std::string &fp) {
	Change c = Update(to, old_fp, fp);
	c.moved_key = true;
	c.old_key_image = from;
	return c;
}
Change Delete(const std::string &key, const std::string &old_fp) {
	Change c;
	c.op = 'D';
	c.key_image = key;
	c.old_fingerprint = old_fp;
	return c;
}
Change Truncate() {
	Change c;
	c.op = 'T';
	return c;
}

struct Result {
	TablePlan plan;
	std::vector<std::string> inserts; // every key in plan.keys is deleted first
};

Result Replay(const std::vector<Change> &changes, const RowsByKey &before, bool seam = false) {
	std::vector<const Change *> pointers;
	for (const Change &c : changes)
		pointers.push_back(&c);
	Result result;
	result.plan = StartPlan(pointers);
	FinishPlan(pointers, before, seam, result.plan);
	result.inserts = KeysToInsert(result.plan);
	return result;
}

RowState Row(const std::string &fp) {
	return RowState{true, fp, {}};
}

TEST(ApplyPlan, InsertUpdateDeleteOfOneKey) {
	const Result r =
	    Replay({Insert("1", "a"), Update("1", "a", "b"), Delete("1", "b"), Insert("1", "c")}, {});
	EXPECT_TRUE(r.plan.conflict.empty());
	EXPECT_EQ(r.plan.keys, std::vector<std::string>{"1"});
	EXPECT_TRUE(r.plan.last.at("1").present);
	EXPECT_EQ(r.plan.last.at("1").fingerprint, "c");
	EXPECT_EQ(r.inserts, std::vector<std::string>{"1"});
}

TEST(ApplyPlan, DeleteThenReinsertReplacesTheRow) {
	const Result r = Replay({Delete("1", "a"), Insert("1", "b")}, {{"1", Row("a")}});
	EXPECT_TRUE(r.plan.conflict.empty());
	EXPECT_EQ(r.plan.last.at("1").fingerprint, "b");
	EXPECT_EQ(r.inserts, std::vector<std::string>{"1"});
}

TEST(ApplyPlan, KeySwapOfADeferrableKey) {
	// UPDATE t SET id = 3 - id WHERE id IN (1, 2): logged 1 -> 2, then 2 -> 1.
	const Result r = Replay({Move("1", "2", "one", "one at 2"), Move("2", "1", "two", "two at 1")},
	                        {{"1", Row("one")}, {"2", Row("two")}});
	EXPECT_TRUE(r.plan.conflict.empty()) << r.plan.conflict;
	EXPECT_EQ(r.plan.last.at("1").fingerprint, "two at 1");
	EXPECT_EQ(r.plan.last.at("2").fingerprint, "one at 2");
	EXPECT_EQ(r.inserts.size(), 2u);
}

TEST(ApplyPlan, SwapThroughAFreeKey) {
	const Result r = Replay({Move("1", "0", "one", "one at 0"), Move("2", "1", "two", "two at 1"),
	                         Move("0", "2", "one at 0", "one at 2")},
	                        {{"1", Row("one")}, {"2", Row("two")}});
	EXPECT_TRUE(r.plan.conflict.empty()) << r.plan.conflict;
	EXPECT_FALSE(r.plan.last.at("0").present);
	EXPECT_EQ(r.plan.last.at("1").fingerprint, "two at 1");
	EXPECT_EQ(r.plan.last.at("2").fingerprint, "one at 2");
	EXPECT_EQ(r.plan.keys.size(), 3u); // 0 included: deleted (nothing there), never inserted
	EXPECT_EQ(r.inserts.size(), 2u);
}

TEST(ApplyPlan, TruncateKeepsOnlyWhatFollows) {
	const Result r = Replay({Insert("1", "a"), Truncate(), Insert("2", "b")}, {{"1", Row("a")}});
	EXPECT_TRUE(r.plan.truncate);
	EXPECT_EQ(r.plan.keys, std::vector<std::string>{"2"});
	EXPECT_EQ(r.inserts, std::vector<std::string>{"2"});
}

TEST(ApplyPlan, AnUnchangedRowIsWrittenBackAsItWas) {
	// Its row was deleted with every touched key (DELETE ... RETURNING read it): it goes
	// back with the log's final image, the fingerprint it had.
	const Result r = Replay({Update("1", "a", "b"), Update("1", "b", "a")}, {{"1", Row("a")}});
	EXPECT_TRUE(r.plan.conflict.empty());
	EXPECT_EQ(r.plan.last.at("1").fingerprint, "a");
	EXPECT_EQ(r.inserts, std::vector<std::string>{"1"});
}

TEST(ApplyPlan, ADeletedKeyIsNotInserted) {
	const Result r = Replay({Delete("1", "a"), Insert("2", "b"), Delete("2", "b")}, {{"1", Row("a")}});
	EXPECT_TRUE(r.plan.conflict.empty());
	EXPECT_EQ(r.plan.keys, (std::vector<std::string>{"1", "2"}));
	EXPECT_TRUE(r.inserts.empty());
}

TEST(ApplyPlan, ARowChangedOnTheTargetIsAConflict) {
	Result r = Replay({Update("1", "a", "b")}, {{"1", Row("someone else's")}});
	EXPECT_EQ(r.plan.conflict_key, "1");
	EXPECT_NE(r.plan.conflict.find("someone else's"), std::string::npos) << r.plan.conflict;
	r = Replay({Insert("1", "a")}, {{"1", Row("x")}});
	EXPECT_EQ(r.plan.conflict_key, "1");
	r = Replay({Delete("1", "a")}, {});
	EXPECT_EQ(r.plan.conflict_key, "1");
}

TEST(ApplyPlan, TheSeamAcceptsWhatTheCopyHolds) {
	// The copy may already hold this batch's result, or a state a later batch leads to.
	EXPECT_TRUE(
	    Replay({Insert("1", "a"), Update("1", "a", "b")}, {{"1", Row("b")}}, true).plan.conflict.empty());
	EXPECT_TRUE(Replay({Update("1", "a", "b"), Delete("1", "b")}, {}, true).plan.conflict.empty());
	const Result r = Replay({Update("1", "a", "b")}, {{"1", Row("c")}}, true);
	EXPECT_TRUE(r.plan.conflict.empty());
	EXPECT_EQ(r.plan.last.at("1").fingerprint, "b");
	EXPECT_EQ(r.inserts, std::vector<std::string>{"1"});
	EXPECT_FALSE(Replay({Update("1", "a", "b")}, {{"1", Row("c")}}, false).plan.conflict.empty());
}

} // namespace
} // namespace fingerprint::cli::migrate
