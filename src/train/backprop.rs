//! One backpropagation through time for both forms of the dynamics and every error source
//! the learning rules need (spiking neurons: [`crate::train::spiking_backprop`], with a
//! surrogate derivative).
//!
//! Notation (see [`crate::train::forward`]). Rate form: `a_t = W_rec h_t + W_in x_t + b`,
//! `r_t = f(a_t)`, `h_{t+1} = (1−α) h_t + α r_t`, `y_t = W_out h_{t+1}`. Voltage form:
//! `x_{t+1} = (1−α) x_t + α (W_rec f(x_t) + W_in u_t + b)`, `y_t = W_out f(x_{t+1})`.
//!
//! What a rule may change ([`ErrorSource`]):
//! - the matrix that carries the output error `dL/dy` back to the network: the readout
//!   `W_out` (exact BPTT) or a fixed random `B` of the same shape (feedback alignment);
//! - an extra error on the rates `dL/dr_t` (a regulariser on the activity, e.g. BEAN);
//! - whether errors travel back through `W_recᵀ` ([`Propagation::Full`]) or only through
//!   the leak (`(1−α)`, [`Propagation::LeakOnly`]: RFLO / recurrent DFA).
//!
//! The readout's own gradient `dL/dW_out = Σ_t dy_t ⊗ (state seen by the readout)` is
//! always the true local gradient.

use super::alloc::{checked_len, try_capacity};
use super::{StepLanes, Trajectory};
use crate::error::Result;
use crate::kernels::{dense_values, gemm, rows_product, rows_product_with, sddmm, sum, RowsView};
use crate::model::{Csr, Dynamics, Network};

/// Gradients of the loss with respect to every parameter tensor.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Gradients {
    /// dL/d(recurrent parameter), one per synapse (already through Dale's |·|·sign).
    pub w_rec: Vec<f32>,
    /// dL/dW_in, one per stored input weight.
    pub w_in: Vec<f32>,
    /// dL/db.
    pub bias: Vec<f32>,
    /// dL/dW_out, one per stored readout weight.
    pub w_out: Vec<f32>,
    /// dL/db_out, one per readout bias (empty when the network has none).
    pub b_out: Vec<f32>,
    /// dL/d(pre-activation), `[N][T·B]`: the error signal each neuron's input receives
    /// (rate form: dL/da_t; voltage form: α dL/dx_{t+1}).
    pub pre_activation: Vec<f32>,
}

impl Gradients {
    /// Global L2 norm over the parameter gradients.
    pub fn norm(&self) -> f64 {
        [
            &self.w_rec,
            &self.w_in,
            &self.bias,
            &self.w_out,
            &self.b_out,
        ]
        .iter()
        .flat_map(|g| g.iter())
        .map(|g| (*g as f64) * (*g as f64))
        .sum::<f64>()
        .sqrt()
    }

    /// Multiply every parameter gradient by `factor`.
    pub fn scale(&mut self, factor: f32) {
        for g in [
            &mut self.w_rec,
            &mut self.w_in,
            &mut self.bias,
            &mut self.w_out,
            &mut self.b_out,
        ] {
            g.iter_mut().for_each(|x| *x *= factor);
        }
    }
}

/// How the error of a state reaches the state before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Propagation {
    /// Exact: through the leak `(1−α)` and through `W_recᵀ` (BPTT).
    Full,
    /// Only through the leak `(1−α)`, never through `W_recᵀ` (RFLO / recurrent DFA).
    LeakOnly,
}

/// Where the errors of one backward pass come from (see the module docs).
#[derive(Debug, Clone, Copy)]
pub struct ErrorSource<'a> {
    /// The matrix (shaped like `W_out`, `O × N`) whose transpose carries `dL/dy` back to the
    /// states; `None` means `W_out` itself (exact).
    pub feedback: Option<&'a Csr>,
    /// An extra `dL/dr` on the rates, laid out like [`Trajectory::rates`] (`[N][T·B]`).
    pub rate_error: Option<&'a [f32]>,
    /// Through `W_recᵀ` or only through the leak.
    pub propagation: Propagation,
}

impl ErrorSource<'static> {
    /// Exact BPTT of the readout loss.
    pub const EXACT: ErrorSource<'static> = ErrorSource {
        feedback: None,
        rate_error: None,
        propagation: Propagation::Full,
    };
}

