//! Reading what a command starts from: run descriptions and saved models, each error
//! naming the file.

use sparse_rnn_lab::lab::session::{Resume, Session};
use std::path::Path;

/// Read a file as text, naming it in the error.
pub fn read_text(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// Read and parse a JSON file, naming it in the error.
pub fn read_json(path: &Path) -> Result<serde_json::Value, String> {
    serde_json::from_str(&read_text(path)?).map_err(|e| format!("{}: {e}", path.display()))
}

/// The run description's session, from fresh weights or from a saved model (`resume`),
/// whose network config must equal the run's.
pub fn open_session(config: serde_json::Value, resume: Option<&Path>) -> Result<Session, String> {
    match resume {
        None => Session::new(config).map_err(|e| e.to_string()),
        Some(saved) => Session::from_model(config, &read_text(saved)?, Resume::SameNetwork)
            .map_err(|e| format!("{}: {e}", saved.display())),
    }
}
