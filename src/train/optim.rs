//! The optimizers a [`crate::learning::Trainer`] applies a rule's gradient with: Adam (the
//! default) and plain SGD (Turcu & Abbott's code trains with SGD at learning rate 1).

use super::{Adam, Gradients};
use crate::model::{InputMap, Network, Readout};
use serde::{Deserialize, Serialize};

/// Which optimizer (`train.optimizer` in a run description).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OptimizerKind {
    /// Adam (β₁ = 0.9, β₂ = 0.999, ε = 1e-8).
    #[default]
    Adam,
    /// Plain gradient descent: `θ ← θ − lr · g`.
    Sgd,
}

/// Optimizer state for one network.
#[derive(Debug, Clone, PartialEq)]
pub enum Optimizer {
    /// Adam with its moments.
    Adam(Adam),
    /// SGD with its step size.
    Sgd {
        /// Step size.
        learning_rate: f32,
    },
}

impl Optimizer {
    /// Fresh state of `kind` for the parameter tensors of `network`.
    pub fn new(kind: OptimizerKind, network: &Network, learning_rate: f64) -> Self {
        match kind {
            OptimizerKind::Adam => Optimizer::Adam(Adam::for_network(network, learning_rate)),
            OptimizerKind::Sgd => Optimizer::Sgd {
                learning_rate: learning_rate as f32,
            },
        }
    }

    /// Set the step size of the next updates (learning-rate schedules).
    pub fn set_learning_rate(&mut self, learning_rate: f64) {
        match self {
            Optimizer::Adam(adam) => adam.config.learning_rate = learning_rate as f32,
            Optimizer::Sgd { learning_rate: lr } => *lr = learning_rate as f32,
        }
    }

    /// Update every trainable tensor of `network` from `grads` and refresh the effective
    /// weights.
    pub fn step(&mut self, network: &mut Network, grads: &Gradients) {
        match self {
            Optimizer::Adam(adam) => adam.step_network(network, grads),
            Optimizer::Sgd { learning_rate } => {
                let lr = *learning_rate;
                for_each_trainable(network, grads, |_, params, grad| {
                    for (p, g) in params.iter_mut().zip(grad) {
                        *p -= lr * g;
                    }
                });
                network.refresh_effective_weights();
            }
        }
    }
}

/// Call `update(index, parameters, gradient)` for each trainable tensor of `network`, in
/// the fixed order W_rec (0), W_in (1), b (2), W_out (3). Fixed maps (identity input,
/// population readout, untrained W_rec or bias) are skipped. The one place that decides
/// which tensors are trained.
pub fn for_each_trainable(
    network: &mut Network,
    grads: &Gradients,
    mut update: impl FnMut(usize, &mut [f32], &[f32]),
) {
    let config = &network.config;
    let (train_rec, train_in, train_bias, train_out) = (
        config.train_recurrent,
        config.input_map == InputMap::Dense,
        config.train_bias,
        config.readout == Readout::Trained,
    );
    if train_rec {
        update(0, &mut network.w_rec_param, &grads.w_rec);
    }
    if train_in {
        update(1, &mut network.w_in.values, &grads.w_in);
    }
    if train_bias {
        update(2, &mut network.bias, &grads.bias);
    }
    if train_out {
        update(3, &mut network.w_out.values, &grads.w_out);
    }
}
