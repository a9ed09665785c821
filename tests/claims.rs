//! The claims table (`lab::claims`): the quick variants of the cheap claim groups run
//! natively; every record has the JSON shape the page and the CLI print, `holds` is the
//! stated criterion applied to `ours`, and the claims that reliably hold do hold (Turcu &
//! Abbott α = 0.5 at ≥ 95 %, FPA = BPTT, strict PC improving with iterations).

use serde_json::Value;
use sparse_rnn_lab::analysis::{pruned, PruneOrder};
use sparse_rnn_lab::lab::claims::{claim_ids, paper, run_claim, Claim, Criterion, PAPERS};
use sparse_rnn_lab::model::{Connectivity, Network, NetworkConfig};
use sparse_rnn_lab::plot::Chart;
use sparse_rnn_lab::rng::SimRng;

fn run(paper_id: &str, group: &str) -> Vec<Claim> {
    let mut claims = Vec::new();
    run_claim(paper_id, group, true, &mut |c| claims.push(c)).unwrap();
    assert!(!claims.is_empty(), "{paper_id}/{group} reported nothing");
    claims
}

/// The JSON line has every field, `holds` follows the criterion and `ours`.
fn check_record(claim: &Claim) {
    let line = serde_json::to_string(claim).unwrap();
    assert!(!line.contains('\n'));
    let json: Value = serde_json::from_str(&line).unwrap();
    for key in [
        "paper",
        "group",
        "claim",
        "setting",
        "paper_value",
        "ours",
        "criterion",
        "tolerance",
        "holds",
        "seconds",
    ] {
        assert!(json.get(key).is_some(), "missing `{key}` in {line}");
    }
    if !matches!(claim.criterion, Criterion::Stated(_)) {
        assert_eq!(claim.holds, claim.criterion.holds(claim.ours), "{line}");
    }
    // Several seeds: ours is their median, inside their range.
    if let Some((lo, hi)) = claim.ours_range {
        assert_eq!(claim.seeds.len(), claim.ours_values.len());
        assert!(claim.seeds.len() >= 3, "{line}");
        assert!(lo <= claim.ours && claim.ours <= hi, "{line}");
    }
    assert_eq!(claim.tolerance, claim.criterion.describe());
    // every group trains before it measures: the clock saw that work
    assert!(claim.seconds > 0.0 && claim.seconds.is_finite(), "{line}");
    let registered = paper(&claim.paper).unwrap();
    assert!(registered.group(&claim.group).is_ok());
    assert!(registered
        .rows_of(&claim.group)
        .any(|r| r.id == claim.id && r.claim == claim.claim));
    assert!(!claim.paper_value.is_empty() && !claim.setting.is_empty());
    if let Some(chart) = &claim.chart {
        assert!(!chart.series.is_empty(), "empty chart in {}", claim.claim);
        assert_eq!(
            json["chart"]["series"].as_array().unwrap().len(),
            chart.series.len()
        );
        // What the page hands back to `drawChart` parses as a chart again.
        let back: Chart = serde_json::from_value(json["chart"].clone()).unwrap();
        assert_eq!(&back, chart);
    }
}

#[test]
fn turcu_capacity_reaches_alpha_half_from_chance_with_the_authors_settings() {
    let claims = run("turcu", "capacity");
    claims.iter().for_each(check_record);
    let chance = &claims[0];
    assert!(
        chance.claim.contains("chance") && chance.holds,
        "{chance:?}"
    );
    let capacity = &claims[1];
    assert!(capacity.claim.contains("α = 0.5"));
    assert!(
        capacity.holds && capacity.ours >= 0.95,
        "α = 0.5 accuracy {}",
        capacity.ours
    );
    // The signature picture: one series per pattern (P = 250), labelled by class.
    let before = chance.chart.as_ref().expect("signature chart");
    assert_eq!(before.series.len(), 250);
    let labels: std::collections::BTreeSet<_> =
        before.series.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(
        labels.into_iter().collect::<Vec<_>>(),
        ["amplify", "suppress"]
    );
    assert_eq!(before.series[0].points.len(), 100, "10 τ at dt = 0.1 τ");
}

