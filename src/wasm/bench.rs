//! Benchmark and determinism entry points for node and the browser (same core code as
//! the native `cargo bench --bench training`).

use super::json::to_js;
use crate::lab::bench::{time_workload, ReferenceArrays, Workload, WorkloadSpec};
use crate::model::Activation;
use wasm_bindgen::prelude::*;

/// `performance.now()` of the current global (window, worker or node).
pub(super) fn now_ms() -> f64 {
    let performance =
        js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("performance")).ok();
    let now = performance
        .as_ref()
        .and_then(|p| js_sys::Reflect::get(p, &JsValue::from_str("now")).ok())
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    match (performance, now) {
        (Some(p), Some(f)) => f
            .call0(&p)
            .ok()
            .and_then(|v| v.as_f64())
            .unwrap_or_else(js_sys::Date::now),
        _ => js_sys::Date::now(),
    }
}

/// Time the standard training workload `name` (e.g. "n256_sp10"; see
/// `WorkloadSpec::standard`) on synthetic data with the reference distributions; each of
/// 5 repetitions lasts about `target_ms`. Returns `{name, nnz, ms_per_step, min_ms,
/// max_ms, neuron_steps_per_s, gflops, repetitions}`.
#[wasm_bindgen(js_name = benchWorkload)]
pub fn bench_workload(name: &str, target_ms: f64) -> Result<JsValue, JsError> {
    let spec = WorkloadSpec::by_name(name)?;
    let arrays = ReferenceArrays::synthetic(&spec, 1234);
    let mut workload = Workload::new(spec, &arrays, Activation::Relu)?;
    let mut clock = now_ms;
    let result = time_workload(&mut workload, &mut clock, 2, 5, target_ms.max(1.0))?;
    Ok(to_js(&result)?)
}

/// Fingerprint (hex) of the weights after `steps` steps of the fixed determinism probe;
/// equals the native value for the same `steps`.
#[wasm_bindgen(js_name = determinismProbe)]
pub fn determinism_probe(steps: usize) -> Result<String, JsError> {
    Ok(format!(
        "{:#x}",
        crate::lab::fingerprint::determinism_probe(steps)?
    ))
}

/// The kernels' numeric flavour of this wasm build ("baseline", "fma" or
/// "relaxed-unfused"); see `kernels::kernel_flavour`.
#[wasm_bindgen(js_name = kernelFlavour)]
pub fn kernel_flavour() -> String {
    crate::kernels::kernel_flavour().into()
}

/// Phase profile of `steps` training steps of preset `preset_id` with `train.batching` =
/// `batching` (see `lab::profile::profile_run`; with the preset's amortised evaluation
/// when `with_eval` and it has a long run), timed with `performance.now()`. Returns the
/// `StepProfile` record with `flavour`, `preset` and `batching`.
#[wasm_bindgen(js_name = profileStep)]
pub fn profile_step(
    preset_id: &str,
    batching: &str,
    steps: usize,
    with_eval: bool,
) -> Result<JsValue, JsError> {
    let preset = crate::lab::presets::preset(preset_id)?;
    let evaluation = preset
        .long_run
        .as_ref()
        .filter(|_| with_eval)
        .map(|l| (l.per_task_trials, l.eval_every));
    let mut run = preset.run.clone();
    run["train"]["batching"] = batching.into();
    let mut clock = now_ms;
    let profile =
        crate::lab::profile::profile_run(run, steps.clamp(1, 1000), evaluation, &mut clock)?;
    let mut value = serde_json::to_value(&profile).map_err(|e| JsError::new(&e.to_string()))?;
    value["flavour"] = crate::kernels::kernel_flavour().into();
    value["preset"] = preset_id.into();
    value["batching"] = batching.into();
    Ok(to_js(&value)?)
}

/// ns per draw of the normal samplers adding noise to a buffer of `draws` f32 values (see
/// `lab::sampler_bench::time_samplers`, 5 repetitions, median), timed with
/// `performance.now()`. Returns the list of `{sampler, ns_per_draw, draws, checksum}`.
#[wasm_bindgen(js_name = benchSamplers)]
pub fn bench_samplers(draws: usize) -> Result<JsValue, JsError> {
    let mut clock = now_ms;
    let rows = crate::lab::sampler_bench::time_samplers(draws.clamp(1, 1 << 24), 5, &mut clock);
    Ok(to_js(&rows)?)
}

/// Phase profile of one ridge step of the run description `config` (a `reservoir` rule
/// with a ridge readout; see `lab::reservoir_profile::profile_reservoir`), timed with
/// `performance.now()`. Returns `{units, steps, batch_size, synapses, samples, rows:
/// [{phase, ms, gflop}], flavour}`.
#[wasm_bindgen(js_name = profileReservoir)]
pub fn profile_reservoir(config: JsValue) -> Result<JsValue, JsError> {
    let run = super::json::json_arg(&config, "config", "")?;
    let mut clock = now_ms;
    let profile = crate::lab::reservoir_profile::profile_reservoir(run, &mut clock)?;
    let mut value = serde_json::to_value(&profile).map_err(|e| JsError::new(&e.to_string()))?;
    value["flavour"] = crate::kernels::kernel_flavour().into();
    Ok(to_js(&value)?)
}
