//! Scratch: tune the Turcu classification defaults.
use sparse_rnn_lab::model::*;
use sparse_rnn_lab::rng::SimRng;
use sparse_rnn_lab::tasks::turcu::*;
use sparse_rnn_lab::tasks::*;
use sparse_rnn_lab::train::*;

fn main() {
    let args: Vec<f64> = std::env::args().skip(1).map(|a| a.parse().unwrap()).collect();
    let (n, k, p, lr, steps, act) = (args[0] as usize, args[1] as usize, args[2] as usize, args[3], args[4] as usize, args[5] as usize);
    let activation = [Activation::Relu, Activation::RectifiedTanh, Activation::Tanh, Activation::Softplus][act];
    let task = PatternClassification::new(PatternConfig { n_patterns: p, pattern_dim: n, ..Default::default() }).unwrap();
    let net = Network::new(NetworkConfig {
        n_neurons: n, n_inputs: n, connectivity: Connectivity::FixedInDegree, k, activation,
        dt_ms: 10.0, tau_ms: 100.0, input_map: InputMap::Identity, readout: Readout::Population, gain: args.get(6).cloned().unwrap_or(0.9), ..Default::default()
    }).unwrap();
    let longer = task.with_response_ms(900.0);
    let mut trainer = Trainer::new(net, Box::new(task.clone()), TrainConfig { learning_rate: lr, batch_size: p.min(64), clip_norm: 1.0, loss: LossKind::Mse, seed: 1 }).unwrap();
    let t0 = std::time::Instant::now();
    for s in 0..steps {
        let st = trainer.train_step().unwrap();
        if s % (steps / 10).max(1) == 0 || s == steps - 1 {
            let all = TrialBatch::pack(task.all_trials(&mut SimRng::new(0)));
            let (l, acc) = evaluate_batch(&trainer.network, &task, &all, LossKind::Mse);
            let all_long = TrialBatch::pack(longer.all_trials(&mut SimRng::new(0)));
            let (_, late) = evaluate_batch(&trainer.network, &longer, &all_long, LossKind::Mse);
            println!("step {} train loss {:.4} eval loss {:.4} acc {:.3} late acc {:.3} ({:.1}s)", st.step, st.loss, l, acc, late, t0.elapsed().as_secs_f32());
        }
    }
}
