//! Khona et al.'s locality-masked RNN (LM-RNN) study, resumable: how many training steps
//! (= trials seen ÷ batch: the data efficiency) and how much CPU time a network needs to
//! reach a criterion on the authors'-form Mod-Cog, per mask kind (local on a 2-D sheet,
//! random of equal density, dense, autapse), density, learning rate and seed.
//!
//! A [`StudyPlan`] (JSON, checked once) expands into [`StudyPoint`]s, seed-major then
//! learning rate then arm, so the first seed of every arm finishes before any second
//! seed. Each point is one [`Session`] on the run description of
//! [`crate::lab::sweep::sparsity_run`] with the point's learning rate. A [`PointRun`]
//! trains `eval_every` steps at a time and returns one curve line per evaluation; the
//! caller appends it to the point's curve file and saves the model text
//! ([`PointRun::model_text`]) — model first, so a curve line never names a step the model
//! does not have. [`PointRun::open`] resumes from those two texts (a fresh optimizer, step
//! numbers continue) or reports the point finished. This module never touches files:
//! [`crate::lab::studies::khona_dir`] keeps a study in a directory.

use crate::error::{Error, Result};
use crate::lab::clock::{thread_cpu_seconds, Stopwatch};
use crate::lab::session::Session;
use crate::lab::sweep::sparsity_run;
use crate::math::stats::median;
use crate::persist::{load_model, save_model};
use serde::Deserialize;
use serde_json::{json, Value};

/// Largest steps cap of a point.
pub const MAX_STEPS: usize = 200_000;

/// One arm of the study: a mask kind and, for local and random, the sheet radius (which
/// sets the density; random masks take the local mask's density).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Arm {
    /// `local`, `random`, `dense` or `autapse`.
    pub mask: String,
    /// Sheet radius in grid units (local / random only).
    #[serde(default)]
    pub radius: f64,
}

/// What a study trains: the checked form of its JSON plan.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StudyPlan {
    /// The task: a registry id or a task object (`{"id": "ngym-modcog-mixture", "tasks":
    /// [...]}`).
    pub task: Value,
    /// Network sizes (square numbers: the sheet is √N × √N).
    pub n_neurons: Vec<usize>,
    /// The arms.
    pub arms: Vec<Arm>,
    /// Adam learning rates (each arm is measured at each; its best one is its result).
    pub learning_rates: Vec<f64>,
    /// Seeds (weights, masks, trials and the Mod-Cog environment).
    pub seeds: Vec<u64>,
    /// Steps cap per point.
    pub max_steps: usize,
    /// Evaluate (and write a curve line, and save the model) every this many steps.
    pub eval_every: usize,
    /// Trials per evaluation (a mixture's tasks share them).
    pub eval_trials: usize,
    /// Mean per-task performance at which a point stops (steps to criterion).
    pub criterion: f64,
}

impl StudyPlan {
    /// Parse and check a plan; errors name the field and value.
    pub fn from_json(value: Value) -> Result<Self> {
        let plan: StudyPlan = serde_json::from_value(value).map_err(|e| Error::Parse {
            what: "study plan",
            reason: e.to_string(),
        })?;
        if let Some(n) = plan.n_neurons.iter().find(|&&n| {
            let side = (n as f64).sqrt().round() as usize;
            n == 0 || side * side != n
        }) {
            return Err(Error::field("n_neurons", n, "must be positive squares"));
        }
        if let Some(arm) = plan
            .arms
            .iter()
            .find(|a| !["local", "random", "dense", "autapse"].contains(&a.mask.as_str()))
        {
            return Err(Error::field(
                "arms.mask",
                &arm.mask,
                "must be local, random, dense or autapse",
            ));
        }
        if let Some(arm) = plan.arms.iter().find(|a| {
            matches!(a.mask.as_str(), "local" | "random") && (a.radius.is_nan() || a.radius <= 0.0)
        }) {
            return Err(Error::field("arms.radius", arm.radius, "must be > 0"));
        }
        if let Some(lr) = plan
            .learning_rates
            .iter()
            .find(|&&lr| lr.is_nan() || lr <= 0.0 || lr >= 1.0)
        {
            return Err(Error::field("learning_rates", lr, "must be in (0, 1)"));
        }
        if plan.max_steps == 0 || plan.max_steps > MAX_STEPS {
            return Err(Error::field(
                "max_steps",
                plan.max_steps,
                "must be in 1..=200000",
            ));
        }
        if plan.eval_every == 0 {
            return Err(Error::field("eval_every", 0, "must be positive"));
        }
        if plan.eval_trials == 0 || plan.eval_trials > 8192 {
            return Err(Error::field(
                "eval_trials",
                plan.eval_trials,
                "must be in 1..=8192",
            ));
        }
        if plan.criterion.is_nan() || plan.criterion <= 0.0 || plan.criterion > 1.0 {
            return Err(Error::field(
                "criterion",
                plan.criterion,
                "must be in (0, 1]",
            ));
        }
        Ok(plan)
    }

