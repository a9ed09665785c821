//! A mixture of tasks sharing one channel layout (e.g. the 20 Yang tasks, or a Mod-Cog
//! battery): every trial comes from one task drawn uniformly or by weight, and
//! `Trial::task_index` records which.

use super::{Task, TaskSpec, Trial};
use crate::error::{Error, Result};
use crate::rng::SimRng;
use ndarray::ArrayView2;

/// The tasks with these `ids`, sharing one rule block of `ids.len()` units: task `i` is
/// `make(id, i, ids.len())` with rule unit `i` (both Mod-Cog forms build their batteries
/// so). An empty list is refused naming `tasks`.
pub fn rule_block<T>(
    ids: &[&str],
    make: impl Fn(&str, usize, usize) -> Result<T>,
) -> Result<Vec<T>> {
    if ids.is_empty() {
        return Err(Error::field(
            "tasks",
            "[]",
            "must list at least one Mod-Cog task",
        ));
    }
    ids.iter()
        .enumerate()
        .map(|(index, id)| make(id, index, ids.len()))
        .collect()
}

/// Tasks drawn per trial.
pub struct TaskMixture {
    id: String,
    tasks: Vec<Box<dyn Task>>,
    /// Cumulative weights, normalised so the last is 1.
    cumulative: Vec<f64>,
}

impl std::fmt::Debug for TaskMixture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TaskMixture")
            .field("id", &self.id)
            .field("tasks", &self.task_ids())
            .finish()
    }
}

impl TaskMixture {
    /// A mixture drawing each task equally often.
    pub fn uniform(id: &str, tasks: Vec<Box<dyn Task>>) -> Result<Self> {
        let weights = vec![1.0; tasks.len()];
        TaskMixture::weighted(id, tasks, &weights)
    }

    /// A mixture drawing task `i` with probability `weights[i] / Σ weights`. The tasks must
    /// agree on input and output channels and on `dt_ms`.
    pub fn weighted(id: &str, tasks: Vec<Box<dyn Task>>, weights: &[f64]) -> Result<Self> {
        let first = tasks
            .first()
            .ok_or_else(|| Error::field("tasks", "[]", "must list at least one task"))?
            .spec();
        if weights.len() != tasks.len() {
            return Err(Error::Shape {
                what: "weights",
                expected: tasks.len().to_string(),
                actual: weights.len().to_string(),
            });
        }
        for task in &tasks {
            let spec = task.spec();
            if spec.n_inputs != first.n_inputs
                || spec.n_outputs != first.n_outputs
                || spec.dt_ms != first.dt_ms
            {
                return Err(Error::Shape {
                    what: "task mixture layout",
                    expected: format!(
                        "{}/{} @ {} ms",
                        first.n_inputs, first.n_outputs, first.dt_ms
                    ),
                    actual: format!(
                        "{}/{} @ {} ms ({})",
                        spec.n_inputs, spec.n_outputs, spec.dt_ms, spec.id
                    ),
                });
            }
        }
        let mut total = 0.0;
        for w in weights {
            if !w.is_finite() || *w < 0.0 {
                return Err(Error::field("weights", w, "must be finite numbers >= 0"));
            }
            total += w;
        }
        if total <= 0.0 {
            return Err(Error::field("weights", total, "must have a positive sum"));
        }
        let mut running = 0.0;
        let cumulative = weights
            .iter()
            .map(|w| {
                running += w / total;
                running
            })
            .collect();
        Ok(TaskMixture {
            id: id.to_string(),
            tasks,
            cumulative,
        })
    }

    /// Number of tasks.
    pub fn len(&self) -> usize {
        self.tasks.len()
    }

    /// Always false (a mixture has at least one task).
    pub fn is_empty(&self) -> bool {
        self.tasks.is_empty()
    }

    /// The ids of the tasks, in index order.
    pub fn task_ids(&self) -> Vec<String> {
        self.tasks.iter().map(|t| t.spec().id).collect()
    }

    /// Task `index`, if any.
    pub fn task(&self, index: usize) -> Option<&dyn Task> {
        self.tasks.get(index).map(|t| t.as_ref())
    }

