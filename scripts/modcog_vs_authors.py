#!/usr/bin/env python3
"""Compare this crate's authors'-form Mod-Cog trials with the authors' generator.

Not run in CI: it needs the authors' `mod_cog_tasks.py` (github.com/mikailkhona/Mod_Cog,
not part of this repository) and neurogym 1.0.8 + gym 0.26.2 from PyPI:

    python3 -m venv venv && venv/bin/pip install --no-deps neurogym==1.0.8 gym==0.26.2 \
        && venv/bin/pip install numpy scipy matplotlib gymnasium==0.29.1 gym-notices
    cargo run --release --example ngym_trials -- authors 500 1 > ours.jsonl
    cargo run --release --example ngym_trials -- authors 2000 2 > ours_more.jsonl
    venv/bin/python scripts/modcog_vs_authors.py --authors path/to/mod_cog_tasks.py \
        --ours ours.jsonl --ours-more ours_more.jsonl > result.jsonl

Noise is off on both sides. Every trial is reduced to per-step summaries (fixation input,
argmax / max / sum of the 32 ring inputs, target action) and then to scalar features
(period lengths, stimulus positions and peaks, the target's first / next / last action,
the target relative to the first and last stimulus, ...). A task matches when no
feature's two-sample Kolmogorov-Smirnov statistic exceeds 0.15; a task flagged on the first
draw is re-drawn with the larger sample (`--ours-more`) before it counts as a mismatch.
Controls: the authors' generator against itself (fresh draws; must flag none) and 11
deliberately crossed pairs (must flag all). The authors' environment is rebuilt for every
trial (their match tasks draw the delay once per environment); `np.random` and each
environment's `rng` are seeded from the trial index.
"""

import argparse
import importlib.util
import json
import sys
from collections import defaultdict

import numpy as np
from scipy.stats import ks_2samp

THRESHOLD = 0.15
BASE = ["go", "rtgo", "dlygo", "anti", "rtanti", "dlyanti", "dm1", "dm2", "ctxdm1",
        "ctxdm2", "multidm", "dlydm1", "dlydm2", "ctxdlydm1", "ctxdlydm2", "multidlydm",
        "dms", "dnms", "dmc", "dnmc"]
INT_ABLE = ["dlygo", "dlyanti", "dlydm1", "dlydm2", "ctxdlydm1", "ctxdlydm2",
            "multidlydm", "dms", "dnms", "dmc", "dnmc"]
# The README's battery order (20 base, 22 int, 20 seqr, 20 seql), then the 11 intseq.
AUTHORS = (BASE + [f"{b}int{d}" for b in INT_ABLE for d in "rl"]
           + [f"{b}seqr" for b in BASE] + [f"{b}seql" for b in BASE]
           + [f"{b}intseq" for b in INT_ABLE])
CROSSED = [("goseqr", "goseql"), ("dms", "dnms"), ("dmsintr", "dmsintl"), ("dm1", "dm2"),
           ("ctxdm1", "ctxdm2"), ("dlygointr", "dlygointl"), ("rtgo", "rtanti"),
           ("dmc", "dms"), ("dlydm1intr", "dlydm1"), ("dnmcseqr", "dnmcseql"),
           ("multidm", "ctxdm1")]


