// The column check: which columns are compared, which key is used, and what is said
// when the two sides do not line up.
#include "column_check.hpp"

#include <gtest/gtest.h>

namespace fingerprint::cli {
namespace {

ColumnInfo Column(int position, std::string name, std::string value_class, int key_position = 0) {
	ColumnInfo column;
	column.position = position;
	column.name = std::move(name);
	column.data_type = "t";
	column.value_class = std::move(value_class);
	column.key_position = key_position;
	return column;
}

const std::vector<ColumnInfo> kSource{Column(1, "id", "exact", 1), Column(2, "Name", "string"),
                                      Column(3, "total", "exact")};
const std::vector<ColumnInfo> kTarget{Column(1, "ID", "exact", 1), Column(2, "name", "string"),
                                      Column(3, "total", "exact")};

TEST(ColumnCheck, MatchingTablesPairByAsciiCaseAndTakeThePrimaryKey) {
	const ColumnCheck check = CheckColumns(kSource, kTarget, {}, {});
	EXPECT_TRUE(check.problems.empty());
	EXPECT_TRUE(check.errors.empty());
	EXPECT_EQ(check.names, (std::vector<std::string>{"id", "Name", "total"}));
	EXPECT_EQ(check.source_options.key_columns, (std::vector<std::string>{"id"}));
	EXPECT_EQ(check.target_options.key_columns, (std::vector<std::string>{"ID"}));
}

TEST(ColumnCheck, ExcludedColumnsAreLeftOutOnTheSideThatResolvedThem) {
	ResolvedNames source{{"total"}, {}};
	ResolvedNames target{{"total"}, {}};
	const ColumnCheck check = CheckColumns(kSource, kTarget, source, target);
	EXPECT_EQ(check.names, (std::vector<std::string>{"id", "Name"}));
	EXPECT_EQ(check.source_options.exclude_columns, (std::vector<std::string>{"total"}));
	ResolvedNames only_source{{"total"}, {}};
	ResolvedNames none{{""}, {}};
	const ColumnCheck lopsided = CheckColumns(kSource, kTarget, only_source, none);
	ASSERT_EQ(lopsided.problems.size(), 1u);
	EXPECT_NE(lopsided.problems[0].find("only on the target"), std::string::npos);
}

TEST(ColumnCheck, TypeOrderAndUnsupportedColumnsAreNamed) {
	std::vector<ColumnInfo> target = kTarget;
	target[2].value_class = "approx";
	EXPECT_NE(CheckColumns(kSource, target, {}, {}).problems.at(0).find("`total`"), std::string::npos);
	std::vector<ColumnInfo> swapped{Column(1, "ID", "exact", 1), Column(2, "total", "exact"),
	                                Column(3, "name", "string")};
	EXPECT_NE(CheckColumns(kSource, swapped, {}, {}).problems.at(0).find("another order"), std::string::npos);
	std::vector<ColumnInfo> unsupported = kSource;
	unsupported[1].value_class = "unsupported";
	EXPECT_NE(CheckColumns(unsupported, kTarget, {}, {}).errors.at(0).find("--exclude-columns Name"),
	          std::string::npos);
}

TEST(ColumnCheck, KeyFromOptionsOrErrors) {
	ResolvedNames source{{}, {"total"}};
	ResolvedNames target{{}, {"total"}};
	EXPECT_EQ(CheckColumns(kSource, kTarget, source, target).key, (std::vector<std::string>{"total"}));
	ResolvedNames missing{{}, {""}};
	EXPECT_NE(
	    CheckColumns(kSource, kTarget, source, missing).errors.at(0).find("does not exist on the target"),
	    std::string::npos);
	std::vector<ColumnInfo> no_key{Column(1, "a", "exact")};
	EXPECT_NE(CheckColumns(no_key, no_key, {}, {}).errors.at(0).find("--key"), std::string::npos);
}

TEST(ColumnCheck, ResolveByNamePrefersTheExactNameAndRefusesAmbiguity) {
	const std::vector<ColumnInfo> columns{Column(1, "Id", "exact"), Column(2, "ID", "exact"),
	                                      Column(3, "name", "string"), Column(4, "\xC3\xA9", "string")};
	EXPECT_EQ(ResolveByName(columns, "ID"), "ID");
	EXPECT_EQ(ResolveByName(columns, "id"), ""); // Id or ID: only the exact name chooses
	EXPECT_EQ(ResolveByName(columns, "NAME"), "name");
	EXPECT_EQ(ResolveByName(columns, "e"), "");        // accents count
	EXPECT_EQ(ResolveByName(columns, "\xC3\x89"), ""); // É is not é on PostgreSQL
}

TEST(ColumnCheck, UnmatchedExcludesAreThoseNeitherSideHas) {
	ResolvedNames source{{"a", "", ""}, {}};
	ResolvedNames target{{"", "b", ""}, {}};
	EXPECT_EQ(UnmatchedExcludes({"A", "B", "C"}, source, target), (std::vector<std::string>{"C"}));
}

} // namespace
} // namespace fingerprint::cli
