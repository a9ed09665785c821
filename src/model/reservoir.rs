//! Echo-state networks (reservoirs) in reservoirpy's form, built as an ordinary
//! [`Network`] of the rate form with α = `lr`:
//!
//! x ← (1 − lr)·x + lr·f(W_in u + W x + b),  y = W_out x
//!
//! (reservoirpy's `Reservoir` node; f = tanh, or linear for memory-capacity studies).
//! W is drawn N(0, 1) on one of the project's masks and rescaled so that its spectral
//! radius is `sr` (after Dale's signs are applied), computed to a relative 1e-10 by the
//! restarted Arnoldi iteration on the sparse W ([`radius_of`]; no dense O(N³) solve);
//! W_in has exactly round(`input_connectivity`·units·inputs) entries
//! ±`input_scaling` (reservoirpy's `bernoulli`); b is ±`bias_scaling` per unit (0 by
//! default, as reservoirpy 0.4). W_out starts at zero: only the readout is learned (the
//! `reservoir` learning rule), the recurrent weights stay fixed. The `cycle` mask is
//! Rodan & Tiňo's simple cycle reservoir: W_{i+1, i} = `sr` on one ring, every input
//! weight ±`input_scaling` with the signs of the decimal digits of π (digit ≥ 5 → +), their
//! deterministic aperiodic pattern (a periodic one, e.g. all equal, would make the cycle's
//! states span fewer than N directions).
//!
//! **Deep reservoirs** (`layers` > 1; Gallicchio et al. 2017's deep ESN): `layers` reservoirs
//! of `units` units each, stored as one network of `layers`·`units` neurons in layer order.
//! Layer 1 gets the input; layer ℓ gets layer ℓ−1's state of the previous step through
//! exactly round(`inter_connectivity`·units²) weights ±`inter_scaling` (the same Bernoulli
//! draw as W_in), so W is block lower-triangular: each layer's own W (radius `sr`, drawn
//! from its own seed) on the diagonal, the inter-layer blocks below it. Its spectrum is the
//! union of the diagonal blocks' spectra, so the whole W has radius exactly `sr` too. The
//! readout reads the concatenated states of every layer. The inter-layer blocks are the
//! weights direct feedback alignment trains (the `reservoir` rule's `dfa_learning_rate`,
//! [`crate::learning::reservoir`]); the diagonal blocks stay fixed. Layer 1 is exactly the
//! one-layer reservoir of the same seed; layer ℓ > 1 uses seed `seed` + 1 000 003·(ℓ−1).
//! Dale's law is refused for `layers` > 1.
//!
//! Field names follow reservoirpy (`units`, `lr`, `sr`, `input_scaling`,
//! `rc_connectivity`, `input_connectivity`, `bias_scaling`); the run description's
//! `reservoir` section is this record, and errors name `reservoir.<field>`.

use super::{
    Activation, Connectivity, Csr, DenseInit, InitKind, InputMap, Network, NetworkConfig, Readout,
};
use crate::error::{Check, Error, Result};
use crate::rng::SimRng;
use serde::{Deserialize, Serialize};

/// Largest reservoir, all layers together (the dense eigen solver, O(N³), is the fallback
/// of the spectral radius, and the analysis draws the dense spectrum).
pub const MAX_UNITS: usize = 2048;

/// Most layers of a deep reservoir.
pub const MAX_LAYERS: usize = 16;

/// Connectivity of the recurrent matrix W.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReservoirMask {
    /// Erdős–Rényi: exactly round(`rc_connectivity`·units²) synapses (reservoirpy's).
    RandomDensity,
    /// round(`rc_connectivity`·units) presynaptic partners per unit (K).
    FixedInDegree,
    /// Locality mask on a 2-D sheet, synapse iff distance ≤ `radius` (Khona et al.).
    Local,
    /// All units²  synapses.
    Dense,
    /// Rodan & Tiňo 2011's simple cycle reservoir: unit i drives unit i + 1 (mod N).
    Cycle,
}

impl ReservoirMask {
    /// Names accepted in configs.
    pub const NAMES: &'static str = "random-density, fixed-in-degree, local, dense, cycle";
}