def load_authors(path):
    # neurogym 1.0.8 imports stable_baselines3 (and with it torch) only for its plotting
    # helpers; a stub keeps torch out of the venv
    import types
    for name in ["stable_baselines3", "stable_baselines3.common",
                 "stable_baselines3.common.vec_env"]:
        stub = sys.modules.setdefault(name, types.ModuleType(name))
        stub.DummyVecEnv = object
    spec = importlib.util.spec_from_file_location("mod_cog_tasks", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def is_noisy(name):
    return not any(name.startswith(p) for p in ["go", "rtgo", "dlygo", "anti", "rtanti",
                                                 "dlyanti"])


def per_environment(name):
    """The match tasks without int draw their delay once per environment."""
    base = name.replace("seqr", "").replace("seql", "")
    return base in ("dms", "dnms", "dmc", "dnmc")


def authors_trials(module, name, n, seed):
    """n trials of constructor `name`; a freshly built environment for every trial of the
    tasks that draw conditions per environment, one environment otherwise."""
    out, env = [], None
    kwargs = {"sigma": 0.0} if is_noisy(name) else {}
    for k in range(n):
        if env is None or per_environment(name):
            np.random.seed(seed * 1_000_003 + k)
            env = getattr(module, name)(**kwargs)
            env.unwrapped.seed(seed * 7_919 + k)
            for sub in getattr(env, "envs", []):
                sub.unwrapped.seed(seed * 7_919 + k + 1)
        if hasattr(env, "next_i_env"):
            # which modality's environment: neurogym's RandomSchedule alternates between
            # the two (it never repeats the current one), so each is half of the trials
            env.next_i_env = int(np.random.RandomState(seed * 104_729 + k).randint(2))
        env.new_trial()
        task = env.unwrapped
        ob = np.asarray(task.ob, dtype=np.float32)
        ring = ob[:, 1:33]
        out.append({"fix": ob[:, 0].tolist(), "am": ring.argmax(axis=1).tolist(),
                    "mx": ring.max(axis=1).tolist(), "sm": ring.sum(axis=1).tolist(),
                    "gt": np.asarray(task.gt).astype(int).tolist(),
                    "am1": ring[:, :16].argmax(axis=1).tolist(),
                    "am2": ring[:, 16:].argmax(axis=1).tolist()})
    return out


def features(trial):
    """Scalar features of one trial summary (the same function for both sides)."""
    fix = np.asarray(trial["fix"])
    am = np.asarray(trial["am"])
    mx = np.round(np.asarray(trial["mx"], dtype=np.float64), 3)
    sm = np.round(np.asarray(trial["sm"], dtype=np.float64), 2)
    gt = np.asarray(trial["gt"])
    t_len = len(fix)
    off = np.flatnonzero(fix == 0)
    dec = int(off[0]) if len(off) else t_len
    on = np.abs(sm) > 1e-6
    runs, t = [], 0
    while t < t_len:
        if on[t]:
            s = t
            while t < t_len and on[t]:
                t += 1
            runs.append((s, t - s))
        else:
            t += 1
    f = {"T": t_len, "dec_start": dec, "n_dec": t_len - dec, "n_runs": len(runs),
         "fix_sum": float(fix.sum())}
    first, last = (runs[0], runs[-1]) if runs else ((-1, -1), (-1, -1))
    f["run0_start"], f["run0_len"] = first
    f["run1_gap"] = runs[1][0] - (runs[0][0] + runs[0][1]) if len(runs) > 1 else -1
    f["run_last_len"] = last[1]
    for tag, (s, _) in (("first", first), ("last", last)):
        f[f"{tag}_am"] = int(am[s]) if s >= 0 else -1
        f[f"{tag}_mx"] = float(mx[s]) if s >= 0 else -1.0
        f[f"{tag}_sm"] = float(sm[s]) if s >= 0 else -1.0
    d = gt[dec:]
    f["gt_first"] = int(d[0]) if len(d) else -1
    f["gt_step"] = int((d[1] - d[0]) % 17) if len(d) > 1 else -1
    f["gt_last"] = int(d[-1]) if len(d) else -1
    f["gt_zeros"] = int((d == 0).sum())
    f["gt_distinct"] = len(set(d.tolist()))
    f["pre_nonzero"] = int((gt[:dec] != 0).sum())

    def rel(action, s):
        if s < 0:
            return -2
        return -1 if action <= 0 else int((action - 1 - am[s] % 16) % 16)

    am1, am2 = np.asarray(trial["am1"]), np.asarray(trial["am2"])

    def rel_in(action, s, within):
        if s < 0:
            return -2
        return -1 if action <= 0 else int((action - 1 - within[s]) % 16)

    last_end = last[0] + last[1] if runs else -1
    f["wait"] = dec - last_end if runs else -1
    for tag, (s, _) in (("first", first), ("last", last)):
        f[f"rel_{tag}"] = rel(f["gt_first"], s)
        f[f"rel_end_{tag}"] = rel(f["gt_last"], s)
        f[f"rel_mod1_{tag}"] = rel_in(f["gt_first"], s, am1)
        f[f"rel_mod2_{tag}"] = rel_in(f["gt_first"], s, am2)
        # joint codes: the target's offset together with the delay that sets an int shift
        f[f"gap_rel_{tag}"] = (f["run1_gap"] + 1) * 40 + f[f"rel_{tag}"] + 2
        f[f"wait_rel_{tag}"] = (f["wait"] + 1) * 40 + f[f"rel_{tag}"] + 2
    return f


import warnings
warnings.filterwarnings("ignore")


def compare(a, b):
    """Largest KS statistic over the features, and which feature."""
    fa = [features(t) for t in a]
    fb = [features(t) for t in b]
    worst = (0.0, None)
    for key in fa[0]:
        x = np.array([f[key] for f in fa], dtype=np.float64)
        y = np.array([f[key] for f in fb], dtype=np.float64)
        stat = ks_2samp(x, y).statistic
        if stat > worst[0]:
            worst = (float(stat), key)
    return worst


def read_ours(path):
    trials = defaultdict(list)
    with open(path) as handle:
        for line in handle:
            row = json.loads(line)
            trials[row["id"]].append(row)
    return trials


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--authors", required=True, help="path to mod_cog_tasks.py")
    parser.add_argument("--ours", required=True, help="ngym_trials output (first draw)")
    parser.add_argument("--ours-more", help="ngym_trials output (re-draw of flagged tasks)")
    parser.add_argument("--only", help="comma-separated constructor names")
    args = parser.parse_args()
    module = load_authors(args.authors)
    ours = read_ours(args.ours)
    more = read_ours(args.ours_more) if args.ours_more else {}
    names = args.only.split(",") if args.only else AUTHORS
    ids = list(ours)
    order_ok = ids[:len(AUTHORS)] == AUTHORS
    print(json.dumps({"check": "rule order", "authors_readme_order_equals_ours": order_ok,
                      "ours_first_93": ids[:len(AUTHORS)] if not order_ok else None}))
    n = len(next(iter(ours.values())))
    cache = {}

    def theirs(name, size, seed):
        key = (name, size, seed)
        if key not in cache:
            cache[key] = authors_trials(module, name, size, seed)
        return cache[key]

    matched, rows = 0, []
    for name in names:
        stat, key = compare(ours[name], theirs(name, n, 1))
        redrawn = None
        if stat > THRESHOLD and name in more:
            size = len(more[name])
            redrawn = compare(more[name], theirs(name, size, 2))
            stat2, key2 = redrawn
        ok = stat <= THRESHOLD or (redrawn is not None and redrawn[0] <= THRESHOLD)
        matched += ok
        row = {"task": name, "match": bool(ok), "ks": round(stat, 4), "feature": key,
               "redrawn_ks": round(redrawn[0], 4) if redrawn else None,
               "redrawn_feature": redrawn[1] if redrawn else None}
        rows.append(row)
        print(json.dumps(row), flush=True)
    self_flags = 0
    for name in names:
        stat, key = compare(theirs(name, n, 1), theirs(name, n, 3))
        self_flags += stat > THRESHOLD
        if stat > THRESHOLD:
            print(json.dumps({"control": "self", "task": name, "ks": stat, "feature": key}))
    crossed_flags = 0
    for mine, other in CROSSED:
        stat, key = compare(ours[mine], theirs(other, n, 1))
        crossed_flags += stat > THRESHOLD
        print(json.dumps({"control": "crossed", "ours": mine, "authors": other,
                          "ks": round(stat, 4), "feature": key}))
    print(json.dumps({"summary": True, "matched": matched, "of": len(names),
                      "trials_per_task": n, "threshold": THRESHOLD,
                      "self_pairs_flagged": int(self_flags),
                      "crossed_pairs_flagged": crossed_flags, "crossed_pairs": len(CROSSED)}))


if __name__ == "__main__":
    sys.exit(main())
