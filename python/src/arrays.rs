//! A network as NumPy arrays under the `.npz` export's keys
//! ([`sparse_rnn_lab::lab::export`]), and weights set back from such arrays.
//! Every array is built once in Rust and handed to NumPy without a further copy.

use crate::errors::config_error;
use numpy::{PyArray1, PyArrayMethods, PyReadonlyArrayDyn, PyUntypedArrayMethods};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde_json::{json, Value};
use sparse_rnn_lab::model::{Csr, Network};

/// `data` (row-major) as a NumPy float32 array of `shape`, owning the vector.
pub fn array<'py>(py: Python<'py>, data: Vec<f32>, shape: &[usize]) -> PyResult<Bound<'py, PyAny>> {
    Ok(PyArray1::from_vec(py, data).reshape(shape)?.into_any())
}

/// The `.npz` keys of the network: `W_in` `[N, I]`, `W_rec` `[N, N]` (effective weights),
/// `W_out` `[O, N]`, `b_rec`, `b_out`, `Connectivity_rec`, `Dale_rec`, `dale_signs`,
/// `init_state`, `alpha` and `config` (JSON: network config, run description, steps done).
pub fn network_arrays<'py>(
    py: Python<'py>,
    network: &Network,
    run: &Value,
    steps_done: usize,
) -> PyResult<Bound<'py, PyDict>> {
    let (n, inputs, outputs) = (network.n_neurons(), network.n_inputs(), network.n_outputs());
    let dict = PyDict::new(py);
    dict.set_item("W_in", array(py, network.w_in.to_dense(), &[n, inputs])?)?;
    dict.set_item("W_rec", array(py, network.w_rec.to_dense(), &[n, n])?)?;
    dict.set_item("W_out", array(py, network.w_out.to_dense(), &[outputs, n])?)?;
    dict.set_item("b_rec", array(py, network.bias.clone(), &[n])?)?;
    dict.set_item("b_out", array(py, vec![0.0; outputs], &[outputs])?)?;
    let mut mask = network.w_rec.clone();
    mask.values.iter_mut().for_each(|v| *v = 1.0);
    dict.set_item("Connectivity_rec", array(py, mask.to_dense(), &[n, n])?)?;
    let mut dale = vec![0.0f32; n * n];
    for (i, s) in network.neuron_sign.iter().enumerate() {
        dale[i * n + i] = *s;
    }
    dict.set_item("Dale_rec", array(py, dale, &[n, n])?)?;
    dict.set_item("dale_signs", array(py, network.neuron_sign.clone(), &[n])?)?;
    dict.set_item("init_state", array(py, vec![0.0; n], &[1, n])?)?;
    dict.set_item("alpha", array(py, vec![network.config.alpha()], &[])?)?;
    let config = json!({
        "schema": "sparse-rnn-lab/npz", "version": 1, "network": network.config,
        "run": run, "steps_done": steps_done,
    });
    dict.set_item("config", config.to_string())?;
    Ok(dict)
}

/// Keys [`network_arrays`] gives that are derived (masks, signs, constants) and that
/// [`set_weights`] accepts back without reading them.
const DERIVED: [&str; 7] = [
    "b_out",
    "Connectivity_rec",
    "Dale_rec",
    "dale_signs",
    "init_state",
    "alpha",
    "config",
];

/// Copy the dense `values` (`[rows, cols]`) into the synapses of `csr`; an entry off
/// the mask must be 0. Errors name `key`.
fn fill_csr(csr: &Csr, key: &str, values: &PyReadonlyArrayDyn<'_, f32>) -> PyResult<Vec<f32>> {
    let shape = values.shape();
    if shape != [csr.n_rows, csr.n_cols] {
        return Err(config_error(
            key,
            format!(
                "must have shape ({}, {}), but has {shape:?}",
                csr.n_rows, csr.n_cols
            ),
        ));
    }
    let dense = values
        .as_slice()
        .map_err(|_| config_error(key, "must be a C-contiguous float32 array".to_string()))?;
    let mut on_mask = vec![false; dense.len()];
    let mut out = Vec::with_capacity(csr.nnz());
    for r in 0..csr.n_rows {
        for s in csr.row_ptr[r]..csr.row_ptr[r + 1] {
            let index = r * csr.n_cols + csr.col_idx[s] as usize;
            on_mask[index] = true;
            out.push(dense[index]);
        }
    }
    for (index, (&value, &on)) in dense.iter().zip(&on_mask).enumerate() {
        if !value.is_finite() {
            return Err(config_error(
                key,
                format!(
                    "must be finite, but [{}, {}] is {value}",
                    index / csr.n_cols,
                    index % csr.n_cols
                ),
            ));
        }
        if value != 0.0 && !on {
            return Err(config_error(
                key,
                format!(
                    "must be 0 where the connectivity mask has no synapse, but [{}, {}] is {value}",
                    index / csr.n_cols,
                    index % csr.n_cols
                ),
            ));
        }
    }
    Ok(out)
}

