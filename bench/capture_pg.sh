#!/bin/bash
# Change-capture overhead on PostgreSQL (docs/capture.md): INSERT, UPDATE and DELETE of
# CAPTURE_ROWS rows of the benchmark table (bench/lib.sh's definition and data) with
#   none        no trigger
#   plpgsql     a PL/pgSQL AFTER ROW audit trigger logging to_jsonb(NEW) / to_jsonb(OLD)
#   transition  AFTER ... FOR EACH STATEMENT triggers over transition tables (to_jsonb)
#   fingerprint fingerprint_capture_enable (the C trigger: images + row fingerprints)
#   kept        fingerprint, the log's pages left free by a consumer's cleanup reused
#   emptied     fingerprint, the log's free pages truncated away by vacuum (extended again)
# Rounds are interleaved (round 1: every variant, round 2: every variant, ...); each
# statement is timed in the server (clock_timestamp around EXECUTE, after-trigger queue
# included) with the WAL it wrote. Reports medians and ratios to "none" in
# $CAPTURE_OUT/capture_pg.md (and raw figures in capture_pg.tsv), with the median and
# spread of the per-round ratios (each statement over the same round's no-trigger one).
#
#   bench/capture_pg.sh                            # 200,000 rows, 5 rounds
#   CAPTURE_ROWS=20000 CAPTURE_ROUNDS=3 bench/capture_pg.sh
#   CAPTURE_VARIANTS="none fingerprint" bench/capture_pg.sh   # fewer variants, shorter
#   CAPTURE_BASE_MODULE=/path/to/old/build/pg_extension/fingerprint.so bench/capture_pg.sh
#   CAPTURE_PERF=1 bench/capture_pg.sh    # also perf profiles of the captured statements
#   CAPTURE_SESSIONS=pooled bench/capture_pg.sh   # one session per variant, not per statement
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
	kept | emptied)
		# A log that a consumer has caught up with: it held one round's changes, cleanup
		# removed them all and vacuum ran. kept: vacuum leaves the empty pages as free
		# space (vacuum_truncate = false, 1.6's setting); emptied: vacuum truncates them
		# (PostgreSQL's default), so writers extend the log again page by page.
		local truncate=false
		[ "$variant" = emptied ] && truncate=true
		pg >/dev/null <<SQL
SELECT fingerprint_capture_enable('bench');
INSERT INTO bench $(bench_rows_pg "$ROWS");
UPDATE bench SET qty = qty + 1;
DELETE FROM bench;
DELETE FROM fingerprint.change_log;
ALTER TABLE fingerprint.change_log SET (vacuum_truncate = $truncate);
SQL
		;;
	esac
	pg -c "VACUUM ANALYZE" -c "CHECKPOINT"
	case "$variant" in kept | emptied) log "$variant: the log has $(pg -c "SELECT pg_relation_size('fingerprint.change_log') / 8192") pages" ;; esac
}

INSERT_SQL="INSERT INTO bench $(bench_rows_pg "$ROWS")"
UPDATE_SQL="UPDATE bench SET qty = qty + 1"
DELETE_SQL="DELETE FROM bench"

