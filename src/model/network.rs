//! Network parameters: sparse recurrent weights, input map, biases and readout.

use super::{build_mask, Csr, DenseInit, InitKind, InputMap, NetworkConfig, Readout};
use crate::error::{Check, Checked, Error, Result};
use crate::rng::SimRng;
use serde::{Deserialize, Serialize};

/// Largest N for which orthogonal initialisation (O(N³) Gram–Schmidt) is allowed.
pub const MAX_ORTHOGONAL_NEURONS: usize = 2048;

/// A rate RNN: `h ← (1-α) h + α f(W_rec h + W_in x + b + noise)`, `y = W_out h`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Network {
    /// The configuration it was built from (validated).
    pub config: NetworkConfig,
    /// Effective recurrent weights used by the kernels (row = postsynaptic neuron).
    pub w_rec: Csr,
    /// Trainable recurrent parameters, one per synapse. Without Dale's law they equal
    /// `w_rec.values`; with it the effective weight is `|param| · sign(presynaptic)`.
    pub w_rec_param: Vec<f32>,
    /// +1 (excitatory) or −1 (inhibitory) per neuron; all +1 without Dale's law.
    pub neuron_sign: Vec<f32>,
    /// Input weights (N × n_inputs; the diagonal for the identity map).
    pub w_in: Csr,
    /// Biases, one per neuron.
    pub bias: Vec<f32>,
    /// Readout weights (n_outputs × N).
    pub w_out: Csr,
    /// Readout biases, one per output when `config.readout_bias`, else empty (left out of
    /// saved models when empty).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub b_out: Vec<f32>,
}

impl Network {
    /// Validate `config`, draw the mask and the initial weights from `config.seed`.
    pub fn new(config: NetworkConfig) -> Result<Self> {
        Self::from_checked(config.check()?)
    }

    /// Draw the mask and the initial weights of an already checked `config`.
    pub fn from_checked(config: Checked<NetworkConfig>) -> Result<Self> {
        let config = config.into_inner();
        let n = config.n_neurons;
        if config.init == InitKind::Orthogonal && n > MAX_ORTHOGONAL_NEURONS {
            return Err(Error::field(
                "init",
                "orthogonal",
                "is limited to n_neurons <= 2048",
            ));
        }
        let mut mask_rng = SimRng::derived(config.seed, "mask");
        let mut init_rng = SimRng::derived(config.seed, "init");
        let mut w_rec = build_mask(&config, &mut mask_rng);
        let neuron_sign = draw_signs(&config, &mut mask_rng);
        init_recurrent(&config, &mut w_rec, &mut init_rng);
        if let Some(target) = config.spectral_radius {
            set_spectral_radius(&mut w_rec, target);
        }
        let w_rec_param = w_rec.values.clone();

        let w_in = match config.input_map {
            InputMap::Dense => {
                let mut m = Csr::dense(n, config.n_inputs);
                draw_dense(
                    &mut m.values,
                    config.dense_init,
                    config.n_inputs,
                    n,
                    &mut init_rng,
                );
                m
            }
            InputMap::Identity => {
                let mut m = Csr::from_rows(n, &(0..n as u32).map(|i| vec![i]).collect::<Vec<_>>());
                m.values.fill(1.0);
                m
            }
        };
        let mut w_in = w_in;
        if config.dynamics.is_spiking() {
            let gain = config.spiking.input_gain as f32;
            w_in.values.iter_mut().for_each(|w| *w *= gain);
        }
        let w_out = match config.readout {
            Readout::Trained => {
                let mut m = Csr::dense(config.n_outputs, n);
                let n_out = config.n_outputs;
                draw_dense(&mut m.values, config.dense_init, n, n_out, &mut init_rng);
                m
            }
            Readout::Population => {
                let size = ((config.readout_fraction * n as f64).round() as usize).clamp(1, n);
                let mut subset: Vec<u32> = mask_rng
                    .sample_distinct(n, size)
                    .into_iter()
                    .map(|i| i as u32)
                    .collect();
                subset.sort_unstable();
                // Mean rate of the subset; with Dale's law mean E minus mean I (each sign
                // averaged over its own neurons in the subset, as Turcu & Abbott's readout).
                let excitatory = subset
                    .iter()
                    .filter(|&&i| neuron_sign[i as usize] > 0.0)
                    .count();
                let count_of = |sign: f32| {
                    if sign > 0.0 {
                        excitatory
                    } else {
                        size - excitatory
                    }
                };
                let mut m = Csr::from_rows(n, &[subset]);
                for s in 0..m.nnz() {
                    let sign = neuron_sign[m.col_idx[s] as usize];
                    m.values[s] = sign / count_of(sign).max(1) as f32;
                }
                m
            }
        };
        let b_out = readout_biases(&config);
        let mut network = Network {
            bias: vec![0.0; n],
            b_out,
            config,
            w_rec,
            w_rec_param,
            neuron_sign,
            w_in,
            w_out,
        };
        network.refresh_effective_weights();
        Ok(network)
    }

