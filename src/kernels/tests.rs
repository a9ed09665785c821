//! Property tests: every kernel equals a plain dense f64 reference on random shapes,
//! densities and lane counts, including one lane, odd sizes and empty rows.

use super::*;
use crate::rng::SimRng;

struct RandomCsr {
    n_rows: usize,
    n_cols: usize,
    row_ptr: Vec<usize>,
    indices: Vec<u32>,
    values: Vec<f32>,
}

impl RandomCsr {
    fn new(rng: &mut SimRng, n_rows: usize, n_cols: usize, density: f64) -> Self {
        let mut row_ptr = vec![0];
        let mut indices = Vec::new();
        let mut values = Vec::new();
        for r in 0..n_rows {
            // every third row of a sparse matrix is forced empty
            let empty = density < 1.0 && r % 3 == 2;
            for c in 0..n_cols {
                if !empty && rng.chance(density) {
                    indices.push(c as u32);
                    values.push(rng.normal() as f32);
                }
            }
            row_ptr.push(indices.len());
        }
        RandomCsr {
            n_rows,
            n_cols,
            row_ptr,
            indices,
            values,
        }
    }

    fn view(&self) -> RowsView<'_> {
        RowsView {
            row_ptr: &self.row_ptr,
            indices: &self.indices,
            values: &self.values,
        }
    }

    fn dense(&self) -> Vec<Vec<f64>> {
        let mut m = vec![vec![0.0; self.n_cols]; self.n_rows];
        for r in 0..self.n_rows {
            for s in self.row_ptr[r]..self.row_ptr[r + 1] {
                m[r][self.indices[s] as usize] = self.values[s] as f64;
            }
        }
        m
    }
}

fn random_vec(rng: &mut SimRng, n: usize) -> Vec<f32> {
    (0..n).map(|_| rng.normal() as f32).collect()
}

fn shapes() -> Vec<(usize, usize, usize, f64)> {
    // (rows, cols, lanes, density)
    vec![
        (1, 1, 1, 1.0),
        (5, 7, 1, 0.5),
        (13, 13, 3, 0.3),
        (17, 9, 33, 1.0),
        (31, 31, 8, 0.05),
        (64, 40, 37, 0.1),
        (6, 6, 100, 0.0),
        (50, 50, 71, 0.2),
    ]
}

#[test]
fn spmm_gather_equals_dense_reference() {
    let mut rng = SimRng::new(11);
    for (n_rows, n_cols, lanes, density) in shapes() {
        let m = RandomCsr::new(&mut rng, n_rows, n_cols, density);
        // strided layouts: pad each row with extra lanes that must stay untouched
        let src_stride = lanes + 3;
        let out_stride = lanes + 5;
        let src = random_vec(&mut rng, n_cols * src_stride);
        let mut out = random_vec(&mut rng, n_rows * out_stride);
        let before = out.clone();
        spmm_gather(m.view(), &src, src_stride, &mut out, out_stride, lanes);
        let dense = m.dense();
        for r in 0..n_rows {
            for l in 0..out_stride {
                let got = out[r * out_stride + l] as f64;
                if l >= lanes {
                    assert_eq!(
                        got,
                        before[r * out_stride + l] as f64,
                        "padding lane touched"
                    );
                    continue;
                }
                let want: f64 = before[r * out_stride + l] as f64
                    + (0..n_cols)
                        .map(|c| dense[r][c] * src[c * src_stride + l] as f64)
                        .sum::<f64>();
                assert!(
                    (got - want).abs() < 1e-4 * (1.0 + want.abs()),
                    "shape {n_rows}x{n_cols} lanes {lanes}: row {r} lane {l}: {got} vs {want}"
                );
            }
        }
    }
}

