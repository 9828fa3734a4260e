// Lists joined into one text: for messages ("a, b"), the MySQL procedures' comma-separated
// arguments and PostgreSQL array literals.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace fingerprint::cli {

// The items with the separator between them (none before an item while the text so far
// is empty).
inline std::string Join(const std::vector<std::string> &items, const char *separator) {
	std::string out;
	for (const std::string &item : items) {
		if (!out.empty())
			out += separator;
		out += item;
	}
	return out;
}

// The numbers in decimal, separated by commas: "1,5,7".
inline std::string JoinNumbers(const std::vector<std::int32_t> &numbers) {
	std::string out;
	for (const std::int32_t number : numbers) {
		if (!out.empty())
			out += ',';
		out += std::to_string(number);
	}
	return out;
}

} // namespace fingerprint::cli
