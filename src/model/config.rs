//! Network configuration: a flat, serde-friendly record (it is what the page's URL and the
//! JS API carry), validated once by [`NetworkConfig::validate`].

use super::{Activation, SpikingConfig};
use crate::error::{at_least, in_range, non_negative, positive, Error, Result};
use serde::{Deserialize, Serialize};

/// Recurrent connectivity pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Connectivity {
    /// All N² synapses (autapses included).
    Dense,
    /// Exactly `k` distinct presynaptic partners per neuron, drawn uniformly (no
    /// duplicates; autapses allowed only if `allow_autapses`).
    FixedInDegree,
    /// Erdős–Rényi: exactly round(density·N²) synapses placed uniformly over the matrix
    /// (Turcu & Abbott's code; K = density·N is then the *average* in-degree).
    RandomDensity,
    /// Only self-connections (diagonal), Khona et al.'s autapse-only networks.
    Autapse,
    /// Locality mask (Khona et al. 2023): neurons on a 2-D sheet, synapse iff distance
    /// ≤ `radius` (in grid units; periodic boundaries if `periodic`).
    Local,
}

impl Connectivity {
    /// Names accepted in configs.
    pub const NAMES: &'static str = "dense, fixed-in-degree, random-density, autapse, local";
}

/// Initial distribution of recurrent weights (Jarne & Laje's three choices).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum InitKind {
    /// N(0, gain² / in-degree) on every synapse: spectral radius ≈ gain.
    Normal,
    /// A random orthogonal matrix times `gain`, restricted to the mask (and rescaled by
    /// 1/√density so a sparse mask keeps radius ≈ gain).
    Orthogonal,
    /// `gain` on the diagonal (where the mask has it), 0 elsewhere.
    Identity,
}

impl InitKind {
    /// Names accepted in configs.
    pub const NAMES: &'static str = "normal, orthogonal, identity";
}

/// Initial distribution of the dense input and readout weights.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DenseInit {
    /// N(0, 1/fan-in): W_in ~ N(0, 1/n_inputs), W_out ~ N(0, 1/N) (the default).
    #[default]
    Normal,
    /// Keras's default `glorot_uniform`: U(−l, l) with l = √(6 / (fan-in + fan-out)), i.e.
    /// √(6 / (n_inputs + N)) for W_in and √(6 / (N + n_outputs)) for W_out (Jarne & Laje's
    /// SimpleRNN kernel and Dense readout).
    GlorotUniform,
}

impl DenseInit {
    /// Names accepted in configs.
    pub const NAMES: &'static str = "normal, glorot-uniform";

    fn is_default(&self) -> bool {
        *self == DenseInit::Normal
    }
}

/// How inputs reach the neurons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum InputMap {
    /// Trainable dense W_in (N × n_inputs).
    Dense,
    /// Input k drives neuron k with weight 1, fixed (Turcu & Abbott: each neuron receives
    /// its own pattern component). Requires n_inputs == n_neurons.
    Identity,
}

/// How outputs are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Readout {
    /// Trainable dense W_out (n_outputs × N).
    Trained,
    /// One fixed output: the mean rate of a random subset of `readout_fraction`·N neurons
    /// (mean E minus mean I over the subset when Dale's law is on). No trained convergent unit (Turcu & Abbott).
    Population,
}

/// Which quantity the Euler step integrates (α = dt/τ, f the activation, ξ the noise).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Dynamics {
    /// Rate form (the default): h ← (1−α)·h + α·f(W_rec·h + W_in·u + b + ξ), readout
    /// y = W_out·h. The state h is itself a (low-pass filtered) rate.
    #[default]
    Rate,
    /// Voltage form (Turcu & Abbott 2022, x(t+dt) = x + dt·(−x + J·φ(x) + u·s) with dt in
    /// units of τ): x ← (1−α)·x + α·(W_rec·r + W_in·u + b + ξ) with r = f(x), readout
    /// y = W_out·r (rates, not voltages), from x₀ = 0, r₀ = f(0). The trajectory's
    /// `states` then hold the voltages x.
    Voltage,
    /// Leaky integrate-and-fire spiking neurons (current-based), see
    /// [`super::spiking`]: the states are the membrane voltages, the rates the spikes.
    Lif,
    /// LIF with an adaptive threshold A = thr + β_a·b (Bellec et al. 2020's ALIF).
    Alif,
}

impl Dynamics {
    /// Names accepted in configs.
    pub const NAMES: &'static str = "rate, voltage, lif, alif";

    /// Whether the neurons spike (`lif`, `alif`).
    pub fn is_spiking(self) -> bool {
        matches!(self, Dynamics::Lif | Dynamics::Alif)
    }
}

