//! `srnn export` and `srnn train --npz`: the Python-ready `.npz`
//! ([`sparse_rnn_lab::lab::export`]).

use crate::cli::ExportArgs;
use crate::inputs::{open_session, read_json};
use sparse_rnn_lab::lab::export::export_session_npz;
use sparse_rnn_lab::lab::session::Session;
use std::path::Path;

/// Write the session's network and plotted trial to `path`.
pub fn write_npz(session: &Session, path: &Path) -> Result<(), String> {
    let bytes = export_session_npz(session).map_err(|e| e.to_string())?;
    std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
}

/// `srnn export --config run.json --model model.json --out net.npz`.
pub fn export(args: &ExportArgs) -> Result<(), String> {
    let session = open_session(read_json(&args.config)?, Some(&args.model))?;
    write_npz(&session, &args.out)
}