/// An echo-state network's hyper-parameters (reservoirpy's names).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EsnConfig {
    /// Number of reservoir units N (per layer in a deep reservoir).
    pub units: usize,
    /// Number of stacked reservoirs (1 = an ordinary ESN; see the module docs).
    pub layers: usize,
    /// Deep reservoir: density of each layer ℓ−1 → layer ℓ block.
    pub inter_connectivity: f64,
    /// Deep reservoir: scale of the inter-layer weights (±`inter_scaling` at the start).
    pub inter_scaling: f64,
    /// Leak rate `lr` in (0, 1] (α of the rate form; 1 = no leak).
    pub lr: f64,
    /// Spectral radius of W, set exactly.
    pub sr: f64,
    /// Scale of the input weights (±`input_scaling`).
    pub input_scaling: f64,
    /// Density of W (`random-density`; `fixed-in-degree` uses round(it·units) partners).
    pub rc_connectivity: f64,
    /// Density of W_in.
    pub input_connectivity: f64,
    /// Scale of the biases (±`bias_scaling` per unit; 0 = no bias).
    pub bias_scaling: f64,
    /// Connectivity of W.
    pub mask: ReservoirMask,
    /// Radius of the `local` mask, in grid units.
    pub radius: f64,
    /// Dale's law: fraction of excitatory units (None = no sign constraint).
    pub excitatory_fraction: Option<f64>,
    /// `tanh` (default) or `linear`.
    pub activation: Activation,
    /// Seed of the mask and every weight.
    pub seed: u64,
}

impl Default for EsnConfig {
    fn default() -> Self {
        EsnConfig {
            units: 100,
            layers: 1,
            inter_connectivity: 0.1,
            inter_scaling: 1.0,
            lr: 1.0,
            sr: 0.9,
            input_scaling: 1.0,
            rc_connectivity: 0.1,
            input_connectivity: 0.1,
            bias_scaling: 0.0,
            mask: ReservoirMask::RandomDensity,
            radius: 3.0,
            excitatory_fraction: None,
            activation: Activation::Tanh,
            seed: 1,
        }
    }
}

impl Check for EsnConfig {
    fn check_fields(&self) -> Result<()> {
        if self.units == 0 || self.units > MAX_UNITS {
            return Err(Error::field(
                "reservoir.units",
                self.units,
                "must be in 1..=2048",
            ));
        }
        if self.layers == 0 || self.layers > MAX_LAYERS {
            return Err(Error::field(
                "reservoir.layers",
                self.layers,
                "must be in 1..=16",
            ));
        }
        if self.units * self.layers > MAX_UNITS {
            return Err(Error::field(
                "reservoir.units",
                self.units,
                "times reservoir.layers must be <= 2048 (the dense spectrum and eigen fallback)",
            ));
        }
        let open_unit = |field: &'static str, value: f64| {
            if value.is_finite() && value > 0.0 && value <= 1.0 {
                Ok(())
            } else {
                Err(Error::field(field, value, "must be in (0, 1]"))
            }
        };
        open_unit("reservoir.lr", self.lr)?;
        open_unit("reservoir.rc_connectivity", self.rc_connectivity)?;
        open_unit("reservoir.input_connectivity", self.input_connectivity)?;
        open_unit("reservoir.inter_connectivity", self.inter_connectivity)?;
        let scale = |field: &'static str, value: f64, positive: bool| {
            let ok =
                value.is_finite() && value <= 1000.0 && (value > 0.0 || !positive && value == 0.0);
            if ok {
                Ok(())
            } else if positive {
                Err(Error::field(field, value, "must be in (0, 1000]"))
            } else {
                Err(Error::field(field, value, "must be in [0, 1000]"))
            }
        };
        scale("reservoir.sr", self.sr, true)?;
        scale("reservoir.input_scaling", self.input_scaling, false)?;
        scale("reservoir.bias_scaling", self.bias_scaling, false)?;
        scale("reservoir.inter_scaling", self.inter_scaling, false)?;
        if self.mask == ReservoirMask::Local {
            scale("reservoir.radius", self.radius, true)?;
        }
        if let Some(f) = self.excitatory_fraction {
            if !(0.0..=1.0).contains(&f) {
                return Err(Error::field(
                    "reservoir.excitatory_fraction",
                    f,
                    "must be in [0, 1]",
                ));
            }
            if self.mask == ReservoirMask::Cycle {
                return Err(Error::field(
                    "reservoir.excitatory_fraction",
                    f,
                    "must be absent for the cycle mask (its weights all equal sr)",
                ));
            }
            if self.layers > 1 {
                return Err(Error::field(
                    "reservoir.excitatory_fraction",
                    f,
                    "must be absent for a deep reservoir (layers > 1)",
                ));
            }
        }
        if !matches!(self.activation, Activation::Tanh | Activation::Linear) {
            return Err(Error::field(
                "reservoir.activation",
                format!("{:?}", self.activation).to_lowercase(),
                "must be tanh or linear",
            ));
        }
        Ok(())
    }
}