/// Buffers one backward pass reuses between calls.
#[derive(Debug, Clone, Default)]
pub struct Workspace {
    from_output: Vec<f32>,
    carried: Vec<f32>,
    previous: Vec<f32>,
}

/// Clear `buffer` and fill it with `len` zeros (reusing its allocation).
pub fn zeroed(buffer: &mut Vec<f32>, len: usize) {
    buffer.clear();
    buffer.resize(len, 0.0);
}

/// `out = matrixᵀ · error` for an `[O][T·B]` error (`lanes` = T·B) and an `O × N` matrix:
/// the error every state receives directly from the output, `[N][T·B]`.
///
/// A dense matrix goes through one GEMM (`[N × O] · [O × lanes]`, the transposed values),
/// a masked one through the sparse kernel: both add the outputs in order, the same bits.
pub fn project_back(matrix: &Csr, error: &[f32], lanes: usize, out: &mut Vec<f32>) {
    zeroed(out, matrix.n_cols * lanes);
    rows_product(
        matrix.transposed_rows(),
        matrix.n_rows,
        error,
        lanes,
        out,
        lanes,
        lanes,
    );
}

/// The states the recurrent weights and the readout see: `h` (rate form) or `r = f(x)`
/// (voltage form), `[N][(T+1)·B]`; the spikes for spiking neurons (whose readout sees them
/// filtered, see [`crate::train::spiking`]).
pub fn presynaptic_states<'a>(network: &Network, trajectory: &'a Trajectory) -> &'a [f32] {
    match network.config.dynamics {
        Dynamics::Voltage => &trajectory.voltage_rates,
        Dynamics::Rate => &trajectory.states,
        Dynamics::Lif | Dynamics::Alif => &trajectory.spikes,
    }
}

