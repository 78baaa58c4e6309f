#!/usr/bin/env bash
# bench/run.sh — how fast `accord import` reads national files, and in how much
# memory, against DuckDB and PostgreSQL COPY reading the same files and
# computing the same sums, in one run on one machine. bench/README.md says
# what it needs and measures; docs/benchmarks.md has the results.
#
#   bash bench/run.sh
#
# Settings (environment):
#   REPS=3          runs of each tool on each file; the tables give medians
#   BIG_PARTS=4     the memory check imports BIG_PARTS × 240 months of CWT
#                   (about 0.5 GB each, so 4 is about 2 GB); 0 skips it
#   EXTRA_AE=1      also an A&E file of 240 months (20 years); 0 skips it
#   PG=postgres://postgres@127.0.0.1:5432   the PostgreSQL server (trust auth)
#   BENCH_DIR=DIR   keep the generated files and raw timings in DIR
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
REPS="${REPS:-3}"
BIG_PARTS="${BIG_PARTS:-4}"
EXTRA_AE="${EXTRA_AE:-1}"
PG="${PG:-postgres://postgres@127.0.0.1:5432}"
bench_db=accord_bench # created and dropped by this script
pg_admin_url="$PG/postgres?sslmode=disable"
pg_bench_url="$PG/$bench_db?sslmode=disable"
export PGURL="$PG/accord_test?sslmode=disable" # where bench/pg_copy.sh makes its temporary tables

if [ -n "${BENCH_DIR:-}" ]; then
	work="$BENCH_DIR"
	mkdir -p "$work"
else
	work="$(mktemp -d -t accord-bench.XXXXXX)"
	trap 'rm -rf "$work"' EXIT
fi

say() { echo "bench: $*" >&2; }
die() {
	say "$*"
	exit 1
}

# --- What the run needs -------------------------------------------------------

if ! command -v go >/dev/null && [ -x /usr/local/go/bin/go ]; then export PATH="$PATH:/usr/local/go/bin"; fi
for tool in go node npm psql pg_isready; do
	command -v "$tool" >/dev/null || die "$tool is missing (see bench/README.md)"
done
# GNU time gives each process's peak resident memory (bash's time does not).
if ! /usr/bin/time -f '%M' true >/dev/null 2>&1; then
	say "installing GNU time"
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	DEBIAN_FRONTEND=noninteractive $sudo apt-get update -qq </dev/null
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq time </dev/null
fi
pg_isready -q -d "$pg_admin_url" || die "PostgreSQL does not answer at $PG"
psql "$pg_admin_url" -X -qtAc "SELECT 1 FROM pg_database WHERE datname = 'accord_test'" | grep -q 1 ||
	psql "$pg_admin_url" -X -qc "CREATE DATABASE accord_test"
# DuckDB comes from npm, in bench/duckdb only.
if [ ! -d bench/duckdb/node_modules/@duckdb/node-api ] || [ bench/duckdb/package-lock.json -nt bench/duckdb/node_modules/.package-lock.json ]; then
	say "installing @duckdb/node-api (npm ci in bench/duckdb)"
	(cd bench/duckdb && npm ci --no-audit --no-fund --loglevel=error)
fi

say "building accord"
go build -o bench/.bin/accord ./cmd/accord
accord="$root/bench/.bin/accord"

# --- Measuring one process ----------------------------------------------------

# measure KEY CMD…: runs CMD under GNU time and appends to $work/KEY.tsv its wall
# seconds, peak RSS (KiB), CPU seconds (user + system) and, when WATCH_DB names
# a database, the peak RSS (KiB) and CPU seconds of the PostgreSQL backends
# serving it. CMD's output is left in $work/last.out.
measure() {
	local key=$1
	shift
	local t0 t1 pid wpid="" server="0 0"
	t0=$EPOCHREALTIME
	/usr/bin/time -f '%M %U %S' -o "$work/time.txt" "$@" >"$work/last.out" 2>"$work/last.err" &
	pid=$!
	if [ -n "${WATCH_DB:-}" ]; then
		watch_backends "$pid" "$WATCH_DB" >"$work/server.txt" &
		wpid=$!
	fi
	if ! wait "$pid"; then
		cat "$work/last.err" "$work/last.out" >&2
		die "failed: $*"
	fi
	t1=$EPOCHREALTIME
	if [ -n "$wpid" ]; then
		wait "$wpid"
		server=$(cat "$work/server.txt")
	fi
	local rss user sys
	read -r rss user sys < <(tail -1 "$work/time.txt")
	awk -v t0="$t0" -v t1="$t1" -v rss="$rss" -v u="$user" -v s="$sys" -v srv="$server" \
		'BEGIN { split(srv, v, " "); printf "%.3f\t%d\t%.2f\t%d\t%.2f\n", t1 - t0, rss, u + s, v[1], v[2] }' >>"$work/$key.tsv"
}

