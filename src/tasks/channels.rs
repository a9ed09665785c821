//! Names of a task's input and output channels, in groups (`fixation`, `ring 1`, `ring 2`,
//! `rule` for the Yang and Mod-Cog layouts), so plots can label their axes in the task's
//! terms. Defined here once; the trial plot reads them from the snapshot
//! ([`crate::plot::TrialTraces`]) and the page from the wasm `info()`.

use serde::{Deserialize, Serialize};

/// A named run of consecutive channels `[start, end)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelGroup {
    /// What the channels carry ("fixation", "ring 1", "rule", ...).
    pub name: String,
    /// First channel of the group.
    pub start: usize,
    /// One past the last channel.
    pub end: usize,
}

impl ChannelGroup {
    /// The group `name` of channels `[start, end)`.
    pub fn new(name: &str, start: usize, end: usize) -> Self {
        ChannelGroup {
            name: name.to_string(),
            start,
            end,
        }
    }

    /// Number of channels in the group.
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// Whether the group has no channel.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The inputs of the ring layout shared by Yang et al. and Mod-Cog: fixation, two
/// stimulus rings of `ring` units each, then the rule one-hot up to `n_inputs`.
pub fn ring_inputs(ring: usize, n_inputs: usize) -> Vec<ChannelGroup> {
    let rule_start = 1 + 2 * ring;
    let mut groups = vec![
        ChannelGroup::new("fixation", 0, 1),
        ChannelGroup::new("ring 1", 1, 1 + ring),
        ChannelGroup::new("ring 2", 1 + ring, rule_start),
    ];
    if n_inputs > rule_start {
        groups.push(ChannelGroup::new("rule", rule_start, n_inputs));
    }
    groups
}

/// The outputs of the ring layout: fixation, then the response ring of `ring` units.
pub fn ring_outputs(ring: usize) -> Vec<ChannelGroup> {
    vec![
        ChannelGroup::new("fixation", 0, 1),
        ChannelGroup::new("response ring", 1, 1 + ring),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_yang_layout_is_fixation_two_rings_and_the_rule() {
        let groups = ring_inputs(32, 85);
        let names: Vec<_> = groups
            .iter()
            .map(|g| (g.name.as_str(), g.start, g.end))
            .collect();
        assert_eq!(
            names,
            [
                ("fixation", 0, 1),
                ("ring 1", 1, 33),
                ("ring 2", 33, 65),
                ("rule", 65, 85)
            ]
        );
        // without a rule block (a width of exactly the two rings) there is no rule group
        assert_eq!(ring_inputs(16, 33).len(), 3);
        assert_eq!(
            ring_outputs(16)[1],
            ChannelGroup::new("response ring", 1, 17)
        );
    }
}
