// Symbol export for the PostgreSQL module. Include this first in every pg_extension
// .cpp file, before the PostgreSQL headers.
//
// Why: the module is built with -fvisibility=hidden so that nothing of the core (or of
// our helpers) can collide with a symbol of the postgres binary. On PostgreSQL 15,
// PGDLLEXPORT is empty on Linux and PG_FUNCTION_INFO_V1 declares the function itself
// without it, so with hidden visibility neither Pg_magic_func, nor pg_finfo_*, nor the
// functions would be exported and the server could not load the module (STYLE.md 3.7).
// c.h only defines PGDLLEXPORT when it is not yet defined, so we define it here as
// default visibility, and FINGERPRINT_PG_FUNCTION declares each V1 function with it
// before PG_FUNCTION_INFO_V1 (a later declaration keeps the visibility of the first).
// PostgreSQL 16 and later define PGDLLEXPORT the same way.
#pragma once

#ifdef POSTGRES_H
#error "include pg_export.hpp before postgres.h"
#endif

#define PGDLLEXPORT __attribute__((visibility("default")))

// Declares an SQL-callable version-1 function with C linkage and default visibility.
#define FINGERPRINT_PG_FUNCTION(name)                                                                        \
	extern "C" PGDLLEXPORT Datum name(PG_FUNCTION_ARGS);                                                     \
	extern "C" {                                                                                             \
	PG_FUNCTION_INFO_V1(name);                                                                               \
	}