    /// What a point's curve depends on besides the point itself (its key) and the step
    /// cap: the task, the evaluation schedule and trials, the criterion — as 16 hex digits
    /// of a 64-bit FNV-1a hash. Every curve line carries it, so a directory's curve is
    /// never read as another plan's (a curve line without it predates it and is taken as
    /// it is). The cap is left out so a study can be extended to more steps.
    pub fn fingerprint(&self) -> String {
        let text = format!(
            "{}|{}|{}|{}",
            self.task, self.eval_every, self.eval_trials, self.criterion
        );
        format!("{:016x}", crate::math::fnv::fnv1a(text.bytes()))
    }

    /// Whether a point whose curve ends in `last` (a curve line) is finished under this
    /// plan: it reached the criterion, or it trained up to this plan's step cap (a point
    /// stopped at a lower cap continues).
    pub fn finished(&self, last: &Value) -> bool {
        last["reached"] == true
            || last["step"]
                .as_u64()
                .is_some_and(|s| s as usize >= self.max_steps)
    }

    /// The points in run order: seed, then network size, then learning rate, then arm.
    pub fn points(&self) -> Vec<StudyPoint> {
        let mut points = Vec::new();
        for &seed in &self.seeds {
            for &n in &self.n_neurons {
                for &learning_rate in &self.learning_rates {
                    for arm in &self.arms {
                        points.push(StudyPoint {
                            n,
                            mask: arm.mask.clone(),
                            radius: arm.radius,
                            learning_rate,
                            seed,
                        });
                    }
                }
            }
        }
        points
    }
}

/// One network of the study.
#[derive(Debug, Clone, PartialEq)]
pub struct StudyPoint {
    /// Neurons.
    pub n: usize,
    /// Mask kind.
    pub mask: String,
    /// Sheet radius (local / random).
    pub radius: f64,
    /// Adam learning rate.
    pub learning_rate: f64,
    /// Seed.
    pub seed: u64,
}

impl StudyPoint {
    /// A file-name-safe key naming the point (`n256-local-r3-lr0.001-s1`).
    pub fn key(&self) -> String {
        let radius = match self.mask.as_str() {
            "local" | "random" => format!("-r{}", self.radius),
            _ => String::new(),
        };
        format!(
            "n{}-{}{radius}-lr{}-s{}",
            self.n, self.mask, self.learning_rate, self.seed
        )
    }

    /// The point's run description on `task`.
    pub fn run_description(&self, task: &Value) -> Result<Value> {
        let mut run = sparsity_run(task, self.n, &self.mask, self.radius, self.seed)?;
        run["train"]["learning_rate"] = self.learning_rate.into();
        Ok(run)
    }
}

/// The last curve line of a point's curve text, if any parses.
fn last_line(curve: &str) -> Option<Value> {
    curve
        .lines()
        .rev()
        .find_map(|l| serde_json::from_str::<Value>(l).ok())
}

/// One point being trained.
pub struct PointRun {
    /// The session (its network is what [`PointRun::model_text`] saves).
    pub session: Session,
    point: StudyPoint,
    density: f64,
    max_steps: usize,
    eval_every: usize,
    eval_trials: usize,
    criterion: f64,
    /// The plan's [`StudyPlan::fingerprint`], written into every curve line.
    fingerprint: String,
    /// Seconds and CPU seconds of earlier sessions of this point (from the curve).
    before: (f64, f64),
    clock: Stopwatch,
    done: bool,
}

