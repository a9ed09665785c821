//! Learning rules beyond BPTT, each selectable by name through [`LearningRule`] and
//! trained by the one [`Trainer`] (a rule supplies a gradient, through the one backward
//! pass [`crate::train::backprop`] where it is a variant of BPTT, or new weights):
//!
//! | name | rule | file |
//! |---|---|---|
//! | `bptt` | exact backpropagation through time (reference) | [`crate::train`] |
//! | `feedback-alignment` | FA: `W_outᵀ` replaced by a fixed random `B` | [`feedback_alignment`] |
//! | `direct-feedback-alignment` | recurrent DFA / RFLO with eligibility traces | [`feedback_alignment`] |
//! | `predictive-coding` | PC on the unrolled network, FPA or strict | [`predictive_coding`] |
//! | `hebbian-os`, `hebbian-os-plus` | Turcu & Abbott one-shot and error-gated Hebbian | [`hebbian`] |
//! | `local-plasticity` | unsupervised Hebb / Oja / BCM | [`local`] |
//! | `bean` | BPTT + BEAN assembly regulariser | [`bean`] |
//! | `imperfect-forward` | noisy / quantised forward, ideal backward | [`imperfect`] |
//! | `reservoir` | recurrent weights frozen, readout by ridge / FORCE (RLS) / LMS | [`reservoir`] |
//! | `eprop` | e-prop for spiking neurons: forward eligibility traces (Bellec et al. 2020) | [`eprop`] |

pub mod bean;
pub mod eprop;
pub mod feedback_alignment;
pub mod hebbian;
pub mod imperfect;
pub mod local;
mod parallel;
pub mod predictive_coding;
pub mod reservoir;
mod shards;
pub mod structure;
mod trainer;

pub use bean::{BeanConfig, BeanVariant};
pub use eprop::{EpropConfig, EpropFeedback};
pub use feedback_alignment::FeedbackConfig;
pub use hebbian::{HebbianConfig, OsPlusThreshold};
pub use imperfect::{BackwardModel, ImperfectConfig};
pub use local::{LocalConfig, LocalRuleKind};
pub use predictive_coding::{PcConfig, PcVariant};
pub use reservoir::{ReadoutKind, ReservoirRule};
pub use shards::mask_weight;
pub use structure::{structure_report, StructureReport};
pub use trainer::{by_length, draw_trials, normalise, shard_sizes, Trainer};

use crate::error::{Check, Result};
use serde::{Deserialize, Serialize};

/// A learning rule and its settings. JSON form: `{"rule": "<name>", ...settings}`, e.g.
/// `{"rule": "predictive-coding", "variant": "strict", "step_size": 0.1, "iterations": 20}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "kebab-case")]
pub enum LearningRule {
    /// Exact BPTT (the reference gradient).
    Bptt,
    /// Feedback alignment.
    FeedbackAlignment(FeedbackConfig),
    /// Recurrent direct feedback alignment (RFLO).
    DirectFeedbackAlignment(FeedbackConfig),
    /// Predictive coding on the unrolled network.
    PredictiveCoding(PcConfig),
    /// Turcu & Abbott one-shot Hebbian weights (each step recomputes them from the batch).
    HebbianOs(HebbianConfig),
    /// Turcu & Abbott error-gated Hebbian updates (start from `hebbian-os` weights).
    HebbianOsPlus(HebbianConfig),
    /// Unsupervised Hebb / Oja / BCM on the recurrent synapses.
    LocalPlasticity(LocalConfig),
    /// BPTT plus the BEAN regulariser.
    Bean(BeanConfig),
    /// Noisy / quantised forward pass, ideal (or perturbed) backward.
    ImperfectForward(ImperfectConfig),
    /// Reservoir computing: only the readout is learned (ridge, FORCE or LMS).
    Reservoir(ReservoirRule),
    /// e-prop (spiking neurons only): forward eligibility traces times learning signals.
    Eprop(EpropConfig),
}

impl LearningRule {
    /// Names accepted in configs.
    pub const NAMES: &'static str = "bptt, feedback-alignment, direct-feedback-alignment, \
        predictive-coding, hebbian-os, hebbian-os-plus, local-plasticity, bean, imperfect-forward, \
        reservoir, eprop";

    /// Check the rule's settings (errors name the field).
    pub fn validate(&self) -> Result<()> {
        match self {
            LearningRule::Bptt => Ok(()),
            LearningRule::FeedbackAlignment(c) | LearningRule::DirectFeedbackAlignment(c) => {
                c.validate()
            }
            LearningRule::PredictiveCoding(c) => c.validate(),
            LearningRule::HebbianOs(c) | LearningRule::HebbianOsPlus(c) => {
                c.validate()?;
                if c.threshold != hebbian::OsPlusThreshold::Fixed {
                    return Err(crate::Error::field(
                        "threshold",
                        "epoch-percentile",
                        "\"fixed\" for the batch trainer (the per-epoch threshold needs whole \
                         OS+ epochs: learning::hebbian::os_plus_epoch)",
                    ));
                }
                Ok(())
            }
            LearningRule::LocalPlasticity(c) => c.validate(),
            LearningRule::Bean(c) => c.validate(),
            LearningRule::ImperfectForward(c) => c.validate(),
            LearningRule::Reservoir(c) => c.validate(),
            LearningRule::Eprop(c) => c.validate(),
        }
    }

    /// Parse the JSON form, with an error naming the field on failure.
    pub fn from_json(text: &str) -> Result<Self> {
        let rule: LearningRule = serde_json::from_str(text).map_err(|e| crate::Error::Parse {
            what: "learning rule",
            reason: format!("{e} (rules: {})", Self::NAMES),
        })?;
        rule.validate()?;
        Ok(rule)
    }
}

impl Check for LearningRule {
    fn check_fields(&self) -> Result<()> {
        self.validate()
    }
}
