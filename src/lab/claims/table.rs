//! A paper's claims table: its [`Row`]s (known before the run) and its [`Group`]s (the
//! experiments that measure them), joined into [`Claim`]s by [`Paper::claims_of`].

use super::claim::{Claim, Measured, Row};
use crate::error::{Error, Result};

/// An experiment of a paper: it measures the rows of the paper's table whose `group` is
/// its id (`quick`: the short variant, seconds to a minute each).
pub type GroupFn = fn(quick: bool) -> Result<Vec<Measured>>;

/// One experiment of a paper's table.
#[derive(Debug, Clone, Copy)]
pub struct Group {
    /// Id used by the CLI (`paper/group`) and the page.
    pub id: &'static str,
    /// Runs the experiment.
    pub run: GroupFn,
}

/// A paper's claims table.
#[derive(Debug)]
pub struct Paper {
    /// Id used by the CLI and the page.
    pub id: &'static str,
    /// Citation.
    pub title: &'static str,
    /// Every claim, known before the run.
    pub rows: &'static [Row],
    /// The experiments, in run order.
    pub groups: &'static [Group],
}

impl Paper {
    /// The group `id`, or an error naming the allowed ones.
    pub fn group(&self, id: &str) -> Result<&Group> {
        self.groups
            .iter()
            .find(|g| g.id == id)
            .ok_or_else(|| Error::UnknownName {
                field: "claim",
                value: id.into(),
                allowed: self.group_ids().join(", "),
            })
    }

    /// Ids of the groups, in run order.
    pub fn group_ids(&self) -> Vec<&'static str> {
        self.groups.iter().map(|g| g.id).collect()
    }

    /// The rows of group `group`, in table order.
    pub fn rows_of<'a>(&'a self, group: &'a str) -> impl Iterator<Item = &'a Row> + 'a {
        self.rows.iter().filter(move |r| r.group == group)
    }

    /// Join a group's measurements with its rows: exactly one measurement per row, in the
    /// table's order.
    pub fn claims_of(&self, group: &str, measured: Vec<Measured>) -> Result<Vec<Claim>> {
        let mut measured: Vec<Option<Measured>> = measured.into_iter().map(Some).collect();
        let mut claims = Vec::new();
        for row in self.rows_of(group) {
            let found = measured
                .iter_mut()
                .find(|m| m.as_ref().is_some_and(|m| m.row == row.id))
                .and_then(Option::take)
                .ok_or_else(|| Error::Shape {
                    what: "claims table",
                    expected: format!("a measurement of {}/{}/{}", self.id, group, row.id),
                    actual: "none".into(),
                })?;
            claims.push(Claim::new(self.id, row, found));
        }
        if let Some(extra) = measured.into_iter().flatten().next() {
            return Err(Error::Shape {
                what: "claims table",
                expected: format!("rows of {}/{}", self.id, group),
                actual: format!("a measurement of unknown row `{}`", extra.row),
            });
        }
        Ok(claims)
    }
}
