//! Rosenbaum 2022 (PLoS ONE e0266102) in the authors' setting: predictive coding on a
//! small feed-forward network of their depth (5 layers: 4 × (Linear, ReLU), then Linear;
//! their MNIST CNN has the same depth), written to follow Torch2PC's `TorchSeq2PC.py`
//! step for step, in f64, so that one step's beliefs `v` and prediction errors `ε` can be
//! compared number for number with Torch2PC run beside it (`docs/predictive-coding.md`).
//!
//! Layers are numbered as in Torch2PC: activity 0 is the input, activity l+1 =
//! f_l(activity l), f_l = ReLU(W_l · + b_l) (the last layer linear), loss on activity L.
//!
//! - **Fixed prediction (FPA, `FixedPredPCPredErrs`)**: `ε_L = dL/dŷ`, `v = v̂`; each of the
//!   `n` iterations goes down the layers l = L−1 … 0: `ε_l = v̂_l − v_l`,
//!   `v_l += η (ε_l − J_{f_l}(v̂_l)ᵀ ε_{l+1})`. The parameter update of layer l is the VJP of
//!   f_l at v̂_l with ε_{l+1}. Every ε_l is then an exact multiple of the gradient:
//!   `ε_{L−k} = P(Binomial(n − 1, η) ≥ k) · dL/dv̂_{L−k}` (the first iteration only moves
//!   the beliefs), so the relative error of layer L−k's update is
//!   `P(Binomial(n − 1, η) < k)`: 0.885 / 0.705 / 0.420 / 0.135 / 0 for n = 20, η = 0.1
//!   (the paper's Fig. 3C), and it goes to 0 as n grows for every η in (0, 1].
//!
//!   In float32 (Torch2PC's default) the belief `v_l = v̂_l − ε_l` stores a gradient-sized
//!   difference on top of an activity of order 1, and each iteration adds `η·dv` to it:
//!   rounding then loses the small increments, more so for small η, small gradients
//!   (a trained model) and lower layers. This is the plateau of the paper's Fig. 4
//!   (η = 0.1: ≈ 0.15 for layers 1–2), absent in f64; `single` emulates it.
//! - **Strict (`StrictPCPredErrs`)**: `v = v̂`; each iteration computes
//!   `ε_L = dL/dy` at `y = f_{L−1}(v_{L−1})`, then for l = L−1 … 1: `ε_l = f_{l−1}(v_{l−1}) − v_l`,
//!   `v_l += η (ε_l − J_{f_l}(v_l)ᵀ ε_{l+1})`; the update of layer l is the VJP at v_l.

use crate::rng::SimRng;

/// The loss on the last activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FfLoss {
    /// `nn.CrossEntropyLoss()` (mean over the batch) against class labels.
    CrossEntropy,
    /// `nn.MSELoss()` (mean over all entries) against one-hot labels.
    Mse,
}

/// A feed-forward network: `weights[l]` is `sizes[l+1] × sizes[l]` row-major.
#[derive(Debug, Clone, PartialEq)]
pub struct FfNet {
    /// Layer widths, input first.
    pub sizes: Vec<usize>,
    /// Weights per layer (out × in, row-major).
    pub weights: Vec<Vec<f64>>,
    /// Biases per layer.
    pub biases: Vec<Vec<f64>>,
}

/// Activities, one `batch × width` row-major matrix per layer (input first).
pub type Activities = Vec<Vec<f64>>;

/// Gradients of every layer's weights and biases.
#[derive(Debug, Clone, PartialEq)]
pub struct FfGrads {
    /// dL/dW per layer.
    pub weights: Vec<Vec<f64>>,
    /// dL/db per layer.
    pub biases: Vec<Vec<f64>>,
}

/// One PC inference: beliefs, prediction errors and the parameter update.
#[derive(Debug, Clone, PartialEq)]
pub struct PcStep {
    /// Beliefs v per layer (the input's included).
    pub beliefs: Activities,
    /// Prediction errors ε per layer (`None` where Torch2PC leaves it unset: layer 0 of
    /// strict PC).
    pub errors: Vec<Option<Vec<f64>>>,
    /// The update the errors give.
    pub grads: FfGrads,
}