    /// Assemble a network from explicit weights (e.g. loaded or benchmark data). The
    /// recurrent `w_rec` holds effective weights; without Dale's law they are also the
    /// parameters. Shapes are checked against `config`.
    pub fn from_parts(
        config: NetworkConfig,
        w_rec: Csr,
        w_in: Csr,
        bias: Vec<f32>,
        w_out: Csr,
    ) -> Result<Self> {
        config.validate()?;
        let n = config.n_neurons;
        let shape = |what: &'static str, expected: (usize, usize), actual: (usize, usize)| {
            if expected == actual {
                Ok(())
            } else {
                Err(Error::Shape {
                    what,
                    expected: format!("{expected:?}"),
                    actual: format!("{actual:?}"),
                })
            }
        };
        shape("w_rec", (n, n), (w_rec.n_rows, w_rec.n_cols))?;
        shape("w_in", (n, config.n_inputs), (w_in.n_rows, w_in.n_cols))?;
        shape(
            "w_out",
            (config.effective_outputs(), n),
            (w_out.n_rows, w_out.n_cols),
        )?;
        shape("bias", (n, 1), (bias.len(), 1))?;
        let mut rng = SimRng::derived(config.seed, "mask");
        let neuron_sign = draw_signs(&config, &mut rng);
        let w_rec_param = w_rec.values.clone();
        let b_out = readout_biases(&config);
        let mut network = Network {
            b_out,
            config,
            w_rec,
            w_rec_param,
            neuron_sign,
            w_in,
            bias,
            w_out,
        };
        network.rebuild_indices();
        Ok(network)
    }

    /// Number of neurons N.
    pub fn n_neurons(&self) -> usize {
        self.config.n_neurons
    }

    /// Number of inputs.
    pub fn n_inputs(&self) -> usize {
        self.config.n_inputs
    }

    /// Number of outputs.
    pub fn n_outputs(&self) -> usize {
        self.w_out.n_rows
    }

    /// Whether Dale's law is enforced.
    pub fn has_dale(&self) -> bool {
        self.config.excitatory_fraction.is_some()
    }

    /// Recompute the effective recurrent weights from the parameters (Dale's law) and the
    /// transposed copies; call after every parameter change.
    pub fn refresh_effective_weights(&mut self) {
        if self.has_dale() {
            for s in 0..self.w_rec.nnz() {
                let pre = self.w_rec.col_idx[s] as usize;
                self.w_rec.values[s] = self.w_rec_param[s].abs() * self.neuron_sign[pre];
            }
        } else {
            self.w_rec.values.copy_from_slice(&self.w_rec_param);
        }
        self.w_rec.sync_transpose();
        self.w_in.sync_transpose();
        self.w_out.sync_transpose();
    }

    /// Rebuild derived indices after deserialisation.
    pub fn rebuild_indices(&mut self) {
        self.w_rec.rebuild_transpose();
        self.w_in.rebuild_transpose();
        self.w_out.rebuild_transpose();
        self.refresh_effective_weights();
    }

    /// Total number of trainable scalars.
    pub fn n_trainable(&self) -> usize {
        let c = &self.config;
        let mut total = 0;
        if c.train_recurrent {
            total += self.w_rec.nnz();
        }
        if c.input_map == InputMap::Dense {
            total += self.w_in.nnz();
        }
        if c.train_bias {
            total += self.bias.len();
        }
        if c.readout == Readout::Trained {
            total += self.w_out.nnz() + self.b_out.len();
        }
        total
    }
}

/// The initial readout biases of `config`: zeros (Keras's default) when it has them.
fn readout_biases(config: &NetworkConfig) -> Vec<f32> {
    if config.readout_bias {
        vec![0.0; config.effective_outputs()]
    } else {
        Vec::new()
    }
}

/// Draw a dense map's initial weights: N(0, 1/fan_in) or Glorot-uniform.
fn draw_dense(
    values: &mut [f32],
    init: DenseInit,
    fan_in: usize,
    fan_out: usize,
    rng: &mut SimRng,
) {
    match init {
        DenseInit::Normal => {
            let scale = 1.0 / (fan_in as f64).sqrt();
            values
                .iter_mut()
                .for_each(|w| *w = (rng.normal() * scale) as f32);
        }
        DenseInit::GlorotUniform => {
            let limit = (6.0 / (fan_in + fan_out).max(1) as f64).sqrt();
            values
                .iter_mut()
                .for_each(|w| *w = rng.uniform_in(-limit, limit) as f32);
        }
    }
}

fn draw_signs(config: &NetworkConfig, rng: &mut SimRng) -> Vec<f32> {
    let n = config.n_neurons;
    let mut signs = vec![1.0f32; n];
    if let Some(fraction) = config.excitatory_fraction {
        let n_inhibitory = n - ((fraction * n as f64).round() as usize).min(n);
        for i in rng.sample_distinct(n, n_inhibitory) {
            signs[i] = -1.0;
        }
    }
    signs
}

