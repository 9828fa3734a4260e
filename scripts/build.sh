#!/bin/bash
# Builds fingerprint into build/ and installs the PostgreSQL extension into the server
# pg_config names and the UDF library into the MariaDB/MySQL server's plugin directory.
# Extra arguments go to the CMake configure step (e.g. -DPG_CONFIG=/path/to/pg_config).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DFINGERPRINT_WERROR=ON "$@" >/dev/null
cmake --build build -j"$(nproc)"
if [ "$(id -u)" -eq 0 ]; then
    cmake --install build >/dev/null
else
    sudo cmake --install build >/dev/null
fi
