//! Fuzz target `model_file`: [`sparse_rnn_lab::persist::load_model`] on arbitrary UTF-8.
//!
//! The seeds in `corpus/model_file/` are real `save_model` outputs, so most inputs are
//! mutations of a valid model file. Properties checked:
//! - loading never panics and never allocates more than the declared data warrants
//!   (libFuzzer's `-rss_limit_mb` turns an oversized allocation into a crash);
//! - whatever loads saves again and reloads to the same network and step count.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sparse_rnn_lab::persist::{load_model, save_model};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok((network, steps)) = load_model(text) else {
        return;
    };
    let saved = save_model(&network, steps);
    let (again, steps_again) = load_model(&saved).expect("a loaded model must reload after saving");
    assert_eq!(steps_again, steps);
    assert_eq!(again, network, "save/load round trip changed the network");
});