fn init_recurrent(config: &NetworkConfig, w: &mut Csr, rng: &mut SimRng) {
    let degrees = w.row_degrees();
    match config.init {
        InitKind::Normal => {
            for r in 0..w.n_rows {
                let scale = config.gain / (degrees[r].max(1) as f64).sqrt();
                for s in w.row_ptr[r]..w.row_ptr[r + 1] {
                    w.values[s] = (rng.normal() * scale) as f32;
                }
            }
        }
        InitKind::Identity => {
            for r in 0..w.n_rows {
                for s in w.row_ptr[r]..w.row_ptr[r + 1] {
                    w.values[s] = if w.col_idx[s] as usize == r {
                        config.gain as f32
                    } else {
                        0.0
                    };
                }
            }
        }
        InitKind::Orthogonal => {
            let n = w.n_rows;
            let q = random_orthogonal(n, rng);
            let rescale = 1.0 / w.density().max(1e-12).sqrt();
            for r in 0..n {
                for s in w.row_ptr[r]..w.row_ptr[r + 1] {
                    let c = w.col_idx[s] as usize;
                    w.values[s] = (q[r * n + c] * config.gain * rescale) as f32;
                }
            }
        }
    }
}

/// Rescale `w` so that its spectral radius is `target` (no-op for an all-zero matrix).
fn set_spectral_radius(w: &mut Csr, target: f64) {
    let dense: Vec<f64> = w.to_dense().iter().map(|x| *x as f64).collect();
    if let Some(radius) = crate::math::spectral_radius(&dense, w.n_rows) {
        if radius > 0.0 {
            let factor = (target / radius) as f32;
            w.values.iter_mut().for_each(|x| *x *= factor);
        }
    }
}

/// A Haar-random orthogonal n × n matrix (row-major), by modified Gram–Schmidt in f64.
pub fn random_orthogonal(n: usize, rng: &mut SimRng) -> Vec<f64> {
    let mut q: Vec<f64> = (0..n * n).map(|_| rng.normal()).collect();
    for i in 0..n {
        for j in 0..i {
            let projection: f64 = (0..n).map(|k| q[i * n + k] * q[j * n + k]).sum();
            for k in 0..n {
                q[i * n + k] -= projection * q[j * n + k];
            }
        }
        let norm = (0..n)
            .map(|k| q[i * n + k] * q[i * n + k])
            .sum::<f64>()
            .sqrt();
        for k in 0..n {
            q[i * n + k] /= norm;
        }
    }
    q
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Connectivity;

    #[test]
    fn orthogonal_init_is_orthogonal_and_identity_is_diagonal() {
        let q = random_orthogonal(12, &mut SimRng::new(4));
        for i in 0..12 {
            for j in 0..12 {
                let d: f64 = (0..12).map(|k| q[i * 12 + k] * q[j * 12 + k]).sum();
                assert!((d - if i == j { 1.0 } else { 0.0 }).abs() < 1e-12);
            }
        }
        let c = NetworkConfig {
            n_neurons: 10,
            connectivity: Connectivity::Dense,
            init: InitKind::Identity,
            gain: 0.7,
            ..Default::default()
        };
        let net = Network::new(c).unwrap();
        let dense = net.w_rec.to_dense();
        for i in 0..10 {
            for j in 0..10 {
                assert_eq!(dense[i * 10 + j], if i == j { 0.7 } else { 0.0 });
            }
        }
    }

    #[test]
    fn dale_signs_follow_the_presynaptic_neuron() {
        let c = NetworkConfig {
            n_neurons: 50,
            k: 10,
            excitatory_fraction: Some(0.8),
            ..Default::default()
        };
        let net = Network::new(c).unwrap();
        assert_eq!(net.neuron_sign.iter().filter(|s| **s < 0.0).count(), 10);
        for s in 0..net.w_rec.nnz() {
            let pre = net.w_rec.col_idx[s] as usize;
            assert!(net.w_rec.values[s] * net.neuron_sign[pre] >= 0.0);
        }
    }

    #[test]
    fn spectral_radius_is_set_exactly() {
        let c = NetworkConfig {
            n_neurons: 60,
            k: 8,
            spectral_radius: Some(1.3),
            ..Default::default()
        };
        let net = Network::new(c).unwrap();
        let dense: Vec<f64> = net.w_rec.to_dense().iter().map(|x| *x as f64).collect();
        let radius = crate::math::spectral_radius(&dense, 60).unwrap();
        assert!((radius - 1.3).abs() < 1e-5, "radius {radius}");
    }

    #[test]
    fn same_seed_same_network() {
        let c = NetworkConfig {
            seed: 9,
            ..Default::default()
        };
        assert_eq!(Network::new(c.clone()).unwrap(), Network::new(c).unwrap());
    }
}