#[test]
fn sddmm_equals_dense_reference() {
    let mut rng = SimRng::new(12);
    for (n_rows, n_cols, lanes, density) in shapes() {
        let lanes = lanes * 7; // span several tiles
        let m = RandomCsr::new(&mut rng, n_rows, n_cols, density);
        let a = random_vec(&mut rng, n_rows * lanes);
        let b = random_vec(&mut rng, n_cols * (lanes + 2));
        let mut grad = vec![0.5f32; m.indices.len()];
        sddmm(m.view(), &a, lanes, &b, lanes + 2, lanes, &mut grad);
        for r in 0..n_rows {
            for s in m.row_ptr[r]..m.row_ptr[r + 1] {
                let c = m.indices[s] as usize;
                let want: f64 = 0.5
                    + (0..lanes)
                        .map(|l| a[r * lanes + l] as f64 * b[c * (lanes + 2) + l] as f64)
                        .sum::<f64>();
                let got = grad[s] as f64;
                assert!(
                    (got - want).abs() < 1e-4 * (1.0 + want.abs()),
                    "{got} vs {want}"
                );
            }
        }
    }
}

#[test]
fn gather_result_does_not_depend_on_lane_blocking() {
    // The same lane computed inside a 32-lane single-row tile, a 16-lane two-row tile
    // (rows with different column lists) or an 8-lane one, and as a scalar tail must be
    // bit-identical.
    let mut rng = SimRng::new(13);
    let m = RandomCsr::new(&mut rng, 21, 30, 0.4);
    for width in [33usize, 16, 27] {
        let src = random_vec(&mut rng, 30 * width);
        let init = random_vec(&mut rng, 21 * width);
        let mut wide = init.clone();
        spmm_gather(m.view(), &src, width, &mut wide, width, width);
        for lane in 0..width {
            let column: Vec<f32> = (0..30).map(|c| src[c * width + lane]).collect();
            let mut single: Vec<f32> = (0..21).map(|r| init[r * width + lane]).collect();
            spmm_gather(m.view(), &column, 1, &mut single, 1, 1);
            for r in 0..21 {
                assert_eq!(
                    single[r].to_bits(),
                    wide[r * width + lane].to_bits(),
                    "width {width} lane {lane} row {r}"
                );
            }
        }
    }
}

#[test]
fn lane_tails_equal_one_chain_per_row_bits() {
    // Lane tails walk four rows side by side (`gather::tail_rows`, unit-stride and strided
    // forms); each row must still be one multiply-add chain in synapse order, exactly as a
    // row-by-row loop computes it. Rows of unequal lengths (density < 1), empty rows and a
    // row count that is not a multiple of four.
    let mut rng = SimRng::new(16);
    for (n_rows, n_cols, density, lanes, src_stride) in [
        (23usize, 40usize, 0.3, 1usize, 1usize),
        (9, 12, 0.05, 1, 1),
        (18, 25, 0.6, 3, 7),
        (7, 5, 1.0, 2, 2),
    ] {
        let m = RandomCsr::new(&mut rng, n_rows, n_cols, density);
        let src = random_vec(&mut rng, n_cols * src_stride);
        let init = random_vec(&mut rng, n_rows * lanes);
        let mut got = init.clone();
        spmm_gather(m.view(), &src, src_stride, &mut got, lanes, lanes);
        for r in 0..n_rows {
            for l in 0..lanes {
                let mut want = init[r * lanes + l];
                for s in m.row_ptr[r]..m.row_ptr[r + 1] {
                    let x = src[m.indices[s] as usize * src_stride + l];
                    want = super::madd(want, m.values[s], x);
                }
                assert_eq!(
                    got[r * lanes + l].to_bits(),
                    want.to_bits(),
                    "{n_rows}x{n_cols} (density {density}): row {r} lane {l}"
                );
            }
        }
    }
}