impl PointRun {
    /// Open `point` of `plan`: from fresh weights, or from the saved `model` text and the
    /// `curve` text written so far. `None` when the curve is finished under this plan
    /// ([`StudyPlan::finished`]: a curve stopped at a lower step cap continues). Refused:
    /// a curve from another plan (its lines' `plan` fingerprint differs), and a curve with
    /// steps but no model (training again from step 0 would append a second curve).
    pub fn open(
        plan: &StudyPlan,
        point: &StudyPoint,
        model: Option<&str>,
        curve: Option<&str>,
    ) -> Result<Option<Self>> {
        let last = curve.and_then(last_line);
        if let Some(theirs) = last.as_ref().and_then(|l| l["plan"].as_str()) {
            if theirs != plan.fingerprint() {
                return Err(Error::field(
                    "curve",
                    format!(
                        "{} (plan {theirs}, this plan {})",
                        point.key(),
                        plan.fingerprint()
                    ),
                    "must come from a plan with the same task, evaluation and criterion",
                ));
            }
        }
        if last.as_ref().is_some_and(|l| plan.finished(l)) {
            return Ok(None);
        }
        let curve_step = last.as_ref().and_then(|l| l["step"].as_u64()).unwrap_or(0);
        if model.is_none() && curve_step > 0 {
            // Starting over would append a second curve from step 0 to the first one.
            return Err(Error::field(
                "model",
                format!(
                    "{} (missing; its curve reaches step {curve_step})",
                    point.key()
                ),
                "must exist when the point's curve has steps: move the curve aside to \
                 train the point again from step 0",
            ));
        }
        let config = point.run_description(&plan.task)?;
        let session = match model {
            None => Session::new(config)?,
            Some(text) => {
                let (network, steps_done) = load_model(text)?;
                let fresh = Session::new(config.clone())?;
                if network.config != fresh.trainer.network.config {
                    return Err(Error::field(
                        "model",
                        point.key(),
                        "must have the point's network config",
                    ));
                }
                Session::with_network(config, network, steps_done)?
            }
        };
        let before = last.map_or((0.0, 0.0), |l| {
            (
                l["seconds"].as_f64().unwrap_or(0.0),
                l["cpu_seconds"].as_f64().unwrap_or(0.0),
            )
        });
        Ok(Some(PointRun {
            density: session.trainer.network.w_rec.density(),
            session,
            point: point.clone(),
            max_steps: plan.max_steps,
            eval_every: plan.eval_every,
            eval_trials: plan.eval_trials,
            criterion: plan.criterion,
            fingerprint: plan.fingerprint(),
            before,
            clock: Stopwatch::start(),
            done: false,
        }))
    }

    /// Whether the point reached its criterion or its step cap.
    pub fn is_done(&self) -> bool {
        self.done || self.session.steps_done() >= self.max_steps
    }

    /// The model file text of the network now.
    pub fn model_text(&self) -> String {
        save_model(&self.session.trainer.network, self.session.steps_done())
    }

    /// Train up to `eval_every` steps, evaluate, and return the curve line: `{key, n,
    /// mask, radius, density, learning_rate, seed, step, performance, mean_per_task,
    /// per_task, train_loss, seconds, cpu_seconds, done, reached}`. `cpu_seconds` is the
    /// point's CPU time so far given the CPU seconds this session has used
    /// (`cpu_this_session`, from the caller's process clock; `None` where there is none).
    pub fn advance(&mut self, cpu_this_session: impl FnOnce() -> Option<f64>) -> Result<Value> {
        let chunk = self
            .eval_every
            .min(self.max_steps.saturating_sub(self.session.steps_done()))
            .max(1);
        let stats = self.session.train(chunk)?;
        let result = self.session.evaluate(self.eval_trials)?;
        let scores = result.per_task.unwrap_or_default();
        let mean_per_task = if scores.is_empty() {
            result.accuracy as f64
        } else {
            scores.iter().map(|s| s.score as f64).sum::<f64>() / scores.len() as f64
        };
        let reached = mean_per_task >= self.criterion;
        self.done = reached || self.session.steps_done() >= self.max_steps;
        let per_task: serde_json::Map<String, Value> = scores
            .iter()
            .map(|s| (s.task.clone(), (s.score as f64).into()))
            .collect();
        let p = &self.point;
        Ok(json!({
            "key": p.key(), "n": p.n, "mask": p.mask, "radius": p.radius,
            "density": self.density, "learning_rate": p.learning_rate, "seed": p.seed,
            "step": self.session.steps_done(), "performance": result.accuracy,
            "mean_per_task": mean_per_task, "per_task": per_task, "train_loss": stats.loss,
            "seconds": self.before.0 + self.clock.seconds(),
            "cpu_seconds": cpu_this_session().map(|c| self.before.1 + c),
            "criterion": self.criterion, "reached": reached, "done": self.done,
            "plan": self.fingerprint,
        }))
    }
}

