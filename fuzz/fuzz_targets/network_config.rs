//! Fuzz target `network_config`: arbitrary JSON →
//! `serde_json::from_str::<NetworkConfig>` → [`NetworkConfig::validate`] →
//! [`Network::new`].
//!
//! `Network::new` runs only when the network is small (see [`small_enough`]), so that a
//! valid but large configuration cannot make one execution slow; the validation itself
//! always runs. A network that builds must also survive a save/load round trip.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sparse_rnn_lab::model::{Connectivity, InitKind, Network, NetworkConfig};
use sparse_rnn_lab::persist::{load_model, save_model};

/// Largest amount of work (roughly, scalar operations) a fuzzed network may cost to build.
const MAX_WORK: usize = 1 << 16;

/// Whether building `config` is cheap: the O(N²) masks (dense, random-density, local),
/// the O(N·k) fixed in-degree mask, the dense input and output maps, and the O(N³)
/// orthogonal initialisation and exact spectral radius all stay below [`MAX_WORK`].
fn small_enough(config: &NetworkConfig) -> bool {
    let n = config.n_neurons;
    let recurrent = match config.connectivity {
        Connectivity::FixedInDegree => n.checked_mul(config.k),
        Connectivity::Autapse => Some(n),
        Connectivity::Dense | Connectivity::RandomDensity | Connectivity::Local => n.checked_mul(n),
    };
    let cubic = config.init == InitKind::Orthogonal || config.spectral_radius.is_some();
    let terms = [
        recurrent,
        n.checked_mul(config.n_inputs),
        n.checked_mul(config.n_outputs),
        if cubic {
            n.checked_mul(n).and_then(|n2| n2.checked_mul(n))
        } else {
            Some(0)
        },
    ];
    terms
        .iter()
        .try_fold(0usize, |sum, t| t.and_then(|t| sum.checked_add(t)))
        .is_some_and(|work| work <= MAX_WORK)
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(config) = serde_json::from_str::<NetworkConfig>(text) else {
        return;
    };
    if config.validate().is_err() || !small_enough(&config) {
        return;
    }
    let Ok(network) = Network::new(config) else {
        return;
    };
    let (loaded, steps) =
        load_model(&save_model(&network, 7)).expect("a new network must save and reload");
    assert_eq!(steps, 7);
    assert_eq!(loaded, network, "save/load round trip changed the network");
});