#[test]
fn dot_sum_axpy_match_reference() {
    let mut rng = SimRng::new(14);
    for n in [0usize, 1, 15, 16, 17, 100, 1000] {
        let a = random_vec(&mut rng, n);
        let b = random_vec(&mut rng, n);
        let want: f64 = a.iter().zip(&b).map(|(x, y)| *x as f64 * *y as f64).sum();
        assert!((dot(&a, &b) as f64 - want).abs() < 1e-4 * (1.0 + want.abs()));
        let want_sum: f64 = a.iter().map(|x| *x as f64).sum();
        assert!((sum(&a) as f64 - want_sum).abs() < 1e-4 * (1.0 + want_sum.abs()));
        let mut y = b.clone();
        axpy(&mut y, 0.5, &a);
        for i in 0..n {
            let want = if kernel_flavour() == "fma" {
                0.5f32.mul_add(a[i], b[i])
            } else {
                b[i] + 0.5 * a[i]
            };
            assert_eq!(y[i], want);
        }
    }
}

#[test]
fn paired_rows_of_a_dense_layer_equal_row_by_row_bits() {
    // A dense matrix takes the register-tiled two-row path; one row at a time does not.
    let mut rng = SimRng::new(15);
    for (n_rows, n_cols, lanes) in [(5usize, 33usize, 35usize), (4, 7, 16), (3, 1, 9)] {
        let m = RandomCsr::new(&mut rng, n_rows, n_cols, 1.0);
        assert_eq!(gather::uniform_pattern(m.view()), Some(n_cols));
        let src = random_vec(&mut rng, n_cols * lanes);
        let init = random_vec(&mut rng, n_rows * lanes);
        let mut tiled = init.clone();
        spmm_gather(m.view(), &src, lanes, &mut tiled, lanes, lanes);
        for r in 0..n_rows {
            let row_ptr = [0, n_cols];
            let one = RowsView {
                row_ptr: &row_ptr,
                indices: &m.indices[r * n_cols..(r + 1) * n_cols],
                values: &m.values[r * n_cols..(r + 1) * n_cols],
            };
            let mut single = init[r * lanes..(r + 1) * lanes].to_vec();
            spmm_gather(one, &src, lanes, &mut single, lanes, lanes);
            for l in 0..lanes {
                assert_eq!(
                    single[l].to_bits(),
                    tiled[r * lanes + l].to_bits(),
                    "{n_rows}x{n_cols}: row {r} lane {l}"
                );
            }
        }
    }
    // different column lists are not uniform
    let sparse = RandomCsr::new(&mut rng, 9, 9, 0.5);
    assert_eq!(gather::uniform_pattern(sparse.view()), None);
}

#[test]
fn the_flavour_name_says_whether_multiply_adds_are_fused() {
    // (1 + 2^-12)^2 - (1 + 2^-11) = 2^-24 exactly; rounding the product first gives 0.
    let a = 1.0 + 1.0 / 4096.0f32;
    let c = -(1.0 + 1.0 / 2048.0f32);
    let mut y = vec![c; 37];
    let x = vec![a; 37];
    axpy(&mut y, std::hint::black_box(a), &x);
    let mut out = vec![c; 16];
    let row_ptr = [0usize, 1];
    let one = RowsView {
        row_ptr: &row_ptr,
        indices: &[0],
        values: &[a],
    };
    spmm_gather(one, &x, 16, &mut out, 16, 16);
    let fused = 2.0f32.powi(-24);
    let want = match kernel_flavour() {
        "fma" => fused,
        "baseline" | "relaxed-unfused" => 0.0,
        other => panic!("unknown flavour {other}"),
    };
    assert!(y.iter().chain(&out).all(|v| *v == want), "{:?}", &out[..4]);
}

#[test]
fn sddmm_grouped_dots_equal_one_dot_per_synapse_bits() {
    // Synapses of a row go several at a time through one pass over `a` (rows of a dense
    // layer several rows × several columns at a time); each must equal `dot` tile by tile
    // (128-lane tiles) exactly, for odd row lengths, odd row and column counts (blocks and
    // their remainders) and a lane tail.
    for (seed, n_rows, n_cols, density, lanes) in [
        (16, 9, 23, 0.45, 300),
        (17, 7, 11, 1.0, 300),
        (18, 10, 8, 1.0, 143),
        (19, 4, 40, 0.5, 37),
    ] {
        sddmm_equals_dot_per_tile(seed, n_rows, n_cols, density, lanes);
    }
}