fn is_default_spiking(spiking: &SpikingConfig) -> bool {
    *spiking == SpikingConfig::default()
}

/// Everything that defines a network before training.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NetworkConfig {
    /// Number of recurrent neurons N.
    pub n_neurons: usize,
    /// Number of input channels.
    pub n_inputs: usize,
    /// Number of output channels (ignored, = 1, for the population readout).
    pub n_outputs: usize,
    /// Recurrent connectivity pattern.
    pub connectivity: Connectivity,
    /// In-degree for `fixed-in-degree`.
    pub k: usize,
    /// Density for `random-density` (0 < density ≤ 1).
    pub density: f64,
    /// Radius in grid units for `local`.
    pub radius: f64,
    /// Periodic (torus) sheet for `local`.
    pub periodic: bool,
    /// Whether self-connections are allowed in `fixed-in-degree`, `random-density`, `local`.
    pub allow_autapses: bool,
    /// Nonlinearity.
    pub activation: Activation,
    /// Form of the dynamics: `rate` (default, h ← (1−α)h + α·f(W_rec·h + W_in·u + b)) or
    /// `voltage` (the paper's form, x ← (1−α)x + α·(W_rec·f(x) + W_in·u + b), y = W_out·f(x)).
    /// Missing from a config or model file means `rate`.
    pub dynamics: Dynamics,
    /// Euler time step in milliseconds.
    pub dt_ms: f64,
    /// Neuronal time constant in milliseconds (α = dt_ms / tau_ms ≤ 1).
    pub tau_ms: f64,
    /// Std of the recurrent noise added to the pre-activation each step, in units of the
    /// input (PsychRNN scaling √(2/α)·σ_rec is applied internally).
    pub rec_noise_std: f64,
    /// Initial weight distribution.
    pub init: InitKind,
    /// Gain g of the initial recurrent weights.
    pub gain: f64,
    /// If set, rescale the initial recurrent weights so that their spectral radius
    /// (largest |eigenvalue|) equals this value (computed exactly; n_neurons <= 2048).
    pub spectral_radius: Option<f64>,
    /// Input mapping.
    pub input_map: InputMap,
    /// Output mapping.
    pub readout: Readout,
    /// Fraction of neurons read by the population readout.
    pub readout_fraction: f64,
    /// Dale's law: fraction of excitatory neurons (None = no sign constraint).
    pub excitatory_fraction: Option<f64>,
    /// Whether the recurrent weights are trained.
    pub train_recurrent: bool,
    /// Whether the biases are trained.
    pub train_bias: bool,
    /// Seed of the mask and the initial weights.
    pub seed: u64,
    /// Spiking neurons' parameters (`dynamics` `lif` / `alif`; left out of the JSON when
    /// they are the defaults).
    #[serde(skip_serializing_if = "is_default_spiking")]
    pub spiking: SpikingConfig,
    /// Initial distribution of the dense W_in and the trained W_out (`normal` or
    /// `glorot-uniform`); left out of saved configs when `normal`.
    #[serde(skip_serializing_if = "DenseInit::is_default")]
    pub dense_init: DenseInit,
    /// A trained bias on each readout channel, y = W_out h + b_out (Keras's Dense layer;
    /// Jarne & Laje's form), initialised at 0. Needs the trained readout; left out of
    /// saved configs when false.
    #[serde(skip_serializing_if = "is_false")]
    pub readout_bias: bool,
    /// A deep (stacked) reservoir: the N neurons are this many equal layers in index
    /// order, W_rec is block lower-triangular (each layer's own reservoir on the diagonal,
    /// layer ℓ−1 → layer ℓ weights below it), and the `reservoir` rule's direct feedback
    /// alignment trains the blocks below the diagonal ([`crate::model::reservoir`]). 1 (the
    /// default, left out of saved configs) = an ordinary network.
    #[serde(skip_serializing_if = "is_one")]
    pub reservoir_layers: usize,
}

fn is_one(value: &usize) -> bool {
    *value == 1
}

fn is_false(value: &bool) -> bool {
    !*value
}

impl Default for NetworkConfig {
    fn default() -> Self {
        NetworkConfig {
            n_neurons: 128,
            n_inputs: 3,
            n_outputs: 1,
            connectivity: Connectivity::FixedInDegree,
            k: 16,
            density: 0.1,
            radius: 3.0,
            periodic: true,
            allow_autapses: true,
            activation: Activation::Relu,
            dynamics: Dynamics::Rate,
            dt_ms: 20.0,
            tau_ms: 100.0,
            rec_noise_std: 0.0,
            init: InitKind::Normal,
            gain: 0.9,
            spectral_radius: None,
            input_map: InputMap::Dense,
            readout: Readout::Trained,
            readout_fraction: 1.0,
            excitatory_fraction: None,
            train_recurrent: true,
            train_bias: true,
            seed: 1,
            spiking: SpikingConfig::default(),
            dense_init: DenseInit::Normal,
            readout_bias: false,
            reservoir_layers: 1,
        }
    }
}

