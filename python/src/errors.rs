//! The core's [`sparse_rnn_lab::Error`] as Python exceptions: `SrnnError` (a `ValueError`)
//! for every error, `ConfigError` (a subclass) when a run description's field is bad,
//! with the field's name in `.field` and in the message.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use sparse_rnn_lab::Error;

pyo3::create_exception!(
    _native,
    SrnnError,
    PyValueError,
    "An error of the Sparse RNN Lab core (the message names the field and the value)."
);
pyo3::create_exception!(
    _native,
    ConfigError,
    SrnnError,
    "A run description's field is invalid; `.field` names it."
);

/// The Python exception for a core error.
pub fn to_py(error: Error) -> PyErr {
    let message = error.to_string();
    let field = match &error {
        Error::InvalidField { field, .. } | Error::UnknownName { field, .. } => {
            Some(field.to_string())
        }
        Error::Shape { what, .. } => Some(what.to_string()),
        // `bad(path, ...)`: "`network.dt_ms` is invalid (...)"
        Error::Parse {
            what: "config",
            reason,
        } => reason.split('`').nth(1).map(str::to_string),
        _ => None,
    };
    match field {
        Some(field) => Python::attach(|py| {
            let err = ConfigError::new_err(message);
            // best effort: the message names the field either way
            let _ = err.value(py).setattr("field", field);
            err
        }),
        None => SrnnError::new_err(message),
    }
}

/// A [`ConfigError`] for a field of the Python API itself (not the core's).
pub fn config_error(field: &str, message: String) -> PyErr {
    Python::attach(|py| {
        let err = ConfigError::new_err(format!("`{field}` {message}"));
        let _ = err.value(py).setattr("field", field);
        err
    })
}

/// Add the exception classes to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("SrnnError", py.get_type::<SrnnError>())?;
    m.add("ConfigError", py.get_type::<ConfigError>())?;
    Ok(())
}
