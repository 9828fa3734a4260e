#!/bin/bash
# Cross-engine test: loads the same logical rows into a throwaway PostgreSQL and a
# throwaway MariaDB, and checks that table and row fingerprints are byte-identical, that
# every single mutation changes them, and that a physical reordering does not.
# Usage: run_cross.sh UDF_PLUGIN_DIR   (the PostgreSQL extension must be installed)
# Prints "N passed, M failed" and exits non-zero on any failure.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
plugin_dir=${1:?usage: run_cross.sh UDF_PLUGIN_DIR}

pg_port=${CROSS_PG_PORT:-55433}
. "$here/../lib/servers.sh"
start_test_servers "$pg_port" "$plugin_dir"

export PGCLIENTENCODING=UTF8
pg() { psql -X -q -v ON_ERROR_STOP=1 -h "$work/pg" -p "$pg_port" -U postgres -d postgres -At -F $'\t' "$@"; }
my() { mariadb --no-defaults --default-character-set=utf8mb4 -S "$work/my/mysqld.sock" -u root -N -B "$@"; }

pg -f "$here/pg_data.sql" >/dev/null
# The build's assembled install.sql (CTest sets FINGERPRINT_MYSQL_SQL_DIR).
my <"${FINGERPRINT_MYSQL_SQL_DIR:-$root/build/sql/mysql}/install.sql" >/dev/null
my -e "CREATE DATABASE crossdb"
my crossdb <"$here/mysql_data.sql"

. "$here/../lib/checks.sh" # check, same (PostgreSQL first, MariaDB second), differ
# shellcheck disable=SC2034 # read by same (tests/lib/checks.sh)
check_labels=(postgresql mariadb)

pg_table() { pg -c "SELECT table_fingerprint('$1')"; }
my_table() { my crossdb -e "CALL fingerprint.table_fingerprint('crossdb.$1')"; }

# 1. Identical data, identical fingerprints.
for table in everything composite dups; do
    same "table fingerprint of $table" "$(pg_table $table)" "$(my_table $table)"
done
same "table fingerprint with sha256" \
    "$(pg -c "SELECT table_fingerprint('everything', algorithm => 'sha256')")" \
    "$(my crossdb -e "CALL fingerprint.table_fingerprint_with('crossdb.everything', NULL, NULL, 'sha256')")"
same "table fingerprint excluding columns" \
    "$(pg -c "SELECT table_fingerprint('everything', exclude_columns => '{body,doc}')")" \
    "$(my crossdb -e "CALL fingerprint.table_fingerprint_with('crossdb.everything', NULL, 'body,doc', NULL)")"
same "table fingerprint of included columns" \
    "$(pg -c "SELECT table_fingerprint('everything', include_columns => '{id,tstz,amount}')")" \
    "$(my crossdb -e "CALL fingerprint.table_fingerprint_with('crossdb.everything', 'id,tstz,amount', NULL, NULL)")"

pg_rows_everything=$(pg -c "SELECT id, row_fingerprint(t) FROM everything t ORDER BY id")
my_rows_everything=$(my crossdb -e "CALL fingerprint.row_fingerprints('crossdb.everything')")
same "row fingerprints of everything" "$pg_rows_everything" "$my_rows_everything"
# Row by row, so a failure names the row (and so the value class) that disagrees.
for id in 1 2 3 4 5; do
    same "row $id of everything" "$(echo "$pg_rows_everything" | grep "^$id"$'\t')" \
        "$(echo "$my_rows_everything" | grep "^$id"$'\t')"
done
same "row fingerprints of a two-column key" \
    "$(pg -c "SELECT a, b, row_fingerprint(t) FROM composite t ORDER BY a, b")" \
    "$(my crossdb -e "CALL fingerprint.row_fingerprints('crossdb.composite')")"

# 2. Session settings do not matter.
pg_before=$(pg_table everything)
same "PostgreSQL session TimeZone, DateStyle, extra_float_digits, bytea_output" "$pg_before" \
    "$(pg -c "SET TimeZone = 'Asia/Kolkata'; SET DateStyle = 'SQL, DMY'; SET extra_float_digits = 0;
              SET bytea_output = 'escape'; SELECT table_fingerprint('everything')")"
same "MariaDB session time_zone" "$(my_table everything)" \
    "$(my crossdb -e "SET time_zone = '-08:00'; CALL fingerprint.table_fingerprint('crossdb.everything')")"
same "MariaDB session time_zone is restored afterwards" "-08:00" \
    "$(my crossdb -e "SET time_zone = '-08:00'; CALL fingerprint.table_fingerprint('crossdb.everything'); SELECT @@time_zone" | tail -1)"

# 3. Physical order does not matter.
same "PostgreSQL rows stored in reverse order" "$(pg_table everything_reordered)" "$(my_table everything)"
same "MariaDB key-less rows stored in reverse order" "$(pg_table dups)" "$(my_table dups_reordered)"

