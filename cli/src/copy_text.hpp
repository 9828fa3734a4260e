// The two bulk-load text formats of `fingerprint copy`, written and read by hand
// because each is a few lines: PostgreSQL's COPY text format (what COPY TO STDOUT sends,
// what COPY FROM STDIN takes) and the tab-separated form of MySQL's LOAD DATA (FIELDS
// TERMINATED BY '\t' ESCAPED BY '\\' LINES TERMINATED BY '\n'). Both write SQL NULL as
// \N, so an empty string and NULL stay apart.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace fingerprint::cli::copy {

// Splits one line of COPY TO STDOUT text output, data[0, length) without or with its
// final '\n', into its fields, un-escaped in place (the line is a row as the client
// library delivered it, which the caller owns): `fields` point into data, so a huge row
// is held once, not twice. fields and nulls are resized (their capacity is reused);
// nulls[i] is true for \N (fields[i] is then empty). Throws Error on a malformed escape.
void SplitCopyTextLineInPlace(char *data, std::size_t length, std::vector<std::string_view> &fields,
                              std::vector<bool> &nulls);

// Appends a value escaped for COPY FROM STDIN text format: backslash, tab, newline and
// carriage return escaped, everything else (any byte, NUL excluded by PostgreSQL itself)
// as it is.
void AppendCopyText(std::string_view value, std::string &out);

// Appends a value escaped for LOAD DATA ... ESCAPED BY '\\': backslash, tab, newline,
// carriage return and NUL escaped.
void AppendLoadDataText(std::string_view value, std::string &out);

// "\\N": how both formats spell NULL.
inline constexpr std::string_view kNullText = "\\N";

} // namespace fingerprint::cli::copy
