//! The differentiable simulator: forward simulation over a batch, one backpropagation
//! through time for both forms of the dynamics and every error source ([`backprop`]),
//! losses, optimizers (Adam, SGD) and the training hyper-parameters. The training loop
//! itself, with every learning rule, is [`crate::learning::Trainer`].

mod adam;
pub mod alloc;
pub mod backprop;
mod classification_loss;
mod config;
mod forward;
mod loss;
pub mod optim;
pub mod packing;
mod score;
pub mod spiking;
pub mod spiking_backprop;
mod trainable;

pub use adam::{Adam, AdamConfig};
pub use backprop::{
    agreement, agreement_of, backprop, backprop_fresh, bptt, effective_to_param,
    parameter_gradients, parameter_gradients_on, presynaptic_states, project_back,
    reserve_gradient_scratch, ErrorSource, Gradients, Propagation, Workspace,
};
pub use config::{Batching, StepStats, TrainConfig};
pub use forward::{
    add_readout_bias, forward, forward_on, input_projection, input_projection_on, readout,
    recurrence, recurrent_noise, Trajectory,
};
pub use loss::{
    loss_and_gradient, loss_and_gradient_shaped, partial_loss_and_gradient,
    partial_loss_and_gradient_shaped, LossKind,
};
pub use optim::{Optimizer, OptimizerKind};
pub use packing::{PackedBatch, StepLanes};
pub use score::{
    batch_loss, check_channels, eval_chunk_trials, evaluate_batch, per_task_scores, score_batch,
    score_batch_in, scores_whole_batch, trajectory_bytes_per_trial, BatchScores, EVAL_CHUNK_BYTES,
};
pub use trainable::for_each_trainable;
