#!/usr/bin/env bash
# pg_copy.sh FILE KIND — the PostgreSQL peer of `accord import` in bench/run.sh.
#
# In one psql session: creates a temporary table with the file's columns
# (bench/sql/KIND.columns, the header checked against it), loads FILE with
# \copy, loads the small reference tables the query joins, runs
# bench/sql/KIND.sql (the sums Accord's importer computes, the same query
# DuckDB runs in bench/duckdb/sums.mjs) and drops the tables. It prints one
# JSON line like sums.mjs: rows read, groups, the England sums, the
# milliseconds taken, and the server backend's peak resident memory (VmHWM,
# which counts the shared buffers it touched) and CPU seconds, read from /proc
# when the server runs on this machine.
#
# KIND is rtt or ae. PGURL chooses the database (default: accord_test on
# 127.0.0.1 as postgres).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
ref="$(cd "$here/../reference/data" && pwd)"
PGURL="${PGURL:-postgres://postgres@127.0.0.1:5432/accord_test?sslmode=disable}"

if [ $# -ne 2 ] || { [ "$2" != rtt ] && [ "$2" != ae ]; }; then
	echo "usage: bench/pg_copy.sh FILE rtt|ae" >&2
	exit 2
fi
file="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
kind="$2"
columns="$here/sql/$kind.columns"

# The header must be the layout the columns file describes.
if ! diff -q <(head -1 "$file" | sed 's/^\xef\xbb\xbf//; s/\r$//' | tr ',' '\n' | sed 's/^ *//; s/ *$//') \
	<(grep -v '^#' "$columns" | cut -f3) >/dev/null; then
	echo "$file: the header is not the $kind layout of bench/sql/$kind.columns" >&2
	exit 2
fi

# table NAME FILE: a temporary table of text columns c1…cN for a reference file.
table() {
	local n
	n=$(head -1 "$2" | tr -d '\r' | awk -F, '{print NF}')
	printf 'CREATE TEMP TABLE %s (%s);\n' "$1" "$(seq -f 'c%g text' -s ', ' "$n")"
	printf "\\\\copy %s FROM '%s' WITH (FORMAT csv, HEADER true)\n" "$1" "$2"
}

# psql quotes a file name in \copy with single quotes.
case "$file" in *"'"*)
	echo "$file: a file name with a quote cannot be given to \\copy" >&2
	exit 2
	;;
esac

out="$(mktemp)"
trap 'rm -f "$out" "$out.psql"' EXIT

start=$(date +%s%N)
{
	echo '\set ON_ERROR_STOP 1'
	echo 'SELECT pg_backend_pid() AS backend_pid \gset'
	printf 'CREATE TEMP TABLE src (%s);\n' "$(grep -v '^#' "$columns" | awk -F'\t' '{printf "%s%s %s", (NR > 1 ? ", " : ""), $1, $2}')"
	printf "\\\\copy src FROM '%s' WITH (FORMAT csv, HEADER true)\n" "$file"
	table icbs "$ref/icbs_england.csv"
	echo 'CREATE TEMP TABLE icb_region AS SELECT c1 AS icb, c4 AS region FROM icbs;'
	if [ "$kind" = ae ]; then
		table attribution "$ref/ae_provider_to_icb_mapping_mar2024.csv"
		echo 'CREATE TEMP TABLE ae_attribution AS SELECT DISTINCT upper(trim(c1)) AS code, upper(trim(c3)) AS icb FROM attribution;'
		table trusts "$ref/ods_nhs_trusts_etr.csv"
		echo 'CREATE TEMP TABLE trust_icb AS SELECT DISTINCT c1 AS code, c4 AS icb FROM trusts;'
	fi
	echo '\pset format unaligned'
	echo '\pset footer off'
	echo '\pset fieldsep ,'
	echo "\\o $out"
	cat "$here/sql/$kind.sql"
	echo '\o'
	echo '\setenv ACCORD_BENCH_BACKEND :backend_pid'
	echo '\! grep VmHWM /proc/$ACCORD_BENCH_BACKEND/status 2>/dev/null || true'
	echo '\! awk '"'"'{print "cpu_ticks:", $14 + $15}'"'"' /proc/$ACCORD_BENCH_BACKEND/stat 2>/dev/null || true'
	echo 'DROP TABLE src, icbs, icb_region;'
	if [ "$kind" = ae ]; then echo 'DROP TABLE attribution, ae_attribution, trusts, trust_icb;'; fi
} | psql "$PGURL" -X -q -v ON_ERROR_STOP=1 >"$out.psql"
end=$(date +%s%N)

hwm_kb=$(awk '/VmHWM/ {print $2}' "$out.psql")
cpu_s=$(awk -v hz="$(getconf CLK_TCK)" '/^cpu_ticks:/ {printf "%.2f", $2 / hz}' "$out.psql")
version=$(psql "$PGURL" -X -qtAc 'SHOW server_version')
rm -f "$out.psql"

# The results: a header line, then level,org,… rows.
awk -F, -v kind="$kind" -v ms=$(((end - start) / 1000000)) -v hwm="${hwm_kb:-0}" -v cpu="${cpu_s:-0}" -v version="$version" '
	NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	{ groups++ }
	$col["level"] == "england" {
		rows += $col["rows_read"]
		if (kind == "rtt") { a += $col["waiting_list"]; b += $col["over_52w"] } else { a += $col["attendances"]; b += $col["over_4h"] }
	}
	END {
		names = kind == "rtt" ? "\"waiting_list\":%d,\"over_52w\":%d" : "\"attendances\":%d,\"over_4h\":%d"
		printf "{\"engine\":\"postgres\",\"version\":\"%s\",\"kind\":\"%s\",\"rows\":%d,\"groups\":%d,\"england\":{" names "},\"ms\":%d,\"server_peak_kb\":%d,\"server_cpu_s\":%s}\n",
			version, kind, rows, groups, a, b, ms, hwm, cpu
	}' "$out"
