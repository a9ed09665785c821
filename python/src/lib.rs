//! `sparse_rnn_lab._native`: the Rust core of Sparse RNN Lab as a Python extension module
//! (PyO3, abi3 for CPython ≥ 3.9). The Python package `sparse_rnn_lab` wraps it (progress
//! bars, task adapters, the Jupyter widget); everything that trains goes through the core's
//! [`sparse_rnn_lab::lab::session::Session`], as `srnn train` and the page do.

mod arrays;
mod errors;
mod python_task;
mod session;

use pyo3::prelude::*;

/// The registry's tasks as a JSON list of `{id, name, paper, family}`.
#[pyfunction]
fn task_catalog_json() -> PyResult<String> {
    let tasks = sparse_rnn_lab::tasks::registry::task_ids();
    serde_json::to_string(&tasks).map_err(|e| errors::SrnnError::new_err(e.to_string()))
}

/// The claims of `paper` (`turcu`, ..., or `all`) reproduced, as a JSON list of claim
/// records; `quick` runs the reduced settings. The GIL is released while they train.
///
/// The one place that calls the claims module, so its shape can change behind it.
#[pyfunction]
#[pyo3(signature = (paper, quick = true))]
fn reproduce_json(py: Python<'_>, paper: String, quick: bool) -> PyResult<String> {
    let claims = py
        .detach(|| sparse_rnn_lab::lab::claims::claims(&paper, quick))
        .map_err(errors::to_py)?;
    serde_json::to_string(&claims).map_err(|e| errors::SrnnError::new_err(e.to_string()))
}

/// The network of a model file (the page's and the widget's "Save model" text) as the
/// `.npz` export's arrays (`W_in`, `W_rec`, `W_out`, masks, Dale signs, `config`).
#[pyfunction]
fn model_arrays<'py>(py: Python<'py>, model_text: &str) -> PyResult<Bound<'py, PyAny>> {
    let (network, steps_done) =
        sparse_rnn_lab::persist::load_model(model_text).map_err(errors::to_py)?;
    let run = serde_json::Value::Null;
    Ok(arrays::network_arrays(py, &network, &run, steps_done)?.into_any())
}

/// The kernel flavour of this build ("baseline" or "fma"): runs give bit-identical weights
/// within one flavour.
#[pyfunction]
fn kernel_flavour() -> &'static str {
    sparse_rnn_lab::kernels::kernel_flavour()
}

/// The extension module.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<session::Session>()?;
    m.add_function(wrap_pyfunction!(task_catalog_json, m)?)?;
    m.add_function(wrap_pyfunction!(reproduce_json, m)?)?;
    m.add_function(wrap_pyfunction!(model_arrays, m)?)?;
    m.add_function(wrap_pyfunction!(kernel_flavour, m)?)?;
    errors::register(m)?;
    Ok(())
}
