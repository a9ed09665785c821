//! The standard benchmark workload reproduces the reference implementations (NumPy /
//! PyTorch / TF.js, `shared/bench/README.md`) on their own data: step-0 loss and the four
//! gradient norms to 1e-4 relative, and the first 10 Adam losses.
//!
//! Needs the data of `shared/bench/gen_data.py` (numpy) in `$BENCH_DATA`; `scripts/test.sh`
//! generates it and runs these with `--ignored`.

use sparse_rnn_lab::lab::bench::{ReferenceArrays, Workload};
use sparse_rnn_lab::model::Activation;
use std::path::PathBuf;

fn data_dir(cfg: &str) -> PathBuf {
    let root = std::env::var("BENCH_DATA").expect(
        "set BENCH_DATA to the folder written by `python3 shared/bench/gen_data.py <folder>`",
    );
    PathBuf::from(root).join(cfg)
}

fn check(cfg: &str, activation: Activation, expected: [f64; 5]) {
    let (spec, arrays) = ReferenceArrays::load_dir(&data_dir(cfg)).unwrap();
    let mut workload = Workload::new(spec, &arrays, activation).unwrap();
    let (loss, norms) = workload.reference_check().unwrap();
    let got = [loss as f64, norms[0], norms[1], norms[2], norms[3]];
    let names = ["loss0", "|g_W_rec|", "|g_W_in|", "|g_b|", "|g_W_out|"];
    for k in 0..5 {
        let rel = (got[k] - expected[k]).abs() / expected[k];
        assert!(
            rel < 1e-4,
            "{cfg} {activation:?} {}: {} vs reference {} (rel {rel:e})",
            names[k],
            got[k],
            expected[k]
        );
    }
}

#[test]
#[ignore = "needs shared/bench data; run by scripts/test.sh"]
fn n256_dense_matches_reference() {
    check(
        "n256_dense",
        Activation::Relu,
        [
            1.245565,
            7.588226e-01,
            7.107735e-02,
            9.750357e-02,
            1.233650e+00,
        ],
    );
}

#[test]
#[ignore = "needs shared/bench data; run by scripts/test.sh"]
fn n256_sparse10_matches_reference() {
    check(
        "n256_sp10",
        Activation::Relu,
        [
            1.307073,
            3.328662e-01,
            9.636991e-02,
            1.391587e-01,
            1.396258e+00,
        ],
    );
}

#[test]
#[ignore = "needs shared/bench data; run by scripts/test.sh"]
fn n1024_sparse5_matches_reference() {
    check(
        "n1024_sp5",
        Activation::Relu,
        [
            1.254016,
            3.314287e-01,
            7.136773e-02,
            9.918512e-02,
            2.449701e+00,
        ],
    );
}

#[test]
#[ignore = "needs shared/bench data; run by scripts/test.sh"]
fn n1024_dense_matches_reference() {
    check(
        "n1024_dense",
        Activation::Relu,
        [
            1.170076,
            1.152849e+00,
            5.415039e-02,
            7.478811e-02,
            1.948046e+00,
        ],
    );
}

#[test]
#[ignore = "needs shared/bench data; run by scripts/test.sh"]
fn n256_dense_tanh_matches_reference() {
    check(
        "n256_dense",
        Activation::Tanh,
        [
            1.045895,
            2.172910e-02,
            1.827125e-02,
            6.696514e-03,
            5.200271e-02,
        ],
    );
}

#[test]
#[ignore = "needs shared/bench data; run by scripts/test.sh"]
fn ten_adam_steps_follow_the_reference_losses() {
    let (spec, arrays) = ReferenceArrays::load_dir(&data_dir("n256_dense")).unwrap();
    let mut workload = Workload::new(spec, &arrays, Activation::Relu).unwrap();
    let reference = [
        1.245565, 1.103046, 1.053010, 1.042351, 1.045050, 1.048588, 1.048419, 1.044552, 1.038627,
        1.032263,
    ];
    for (step, want) in reference.iter().enumerate() {
        let loss = workload.step().unwrap() as f64;
        assert!(
            (loss - want).abs() / want < 1e-4,
            "step {step}: loss {loss} vs reference {want}"
        );
    }
}
