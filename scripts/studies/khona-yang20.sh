#!/bin/bash
# Autapse-only vs dense on Yang's 20 tasks (N = 256), to TOTAL steps each, one after the
# other; every 1000 steps each task is scored on its own 512 trials (Yang's test) and a line
# is appended to <dir>/<arm>-n256.jsonl. Two forms of the 20 tasks:
#   FORM=yang (default): Yang's generator, dt 20 ms (examples/yang256_autapse.json,
#     examples/yang256.json), results/yang20-autapse-study/;
#   FORM=ngym: the 20 base tasks of Khona et al.'s Mod-Cog generator, i.e. neurogym's
#     yang19 tasks at dt 100 ms (examples/ngym20_autapse.json, examples/ngym20_dense.json),
#     results/ngym20-autapse-study/.
# Resumable: re-run this script (it continues from <dir>/models/<arm>.model.json; the
# optimizer restarts).
# Run from the repository root: nohup nice -n 15 bash scripts/studies/khona-yang20.sh &
set -u
BIN=${BIN:-target/release/srnn}
TOTAL=${TOTAL:-30000}
FORM=${FORM:-yang}
DIR=results/yang20-autapse-study
[ "$FORM" = ngym ] && DIR=results/ngym20-autapse-study
mkdir -p $DIR/models
for arm in ${ARMS:-autapse dense}; do
  if [ "$FORM" = ngym ]; then
    cfg=examples/ngym20_$arm.json
  else
    cfg=examples/yang256.json; [ "$arm" = autapse ] && cfg=examples/yang256_autapse.json
  fi
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
