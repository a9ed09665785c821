//! The memory estimate (`sparse_rnn_lab::budget`) against the heap actually used: a
//! counting global allocator records the peak while a run description is parsed, its
//! network and trainer built and one step trained, for several sizes, rules and dynamics.
//! The estimate must be within a factor of the measured peak (it is an estimate: it may
//! over-count, but it must not under-count by much, or the budget would let an
//! out-of-memory abort through). One test function, so no other test allocates meanwhile.

use serde_json::{json, Value};
use sparse_rnn_lab::budget::{run_estimate, RunShape};
use sparse_rnn_lab::lab::run::parse_run;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

struct Counting;
static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grow(bytes: usize) {
    let now = CURRENT.fetch_add(bytes, Relaxed) + bytes;
    PEAK.fetch_max(now, Relaxed);
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grow(layout.size());
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        CURRENT.fetch_sub(layout.size(), Relaxed);
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // old and new blocks coexist during the copy
        grow(new_size);
        let out = System.realloc(ptr, layout, new_size);
        CURRENT.fetch_sub(layout.size(), Relaxed);
        out
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// (estimated bytes, measured peak bytes) of parsing, building and one step of `config`.
fn measure(config: Value) -> (f64, f64) {
    let base = CURRENT.load(Relaxed);
    PEAK.store(base, Relaxed);
    let setup = parse_run(config).expect("config");
    let shape = RunShape::new(&setup.network, setup.task.as_ref(), &setup.task_id);
    let estimate = run_estimate(&shape, &setup.train, &setup.rule).total();
    let mut trainer = setup.into_trainer().expect("trainer");
    trainer.train_step().expect("step");
    let peak = (PEAK.load(Relaxed) - base) as f64;
    drop(trainer);
    (estimate, peak)
}

#[test]
fn the_estimate_brackets_the_measured_peak() {
    let cases = [
        (
            "dense N 512, batch 16, yang-go",
            json!({"network": {"n_neurons": 512, "connectivity": "dense"}, "train": {"batch_size": 16}, "task": {"id": "yang-go"}}),
        ),
        (
            "k 32 N 2048, batch 8, yang-go",
            json!({"network": {"n_neurons": 2048, "k": 32}, "train": {"batch_size": 8}, "task": {"id": "yang-go"}}),
        ),
        (
            "autapse N 4096, batch 8, yang-dm1",
            json!({"network": {"n_neurons": 4096, "connectivity": "autapse"}, "train": {"batch_size": 8}, "task": {"id": "yang-dm1"}}),
        ),
        (
            "local N 1024 r 4, batch 8",
            json!({"network": {"n_neurons": 1024, "connectivity": "local", "radius": 4}, "train": {"batch_size": 8}, "task": {"id": "yang-go"}}),
        ),
        (
            "packed yang-mixture with recurrent noise, k 16 N 2048, batch 16",
            json!({"network": {"n_neurons": 2048, "k": 16, "rec_noise_std": 0.1}, "train": {"batch_size": 16}, "task": {"id": "yang-mixture"}}),
        ),
        (
            "voltage dense N 256, batch 8, jl-flipflop",
            json!({"network": {"n_neurons": 256, "connectivity": "dense", "dynamics": "voltage"}, "train": {"batch_size": 8}, "task": {"id": "jl-flipflop"}}),
        ),
        (
            "DFA N 512 k 64, batch 8",
            json!({"network": {"n_neurons": 512, "k": 64}, "train": {"batch_size": 8}, "task": {"id": "jl-xor"}, "rule": "direct-feedback-alignment"}),
        ),
        (
            "PC N 512 k 32, batch 8",
            json!({"network": {"n_neurons": 512, "k": 32}, "train": {"batch_size": 8}, "task": {"id": "jl-xor"}, "rule": {"rule": "predictive-coding", "iterations": 3}}),
        ),
        (
            "BEAN N 512 k 32, batch 8",
            json!({"network": {"n_neurons": 512, "k": 32}, "train": {"batch_size": 8}, "task": {"id": "jl-xor"}, "rule": "bean"}),
        ),
        (
            "turcu N 1024 identity, batch 32",
            json!({"network": {"n_neurons": 1024, "k": 16, "input_map": "identity", "readout": "population"}, "task": {"id": "turcu-classification", "n_patterns": 200}}),
        ),
    ];
    println!("| run | estimate MiB | measured peak MiB | ratio | s |");
    let mut failures = Vec::new();
    for (label, config) in cases {
        let start = std::time::Instant::now();
        let (estimate, peak) = measure(config);
        let seconds = start.elapsed().as_secs_f64();
        let ratio = estimate / peak;
        let mib = 1024.0 * 1024.0;
        println!(
            "| {label} | {:.1} | {:.1} | {ratio:.2} | {seconds:.1} |",
            estimate / mib,
            peak / mib
        );
        if !(0.8..=4.0).contains(&ratio) {
            failures.push(format!("{label}: estimate/peak = {ratio:.2}"));
        }
    }
    assert!(failures.is_empty(), "{failures:?}");
}