/// One point's outcome, read from its curve lines.
#[derive(Debug, Clone, PartialEq)]
pub struct PointOutcome {
    /// The point's key.
    pub key: String,
    /// Neurons.
    pub n: usize,
    /// Mask kind.
    pub mask: String,
    /// Sheet radius.
    pub radius: f64,
    /// Recurrent density.
    pub density: f64,
    /// Learning rate.
    pub learning_rate: f64,
    /// Seed.
    pub seed: u64,
    /// First evaluated step at the criterion (`None`: not reached, or not yet).
    pub steps_to_criterion: Option<usize>,
    /// CPU seconds (or wall seconds where no CPU clock) at that step.
    pub cpu_to_criterion: Option<f64>,
    /// CPU seconds (or wall seconds) at the last line.
    pub cpu_at_end: Option<f64>,
    /// Last step trained.
    pub last_step: usize,
    /// Best mean per-task performance seen.
    pub best: f64,
    /// Whether the point is finished.
    pub done: bool,
}

/// The outcome of a point from its curve lines (JSON values as [`PointRun::advance`]
/// returns them, in order); `None` for an empty curve.
pub fn outcome(lines: &[Value]) -> Option<PointOutcome> {
    let first = lines.first()?;
    let last = lines.last()?;
    let hit = lines.iter().find(|l| l["reached"] == true);
    Some(PointOutcome {
        key: first["key"].as_str().unwrap_or_default().into(),
        n: first["n"].as_u64().unwrap_or(0) as usize,
        mask: first["mask"].as_str().unwrap_or_default().into(),
        radius: first["radius"].as_f64().unwrap_or(0.0),
        density: first["density"].as_f64().unwrap_or(f64::NAN),
        learning_rate: first["learning_rate"].as_f64().unwrap_or(f64::NAN),
        seed: first["seed"].as_u64().unwrap_or(0),
        steps_to_criterion: hit.and_then(|l| l["step"].as_u64()).map(|s| s as usize),
        cpu_to_criterion: hit.and_then(|l| l["cpu_seconds"].as_f64().or(l["seconds"].as_f64())),
        cpu_at_end: last["cpu_seconds"].as_f64().or(last["seconds"].as_f64()),
        last_step: last["step"].as_u64().unwrap_or(0) as usize,
        best: lines
            .iter()
            .filter_map(|l| l["mean_per_task"].as_f64())
            .fold(0.0, f64::max),
        done: last["done"] == true,
    })
}

/// Train `point` of `plan` from fresh weights to its criterion or cap, in memory (the
/// claims' way; [`crate::lab::studies::khona_dir`] makes the same run resumable); its
/// outcome, with the thread's CPU seconds.
pub fn run_to_end(plan: &StudyPlan, point: &StudyPoint) -> Result<PointOutcome> {
    let mut run = PointRun::open(plan, point, None, None)?
        .ok_or_else(|| Error::field("point", point.key(), "must not be finished"))?;
    let mut lines = Vec::new();
    let start = thread_cpu_seconds();
    while !run.is_done() {
        lines.push(run.advance(|| Some(thread_cpu_seconds()? - start?))?);
    }
    outcome(&lines).ok_or_else(|| Error::field("point", point.key(), "trained no step"))
}

/// Every point of `plan` trained to its end ([`run_to_end`]): natively on every core (each
/// point is deterministic, so the threads change only the wall time), on wasm32 one after
/// another. Outcomes in the points' order.
pub fn run_all(plan: &StudyPlan) -> Result<Vec<PointOutcome>> {
    crate::lab::parallel::map_ordered(&plan.points(), |point| run_to_end(plan, point))
}

/// One arm (network size, mask kind, radius) at its best learning rate.
#[derive(Debug, Clone, PartialEq)]
pub struct ArmSummary {
    /// Neurons.
    pub n: usize,
    /// Mask kind.
    pub mask: String,
    /// Sheet radius.
    pub radius: f64,
    /// Recurrent density.
    pub density: f64,
    /// The learning rate with the fewest median steps to criterion (ties: the first).
    pub learning_rate: f64,
    /// Steps to criterion per seed at that rate (unreached counted as the step cap).
    pub steps: Vec<(u64, f64)>,
    /// Seeds that did not reach the criterion at that rate.
    pub unreached: usize,
    /// Median CPU seconds to criterion (or to the cap) at that rate.
    pub cpu_seconds: f64,
    /// Median steps to criterion per learning rate tried (finished points only).
    pub per_rate: Vec<(f64, f64)>,
}

