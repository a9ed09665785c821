//! Gradient check: every analytic (f32 BPTT) gradient against central finite differences of
//! an independent f64 reference implementation of the same network and loss.
//! Tolerance: |analytic − numeric| ≤ 2e-3·|numeric| + 2e-4·max|numeric over the tensor|.

use sparse_rnn_lab::model::{
    Activation, Connectivity, Dynamics, InputMap, Network, NetworkConfig, Readout,
};
use sparse_rnn_lab::rng::SimRng;
use sparse_rnn_lab::train::{bptt, forward, loss_and_gradient, LossKind, Trajectory};

/// Parameters as f64 copies, in the order [w_rec_param, w_in, bias, w_out, b_out].
struct Params64 {
    tensors: [Vec<f64>; 5],
}

fn params_of(net: &Network) -> Params64 {
    let to64 = |v: &[f32]| v.iter().map(|x| *x as f64).collect::<Vec<_>>();
    Params64 {
        tensors: [
            to64(&net.w_rec_param),
            to64(&net.w_in.values),
            to64(&net.bias),
            to64(&net.w_out.values),
            to64(&net.b_out),
        ],
    }
}

fn act64(a: Activation, x: f64) -> f64 {
    use sparse_rnn_lab::math;
    match a {
        Activation::Relu => x.max(0.0),
        Activation::Linear => x,
        Activation::Tanh => math::tanh(x),
        Activation::Softplus => math::softplus(x),
        Activation::RectifiedTanh => {
            let c = math::tanh(-0.5);
            (math::tanh(x.max(0.0) - 0.5) - c) / (1.0 - c)
        }
    }
}

/// Straightforward f64 simulation with dense loops (independent of the kernels), in either
/// form: rate h ← (1−α)h + α f(W h + W_in u + b), y = W_out h; voltage
/// x ← (1−α)x + α (W f(x) + W_in u + b), y = W_out f(x), from x = 0.
fn reference_loss(
    net: &Network,
    p: &Params64,
    x: &[f32],
    target: &[f32],
    mask: &[f32],
    t_len: usize,
    b_len: usize,
) -> f64 {
    let n = net.n_neurons();
    let n_in = net.n_inputs();
    let n_out = net.n_outputs();
    let alpha = net.config.dt_ms / net.config.tau_ms;
    let alpha = alpha as f32 as f64;
    let mut w = vec![0.0f64; n * n];
    for r in 0..n {
        for s in net.w_rec.row_ptr[r]..net.w_rec.row_ptr[r + 1] {
            let c = net.w_rec.col_idx[s] as usize;
            let param = p.tensors[0][s];
            w[r * n + c] = if net.has_dale() {
                param.abs() * net.neuron_sign[c] as f64
            } else {
                param
            };
        }
    }
    let dense = |m: &sparse_rnn_lab::model::Csr, values: &[f64]| {
        let mut d = vec![0.0f64; m.n_rows * m.n_cols];
        for r in 0..m.n_rows {
            for s in m.row_ptr[r]..m.row_ptr[r + 1] {
                d[r * m.n_cols + m.col_idx[s] as usize] = values[s];
            }
        }
        d
    };
    let w_in = dense(&net.w_in, &p.tensors[1]);
    let w_out = dense(&net.w_out, &p.tensors[3]);
    let (mut total, mut weight) = (0.0, 0.0);
    let act = |v: f64| act64(net.config.activation, v);
    let voltage = net.config.dynamics == Dynamics::Voltage;
    for b in 0..b_len {
        // h: the rate-form state, or the voltage x
        let mut h = vec![0.0f64; n];
        for t in 0..t_len {
            // what the recurrent weights see
            let seen: Vec<f64> = if voltage {
                h.iter().map(|v| act(*v)).collect()
            } else {
                h.clone()
            };
            let mut next = vec![0.0; n];
            for i in 0..n {
                let mut pre = p.tensors[2][i];
                for j in 0..n {
                    pre += w[i * n + j] * seen[j];
                }
                for k in 0..n_in {
                    pre += w_in[i * n_in + k] * x[(k * t_len + t) * b_len + b] as f64;
                }
                let drive = if voltage { pre } else { act(pre) };
                next[i] = (1.0 - alpha) * h[i] + alpha * drive;
            }
            h = next;
            let read: Vec<f64> = if voltage {
                h.iter().map(|v| act(*v)).collect()
            } else {
                h.clone()
            };
            for o in 0..n_out {
                let bias_out = p.tensors[4].get(o).copied().unwrap_or(0.0);
                let y: f64 = bias_out + (0..n).map(|i| w_out[o * n + i] * read[i]).sum::<f64>();
                let k = (o * t_len + t) * b_len + b;
                let e = y - target[k] as f64;
                total += mask[k] as f64 * e * e;
                weight += mask[k] as f64;
            }
        }
    }
    total / weight
}