# watch_backends PID DB: while PID runs, the PostgreSQL backends serving DB on
# this machine, read ten times a second: the largest peak RSS (VmHWM, KiB) and
# the CPU seconds they had used when last seen, added up.
watch_backends() {
	local max=0 p hwm ticks
	local -A cpu=()
	while kill -0 "$1" 2>/dev/null; do
		for p in $(pgrep -f "^postgres: .* $2 " || true); do
			hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$p/status" 2>/dev/null || true)
			if [ -n "$hwm" ] && [ "$hwm" -gt "$max" ]; then max=$hwm; fi
			ticks=$(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || true)
			[ -z "$ticks" ] || cpu[$p]=$ticks
		done
		sleep 0.1
	done
	ticks=0
	for p in "${!cpu[@]}"; do ticks=$((ticks + cpu[$p])); done
	echo "$max $(awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", t / hz }')"
}

fresh_sqlite() {
	rm -f "$work/bench.db" "$work/bench.db-wal" "$work/bench.db-shm"
	"$accord" migrate --db "$work/bench.db" >/dev/null
}

fresh_postgres() {
	psql "$pg_admin_url" -X -q -v ON_ERROR_STOP=1 -c "SET client_min_messages = warning" \
		-c "DROP DATABASE IF EXISTS $bench_db WITH (FORCE)" -c "CREATE DATABASE $bench_db" >/dev/null
	"$accord" migrate --db "$pg_bench_url" >/dev/null
}

drop_postgres() {
	psql "$pg_admin_url" -X -q -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $bench_db WITH (FORCE)" >/dev/null
}
trap_cleanup() {
	drop_postgres || true
	[ -n "${BENCH_DIR:-}" ] || rm -rf "$work"
}
trap trap_cleanup EXIT

# England's sums as Accord stored them, to check every tool added up the same.
accord_england() { # KIND
	local sql
	case $1 in
	rtt) sql="SELECT (SELECT sum(value) FROM observations WHERE indicator_id = 'rtt_waiting_list' AND org_code = 'ENG')::bigint
	              || ' ' || (SELECT sum(value) FROM observations WHERE indicator_id = 'rtt_52w_count' AND org_code = 'ENG')::bigint" ;;
	ae) sql="SELECT sum(denominator)::bigint || ' ' || sum(denominator - numerator)::bigint
	         FROM observations WHERE indicator_id = 'ae_4h_all' AND org_code = 'ENG'" ;;
	esac
	psql "$pg_bench_url" -X -qtAc "$sql"
}

# json_field NAME < JSON: one field of a JSON object; an object's values joined by spaces.
# assessed KEY: after an accord run, appends to $work/KEY.assess the seconds its
# closing "Assessed … series … in DURATION." line gives (0 when there is none):
# accord import reassesses the series it touched, after the import's commit.
assessed() {
	sed -nE 's/^Assessed .* in ([0-9.]+)(µs|us|ms|s)\.$/\1 \2/p' "$work/last.out" |
		awk 'BEGIN { t = 0 } { t = $1 / ($2 == "ms" ? 1000 : ($2 == "s" ? 1 : 1e6)) } END { printf "%.3f\n", t }' >>"$work/$1.assess"
}

json_field() {
	node -e 'const o = JSON.parse(require("fs").readFileSync(0, "utf8"))[process.argv[1]];
		console.log(typeof o === "object" ? Object.values(o).join(" ") : String(o))' "$1"
}

# --- The files ----------------------------------------------------------------

machine="$(nproc) cores, $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo), $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

