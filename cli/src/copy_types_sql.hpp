// SQL text helpers shared by the catalog readers, the DDL and the select lists: how each
// engine quotes a name and a string literal, and the two catalog readers.
#pragma once

#include "copy_types.hpp"

#include <string>

namespace fingerprint::cli::copy {

// "name" (PostgreSQL, embedded " doubled) / `name` (MySQL, embedded ` doubled).
std::string QuoteName(Engine engine, const std::string &name);
// 'text' with ' doubled; MySQL also doubles backslashes (the sessions run without
// NO_BACKSLASH_ESCAPES, PostgreSQL with standard_conforming_strings on).
std::string QuoteLiteral(Engine engine, const std::string &text);

TableDefinition ReadPostgresTable(const QueryRows &query, const std::string &schema,
                                  const std::string &table);
TableDefinition ReadMysqlTable(const QueryRows &query, const std::string &schema, const std::string &table);

} // namespace fingerprint::cli::copy