#[test]
fn percolation_k_min_matches_the_authors_at_095() {
    let claims = run("turcu", "k-min");
    claims.iter().for_each(check_record);
    for claim in claims.iter().filter(|c| c.claim.contains("0.95")) {
        assert!(claim.holds, "{}: ours K = {}", claim.claim, claim.ours);
    }
    // The trained counterpart: per seed, a K from the search grid, the first whose
    // accuracy reaches maximal capacity (that seed's curve's last point); the row reports
    // the median over seeds.
    let trained = claims
        .iter()
        .find(|c| c.id == "trained-n100")
        .expect("a trained k-min claim");
    let chart = trained.chart.as_ref().expect("the accuracy-vs-K chart");
    assert!(chart.series.len() >= 3, "one curve per seed");
    let mut per_seed = Vec::new();
    for curve in &chart.series {
        let (k, accuracy) = *curve.points.last().unwrap();
        assert!(accuracy >= 0.95, "{}: {:?}", curve.label, curve.points);
        assert!(
            curve.points[..curve.points.len() - 1]
                .iter()
                .all(|p| p.1 < 0.95),
            "{}: the search must stop at the first K reaching the level: {:?}",
            curve.label,
            curve.points
        );
        assert!((2.0..=8.0).contains(&k) && k.fract() == 0.0, "K {k}");
        per_seed.push(k);
    }
    per_seed.sort_by(f64::total_cmp);
    let median = per_seed[per_seed.len() / 2];
    assert_eq!(
        per_seed.len() % 2,
        1,
        "an odd number of seeds has a grid K as median"
    );
    assert_eq!(trained.ours, median, "median of {per_seed:?}");
}

#[test]
fn noise_grid_is_charted_per_neuronal_noise_and_degrades_with_pattern_noise() {
    let claims = run("turcu", "noise");
    claims.iter().for_each(check_record);
    let chart = claims[0].chart.as_ref().expect("the noise chart");
    assert_eq!(chart.series.len(), 3, "one series per σ_n in quick");
    for series in &chart.series {
        assert_eq!(series.points.len(), 5, "{}", series.label);
        let (clean, loud) = (series.points[0].1, series.points[4].1);
        assert!(
            clean > loud,
            "{}: σ_p = 0 {clean} vs 0.8 {loud}",
            series.label
        );
    }
    // The claim number is noisy ÷ noiseless accuracy, per seed.
    assert_eq!(claims[0].seeds, [1, 2, 3]);
    assert!(claims[0]
        .ours_values
        .iter()
        .all(|r| (0.3..=1.2).contains(r)));
}

#[test]
fn predictive_coding_claims_fpa_exact_and_strict_improving() {
    let claims = run("rules", "pc-vs-bptt");
    claims.iter().for_each(check_record);
    let find = |text: &str| claims.iter().find(|c| c.claim.contains(text)).unwrap();
    let fpa = find("FPA with η = 1");
    assert!(fpa.holds && fpa.ours < 1e-4, "FPA error {}", fpa.ours);
    let strict = find("strict PC (η = 0.1)");
    assert!(strict.holds && strict.ours < 1.0, "ratio {}", strict.ours);
    // Fig. 3C: FPA (η = 0.1, n = 20) while training, layer 1 ≈ 0.885 = P(Binomial(19, 0.1) < 4)
    let fig3c = find("FPA (η = 0.1, n = 20)");
    assert!(
        fig3c.holds && (fig3c.ours - 0.885).abs() < 0.01,
        "{}",
        fig3c.ours
    );
    let fa = run("rules", "feedback-alignment");
    fa.iter().for_each(check_record);
    assert!(fa[0].holds, "FA angle {}", fa[0].ours);
}

#[test]
fn reservoir_memory_capacity_claims_hold_in_quick_and_mackey_glass_is_measured() {
    let claims = run("reservoir", "memory-capacity");
    assert_eq!(claims.len(), 2);
    for claim in &claims {
        check_record(claim);
        assert!(claim.holds, "{}: {}", claim.claim, claim.ours);
    }
    // one draw (quick) against the median of reservoirpy's five (recorded in the row)
    let claims = run("reservoir", "mackey-glass");
    assert_eq!(claims.len(), 1);
    check_record(&claims[0]);
    assert!(
        claims[0].ours > 0.0 && claims[0].ours < 0.2,
        "{}",
        claims[0].ours
    );
}

/// NARMA-10: one draw (quick) lands within reservoirpy's spread of five draws.
#[test]
fn reservoir_narma10_one_draw_is_within_reservoirpys_spread() {
    let claims = run("reservoir", "narma10");
    assert_eq!(claims.len(), 1);
    check_record(&claims[0]);
    eprintln!("{}", serde_json::to_string(&claims[0]).unwrap_or_default());
    assert!(claims[0].holds, "NARMA-10 NRMSE {}", claims[0].ours);
}

/// Turcu & Abbott: at a small load the trained RNN classifies and the reservoir with a
/// trained readout stays below it; at α 0.5 the trained RNN is ahead by ≥ 0.05.
#[test]
fn reservoir_vs_trained_rnn_gap_on_turcu_patterns() {
    let claims = run("reservoir", "turcu-gap");
    assert_eq!(claims.len(), 3);
    for claim in &claims {
        check_record(claim);
        eprintln!("{}", serde_json::to_string(claim).unwrap_or_default());
        assert!(claim.holds, "{}: {}", claim.claim, claim.ours);
    }
}

