//! The dense products of one Yang shard (N = 256, I = 85, O = 33, ~1786 packed lanes) through
//! `kernels::gemm` alone, each as a fraction of this build's madd peak, best of 7 (and
//! `spmm_gather` / `sddmm` on the same shapes for comparison):
//! `cargo run --release --example gemm_probe`.

use sparse_rnn_lab::kernels::{
    gemm, madd_peak, madd_peak_lanes, sddmm, spmm_gather, RowsView, PEAK_CHAINS,
};
use std::time::Instant;

fn best_gflops(flop: f64, mut f: impl FnMut()) -> f64 {
    let mut best = 0.0f64;
    for _ in 0..7 {
        let t = Instant::now();
        f();
        best = best.max(flop / t.elapsed().as_secs_f64() / 1e9);
    }
    best
}

fn fill(n: usize, seed: usize) -> Vec<f32> {
    (0..n)
        .map(|x| ((x * 7919 + seed) % 1000) as f32 * 1e-3 - 0.5)
        .collect()
}

fn main() {
    let (n, i, o, l) = (256usize, 85usize, 33usize, 1786usize);
    let rounds = 1 << 20;
    let peak = best_gflops(
        (2 * madd_peak_lanes() * PEAK_CHAINS * rounds) as f64,
        || {
            std::hint::black_box(madd_peak(rounds, 1.0));
        },
    );
    println!(
        "madd peak {peak:.1} GFLOP/s ({}-lane chains)",
        madd_peak_lanes()
    );
    let dense = |rows: usize, cols: usize| {
        let ptr: Vec<usize> = (0..=rows).map(|r| r * cols).collect();
        let idx: Vec<u32> = (0..rows * cols).map(|s| (s % cols) as u32).collect();
        (ptr, idx, fill(rows * cols, rows))
    };
    let row = |name: &str, flop: f64, g: f64, s: f64| {
        println!(
            "| {name} | {:.3} | {g:.1} | {:.0} | {s:.1} | {:.0} |",
            flop / 1e9,
            100.0 * g / peak,
            100.0 * s / peak
        );
    };
    println!("| product (one shard) | GFLOP | gemm GFLOP/s | % of peak | sparse kernel GFLOP/s | % of peak |");
    println!("|---|---|---|---|---|---|");
    // forward: C [m × L] += W [m × k] · X [k × L]
    for (name, m, k) in [
        ("input projection [256×85]·[85×L]", n, i),
        ("readout [33×256]·[256×L]", o, n),
        ("readout back [256×33]·[33×L]", n, o),
    ] {
        let (ptr, idx, w) = dense(m, k);
        let rows = RowsView {
            row_ptr: &ptr,
            indices: &idx,
            values: &w,
        };
        let x = fill(k * l, 3);
        let mut c = vec![0.0f32; m * l];
        let flop = 2.0 * (m * k * l) as f64;
        let g = best_gflops(flop, || gemm((m, l, k), &w, k, &x, l, &mut c, l));
        let s = best_gflops(flop, || spmm_gather(rows, &x, l, &mut c, l, l));
        row(name, flop, g, s);
    }
    // gradients: G [rows × cols] += Σ_l post[r][l] pre[c][l]; gemm on the narrow operand
    // transposed (width rounded up to 4), sddmm as before
    for (name, rows_n, cols_n) in [("dW_in Σ dpre·xᵀ", n, i), ("dW_out Σ dy·hᵀ", o, n)] {
        let (ptr, idx, w) = dense(rows_n, cols_n);
        let rows = RowsView {
            row_ptr: &ptr,
            indices: &idx,
            values: &w,
        };
        let post = fill(rows_n * l, 5);
        let pre = fill(cols_n * l, 7);
        let (wide, n_wide, narrow_n) = if cols_n <= rows_n {
            (&post, rows_n, cols_n)
        } else {
            (&pre, cols_n, rows_n)
        };
        let width = narrow_n.next_multiple_of(4);
        let narrow_t = fill(l * width, 9);
        let mut product = vec![0.0f32; n_wide * width];
        let flop = 2.0 * (rows_n * cols_n * l) as f64;
        let g = best_gflops(flop, || {
            gemm(
                (n_wide, width, l),
                wide,
                l,
                &narrow_t,
                width,
                &mut product,
                width,
            )
        });
        let mut grad = vec![0.0f32; rows_n * cols_n];
        let s = best_gflops(flop, || sddmm(rows, &post, l, &pre, l, l, &mut grad));
        row(name, flop, g, s);
    }
}