impl FfNet {
    /// PyTorch's `nn.Linear` initialisation, U(±1/√fan_in) for weights and biases, drawn
    /// from `seed`.
    pub fn new(sizes: &[usize], seed: u64) -> Self {
        let mut rng = SimRng::derived(seed, "ff-pc-init");
        let mut weights = Vec::new();
        let mut biases = Vec::new();
        for l in 0..sizes.len() - 1 {
            let bound = 1.0 / (sizes[l] as f64).sqrt();
            weights.push(
                (0..sizes[l] * sizes[l + 1])
                    .map(|_| rng.uniform_in(-bound, bound))
                    .collect(),
            );
            biases.push(
                (0..sizes[l + 1])
                    .map(|_| rng.uniform_in(-bound, bound))
                    .collect(),
            );
        }
        FfNet {
            sizes: sizes.to_vec(),
            weights,
            biases,
        }
    }

    /// Number of layers (modules).
    pub fn depth(&self) -> usize {
        self.weights.len()
    }

    fn is_last(&self, l: usize) -> bool {
        l + 1 == self.depth()
    }

    /// Pre-activation of layer l on `x` (`batch × sizes[l]`).
    fn pre(&self, l: usize, x: &[f64], batch: usize) -> Vec<f64> {
        let (n_in, n_out) = (self.sizes[l], self.sizes[l + 1]);
        let mut z = vec![0.0; batch * n_out];
        for b in 0..batch {
            for o in 0..n_out {
                let w = &self.weights[l][o * n_in..(o + 1) * n_in];
                let xb = &x[b * n_in..(b + 1) * n_in];
                z[b * n_out + o] =
                    self.biases[l][o] + w.iter().zip(xb).map(|(a, c)| a * c).sum::<f64>();
            }
        }
        z
    }

    /// f_l(x).
    pub fn layer(&self, l: usize, x: &[f64], batch: usize) -> Vec<f64> {
        let mut z = self.pre(l, x, batch);
        if !self.is_last(l) {
            z.iter_mut().for_each(|v| *v = v.max(0.0));
        }
        z
    }