/// Backpropagation through time: given `dL/dy` (`[O][T·B]`) for the trajectory `forward`
/// produced on `inputs`, fill `grads` with the gradients the error `source` implies.
pub fn backprop(
    network: &Network,
    inputs: &[f32],
    trajectory: &Trajectory,
    output_grad: &[f32],
    source: &ErrorSource,
    grads: &mut Gradients,
    workspace: &mut Workspace,
) {
    if network.config.dynamics.is_spiking() {
        spiking_backprop(
            network,
            inputs,
            trajectory,
            output_grad,
            source,
            grads,
            workspace,
        );
        return;
    }
    let n = network.n_neurons();
    let steps = &trajectory.steps;
    let (t_len, b_len) = (trajectory.n_steps, trajectory.batch_size);
    let (lanes, out_lanes) = (steps.step_lanes(), steps.output_lanes());
    let feedback = source.feedback.unwrap_or(&network.w_out);
    let Workspace {
        from_output,
        carried,
        previous,
    } = workspace;
    // the error every state receives directly from the output: feedbackᵀ dy (output rows:
    // output t of lane b at `output_offset(t) + b`)
    project_back(feedback, output_grad, out_lanes, from_output);
    let voltage = network.config.dynamics == Dynamics::Voltage;
    if let (true, Some(rate_error)) = (voltage, source.rate_error) {
        // r_{t+1} = f(x_{t+1}) is what the readout error reaches: add as it is
        assert!(
            steps.is_uniform(),
            "backprop: a rate error needs the padded layout"
        );
        for (d, e) in from_output.iter_mut().zip(rate_error) {
            *d += e;
        }
    }
    let dpre = &mut grads.pre_activation;
    // every live element is written below (f′ first); the finished trials' lanes of a
    // packed layout are zeroed here
    dpre.resize(n * lanes, 0.0);
    if !steps.is_uniform() {
        for row in dpre.chunks_exact_mut(lanes) {
            for t in 0..t_len {
                let live = steps.offset(t) + steps.computed(t);
                row[live..steps.offset(t + 1)].fill(0.0);
            }
        }
    }
    // the carried errors: `[N][B]`, of which step t uses the first a_t lanes (the others
    // stay 0: a trial's lanes are written only from its last step on)
    zeroed(carried, n * b_len);
    zeroed(previous, n * b_len);
    let through_rec = source.propagation == Propagation::Full;
    let alpha = network.config.alpha();
    let activation = network.config.activation;
    let rates = &trajectory.rates;
    // W_recᵀ as rows (W_rec's columns): through the GEMM when dense (tested once per pass)
    let rec_t = network.w_rec.transposed_rows();
    let dense_t = dense_values(rec_t, n);
    if voltage {
        // dr_{t+1} = feedbackᵀ dy_t + W_recᵀ dpre_{t+1}
        // dx_{t+1} = f′(x_{t+1}) ⊙ dr_{t+1} + (1−α) dx_{t+2},  dpre_t = α dx_{t+1}
        let (dr_rec, dx_next) = (previous, carried);
        for t in (0..t_len).rev() {
            let (offset, computed) = (steps.offset(t), steps.computed(t));
            let out_offset = steps.output_offset(t);
            for i in 0..n {
                let at = i * lanes + offset;
                let external = &from_output[i * out_lanes + out_offset..][..computed];
                let recurrent = &dr_rec[i * b_len..i * b_len + computed];
                let dx = &mut dx_next[i * b_len..i * b_len + computed];
                let d_pre = &mut dpre[at..at + computed];
                activation.derivative_into(&rates[at..at + computed], d_pre);
                for b in 0..computed {
                    let x_grad = d_pre[b] * (recurrent[b] + external[b]) + (1.0 - alpha) * dx[b];
                    dx[b] = x_grad;
                    d_pre[b] = alpha * x_grad;
                }
            }
            if t > 0 && through_rec {
                dr_rec.fill(0.0);
                rows_product_with(
                    rec_t,
                    dense_t,
                    n,
                    &dpre[offset..],
                    lanes,
                    dr_rec,
                    b_len,
                    computed,
                );
            }
        }
    } else {
        // dh_{t+1} = feedbackᵀ dy_t + (1−α) dh_{t+2} [+ W_recᵀ dpre_{t+1}]
        // dpre_t = f′(a_t) ⊙ (α dh_{t+1} [+ dL/dr_t])
        let (mut dh_next, mut dh_prev) = (carried, previous);
        for t in (0..t_len).rev() {
            let (offset, computed) = (steps.offset(t), steps.computed(t));
            let out_offset = steps.output_offset(t);
            for i in 0..n {
                let at = i * lanes + offset;
                let external = &from_output[i * out_lanes + out_offset..][..computed];
                let later = &dh_next[i * b_len..i * b_len + computed];
                let d_pre = &mut dpre[at..at + computed];
                let leak = &mut dh_prev[i * b_len..i * b_len + computed];
                activation.derivative_into(&rates[at..at + computed], d_pre);
                for b in 0..computed {
                    let dh = later[b] + external[b];
                    d_pre[b] *= dh * alpha;
                    leak[b] = (1.0 - alpha) * dh;
                }
                if let Some(rate_error) = source.rate_error {
                    // dpre_t = f′(a_t) ⊙ (α dh_{t+1} + dL/dr_t); the rate error does not leak
                    let direct = &rate_error[at..at + computed];
                    let rates = &rates[at..at + computed];
                    for b in 0..computed {
                        let fprime = activation.derivative_from_output(rates[b]);
                        d_pre[b] = (later[b] + external[b]) * alpha * fprime + direct[b] * fprime;
                    }
                }
            }
            if through_rec {
                rows_product_with(
                    rec_t,
                    dense_t,
                    n,
                    &dpre[offset..],
                    lanes,
                    dh_prev,
                    b_len,
                    computed,
                );
            }
            std::mem::swap(&mut dh_next, &mut dh_prev);
        }
    }
    parameter_gradients_on(
        network,
        inputs,
        presynaptic_states(network, trajectory),
        output_grad,
        steps,
        grads,
    );
}

/// [`backprop`] for spiking neurons: the surrogate errors of
/// [`crate::train::spiking_backprop`], then the weight gradients as in the rate form, the
/// recurrent weights seeing the spikes and the readout the filtered spikes.
fn spiking_backprop(
    network: &Network,
    inputs: &[f32],
    trajectory: &Trajectory,
    output_grad: &[f32],
    source: &ErrorSource,
    grads: &mut Gradients,
    workspace: &mut Workspace,
) {
    let (t_len, b_len) = (trajectory.n_steps, trajectory.batch_size);
    let lanes = t_len * b_len;
    let feedback = source.feedback.unwrap_or(&network.w_out);
    project_back(feedback, output_grad, lanes, &mut workspace.from_output);
    super::spiking_backprop::surrogate_errors(
        network,
        trajectory,
        &workspace.from_output,
        source.rate_error,
        source.propagation == Propagation::Full,
        &mut grads.pre_activation,
    );
    parameter_gradients(
        network,
        inputs,
        &trajectory.spikes,
        output_grad,
        (t_len, b_len),
        grads,
    );
    spiking_readout_gradient(network, trajectory, output_grad, &mut grads.w_out);
}

