//! BEAN regulariser: gradients against finite differences (weights and rates
//! separately, then the full BPTT + BEAN gradient through the simulation).

use sparse_rnn_lab::learning::bean::{bean_gradients, bean_terms};
use sparse_rnn_lab::learning::{structure_report, BeanConfig, BeanVariant};
use sparse_rnn_lab::model::{Activation, Connectivity, Dynamics, Network, NetworkConfig};
use sparse_rnn_lab::rng::SimRng;
use sparse_rnn_lab::train::{forward, loss_and_gradient, LossKind, Trajectory};

fn net() -> Network {
    Network::new(NetworkConfig {
        n_neurons: 10,
        n_inputs: 2,
        n_outputs: 1,
        connectivity: Connectivity::FixedInDegree,
        k: 4,
        activation: Activation::Tanh,
        gain: 1.5,
        dt_ms: 20.0,
        tau_ms: 60.0,
        seed: 2,
        ..Default::default()
    })
    .unwrap()
}

fn inputs(net: &Network) -> Vec<f32> {
    let mut rng = SimRng::new(4);
    (0..net.n_inputs() * 15)
        .map(|_| rng.normal() as f32)
        .collect()
}

fn close(analytic: f64, numeric: f64, scale: f64, what: &str) {
    assert!(
        (analytic - numeric).abs() <= 2e-3 * numeric.abs() + 2e-3 * scale,
        "{what}: analytic {analytic} vs numeric {numeric}"
    );
}

#[test]
fn bean_partial_gradients_match_finite_differences() {
    let net = net();
    let x = inputs(&net);
    let mut traj = Trajectory::default();
    forward(&net, &x, 5, 3, None, &mut traj);
    for variant in [BeanVariant::Bean1, BeanVariant::Bean2] {
        let config = BeanConfig {
            strength: 2.0,
            gamma: 1.3,
            variant,
        };
        let terms = bean_terms(&net.w_rec, &traj.rates, &config);
        assert!(terms.loss > 0.0);
        let eps = 1e-3f32;
        let scale_w = terms
            .grad_weights
            .iter()
            .fold(0.0f64, |m, g| m.max(g.abs() as f64));
        for s in 0..net.w_rec.nnz() {
            let mut plus = net.w_rec.clone();
            plus.values[s] += eps;
            let mut minus = net.w_rec.clone();
            minus.values[s] -= eps;
            let numeric = (bean_terms(&plus, &traj.rates, &config).loss
                - bean_terms(&minus, &traj.rates, &config).loss)
                / (2.0 * eps as f64);
            close(terms.grad_weights[s] as f64, numeric, scale_w, "dL/dW");
        }
        let scale_r = terms
            .grad_rates
            .iter()
            .fold(0.0f64, |m, g| m.max(g.abs() as f64));
        for k in (0..traj.rates.len()).step_by(7) {
            let mut plus = traj.rates.clone();
            plus[k] += eps;
            let mut minus = traj.rates.clone();
            minus[k] -= eps;
            let numeric = (bean_terms(&net.w_rec, &plus, &config).loss
                - bean_terms(&net.w_rec, &minus, &config).loss)
                / (2.0 * eps as f64);
            close(terms.grad_rates[k] as f64, numeric, scale_r, "dL/dr");
        }
    }
}

fn total_loss(net: &Network, x: &[f32], target: &[f32], config: &BeanConfig) -> f64 {
    let mut traj = Trajectory::default();
    forward(net, x, 5, 3, None, &mut traj);
    let mask = vec![1.0; target.len()];
    let task = loss_and_gradient(LossKind::Mse, &traj.outputs, target, &mask, &mut Vec::new());
    task as f64 + bean_terms(&net.w_rec, &traj.rates, config).loss
}

#[test]
fn bptt_plus_bean_gradient_matches_finite_differences_of_the_simulation() {
    check_bean_gradient(net());
}

/// The same check in the voltage form: the penalty's error on the rates f(x) enters the
/// voltage recursion where the readout's does.
#[test]
fn bean_gradient_in_the_voltage_form_matches_finite_differences() {
    let voltage = Network::new(NetworkConfig {
        dynamics: Dynamics::Voltage,
        ..net().config
    })
    .unwrap();
    check_bean_gradient(voltage);
}

fn check_bean_gradient(net: Network) {
    let x = inputs(&net);
    let target: Vec<f32> = (0..15).map(|k| (k % 3) as f32 * 0.3).collect();
    let config = BeanConfig {
        strength: 5.0,
        ..Default::default()
    };
    let mut traj = Trajectory::default();
    forward(&net, &x, 5, 3, None, &mut traj);
    let mut e = Vec::new();
    loss_and_gradient(LossKind::Mse, &traj.outputs, &target, &[1.0; 15], &mut e);
    let (grads, _) = bean_gradients(&net, &x, &traj, &e, &config);
    let scale = grads
        .w_rec
        .iter()
        .fold(0.0f64, |m, g| m.max(g.abs() as f64));
    let eps = 2e-3f32;
    for s in 0..net.w_rec.nnz() {
        let shifted = |delta: f32| {
            let mut n = net.clone();
            n.w_rec_param[s] += delta;
            n.refresh_effective_weights();
            total_loss(&n, &x, &target, &config)
        };
        let numeric = (shifted(eps) - shifted(-eps)) / (2.0 * eps as f64);
        // f32 simulation: looser than the f64 partials above
        assert!(
            (grads.w_rec[s] as f64 - numeric).abs() <= 2e-2 * numeric.abs() + 1e-2 * scale,
            "synapse {s}: analytic {} vs numeric {numeric}",
            grads.w_rec[s]
        );
    }
}

#[test]
fn structure_report_finds_planted_assemblies() {
    // two blocks of 5 neurons, strong within, weak across
    let mut net = Network::new(NetworkConfig {
        n_neurons: 10,
        connectivity: Connectivity::Dense,
        ..Default::default()
    })
    .unwrap();
    for s in 0..net.w_rec.nnz() {
        let (i, j) = (s / 10, net.w_rec.col_idx[s] as usize);
        net.w_rec_param[s] = if (i < 5) == (j < 5) { 1.0 } else { 0.01 };
    }
    net.refresh_effective_weights();
    let report = structure_report(&net, 0.05);
    assert_eq!(report.n_assemblies, 2);
    assert!((report.sparsity - 0.5).abs() < 1e-9, "{report:?}");
    assert!(
        report.modularity > 0.45 && report.within_mass > 0.95,
        "{report:?}"
    );
    assert_eq!(report.assembly[..5], [0; 5]);
    assert_eq!(report.assembly[5..], [1; 5]);
}

#[test]
fn bean_with_zero_strength_is_plain_bptt() {
    let net = net();
    let x = inputs(&net);
    let target: Vec<f32> = (0..15).map(|k| (k % 3) as f32 * 0.3).collect();
    let mut traj = Trajectory::default();
    forward(&net, &x, 5, 3, None, &mut traj);
    let mut e = Vec::new();
    loss_and_gradient(LossKind::Mse, &traj.outputs, &target, &[1.0; 15], &mut e);
    // α = 0 is plain BPTT
    let (plain, penalty) = bean_gradients(
        &net,
        &x,
        &traj,
        &e,
        &BeanConfig {
            strength: 0.0,
            ..Default::default()
        },
    );
    assert_eq!(penalty, 0.0);
    let reference = sparse_rnn_lab::train::bptt(&net, &x, &traj, &e);
    assert_eq!(plain.w_rec, reference.w_rec);
}
