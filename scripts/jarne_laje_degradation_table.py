"""The Jarne & Laje degradation table from the study's JSON lines, beside the authors'.

    python3 scripts/jarne_laje_degradation_table.py results/jarne_laje_degradation-<date>.jsonl

Reads the lines `target/release/examples/jarne_laje_study degradation <file>` appends (one
per trained network) and prints markdown: the pulse-memorisation distance per point (size
at 150 ms, delay at N = 50) as mean ± std, median and the number of networks, and the AND
network's distance per damage threshold (weights with |w| below it removed; conditions
"00" and "11", on the noise-free trial and on noisy trials, input noise 0.1), each beside
the authors' number from `../shared/research/paper-figures.md` §4 (their
`files_scale/*.txt` and `files_damage/*/aug_20_.txt`). The authors used 11–50 networks
per point; a row with fewer says so.

AND networks are grouped by the input noise they trained with (`train_input_noise_std`;
lines without it come from networks trained without noise). An intact table gives all
four conditions beside the authors' table and beside their published networks
(`networks/AND/And_con_ruido_orto_#04`, `#14`: trained with noise; `And_sin_ruido_ran_nor_07`:
without), scored by us on the same noisy trials (docs/jarne-laje.md).
"""

import json
import statistics
import sys

# (N, delay ms) -> the authors' mean ± std distance (files_scale/size_at_150_ms.txt,
# time_delay.txt; the 150 ms / N = 50 point is in both)
AUTHORS_PULSE = {
    (50, 150.0): "1.71 ± 0.13",
    (100, 150.0): "1.23 ± 0.07",
    (200, 150.0): "1.10 ± 0.05",
    (50, 25.0): "0.99 ± 0.03",
    (50, 100.0): "1.74",
}
# % of connections removed -> the authors' mean distance for conditions "00" and "11"
# (files_damage/01_*/aug_20_.txt, |w| below a threshold removed, 11–12 networks)
AUTHORS_DAMAGE_00 = {0: 0.22, 6: 0.27, 8: 0.38, 10: 0.42, 14: 1.40, 20: 1.62, 30: 3.34, 36: 4.38}
AUTHORS_DAMAGE_11 = {0: 0.26, 6: 0.28, 12: 1.29, 20: 2.30, 36: 6.90}
AUTHORS_MIN_NETWORKS = 11
# intact, conditions 00, 11, 10, 01: the authors' table, and their published networks
# scored by our forward pass on the noise-free trial / on the study's noisy test trials
# (`and_test_trials`: 10 per condition, noise 0.1; `jarne_laje_study and-probe`, 2026-12-03)
AUTHORS_INTACT = [0.22, 0.26, 0.22, 0.23]
AUTHORS_PUBLISHED = [
    ("con_ruido #04", [0.010, 0.851, 0.200, 0.171], [0.396, 0.921, 0.401, 0.374]),
    ("con_ruido #14", [0.036, 1.229, 0.467, 0.360], [0.462, 1.455, 0.716, 0.573]),
    ("sin_ruido 07", [0.001, 0.942, 0.183, 0.229], [2.680, 11.820, 6.995, 6.701]),
]
CONDITIONS = ["00", "11", "10", "01"]


def spread(values):
    """`mean ± std (median; n)` of `values`."""
    if not values:
        return "–"
    mean = statistics.fmean(values)
    std = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{mean:.2f} ± {std:.2f} (median {statistics.median(values):.2f}; n = {len(values)})"


def nearest_authors(table, percent):
    """The authors' value at the % removed nearest `percent` (within 2 points), else '–'."""
    best = min(table, key=lambda p: abs(p - percent))
    return f"{table[best]:.2f} at {best} %" if abs(best - percent) <= 2 else "–"


def main(path):
    lines = [json.loads(line) for line in open(path) if line.strip()]
    pulse = [line for line in lines if line["experiment"] == "pulse"]
    and_nets = [line for line in lines if line["experiment"] == "and"]

    print(f"Networks in `{path}`: {len(pulse)} pulse, {len(and_nets)} AND.\n")
    print("| pulse task | networks | ours: distance | authors |")
    print("|---|---|---|---|")
    points = sorted({(p["n_neurons"], p["interval_ms"]) for p in pulse})
    for n, delay in points:
        values = [p["distance"] for p in pulse if (p["n_neurons"], p["interval_ms"]) == (n, delay)]
        few = " (fewer than the authors')" if len(values) < AUTHORS_MIN_NETWORKS else ""
        print(f"| N = {n}, delay {delay:.0f} ms | {len(values)}{few} | {spread(values)} | "
              f"{AUTHORS_PULSE.get((n, delay), '–')} |")

    groups = sorted({net.get("train_input_noise_std", 0.0) for net in and_nets})
    for noise in groups:
        and_table([net for net in and_nets if net.get("train_input_noise_std", 0.0) == noise], noise)


def and_table(and_nets, train_noise):
    """The AND tables of the networks trained with input noise `train_noise`."""
    trained = f"trained with input noise {train_noise:g}"
    losses = ", ".join(f"{net['last_epoch_loss']:.4f}" for net in and_nets)
    print(f"\nAND, intact, {trained}; {len(and_nets)} networks (final losses {losses}):\n")
    print("| trials | " + " | ".join(f'ours "{c}"' for c in CONDITIONS) + " |")
    print("|---|---|---|---|---|")
    for key, label in [("abs", "noise-free"), ("abs_noise0.1", "noisy (0.1)")]:
        cells = [spread([net["damage"][key][0]["distance"][c] for net in and_nets]) for c in range(4)]
        print(f"| {label} | " + " | ".join(cells) + " |")
    print("| authors' table | " + " | ".join(f"{v:.2f}" for v in AUTHORS_INTACT) + " |")
    for name, clean, noisy in AUTHORS_PUBLISHED:
        print(f"| authors' {name}, noise-free / noisy | "
              + " | ".join(f"{a:.2f} / {b:.2f}" for a, b in zip(clean, noisy)) + " |")
    for key, label in [("abs", "noise-free trial"), ("abs_noise0.1", "noisy trials (input noise 0.1)")]:
        print(f"\nAND, {trained}, |w| below the threshold removed, {label}; {len(and_nets)} networks:\n")
        print("| threshold | % removed (mean) | ours \"00\" | authors \"00\" | ours \"11\" | authors \"11\" |")
        print("|---|---|---|---|---|---|")
        rows = and_nets[0]["damage"][key]
        for i, row in enumerate(rows):
            removed = statistics.fmean(net["damage"][key][i]["percent_removed"] for net in and_nets)
            d00 = [net["damage"][key][i]["distance"][0] for net in and_nets]
            d11 = [net["damage"][key][i]["distance"][1] for net in and_nets]
            print(f"| {row['threshold']:.4f} | {removed:.1f} | {spread(d00)} | "
                  f"{nearest_authors(AUTHORS_DAMAGE_00, removed)} | {spread(d11)} | "
                  f"{nearest_authors(AUTHORS_DAMAGE_11, removed)} |")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
