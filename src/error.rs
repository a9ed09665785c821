//! The one error type of the core. Every variant names the offending field and value,
//! so the message can be shown to a user as is (the wasm layer turns it into a `JsError`).

/// Everything that can go wrong in the core, as data.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// A configuration field has a value outside its allowed range.
    #[error("invalid config: `{field}` {expected}, but is {value}")]
    InvalidField {
        /// Name of the field, as spelled in the JS/JSON config (`n_neurons`, `dt_ms`, ...).
        field: &'static str,
        /// The rejected value, formatted.
        value: String,
        /// What the field must satisfy, e.g. "must be > 0".
        expected: &'static str,
    },
    /// A string option (activation, task id, ...) is not one of the known names.
    #[error("invalid config: `{field}` must be one of [{allowed}], but is \"{value}\"")]
    UnknownName {
        /// Name of the field.
        field: &'static str,
        /// The rejected value.
        value: String,
        /// Comma-separated list of accepted names.
        allowed: String,
    },
    /// Two arrays that must agree in size do not.
    #[error("shape mismatch in `{what}`: expected {expected}, got {actual}")]
    Shape {
        /// Which array.
        what: &'static str,
        /// Expected length or shape.
        expected: String,
        /// Actual length or shape.
        actual: String,
    },
    /// Training produced a non-finite loss or gradient; the weights were rolled back.
    #[error("training diverged at step {step}: {quantity} is {value}; weights restored to the last finite state")]
    NonFinite {
        /// Training step at which it happened.
        step: usize,
        /// Which quantity went non-finite (loss, gradient norm, ...).
        quantity: &'static str,
        /// Its value (NaN or inf).
        value: f64,
    },
    /// A saved model or config could not be parsed.
    #[error("cannot parse {what}: {reason}")]
    Parse {
        /// What was being parsed.
        what: &'static str,
        /// Why it failed.
        reason: String,
    },
    /// Drawing a plot failed.
    #[error("plot failed: {0}")]
    Plot(String),
    /// The memory a configuration needs exceeds the budget, or an allocation failed; the
    /// message names the fields driving it (see [`crate::budget`]).
    #[error("too large: {0}")]
    TooLarge(String),
    /// Reading or writing a file failed (native only: the saved-network directory of the
    /// Jarne & Laje claims, `srnn reproduce --models`).
    #[error("{path}: {reason}")]
    Io {
        /// The file or directory.
        path: String,
        /// The operating system's message.
        reason: String,
    },
}

/// Result type of the core.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// Shorthand for [`Error::InvalidField`].
    pub fn field(
        field: &'static str,
        value: impl std::fmt::Display,
        expected: &'static str,
    ) -> Self {
        Error::InvalidField {
            field,
            value: value.to_string(),
            expected,
        }
    }
}

/// Check `value > 0` and finite, naming `field` in the error.
pub fn positive(field: &'static str, value: f64) -> Result<f64> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(Error::field(field, value, "must be a finite number > 0"))
    }
}

/// Check `value >= 0` and finite, naming `field` in the error.
pub fn non_negative(field: &'static str, value: f64) -> Result<f64> {
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(Error::field(field, value, "must be a finite number >= 0"))
    }
}

/// Check `lo <= value <= hi` and finite, naming `field` in the error.
pub fn in_range(
    field: &'static str,
    value: f64,
    lo: f64,
    hi: f64,
    expected: &'static str,
) -> Result<f64> {
    if value.is_finite() && value >= lo && value <= hi {
        Ok(value)
    } else {
        Err(Error::field(field, value, expected))
    }
}

/// Check an integer count is at least `min`, naming `field` in the error.
pub fn at_least(
    field: &'static str,
    value: usize,
    min: usize,
    expected: &'static str,
) -> Result<usize> {
    if value >= min {
        Ok(value)
    } else {
        Err(Error::field(field, value, expected))
    }
}

/// A configuration that has been checked once (the linfa `Params::check() -> ValidParams`
/// way): functions on the hot path take `Checked<T>` and never re-validate.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked<T>(T);

/// A configuration that can be checked into a [`Checked`] value.
pub trait Check: Sized {
    /// Check every field (errors name the field and its value).
    fn check_fields(&self) -> Result<()>;

    /// Check once and wrap.
    fn check(self) -> Result<Checked<Self>> {
        self.check_fields()?;
        Ok(Checked(self))
    }
}

impl<T> Checked<T> {
    /// The checked value.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for Checked<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

// ---- JSON configuration sections -------------------------------------------------------

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// A config parse error naming the field at `path` and its value.
pub fn bad(path: &str, expected: &str, value: String) -> Error {
    Error::Parse {
        what: "config",
        reason: format!("`{path}` {expected}, but is {value}"),
    }
}

/// `{}` for null, the map for an object, an error naming `path` otherwise.
pub fn object(value: Value, path: &str) -> Result<Map<String, Value>> {
    match value {
        Value::Null => Ok(Map::new()),
        Value::Object(map) => Ok(map),
        other => Err(bad(path, "must be an object", other.to_string())),
    }
}

/// Deserialize a `#[serde(default, deny_unknown_fields)]` section; on a type error, name
/// the offending field by re-parsing the fields one at a time.
pub fn section<T: DeserializeOwned>(map: &Map<String, Value>, path: &str) -> Result<T> {
    serde_json::from_value(Value::Object(map.clone())).map_err(|whole| {
        for (key, value) in map {
            let single = Map::from_iter([(key.clone(), value.clone())]);
            if let Err(error) = serde_json::from_value::<T>(Value::Object(single)) {
                return bad(
                    &format!("{path}.{key}"),
                    &format!("is invalid ({error})"),
                    value.to_string(),
                );
            }
        }
        Error::Parse {
            what: "config",
            reason: format!("{path}: {whole}"),
        }
    })
}