#[test]
fn registry_lists_groups_and_names_unknown_ids() {
    assert!(PAPERS.len() >= 3);
    let all = claim_ids("all").unwrap();
    assert!(all.contains(&"turcu/capacity".to_string()));
    assert!(all.contains(&"jarne-laje/and".to_string()));
    assert_eq!(
        claim_ids("rules").unwrap(),
        ["pc-vs-bptt", "feedback-alignment"]
    );
    let e = claim_ids("yang-2019").unwrap_err().to_string();
    assert!(e.contains("yang-2019") && e.contains("turcu"), "{e}");
    let e = run_claim("turcu", "nope", true, &mut |_| {})
        .unwrap_err()
        .to_string();
    assert!(e.contains("nope") && e.contains("k-min"), "{e}");
}

#[test]
fn every_row_belongs_to_a_group_and_ids_are_unique() {
    for paper in PAPERS {
        for row in paper.rows {
            assert!(
                paper.group(row.group).is_ok(),
                "{}: row {} names unknown group {}",
                paper.id,
                row.id,
                row.group
            );
            assert_eq!(
                paper.rows.iter().filter(|r| r.id == row.id).count(),
                1,
                "{}: duplicate row id {}",
                paper.id,
                row.id
            );
            assert!(!row.claim.is_empty() && !row.paper_value.is_empty());
        }
        for group in paper.groups {
            assert!(
                paper.rows_of(group.id).next().is_some(),
                "{}: group {} has no rows",
                paper.id,
                group.id
            );
        }
    }
}

#[test]
fn pruning_by_sign_removes_only_that_sign_among_the_smallest() {
    let network = Network::new(NetworkConfig {
        n_neurons: 30,
        connectivity: Connectivity::Dense,
        ..Default::default()
    })
    .unwrap();
    let nnz = network.w_rec.nnz();
    let mut order: Vec<usize> = (0..nnz).collect();
    let values = &network.w_rec.values;
    order.sort_by(|&a, &b| values[a].abs().total_cmp(&values[b].abs()));
    let smallest: Vec<usize> = order[..(0.2 * nnz as f64).round() as usize].to_vec();
    for (prune, removed_sign) in [
        (PruneOrder::MagnitudePositive, 1.0f32),
        (PruneOrder::MagnitudeNegative, -1.0),
    ] {
        let damaged = pruned(&network, 0.2, prune, &mut SimRng::new(0));
        for s in 0..nnz {
            let zeroed = damaged.w_rec.values[s] == 0.0 && values[s] != 0.0;
            let expected = smallest.contains(&s) && values[s].signum() == removed_sign;
            assert_eq!(
                zeroed, expected,
                "{prune:?} synapse {s} (w = {})",
                values[s]
            );
        }
    }
}

/// Every preset's headline names a row of the claims table (the gallery card quotes its
/// paper value), and a malformed or unknown key is an error naming the accepted form.
#[test]
fn every_preset_headline_is_a_claims_row() {
    use sparse_rnn_lab::lab::claims::row;
    use sparse_rnn_lab::lab::presets::{preset, PRESET_IDS};
    for id in PRESET_IDS {
        let p = preset(id).unwrap();
        assert!(!p.headline.is_empty(), "{id}: no headline row");
        for (_, key) in p.headline {
            let r = row(key).unwrap_or_else(|e| panic!("{id}: {key}: {e}"));
            assert!(!r.paper_value.is_empty(), "{key}");
        }
    }
    assert!(row("turcu").unwrap_err().to_string().contains("paper/row"));
    let unknown = row("turcu/no-such-row").unwrap_err().to_string();
    assert!(unknown.contains("alpha-half"), "{unknown}");
}

/// Kim et al.'s rate → LIF mapping at `--quick` (seed 1, 200 rate steps): the rate network
/// is trained and its LIF copy keeps the task (both rows ≥ 0.95). At the former 100 steps
/// seed 1's rate network sat on an early dip (0.5 on both rows), so this fails if the
/// quick schedule again stops on one (docs/results.md#spiking-quick-2026-12-03).
#[test]
fn spiking_kim_mapping_quick_rows_hold() {
    let claims = run("spiking", "kim-mapping");
    assert_eq!(claims.len(), 2);
    for claim in &claims {
        check_record(claim);
        assert!(claim.holds, "{}: {}", claim.id, claim.ours);
        assert!(
            claim.setting.starts_with("quick: seed 1, 200 rate steps"),
            "{}",
            claim.setting
        );
    }
}
