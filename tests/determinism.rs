//! Same seed and config → bit-identical weights after training. The expected fingerprint is
//! shared with the wasm test (`tests/wasm_node.rs`), so the two platforms are compared.

use sparse_rnn_lab::lab::fingerprint::determinism_probe;

/// Fingerprint of the weights after 20 steps of `determinism_probe`, as computed natively;
/// the wasm test asserts the same value. One per kernel flavour (`kernels::kernel_flavour`):
/// "baseline" (default build, wasm SIMD128) and "fma" (native `-C target-feature=+fma`,
/// wasm `+relaxed-simd` on FMA hardware).
#[cfg(not(target_feature = "fma"))]
pub const EXPECTED_FINGERPRINT: u64 = 0x434e_88a2_740d_472c;
/// The "fma" flavour's fingerprint (see above).
#[cfg(target_feature = "fma")]
pub const EXPECTED_FINGERPRINT: u64 = 0x565b_dd65_e3d4_849a;

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
