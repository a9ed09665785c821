//! Packed sequences (`train::packing`): a batch of trials of different lengths laid out by
//! length, each step computing only the trials still running. Each trial's trajectory
//! and outputs are bit for bit those of the padded layout (with the same noise stream),
//! no lane of a finished trial carries an error, and the gradient equals the padded
//! one up to the order of its sums over trials and steps.

use serde_json::{json, Value};
use sparse_rnn_lab::lab::run::parse_run;
use sparse_rnn_lab::learning::Trainer;
use sparse_rnn_lab::model::Network;
use sparse_rnn_lab::rng::SimRng;
use sparse_rnn_lab::train::{
    agreement, backprop_fresh, forward, forward_on, loss_and_gradient, ErrorSource, Gradients,
    LossKind, PackedBatch, Propagation, Trajectory,
};

/// The packing test's run; `dense_rec`: a dense W_rec (its recurrence and gradient go
/// through the GEMM) instead of a 20 % random mask.
fn trainer(dynamics: &str, dense_rec: bool) -> Trainer {
    let mut config: Value = json!({
        "network": {"n_neurons": 48, "connectivity": "random-density", "density": 0.2,
                    "activation": "softplus", "dynamics": dynamics, "rec_noise_std": 0.1,
                    "input_map": "dense", "readout": "trained", "seed": 3},
        "train": {"learning_rate": 0.001, "batch_size": 23, "seed": 5},
        "task": {"id": "yang-mixture"}
    });
    if dense_rec {
        config["network"]["connectivity"] = json!("dense");
    }
    parse_run(config).unwrap().into_trainer().unwrap()
}

/// Padded and packed forward passes with the same noise stream, their losses and
/// gradients under `source`.
struct Pair {
    padded: Trajectory,
    packed: Trajectory,
    batch: PackedBatch,
    loss: (f32, f32),
    grads: (Gradients, Gradients),
}

fn pair(net: &Network, batch: &sparse_rnn_lab::tasks::TrialBatch, source: &ErrorSource) -> Pair {
    let (mut padded, mut packed) = (Trajectory::default(), Trajectory::default());
    let mut noise = SimRng::derived(11, "noise");
    forward(
        net,
        &batch.inputs,
        batch.n_steps,
        batch.batch_size,
        Some(&mut noise),
        &mut padded,
    );
    let packing = PackedBatch::of(batch);
    let mut noise = SimRng::derived(11, "noise");
    forward_on(
        net,
        &packing.inputs,
        &packing.steps,
        Some(&mut noise),
        &mut packed,
    );
    let (mut dy_padded, mut dy_packed) = (Vec::new(), Vec::new());
    let loss_padded = loss_and_gradient(
        LossKind::Mse,
        &padded.outputs,
        &batch.targets,
        &batch.mask,
        &mut dy_padded,
    );
    let loss_packed = loss_and_gradient(
        LossKind::Mse,
        &packed.outputs,
        &packing.targets,
        &packing.mask,
        &mut dy_packed,
    );
    let g_padded = backprop_fresh(net, &batch.inputs, &padded, &dy_padded, source);
    let g_packed = backprop_fresh(net, &packing.inputs, &packed, &dy_packed, source);
    Pair {
        padded,
        packed,
        batch: packing,
        loss: (loss_padded, loss_packed),
        grads: (g_padded, g_packed),
    }
}

fn check(dynamics: &str, source: &ErrorSource) {
    check_on(dynamics, false, source);
}

fn check_on(dynamics: &str, dense_rec: bool, source: &ErrorSource) {
    let mut trainer = trainer(dynamics, dense_rec);
    let batch = trainer.next_batch().unwrap();
    let lengths: Vec<usize> = batch.trials.iter().map(|t| t.n_steps()).collect();
    let shortest = *lengths.iter().min().unwrap();
    assert!(
        shortest < batch.n_steps,
        "the batch should mix trial lengths: {lengths:?}"
    );
    let net = &trainer.network;
    let p = pair(net, &batch, source);
    let steps = &p.batch.steps;
    assert!(!steps.is_uniform());
    let live: usize = lengths.iter().sum();
    let computed: usize = (0..batch.n_steps).map(|t| steps.computed(t)).sum();
    assert_eq!(
        steps.output_lanes(),
        computed,
        "one output lane per computed (step, lane)"
    );
    // the running trials plus fewer than 4 rounding lanes per step
    assert!(live <= computed && computed < live + 4 * batch.n_steps);
    assert!(computed < batch.n_steps * batch.batch_size);
    // every trial's states and outputs, bit for bit
    for (b, &trial) in steps.order().iter().enumerate() {
        for t in 0..lengths[trial] {
            for o in 0..net.n_outputs() {
                let (a, c) = (p.padded.output(o, t, trial), p.packed.output(o, t, b));
                assert_eq!(
                    a.to_bits(),
                    c.to_bits(),
                    "{dynamics}: output {o}, step {t}, trial {trial}"
                );
            }
            for i in 0..net.n_neurons() {
                let (a, c) = (p.padded.state(i, t + 1, trial), p.packed.state(i, t + 1, b));
                assert_eq!(
                    a.to_bits(),
                    c.to_bits(),
                    "{dynamics}: state {i}, step {t}, trial {trial}"
                );
            }
        }
    }
    // no error on a finished trial's lane; the running lanes' errors as padded (up to
    // the order of the readout's back-projection, which is per lane: the same)
    let lanes = steps.step_lanes();
    let padded_lanes = batch.n_steps * batch.batch_size;
    for i in 0..net.n_neurons() {
        for t in 0..batch.n_steps {
            for b in 0..steps.width(t) {
                let packed = p.grads.1.pre_activation[i * lanes + steps.offset(t) + b];
                match steps.step_lane(t, b) {
                    None => assert_eq!(packed, 0.0, "{dynamics}: finished lane {b} at step {t}"),
                    Some(_) => {
                        let trial = steps.order()[b];
                        let padded = p.grads.0.pre_activation
                            [i * padded_lanes + t * batch.batch_size + trial];
                        assert_eq!(
                            padded.to_bits(),
                            packed.to_bits(),
                            "{dynamics}: dpre {i} {t} {b}"
                        );
                    }
                }
            }
        }
    }
    let (padded_loss, packed_loss) = p.loss;
    assert!(
        (padded_loss - packed_loss).abs() <= 1e-6 * padded_loss.abs(),
        "{dynamics}: loss {padded_loss} padded, {packed_loss} packed"
    );
    let (relative, angle) = agreement(&p.grads.1, &p.grads.0);
    assert!(
        relative < 1e-5 && angle < 0.01,
        "{dynamics}: gradients differ by {relative:e} ({angle}°)"
    );
    assert!(p.grads.0.norm() > 0.0);
}

#[test]
fn rate_form_packed_matches_padded() {
    check("rate", &ErrorSource::EXACT);
}

#[test]
fn voltage_form_packed_matches_padded() {
    check("voltage", &ErrorSource::EXACT);
}

#[test]
fn leak_only_propagation_packed_matches_padded() {
    let source = ErrorSource {
        propagation: Propagation::LeakOnly,
        ..ErrorSource::EXACT
    };
    check("rate", &source);
    check("voltage", &source);
}

#[test]
fn dense_recurrent_weights_packed_match_padded() {
    for dynamics in ["rate", "voltage"] {
        check_on(dynamics, true, &ErrorSource::EXACT);
    }
}