# 4. Every mutation is seen. Each runs in a transaction that is rolled back.
my_mutated() { # my_mutated TABLE SQL
    my crossdb -e "START TRANSACTION; $2; CALL fingerprint.table_fingerprint('crossdb.$1'); ROLLBACK"
}
pg_mutated() {
    pg -c "BEGIN" -c "$2" -c "SELECT table_fingerprint('$1')" -c "ROLLBACK"
}
pg_everything=$(pg_table everything)
differ "one character changed" "$pg_everything" "$(my_mutated everything "UPDATE everything SET name = 'hellp' WHERE id = 1")"
differ "0.01 added" "$pg_everything" "$(my_mutated everything "UPDATE everything SET amount = amount + 0.01 WHERE id = 1")"
differ "1 microsecond later (DATETIME(6))" "$pg_everything" \
    "$(my_mutated everything "UPDATE everything SET ts6 = ts6 + INTERVAL 1 MICROSECOND WHERE id = 1")"
differ "1 microsecond later (timestamptz)" "$(my_table everything)" \
    "$(pg_mutated everything "UPDATE everything SET tstz = tstz + interval '1 microsecond' WHERE id = 5")"
differ "NULL became ''" "$pg_everything" "$(my_mutated everything "UPDATE everything SET name = '' WHERE id = 4")"
differ "'' became NULL" "$pg_everything" "$(my_mutated everything "UPDATE everything SET name = NULL WHERE id = 3")"
differ "one trailing space in TEXT" "$pg_everything" \
    "$(my_mutated everything "UPDATE everything SET body = 'plain ' WHERE id = 1")"
differ "one byte of the 200 KB value" "$pg_everything" \
    "$(my_mutated everything "UPDATE everything SET body = CONCAT(LEFT(body, 199999), 'x') WHERE id = 2")"
differ "a JSON array reordered" "$pg_everything" \
    "$(my_mutated everything "UPDATE everything SET doc = '{\"a\":{\"x\":\"é\",\"y\":null},\"b\":[2,1]}' WHERE id = 1")"
differ "BIGINT UNSIGNED max minus one" "$pg_everything" \
    "$(my_mutated everything "UPDATE everything SET u8 = u8 - 1 WHERE id = 2")"
differ "a duplicate row removed" "$(pg_table dups)" "$(my_mutated dups "DELETE FROM dups WHERE k = 1 LIMIT 1")"
differ "two values swapped between rows" "$(pg_table composite)" \
    "$(my_mutated composite "UPDATE composite SET v = IF(b = 'x', 'two', 'one') WHERE a = 1")"
same "after the rollbacks the fingerprints agree again" "$pg_everything" "$(my_table everything)"

# 5. Row fingerprints point at the row that changed, and only at it.
my_rows_mutated=$(my crossdb -e "START TRANSACTION; UPDATE everything SET tm = tm + INTERVAL 1 MICROSECOND WHERE id = 5;
                                   CALL fingerprint.row_fingerprints('crossdb.everything'); ROLLBACK")
# Keys whose row fingerprint differs between the two sides.
changed_rows=$(join -t $'\t' <(echo "$pg_rows_everything") <(echo "$my_rows_mutated") |
    awk -F'\t' '$2 != $3 {printf "%s ", $1}')
same "only the changed row's fingerprint differs" "5 " "$changed_rows"

# 6. Buckets (docs/diff.md): the same buckets, row counts, fingerprints, key images, key
#    JSON and row images on both engines, for text keys under a case-insensitive MariaDB
#    collation, uuid keys (PostgreSQL uuid against CHAR(36) and UUID), a two-column key and
#    key-less tables with a key given; and a change drills down to its own key.
pg -f "$here/pg_buckets.sql" >/dev/null
my crossdb <"$here/mysql_buckets.sql"
pg_buckets() { pg -c "SELECT bucket, rows, fingerprint FROM bucket_fingerprints($1) ORDER BY bucket"; }
my_buckets() { my crossdb -e "CALL fingerprint.$1"; }
all_ids() { seq -s, 0 $(($1 - 1)); }
# Every row of every bucket; images as upper-case hex, as mariadb --binary-as-hex prints them.
# MariaDB's bucket_rows comes in scan order (docs/diff.md), so both sides are sorted.
pg_rows() { # pg_rows TABLE BUCKETS [EXTRA ARGUMENTS]
    pg -c "SELECT bucket, '0x' || upper(encode(key_image, 'hex')), key_json, fingerprint,
                  '0x' || upper(encode(row_image, 'hex'))
           FROM bucket_rows('$1', $2, ARRAY(SELECT generate_series(0, $2 - 1))${3:+, $3}, with_images => true)" |
        LC_ALL=C sort
}
my_rows() { # my_rows TABLE BUCKETS [KEY_CSV]
    local key=NULL
    [ -n "${3:-}" ] && key="'$3'"
    my --binary-as-hex --raw crossdb -e "CALL fingerprint.bucket_rows_with('crossdb.$1', $2, '$(all_ids "$2")', $key,
                                    NULL, NULL, NULL, NULL, TRUE)" | LC_ALL=C sort
}

same "bucket fingerprints of everything" "$(pg_buckets "'everything', 16")" \
    "$(my_buckets "bucket_fingerprints('crossdb.everything', 16)")"
