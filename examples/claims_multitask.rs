//! Run the Khona or Yang claims and print one JSON line per claim (a stand-in for
//! `srnn reproduce khona|yang [--quick]` until the CLI branch wires it):
//! `cargo run --release --example claims_multitask -- khona --quick`.

use sparse_rnn_lab::lab::claims::{khona, yang, Claim};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let quick = args.iter().any(|a| a == "--quick");
    let mut print =
        |claim: Claim| println!("{}", serde_json::to_string(&claim).unwrap_or_default());
    let result = match args.first().map(String::as_str) {
        Some("khona") => khona::run(quick, &mut print),
        Some("yang") => yang::run(quick, &mut print),
        _ => {
            eprintln!("usage: claims_multitask khona|yang [--quick]");
            std::process::exit(2);
        }
    };
    if let Err(e) = result {
        eprintln!("{e}");
        std::process::exit(1);
    }
}
