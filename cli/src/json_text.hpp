// Writing JSON by hand: string escaping that always yields valid UTF-8 JSON (invalid
// bytes, e.g. in a server message, become U+FFFD) and a few appenders.
#pragma once

#include <string>
#include <string_view>

namespace fingerprint::cli {

// Appends text as a JSON string, quotes included.
void AppendJsonString(std::string *out, std::string_view text);

} // namespace fingerprint::cli
