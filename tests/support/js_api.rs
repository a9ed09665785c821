//! Helpers shared by the wasm tests run in Node (`wasm_node`, `wasm_node_runs`): a small
//! run description and JS object access.
#![allow(dead_code)]

use js_sys::{Reflect, JSON};
use sparse_rnn_lab::wasm::Simulator;
use wasm_bindgen::{JsCast, JsError, JsValue};

/// A small Turcu & Abbott network that learns within a few dozen steps.
pub const SMALL: &str = r#"{
    "network": { "n_neurons": 32, "k": 8, "connectivity": "fixed-in-degree",
                 "activation": "rectified-tanh", "input_map": "identity",
                 "readout": "population", "readout_fraction": 0.5,
                 "dt_ms": 10, "tau_ms": 100, "gain": 1.0, "seed": 3 },
    "train": { "learning_rate": 0.01, "batch_size": 16, "seed": 5 },
    "task": { "id": "turcu-classification", "n_patterns": 8 }
}"#;

pub fn parse(json: &str) -> JsValue {
    JSON::parse(json).unwrap()
}

/// `config` with `value` stored at `section.field`.
pub fn with(section: &str, field: &str, value: JsValue) -> JsValue {
    let config = parse(SMALL);
    let part = Reflect::get(&config, &section.into()).unwrap();
    Reflect::set(&part, &field.into(), &value).unwrap();
    config
}

pub fn get(object: &JsValue, key: &str) -> JsValue {
    Reflect::get(object, &key.into()).unwrap()
}

pub fn message(error: JsError) -> String {
    let value: JsValue = error.into();
    value.unchecked_into::<js_sys::Error>().message().into()
}

pub fn construction_error(config: JsValue) -> String {
    match Simulator::new(config) {
        Ok(_) => panic!("config was accepted"),
        Err(error) => message(error),
    }
}