BASE_MODULE=${CAPTURE_BASE_MODULE:-}
default_variants="none plpgsql transition${BASE_MODULE:+ base} fingerprint"
variants=${CAPTURE_VARIANTS:-$default_variants}
case " $variants " in *" none "*) ;; *) echo "CAPTURE_VARIANTS must include none (the baseline)" >&2; exit 2 ;; esac
raw="$OUT/capture_pg.tsv"
printf 'round\tvariant\top\tms\twal_bytes\tcpu_ms\twait_ms\n' >"$raw"
# CAPTURE_SESSIONS=new (default): each statement runs in a new session. =pooled: each
# variant keeps one session for all its statements, as a connection pool does. Why it
# matters: a backend takes a page fault the first time it touches each 4 kB page of a
# shared buffer (without huge pages), so a new session pays for every buffer its statement
# reads or fills, the log's new pages included; a pooled one has mapped the buffers it used
# before, but not necessarily those the next statement gets (bench/RESULTS.md, "Change
# capture in 1.6").
SESSIONS=${CAPTURE_SESSIONS:-new}
case "$SESSIONS" in new | pooled) ;; *) echo "CAPTURE_SESSIONS must be new or pooled" >&2; exit 2 ;; esac
declare -A session_fd session_pid
open_session() { # variant: a psql reading $work/in-VARIANT, writing $work/out-VARIANT
	mkfifo "$work/in-$1"
	pg -F $'\t' <"$work/in-$1" >"$work/out-$1" 2>&1 &
	session_pid[$1]=$!
	exec {fd}>"$work/in-$1"
	session_fd[$1]=$fd
}
# Runs psql input in the variant's session (pooled) or a new one; prints its output.
in_session() { # variant input
	if [ "$SESSIONS" = new ]; then
		pg -F $'\t' <<<"$2"
		return
	fi
	# Called in $(...), a subshell: the marker is made unique by the time, not a counter.
	local marker lines
	marker="-- done $(date +%s%N) --"
	lines=$(wc -l <"$work/out-$1")
	printf '%s\n\\echo %s\n' "$2" "$marker" >&"${session_fd[$1]}"
	until grep -qxF -- "$marker" "$work/out-$1"; do
		kill -0 "${session_pid[$1]}" 2>/dev/null || die "the $1 session ended: $(cat "$work/out-$1")"
		sleep 0.05
	done
	tail -n +"$((lines + 1))" "$work/out-$1" | grep -vxF -- "$marker"
}
if [ "$SESSIONS" = pooled ]; then
	for variant in $variants; do open_session "$variant"; done
