//! `srnn reproduce <paper|paper/group|all> [--quick] [--charts] [--models DIR]`: one JSON
//! line per claim on stdout (without its chart unless `--charts`: stdout is pure JSON
//! lines), then `reproduce: N of M claims hold` on stderr. `--models DIR` keeps the Jarne &
//! Laje networks there (loaded when present, written as each finishes) and the Khona
//! sparsity sweep's study in `DIR/khona-study` (curves and models; `--models results`
//! reads the LM-RNN study's committed curves in `results/khona-study`).

use crate::cli::ReproduceArgs;
use sparse_rnn_lab::lab::claims::{run_claim, run_paper, Claim};

/// Run the claims named by `args` and print them as they finish.
pub fn reproduce(args: &ReproduceArgs) -> Result<(), String> {
    sparse_rnn_lab::lab::claims::jarne_laje::set_model_dir(args.models.clone());
    sparse_rnn_lab::lab::claims::khona::set_study_dir(
        args.models.as_ref().map(|dir| dir.join("khona-study")),
    );
    let (mut held, mut total) = (0, 0);
    let mut print = |mut claim: Claim| {
        total += 1;
        held += claim.holds as usize;
        if !args.charts {
            claim.chart = None;
        }
        println!("{}", serde_json::to_string(&claim).unwrap_or_default());
    };
    match args.paper.split_once('/') {
        Some((paper, group)) => run_claim(paper, group, args.quick, &mut print),
        None => run_paper(&args.paper, args.quick, &mut print),
    }
    .map_err(|e| e.to_string())?;
    eprintln!("reproduce: {held} of {total} claims hold");
    Ok(())
}
