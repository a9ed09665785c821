//! The page's path and the CLI's path train the same run description to bit-identical
//! weights, for every learning rule, with recurrent and input noise, in both forms of the
//! dynamics where the rule allows it. The page's path is checked natively through the same
//! `Session` the wasm `Simulator` wraps (and in wasm by `tests/wasm_node.rs` against the
//! same golden fingerprints); the CLI path runs the `srnn` binary.

#[path = "support/pathways.rs"]
mod pathways;

use pathways::{cases, golden, STEPS};
use sparse_rnn_lab::lab::fingerprint::fingerprint;
use sparse_rnn_lab::lab::session::Session;
use sparse_rnn_lab::persist::load_model;
use std::process::Command;

fn cli_fingerprint(name: &str, config: &str) -> String {
    let dir = std::env::temp_dir().join(format!(
        "srnn-pathways-{}-{}",
        std::process::id(),
        name.replace('/', "-")
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let (config_path, model_path) = (dir.join("run.json"), dir.join("model.json"));
    std::fs::write(&config_path, config).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_srnn"))
        .args(["train", "--config"])
        .arg(&config_path)
        .args([
            "--steps",
            &STEPS.to_string(),
            "--eval-every",
            "100",
            "--out",
        ])
        .arg(&model_path)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{name}: srnn train failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let (network, steps) = load_model(&std::fs::read_to_string(&model_path).unwrap()).unwrap();
    assert_eq!(steps, STEPS, "{name}: steps in the model file");
    std::fs::remove_dir_all(&dir).ok();
    format!("{:#x}", fingerprint(&network))
}

#[test]
fn page_and_cli_train_every_rule_to_the_same_weights() {
    let mut lines = Vec::new();
    let mut distinct = std::collections::BTreeSet::new();
    for (name, config) in cases() {
        let mut session = Session::new(serde_json::from_str(&config).unwrap()).unwrap();
        session.train(STEPS).unwrap();
        let page = format!("{:#x}", fingerprint(&session.trainer.network));
        let cli = cli_fingerprint(&name, &config);
        assert_eq!(page, cli, "{name}: the page's path and the CLI's differ");
        lines.push(format!("{name} {page}"));
        // Hebbian OS+ changes the weights only from the patterns and from which trials are
        // misclassified, which can coincide in the two forms; every other case must differ.
        if !name.starts_with("hebbian") {
            distinct.insert(page.clone());
        }
        if std::env::var_os("UPDATE_FINGERPRINTS").is_none() {
            assert_eq!(
                golden(&name).as_deref(),
                Some(page.as_str()),
                "{name}: fingerprint changed (UPDATE_FINGERPRINTS=1 rewrites the golden file)"
            );
        }
    }
    assert_eq!(
        distinct.len(),
        lines.iter().filter(|l| !l.starts_with("hebbian")).count(),
        "every case trains differently: {lines:#?}"
    );
    if std::env::var_os("UPDATE_FINGERPRINTS").is_some() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/support/pathway_fingerprints.txt"
        );
        std::fs::write(path, lines.join("\n") + "\n").unwrap();
    }
}

#[test]
fn an_unknown_rule_is_an_error_naming_rule_rule() {
    let (_, config) = cases().remove(0);
    let config = config.replace(r#""rule": "bptt""#, r#""rule": "sgd""#);
    let dir = std::env::temp_dir().join(format!("srnn-unknown-rule-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("run.json");
    std::fs::write(&path, config).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_srnn"))
        .args(["train", "--config"])
        .arg(&path)
        .args(["--steps", "1"])
        .output()
        .unwrap();
    std::fs::remove_dir_all(&dir).ok();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(
        stderr.contains("rule.rule") && stderr.contains("sgd"),
        "{stderr}"
    );
}
