//! Presets are defined once (`lab::presets`) and read everywhere: every preset's run
//! description builds a session; `examples/presets/<id>.json` is that run description
//! exactly (the file users copy; regenerate with `UPDATE_EXAMPLES=1 cargo test --test
//! presets`); every run description under `examples/` parses; the Turcu preset is the
//! claims' setting; unknown ids are errors naming the known ones.

use serde_json::Value;
use sparse_rnn_lab::lab::claims::paper;
use sparse_rnn_lab::lab::presets::{preset, preset_run, Turcu, PRESET_IDS};
use sparse_rnn_lab::lab::run::parse_run;
use sparse_rnn_lab::lab::session::Session;
use std::path::Path;

fn examples() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples")
}

#[test]
fn every_preset_builds_and_its_example_file_is_its_run_description() {
    let dir = examples().join("presets");
    let update = std::env::var_os("UPDATE_EXAMPLES").is_some();
    for id in PRESET_IDS {
        let p = preset(id).unwrap();
        assert_eq!(p.id, *id);
        assert!(paper(p.paper).is_ok(), "{id}: unknown paper {}", p.paper);
        // Two sentences at most: numbers live on the results page.
        let sentences = p.caption.matches(". ").count() + 1;
        assert!(sentences <= 3, "{id}: caption of {sentences} sentences");
        assert!(!p.results.is_empty());
        parse_run(p.run.clone()).unwrap_or_else(|e| panic!("{id}: {e}"));
        let path = dir.join(format!("{id}.json"));
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            let text = serde_json::to_string_pretty(&p.run).unwrap() + "\n";
            std::fs::write(&path, text).unwrap();
        }
        let file: Value = serde_json::from_str(
            &std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
        )
        .unwrap();
        assert_eq!(file, p.run, "{} differs from preset {id}", path.display());
    }
    // The small presets build their session (Yang's 256-unit network too: no training).
    for id in ["turcu", "jarne", "rules", "khona", "reservoir", "spytorch"] {
        let mut session = Session::new(preset_run(id).unwrap()).unwrap();
        session.train(1).unwrap();
    }
}

#[test]
fn every_example_run_description_parses() {
    let mut seen = 0;
    for dir in [examples(), examples().join("presets")] {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "json") {
                let value: Value =
                    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
                parse_run(value).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                seen += 1;
            }
        }
    }
    assert!(seen >= PRESET_IDS.len() + 5, "only {seen} examples");
}

#[test]
fn the_turcu_preset_is_the_claims_setting_and_trains_full_batch() {
    assert_eq!(preset_run("turcu").unwrap(), Turcu::authors().run());
    let run = preset_run("turcu").unwrap();
    assert_eq!(run["train"]["batching"], "conditions");
    assert_eq!(run["train"]["batch_size"], 250);
    // Full batch: every step sees every pattern once, so two sessions agree bit for bit
    // and the batch size must equal the number of patterns.
    let mut wrong = run.clone();
    wrong["train"]["batch_size"] = 64.into();
    let error = Session::new(wrong).err().expect("refused").to_string();
    assert!(
        error.contains("batch_size") && error.contains("64"),
        "{error}"
    );
    let mut not_finite = preset_run("jarne").unwrap();
    not_finite["train"]["batching"] = "conditions".into();
    let error = Session::new(not_finite).err().expect("refused").to_string();
    assert!(error.contains("batching"), "{error}");
    let error = preset("nope").unwrap_err().to_string();
    assert!(error.contains("nope") && error.contains("turcu"), "{error}");
}

#[test]
fn the_turcu_readout_follows_the_density_as_the_authors_f_out_equals_f() {
    for density in [0.05, 0.2] {
        let setting = Turcu {
            density,
            ..Turcu::authors()
        };
        assert_eq!(setting.run()["network"]["readout_fraction"], density);
        assert_eq!(setting.run()["network"]["density"], density);
    }
}

#[test]
fn the_e_i_preset_reads_every_neuron_with_the_authors_scale() {
    let ei = Turcu::authors_ei();
    let run = ei.run();
    assert_eq!(run["network"]["readout_fraction"], 1.0);
    assert_eq!(run["network"]["excitatory_fraction"], 0.5);
    assert_eq!(run["task"]["target_high"], 0.03);
    assert_eq!(run["task"]["target_low"], 0.02);
    // The Hebbian form gives the input on 9 steps of a 20-step trial.
    let hebbian = Turcu {
        input_steps: 9,
        ..Turcu::authors()
    };
    let task = hebbian.task();
    assert_eq!(task["stimulus_ms"], 90.0);
    assert_eq!(task["response_ms"], 110.0);
}

/// The Khona preset trains its sweep's local network: the sweep's request (what the page's
/// `sweepPoints` expands) gives a local point whose network, task and training are the
/// preset's run description's, and no point of the sweep has recurrent noise.
#[test]
fn the_khona_preset_trains_the_local_network_of_its_sweep() {
    use sparse_rnn_lab::lab::page_sweeps::page_sweep;
    use sparse_rnn_lab::lab::sweep::{
        set_rec_noise_std, sparsity_points, SparsitySchedule, SweepPoint,
    };
    let khona = preset("khona").unwrap();
    assert_eq!(khona.sweep, Some("sparsity"));
    let request = &page_sweep("sparsity").unwrap()["request"];
    let number = |key: &str| request[key].as_f64().unwrap();
    let schedule = SparsitySchedule {
        steps: number("steps") as usize,
        eval_every: number("eval_every") as usize,
        criterion: number("criterion"),
        per_task_trials: number("per_task_trials") as usize,
    };
    let radii: Vec<f64> = serde_json::from_value(request["radii"].clone()).unwrap();
    let seeds: Vec<u64> = serde_json::from_value(request["seeds"].clone()).unwrap();
    let mut points = sparsity_points(
        &request["task"],
        number("n") as usize,
        &radii,
        schedule,
        &seeds,
    )
    .unwrap();
    set_rec_noise_std(&mut points, number("rec_noise_std"));
    let mut masks = Vec::new();
    for point in &points {
        let SweepPoint::Sparsity { config, mask, .. } = point else {
            panic!("not a sparsity point: {point:?}")
        };
        masks.push(mask.as_str());
        assert_eq!(config["network"]["rec_noise_std"], 0.0, "{mask}");
        if mask == "local" {
            let preset_network = &khona.run["network"];
            let network = &config["network"];
            for key in [
                "n_neurons",
                "connectivity",
                "radius",
                "periodic",
                "activation",
                "init",
                "gain",
                "rec_noise_std",
                "seed",
            ] {
                assert_eq!(network[key], preset_network[key], "network.{key}");
            }
            assert_eq!(config["task"]["tasks"], khona.run["task"]["tasks"]);
            for key in ["learning_rate", "batch_size", "seed"] {
                assert_eq!(config["train"][key], khona.run["train"][key], "train.{key}");
            }
        }
    }
    assert_eq!(masks, ["dense", "autapse", "local", "random"]);
}
