#!/bin/bash
# Installs, from Debian 12's packages, everything fingerprint needs to build, test and
# benchmark: compilers, CMake and clang-format, the libraries the core uses (xxhash, OpenSSL,
# RapidJSON), the client libraries of the CLI (libpq, libmysqlclient), test frameworks,
# Debian's python3 drivers for the multi-connection tests, and the PostgreSQL 15 and
# MariaDB 10.11 servers with their server headers. Packages already installed are
# skipped, so a second run is quick.
# Needs root (or sudo).
set -euo pipefail

packages=(
    build-essential cmake pkg-config xxd clang-format procps time
    libxxhash-dev xxhash libssl-dev rapidjson-dev
    libgtest-dev googletest libbenchmark-dev libcli11-dev
    postgresql-15 postgresql-client-15 postgresql-server-dev-15
    mariadb-server mariadb-client libmariadb-dev libmariadbd-dev
    libpq-dev default-libmysqlclient-dev
    python3 python3-psycopg2 python3-pymysql
    percona-toolkit postgresql-comparator
)

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
echo "installing: ${missing[*]}" >&2
$SUDO apt-get update -qq
# Servers come up through our own scripts on private sockets; the packaged services are
# neither needed nor started on purpose.
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
