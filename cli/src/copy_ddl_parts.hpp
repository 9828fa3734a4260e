// The pieces of CreateTableDdl: each target engine's column types and statements, and the
// translation of a column default from one engine's SQL into the other's.
#pragma once

#include "copy_types.hpp"
#include "copy_types_spec.hpp"

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace fingerprint::cli::copy {

// The names of the columns in the primary key or in a copied secondary index: on MySQL
// they need a type an index can hold (VARCHAR(768), not LONGTEXT).
std::set<std::string> IndexedColumns(const TableDefinition &table);

// The primary key's column names in key order.
std::vector<std::string> PrimaryKeyColumns(const TableDefinition &table);

TargetDdl PostgresTargetDdl(const TableDefinition &source, Engine source_engine, const std::string &schema);
TargetDdl MysqlTargetDdl(const TableDefinition &source, Engine source_engine, const std::string &schema);

// A default the target can take as SQL ("DEFAULT ..." without the keyword), or nothing
// with a sentence in *notes saying why it was left out. target_type is the target
// column's type as the DDL writes it.
std::optional<std::string> TranslateDefault(Engine source_engine, const ColumnDefinition &column,
                                            Engine target_engine, const TypeSpec &target,
                                            const std::string &target_type, std::vector<std::string> *notes);

} // namespace fingerprint::cli::copy
