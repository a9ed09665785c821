//! Training: forward simulation over a batch, full backpropagation through time, losses,
//! Adam with gradient clipping, and the [`Trainer`] loop.

mod adam;
mod backward;
mod forward;
mod loss;
mod trainer;

pub use adam::{Adam, AdamConfig};
pub use backward::{backward, Gradients};
pub use forward::{forward, Trajectory};
pub use loss::{loss_and_gradient, LossKind};
pub use trainer::{
    check_channels, evaluate_batch, per_task_scores, StepStats, TrainConfig, Trainer,
};