fn sddmm_equals_dot_per_tile(seed: u64, n_rows: usize, n_cols: usize, density: f64, lanes: usize) {
    let mut rng = SimRng::new(seed);
    let m = RandomCsr::new(&mut rng, n_rows, n_cols, density);
    let a = random_vec(&mut rng, n_rows * lanes);
    let b = random_vec(&mut rng, n_cols * lanes);
    let mut grad = vec![0.25f32; m.indices.len()];
    sddmm(m.view(), &a, lanes, &b, lanes, lanes, &mut grad);
    for r in 0..n_rows {
        for s in m.row_ptr[r]..m.row_ptr[r + 1] {
            let c = m.indices[s] as usize;
            let mut want = 0.25f32;
            for start in (0..lanes).step_by(128) {
                let end = (start + 128).min(lanes);
                want += dot(
                    &a[r * lanes + start..r * lanes + end],
                    &b[c * lanes + start..c * lanes + end],
                );
            }
            assert_eq!(grad[s].to_bits(), want.to_bits(), "row {r} synapse {s}");
        }
    }
}

#[test]
fn vector_reduction_of_partials_equals_scalar_reduce16_bits() {
    // `reduce_partials` (vector adds for the first two levels) must be `reduce16` exactly.
    let mut rng = SimRng::new(20);
    for _ in 0..200 {
        let p = random_vec(&mut rng, 16);
        let scale = 10f32.powi((rng.normal() * 3.0) as i32);
        let p: Vec<f32> = p.iter().map(|x| x * scale).collect();
        let vectors = core::array::from_fn(|k| simd::F4::load(&p[4 * k..]));
        let scalar: &[f32; 16] = p[..].try_into().expect("16");
        assert_eq!(
            reduce_partials(vectors).to_bits(),
            reduce16(scalar).to_bits()
        );
    }
}

/// (m, n, k): 1×1, empty dimensions, sizes below, at and off every block (4 rows, 12 / 8 /
/// 4 lanes, 256 k per block).
fn gemm_shapes() -> Vec<(usize, usize, usize)> {
    vec![
        (1, 1, 1),
        (0, 5, 3),
        (4, 0, 3),
        (3, 5, 0),
        (1, 13, 7),
        (4, 12, 4),
        (5, 25, 9),
        (7, 3, 300),
        (9, 36, 1),
        (33, 100, 85),
        (17, 31, 513),
    ]
}

#[test]
fn gemm_equals_f64_triple_loop() {
    let mut rng = SimRng::new(21);
    for (m, n, k) in gemm_shapes() {
        // strided operands; the lanes beyond `n` of every `c` row must stay untouched
        let (a_stride, b_stride, c_stride) = (k + 2, n + 3, n + 5);
        let a = random_vec(&mut rng, m * a_stride);
        let b = random_vec(&mut rng, k * b_stride);
        let mut c = random_vec(&mut rng, m * c_stride);
        let before = c.clone();
        gemm((m, n, k), &a, a_stride, &b, b_stride, &mut c, c_stride);
        for i in 0..m {
            for j in 0..c_stride {
                let got = c[i * c_stride + j] as f64;
                if j >= n {
                    assert_eq!(got, before[i * c_stride + j] as f64, "padding touched");
                    continue;
                }
                let terms = (0..k).map(|p| a[i * a_stride + p] as f64 * b[p * b_stride + j] as f64);
                let scale: f64 = 1.0 + terms.clone().map(f64::abs).sum::<f64>();
                let want = before[i * c_stride + j] as f64 + terms.sum::<f64>();
                assert!(
                    (got - want).abs() < 1e-5 * scale,
                    "{m}x{n}x{k}: c[{i}][{j}] = {got}, want {want}"
                );
            }
        }
    }
}