    /// Mean score and trial count per task (tasks with no trial get score 0 and count 0),
    /// in index order: `(task id, mean score, count)`.
    pub fn per_task_scores(
        &self,
        trials: &[Trial],
        outputs: &[ArrayView2<f32>],
    ) -> Vec<(String, f32, usize)> {
        let mut sums = vec![(0.0f32, 0usize); self.tasks.len()];
        for (trial, output) in trials.iter().zip(outputs) {
            if let Some(slot) = sums.get_mut(trial.task_index) {
                slot.0 += self.score(trial, output.view());
                slot.1 += 1;
            }
        }
        self.tasks
            .iter()
            .zip(sums)
            .map(|(task, (sum, count))| {
                let mean = if count == 0 { 0.0 } else { sum / count as f32 };
                (task.spec().id, mean, count)
            })
            .collect()
    }
}

impl Task for TaskMixture {
    fn component_ids(&self) -> Vec<String> {
        self.task_ids()
    }

    fn component(&self, index: usize) -> Option<&dyn Task> {
        self.task(index)
    }

    /// The components' label when they all share it, else "score".
    fn score_label(&self) -> &'static str {
        let first = self.tasks[0].score_label();
        if self.tasks.iter().all(|t| t.score_label() == first) {
            first
        } else {
            "score"
        }
    }

    /// The first component's (every component has the same channels).
    fn input_channels(&self) -> Vec<super::ChannelGroup> {
        self.tasks[0].input_channels()
    }

    fn output_channels(&self) -> Vec<super::ChannelGroup> {
        self.tasks[0].output_channels()
    }

    fn spec(&self) -> TaskSpec {
        let first = self.tasks[0].spec();
        TaskSpec {
            id: self.id.clone(),
            name: format!("Mixture of {} tasks", self.tasks.len()),
            paper: first.paper,
            ..first
        }
    }

    fn trial(&self, rng: &mut SimRng) -> Trial {
        let u = rng.uniform();
        let index = self
            .cumulative
            .iter()
            .position(|c| u < *c)
            .unwrap_or(self.tasks.len() - 1);
        let mut trial = self.tasks[index].trial(rng);
        trial.task_index = index;
        trial
    }

    fn score(&self, trial: &Trial, outputs: ArrayView2<f32>) -> f32 {
        self.tasks
            .get(trial.task_index)
            .map_or(0.0, |t| t.score(trial, outputs))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tasks::yang::{YangConfig, YangKind, YangTask};

    fn yang(kind: YangKind) -> Box<dyn Task> {
        Box::new(YangTask::new(kind, YangConfig::default()).unwrap())
    }

    #[test]
    fn weights_pick_tasks_and_set_index() {
        let mix = TaskMixture::weighted(
            "m",
            vec![
                yang(YangKind::Go),
                yang(YangKind::Dm1),
                yang(YangKind::DmsGo),
            ],
            &[1.0, 0.0, 3.0],
        )
        .unwrap();
        let mut rng = SimRng::new(5);
        let mut counts = [0usize; 3];
        for _ in 0..400 {
            let trial = mix.trial(&mut rng);
            counts[trial.task_index] += 1;
            let expected = ["yang-go", "yang-dm1", "yang-dmsgo"][trial.task_index];
            let rule = 65
                + YangKind::ALL
                    .iter()
                    .position(|k| k.short() == &expected[5..])
                    .unwrap();
            assert!(trial.inputs[[0, rule]] > 0.8, "rule unit of {expected}");
        }
        assert_eq!(counts[1], 0);
        assert!(counts[2] > 2 * counts[0], "{counts:?}");
        let targets: Vec<_> = Vec::new();
        assert!(mix
            .per_task_scores(&[], &targets)
            .iter()
            .all(|(_, s, c)| *s == 0.0 && *c == 0));
    }

    #[test]
    fn bad_mixtures_are_rejected() {
        assert!(TaskMixture::uniform("m", vec![]).is_err());
        let err = TaskMixture::weighted("m", vec![yang(YangKind::Go)], &[-1.0]).unwrap_err();
        assert!(err.to_string().contains("weights"));
        let other = crate::tasks::turcu::PatternClassification::new(Default::default()).unwrap();
        assert!(TaskMixture::uniform("m", vec![yang(YangKind::Go), Box::new(other)]).is_err());
    }
}
