//! Which of a network's tensors are trained, in the one fixed order every optimizer and
//! rule walks them.

use super::Gradients;
use crate::model::{InputMap, Network, Readout};

/// Call `update(index, parameters, gradient)` for each trainable tensor of `network`, in
/// the fixed order W_rec (0), W_in (1), b (2), W_out (3), b_out (4). Fixed maps (identity input,
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
        if !network.b_out.is_empty() {
            update(4, &mut network.b_out, &grads.b_out);
        }
    }
}