same "bucket fingerprints of a two-column key" "$(pg_buckets "'composite', 4")" \
    "$(my_buckets "bucket_fingerprints('crossdb.composite', 4)")"
same "bucket fingerprints of a text key (case-insensitive MariaDB collation)" "$(pg_buckets "'bk_text', 8")" \
    "$(my_buckets "bucket_fingerprints('crossdb.bk_text', 8)")"
same "bucket fingerprints of a uuid key against CHAR(36)" "$(pg_buckets "'bk_uuid', 8")" \
    "$(my_buckets "bucket_fingerprints('crossdb.bk_uuid', 8)")"
same "bucket fingerprints of a uuid key against UUID" "$(pg_buckets "'bk_uuid', 8")" \
    "$(my_buckets "bucket_fingerprints('crossdb.bk_uuid_t', 8)")"
same "bucket fingerprints of 3000 rows in 256 buckets" "$(pg_buckets "'bk_big', 256")" \
    "$(my_buckets "bucket_fingerprints('crossdb.bk_big', 256)")"
same "bucket fingerprints with a filter, excluded columns and sha256" \
    "$(pg_buckets "'bk_big', 32, exclude_columns => '{at}', filter => 'id % 3 = 0 AND name LIKE ''name 1%''',
                   algorithm => 'sha256'")" \
    "$(my_buckets "bucket_fingerprints_with('crossdb.bk_big', 32, NULL, NULL, 'at',
                   'id % 3 = 0 AND name LIKE ''name 1%''', 'sha256')")"
same "bucket fingerprints of key-less tables with a key" \
    "$(pg_buckets "'dups', 4, key_columns => '{k}'"; pg_buckets "'bk_nokey', 16, key_columns => '{k}'")" \
    "$(my_buckets "bucket_fingerprints_with('crossdb.dups', 4, 'k', NULL, NULL, NULL, NULL)";
       my_buckets "bucket_fingerprints_with('crossdb.bk_nokey', 16, 'k', NULL, NULL, NULL, NULL)")"

same "bucket rows of everything (key images, key JSON, row images)" "$(pg_rows everything 4)" \
    "$(my_rows everything 4)"
same "bucket rows of a two-column key" "$(pg_rows composite 2)" "$(my_rows composite 2)"
same "bucket rows of a text key" "$(pg_rows bk_text 4)" "$(my_rows bk_text 4)"
same "bucket rows of a uuid key against CHAR(36)" "$(pg_rows bk_uuid 2)" "$(my_rows bk_uuid 2)"
same "bucket rows of a uuid key against UUID" "$(pg_rows bk_uuid 2)" "$(my_rows bk_uuid_t 2)"
same "bucket rows of a key-less table with duplicate keys" "$(pg_rows bk_nokey 8 "key_columns => '{k}'")" \
    "$(my_rows bk_nokey 8 k)"
every_class=u8,amount,flag,f4,f8,latin,code,bin,uid,d,ts3,tstz,tm,doc,mood
same "bucket rows keyed by a column of every class (key images and key JSON)" \
    "$(pg_rows everything 2 "key_columns => '{$every_class}'")" "$(my_rows everything 2 "$every_class")"
same "key of a text row as JSON" '["Äpfel"]' \
    "$(my crossdb -e "CALL fingerprint.bucket_rows('crossdb.bk_text', 1, '0')" | cut -f3 | grep Äpfel)"

same "table_columns: positions, names, value classes, key positions" \
    "$(pg -c "SELECT position, column_name, value_class, COALESCE(key_position::text, 'NULL')
              FROM table_columns('everything')")" \
    "$(my crossdb -e "CALL fingerprint.table_columns('crossdb.everything')" | cut -f1,2,4,5)"

# A change on one side: exactly one bucket differs, and its rows name exactly that key.
pg_big=$(pg_buckets "'bk_big', 1024")
my_big=$(my crossdb -e "START TRANSACTION; UPDATE bk_big SET amount = amount + 0.01 WHERE id = 1234;
                        CALL fingerprint.bucket_fingerprints('crossdb.bk_big', 1024); ROLLBACK")
bad_buckets=$( (diff <(echo "$pg_big") <(echo "$my_big") || true) | sed -n 's/^> \([0-9]*\)\t.*/\1/p' | tr '\n' ' ')
same "one changed row makes one bucket differ" "1" "$(echo "$bad_buckets" | wc -w)"
bad_bucket=${bad_buckets%% *}
pg_bad=$(pg -c "SELECT key_json, fingerprint FROM bucket_rows('bk_big', 1024, '{${bad_bucket:-0}}')" | LC_ALL=C sort)
my_bad=$(my crossdb -e "START TRANSACTION; UPDATE bk_big SET amount = amount + 0.01 WHERE id = 1234;
                        CALL fingerprint.bucket_rows('crossdb.bk_big', 1024, '${bad_bucket:-0}'); ROLLBACK" | cut -f3,4 |
        LC_ALL=C sort)
same "the differing bucket's rows name the changed key" "[1234] " \
    "$(join -t $'\t' <(echo "$pg_bad") <(echo "$my_bad") | awk -F'\t' '$2 != $3 {printf "%s ", $1}')"

checks_summary cross-engine