impl EsnConfig {
    /// The network configuration the reservoir is stored as (rate form, α = `lr`,
    /// dense input and trained readout maps, nothing recurrent trained).
    pub fn network_config(&self, n_inputs: usize, n_outputs: usize) -> NetworkConfig {
        let connectivity = match self.mask {
            ReservoirMask::RandomDensity => Connectivity::RandomDensity,
            ReservoirMask::FixedInDegree | ReservoirMask::Cycle => Connectivity::FixedInDegree,
            ReservoirMask::Local => Connectivity::Local,
            ReservoirMask::Dense => Connectivity::Dense,
        };
        let k = match self.mask {
            ReservoirMask::Cycle => 1,
            _ => ((self.rc_connectivity * self.units as f64).round() as usize).clamp(1, self.units),
        };
        NetworkConfig {
            n_neurons: self.units * self.layers,
            reservoir_layers: self.layers,
            n_inputs,
            n_outputs,
            connectivity,
            k,
            density: self.rc_connectivity,
            radius: self.radius,
            periodic: true,
            allow_autapses: true,
            activation: self.activation,
            dt_ms: 1.0,
            tau_ms: 1.0 / self.lr,
            rec_noise_std: 0.0,
            init: InitKind::Normal,
            gain: 1.0,
            spectral_radius: None,
            input_map: InputMap::Dense,
            readout: Readout::Trained,
            readout_fraction: 1.0,
            excitatory_fraction: self.excitatory_fraction,
            train_recurrent: false,
            train_bias: false,
            seed: self.seed,
            dense_init: DenseInit::Normal,
            ..NetworkConfig::default()
        }
    }
}

/// Build the reservoir for `n_inputs` inputs and `n_outputs` readout channels.
pub fn build_esn(config: &EsnConfig, n_inputs: usize, n_outputs: usize) -> Result<Network> {
    config.clone().check()?;
    if config.layers > 1 {
        return build_deep(config, n_inputs, n_outputs);
    }
    let mut network = Network::new(config.network_config(n_inputs, n_outputs))?;
    let n = config.units;
    let mut rng = SimRng::derived(config.seed, "reservoir");
    if config.mask == ReservoirMask::Cycle {
        let rows: Vec<Vec<u32>> = (0..n).map(|i| vec![((i + n - 1) % n) as u32]).collect();
        network.w_rec = Csr::from_rows(n, &rows);
        network.w_rec.values.fill(config.sr as f32);
        network.w_rec_param = network.w_rec.values.clone();
    }
    network.w_in = if config.mask == ReservoirMask::Cycle {
        let digits = pi_digits(n * n_inputs + 1);
        let mut m = Csr::dense(n, n_inputs);
        for (v, d) in m.values.iter_mut().zip(&digits[1..]) {
            let sign = if *d >= 5 { 1.0 } else { -1.0 };
            *v = (sign * config.input_scaling) as f32;
        }
        m
    } else {
        bernoulli(
            n,
            n_inputs,
            config.input_connectivity,
            config.input_scaling,
            &mut rng,
        )
    };
    network.bias = (0..n)
        .map(|_| {
            let sign = if rng.chance(0.5) { 1.0 } else { -1.0 };
            (sign * config.bias_scaling) as f32
        })
        .collect();
    network.w_out = Csr::dense(n_outputs, n);
    network.rebuild_indices();
    if config.mask != ReservoirMask::Cycle {
        set_radius(&mut network, config.sr);
    }
    Ok(network)
}