/// Largest network the simulator accepts (memory guard for the browser).
pub const MAX_NEURONS: usize = 16_384;
/// Largest `gain`, `spectral_radius` and `rec_noise_std` accepted (weights and noise stay
/// finite in f32).
pub const MAX_SCALE: f64 = 1000.0;
/// Largest `radius` accepted (grid units; any radius beyond the sheet connects everything).
pub const MAX_RADIUS: f64 = 1e6;
/// Largest `tau_ms` accepted.
pub const MAX_TAU_MS: f64 = 1e6;
/// Largest number of input or output channels accepted (same memory guard: a dense input
/// or readout map then costs no more than a dense recurrent matrix of [`MAX_NEURONS`]).
pub const MAX_CHANNELS: usize = MAX_NEURONS;

impl NetworkConfig {
    /// α = dt / τ.
    pub fn alpha(&self) -> f32 {
        (self.dt_ms / self.tau_ms) as f32
    }

    /// The threshold-adaptation strength β_a of every neuron: `spiking.adaptation_beta` for
    /// the adaptive neurons of `alif` ([`super::SpikingConfig::adapts`]), 0 otherwise (the
    /// forward pass, BPTT and e-prop read this one list).
    pub fn adaptation_betas(&self) -> Vec<f32> {
        let n = self.n_neurons;
        (0..n)
            .map(|i| {
                if self.dynamics == Dynamics::Alif && self.spiking.adapts(i, n) {
                    self.spiking.adaptation_beta as f32
                } else {
                    0.0
                }
            })
            .collect()
    }

    /// Number of outputs the network actually has.
    pub fn effective_outputs(&self) -> usize {
        match self.readout {
            Readout::Trained => self.n_outputs,
            Readout::Population => 1,
        }
    }

    /// Check every field; the error names the first bad one and its value.
    pub fn validate(&self) -> Result<()> {
        at_least("n_neurons", self.n_neurons, 1, "must be >= 1")?;
        if self.n_neurons > MAX_NEURONS {
            return Err(Error::field(
                "n_neurons",
                self.n_neurons,
                "must be <= 16384",
            ));
        }
        at_least("n_inputs", self.n_inputs, 1, "must be >= 1")?;
        if self.n_inputs > MAX_CHANNELS {
            return Err(Error::field("n_inputs", self.n_inputs, "must be <= 16384"));
        }
        if self.readout == Readout::Trained {
            at_least("n_outputs", self.n_outputs, 1, "must be >= 1")?;
            if self.n_outputs > MAX_CHANNELS {
                return Err(Error::field(
                    "n_outputs",
                    self.n_outputs,
                    "must be <= 16384",
                ));
            }
        }
        if self.reservoir_layers == 0 || !self.n_neurons.is_multiple_of(self.reservoir_layers) {
            return Err(Error::field(
                "reservoir_layers",
                self.reservoir_layers,
                "must be >= 1 and divide n_neurons (equal layers)",
            ));
        }
        if self.readout_bias && self.readout != Readout::Trained {
            return Err(Error::field(
                "readout_bias",
                true,
                "needs readout \"trained\" (the population readout has no bias)",
            ));
        }
        positive("dt_ms", self.dt_ms)?;
        positive("tau_ms", self.tau_ms)?;
        if self.dt_ms > self.tau_ms {
            return Err(Error::field(
                "dt_ms",
                self.dt_ms,
                "must be <= tau_ms (alpha = dt/tau <= 1)",
            ));
        }
        non_negative("rec_noise_std", self.rec_noise_std)?;
        non_negative("gain", self.gain)?;
        // finite f32 weights and noise: larger values overflow to infinity in f32
        in_range("tau_ms", self.tau_ms, 0.0, MAX_TAU_MS, "must be <= 1e6 ms")?;
        in_range("gain", self.gain, 0.0, MAX_SCALE, "must be <= 1000")?;
        in_range(
            "rec_noise_std",
            self.rec_noise_std,
            0.0,
            MAX_SCALE,
            "must be <= 1000",
        )?;
        // checked whatever the connectivity, so a stray value is never silently kept (0 is
        // accepted where the connectivity does not use the field)
        in_range("density", self.density, 0.0, 1.0, "must be in [0, 1]")?;
        non_negative("radius", self.radius)?;
        in_range(
            "radius",
            self.radius,
            0.0,
            MAX_RADIUS,
            "must be <= 1e6 (grid units)",
        )?;
        if let Some(radius) = self.spectral_radius {
            positive("spectral_radius", radius)?;
            in_range("spectral_radius", radius, 0.0, MAX_SCALE, "must be <= 1000")?;
            if self.n_neurons > 2048 {
                return Err(Error::field(
                    "n_neurons",
                    self.n_neurons,
                    "must be <= 2048 when spectral_radius is set",
                ));
            }
        }
        match self.connectivity {
            Connectivity::FixedInDegree => {
                at_least("k", self.k, 1, "must be >= 1")?;
                let max_k = if self.allow_autapses {
                    self.n_neurons
                } else {
                    self.n_neurons - 1
                };
                if self.k > max_k {
                    return Err(Error::field(
                        "k",
                        self.k,
                        "must be <= n_neurons (n_neurons - 1 without autapses)",
                    ));
                }
            }
            Connectivity::RandomDensity => {
                in_range("density", self.density, 1e-9, 1.0, "must be in (0, 1]")?;
            }
            Connectivity::Local => {
                positive("radius", self.radius)?;
            }
            Connectivity::Dense | Connectivity::Autapse => {}
        }
        if self.input_map == InputMap::Identity && self.n_inputs != self.n_neurons {
            return Err(Error::field(
                "n_inputs",
                self.n_inputs,
                "must equal n_neurons when input_map is identity",
            ));
        }
        in_range(
            "readout_fraction",
            self.readout_fraction,
            1e-9,
            1.0,
            "must be in (0, 1]",
        )?;
        if let Some(fraction) = self.excitatory_fraction {
            in_range(
                "excitatory_fraction",
                fraction,
                0.0,
                1.0,
                "must be in [0, 1]",
            )?;
        }
        if self.dynamics.is_spiking() {
            self.spiking.validate(self.dt_ms)?;
        }
        Ok(())
    }
}