fi
for round in $(seq 1 "$ROUNDS"); do
	for variant in $variants; do
		setup_variant "$variant"
		for op in INSERT UPDATE DELETE; do
			case $op in INSERT) sql=$INSERT_SQL ;; UPDATE) sql=$UPDATE_SQL ;; DELETE) sql=$DELETE_SQL ;; esac
			# A new session LOADs the module first, as a pooled connection (or
			# session_preload_libraries) has it, so its hooks enclose the statement
			# (capture_log_queue.hpp; the first statement that loads it writes its log
			# rows one by one). Every variant does the same; "base" also loads the base
			# build's module, whose own hooks serve its trigger.
			load="LOAD 'fingerprint';"
			[ "$variant" = base ] && load="$load LOAD '$BASE_MODULE';"
			# The backend's CPU time around the statement (/proc/PID/schedstat, ns on a
			# CPU): on a shared machine the wall time also counts waiting for a core.
			result=$(in_session "$variant" "$load
SELECT pg_backend_pid() \\g $work/pid
\\! cut -d' ' -f1,2 /proc/\$(cat $work/pid)/schedstat > $work/cpu0
SELECT * FROM timed(\$statement\$$sql\$statement\$);
\\! cut -d' ' -f1,2 /proc/\$(cat $work/pid)/schedstat > $work/cpu1")
			# schedstat: ns on a CPU, ns waiting in the run queue for one.
			read -r cpu0 wait0 <"$work/cpu0"
			read -r cpu1 wait1 <"$work/cpu1"
			cpu_ms=$(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN { printf "%.1f", (b - a) / 1e6 }')
			wait_ms=$(awk -v a="$wait0" -v b="$wait1" 'BEGIN { printf "%.1f", (b - a) / 1e6 }')
			printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$variant" "$op" "$result" "$cpu_ms" "$wait_ms" >>"$raw"
			log "round $round $variant $op: $(cut -f1 <<<"$result") ms"
		done
	done
done
if [ "$SESSIONS" = pooled ]; then
	for variant in $variants; do
		fd=${session_fd[$variant]}
		exec {fd}>&- # EOF: the session's psql ends
	done
	wait
fi
# CAPTURE_PERF=1: one more, untimed pass of the fingerprint variant with `perf record -g`
# of the backend around each statement ($CAPTURE_OUT/perf-{INSERT,UPDATE,DELETE}.data; read
# them with perf report -i FILE --no-children --sort dso,sym). Not part of the figures:
# perf itself costs the backend time.
# perf_split FILE...: a table of each profile's samples by part (statement, log, trigger).
perf_split() {
	python3 - "$@" <<'PY'
# Splits perf samples of a captured statement by the leaf-most recognised frame. postgres has
# no frame pointers, so stacks are partial; the log's own calls are told apart by their
# callers (heap_multi_insert for the heap, index_insert without ExecInsertIndexTuples for
# the index). Shares are approximate.
import subprocess, sys, collections
wrappers = ("CaptureExecutorFinish", "CaptureProcessUtility", "WriteCurrentRun", "WriteBatch", "CallGuarded")
def classify(frames):  # (sym, dso), leaf first
    stack = " ".join(s for s, _ in frames)
    log_heap = "heap_multi_insert" in stack or "WriteBatch" in stack or "WriteCurrentRun" in stack
    stmt_index = "ExecInsertIndexTuples" in stack
    for sym, dso in frames:
        if "heap_fetch" in sym: return "after-trigger queue: heap_fetch of old/new row"
        if sym in ("btinsert", "_bt_doinsert", "index_insert") or "InsertIndexEntries" in sym:
            return "statement: its index inserts" if stmt_index else "log: txid index insert"
        if "RelationGetBufferForTuple" in sym:
            return "log: extension (new page: zeroed, pwrite)" if "heap_multi_insert" in stack else "statement: extension of its table"
        if sym in ("XLogInsert", "XLogInsertRecord"):
            return "log: heap WAL" if "heap_multi_insert" in stack else "statement: WAL"
        if sym in ("heap_form_tuple", "QueueLogRow") or "InsertLogRow" in sym or sym == "table_open":
            return "trigger: forming/queueing the log row"
        if "heap_multi_insert" in sym: return "log: heap_multi_insert, other"
        if "fingerprint.so" in dso and not any(w in sym for w in wrappers): return "trigger: deform, images, fingerprints"
        if "AfterTrigger" in sym or "ExecCallTriggerFunc" in sym: return "after-trigger queue: events, calls"
        if "XLogFlush" in sym or "CommitTransaction" in sym: return "commit (WAL flush)"
    return "statement: rest (scan, heap_update/delete, executor)"
def split(path):
  out = subprocess.run(["perf", "script", "-i", path, "-F", "ip,sym,dso"], capture_output=True, text=True).stdout
  counts = collections.Counter(); total = 0
  for block in out.split("\n\n"):
    frames = []
    for line in block.strip().splitlines():
        parts = line.split(None, 1)
        if len(parts) < 2: continue
        sym, _, dso = parts[1].rpartition(" (")
        frames.append((sym, dso))
    if not frames: continue
    total += 1
    counts[classify(frames)] += 1
  return counts, total
results = [split(p) for p in sys.argv[1:]]
names = sorted(set().union(*[c for c, _ in results]))
print("| part of the captured statement | " + " | ".join(p.rsplit("/", 1)[-1][5:-5] for p in sys.argv[1:]) + " |")
print("|---|" + "---:|" * len(results))
for name in names:
    print(f"| {name} | " + " | ".join(f"{100.0 * c[name] / t:.1f}%" for c, t in results) + " |")
print("| samples | " + " | ".join(str(t) for _, t in results) + " |")
PY
}
if [ "${CAPTURE_PERF:-0}" = 1 ]; then
	setup_variant fingerprint
	for op in INSERT UPDATE DELETE; do
		case $op in INSERT) sql=$INSERT_SQL ;; UPDATE) sql=$UPDATE_SQL ;; DELETE) sql=$DELETE_SQL ;; esac
		pg -v "s=$sql" >/dev/null <<SQL
LOAD 'fingerprint';
SELECT pg_backend_pid() \\g $work/pid
\\! perf record -q -g -o $OUT/perf-$op.data -p \$(cat $work/pid) >/dev/null 2>&1 & echo \$! > $work/perf.pid; sleep 1
SELECT * FROM timed(:'s');
\\! kill -INT \$(cat $work/perf.pid); while kill -0 \$(cat $work/perf.pid) 2>/dev/null; do sleep 0.2; done
SQL
		log "perf profile of the captured $op: $OUT/perf-$op.data"
	done