/// A deep reservoir (see the module docs): each layer built as a one-layer reservoir of
/// its own seed, then stacked with Bernoulli inter-layer blocks.
fn build_deep(config: &EsnConfig, n_inputs: usize, n_outputs: usize) -> Result<Network> {
    let (layers, units) = (config.layers, config.units);
    let n = layers * units;
    let mut network = Network::new(config.network_config(n_inputs, n_outputs))?;
    let mut inter_rng = SimRng::derived(config.seed, "reservoir-inter");
    let mut rows: Vec<Vec<u32>> = Vec::with_capacity(n);
    let mut values: Vec<f32> = Vec::new();
    let mut in_rows: Vec<Vec<u32>> = Vec::with_capacity(n);
    let mut in_values: Vec<f32> = Vec::new();
    let mut bias = Vec::with_capacity(n);
    for layer in 0..layers {
        let one = EsnConfig {
            layers: 1,
            seed: config.seed.wrapping_add(1_000_003 * layer as u64),
            ..config.clone()
        };
        let single = build_esn(&one, n_inputs, n_outputs)?;
        let inter = (layer > 0).then(|| {
            bernoulli(
                units,
                units,
                config.inter_connectivity,
                config.inter_scaling,
                &mut inter_rng,
            )
        });
        let offset = (layer * units) as u32;
        for i in 0..units {
            let mut row = Vec::new();
            if let Some(m) = &inter {
                for s in m.row_ptr[i]..m.row_ptr[i + 1] {
                    row.push(m.col_idx[s] + offset - units as u32);
                    values.push(m.values[s]);
                }
            }
            let w = &single.w_rec;
            for s in w.row_ptr[i]..w.row_ptr[i + 1] {
                row.push(w.col_idx[s] + offset);
                values.push(w.values[s]);
            }
            rows.push(row);
            let w_in = &single.w_in;
            if layer == 0 {
                in_rows.push(w_in.col_idx[w_in.row_ptr[i]..w_in.row_ptr[i + 1]].to_vec());
                in_values.extend_from_slice(&w_in.values[w_in.row_ptr[i]..w_in.row_ptr[i + 1]]);
            } else {
                in_rows.push(Vec::new());
            }
        }
        bias.extend_from_slice(&single.bias);
    }
    network.w_rec = Csr::from_rows(n, &rows);
    network.w_rec.values = values;
    network.w_rec_param = network.w_rec.values.clone();
    network.neuron_sign = vec![1.0; n];
    network.w_in = Csr::from_rows(n_inputs, &in_rows);
    network.w_in.values = in_values;
    network.bias = bias;
    network.w_out = Csr::dense(n_outputs, n);
    network.rebuild_indices();
    Ok(network)
}

/// Whether synapse `s` of a deep reservoir's W_rec is an inter-layer weight (its
/// presynaptic neuron lies in an earlier layer than its postsynaptic one); `layer_size`
/// = N / `reservoir_layers`.
pub fn inter_layer_synapses(network: &Network) -> Vec<bool> {
    let layers = network.config.reservoir_layers.max(1);
    let size = network.n_neurons() / layers;
    let w = &network.w_rec;
    let mut inter = vec![false; w.nnz()];
    for post in 0..w.n_rows {
        for s in w.row_ptr[post]..w.row_ptr[post + 1] {
            inter[s] = (w.col_idx[s] as usize) / size < post / size;
        }
    }
    inter
}

