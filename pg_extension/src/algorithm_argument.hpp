// The algorithm argument every SQL function takes ('xxh3' or 'sha256'). Include after
// the PostgreSQL headers.
#pragma once

#ifndef POSTGRES_H
#error "include postgres.h (inside extern \"C\") before algorithm_argument.hpp"
#endif

#include "fingerprint/algorithm.hpp"

namespace fingerprint_pg {

// Parses an algorithm argument; ERROR invalid algorithm "name" for anything else.
fingerprint::Algorithm AlgorithmFromText(const text *name);

// ERROR when an algorithm argument is NULL.
pg_attribute_noreturn() void ReportNullAlgorithm();

} // namespace fingerprint_pg
