//! The optimizers a [`crate::learning::Trainer`] applies a rule's gradient with: Adam (the
//! default) and plain SGD (Turcu & Abbott's code trains with SGD at learning rate 1).

use super::trainable::for_each_trainable;
use super::{Adam, Gradients};
use crate::model::Network;
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
