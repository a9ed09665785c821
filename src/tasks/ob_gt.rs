//! Trials in neurogym's supervised form: `ob` `[T, n_inputs]` (the observations, our
//! inputs as they are: fixation input first, then the stimulus rings and the rule units)
//! and `gt` `[T]`, the ground-truth action per step. neurogym's Yang-style tasks encode
//! the action as `0` = fixate and `1 + k` = respond towards output ring unit `k`; here it
//! is read off the targets: `0` while the fixation target is high (> 0.5, i.e. before the
//! response period and on no-go trials), else `1 +` the ring unit with the largest target
//! (the unit nearest the target direction, which rotates in Mod-Cog's "seq" tasks).

use super::yang::{N_OUTPUTS, RING};
use super::Trial;
use crate::error::{Error, Result};
use ndarray::Array2;

/// `(ob, gt)` of a trial with the Yang / Mod-Cog output layout (fixation + 32-unit ring).
/// Other layouts have no action encoding and give an error naming the output count.
pub fn neurogym_arrays(trial: &Trial) -> Result<(Array2<f32>, Vec<i64>)> {
    let targets = &trial.targets;
    if targets.ncols() != N_OUTPUTS {
        return Err(Error::field(
            "task outputs",
            targets.ncols(),
            "must be 33 (fixation + 32-unit ring, the Yang / Mod-Cog layout) for a neurogym gt",
        ));
    }
    let gt = targets
        .rows()
        .into_iter()
        .map(|row| {
            if row[0] > 0.5 {
                return 0;
            }
            let mut best = 0;
            for k in 1..RING {
                if row[1 + k] > row[1 + best] {
                    best = k;
                }
            }
            1 + best as i64
        })
        .collect();
    Ok((trial.inputs.clone(), gt))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::SimRng;
    use crate::tasks::registry::build_task;
    use crate::tasks::yang::render::preferred;
    use crate::tasks::TrialLabel;

    #[test]
    fn gt_fixates_then_points_at_the_target_unit() {
        let task = build_task("yang-delaygo", &serde_json::Value::Null).unwrap();
        let mut rng = SimRng::new(5);
        for _ in 0..20 {
            let trial = task.trial(&mut rng);
            let (ob, gt) = neurogym_arrays(&trial).unwrap();
            assert_eq!(ob, trial.inputs);
            assert_eq!(gt.len(), trial.n_steps());
            let go = trial.period("go").unwrap().clone();
            assert!(gt[..go.start].iter().all(|&a| a == 0), "{gt:?}");
            let TrialLabel::Angle(target) = trial.label else {
                panic!("go trials have an angle")
            };
            // the unit nearest the target direction, 1-based after fixation
            let nearest = (0..RING)
                .min_by(|&a, &b| {
                    let da = crate::tasks::yang::render::circular_distance(preferred(a), target);
                    let db = crate::tasks::yang::render::circular_distance(preferred(b), target);
                    da.total_cmp(&db)
                })
                .unwrap();
            assert!(
                gt[go.start..].iter().all(|&a| a == 1 + nearest as i64),
                "{gt:?}"
            );
        }
    }

    #[test]
    fn no_go_trials_fixate_throughout_and_other_layouts_are_refused() {
        let task = build_task("yang-dmsgo", &serde_json::Value::Null).unwrap();
        let mut rng = SimRng::new(9);
        let mut saw_nogo = false;
        for _ in 0..40 {
            let trial = task.trial(&mut rng);
            let (_, gt) = neurogym_arrays(&trial).unwrap();
            if trial.label == TrialLabel::Fixate {
                saw_nogo = true;
                assert!(gt.iter().all(|&a| a == 0));
            } else {
                assert!(gt.last().is_some_and(|&a| a >= 1));
            }
        }
        assert!(saw_nogo);
        let jl = build_task("jl-xor", &serde_json::Value::Null).unwrap();
        let e = neurogym_arrays(&jl.trial(&mut rng))
            .unwrap_err()
            .to_string();
        assert!(e.contains("task outputs") && e.contains('1'), "{e}");
    }
}
