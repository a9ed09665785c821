#!/bin/bash
# Khona et al.'s LM-RNN study (src/lab/studies/khona.rs): the N = 256 plan, then N = 1024,
# one point after another; curves in results/khona-study/<key>.jsonl, models in
# results/khona-study/models/ (not committed). Resumable: re-run this script.
# Run from the repository root: nohup nice -n 15 bash scripts/studies/khona-lmrnn.sh &
set -u
BIN=${BIN:-target/release/examples/khona_study}
for plan in ${PLANS:-examples/studies/khona-n256.json examples/studies/khona-n1024.json}; do
  nice -n 15 $BIN run $plan results/khona-study || exit $?
done