/// The first `count` decimal digits of π (3, 1, 4, 1, 5, …), by the Rabinowitz–Wagon
/// spigot (integer arithmetic only).
pub fn pi_digits(count: usize) -> Vec<u8> {
    let wanted = count + 2;
    let len = wanted * 10 / 3 + 2;
    let mut a = vec![2u64; len];
    let (mut digits, mut nines, mut predigit) = (Vec::with_capacity(wanted), 0usize, 0u64);
    for j in 0..wanted {
        let mut q = 0u64;
        for i in (1..=len as u64).rev() {
            let x = 10 * a[i as usize - 1] + q * i;
            a[i as usize - 1] = x % (2 * i - 1);
            q = x / (2 * i - 1);
        }
        a[0] = q % 10;
        q /= 10;
        if q == 9 {
            nines += 1;
        } else if q == 10 {
            digits.push(predigit as u8 + 1);
            digits.extend(std::iter::repeat_n(0u8, nines));
            predigit = 0;
            nines = 0;
        } else {
            if j > 0 {
                digits.push(predigit as u8);
            }
            predigit = q;
            digits.extend(std::iter::repeat_n(9u8, nines));
            nines = 0;
        }
    }
    digits.truncate(count);
    digits
}

/// Exactly round(`density`·rows·cols) (at least one) entries placed uniformly, each
/// ±`scale` with equal probability.
fn bernoulli(rows: usize, cols: usize, density: f64, scale: f64, rng: &mut SimRng) -> Csr {
    let total = rows * cols;
    let mut to_pick = ((density * total as f64).round() as usize).clamp(1, total);
    let mut remaining = total;
    let mut pattern = vec![Vec::new(); rows];
    for row in pattern.iter_mut() {
        for j in 0..cols {
            if (rng.uniform() * remaining as f64) < to_pick as f64 {
                row.push(j as u32);
                to_pick -= 1;
            }
            remaining -= 1;
        }
    }
    let mut m = Csr::from_rows(cols, &pattern);
    for v in m.values.iter_mut() {
        *v = if rng.chance(0.5) { scale } else { -scale } as f32;
    }
    m
}

/// Relative tolerance of the spectral radius the reservoir is scaled by.
pub const RADIUS_TOLERANCE: f64 = 1e-10;

/// Rescale the recurrent parameters so that the effective W (Dale's signs applied) has
/// spectral radius `target` (no-op for an all-zero or nilpotent W). The radius is
/// [`radius_of`]'s: exact to [`RADIUS_TOLERANCE`] (relative) before the rescaled weights
/// are rounded to f32, so the stored W's radius is `target` to f32 rounding (≈ 1e-7).
fn set_radius(network: &mut Network, target: f64) {
    if let Some(radius) = radius_of(network) {
        if radius > 1e-12 {
            let factor = target / radius;
            for p in network.w_rec_param.iter_mut() {
                *p = (*p as f64 * factor) as f32;
            }
            network.refresh_effective_weights();
        }
    }
}

/// Spectral radius of the network's effective recurrent weights, to a relative
/// [`RADIUS_TOLERANCE`]: the restarted Arnoldi iteration on the sparse W
/// ([`crate::math::arnoldi_radius`]; O(nnz) per product, from a fixed seeded start vector,
/// so identical natively and in wasm), with the dense eigen solver
/// ([`crate::math::spectral_radius`], O(N³)) as the fallback should Arnoldi not converge.
/// For N ≤ [`crate::math::arnoldi::KRYLOV_DIM`] the Krylov space is the whole space and
/// the result is the dense solver's on a similar Hessenberg matrix. `None` only if both
/// fail.
pub fn radius_of(network: &Network) -> Option<f64> {
    arnoldi_radius_of(network).map(|r| r.radius).or_else(|| {
        let dense: Vec<f64> = network.w_rec.to_dense().iter().map(|x| *x as f64).collect();
        crate::math::spectral_radius(&dense, network.n_neurons())
    })
}