#[test]
fn gemm_equals_one_madd_chain_per_element_bits() {
    // the summation order of the module docs: from c, one term per k in k order
    let mut rng = SimRng::new(22);
    for (m, n, k) in gemm_shapes() {
        let a = random_vec(&mut rng, m * k);
        let b = random_vec(&mut rng, k * n);
        let mut c = random_vec(&mut rng, m * n);
        let mut want = c.clone();
        for i in 0..m {
            for j in 0..n {
                for p in 0..k {
                    want[i * n + j] = madd(want[i * n + j], a[i * k + p], b[p * n + j]);
                }
            }
        }
        gemm((m, n, k), &a, k, &b, n, &mut c, n);
        let bits = |x: &[f32]| x.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&c), bits(&want), "{m}x{n}x{k}");
    }
}

#[test]
fn gemm_on_a_dense_layer_equals_spmm_gather_bits() {
    // the forward products switched kernels without changing a bit
    let mut rng = SimRng::new(23);
    for (n_rows, n_cols, lanes) in [(33, 256, 70), (256, 85, 37), (5, 3, 12), (7, 1, 1)] {
        let w = RandomCsr::new(&mut rng, n_rows, n_cols, 1.0);
        let values = dense_values(w.view(), n_cols).expect("a dense pattern");
        let src = random_vec(&mut rng, n_cols * (lanes + 1));
        let init = random_vec(&mut rng, n_rows * lanes);
        let (mut by_gemm, mut by_gather) = (init.clone(), init.clone());
        let shape = (n_rows, lanes, n_cols);
        gemm(shape, values, n_cols, &src, lanes + 1, &mut by_gemm, lanes);
        spmm_gather(w.view(), &src, lanes + 1, &mut by_gather, lanes, lanes);
        let bits = |x: &[f32]| x.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
        assert_eq!(
            bits(&by_gemm),
            bits(&by_gather),
            "{n_rows}x{n_cols}, {lanes} lanes"
        );
        // the dispatcher the trainer calls: the GEMM for this dense layer, the gather for a
        // masked one
        let dispatched = |view| {
            let mut out = init.clone();
            rows_product(view, n_cols, &src, lanes + 1, &mut out, lanes, lanes);
            out
        };
        assert_eq!(
            bits(&dispatched(w.view())),
            bits(&by_gemm),
            "rows_product, dense"
        );
        let masked = RandomCsr::new(&mut rng, n_rows, n_cols, 0.5);
        let mut by_gather = init.clone();
        spmm_gather(masked.view(), &src, lanes + 1, &mut by_gather, lanes, lanes);
        assert_eq!(
            bits(&dispatched(masked.view())),
            bits(&by_gather),
            "rows_product, masked"
        );
    }
}

#[test]
fn dense_values_accepts_only_every_column_in_order() {
    let mut rng = SimRng::new(24);
    let dense = RandomCsr::new(&mut rng, 6, 5, 1.0);
    assert_eq!(dense_values(dense.view(), 5), Some(&dense.values[..]));
    assert_eq!(dense_values(dense.view(), 4), None, "wrong width");
    let masked = RandomCsr::new(&mut rng, 6, 5, 0.5);
    assert_eq!(dense_values(masked.view(), 5), None);
    // every row full, but one row's columns permuted
    let mut permuted = RandomCsr::new(&mut rng, 3, 4, 1.0);
    permuted.indices.swap(4, 5);
    assert_eq!(dense_values(permuted.view(), 4), None);
}

