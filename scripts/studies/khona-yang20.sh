#!/bin/bash
# Autapse-only vs dense on Yang's 20 tasks (N = 256, examples/yang256_autapse.json and
# examples/yang256.json), to TOTAL steps each, one after the other; every 1000 steps each
# task is scored on its own 512 trials (Yang's test) and a line is appended to
# results/yang20-autapse-study/<arm>-n256.jsonl. Resumable: re-run this script (it continues
# from results/yang20-autapse-study/models/<arm>.model.json; the optimizer restarts).
# Run from the repository root: nohup nice -n 15 bash scripts/studies/khona-yang20.sh &
set -u
BIN=${BIN:-target/release/srnn}
TOTAL=${TOTAL:-30000}
DIR=results/yang20-autapse-study
mkdir -p $DIR/models
for arm in ${ARMS:-autapse dense}; do
  cfg=examples/yang256.json; [ "$arm" = autapse ] && cfg=examples/yang256_autapse.json
  model=$DIR/models/$arm.model.json
  done_steps=0; resume=()
  if [ -f "$model" ]; then
    done_steps=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['steps_done'])" "$model")
    resume=(--resume "$model")
  fi
  left=$((TOTAL - done_steps))
  [ $left -le 0 ] && continue
  echo "$(date -u +%FT%TZ) $arm: from step $done_steps, $left steps" >&2
  nice -n 15 $BIN -q train --config $cfg --steps $left --eval-every 1000 --eval-trials 64 \
     --per-task-trials 512 --threads 1 --out "$model" "${resume[@]}" >> $DIR/$arm-n256.jsonl
done
