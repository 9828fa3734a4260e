// The C++ -> PostgreSQL boundary. Include after the PostgreSQL headers.
//
// Every SQL-callable function is a one-line shim that hands its body to CallGuarded.
// The body is plain C-style code: it may call PostgreSQL functions that raise ERROR
// (a siglongjmp), so it keeps no object with a non-trivial destructor alive; the only
// C++ objects in it are trivially destructible (RowHasher, string_view, Status).
// The core never throws, but "never" is not a promise C++ can keep (operator new throws
// bad_alloc), and an exception reaching PostgreSQL's C frames ends in std::terminate,
// which takes the whole server down. So CallGuarded catches everything, copies the
// message into a fixed buffer, and raises the PostgreSQL error only after the handler
// has closed and the exception object is gone (STYLE.md 3.2-3.3).
#pragma once

#ifndef POSTGRES_H
#error "include postgres.h (inside extern \"C\") before guard.hpp"
#endif

namespace fingerprint_pg {

Datum CallGuarded(const char *function_name, PGFunction body, FunctionCallInfo fcinfo);

} // namespace fingerprint_pg