/// `value` as a C-contiguous float32 array (converted by NumPy), errors naming `key`.
fn read_f32<'py>(key: &str, value: &Bound<'py, PyAny>) -> PyResult<PyReadonlyArrayDyn<'py, f32>> {
    let array = value
        .py()
        .import("numpy")?
        .call_method1("ascontiguousarray", (value, "float32"))
        .map_err(|e| config_error(key, format!("must be an array of numbers ({e})")))?;
    array
        .extract::<PyReadonlyArrayDyn<'py, f32>>()
        .map_err(|e| config_error(key, format!("must be a float32 array ({e})")))
}

/// Set the network's weights from a dict of arrays under [`network_arrays`]' keys (any
/// subset of `W_in`, `W_rec`, `W_out`, `b_rec`; the derived keys are accepted and not
/// read). With Dale's law each `W_rec` entry must carry its presynaptic neuron's sign.
/// Nothing changes unless every array is valid.
pub fn set_weights(network: &mut Network, weights: &Bound<'_, PyDict>) -> PyResult<()> {
    let mut w_in = None;
    let mut w_rec = None;
    let mut w_out = None;
    let mut bias = None;
    for (key, value) in weights.iter() {
        let key: String = key.extract()?;
        if DERIVED.contains(&key.as_str())
            || key.starts_with("trial_")
            || key == "ob"
            || key == "gt"
        {
            continue;
        }
        let values = read_f32(&key, &value)?;
        match key.as_str() {
            "W_in" => w_in = Some(fill_csr(&network.w_in, &key, &values)?),
            "W_rec" => w_rec = Some(fill_csr(&network.w_rec, &key, &values)?),
            "W_out" => w_out = Some(fill_csr(&network.w_out, &key, &values)?),
            "b_rec" => {
                let n = network.n_neurons();
                if values.shape() != [n] {
                    return Err(config_error(
                        &key,
                        format!("must have shape ({n},), but has {:?}", values.shape()),
                    ));
                }
                let slice = values
                    .as_slice()
                    .map_err(|e| config_error(&key, e.to_string()))?;
                if let Some(bad) = slice.iter().find(|v| !v.is_finite()) {
                    return Err(config_error(
                        &key,
                        format!("must be finite, but holds {bad}"),
                    ));
                }
                bias = Some(slice.to_vec());
            }
            other => {
                return Err(config_error(
                    other,
                    "is not a weight (W_in, W_rec, W_out, b_rec, or a derived key of weights())"
                        .to_string(),
                ))
            }
        }
    }
    if let Some(values) = &w_rec {
        if network.has_dale() {
            for (s, value) in values.iter().enumerate() {
                let pre = network.w_rec.col_idx[s] as usize;
                if *value * network.neuron_sign[pre] < 0.0 {
                    let post = network.w_rec.entry_rows()[s];
                    return Err(config_error(
                        "W_rec",
                        format!(
                            "must keep Dale's law: [{post}, {pre}] is {value}, but neuron {pre} has sign {}",
                            network.neuron_sign[pre]
                        ),
                    ));
                }
            }
        }
    }
    if let Some(values) = w_in {
        network.w_in.values = values;
    }
    if let Some(values) = w_out {
        network.w_out.values = values;
    }
    if let Some(values) = bias {
        network.bias = values;
    }
    if let Some(values) = w_rec {
        network.w_rec_param = if network.has_dale() {
            values.iter().map(|v| v.abs()).collect()
        } else {
            values
        };
    }
    network.refresh_effective_weights();
    Ok(())
}
