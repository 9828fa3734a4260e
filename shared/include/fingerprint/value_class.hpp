// The value classes of docs/FORMAT.md: what "the same value" means is decided per class,
// so two columns can only be compared when both engines put them in the same class. Each
// adapter classifies its own types (table_columns reports the class by name); this is
// the one list of the classes and their names.
#pragma once

#include <optional>
#include <string_view>

namespace fingerprint {

enum class ValueClass { exact, approx, string, date, timestamp, time, json, unsupported };

// "exact", "approx", "string", "date", "timestamp", "time", "json", "unsupported".
constexpr std::string_view ValueClassName(ValueClass value) noexcept {
	switch (value) {
	case ValueClass::exact:
		return "exact";
	case ValueClass::approx:
		return "approx";
	case ValueClass::string:
		return "string";
	case ValueClass::date:
		return "date";
	case ValueClass::timestamp:
		return "timestamp";
	case ValueClass::time:
		return "time";
	case ValueClass::json:
		return "json";
	case ValueClass::unsupported:
		break;
	}
	return "unsupported";
}

// The class of a name ValueClassName returns; nothing for any other text.
constexpr std::optional<ValueClass> ParseValueClass(std::string_view name) noexcept {
	for (const ValueClass value :
	     {ValueClass::exact, ValueClass::approx, ValueClass::string, ValueClass::date, ValueClass::timestamp,
	      ValueClass::time, ValueClass::json, ValueClass::unsupported})
		if (ValueClassName(value) == name)
			return value;
	return std::nullopt;
}

} // namespace fingerprint
