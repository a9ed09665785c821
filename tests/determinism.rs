//! Same seed and config → bit-identical weights after training. The expected fingerprint is
//! shared with the wasm test (`tests/wasm_node.rs`), so the two platforms are compared.

use sparse_rnn_lab::lab::fingerprint::{determinism_probe, noise_stream_probe};

/// Fingerprint of the weights after 20 steps of `determinism_probe`, as computed natively;
/// the wasm test asserts the same value. One per kernel flavour (`kernels::kernel_flavour`):
/// "baseline" (default build, wasm SIMD128) and "fma" (native `-C target-feature=+fma`,
/// wasm `+relaxed-simd` on FMA hardware).
#[cfg(not(target_feature = "fma"))]
pub const EXPECTED_FINGERPRINT: u64 = 0x3057_37ad_5226_a72e;
/// The "fma" flavour's fingerprint (see above).
#[cfg(target_feature = "fma")]
pub const EXPECTED_FINGERPRINT: u64 = 0x65db_2257_a280_c560;

#[test]
fn training_is_bit_reproducible_and_matches_the_shared_fingerprint() {
    let first = determinism_probe(20).unwrap();
    assert_eq!(
        first,
        determinism_probe(20).unwrap(),
        "two native runs differ"
    );
    assert_eq!(
        first, EXPECTED_FINGERPRINT,
        "fingerprint changed: {first:#x}"
    );
}

/// Fingerprint of the first 100 000 recurrent-noise draws (`noise_stream_probe`, the
/// Ziggurat sampler of `SimRng::add_normals`); `tests/wasm_node.rs` asserts the same value
/// in wasm. No kernel is involved, so it is the same for every flavour.
pub const EXPECTED_NOISE_FINGERPRINT: u64 = 0xafdb_e6a8_0580_63a6;

#[test]
fn the_noise_stream_matches_the_shared_fingerprint() {
    let probe = noise_stream_probe(100_000);
    assert_eq!(probe, noise_stream_probe(100_000));
    assert_eq!(
        probe, EXPECTED_NOISE_FINGERPRINT,
        "noise fingerprint changed: {probe:#x}"
    );
}
