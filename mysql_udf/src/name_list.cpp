#include "name_list.hpp"

namespace fingerprint::udf {

std::vector<std::string_view> SplitNames(std::string_view list) {
	std::vector<std::string_view> names;
	std::size_t start = 0;
	while (true) {
		const std::size_t comma = list.find(',', start);
		if (comma == std::string_view::npos) {
			names.push_back(list.substr(start));
			return names;
		}
		names.push_back(list.substr(start, comma - start));
		start = comma + 1;
	}
}

} // namespace fingerprint::udf
