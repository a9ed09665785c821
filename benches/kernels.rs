//! Per-kernel timing at the shapes of one training step of the standard workload
//! (N = 256 at 10 % or N = 1024 at 5 %, T = 100, B = 32, I = O = 33): which call of
//! `forward`/`backward` costs what. `cargo bench --bench kernels [-- n1024]`.
//! Prints ms per training step spent in each call and its GFLOP/s (2 FLOP per madd).

use sparse_rnn_lab::kernels::{kernel_flavour, sddmm, spmm_gather, RowsView};
use sparse_rnn_lab::model::Csr;
use sparse_rnn_lab::rng::SimRng;
use std::time::Instant;

fn random_csr(rng: &mut SimRng, n_rows: usize, n_cols: usize, density: f64) -> Csr {
    let rows: Vec<Vec<u32>> = (0..n_rows)
        .map(|_| {
            (0..n_cols as u32)
                .filter(|_| density >= 1.0 || rng.chance(density))
                .collect()
        })
        .collect();
    let mut m = Csr::from_rows(n_cols, &rows);
    m.values.iter_mut().for_each(|v| *v = rng.normal() as f32);
    m.sync_transpose();
    m
}

fn data(rng: &mut SimRng, n: usize) -> Vec<f32> {
    (0..n).map(|_| rng.normal() as f32 * 0.1).collect()
}

/// Median ms of `f` over 5 repetitions of enough calls to last ~200 ms.
fn time(mut f: impl FnMut()) -> f64 {
    let t0 = Instant::now();
    f();
    let once = t0.elapsed().as_secs_f64() * 1e3;
    let calls = ((200.0 / once.max(1e-3)) as usize).clamp(1, 10_000);
    let mut samples: Vec<f64> = (0..5)
        .map(|_| {
            let t0 = Instant::now();
            for _ in 0..calls {
                f();
            }
            t0.elapsed().as_secs_f64() * 1e3 / calls as f64
        })
        .collect();
    samples.sort_by(|a, b| a.total_cmp(b));
    samples[2]
}

/// The untiled form, for an A/B in the same process: one row at a time (no two-row
/// register tile). Same bits as the tiled kernel.
fn gather_row_by_row(m: &Csr, src: &[f32], stride: usize, out: &mut [f32], lanes: usize) {
    let rows = m.rows();
    for r in 0..rows.n_rows() {
        let ptr = [0, rows.row_ptr[r + 1] - rows.row_ptr[r]];
        let range = rows.row_ptr[r]..rows.row_ptr[r + 1];
        let one = RowsView {
            row_ptr: &ptr,
            indices: &rows.indices[range.clone()],
            values: &rows.values[range],
        };
        spmm_gather(one, src, stride, &mut out[r * lanes..], lanes, lanes);
    }
}

fn row(name: &str, ms: f64, madds: f64) {
    println!(
        "| {name} | {ms:.2} | {:.1} |",
        2.0 * madds / (ms / 1e3) / 1e9
    );
}

fn main() {
    let big = std::env::args().any(|a| a == "n1024");
    let (n, density) = if big { (1024, 0.05) } else { (256, 0.10) };
    let (t_len, b_len, io) = (100usize, 32usize, 33usize);
    let lanes = t_len * b_len;
    let stride = lanes + b_len;
    let mut rng = SimRng::new(7);
    let w_rec = random_csr(&mut rng, n, n, density);
    let w_in = random_csr(&mut rng, n, io, 1.0);
    let w_out = random_csr(&mut rng, io, n, 1.0);
    let inputs = data(&mut rng, io * lanes);
    let states = data(&mut rng, n * stride);
    let dout = data(&mut rng, io * lanes);
    let dpre = data(&mut rng, n * lanes);
    let mut out_n = vec![0.0f32; n * lanes];
    let mut out_o = vec![0.0f32; io * lanes];
    let mut step_n = vec![0.0f32; n * b_len];
    println!(
        "N = {n}, density {density}, nnz {}, flavour {}",
        w_rec.nnz(),
        kernel_flavour()
    );
    println!("| call (per training step) | ms | GFLOP/s |\n|---|---|---|");
    let tb = lanes as f64;
    let (nnz, dense_io) = (w_rec.nnz() as f64, (n * io) as f64);
    row(
        "fwd W_in·x (gather, all steps)",
        time(|| spmm_gather(w_in.rows(), &inputs, lanes, &mut out_n, lanes, lanes)),
        tb * dense_io,
    );
    row(
        "  A/B: same, row by row (untiled)",
        time(|| gather_row_by_row(&w_in, &inputs, lanes, &mut out_n, lanes)),
        tb * dense_io,
    );
    let rec = |rows: RowsView<'_>, out: &mut [f32], src: &[f32], src_stride: usize| {
        for t in 0..t_len {
            spmm_gather(rows, &src[t * b_len..], src_stride, out, b_len, b_len);
        }
    };
    row(
        "fwd W_rec·h (gather, T calls of B lanes)",
        time(|| rec(w_rec.rows(), &mut step_n, &states, stride)),
        tb * nnz,
    );
    row(
        "fwd W_out·h (gather, all steps)",
        time(|| {
            spmm_gather(
                w_out.rows(),
                &states[b_len..],
                stride,
                &mut out_o,
                lanes,
                lanes,
            )
        }),
        tb * dense_io,
    );
    row(
        "bwd W_outᵀ·dy (gather)",
        time(|| {
            spmm_gather(
                w_out.transposed_rows(),
                &dout,
                lanes,
                &mut out_n,
                lanes,
                lanes,
            )
        }),
        tb * dense_io,
    );
    row(
        "bwd W_recᵀ·dpre (gather, T calls)",
        time(|| rec(w_rec.transposed_rows(), &mut step_n, &dpre, lanes)),
        tb * nnz,
    );
    let mut g_out = vec![0.0f32; w_out.nnz()];
    row(
        "bwd dW_out (sddmm)",
        time(|| {
            sddmm(
                w_out.rows(),
                &dout,
                lanes,
                &states[b_len..],
                stride,
                lanes,
                &mut g_out,
            )
        }),
        tb * dense_io,
    );
    let mut g_rec = vec![0.0f32; w_rec.nnz()];
    row(
        "bwd dW_rec (sddmm)",
        time(|| {
            sddmm(
                w_rec.rows(),
                &dpre,
                lanes,
                &states,
                stride,
                lanes,
                &mut g_rec,
            )
        }),
        tb * nnz,
    );
    let mut g_in = vec![0.0f32; w_in.nnz()];
    row(
        "bwd dW_in (sddmm)",
        time(|| sddmm(w_in.rows(), &dpre, lanes, &inputs, lanes, lanes, &mut g_in)),
        tb * dense_io,
    );
}