impl ArmSummary {
    /// Median steps to criterion over seeds.
    pub fn median_steps(&self) -> f64 {
        median(&self.steps.iter().map(|s| s.1).collect::<Vec<_>>())
    }
}

/// The arms of finished points (unfinished ones are left out), each at its best learning
/// rate, in the order they first appear; `cap` is the step cap an unreached point counts
/// as.
pub fn summarize(outcomes: &[PointOutcome], cap: usize) -> Vec<ArmSummary> {
    let done: Vec<&PointOutcome> = outcomes.iter().filter(|o| o.done).collect();
    let mut arms: Vec<(usize, String, f64)> = Vec::new();
    for o in &done {
        let arm = (o.n, o.mask.clone(), o.radius);
        if !arms.contains(&arm) {
            arms.push(arm);
        }
    }
    let steps_of = |o: &PointOutcome| o.steps_to_criterion.map_or(cap as f64, |s| s as f64);
    arms.into_iter()
        .filter_map(|(n, mask, radius)| {
            let of_arm: Vec<&&PointOutcome> = done
                .iter()
                .filter(|o| o.n == n && o.mask == mask && o.radius == radius)
                .collect();
            let mut rates: Vec<f64> = Vec::new();
            for o in &of_arm {
                if !rates.contains(&o.learning_rate) {
                    rates.push(o.learning_rate);
                }
            }
            let per_rate: Vec<(f64, f64)> = rates
                .iter()
                .map(|&lr| {
                    let steps: Vec<f64> = of_arm
                        .iter()
                        .filter(|o| o.learning_rate == lr)
                        .map(|o| steps_of(o))
                        .collect();
                    (lr, median(&steps))
                })
                .collect();
            let &(learning_rate, _) = per_rate.iter().min_by(|a, b| a.1.total_cmp(&b.1))?;
            let best: Vec<&&&PointOutcome> = of_arm
                .iter()
                .filter(|o| o.learning_rate == learning_rate)
                .collect();
            let cpu: Vec<f64> = best
                .iter()
                .filter_map(|o| o.cpu_to_criterion.or(o.cpu_at_end))
                .collect();
            Some(ArmSummary {
                n,
                density: of_arm[0].density,
                mask,
                radius,
                learning_rate,
                steps: best.iter().map(|o| (o.seed, steps_of(o))).collect(),
                unreached: best
                    .iter()
                    .filter(|o| o.steps_to_criterion.is_none())
                    .count(),
                cpu_seconds: median(&cpu),
                per_rate,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny_plan() -> StudyPlan {
        StudyPlan::from_json(json!({
            "task": {"id": "ngym-modcog-mixture", "tasks": ["ngym-modcog-go"]},
            "n_neurons": [16],
            "arms": [{"mask": "dense"}, {"mask": "local", "radius": 1.0}],
            "learning_rates": [0.003, 0.001],
            "seeds": [1, 2],
            "max_steps": 6,
            "eval_every": 2,
            "eval_trials": 32,
            "criterion": 1.0,
        }))
        .unwrap()
    }

    #[test]
    fn bad_plans_are_refused_naming_the_field() {
        let mut plan = json!({"task": "ngym-modcog-go", "n_neurons": [250],
            "arms": [{"mask": "dense"}], "learning_rates": [0.001], "seeds": [1],
            "max_steps": 10, "eval_every": 5, "eval_trials": 16, "criterion": 0.8});
        let err = StudyPlan::from_json(plan.clone()).unwrap_err().to_string();
        assert!(err.contains("n_neurons") && err.contains("250"), "{err}");
        plan["n_neurons"] = json!([256]);
        plan["arms"] = json!([{"mask": "local"}]);
        let err = StudyPlan::from_json(plan.clone()).unwrap_err().to_string();
        assert!(err.contains("arms.radius"), "{err}");
        plan["arms"] = json!([{"mask": "dense"}]);
        plan["learning_rates"] = json!([3.0]);
        let err = StudyPlan::from_json(plan).unwrap_err().to_string();
        assert!(err.contains("learning_rates"), "{err}");
    }

    #[test]
    fn points_run_seed_first_and_carry_their_learning_rate() {
        let plan = tiny_plan();
        let points = plan.points();
        assert_eq!(points.len(), 8);
        assert!(points[..4].iter().all(|p| p.seed == 1));
        assert_eq!(points[1].key(), "n16-local-r1-lr0.003-s1");
        let run = points[2].run_description(&plan.task).unwrap();
        assert_eq!(run["train"]["learning_rate"], 0.001);
        assert_eq!(run["network"]["n_neurons"], 16);
    }

    #[test]
    fn an_interrupted_point_continues_its_steps_and_clock_from_the_saved_texts() {
        let plan = tiny_plan();
        let point = &plan.points()[1];
        // straight through: 3 evaluations of 2 steps
        let mut straight = PointRun::open(&plan, point, None, None).unwrap().unwrap();
        let mut lines = Vec::new();
        while !straight.is_done() {
            lines.push(straight.advance(|| Some(0.5)).unwrap());
        }
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[2]["step"], 6);
        assert_eq!(lines[2]["done"], true);
        // stopped after the first evaluation, reopened from the saved texts
        let mut first = PointRun::open(&plan, point, None, None).unwrap().unwrap();
        let line = first.advance(|| Some(0.5)).unwrap();
        let model = first.model_text();
        let curve = format!("{line}\n");
        let mut resumed = PointRun::open(&plan, point, Some(&model), Some(&curve))
            .unwrap()
            .unwrap();
        let mut rest = vec![line];
        while !resumed.is_done() {
            rest.push(resumed.advance(|| Some(0.5)).unwrap());
        }
        let steps: Vec<u64> = rest.iter().map(|l| l["step"].as_u64().unwrap()).collect();
        assert_eq!(steps, [2, 4, 6]);
        // the CPU time adds up over the two sessions
        assert_eq!(rest[2]["cpu_seconds"], 1.0);
        // a curve without its model is refused (it would restart at step 0 after step 2)
        let err = PointRun::open(&plan, point, None, Some(&curve))
            .err()
            .unwrap();
        assert!(err.to_string().contains("step 2"), "{err}");
        // a finished curve is not reopened
        let done_curve: String = rest.iter().map(|l| format!("{l}\n")).collect();
        assert!(
            PointRun::open(&plan, point, Some(&model), Some(&done_curve))
                .unwrap()
                .is_none()
        );
        let o = outcome(&rest).unwrap();
        assert_eq!((o.last_step, o.done, o.steps_to_criterion), (6, true, None));
        assert!(o.density > 0.0 && o.density < 1.0, "{}", o.density);
    }

    #[test]
    fn arms_are_summarized_at_their_best_rate_with_unreached_seeds_at_the_cap() {
        let o = |mask: &str, lr: f64, seed: u64, steps: Option<usize>| PointOutcome {
            key: String::new(),
            n: 256,
            mask: mask.into(),
            radius: 3.0,
            density: 0.11,
            learning_rate: lr,
            seed,
            steps_to_criterion: steps,
            cpu_to_criterion: steps.map(|s| s as f64 / 10.0),
            cpu_at_end: Some(100.0),
            last_step: steps.unwrap_or(1000),
            best: 0.9,
            done: true,
        };
        let outcomes = [
            o("local", 0.003, 1, Some(300)),
            o("local", 0.003, 2, None),
            o("local", 0.003, 3, Some(500)),
            o("local", 0.001, 1, Some(400)),
            o("local", 0.001, 2, Some(600)),
            o("local", 0.001, 3, Some(450)),
            PointOutcome {
                done: false,
                ..o("random", 0.003, 1, None)
            },
        ];
        let arms = summarize(&outcomes, 1000);
        assert_eq!(arms.len(), 1, "the unfinished random point is left out");
        let local = &arms[0];
        // 0.003: 300, 1000 (cap), 500 -> median 500; 0.001: 400, 600, 450 -> 450
        assert_eq!(local.per_rate, [(0.003, 500.0), (0.001, 450.0)]);
        assert_eq!(local.learning_rate, 0.001);
        assert_eq!(local.median_steps(), 450.0);
        assert_eq!(local.unreached, 0);
        assert!((local.cpu_seconds - 45.0).abs() < 1e-9);
    }
}
