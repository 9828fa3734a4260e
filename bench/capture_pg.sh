#!/bin/bash
# Change-capture overhead on PostgreSQL (docs/capture.md): INSERT, UPDATE and DELETE of
# CAPTURE_ROWS rows of the benchmark table (bench/lib.sh's definition and data) with
#   none        no trigger
#   plpgsql     a PL/pgSQL AFTER ROW audit trigger logging to_jsonb(NEW) / to_jsonb(OLD)
#   transition  AFTER ... FOR EACH STATEMENT triggers over transition tables (to_jsonb)
#   fingerprint fingerprint_capture_enable (the C trigger: images + row fingerprints)
# Rounds are interleaved (round 1: every variant, round 2: every variant, ...); each
# statement is timed in the server (clock_timestamp around EXECUTE, after-trigger queue
# included) with the WAL it wrote. Reports medians and ratios to "none" in
# $CAPTURE_OUT/capture_pg.md (and raw figures in capture_pg.tsv).
#
#   bench/capture_pg.sh                            # 200,000 rows, 5 rounds
#   CAPTURE_ROWS=20000 CAPTURE_ROUNDS=3 bench/capture_pg.sh
#   CAPTURE_VARIANTS="none fingerprint" bench/capture_pg.sh   # fewer variants, shorter
#   CAPTURE_BASE_MODULE=/path/to/old/build/pg_extension/fingerprint.so bench/capture_pg.sh
#
# CAPTURE_BASE_MODULE adds the variant "base": the same triggers, with
# fingerprint.capture_trigger() pointed at that build of the module (an A/B of two builds
# in one run; the SQL is the installed one, so use it across builds with the same SQL).
#
# The installed extension is used (cmake --install first; hold /tmp/fingerprint-pg.lock
# while this runs: flock -o /tmp/fingerprint-pg.lock bench/capture_pg.sh).
# Run it on a quiet machine: the figures are wall-clock times.
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
ROWS=${CAPTURE_ROWS:-200000}
ROUNDS=${CAPTURE_ROUNDS:-5}
OUT=${CAPTURE_OUT:-$root/bench/out}
PG_PORT=${CAPTURE_PG_PORT:-55441}
case "$ROWS" in '' | *[!0-9]*) echo "CAPTURE_ROWS must be a positive integer" >&2; exit 2 ;; esac
case "$ROUNDS" in '' | *[!0-9]* | 0) echo "CAPTURE_ROUNDS must be a positive integer" >&2; exit 2 ;; esac

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
cd "$root"
bench_workdir fp-capture-bench

log "starting PostgreSQL in $work"
# Settings of a server with room for the test: WAL is written as in production
# (fsync stays on; synchronous_commit only affects commit latency, one per statement).
start_pg "shared_buffers = '1GB'" "max_wal_size = '8GB'" "checkpoint_timeout = '30min'" "jit = off"

pg <<'SQL'
CREATE EXTENSION fingerprint;
CREATE TABLE audit_log (id bigserial PRIMARY KEY, tbl text, op char(1), txid bigint DEFAULT txid_current(),
                        at timestamptz DEFAULT now(), row_new jsonb, row_old jsonb);

-- A typical PL/pgSQL audit trigger, for comparison: to_jsonb of the row, one INSERT per row.
CREATE FUNCTION audit_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO audit_log (tbl, op, row_new) VALUES (TG_TABLE_NAME, 'I', to_jsonb(NEW));
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO audit_log (tbl, op, row_new) VALUES (TG_TABLE_NAME, 'U', to_jsonb(NEW));
    ELSE
        INSERT INTO audit_log (tbl, op, row_old) VALUES (TG_TABLE_NAME, 'D', to_jsonb(OLD));
    END IF;
    RETURN NULL;
END $$;

-- The manual's transition-table audit: one INSERT ... SELECT per statement.
CREATE FUNCTION audit_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN INSERT INTO audit_log (tbl, op, row_new) SELECT TG_TABLE_NAME, 'I', to_jsonb(n) FROM new_rows n; RETURN NULL; END $$;
CREATE FUNCTION audit_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN INSERT INTO audit_log (tbl, op, row_new) SELECT TG_TABLE_NAME, 'U', to_jsonb(n) FROM new_rows n; RETURN NULL; END $$;
CREATE FUNCTION audit_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN INSERT INTO audit_log (tbl, op, row_old) SELECT TG_TABLE_NAME, 'D', to_jsonb(o) FROM old_rows o; RETURN NULL; END $$;

