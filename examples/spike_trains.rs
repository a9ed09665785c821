//! Simulate a fixed spiking network on a fixed input and print its spike trains, for the
//! comparison with snnTorch (`benches/peers/snntorch_spikes.py`).
//!
//! Reads JSON on stdin: `{"tau_mem_ms", "tau_syn_ms", "threshold", "reset", "dt_ms",
//! "w_rec": [[N×N]], "w_in": [[N×I]], "inputs": [[[T×I]] per trial]}` (row = postsynaptic);
//! writes `{"spikes": [[[T×N]] per trial], "seconds": …}` on stdout.

use serde::Deserialize;
use sparse_rnn_lab::model::SpikingConfig;
use sparse_rnn_lab::model::{Connectivity, Csr, Dynamics, Network, NetworkConfig, ResetMode};
use sparse_rnn_lab::train::{forward, Trajectory};
use std::io::Read;

#[derive(Deserialize)]
struct Case {
    tau_mem_ms: f64,
    tau_syn_ms: f64,
    threshold: f64,
    reset: ResetMode,
    dt_ms: f64,
    w_rec: Vec<Vec<f32>>,
    w_in: Vec<Vec<f32>>,
    inputs: Vec<Vec<Vec<f32>>>,
}

fn dense(rows: &[Vec<f32>]) -> Csr {
    let mut m = Csr::dense(rows.len(), rows.first().map_or(0, Vec::len));
    m.values = rows.iter().flatten().cloned().collect();
    m
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut text = String::new();
    std::io::stdin().read_to_string(&mut text)?;
    let case: Case = serde_json::from_str(&text)?;
    let (n, n_in) = (case.w_rec.len(), case.w_in[0].len());
    let (b_len, t_len) = (case.inputs.len(), case.inputs[0].len());
    let config = NetworkConfig {
        n_neurons: n,
        n_inputs: n_in,
        n_outputs: 1,
        connectivity: Connectivity::Dense,
        dynamics: Dynamics::Lif,
        dt_ms: case.dt_ms,
        tau_ms: case.dt_ms.max(1.0),
        spiking: SpikingConfig {
            tau_mem_ms: case.tau_mem_ms,
            tau_syn_ms: case.tau_syn_ms,
            threshold: case.threshold,
            reset: case.reset,
            ..SpikingConfig::default()
        },
        ..NetworkConfig::default()
    };
    let w_out = Csr::dense(1, n);
    let net = Network::from_parts(
        config,
        dense(&case.w_rec),
        dense(&case.w_in),
        vec![0.0; n],
        w_out,
    )?;
    // [I][T·B], the batch contiguous
    let mut inputs = vec![0.0f32; n_in * t_len * b_len];
    for (b, trial) in case.inputs.iter().enumerate() {
        for (t, row) in trial.iter().enumerate() {
            for (j, x) in row.iter().enumerate() {
                inputs[j * t_len * b_len + t * b_len + b] = *x;
            }
        }
    }
    let mut traj = Trajectory::default();
    let start = std::time::Instant::now();
    forward(&net, &inputs, t_len, b_len, None, &mut traj);
    let seconds = start.elapsed().as_secs_f64();
    let spikes: Vec<Vec<Vec<f32>>> = (0..b_len)
        .map(|b| {
            (0..t_len)
                .map(|t| {
                    (0..n)
                        .map(|i| traj.rates[i * t_len * b_len + t * b_len + b])
                        .collect()
                })
                .collect()
        })
        .collect();
    println!(
        "{}",
        serde_json::json!({"spikes": spikes, "seconds": seconds})
    );
    Ok(())
}
