// Text from a server or a user (table and column names, values, server messages) as it
// may reach a terminal.
#pragma once

#include <string>
#include <string_view>

namespace fingerprint::cli {

// Valid UTF-8 (other bytes become U+FFFD), with control characters (C0, DEL and C1: an
// ESC in a table name could drive the terminal) written as \xHH.
std::string Shown(std::string_view text);

// Shown for each line of a message of several lines (the line breaks are kept).
std::string ShownLines(std::string_view text);

} // namespace fingerprint::cli
