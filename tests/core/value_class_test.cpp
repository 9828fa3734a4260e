#include "fingerprint/value_class.hpp"

#include <gtest/gtest.h>

namespace {

using fingerprint::ParseValueClass;
using fingerprint::ValueClass;
using fingerprint::ValueClassName;

TEST(ValueClass, NamesRoundTrip) {
	for (const ValueClass value :
	     {ValueClass::exact, ValueClass::approx, ValueClass::string, ValueClass::date, ValueClass::timestamp,
	      ValueClass::time, ValueClass::json, ValueClass::unsupported})
		EXPECT_EQ(ParseValueClass(ValueClassName(value)), value);
	EXPECT_EQ(ValueClassName(ValueClass::approx), "approx");
	EXPECT_FALSE(ParseValueClass("Exact").has_value());
	EXPECT_FALSE(ParseValueClass("").has_value());
}

} // namespace