/// The restarted Arnoldi iteration of [`radius_of`] alone (with its cycle and product
/// counts): the CSR product of the effective W in f64, from N(0, 1) entries of the
/// stream "spectral-radius" of a fixed seed, to [`RADIUS_TOLERANCE`].
pub fn arnoldi_radius_of(network: &Network) -> Option<crate::math::ArnoldiRadius> {
    let w = &network.w_rec;
    let n = network.n_neurons();
    let values: Vec<f64> = w.values.iter().map(|v| *v as f64).collect();
    let mut rng = SimRng::derived(0x5eed, "spectral-radius");
    let start: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
    crate::math::arnoldi_radius(n, &start, RADIUS_TOLERANCE, |x, y| {
        for (i, out) in y.iter_mut().enumerate() {
            let mut acc = 0.0;
            for s in w.row_ptr[i]..w.row_ptr[i + 1] {
                acc += values[s] * x[w.col_idx[s] as usize];
            }
            *out = acc;
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_radius_inputs_and_dale_follow_the_config() {
        for mask in [
            ReservoirMask::RandomDensity,
            ReservoirMask::FixedInDegree,
            ReservoirMask::Local,
            ReservoirMask::Dense,
            ReservoirMask::Cycle,
        ] {
            let c = EsnConfig {
                units: 64,
                sr: 1.25,
                mask,
                input_connectivity: 0.5,
                input_scaling: 0.3,
                ..Default::default()
            };
            let net = build_esn(&c, 2, 1).unwrap();
            let radius = radius_of(&net).unwrap();
            assert!((radius - 1.25).abs() < 1e-5, "{mask:?}: radius {radius}");
            let inputs = if mask == ReservoirMask::Cycle {
                128
            } else {
                64
            };
            assert_eq!(net.w_in.nnz(), inputs);
            assert!(net.w_in.values.iter().all(|v| v.abs() == 0.3f32));
            assert!(net.w_out.values.iter().all(|v| *v == 0.0));
            assert_eq!(net.config.alpha(), 1.0);
        }
        let k = build_esn(
            &EsnConfig {
                units: 50,
                mask: ReservoirMask::FixedInDegree,
                ..Default::default()
            },
            1,
            1,
        )
        .unwrap();
        assert!(k.w_rec.row_degrees().iter().all(|&d| d == 5));
        let er = build_esn(&EsnConfig::default(), 1, 1).unwrap();
        assert_eq!(er.w_rec.nnz(), 1000);
        let dale = build_esn(
            &EsnConfig {
                units: 80,
                excitatory_fraction: Some(0.8),
                sr: 0.95,
                ..Default::default()
            },
            1,
            1,
        )
        .unwrap();
        assert!((radius_of(&dale).unwrap() - 0.95).abs() < 1e-5);
        for s in 0..dale.w_rec.nnz() {
            let pre = dale.w_rec.col_idx[s] as usize;
            assert!(dale.w_rec.values[s] * dale.neuron_sign[pre] >= 0.0);
        }
    }

    #[test]
    fn pi_digits_and_the_cycle_input_signs() {
        let digits = pi_digits(1000);
        assert_eq!(
            digits[..16],
            [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3]
        );
        // digits 762–767 are the Feynman point 999999
        assert_eq!(digits[762..768], [9, 9, 9, 9, 9, 9]);
        let c = EsnConfig {
            units: 5,
            mask: ReservoirMask::Cycle,
            input_scaling: 0.5,
            ..Default::default()
        };
        let net = build_esn(&c, 1, 1).unwrap();
        // decimals 1 4 1 5 9 → − − − + +
        assert_eq!(net.w_in.values, [-0.5, -0.5, -0.5, 0.5, 0.5]);
    }

    #[test]
    fn bad_fields_are_named() {
        let err = |c: EsnConfig| c.check().unwrap_err().to_string();
        let e = err(EsnConfig {
            lr: 1.5,
            ..Default::default()
        });
        assert!(e.contains("reservoir.lr") && e.contains("1.5"), "{e}");
        assert!(err(EsnConfig {
            units: 0,
            ..Default::default()
        })
        .contains("reservoir.units"));
        assert!(err(EsnConfig {
            sr: f64::NAN,
            ..Default::default()
        })
        .contains("reservoir.sr"));
        assert!(err(EsnConfig {
            activation: Activation::Relu,
            ..Default::default()
        })
        .contains("reservoir.activation"));
        let parsed: std::result::Result<EsnConfig, _> =
            serde_json::from_str(r#"{"units": 10, "leak": 0.3}"#);
        assert!(parsed.unwrap_err().to_string().contains("leak"));
    }
}