#[test]
fn gemm_avx2_path_equals_f4_path_bits() {
    // `gemm` takes the 256-bit AVX2 path where the CPU has it; it must give the F4 path's
    // bits (this build's flavour) on shapes off every block: m off the 4-row tile, n below,
    // at and off the 24 / 16 / 8 / 4-lane strips, k beyond both k blocks (128 and 256),
    // strides larger than the rows; the lanes beyond `n` of `c` stay untouched
    if !simd::avx2_available() {
        println!(
            "SKIPPED gemm_avx2_path_equals_f4_path_bits: this CPU lacks AVX2{}, so `gemm` \
             runs the F4 path only",
            if cfg!(target_feature = "fma") {
                " or FMA"
            } else {
                ""
            }
        );
        return;
    }
    let mut rng = SimRng::new(24);
    let bits = |x: &[f32]| x.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    for m in [1usize, 2, 3, 5, 7, 9] {
        for n in [
            1usize, 3, 4, 7, 8, 12, 15, 16, 20, 23, 24, 25, 36, 47, 48, 53, 88,
        ] {
            for k in [1usize, 5, 127, 128, 129, 300, 513] {
                let (a_stride, b_stride, c_stride) = (k + 3, n + 5, n + 7);
                let a = random_vec(&mut rng, m * a_stride);
                let b = random_vec(&mut rng, k * b_stride);
                let init = random_vec(&mut rng, m * c_stride);
                let (mut wide, mut narrow) = (init.clone(), init.clone());
                gemm((m, n, k), &a, a_stride, &b, b_stride, &mut wide, c_stride);
                gemm::gemm_f4((m, n, k), &a, a_stride, &b, b_stride, &mut narrow, c_stride);
                assert_eq!(bits(&wide), bits(&narrow), "{m}x{n}x{k}");
                assert_ne!(bits(&wide), bits(&init), "{m}x{n}x{k}: nothing computed");
                for i in 0..m {
                    let pad = &wide[i * c_stride + n..(i + 1) * c_stride];
                    assert_eq!(bits(pad), bits(&init[i * c_stride + n..(i + 1) * c_stride]));
                }
            }
        }
    }
}

#[test]
fn gather_avx2_path_equals_f4_path_bits() {
    // `spmm_gather` takes the 256-bit AVX2 path where the CPU has it; it must give the F4
    // path's bits (this build's flavour): shared-column rows (a dense layer as CSR, the
    // two-row shared tiles), own-column rows (single-row and paired tiles, every third row
    // empty), one and two rows, every lane count 1..=70 (the 64 / 32 / 16 / 8-lane F8
    // blocks, the 4-lane F4 block and the single-lane tail) and a few wider, strides larger
    // than the lanes; the lanes beyond `lanes` of `out` stay untouched
    if !simd::avx2_available() {
        println!(
            "SKIPPED gather_avx2_path_equals_f4_path_bits: this CPU lacks AVX2{}, so \
             `spmm_gather` runs the F4 path only",
            if cfg!(target_feature = "fma") {
                " or FMA"
            } else {
                ""
            }
        );
        return;
    }
    let mut rng = SimRng::new(25);
    let bits = |x: &[f32]| x.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    let lane_counts = (1usize..=70).chain([96, 129, 200]);
    for lanes in lane_counts {
        for (n_rows, n_cols, density) in [
            (1usize, 9usize, 1.0),
            (1, 40, 0.3),
            (2, 33, 1.0),
            (2, 17, 0.5),
            (7, 33, 1.0),
            (9, 5, 1.0),
            (11, 40, 0.3),
            (23, 60, 0.1),
            (6, 6, 0.0),
        ] {
            let m = RandomCsr::new(&mut rng, n_rows, n_cols, density);
            // (one row is trivially "shared"; it takes the single-row tiles either way)
            if n_rows > 1 {
                assert_eq!(
                    gather::uniform_pattern(m.view()).is_some(),
                    density == 1.0,
                    "{n_rows}x{n_cols} (density {density})"
                );
            }
            for (src_stride, out_stride) in [(lanes, lanes), (lanes + 5, lanes + 3)] {
                let src = random_vec(&mut rng, n_cols * src_stride);
                let init = random_vec(&mut rng, n_rows * out_stride);
                let (mut wide, mut narrow) = (init.clone(), init.clone());
                spmm_gather(m.view(), &src, src_stride, &mut wide, out_stride, lanes);
                gather::spmm_gather_f4(m.view(), &src, src_stride, &mut narrow, out_stride, lanes);
                let case = format!(
                    "{n_rows}x{n_cols} (density {density}), {lanes} lanes, strides \
                     {src_stride} / {out_stride}"
                );
                assert_eq!(bits(&wide), bits(&narrow), "{case}");
                if m.values.iter().any(|&v| v != 0.0) {
                    assert_ne!(bits(&wide), bits(&init), "{case}: nothing computed");
                }
                for r in 0..n_rows {
                    let pad = r * out_stride + lanes..(r + 1) * out_stride;
                    assert_eq!(bits(&wide[pad.clone()]), bits(&init[pad]), "{case}");
                }
            }
        }
    }
}