/// The readout's local gradient of a spiking network: `dL/dW_out = δy · ẑᵀ` over every
/// step and trial, ẑ the filtered spikes (shared by BPTT and e-prop).
pub fn spiking_readout_gradient(
    network: &Network,
    trajectory: &Trajectory,
    output_grad: &[f32],
    w_out: &mut Vec<f32>,
) {
    let b_len = trajectory.batch_size;
    let lanes = trajectory.n_steps * b_len;
    zeroed(w_out, network.w_out.nnz());
    sddmm(
        network.w_out.rows(),
        output_grad,
        lanes,
        &trajectory.filtered[b_len..],
        lanes + b_len,
        lanes,
        w_out,
    );
}

/// dL/db_out = Σ over steps and lanes of dL/dy, per output (empty without readout biases).
pub fn readout_bias_gradient(
    network: &Network,
    output_grad: &[f32],
    lanes: usize,
    out: &mut Vec<f32>,
) {
    out.clear();
    if network.b_out.is_empty() {
        return;
    }
    out.extend((0..network.b_out.len()).map(|o| sum(&output_grad[o * lanes..(o + 1) * lanes])));
}

/// The parameter gradients from `grads.pre_activation` (dL/d(pre-activation), `[N][T·B]`),
/// the `presynaptic` states the recurrent weights and the readout saw (`[N][(T+1)·B]`),
/// and `dL/dy` for the readout's local gradient. `shape` = (T, B). Shared by BPTT and the
/// rules that compute their own `dpre` (predictive coding).
pub fn parameter_gradients(
    network: &Network,
    inputs: &[f32],
    presynaptic: &[f32],
    output_grad: &[f32],
    shape: (usize, usize),
    grads: &mut Gradients,
) {
    let steps = StepLanes::uniform(shape.0, shape.1);
    parameter_gradients_on(network, inputs, presynaptic, output_grad, &steps, grads);
}

/// [`parameter_gradients`] in the lane layout `steps` (see [`crate::train::packing`]):
/// `dpre` and `inputs` in its step-indexed rows (dL/d(pre) 0 on the finished trials'
/// lanes), `presynaptic` in its state rows, `output_grad` in its output rows. Each
/// product runs once over a whole row: the readout's over the output lanes (state t + 1
/// is aligned with output t), the recurrent and input weights' over the step lanes
/// (state t is aligned with step t).
pub fn parameter_gradients_on(
    network: &Network,
    inputs: &[f32],
    presynaptic: &[f32],
    output_grad: &[f32],
    steps: &StepLanes,
    grads: &mut Gradients,
) {
    let n = network.n_neurons();
    let (lanes, out_lanes) = (steps.step_lanes(), steps.output_lanes());
    let stride = steps.state_lanes();
    let dpre = &grads.pre_activation;
    zeroed(&mut grads.w_out, network.w_out.nnz());
    dense_or_sampled(
        network.w_out.rows(),
        (output_grad, out_lanes),
        (&presynaptic[steps.batch_size()..], stride),
        out_lanes,
        &mut grads.w_out,
    );
    readout_bias_gradient(network, output_grad, out_lanes, &mut grads.b_out);
    zeroed(&mut grads.w_rec, network.w_rec.nnz());
    dense_or_sampled(
        network.w_rec.rows(),
        (dpre, lanes),
        (presynaptic, stride),
        lanes,
        &mut grads.w_rec,
    );
    effective_to_param(network, &mut grads.w_rec);
    zeroed(&mut grads.w_in, network.w_in.nnz());
    dense_or_sampled(
        network.w_in.rows(),
        (dpre, lanes),
        (inputs, lanes),
        lanes,
        &mut grads.w_in,
    );
    grads.bias.clear();
    grads
        .bias
        .extend((0..n).map(|i| sum(&dpre[i * lanes..(i + 1) * lanes])));
}