files=(rtt ae)
declare -A kind=([rtt]=rtt [ae]=ae [ae20]=ae)
declare -A about=(
	[rtt]="RTT Full CSV, one national month (accord gen --seed 1 rtt)"
	[ae]="A&E monthly CSV by provider, a year (accord gen --seed 1 ae)"
	[ae20]="A&E monthly CSV by provider, 20 years (accord gen --seed 1 --months 240 ae)"
)
say "generating files in $work"
rm -f "$work"/*.tsv "$work"/*.ms "$work"/*.json "$work"/*.assess
"$accord" gen --seed 1 --out "$work/rtt.csv" rtt >/dev/null
"$accord" gen --seed 1 --out "$work/ae.csv" ae >/dev/null
if [ "$EXTRA_AE" != 0 ]; then
	"$accord" gen --seed 1 --months 240 --out "$work/ae20.csv" ae >/dev/null
	files+=(ae20)
fi

# --- The runs -----------------------------------------------------------------

tools=(accord-sqlite accord-postgres duckdb postgres-copy)
declare -A tool_name=(
	[accord-sqlite]="Accord → SQLite"
	[accord-postgres]="Accord → PostgreSQL"
	[duckdb]="DuckDB read_csv + GROUP BY"
	[postgres-copy]="PostgreSQL COPY + GROUP BY"
)
declare -A rows checks
for f in "${files[@]}"; do
	file="$work/$f.csv"
	for rep in $(seq "$REPS"); do
		say "$f: run $rep of $REPS"
		# The tools take turns, so a busy moment on the machine falls on all of them.
		fresh_sqlite
		measure "$f.accord-sqlite" "$accord" import --quiet --db "$work/bench.db" "$file"
		assessed "$f.accord-sqlite"
		r=$(sed -nE 's/.* observations from ([0-9]+) rows.*/\1/p' "$work/last.out" | head -1)
		[ -n "$r" ] || die "$f: cannot read the row count from: $(cat "$work/last.out")"
		rows[$f]=$r

		fresh_postgres
		WATCH_DB=$bench_db measure "$f.accord-postgres" "$accord" import --quiet --db "$pg_bench_url" "$file"
		assessed "$f.accord-postgres"
		[ "$rep" -gt 1 ] || checks[$f.accord]="$(accord_england "${kind[$f]}")"

		measure "$f.duckdb" node bench/duckdb/sums.mjs "$file" "${kind[$f]}"
		cp "$work/last.out" "$work/$f.duckdb.json"
		json_field ms <"$work/last.out" >>"$work/$f.duckdb.ms"

		measure "$f.postgres-copy" bash bench/pg_copy.sh "$file" "${kind[$f]}"
		cp "$work/last.out" "$work/$f.postgres-copy.json"
		# The script reads its backend's peak RSS and CPU time itself.
		srv_kb=$(json_field server_peak_kb <"$work/last.out")
		srv_cpu=$(json_field server_cpu_s <"$work/last.out")
		sed -i -E "\$s/[0-9.]+\t[0-9.]+\$/$srv_kb\t$srv_cpu/" "$work/$f.postgres-copy.tsv"
	done
	for t in duckdb postgres-copy; do
		n=$(json_field rows <"$work/$f.$t.json")
		[ "$n" = "${rows[$f]}" ] || say "WARNING: $f: $t read $n rows, Accord ${rows[$f]}"
		checks[$f.$t]="$(json_field england <"$work/$f.$t.json")"
	done
done
drop_postgres

# --- The memory check ---------------------------------------------------------

big_rows=() big_obs=()
if [ "$BIG_PARTS" -gt 0 ]; then
	say "memory check: generating $BIG_PARTS × 240 months of CWT"
	: >"$work/big.csv"
	for i in $(seq 0 $((BIG_PARTS - 1))); do
		# Each part is 20 later years, so the months never repeat.
		"$accord" gen --seed $((i + 1)) --months 240 --from "$((2024 + 20 * i))-11" --out "$work/part.csv" cwt >/dev/null
		if [ "$i" -eq 0 ]; then
			cp "$work/part.csv" "$work/big1.csv"
			cat "$work/part.csv" >>"$work/big.csv"
		else
			tail -n +2 "$work/part.csv" >>"$work/big.csv"
		fi
	done
	rm -f "$work/part.csv"
	for b in big1 big; do
		say "memory check: accord import --dry-run $b.csv ($(du -h "$work/$b.csv" | cut -f1))"
		fresh_sqlite
		measure "$b.accord-sqlite" "$accord" import --quiet --dry-run --db "$work/bench.db" "$work/$b.csv"
		big_rows+=("$(sed -nE 's/.* ([0-9]+) observations from ([0-9]+) rows.*/\2/p' "$work/last.out" | head -1)")
		big_obs+=("$(sed -nE 's/.* ([0-9]+) observations from ([0-9]+) rows.*/\1/p' "$work/last.out" | head -1)")
	done
