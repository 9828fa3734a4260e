// Random rows never collide across field boundaries: the encoding is type-tagged and
// length-prefixed, so moving bytes between fields, NULL against '' or 0, or shifting a
// NULL to another column always changes the row hash.
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <random>
#include <cstring>
#include <map>
#include <set>
#include <vector>

namespace fingerprint::testing {
namespace {

std::string Row(const std::vector<const char *> &values) {
	RowHasher hasher;
	for (const char *v : values) {
		if (v == nullptr)
			hasher.AddNull();
		else
			EXPECT_EQ(hasher.AddText(v, std::strlen(v), true), Status::ok);
	}
	return RowHex(hasher);
}

TEST(Property, KnownCollisionsOfOtherToolsDoNotCollide) {
	EXPECT_NE(Row({"x0", "y"}), Row({"x", "0y"}));
	EXPECT_NE(Row({"a|b", "c"}), Row({"a", "b|c"}));
	EXPECT_NE(Row({nullptr, "a"}), Row({"a", nullptr}));
	EXPECT_NE(Row({"NULL"}), Row({nullptr}));
	EXPECT_NE(Row({""}), Row({nullptr}));
	EXPECT_NE(Row({"a"}), Row({"a", nullptr}));
	RowHasher zero, empty, null, no_value;
	zero.AddInt64(0);
	ASSERT_EQ(empty.AddText("", 0, true), Status::ok);
	null.AddNull();
	const std::set<std::string> distinct = {RowHex(zero), RowHex(empty), RowHex(null), RowHex(no_value)};
	EXPECT_EQ(distinct.size(), 4u);
}

TEST(Property, SplittingAStringDifferentlyAlwaysChangesTheHash) {
	std::mt19937 rng(2024);
	std::set<std::string> seen;
	for (int trial = 0; trial < 2000; trial++) {
		std::string s(1 + rng() % 12, 'a');
		for (auto &c : s)
			c = "x0y1|#,"[rng() % 7];
		// Every way of cutting s into two fields, plus the fields with a NULL shifted in.
		for (std::size_t cut = 0; cut <= s.size(); cut++) {
			const std::string left = s.substr(0, cut), right = s.substr(cut);
			const std::string rows[] = {Row({left.c_str(), right.c_str()}),
			                            Row({nullptr, left.c_str(), right.c_str()}),
			                            Row({left.c_str(), nullptr, right.c_str()})};
			for (const std::string &r : rows)
				EXPECT_TRUE(seen.insert(r).second) << "collision for '" << s << "' cut at " << cut;
		}
		seen.clear();
	}
}

TEST(Property, RandomTypedRowsDoNotCollide) {
	std::mt19937_64 rng(99);
	std::set<std::string> seen;
	for (int i = 0; i < 20000; i++) {
		RowHasher hasher;
		const int columns = 1 + static_cast<int>(rng() % 4);
		std::string description;
		for (int c = 0; c < columns; c++) {
			const int kind = static_cast<int>(rng() % 5);
			const std::int64_t v = static_cast<std::int64_t>(rng() % 3);
			// NULL carries no value, so its description must not either.
			description +=
			    kind == 0 ? std::string("null,") : std::to_string(kind) + ":" + std::to_string(v) + ",";
			switch (kind) {
			case 0:
				hasher.AddNull();
				break;
			case 1:
				hasher.AddInt64(v);
				break;
			case 2:
				hasher.AddDouble(static_cast<double>(v));
				break;
			case 3: {
				const std::string text = std::to_string(v);
				ASSERT_EQ(hasher.AddText(text.data(), text.size(), true), Status::ok);
				break;
			}
			default:
				hasher.AddDateDays(static_cast<std::int32_t>(v));
			}
		}
		const std::string digest = RowHex(hasher);
		// Distinct descriptions must give distinct digests; the same one the same digest.
		static std::map<std::string, std::string> by_description;
		auto [it, inserted] = by_description.emplace(description, digest);
		if (inserted)
			EXPECT_TRUE(seen.insert(digest).second) << description;
		else
			EXPECT_EQ(it->second, digest);
	}
}

TEST(Property, ApproximateNumbers) {
	auto of = [](double v) {
		RowHasher h;
		h.AddDouble(v);
		return RowHex(h);
	};
	EXPECT_EQ(of(-0.0), of(0.0));
	EXPECT_EQ(of(std::nan("1")), of(-std::nan("2")));
	RowHasher f;
	f.AddFloat(0.1f);
	EXPECT_EQ(RowHex(f), of(0.10000000149011612));
	EXPECT_NE(RowHex(f), of(0.1));
	RowHasher exact;
	exact.AddInt64(1);
	EXPECT_NE(of(1.0), RowHex(exact)); // approximate and exact are different classes
}

} // namespace
} // namespace fingerprint::testing
