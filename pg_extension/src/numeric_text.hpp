// A numeric value written as the core's canonical decimal text (numeric_values.cpp), for
// the jsonb walk: jsonb numbers are numerics. Include after the PostgreSQL headers.
#pragma once

#ifndef POSTGRES_H
#error "include postgres.h (inside extern \"C\") before numeric_text.hpp"
#endif

namespace fingerprint_pg {

// Appends a finite numeric (the bytes after its varlena header: VARDATA_ANY,
// VARSIZE_ANY_EXHDR) as canonical decimal text; jsonb holds no NaN or infinity, so any
// other numeric appends "0".
void AppendNumericText(StringInfo out, const char *data, size_t length);

} // namespace fingerprint_pg