/// The gradient of a layer whose rows are `rows` (`R × C`): for every stored entry (row
/// `r`, column `c`), `grad += Σ_{l < lanes} post[r][l] · pre[c][l]`, `post` and `pre` given
/// with their row strides.
///
/// A dense layer (every row stores the columns `0..C`, see [`dense_values`]) is one GEMM
/// with the narrower operand transposed (copied lane-major): `grad [R × C] += post · preᵀ`
/// when C ≤ R (dW_in: `pre` = the I inputs; dW_rec: `pre` = the N presynaptic states), else `gradᵀ [C × R] += pre · postᵀ` (dW_out:
/// `post` = the O outputs' dL/dy). Each entry is summed lane by lane in lane order. A masked
/// layer goes through [`sddmm`] (16 partial sums per lane tile): the two orders differ in
/// the last bits.
fn dense_or_sampled(
    rows: RowsView<'_>,
    post: (&[f32], usize),
    pre: (&[f32], usize),
    lanes: usize,
    grad: &mut [f32],
) {
    let n_rows = rows.n_rows();
    let n_cols = grad.len() / n_rows.max(1);
    if lanes == 0 || dense_values(rows, n_cols).is_none() {
        sddmm(rows, post.0, post.1, pre.0, pre.1, lanes, grad);
        return;
    }
    // (wide operand, its row count, narrow operand, its row count, whether the result is
    // gradᵀ)
    let (wide, n_wide, narrow, n_narrow, transposed) = if n_cols <= n_rows {
        (post, n_rows, pre, n_cols, false)
    } else {
        (pre, n_cols, post, n_rows, true)
    };
    let width = gemm_width(n_narrow);
    GRADIENT_SCRATCH.with(|scratch| {
        let (narrow_t, product) = &mut *scratch.borrow_mut();
        // narrowᵀ, `[lanes][width]` (zeros beyond the narrow operand's rows)
        zeroed(narrow_t, lanes * width);
        for r in 0..n_narrow {
            let row = &narrow.0[r * narrow.1..r * narrow.1 + lanes];
            for (l, &x) in row.iter().enumerate() {
                narrow_t[l * width + r] = x;
            }
        }
        let direct = direct_product(n_cols, n_rows);
        let out: &mut [f32] = if direct {
            // the product is `grad` itself, row for row
            &mut *grad
        } else {
            zeroed(product, n_wide * width);
            product
        };
        gemm(
            (n_wide, width, lanes),
            wide.0,
            wide.1,
            narrow_t,
            width,
            out,
            width,
        );
        if direct {
            return;
        }
        for (w, row) in product.chunks_exact(width).enumerate() {
            for (x, &g) in row[..n_narrow].iter().enumerate() {
                let (r, c) = if transposed { (x, w) } else { (w, x) };
                grad[r * n_cols + c] += g;
            }
        }
    });
}

/// The width of [`dense_or_sampled`]'s transposed narrow operand for a narrow side of
/// `n_narrow` rows: rounded up to whole 4-lane vectors (zeros beyond), so the GEMM's lane
/// tail has no scalar columns.
fn gemm_width(n_narrow: usize) -> usize {
    n_narrow.next_multiple_of(4)
}

/// Whether [`dense_or_sampled`]'s GEMM writes straight into the `n_rows × n_cols` gradient
/// (not transposed, C ≤ R, and no padding columns: C a multiple of 4, as a dense W_rec of
/// N = 4k neurons) instead of into a product scratch added to it afterwards. Both give the
/// same bits on a zeroed gradient (what the callers pass): a sum started at +0 never
/// becomes −0, so `0 + (0 + Σ)` = `0 + Σ` term by term.
fn direct_product(n_cols: usize, n_rows: usize) -> bool {
    n_cols <= n_rows && gemm_width(n_cols) == n_cols
}

