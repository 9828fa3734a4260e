#!/bin/bash
# Runs every test: installs what is missing, builds, installs, then CTest runs the core
# unit tests, the PostgreSQL regression tests (pg_regress on a temporary instance), the
# MariaDB tests (a private mariadbd) and the cross-engine tests (both servers, started in
# a temporary directory and stopped afterwards).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install_deps.sh
scripts/build.sh
cd build
ctest --output-on-failure --timeout 900 "$@"
