//! Defaults that follow other fields. A field's default must never break a bound set by
//! another field the user did give: `k` (default 16) follows `n_neurons` (it becomes
//! min(16, N − 1), at least 1), and when validation still refuses a field the user did
//! not set (e.g. `dt_ms` taken from the task but larger than a given `tau_ms`), the error
//! says the value was a default.

use crate::error::Error;
use crate::model::{Connectivity, NetworkConfig};
use serde_json::{Map, Value};

/// The in-degree used when `k` is not given: 16, or N − 1 for smaller networks (at least 1).
pub const DEFAULT_K: usize = 16;

/// The default `k` for `n_neurons` neurons: min(16, N − 1), at least 1.
pub fn default_k(n_neurons: usize) -> usize {
    DEFAULT_K.min(n_neurons.saturating_sub(1)).max(1)
}

/// Fill in the defaults of `config` that depend on other fields, for the keys missing
/// from `given` (the network section as written by the user).
pub fn apply_network_defaults(config: &mut NetworkConfig, given: &Map<String, Value>) {
    if !given.contains_key("k") && config.connectivity == Connectivity::FixedInDegree {
        config.k = default_k(config.n_neurons);
    }
}

/// If `error` is about a network field that the user did not set (missing from `given`),
/// say so in its value: "…, but is 20 (not set: the default, or taken from the task)".
pub fn explain_defaulted(error: Error, given: &Map<String, Value>) -> Error {
    match error {
        Error::InvalidField {
            field,
            value,
            expected,
        } if !given.contains_key(field) => Error::InvalidField {
            field,
            value: format!(
                "{value} (`network.{field}` was not set: this is its default or the task's value)"
            ),
            expected,
        },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn k_follows_small_networks_and_errors_say_a_value_was_defaulted() {
        assert_eq!(default_k(10), 9);
        assert_eq!(default_k(1000), 16);
        assert_eq!(default_k(1), 1);
        let mut c = NetworkConfig {
            n_neurons: 10,
            ..Default::default()
        };
        apply_network_defaults(&mut c, &Map::new());
        assert_eq!(c.k, 9);
        assert!(c.validate().is_ok());
        let given: Map<String, Value> = serde_json::from_str(r#"{"k": 40}"#).unwrap();
        let mut c = NetworkConfig {
            n_neurons: 10,
            k: 40,
            ..Default::default()
        };
        apply_network_defaults(&mut c, &given);
        assert_eq!(c.k, 40, "a given k is kept");
        let e = explain_defaulted(c.validate().unwrap_err(), &given).to_string();
        assert!(!e.contains("not set"), "{e}");
        let e = Error::field("dt_ms", 20, "must be <= tau_ms");
        let e = explain_defaulted(e, &Map::new()).to_string();
        assert!(e.contains("`dt_ms`") && e.contains("was not set"), "{e}");
    }
}
