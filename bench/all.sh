#!/usr/bin/env bash
# bench/all.sh runs every benchmark BENCHMARKS.md reports, on SQLite and on
# PostgreSQL, and prints one Markdown table of the ratios against each
# benchmark's bare handler and its targets.
#
#	bench/all.sh [-d 3s] [-w 1s] [-r 2] [-e both|sqlite|postgres] [-pg URL] [-o DIR] [REPO]
#
# REPO is the checkout to measure (default: the current directory), so the
# same script measures an older checkout too; a program or benchmark that
# checkout lacks is shown as such. -d is each measured run, -w the warm-up
# before it, -r the runs of each target (bare and real alternate; the better
# of each is reported). With -d 3s a full run takes about ten minutes on two
# cores, most of it seeding the network view's 1,000 services. Every
# program's whole report is written to DIR (default: a new temporary
# directory), named in the output. Progress goes to stderr, the report to
# stdout.
set -euo pipefail

duration=3s
warmup=1s
rounds=2
engines=both
pg='postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable'
outdir=

usage() {
	sed -n '6p' "${BASH_SOURCE[0]}" | sed 's/^#\t*/usage: /' >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case $1 in
	-d) duration=$2; shift 2 ;;
	-w) warmup=$2; shift 2 ;;
	-r) rounds=$2; shift 2 ;;
	-e) engines=$2; shift 2 ;;
	-pg) pg=$2; shift 2 ;;
	-o) outdir=$2; shift 2 ;;
	-h | --help) usage ;;
	-*) usage ;;
	*) break ;;
	esac
done
[ $# -le 1 ] || usage
repo=$(cd "${1:-.}" && pwd)
case $engines in
both) dbs=(sqlite "$pg") ;;
sqlite) dbs=(sqlite) ;;
postgres) dbs=("$pg") ;;
*) usage ;;
esac
[ -f "$repo/go.mod" ] || { echo "all.sh: $repo has no go.mod" >&2; exit 2; }
if [ -z "$outdir" ]; then
	outdir=$(mktemp -d /tmp/alongside-bench.XXXXXX)
fi
mkdir -p "$outdir"
bin="$outdir/bin"
mkdir -p "$bin"

started=$SECONDS
rows=()

progress() {
	printf '[%3ds] %s\n' "$((SECONDS - started))" "$*" >&2
}

# engineOf names a -db value as the reports do.
engineOf() {
	case $1 in
	sqlite) echo sqlite ;;
	*) echo postgres ;;
	esac
}

# dbFlag is the -db argument as a reader would type it.
dbFlag() {
	case $1 in
	sqlite) echo "" ;;
	*) echo " -db '$1'" ;;
	esac
}

# row adds a table row: benchmark, engine, command, throughput ratio, p99
# ratio, target, result.
row() {
	rows+=("| $1 | $2 | \`$3\` | $4 | $5 | $6 | $7 |")
}

# program builds bench/NAME once and runs it with the given scenario flag
# on each engine, adding a row for every comparison its report prints.
program() {
	local name=$1 only=$2
	local onlyFlag=""
	[ -z "$only" ] || onlyFlag=" -only $only"
	if [ ! -d "$repo/bench/$name" ]; then
		row "bench/$name${only:+ ($only)}" "–" "go run ./bench/$name$onlyFlag" "–" "–" "–" "not in this checkout"
		return
	fi
	if [ ! -x "$bin/$name" ]; then
		progress "building bench/$name"
		if ! (cd "$repo" && go build -o "$bin/$name" "./bench/$name") 2>"$outdir/$name-build.txt"; then
			row "bench/$name" "–" "go build ./bench/$name" "–" "–" "–" "FAIL: does not build ($outdir/$name-build.txt)"
			return
		fi
	fi
	local db log args
	for db in "${dbs[@]}"; do
		log="$outdir/$name${only:+-$only}-$(engineOf "$db").md"
		args=(-duration "$duration" -warmup "$warmup" -rounds "$rounds")
		[ -z "$only" ] || args+=(-only "$only")
		[ "$db" = sqlite ] || args+=(-db "$db")
		progress "bench/$name$onlyFlag on $(engineOf "$db")"
		local cmd="go run ./bench/$name$onlyFlag -duration $duration -warmup $warmup$(dbFlag "$db")"
		[ "$rounds" = 2 ] || cmd+=" -rounds $rounds"
		local failed=""
		(cd "$repo" && "$bin/$name" "${args[@]}") >"$log" 2>"$log.err" || failed=$(tail -n 1 "$log.err")
		local found=0 line
		while IFS= read -r line; do
			found=1
			IFS='|' read -r title engine tp tpTarget tpResult p99 p99Target p99Result <<<"$line"
			local target="≥ $tpTarget" result=$tpResult
			if [ -n "$p99" ]; then
				target+=", p99 ≤ $p99Target×"
				[ "$p99Result" = PASS ] || result=FAIL
				p99+="×"
			else
				p99="–"
			fi
			row "$title" "$engine" "$cmd" "$tp" "$p99" "$target" "$result"
		done < <(summaries "$log")
		if [ -n "$failed" ]; then
			row "bench/$name${only:+ ($only)}" "$(engineOf "$db")" "$cmd" "–" "–" "–" "FAIL: ${failed//|/\\|}"
		elif [ $found = 0 ]; then
			row "bench/$name${only:+ ($only)}" "$(engineOf "$db")" "$cmd" "–" "–" "–" "no report ($log)"
		fi
	done
}