    /// J_{f_l}(x)ᵀ e, and the parameter VJP (dW, db) of f_l at x with e.
    fn vjp(&self, l: usize, x: &[f64], e: &[f64], batch: usize) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
        let (n_in, n_out) = (self.sizes[l], self.sizes[l + 1]);
        let z = self.pre(l, x, batch);
        let mut dz = e.to_vec();
        if !self.is_last(l) {
            for (d, zv) in dz.iter_mut().zip(&z) {
                if *zv <= 0.0 {
                    *d = 0.0;
                }
            }
        }
        let mut dx = vec![0.0; batch * n_in];
        let mut dw = vec![0.0; n_out * n_in];
        let mut db = vec![0.0; n_out];
        for b in 0..batch {
            for o in 0..n_out {
                let g = dz[b * n_out + o];
                if g == 0.0 {
                    continue;
                }
                db[o] += g;
                for i in 0..n_in {
                    dx[b * n_in + i] += g * self.weights[l][o * n_in + i];
                    dw[o * n_in + i] += g * x[b * n_in + i];
                }
            }
        }
        (dx, dw, db)
    }

    /// Forward pass: all activities.
    pub fn forward(&self, x: &[f64], batch: usize) -> Activities {
        let mut acts = vec![x.to_vec()];
        for l in 0..self.depth() {
            let next = self.layer(l, &acts[l], batch);
            acts.push(next);
        }
        acts
    }

    /// Loss and dL/dy of the output `y` (`batch × classes`) for `labels`.
    pub fn loss(&self, loss: FfLoss, y: &[f64], labels: &[usize]) -> (f64, Vec<f64>) {
        let batch = labels.len();
        let k = self.sizes[self.depth()];
        let mut grad = vec![0.0; y.len()];
        let mut total = 0.0;
        for b in 0..batch {
            let row = &y[b * k..(b + 1) * k];
            match loss {
                FfLoss::CrossEntropy => {
                    let max = row.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
                    let sum: f64 = row.iter().map(|v| crate::math::exp(v - max)).sum();
                    total += -(row[labels[b]] - max - crate::math::ln(sum));
                    for c in 0..k {
                        let p = crate::math::exp(row[c] - max) / sum;
                        grad[b * k + c] = (p - f64::from(u8::from(c == labels[b]))) / batch as f64;
                    }
                }
                FfLoss::Mse => {
                    for c in 0..k {
                        let e = row[c] - f64::from(u8::from(c == labels[b]));
                        total += e * e;
                        grad[b * k + c] = 2.0 * e / (batch * k) as f64;
                    }
                }
            }
        }
        let scale = match loss {
            FfLoss::CrossEntropy => batch as f64,
            FfLoss::Mse => (batch * k) as f64,
        };
        (total / scale, grad)
    }

    /// Exact gradients (backprop): the update of [`FfNet::exact`].
    pub fn backprop(&self, loss: FfLoss, x: &[f64], labels: &[usize]) -> FfGrads {
        self.exact(loss, x, labels).grads
    }

    /// Torch2PC's `ExactPredErrs` + `SetPCGrads` at the forward activities: `ε_l = dL/dv̂_l`
    /// for l = 1 … L and `v_l = v̂_l − ε_l`; the update is backprop's. Torch2PC leaves layer 0
    /// unset (`None`): here its error is `None` and its belief is the input.
    pub fn exact(&self, loss: FfLoss, x: &[f64], labels: &[usize]) -> PcStep {
        let batch = labels.len();
        let depth = self.depth();
        let acts = self.forward(x, batch);
        let mut errors: Vec<Option<Vec<f64>>> = vec![None; depth + 1];
        let mut e = self.loss(loss, &acts[depth], labels).1;
        let mut grads = self.empty_grads();
        for l in (0..depth).rev() {
            let (dx, dw, db) = self.vjp(l, &acts[l], &e, batch);
            grads.weights[l] = dw;
            grads.biases[l] = db;
            errors[l + 1] = Some(e);
            e = dx;
        }
        let beliefs = acts
            .iter()
            .zip(&errors)
            .map(|(a, e)| match e {
                Some(e) => a.iter().zip(e).map(|(a, e)| a - e).collect(),
                None => a.clone(),
            })
            .collect();
        PcStep {
            beliefs,
            errors,
            grads,
        }
    }

    fn empty_grads(&self) -> FfGrads {
        FfGrads {
            weights: self.weights.iter().map(|w| vec![0.0; w.len()]).collect(),
            biases: self.biases.iter().map(|b| vec![0.0; b.len()]).collect(),
        }
    }

    /// Torch2PC's `FixedPredPCPredErrs` + `SetPCGrads` (see the module docs). With
    /// `single`, the activities, beliefs and errors are rounded to f32 after every
    /// operation, as float32 tensors store them (Torch2PC's default dtype).
    pub fn fixed_prediction(
        &self,
        loss: FfLoss,
        x: &[f64],
        labels: &[usize],
        eta: f64,
        n: usize,
        single: bool,
    ) -> PcStep {
        let round = |v: f64| if single { v as f32 as f64 } else { v };
        let batch = labels.len();
        let depth = self.depth();
        let mut vhat = self.forward(x, batch);
        vhat.iter_mut().flatten().for_each(|v| *v = round(*v));
        let (_, dldy) = self.loss(loss, &vhat[depth], labels);
        let mut v = vhat.clone();
        let mut eps: Vec<Vec<f64>> = vhat.iter().map(|a| vec![0.0; a.len()]).collect();
        eps[depth] = dldy.into_iter().map(round).collect();
        for _ in 0..n {
            for l in (0..depth).rev() {
                for k in 0..v[l].len() {
                    eps[l][k] = round(vhat[l][k] - v[l][k]);
                }
                let (back, _, _) = self.vjp(l, &vhat[l], &eps[l + 1], batch);
                for k in 0..v[l].len() {
                    let dv = round(eps[l][k] - round(back[k]));
                    v[l][k] = round(v[l][k] + round(eta * dv));
                }
            }
        }
        let mut grads = self.empty_grads();
        for l in 0..depth {
            let (_, dw, db) = self.vjp(l, &vhat[l], &eps[l + 1], batch);
            grads.weights[l] = dw;
            grads.biases[l] = db;
        }
        PcStep {
            beliefs: v,
            errors: eps.into_iter().map(Some).collect(),
            grads,
        }
    }

    /// Torch2PC's `StrictPCPredErrs` + `SetPCGrads` at the beliefs (see the module docs).
    pub fn strict(&self, loss: FfLoss, x: &[f64], labels: &[usize], eta: f64, n: usize) -> PcStep {
        let batch = labels.len();
        let depth = self.depth();
        let mut v = self.forward(x, batch);
        let mut eps: Vec<Option<Vec<f64>>> = vec![None; depth + 1];
        for _ in 0..n {
            let y = self.layer(depth - 1, &v[depth - 1], batch);
            eps[depth] = Some(self.loss(loss, &y, labels).1);
            for l in (1..depth).rev() {
                let prediction = self.layer(l - 1, &v[l - 1], batch);
                let e: Vec<f64> = prediction.iter().zip(&v[l]).map(|(p, b)| p - b).collect();
                let above = eps[l + 1].clone().unwrap_or_default();
                let (back, _, _) = self.vjp(l, &v[l], &above, batch);
                for k in 0..v[l].len() {
                    v[l][k] += eta * (e[k] - back[k]);
                }
                eps[l] = Some(e);
            }
        }
        let mut grads = self.empty_grads();
        for l in 0..depth {
            if let Some(e) = &eps[l + 1] {
                let (_, dw, db) = self.vjp(l, &v[l], e, batch);
                grads.weights[l] = dw;
                grads.biases[l] = db;
            }
        }
        PcStep {
            beliefs: v,
            errors: eps,
            grads,
        }
    }

    /// One Adam step (PyTorch defaults β = (0.9, 0.999), ε = 1e-8) from `grads`, with the
    /// state `(m, v, t)`.
    pub fn adam_step(&mut self, grads: &FfGrads, state: &mut AdamState, lr: f64) {
        state.t += 1;
        let (b1, b2) = (0.9f64, 0.999f64);
        let c1 = 1.0 - b1.powi(state.t as i32);
        let c2 = 1.0 - b2.powi(state.t as i32);
        let tensors = self.weights.iter_mut().chain(self.biases.iter_mut());
        let gs = grads.weights.iter().chain(grads.biases.iter());
        for (k, (p, g)) in tensors.zip(gs).enumerate() {
            if state.m.len() <= k {
                state.m.push(vec![0.0; p.len()]);
                state.v.push(vec![0.0; p.len()]);
            }
            for i in 0..p.len() {
                state.m[k][i] = b1 * state.m[k][i] + (1.0 - b1) * g[i];
                state.v[k][i] = b2 * state.v[k][i] + (1.0 - b2) * g[i] * g[i];
                p[i] -= lr * (state.m[k][i] / c1) / ((state.v[k][i] / c2).sqrt() + 1e-8);
            }
        }
    }
}

