#!/bin/bash
# The authors'-form Mod-Cog battery (the 93 tasks of their generator, the default
# `ngym-modcog-mixture`) trained natively until the mean per-task performance plateaus,
# local mask vs dense (issue #20): examples/studies/battery-n<N>-<arm>.json (ReLU, τ 100 ms,
# recurrent noise 0.05, Adam 1e-3, batch 64, clip 1, seed 1; local = radius 4.5 on the
# 16 × 16 sheet at N = 256, 27 %; radius 9 on 32 × 32 at N = 1024, 25 %), to TOTAL steps
# each, one arm after the other; every EVERY steps each task is scored on its own 128
# trials and a line is appended to results/khona-battery/<arm>-n<N>.jsonl.
# Resumable: re-run this script (it continues from results/khona-battery/models/, the
# optimizer restarts). Run from the repository root:
#   N=256 nohup nice -n 19 bash scripts/studies/khona-battery.sh &
set -u
BIN=${BIN:-target/release/srnn}
N=${N:-256}
TOTAL=${TOTAL:-60000}
EVERY=${EVERY:-2000}
DIR=results/khona-battery
mkdir -p $DIR/models
for arm in ${ARMS:-local dense}; do
  cfg=examples/studies/battery-n$N-$arm.json
  model=$DIR/models/$arm-n$N.model.json
  done_steps=0; resume=()
  if [ -f "$model" ]; then
    done_steps=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['steps_done'])" "$model")
    resume=(--resume "$model")
  elif [ -s "$DIR/$arm-n$N.jsonl" ]; then
    # a curve without its model (a new machine): keep it aside, train again from step 0
    mv "$DIR/$arm-n$N.jsonl" "$DIR/$arm-n$N.orphan-$(date -u +%Y%m%dT%H%M).jsonl"
  fi
  left=$((TOTAL - done_steps))
  [ $left -le 0 ] && continue
  echo "$(date -u +%FT%TZ) $arm N=$N: from step $done_steps, $left steps" >&2
  $BIN -q train --config $cfg --steps $left --eval-every $EVERY --eval-trials 64 \
     --per-task-trials 128 --threads 1 --out "$model" "${resume[@]}" >> $DIR/$arm-n$N.jsonl
done