/// Reserve, fallibly, the per-thread scratch [`dense_or_sampled`] will size for the weight
/// gradients of `network`'s dense layers over at most `lanes` (time × trial) lanes: the
/// narrow operand transposed (`lanes` × the narrow side, N for a dense W_rec: as large as
/// the trajectory's rates) and, unless the GEMM writes straight into the gradient (see
/// [`direct_product`]), the gradient transposed (wide × narrow side). Call on the thread that
/// will run the backward pass, before it, where the batch comes from input: the later
/// `resize`s then reuse the reservation. An impossible size is an
/// [`crate::error::Error::TooLarge`]
/// naming the buffer.
pub fn reserve_gradient_scratch(network: &Network, lanes: usize) -> Result<()> {
    let what = "the dense layers' weight-gradient scratch (lanes × layer width)";
    let (n, n_inputs) = (network.n_neurons(), network.n_inputs());
    let layers = [
        (network.w_rec.rows(), n),
        (network.w_in.rows(), n_inputs),
        (network.w_out.rows(), n),
    ];
    let (mut narrow_len, mut product_len) = (0, 0);
    for (rows, n_cols) in layers {
        if dense_values(rows, n_cols).is_none() {
            continue;
        }
        let n_rows = rows.n_rows();
        let width = gemm_width(n_rows.min(n_cols));
        narrow_len = checked_len(&[lanes, width], what)?.max(narrow_len);
        if !direct_product(n_cols, n_rows) {
            product_len = checked_len(&[n_rows.max(n_cols), width], what)?.max(product_len);
        }
    }
    GRADIENT_SCRATCH.with(|scratch| {
        let (narrow_t, product) = &mut *scratch.borrow_mut();
        try_capacity(narrow_t, narrow_len, what)?;
        try_capacity(product, product_len, what)
    })
}

std::thread_local! {
    /// Per-thread buffers of [`dense_or_sampled`] (the transposed operand and the
    /// transposed gradient), reused between calls; reserved fallibly by
    /// [`reserve_gradient_scratch`].
    static GRADIENT_SCRATCH: std::cell::RefCell<(Vec<f32>, Vec<f32>)> =
        const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
}

/// Turn dL/d(effective recurrent weight) into dL/d(parameter) (Dale: `w = |p|·sign(pre)`).
pub fn effective_to_param(network: &Network, grad: &mut [f32]) {
    if !network.has_dale() {
        return;
    }
    for (s, g) in grad.iter_mut().enumerate() {
        let pre = network.w_rec.col_idx[s] as usize;
        let param_sign = if network.w_rec_param[s] < 0.0 {
            -1.0
        } else {
            1.0
        };
        *g *= network.neuron_sign[pre] * param_sign;
    }
}

/// How two gradients compare: relative error `‖a − b‖/‖b‖` and angle in degrees, over
/// all parameter tensors concatenated (`b` is the reference).
pub fn agreement(a: &Gradients, b: &Gradients) -> (f64, f64) {
    let pairs = [
        (&a.w_rec, &b.w_rec),
        (&a.w_in, &b.w_in),
        (&a.bias, &b.bias),
        (&a.w_out, &b.w_out),
        (&a.b_out, &b.b_out),
    ];
    agreement_of(&pairs.map(|(x, y)| (x.as_slice(), y.as_slice())))
}

/// [`agreement`] of one or more tensor pairs `(a, reference)`: relative error and angle in
/// degrees over their concatenation.
pub fn agreement_of(pairs: &[(&[f32], &[f32])]) -> (f64, f64) {
    let (mut diff, mut norm_a, mut norm_b, mut dot) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
    for (x, y) in pairs {
        for (&p, &q) in x.iter().zip(y.iter()) {
            let (p, q) = (p as f64, q as f64);
            diff += (p - q) * (p - q);
            norm_a += p * p;
            norm_b += q * q;
            dot += p * q;
        }
    }
    let relative = diff.sqrt() / norm_b.sqrt().max(1e-30);
    let cosine = (dot / (norm_a.sqrt() * norm_b.sqrt()).max(1e-30)).clamp(-1.0, 1.0);
    (relative, cosine.acos().to_degrees()) // libm ok: a reported angle, nothing is computed from it
}

/// [`backprop`] into fresh [`Gradients`] with fresh buffers (a convenience for rules and
/// tests that run one backward pass outside a trainer).
pub fn backprop_fresh(
    network: &Network,
    inputs: &[f32],
    trajectory: &Trajectory,
    output_grad: &[f32],
    source: &ErrorSource,
) -> Gradients {
    let mut grads = Gradients::default();
    let mut workspace = Workspace::default();
    backprop(
        network,
        inputs,
        trajectory,
        output_grad,
        source,
        &mut grads,
        &mut workspace,
    );
    grads
}

/// Exact BPTT of the readout loss into fresh [`Gradients`].
pub fn bptt(
    network: &Network,
    inputs: &[f32],
    trajectory: &Trajectory,
    output_grad: &[f32],
) -> Gradients {
    backprop_fresh(
        network,
        inputs,
        trajectory,
        output_grad,
        &ErrorSource::EXACT,
    )
}
