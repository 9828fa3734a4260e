// Text from a server or a user (table and column names, values, server messages) as it
// may reach a terminal.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace fingerprint::cli {

// Valid UTF-8 (other bytes become U+FFFD), with control characters (C0, DEL and C1: an
// ESC in a table name could drive the terminal) written as \xHH.
std::string Shown(std::string_view text);

// Shown for each line of a message of several lines (the line breaks are kept).
std::string ShownLines(std::string_view text);

// The columns UTF-8 text takes on a terminal: one per character (continuation bytes take
// none), so that `café` is as wide as `cafe`. Wide (CJK) and combining characters are
// counted as one column each.
std::size_t DisplayWidth(std::string_view text);

// `text` padded with spaces to `width` display columns, on the right (or, with
// `right_aligned`, on the left); text as wide or wider is returned as it is. printf's
// %-24s pads by bytes, which puts a row naming `café` one column out of line.
std::string Padded(const std::string &text, std::size_t width, bool right_aligned = false);

} // namespace fingerprint::cli