fi

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
	echo "# Change capture on PostgreSQL: $ROWS rows, $ROUNDS interleaved rounds, $SESSIONS sessions"
	echo
	echo "PostgreSQL $version, $(nproc) cores, $(date -u '+%Y-%m-%d %H:%M UTC'). Median wall time of each statement"
	echo "in the server (after-trigger queue included), ratio to no trigger, the same ratio of the backend's"
	echo "CPU time (the wall time also counts waiting for a core on a shared machine), WAL per row, and"
	echo "the backend's time in the run queue, waiting for a core (/proc/PID/schedstat; like the CPU time it"
	echo "covers the whole timed query, parse to commit)."
	echo "Generated by bench/capture_pg.sh; raw figures in capture_pg.tsv."
	echo
	echo "| variant | INSERT ms | x | UPDATE ms | x | DELETE ms | x | CPU x I/U/D | WAL B/row I/U/D | run queue ms I/U/D |"
	echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
	awk -F'\t' -v rows="$ROWS" -v order="$variants" '
		NR > 1 {
			key = $2 SUBSEP $3; n[key]++; ms[key, n[key]] = $4; wal[key, n[key]] = $5; cpu[key, n[key]] = $6
			waitms[key, n[key]] = $7
		}
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
				splitline = ""
				for (o = 1; o <= 3; o++) {
					key = vs[v] SUBSEP ops[o]
					m = median(ms, key, n[key])
					line = line sprintf(" | %.1f | %.2f", m, m / base[ops[o]])
					walline = walline (o > 1 ? "/" : "") sprintf("%.0f", median(wal, key, n[key]) / rows)
					cpuline = cpuline (o > 1 ? "/" : "") sprintf("%.2f", median(cpu, key, n[key]) / cpubase[ops[o]])
					splitline = splitline (o > 1 ? "/" : "") sprintf("%.0f", median(waitms, key, n[key]))
				}
				print line " | " cpuline " | " walline " | " splitline " |"
			}
		}' "$raw"
	echo
	echo "Per-round ratios to no trigger (each variant's statement over the same round's no-trigger"
	echo "statement; rounds run minutes apart, so a round's ratio sees one state of the machine):"
	echo "median [lowest-highest] of the rounds: wall time, CPU time, and wall time less the time spent in"
	echo "the run queue (about what the wall ratio would be with a core free for the backend; the run-queue"
	echo "time covers the whole query, parse to commit, so for statements of a few ms this is noise)."
	echo
	echo "| variant | INSERT wall | UPDATE wall | DELETE wall | INSERT CPU | UPDATE CPU | DELETE CPU | I/U/D wall less run queue |"
	echo "|---|---:|---:|---:|---:|---:|---:|---:|"
	awk -F'\t' -v order="$variants" '
		NR > 1 { key = $2 SUBSEP $3; n[key]++; ms[key, n[key]] = $4; cpu[key, n[key]] = $6; ran[key, n[key]] = $4 - $7 }
		function spread(arr, key,    i, j, t, v, c, base) {
			c = 0
			for (i = 1; i <= n[key]; i++) {
				split(key, parts, SUBSEP)
				base = arr["none" SUBSEP parts[2], i]
				# (wall less run queue can go below zero for a short statement: the run-queue
				# time covers the whole query, parse to commit; such rounds are left out)
				if (base > 0 && arr[key, i] > 0) v[++c] = arr[key, i] / base
			}
			for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
			if (c == 0) return "-"
			return sprintf("%.2f [%.2f-%.2f]", c % 2 ? v[(c + 1) / 2] : (v[c / 2] + v[c / 2 + 1]) / 2, v[1], v[c])
		}
		END {
			split("INSERT UPDATE DELETE", ops, " ")
			nv = split(order, vs, " ")
			for (v = 1; v <= nv; v++) {
				if (vs[v] == "none") continue
				line = "| " vs[v]
				for (o = 1; o <= 3; o++) line = line " | " spread(ms, vs[v] SUBSEP ops[o])
				for (o = 1; o <= 3; o++) line = line " | " spread(cpu, vs[v] SUBSEP ops[o])
				for (o = 1; o <= 3; o++) line = line (o > 1 ? " / " : " | ") spread(ran, vs[v] SUBSEP ops[o])
				print line " |"
			}
		}' "$raw"
	if [ "${CAPTURE_PERF:-0}" = 1 ]; then
		echo
		echo "Where the captured statements' time goes (perf samples of the backend, CAPTURE_PERF=1):"
		echo
		perf_split "$OUT/perf-INSERT.data" "$OUT/perf-UPDATE.data" "$OUT/perf-DELETE.data"
	fi
	echo
	echo "Goals (reported, not asserted): fingerprint UPDATE <= 2x, DELETE <= 4x of no trigger."
	echo "Load average at the start: $load_start; at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
} >"$OUT/capture_pg.md"
cat "$OUT/capture_pg.md"