fn check(config: NetworkConfig, label: &str) {
    check_network(Network::new(config).unwrap(), label);
}

fn check_network(net: Network, label: &str) {
    let (t_len, b_len) = (7, 3);
    let mut rng = SimRng::new(99);
    let lanes = t_len * b_len;
    let x: Vec<f32> = (0..net.n_inputs() * lanes)
        .map(|_| rng.normal() as f32)
        .collect();
    let target: Vec<f32> = (0..net.n_outputs() * lanes)
        .map(|_| rng.normal() as f32)
        .collect();
    let mask: Vec<f32> = (0..net.n_outputs() * lanes)
        .map(|k| if k % 5 == 0 { 0.0 } else { 1.0 })
        .collect();

    let mut traj = Trajectory::default();
    forward(&net, &x, t_len, b_len, None, &mut traj);
    let mut dy = Vec::new();
    let loss32 = loss_and_gradient(LossKind::Mse, &traj.outputs, &target, &mask, &mut dy);
    let grads = bptt(&net, &x, &traj, &dy);

    let base = params_of(&net);
    let loss64 = reference_loss(&net, &base, &x, &target, &mask, t_len, b_len);
    assert!(
        (loss32 as f64 - loss64).abs() < 1e-5 * loss64.max(1.0),
        "{label}: loss {loss32} vs {loss64}"
    );

    let analytic = [
        &grads.w_rec,
        &grads.w_in,
        &grads.bias,
        &grads.w_out,
        &grads.b_out,
    ];
    let names = ["w_rec", "w_in", "bias", "w_out", "b_out"];
    let eps = 1e-6;
    for (tensor, name) in names.iter().enumerate() {
        let numeric: Vec<f64> = (0..base.tensors[tensor].len())
            .map(|k| {
                let mut plus = params_of(&net);
                plus.tensors[tensor][k] += eps;
                let mut minus = params_of(&net);
                minus.tensors[tensor][k] -= eps;
                (reference_loss(&net, &plus, &x, &target, &mask, t_len, b_len)
                    - reference_loss(&net, &minus, &x, &target, &mask, t_len, b_len))
                    / (2.0 * eps)
            })
            .collect();
        let scale = numeric.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        assert_eq!(
            numeric.len(),
            analytic[tensor].len(),
            "{label} {name}: sizes"
        );
        for (k, (num, ana)) in numeric.iter().zip(analytic[tensor].iter()).enumerate() {
            let ana = *ana as f64;
            assert!(
                (ana - num).abs() <= 2e-3 * num.abs() + 2e-4 * scale,
                "{label}: d/d{name}[{k}] analytic {ana} vs numeric {num} (scale {scale})"
            );
        }
    }
}

/// Keras's Dense readout bias (Jarne & Laje's form): y = W_out h + b_out, trained; the
/// biases are set away from 0 so the forward check sees them.
#[test]
fn gradients_readout_bias_dense_tanh() {
    for dynamics in [Dynamics::Rate, Dynamics::Voltage] {
        let config = NetworkConfig {
            readout_bias: true,
            dynamics,
            ..small(Connectivity::Dense, Activation::Tanh)
        };
        let mut net = Network::new(config).unwrap();
        assert_eq!(net.b_out, vec![0.0, 0.0], "Keras initialises the bias at 0");
        net.b_out = vec![0.3, -0.7];
        check_network(net, &format!("readout bias, {dynamics:?}"));
    }
}

#[test]
fn readout_bias_needs_the_trained_readout() {
    let config = NetworkConfig {
        readout_bias: true,
        readout: Readout::Population,
        ..small(Connectivity::Dense, Activation::Tanh)
    };
    let err = Network::new(config).unwrap_err().to_string();
    assert!(err.contains("readout_bias"), "{err}");
}