-- Runs one statement; returns milliseconds and WAL bytes (AFTER triggers included).
CREATE FUNCTION timed(statement text, OUT ms numeric, OUT wal_bytes numeric) LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz;
    w0 pg_lsn;
BEGIN
    w0 := pg_current_wal_insert_lsn();
    t0 := clock_timestamp();
    EXECUTE statement;
    ms := round(extract(epoch FROM clock_timestamp() - t0)::numeric * 1000, 1);
    wal_bytes := pg_wal_lsn_diff(pg_current_wal_insert_lsn(), w0);
END $$;
SQL

# A fresh, empty bench table with the variant's capture.
setup_variant() {
	local variant=$1
	pg <<SQL
DROP TABLE IF EXISTS bench;
TRUNCATE audit_log;
TRUNCATE fingerprint.change_log;
$(bench_table_pg bench)
SQL
	case "$variant" in
	none) ;;
	plpgsql)
		pg -c "CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON bench FOR EACH ROW EXECUTE FUNCTION audit_row()" ;;
	transition)
		pg -c "CREATE TRIGGER audit_i AFTER INSERT ON bench REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_insert()" \
			-c "CREATE TRIGGER audit_u AFTER UPDATE ON bench REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_update()" \
			-c "CREATE TRIGGER audit_d AFTER DELETE ON bench REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_delete()" ;;
	fingerprint | base)
		local module='$libdir/fingerprint'
		[ "$variant" = base ] && module=$BASE_MODULE
		pg -v "module=$module" >/dev/null <<'SQL'
CREATE OR REPLACE FUNCTION fingerprint.capture_trigger() RETURNS trigger
    AS :'module', 'fingerprint_capture_trigger_v11' LANGUAGE C;
SELECT fingerprint_capture_enable('bench');
SQL
		;;
	esac
	pg -c "VACUUM ANALYZE" -c "CHECKPOINT"
}

INSERT_SQL="INSERT INTO bench $(bench_rows_pg "$ROWS")"
UPDATE_SQL="UPDATE bench SET qty = qty + 1"
DELETE_SQL="DELETE FROM bench"

BASE_MODULE=${CAPTURE_BASE_MODULE:-}
default_variants="none plpgsql transition${BASE_MODULE:+ base} fingerprint"
variants=${CAPTURE_VARIANTS:-$default_variants}
case " $variants " in *" none "*) ;; *) echo "CAPTURE_VARIANTS must include none (the baseline)" >&2; exit 2 ;; esac
raw="$OUT/capture_pg.tsv"
printf 'round\tvariant\top\tms\twal_bytes\tcpu_ms\n' >"$raw"
for round in $(seq 1 "$ROUNDS"); do
	for variant in $variants; do
		setup_variant "$variant"
		for op in INSERT UPDATE DELETE; do
			case $op in INSERT) sql=$INSERT_SQL ;; UPDATE) sql=$UPDATE_SQL ;; DELETE) sql=$DELETE_SQL ;; esac
			# Each statement runs in a new session: LOAD the module first, as a pooled
			# connection (or session_preload_libraries) has it, so its hooks enclose the
			# statement (capture_log_queue.hpp; the first statement that loads it
			# writes its log rows one by one). Every variant does the same; "base" also
			# loads the base build's module, whose own hooks serve its trigger.
			load="LOAD 'fingerprint';"
			[ "$variant" = base ] && load="$load LOAD '$BASE_MODULE';"
			# The backend's CPU time around the statement (/proc/PID/schedstat, ns on a
			# CPU): on a shared machine the wall time also counts waiting for a core.
			result=$(pg -F $'\t' -v "s=$sql" <<SQL
$load
SELECT pg_backend_pid() \\g $work/pid
\\! cut -d' ' -f1 /proc/\$(cat $work/pid)/schedstat > $work/cpu0
SELECT * FROM timed(:'s');
\\! cut -d' ' -f1 /proc/\$(cat $work/pid)/schedstat > $work/cpu1
SQL
			)
			cpu_ms=$(awk -v a="$(cat "$work/cpu0")" -v b="$(cat "$work/cpu1")" 'BEGIN { printf "%.1f", (b - a) / 1e6 }')
			printf '%s\t%s\t%s\t%s\t%s\n' "$round" "$variant" "$op" "$result" "$cpu_ms" >>"$raw"
			log "round $round $variant $op: $(cut -f1 <<<"$result") ms"
		done
	done