# summaries reads a bench program's Markdown report and prints one line per
# comparison: title|engine|ratio|target|result|p99 ratio|target|result,
# the p99 fields empty where the benchmark sets no p99 target.
summaries() {
	awk '
	function flush() {
		if (title != "" && tp != "") print title "|" engine "|" tp "|" p99
		title = ""; tp = ""; p99 = ""
	}
	function cell(s) { gsub(/^ +| +$/, "", s); return s }
	/^#+ .* — (sqlite|postgres)$/ {
		flush()
		line = $0
		sub(/^#+ /, "", line)
		engine = line; sub(/.* — /, "", engine)
		title = line; sub(/ — [a-z]+$/, "", title); sub(/ vs .*/, "", title)
	}
	/^\| real ÷ bare throughput \|/ {
		split($0, f, "|")
		t = cell(f[4]); sub(/^≥ /, "", t)
		tp = cell(f[3]) "|" t "|" cell(f[5])
	}
	/^\| real p99 ÷ bare p99 \|/ {
		split($0, f, "|")
		t = cell(f[4]); sub(/^≤ /, "", t)
		p99 = cell(f[3]) "|" t "|" cell(f[5])
	}
	END { flush() }
	' "$1"
}

# gobench runs the go test benchmarks matching pattern in pkg and prints
# "name ns/op" for each.
gobench() {
	local pkg=$1 pattern=$2 log="$outdir/gobench-${1//[^a-z]/}.txt"
	progress "go test $pkg -bench $pattern"
	(cd "$repo" && go test "$pkg" -run '^$' -bench "$pattern" -benchmem -count 1) >"$log" 2>&1 || true
	awk '/^Benchmark/ { name = $1; sub(/^Benchmark/, "", name); sub(/-[0-9]+$/, "", name)
		for (i = 2; i < NF; i++) if ($(i+1) == "ns/op") print name, $i }' "$log"
}

# nsOf picks one benchmark's ns/op from gobench's lines.
nsOf() {
	awk -v n="$2" '$1 == n { print $2 }' <<<"$1"
}

# ms formats nanoseconds as milliseconds.
ms() {
	awk -v ns="$1" 'BEGIN { printf "%.3f ms", ns / 1e6 }'
}

uptimeBefore=$(uptime)
progress "measuring $repo into $outdir"

program homepage ""
program review sheets
program review results
program review network
program plan page
program plan save
program survey answers
program survey results

# Benchmarks inside the packages' tests: no database but the home page's
# (SQLite only, fixed in its test), and no bare handler to compare with.
out=$(gobench ./language 10KB)
ns=$(nsOf "$out" Check10KB)
if [ -n "$ns" ]; then
	result=$(awk -v ns="$ns" 'BEGIN { print (ns < 1e6 ? "PASS" : "FAIL") }')
	row "Language check of a 10 KB note" "–" "go test ./language -run '^\$' -bench 10KB -benchmem" "–" "–" "under 1 ms" "$result ($(ms "$ns"))"
else
	row "Language check of a 10 KB note" "–" "go test ./language -run '^\$' -bench 10KB -benchmem" "–" "–" "under 1 ms" "not in this checkout"
fi
out=$(gobench ./auth Timing)
wrong=$(nsOf "$out" TimingVerifyPassword)
unknown=$(nsOf "$out" TimingEqualiseTiming)
if [ -n "$wrong" ] && [ -n "$unknown" ]; then
	ratio=$(awk -v a="$unknown" -v b="$wrong" 'BEGIN { printf "%.2f", a / b }')
	row "Password check, unknown account ÷ wrong password" "–" "go test ./auth -run '^\$' -bench Timing" "$ratio (time)" "–" "none set: the same work (a test checks it)" "– ($(ms "$wrong") wrong password, $(ms "$unknown") unknown account)"
fi
out=$(gobench ./web Home)
ns=$(nsOf "$out" Home)
[ -z "$ns" ] || row "Home page in-process, no network" "sqlite" "go test ./web -run '^\$' -bench Home -benchmem" "–" "–" "none: for profiles" "– ($(ms "$ns") a request)"
out=$(gobench ./internal/cache GetHit)
ns=$(nsOf "$out" GetHit)
[ -z "$ns" ] || row "Cache hit" "–" "go test ./internal/cache -run '^\$' -bench GetHit" "–" "–" "none" "– ($ns ns)"

elapsed=$((SECONDS - started))
commit=$(git -C "$repo" log -1 --format='%h %s' 2>/dev/null || echo unknown)
dirty=$(git -C "$repo" status --porcelain 2>/dev/null | head -c 1)

echo "# Benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo
echo "- commit: $commit${dirty:+ (with uncommitted changes)}"
echo "- checkout: $repo"
echo "- machine: $(uname -sm), $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null), $(nproc) CPUs, $(cd "$repo" && go env GOVERSION)"
echo "- load before: $uptimeBefore"
echo "- load after: $(uptime)"
echo "- each comparison: ${rounds} runs of each target, bare and real alternating, $warmup warm-up and $duration measured each; the better run of each reported"
echo "- whole run: $((elapsed / 60)) min $((elapsed % 60)) s; every program's full report in $outdir"
echo
echo "| benchmark | engine | command | throughput ratio | p99 ratio | target | result |"
echo "|---|---|---|---:|---:|---|---|"
printf '%s\n' "${rows[@]}"