fn small(connectivity: Connectivity, activation: Activation) -> NetworkConfig {
    NetworkConfig {
        n_neurons: 9,
        n_inputs: 2,
        n_outputs: 2,
        connectivity,
        k: 3,
        density: 0.3,
        radius: 1.5,
        activation,
        gain: 1.2,
        dt_ms: 20.0,
        tau_ms: 60.0,
        seed: 5,
        ..Default::default()
    }
}

#[test]
fn gradients_dense_tanh() {
    check(small(Connectivity::Dense, Activation::Tanh), "dense tanh");
}

#[test]
fn gradients_sparse_k_softplus() {
    check(
        small(Connectivity::FixedInDegree, Activation::Softplus),
        "fixed-in-degree softplus",
    );
}

#[test]
fn gradients_sparse_k_relu() {
    check(
        small(Connectivity::FixedInDegree, Activation::Relu),
        "fixed-in-degree relu",
    );
}

#[test]
fn gradients_autapse_tanh() {
    check(
        small(Connectivity::Autapse, Activation::Tanh),
        "autapse tanh",
    );
}

#[test]
fn gradients_random_density_rectified_tanh() {
    check(
        small(Connectivity::RandomDensity, Activation::RectifiedTanh),
        "random-density rect-tanh",
    );
}

#[test]
fn gradients_local_mask_with_dale() {
    let config = NetworkConfig {
        excitatory_fraction: Some(0.6),
        ..small(Connectivity::Local, Activation::Tanh)
    };
    check(config, "local + Dale");
}

#[test]
fn gradients_identity_input_population_readout() {
    let config = NetworkConfig {
        n_inputs: 9,
        input_map: InputMap::Identity,
        readout: Readout::Population,
        readout_fraction: 0.5,
        ..small(Connectivity::FixedInDegree, Activation::Softplus)
    };
    check(config, "identity input, population readout");
}

fn voltage(config: NetworkConfig) -> NetworkConfig {
    NetworkConfig {
        dynamics: Dynamics::Voltage,
        ..config
    }
}

#[test]
fn gradients_voltage_sparse_k_tanh() {
    check(
        voltage(small(Connectivity::FixedInDegree, Activation::Tanh)),
        "voltage fixed-in-degree tanh",
    );
}

#[test]
fn gradients_voltage_dense_softplus() {
    check(
        voltage(small(Connectivity::Dense, Activation::Softplus)),
        "voltage dense softplus",
    );
}

#[test]
fn gradients_voltage_local_mask_with_dale() {
    let config = NetworkConfig {
        excitatory_fraction: Some(0.6),
        ..voltage(small(Connectivity::Local, Activation::Tanh))
    };
    check(config, "voltage local + Dale");
}

#[test]
fn gradients_voltage_identity_input_population_readout_rectified_tanh() {
    let config = NetworkConfig {
        n_inputs: 9,
        input_map: InputMap::Identity,
        readout: Readout::Population,
        readout_fraction: 0.5,
        ..voltage(small(
            Connectivity::FixedInDegree,
            Activation::RectifiedTanh,
        ))
    };
    check(
        config,
        "voltage identity input, population readout, rect-tanh",
    );
}

#[test]
fn voltage_trajectory_reads_out_rates_of_the_voltages() {
    let net = Network::new(voltage(small(Connectivity::Dense, Activation::Softplus))).unwrap();
    let (t_len, b_len) = (4, 2);
    let x: Vec<f32> = (0..net.n_inputs() * t_len * b_len)
        .map(|k| (k as f32 * 0.37).sin())
        .collect();
    let mut traj = Trajectory::default();
    forward(&net, &x, t_len, b_len, None, &mut traj);
    let stride = (t_len + 1) * b_len;
    for i in 0..net.n_neurons() {
        for l in 0..t_len * b_len {
            let volt = traj.states[i * stride + b_len + l];
            let rate = net.config.activation.apply(volt);
            assert_eq!(traj.rates[i * t_len * b_len + l], rate);
            assert_eq!(traj.voltage_rates[i * stride + b_len + l], rate);
        }
        assert_eq!(traj.states[i * stride], 0.0);
        assert_eq!(
            traj.voltage_rates[i * stride],
            net.config.activation.apply(0.0)
        );
    }
}
