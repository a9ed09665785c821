//! Adam (Kingma & Ba) over a list of parameter tensors.

use serde::{Deserialize, Serialize};

/// Adam hyper-parameters.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AdamConfig {
    /// Step size.
    pub learning_rate: f32,
    /// First-moment decay β₁.
    pub beta1: f32,
    /// Second-moment decay β₂.
    pub beta2: f32,
    /// ε added to √v̂.
    pub epsilon: f32,
}

impl Default for AdamConfig {
    fn default() -> Self {
        AdamConfig {
            learning_rate: 1e-3,
            beta1: 0.9,
            beta2: 0.999,
            epsilon: 1e-8,
        }
    }
}

/// Adam state: one (m, v) pair per tensor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Adam {
    /// Hyper-parameters.
    pub config: AdamConfig,
    first_moment: Vec<Vec<f32>>,
    second_moment: Vec<Vec<f32>>,
    /// β₁ᵗ and β₂ᵗ, tracked as running products (no `powf`, so bit-identical everywhere).
    beta1_power: f64,
    beta2_power: f64,
    /// Number of updates done.
    pub steps: u64,
}

impl Adam {
    /// State for tensors of the given sizes.
    pub fn new(config: AdamConfig, sizes: &[usize]) -> Self {
        Adam {
            config,
            first_moment: sizes.iter().map(|&n| vec![0.0; n]).collect(),
            second_moment: sizes.iter().map(|&n| vec![0.0; n]).collect(),
            beta1_power: 1.0,
            beta2_power: 1.0,
            steps: 0,
        }
    }

    /// State for the parameter tensors of `network` (W_rec, W_in, b, W_out, b_out), in the
    /// order [`Adam::step_network`] updates them.
    pub fn for_network(network: &crate::model::Network, learning_rate: f64) -> Self {
        let sizes = [
            network.w_rec.nnz(),
            network.w_in.nnz(),
            network.bias.len(),
            network.w_out.nnz(),
            network.b_out.len(),
        ];
        let config = AdamConfig {
            learning_rate: learning_rate as f32,
            ..Default::default()
        };
        Adam::new(config, &sizes)
    }

    /// One Adam update of every trainable tensor of `network` from `grads` (fixed maps —
    /// identity input, population readout, untrained W_rec or bias — are left alone), then
    /// refresh the effective weights (Dale's law, transposed copies).
    pub fn step_network(&mut self, network: &mut crate::model::Network, grads: &super::Gradients) {
        self.begin_step();
        super::trainable::for_each_trainable(network, grads, |index, params, grad| {
            self.update(index, params, grad)
        });
        network.refresh_effective_weights();
    }

    /// Advance the step counter; call once per update, before [`Adam::update`] calls.
    pub fn begin_step(&mut self) {
        self.steps += 1;
        self.beta1_power *= self.config.beta1 as f64;
        self.beta2_power *= self.config.beta2 as f64;
    }

    /// Update tensor number `index` in place from its gradient.
    pub fn update(&mut self, index: usize, params: &mut [f32], grads: &[f32]) {
        let c = self.config;
        let correction1 = (1.0 - self.beta1_power) as f32;
        let correction2 = (1.0 - self.beta2_power) as f32;
        let step = c.learning_rate / correction1;
        let m = &mut self.first_moment[index];
        let v = &mut self.second_moment[index];
        assert_eq!(params.len(), m.len(), "Adam: tensor {index} changed size");
        for k in 0..params.len() {
            let g = grads[k];
            m[k] = c.beta1 * m[k] + (1.0 - c.beta1) * g;
            v[k] = c.beta2 * v[k] + (1.0 - c.beta2) * g * g;
            let v_hat = v[k] / correction2;
            params[k] -= step * m[k] / (v_hat.sqrt() + c.epsilon);
        }
    }
}