/// Adam moments.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AdamState {
    m: Vec<Vec<f64>>,
    v: Vec<Vec<f64>>,
    t: u64,
}

/// Relative error ‖a − b‖/‖b‖ and angle (degrees) between `a` and `b`.
pub fn relative_error_and_angle(a: &[f64], b: &[f64]) -> (f64, f64) {
    let diff: f64 = a
        .iter()
        .zip(b)
        .map(|(x, y)| (x - y).powi(2))
        .sum::<f64>()
        .sqrt();
    let nb = b.iter().map(|y| y * y).sum::<f64>().sqrt();
    let na = a.iter().map(|x| x * x).sum::<f64>().sqrt();
    let dot: f64 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let cos = if na * nb > 0.0 {
        (dot / (na * nb)).clamp(-1.0, 1.0)
    } else {
        0.0
    };
    (diff / nb.max(1e-300), cos.acos().to_degrees()) // libm ok: a reported angle, nothing is computed from it
}

/// The data set made here: `batch` Gaussian inputs of width `sizes[0]` drawn from
/// `data_seed`, labelled by the arg-max of a random teacher of the same shape drawn from
/// `teacher_seed`.
pub fn teacher_data(
    sizes: &[usize],
    batch: usize,
    teacher_seed: u64,
    data_seed: u64,
) -> (Vec<f64>, Vec<usize>) {
    let teacher = FfNet::new(sizes, teacher_seed ^ 0x7eac);
    let mut rng = SimRng::derived(data_seed, "ff-pc-data");
    let x: Vec<f64> = (0..batch * sizes[0]).map(|_| rng.normal()).collect();
    let acts = teacher.forward(&x, batch);
    let k = sizes[sizes.len() - 1];
    let y = &acts[acts.len() - 1];
    let labels = (0..batch)
        .map(|b| {
            (0..k).fold(0, |best, c| {
                if y[b * k + c] > y[b * k + best] {
                    c
                } else {
                    best
                }
            })
        })
        .collect();
    (x, labels)
}

/// The relative error and angle of each layer's weight update against backprop.
pub fn layer_errors(net: &FfNet, step: &PcStep, exact: &FfGrads) -> Vec<(f64, f64)> {
    (0..net.depth())
        .map(|l| relative_error_and_angle(&step.grads.weights[l], &exact.weights[l]))
        .collect()
}

/// `P(Binomial(trials, p) < k)`: the FPA relative error of layer L−k after n = trials + 1
/// Torch2PC iterations (module docs).
pub fn fpa_theory(trials: usize, p: f64, k: usize) -> f64 {
    let mut total = 0.0;
    let mut coefficient = 1.0f64;
    for j in 0..k.min(trials + 1) {
        if j > 0 {
            coefficient *= (trials + 1 - j) as f64 / j as f64;
        }
        total += coefficient * p.powi(j as i32) * (1.0 - p).powi((trials - j) as i32);
    }
    total
}
