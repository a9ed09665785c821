#!/usr/bin/env bash
# Example Slurm job array: one sweep split into 16 shards, one array task per shard.
# Submit from the repository root after `cargo build --release --bin srnn`:
#   sbatch docs/slurm-sweep.sh
# then, when every task has finished, concatenate (order does not matter; sort if you
# want the unsharded sweep's lines exactly, as tests/sched/parallel.sh checks):
#   cat results/percolation-*.jsonl | target/release/srnn summarize percolation
# Off a terminal `srnn` prints one plain "[i/n] point" progress line per point on stderr
# (in the .err log), the results as JSON lines on stdout (the .jsonl file).
#SBATCH --job-name=srnn-percolation
#SBATCH --array=0-15
#SBATCH --cpus-per-task=1
#SBATCH --mem=2G
#SBATCH --time=00:30:00
#SBATCH --output=results/percolation-%a.jsonl
#SBATCH --error=results/percolation-%a.err
set -euo pipefail
mkdir -p results
SHARDS=${SLURM_ARRAY_TASK_COUNT:-16}
target/release/srnn sweep percolation --n 100,400,1600,6400 --k 1-30 --trials 10 \
  --shard "${SLURM_ARRAY_TASK_ID}/${SHARDS}"