#[test]
fn madd_peak_computes_its_chains() {
    // chain c starts at 2 + c and is multiplied by (1 − 10⁻⁷) per round; its lanes each
    // (8 with AVX2, as the GEMM's widest vectors here, else 4)
    let lanes = madd_peak_lanes() as f64;
    assert_eq!(lanes, if simd::avx2_available() { 8.0 } else { 4.0 });
    let got = madd_peak(1000, 2.0) as f64;
    let decay = (1.0f64 - 1e-7).powi(1000);
    let want: f64 = lanes
        * (0..PEAK_CHAINS)
            .map(|c| (2.0 + c as f64) * decay)
            .sum::<f64>();
    assert!((got - want).abs() < 1e-3 * want, "{got} vs {want}");
    assert!(got < lanes * (0..PEAK_CHAINS).map(|c| 2.0 + c as f64).sum::<f64>());
}

#[test]
fn interleaved_single_lane_product_equals_one_chain_per_row_bits() {
    // `spmv_interleaved` visits rows four at a time in order of synapse count, interleaved;
    // each row must still be one multiply-add chain in synapse order from its current
    // output (as `spmm_gather` with one lane computes it). Rows of unequal lengths, empty
    // rows, row counts that are not multiples of four, and a strided output.
    let mut rng = SimRng::new(22);
    for (n_rows, n_cols, density, out_stride) in [
        (23usize, 40usize, 0.3, 1usize),
        (9, 12, 0.05, 3),
        (64, 64, 0.1, 1),
        (7, 5, 1.0, 2),
        (1, 3, 0.5, 1),
    ] {
        let m = RandomCsr::new(&mut rng, n_rows, n_cols, density);
        let src = random_vec(&mut rng, n_cols);
        let init = random_vec(&mut rng, n_rows * out_stride);
        let single = InterleavedRows::new(m.view(), n_cols).expect("indices in range");
        assert_eq!(single.n_rows(), n_rows);
        let mut got = init.clone();
        spmv_interleaved(&single, &src, &mut got, out_stride);
        let mut gathered = init.clone();
        spmm_gather(m.view(), &src, 1, &mut gathered, out_stride, 1);
        for r in 0..n_rows {
            let mut want = init[r * out_stride];
            for s in m.row_ptr[r]..m.row_ptr[r + 1] {
                want = super::madd(want, m.values[s], src[m.indices[s] as usize]);
            }
            let at = r * out_stride;
            assert_eq!(
                got[at].to_bits(),
                want.to_bits(),
                "{n_rows}x{n_cols}: row {r}"
            );
            assert_eq!(
                got[at].to_bits(),
                gathered[at].to_bits(),
                "{n_rows}x{n_cols}: row {r}"
            );
        }
        // the lanes between the strided rows are untouched
        for (i, (g, w)) in got.iter().zip(&init).enumerate() {
            if i % out_stride != 0 {
                assert_eq!(g.to_bits(), w.to_bits());
            }
        }
    }
    // a column index beyond the stated column count is refused
    let m = RandomCsr::new(&mut rng, 5, 8, 1.0);
    assert!(InterleavedRows::new(m.view(), 7).is_none());
}