done
# The log really was written by our trigger (a check, not a figure).
setup_variant fingerprint
pg -c "$INSERT_SQL" -c "UPDATE bench SET qty = qty + 1 WHERE id <= 10"
logged=$(pg -c "SELECT count(*) FROM fingerprint.change_log")
[ "$logged" -eq $((ROWS + 10)) ] || die "expected $((ROWS + 10)) log rows, found $logged"
fp_ok=$(pg -c "SELECT fingerprint_advance('fp1:xxh3:0:' || repeat('0', 32), op, old_fingerprint, new_fingerprint ORDER BY seq) = table_fingerprint('bench') FROM fingerprint.change_log")
[ "$fp_ok" = t ] || die "the incremental fingerprint differs from table_fingerprint"

# Medians per variant and operation, ratios to "none".
version=$(pg -c "SHOW server_version")
{
	echo "# Change capture on PostgreSQL: $ROWS rows, $ROUNDS interleaved rounds"
	echo
	echo "PostgreSQL $version, $(nproc) cores, $(date -u '+%Y-%m-%d %H:%M UTC'). Median wall time of each statement"
	echo "in the server (after-trigger queue included), ratio to no trigger, the same ratio of the backend's"
	echo "CPU time (the wall time also counts waiting for a core on a shared machine), and WAL per row."
	echo "Generated by bench/capture_pg.sh; raw figures in capture_pg.tsv."
	echo
	echo "| variant | INSERT ms | x | UPDATE ms | x | DELETE ms | x | CPU x I/U/D | WAL B/row I/U/D |"
	echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
	awk -F'\t' -v rows="$ROWS" -v order="$variants" '
		NR > 1 { key = $2 SUBSEP $3; n[key]++; ms[key, n[key]] = $4; wal[key, n[key]] = $5; cpu[key, n[key]] = $6 }
		function median(arr, key, count,    i, j, t, v) {
			for (i = 1; i <= count; i++) v[i] = arr[key, i]
			for (i = 1; i <= count; i++) for (j = i + 1; j <= count; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
			return count % 2 ? v[(count + 1) / 2] : (v[count / 2] + v[count / 2 + 1]) / 2
		}
		END {
			split("INSERT UPDATE DELETE", ops, " ")
			nv = split(order, vs, " ")
			for (o = 1; o <= 3; o++) {
				base[ops[o]] = median(ms, "none" SUBSEP ops[o], n["none" SUBSEP ops[o]])
				cpubase[ops[o]] = median(cpu, "none" SUBSEP ops[o], n["none" SUBSEP ops[o]])
			}
			for (v = 1; v <= nv; v++) {
				line = "| " vs[v]
				walline = ""
				cpuline = ""
				for (o = 1; o <= 3; o++) {
					key = vs[v] SUBSEP ops[o]
					m = median(ms, key, n[key])
					line = line sprintf(" | %.1f | %.2f", m, m / base[ops[o]])
					walline = walline (o > 1 ? "/" : "") sprintf("%.0f", median(wal, key, n[key]) / rows)
					cpuline = cpuline (o > 1 ? "/" : "") sprintf("%.2f", median(cpu, key, n[key]) / cpubase[ops[o]])
				}
				print line " | " cpuline " | " walline " |"
			}
		}' "$raw"
	echo
	echo "Goals (reported, not asserted): fingerprint UPDATE <= 2x, DELETE <= 4x of no trigger."
	echo "Load average at the start: $load_start; at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
} >"$OUT/capture_pg.md"
cat "$OUT/capture_pg.md"
