#!/usr/bin/env bash
# A sweep sharded under a real scheduler: GNU parallel runs
# `srnn sweep percolation … --shard i/n` for i = 0..n−1 (two at a time, as on the 2-core CI
# machine) and the concatenated, sorted shard outputs must equal the unsharded sweep's,
# line for line; the shards must be disjoint and even; `srnn summarize` must give the same
# table; and a bad shard must make parallel fail with srnn's message.
# Usage: tests/sched/parallel.sh [path/to/srnn]. Last line: `parallel: N passed, M failed`.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SRNN="$(realpath "${1:-$ROOT/target/debug/srnn}")"
SHARDS=4
SWEEP=(sweep percolation --n 100,400,1600,6400 --k 1-16 --trials 6)
POINTS=$((4 * 16 * 6))
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
PASSED=0
FAILED=0

check() { # check NAME CONDITION-COMMAND...
  local name="$1"
  shift
  if "$@"; then
    PASSED=$((PASSED + 1))
    echo "ok   $name"
  else
    FAILED=$((FAILED + 1))
    echo "FAIL $name"
  fi
}

now() { echo "$EPOCHREALTIME"; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }

start=$(now)
"$SRNN" --quiet "${SWEEP[@]}" >"$TMP/full.jsonl"
full_s=$(since "$start")

start=$(now)
parallel --will-cite --jobs 2 --halt now,fail=1 --joblog "$TMP/joblog" \
  "'$SRNN' ${SWEEP[*]} --shard {}/$SHARDS >'$TMP/shard-{}.jsonl' 2>'$TMP/shard-{}.log'" \
  ::: $(seq 0 $((SHARDS - 1)))
status=$?
sharded_s=$(since "$start")

check "GNU parallel ran $SHARDS shards, all exit 0" \
  test "$status" -eq 0 -a "$(awk 'NR > 1 && $7 == 0' "$TMP/joblog" | wc -l)" -eq "$SHARDS"
check "the unsharded sweep has $POINTS points" test "$(wc -l <"$TMP/full.jsonl")" -eq "$POINTS"
cat "$TMP"/shard-*.jsonl | sort >"$TMP/sharded.sorted"
sort "$TMP/full.jsonl" >"$TMP/full.sorted"
check "sorted concatenation of the shards equals the unsharded sweep" \
  cmp -s "$TMP/sharded.sorted" "$TMP/full.sorted"
check "no point is in two shards" test -z "$(uniq -d "$TMP/sharded.sorted")"
even=1
for i in $(seq 0 $((SHARDS - 1))); do
  [ "$(wc -l <"$TMP/shard-$i.jsonl")" -eq $((POINTS / SHARDS)) ] || even=0
done
check "each shard has $((POINTS / SHARDS)) points" test "$even" -eq 1
check "plain progress lines on stderr off a terminal" \
  grep -q "^\[$((POINTS / SHARDS))/$((POINTS / SHARDS))\] " "$TMP/shard-0.log"
"$SRNN" summarize percolation <"$TMP/full.jsonl" >"$TMP/full.md"
"$SRNN" summarize percolation <"$TMP/sharded.sorted" >"$TMP/sharded.md"
check "summarize gives the same table from the shards" cmp -s "$TMP/full.md" "$TMP/sharded.md"

parallel --will-cite --halt now,fail=1 "'$SRNN' ${SWEEP[*]} --shard {}/$SHARDS" \
  ::: "$SHARDS" >/dev/null 2>"$TMP/bad.log"
bad=$?
check "a bad shard ($SHARDS/$SHARDS) fails the parallel run naming --shard" \
  test "$bad" -ne 0 -a -n "$(grep -- "--shard" "$TMP/bad.log")"

cat "$TMP/full.md"
printf 'GNU parallel: %d points in %d shards (2 jobs at a time): %s s; unsharded: %s s\n' \
  "$POINTS" "$SHARDS" "$sharded_s" "$full_s"
echo "parallel: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