fi
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# --- The tables ---------------------------------------------------------------

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
col() { cut -f"$2" "$work/$1.tsv" | median; } # KEY COLUMN: the median of one column
commas() { printf '%.0f' "$1" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta'; }
size_mb() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.1f", b / 1e6 }'; }

echo
echo "Machine: $machine; $(go version | cut -d' ' -f3); node $(node --version); DuckDB $(json_field version <"$work/rtt.duckdb.json");" \
	"PostgreSQL $(psql "$pg_admin_url" -X -qtAc 'SHOW server_version' | cut -d' ' -f1) on 127.0.0.1." \
	"Load average $load_before before, $load_after after. Median of $REPS runs."
for f in "${files[@]}"; do
	file="$work/$f.csv"
	mb=$(size_mb "$file")
	base=$(col "$f.accord-sqlite" 1)
	echo
	echo "**${about[$f]}**: $mb MB, $(commas "${rows[$f]}") rows."
	echo
	echo "| tool | wall time | MB/s | rows/s | CPU time (with server) | peak RSS | server backend peak RSS | time vs Accord → SQLite |"
	echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
	for t in "${tools[@]}"; do
		wall=$(col "$f.$t" 1)
		rss=$(col "$f.$t" 2)
		cpu=$(awk -v a="$(col "$f.$t" 3)" -v b="$(col "$f.$t" 5)" 'BEGIN { print a + b }')
		srv=$(col "$f.$t" 4)
		server="–"
		[ "${srv%.*}" -gt 0 ] 2>/dev/null && server="$(awk -v k="$srv" 'BEGIN { printf "%.0f MiB", k / 1024 }')"
		awk -v name="${tool_name[$t]}" -v wall="$wall" -v mb="$mb" -v rows="${rows[$f]}" -v cpu="$cpu" -v rss="$rss" -v srv="$server" -v base="$base" '
			function commas(n,   s) { s = sprintf("%.0f", n); while (s ~ /[0-9][0-9][0-9][0-9]/) sub(/[0-9][0-9][0-9]([,]|$)/, ",&", s); return s }
			BEGIN { printf "| %s | %.2f s | %.1f | %s | %.2f s | %.0f MiB | %s | %.2f× |\n", name, wall, mb / wall, commas(rows / wall), cpu, rss / 1024, srv, wall / base }'
	done
	echo
	echo "Of Accord's wall time, reassessing the series the import touched (after its commit) took" \
		"$(median <"$work/$f.accord-sqlite.assess") s with SQLite and $(median <"$work/$f.accord-postgres.assess") s with PostgreSQL."
	if [ -f "$work/$f.duckdb.ms" ]; then
		echo "DuckDB inside its process, after the Node.js module has loaded: $(awk '{ printf "%.2f s", $1 / 1000 }' < <(median <"$work/$f.duckdb.ms"))."
	fi
	echo "England check ($([ "${kind[$f]}" = rtt ] && echo 'waiting list, over 52 weeks' || echo 'attendances, over 4 hours')):" \
		"Accord ${checks[$f.accord]}; DuckDB ${checks[$f.duckdb]}; PostgreSQL ${checks[$f.postgres-copy]}" \
		"$([ "${checks[$f.accord]}" = "${checks[$f.duckdb]}" ] && [ "${checks[$f.accord]}" = "${checks[$f.postgres-copy]}" ] && echo '— the same.' || echo '— DIFFERENT.')"
done
if [ "$BIG_PARTS" -gt 0 ]; then
	echo
	echo "**Memory check**: \`accord import --dry-run\` of generated CWT provider extracts (accord gen cwt, 240 months a part, parts concatenated), into a fresh SQLite database; one run each."
	echo
	echo "| file | size | rows | observations | wall time | MB/s | peak RSS |"
	echo "| --- | --- | --- | --- | --- | --- | --- |"
	i=0
	for b in big1 big; do
		mb=$(size_mb "$work/$b.csv")
		awk -v name="$([ $b = big1 ] && echo '240 months' || echo "$((240 * BIG_PARTS)) months")" -v mb="$mb" -v rows="${big_rows[$i]}" -v obs="${big_obs[$i]}" \
			-v wall="$(col $b.accord-sqlite 1)" -v rss="$(col $b.accord-sqlite 2)" '
			function commas(n,   s) { s = sprintf("%.0f", n); while (s ~ /[0-9][0-9][0-9][0-9]/) sub(/[0-9][0-9][0-9]([,]|$)/, ",&", s); return s }
			BEGIN { printf "| %s | %.0f MB | %s | %s | %.1f s | %.1f | %.0f MiB |\n", name, mb, commas(rows), commas(obs), wall, mb / wall, rss / 1024 }'
		i=$((i + 1))
	done
fi
