// Column-name lists as the change log's registrations store them (capture_tables.column_names,
// key_columns): "a,b,c", split for the image renderings (capture_json.cpp). The capture row
// itself is the core's (fingerprint/capture_row.hpp).
#pragma once

#include <string_view>
#include <vector>

namespace fingerprint::udf {

// Splits "a,b,c" at commas (names are stored without quoting; capture_ddl refuses column
// names containing a comma). Surrounding spaces are kept: they are part of a name.
// Throws std::bad_alloc only.
std::vector<std::string_view> SplitNames(std::string_view list);

} // namespace fingerprint::udf
