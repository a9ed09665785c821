//! Native benchmark of the standard training workload (`shared/bench/README.md`):
//! prints one table row per workload. `cargo bench --bench training [-- names...]`.
//! Uses the reference data in `$BENCH_DATA` when present (else statistically identical
//! synthetic arrays), one thread. `--json` prints one JSON line per workload with
//! `runtime` ("native", or "native-fma" for a `-C target-feature=+fma` build), `workers`,
//! `flavour` and the `BenchResult` fields (`name`, `ms_per_step`, ...).

use sparse_rnn_lab::kernels::kernel_flavour;
use sparse_rnn_lab::lab::bench::{time_workload, ReferenceArrays, Workload, WorkloadSpec};
use sparse_rnn_lab::model::Activation;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let json = args.iter().any(|a| a == "--json");
    let wanted: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    let clock = Instant::now();
    let mut now_ms = || clock.elapsed().as_secs_f64() * 1000.0;
    if !json {
        println!("| runtime | workload | nnz | ms/step (median) | min..max | neuron-step upd/s | GFLOP/s (nnz model) | data |");
        println!("|---|---|---|---|---|---|---|---|");
    }
    for spec in WorkloadSpec::standard() {
        if !wanted.is_empty() && !wanted.iter().any(|w| **w == spec.name) {
            continue;
        }
        let from_file = std::env::var("BENCH_DATA").ok().and_then(|root| {
            ReferenceArrays::load_dir(&std::path::Path::new(&root).join(&spec.name)).ok()
        });
        let (spec, arrays, source) = match from_file {
            Some((spec, arrays)) => (spec, arrays, "gen_data.py"),
            None => {
                let arrays = ReferenceArrays::synthetic(&spec, 1234);
                (spec, arrays, "synthetic")
            }
        };
        let mut workload = Workload::new(spec, &arrays, Activation::Relu).expect("workload");
        let r = time_workload(&mut workload, &mut now_ms, 2, 5, 400.0).expect("bench step");
        if json {
            let mut value = serde_json::to_value(&r).expect("serialisable");
            value["runtime"] = if kernel_flavour() == "fma" {
                "native-fma"
            } else {
                "native"
            }
            .into();
            value["workers"] = 1.into();
            value["flavour"] = kernel_flavour().into();
            value["data"] = source.into();
            println!("{value}");
            continue;
        }
        println!(
            "| native | {} | {} | {:.2} | {:.2}..{:.2} | {:.3e} | {:.1} | {} |",
            r.name,
            r.nnz,
            r.ms_per_step,
            r.min_ms,
            r.max_ms,
            r.neuron_steps_per_s,
            r.gflops,
            source
        );
    }
}