impl crate::error::Check for NetworkConfig {
    fn check_fields(&self) -> Result<()> {
        self.validate()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_of(mutate: impl FnOnce(&mut NetworkConfig)) -> String {
        let mut c = NetworkConfig::default();
        mutate(&mut c);
        c.validate().unwrap_err().to_string()
    }

    #[test]
    fn bad_fields_are_named_with_their_values() {
        assert!(error_of(|c| c.n_neurons = 0).contains("`n_neurons`"));
        let k = error_of(|c| {
            c.n_neurons = 10;
            c.k = 11
        });
        assert!(k.contains("`k`") && k.contains("11"), "{k}");
        let dt = error_of(|c| c.dt_ms = f64::NAN);
        assert!(dt.contains("`dt_ms`") && dt.contains("NaN"), "{dt}");
        assert!(error_of(|c| c.tau_ms = -1.0).contains("`tau_ms`"));
        assert!(error_of(|c| c.dt_ms = 200.0).contains("`dt_ms`"));
        assert!(error_of(|c| c.excitatory_fraction = Some(1.5)).contains("excitatory_fraction"));
        // Unbounded channel counts let a model file declare an empty 6 x 2^64-1 input map
        // (found by fuzzing: overflow / huge allocation when rebuilding its transpose).
        assert!(error_of(|c| c.n_inputs = usize::MAX).contains("`n_inputs`"));
        assert!(error_of(|c| c.n_outputs = MAX_CHANNELS + 1).contains("`n_outputs`"));
        assert!(NetworkConfig::default().validate().is_ok());
    }

    #[test]
    fn config_parses_from_json_with_defaults_and_rejects_unknown_fields() {
        let c: NetworkConfig =
            serde_json::from_str(r#"{"n_neurons": 64, "connectivity": "autapse"}"#).unwrap();
        assert_eq!(c.n_neurons, 64);
        assert_eq!(c.connectivity, Connectivity::Autapse);
        assert_eq!(c.dynamics, Dynamics::Rate);
        let v: NetworkConfig = serde_json::from_str(r#"{"dynamics": "voltage"}"#).unwrap();
        assert_eq!(v.dynamics, Dynamics::Voltage);
        assert!(serde_json::from_str::<NetworkConfig>(r#"{"dynamics": "volt"}"#).is_err());
        let bad = serde_json::from_str::<NetworkConfig>(r#"{"n_neuron": 64}"#).unwrap_err();
        assert!(bad.to_string().contains("n_neuron"));
    }
}
