// Must NOT compile: pretends a PostgreSQL header was included, then pulls in the core's
// guard. tests/core/CMakeLists.txt expects this compilation to fail.
#define POSTGRES_H
#include "fingerprint/no_database_headers.hpp"
