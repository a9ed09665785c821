//! [`YangKind`]: the 20 tasks of Yang et al. 2019 (each variant's doc gives the paper's
//! period distributions), their order, ids, names and families.

use serde::{Deserialize, Serialize};

/// The 20 tasks. Durations are in ms; `U(a, b)` uniform, `{a, b, c}` equally likely.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum YangKind {
    /// Go (`fdgo`): fixation U(300, 700), stim1 U(500, 1500), go 500. The stimulus (random
    /// ring) stays on to the end; respond towards it when the fixation input goes off.
    Go,
    /// RT Go: fixation U(500, 2500), go 500. Fixation input on throughout; respond to the
    /// stimulus as soon as it appears (at the start of `go`).
    ReactGo,
    /// Dly Go: fixation {300, 500, 700}, stim1 {200, 400, 600}, delay1 {200, 400, 800,
    /// 1600}, go 500. Respond to the remembered location.
    DelayGo,
    /// Anti (`fdanti`): as Go, respond opposite (θ + π).
    Anti,
    /// RT Anti: as RT Go, respond opposite.
    ReactAnti,
    /// Dly Anti: as Dly Go, respond opposite.
    DelayAnti,
    /// DM 1: two stimuli on ring 1 (≥ π/2 apart), strengths `m ± c`, m ~ U(0.8, 1.2),
    /// c ∈ {0.01, 0.02, 0.04, 0.08}; fixation U(100, 400), stim1 {400, 800, 1600}, go 500.
    /// Respond to the stronger.
    Dm1,
    /// DM 2: as DM 1 on ring 2.
    Dm2,
    /// Ctx DM 1: both rings carry independent pairs; respond to the stronger on ring 1.
    ContextDm1,
    /// Ctx DM 2: respond to the stronger on ring 2.
    ContextDm2,
    /// MultSen DM: the two rings split each stimulus' strength unevenly (U(0.2, 0.8));
    /// respond to the stronger summed over rings.
    MultiDm,
    /// Dly DM 1: two sequential stimuli on ring 1, c ∈ {0.08, 0.16, 0.32}; fixation {200,
    /// 400, 600}, stim1 {200, 400, 600}, delay1 {200, 400, 800, 1600}, stim2 {200, 400,
    /// 600}, delay2 U(100, 300), go 500.
    DelayDm1,
    /// Dly DM 2: as Dly DM 1 on ring 2.
    DelayDm2,
    /// Ctx Dly DM 1: sequential pairs on both rings, attend ring 1.
    ContextDelayDm1,
    /// Ctx Dly DM 2: attend ring 2.
    ContextDelayDm2,
    /// MultSen Dly DM: sequential, summed over rings.
    MultiDelayDm,
    /// DMS: fixation {200, 400, 600}, stim1 {200, 400, 600}, delay1 {200, 400, 800, 1600},
    /// go 500 (test stimulus on during `go`). Fixation input on throughout. Match (p = 0.5,
    /// same location; otherwise 20°–340° apart): respond to the test; non-match: keep
    /// fixating.
    DmsGo,
    /// DNMS: as DMS, respond on non-match and fixate on match.
    DmsNogo,
    /// DMC: locations from {0.1, 0.3, …, 1.9}π, category = location < π; go {200, 400,
    /// 600}. Respond on category match.
    DmcGo,
    /// DNMC: respond on category non-match.
    DmcNogo,
}

impl YangKind {
    /// All tasks in the paper's rule order.
    pub const ALL: [YangKind; 20] = [
        YangKind::Go,
        YangKind::ReactGo,
        YangKind::DelayGo,
        YangKind::Anti,
        YangKind::ReactAnti,
        YangKind::DelayAnti,
        YangKind::Dm1,
        YangKind::Dm2,
        YangKind::ContextDm1,
        YangKind::ContextDm2,
        YangKind::MultiDm,
        YangKind::DelayDm1,
        YangKind::DelayDm2,
        YangKind::ContextDelayDm1,
        YangKind::ContextDelayDm2,
        YangKind::MultiDelayDm,
        YangKind::DmsGo,
        YangKind::DmsNogo,
        YangKind::DmcGo,
        YangKind::DmcNogo,
    ];

    /// Position in [`YangKind::ALL`] (the rule unit in the 20-task layout).
    pub fn index(self) -> usize {
        YangKind::ALL.iter().position(|k| *k == self).unwrap_or(0)
    }

    /// Short kebab-free name used in ids ("go", "reactgo", "contextdelaydm1", ...).
    pub fn short(self) -> &'static str {
        const SHORT: [&str; 20] = [
            "go",
            "reactgo",
            "delaygo",
            "anti",
            "reactanti",
            "delayanti",
            "dm1",
            "dm2",
            "contextdm1",
            "contextdm2",
            "multidm",
            "delaydm1",
            "delaydm2",
            "contextdelaydm1",
            "contextdelaydm2",
            "multidelaydm",
            "dmsgo",
            "dmsnogo",
            "dmcgo",
            "dmcnogo",
        ];
        SHORT[self.index()]
    }

    /// The paper's display name ("Go", "RT Go", "Dly Go", ..., "DNMC").
    pub fn display_name(self) -> &'static str {
        const NAMES: [&str; 20] = [
            "Go",
            "RT Go",
            "Dly Go",
            "Anti",
            "RT Anti",
            "Dly Anti",
            "DM 1",
            "DM 2",
            "Ctx DM 1",
            "Ctx DM 2",
            "MultSen DM",
            "Dly DM 1",
            "Dly DM 2",
            "Ctx Dly DM 1",
            "Ctx Dly DM 2",
            "MultSen Dly DM",
            "DMS",
            "DNMS",
            "DMC",
            "DNMC",
        ];
        NAMES[self.index()]
    }

    /// Family label ("go/anti", "dm", "context/multi dm", "delay match").
    pub fn family(self) -> &'static str {
        match self.index() {
            0..=5 => "go/anti",
            6 | 7 | 11 | 12 => "dm",
            8..=15 => "context/multi dm",
            _ => "delay match",
        }
    }

    /// Whether the task has a memory delay (`delay1`) before the response, which is where
    /// Mod-Cog's "int" extension applies.
    pub fn has_delay(self) -> bool {
        matches!(
            self,
            YangKind::DelayGo
                | YangKind::DelayAnti
                | YangKind::DelayDm1
                | YangKind::DelayDm2
                | YangKind::ContextDelayDm1
                | YangKind::ContextDelayDm2
                | YangKind::MultiDelayDm
                | YangKind::DmsGo
                | YangKind::DmsNogo
                | YangKind::DmcGo
                | YangKind::DmcNogo
        )
    }
}
