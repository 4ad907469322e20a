//! Which requirements are common between dispositifs, read once from every
//! equivalence list: used by the site (guides, matrix, pair pages) and by the
//! proof engine (R3, cas A).

use std::collections::{BTreeMap, BTreeSet};

use super::{DispositifCode, EquivalenceList};

/// A requirement of one dispositif.
pub type RequirementKey = (DispositifCode, String);

/// One row of a pair page: requirement `a` of the lower code is common with
/// requirement `b` of the higher code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PairRow {
    /// Requirement ID in the dispositif with the lower code.
    pub a: String,
    /// Requirement ID in the dispositif with the higher code.
    pub b: String,
    /// The lists (file stems) that state it, sorted.
    pub lists: BTreeSet<String>,
    /// The `Commentaire` cells of those rows, in list order, without repeats.
    pub commentaires: Vec<String>,
}

/// One group of one list, as indexed.
#[derive(Debug, Clone)]
struct Group {
    members: Vec<RequirementKey>,
    list: String,
    commentaire: Option<String>,
}

/// Every equivalence of every list. Built in one pass over the groups (one
/// entry per requirement named, not per pair, so that lists where twenty
/// dispositifs share a requirement stay small); the pairs for the site are
/// derived on first use.
#[derive(Debug, Default)]
pub struct EquivalenceIndex {
    groups: Vec<Group>,
    /// Dispositif → requirement → the groups naming it.
    members: BTreeMap<DispositifCode, BTreeMap<String, Vec<usize>>>,
    codes: BTreeSet<DispositifCode>,
    pairs: std::sync::OnceLock<BTreeMap<(DispositifCode, DispositifCode), Vec<PairRow>>>,
}

impl EquivalenceIndex {
    /// Indexes the lists. Within a group every requirement is common with
    /// every requirement of another dispositif; two IDs of the same
    /// dispositif in one group are not a pair.
    pub fn new(lists: &[EquivalenceList]) -> Self {
        let mut index = EquivalenceIndex::default();
        for list in lists {
            for (code, _) in &list.columns {
                index.codes.insert(code.clone());
            }
            for group in &list.groups {
                let n = index.groups.len();
                let members: Vec<RequirementKey> = group
                    .members
                    .iter()
                    .map(|m| (m.dispositif.clone(), m.exigence_id.clone()))
                    .collect();
                for (code, id) in &members {
                    let slot = index
                        .members
                        .entry(code.clone())
                        .or_default()
                        .entry(id.clone())
                        .or_default();
                    if slot.last() != Some(&n) {
                        slot.push(n);
                    }
                }
                index.groups.push(Group {
                    members,
                    list: list.name.clone(),
                    commentaire: group.commentaire.clone(),
                });
            }
        }
        index
    }

    /// The requirements of other dispositifs common with `id` of `code`,
    /// sorted by dispositif then ID, without repeats.
    pub fn equivalents<'a>(
        &'a self,
        code: &DispositifCode,
        id: &str,
    ) -> impl Iterator<Item = &'a RequirementKey> + 'a {
        let mut found: BTreeSet<&'a RequirementKey> = BTreeSet::new();
        if let Some(groups) = self.members.get(code.as_str()).and_then(|m| m.get(id)) {
            for &g in groups {
                found.extend(self.groups[g].members.iter().filter(|(c, _)| c != code));
            }
        }
        found.into_iter()
    }

    /// [`Self::equivalents`] of `id` that belong to dispositif `other`,
    /// sorted and without duplicates (the proof engine asks this for every
    /// requirement of a candidature claiming équivalence).
    pub fn equivalents_in<'a>(
        &'a self,
        code: &DispositifCode,
        id: &str,
        other: &DispositifCode,
    ) -> impl Iterator<Item = &'a RequirementKey> + 'a {
        let mut found: Vec<&'a RequirementKey> = Vec::new();
        if code != other {
            if let Some(groups) = self.members.get(code.as_str()).and_then(|m| m.get(id)) {
                for &g in groups {
                    found.extend(self.groups[g].members.iter().filter(|(c, _)| c == other));
                }
            }
        }
        found.sort();
        found.dedup();
        found.into_iter()
    }

    /// True when requirement `x` of `a` and requirement `y` of `b` are common
    /// (cas A of R3). A requirement is common with itself (cas B).
    pub fn are_common(&self, a: &DispositifCode, x: &str, b: &DispositifCode, y: &str) -> bool {
        if a == b {
            return x == y;
        }
        self.equivalents(a, x)
            .any(|(code, id)| code == b && id == y)
    }

    /// Every pair of dispositifs with at least one common requirement, lower
    /// code first, with its rows sorted by ID.
    pub fn pairs(&self) -> &BTreeMap<(DispositifCode, DispositifCode), Vec<PairRow>> {
        self.pairs.get_or_init(|| {
            let mut pairs: BTreeMap<
                (DispositifCode, DispositifCode),
                BTreeMap<(String, String), PairRow>,
            > = BTreeMap::new();
            for group in &self.groups {
                for x in &group.members {
                    for y in &group.members {
                        if x.0 >= y.0 {
                            continue;
                        }
                        let row = pairs
                            .entry((x.0.clone(), y.0.clone()))
                            .or_default()
                            .entry((x.1.clone(), y.1.clone()))
                            .or_insert_with(|| PairRow {
                                a: x.1.clone(),
                                b: y.1.clone(),
                                lists: BTreeSet::new(),
                                commentaires: Vec::new(),
                            });
                        row.lists.insert(group.list.clone());
                        if let Some(c) = &group.commentaire {
                            if !row.commentaires.contains(c) {
                                row.commentaires.push(c.clone());
                            }
                        }
                    }
                }
            }
            pairs
                .into_iter()
                .map(|(key, rows)| (key, rows.into_values().collect()))
                .collect()
        })
    }

    /// The dispositifs that have a column in some list, in code order.
    pub fn codes(&self) -> &BTreeSet<DispositifCode> {
        &self.codes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Location;
    use crate::model::{EquivalenceGroup, EquivalenceMember};

    fn code(c: &str) -> DispositifCode {
        DispositifCode::parse(c).unwrap()
    }

    /// A group: `(dispositif, ID)` members and a comment.
    type Row<'a> = (&'a [(&'a str, &'a str)], Option<&'a str>);

    fn list(name: &str, rows: &[Row<'_>]) -> EquivalenceList {
        let at = Location::new(&std::sync::Arc::from("x.csv"), 1, 1);
        let mut columns: Vec<(DispositifCode, Location)> = Vec::new();
        let groups = rows
            .iter()
            .map(|(members, comment)| EquivalenceGroup {
                members: members
                    .iter()
                    .map(|(c, id)| {
                        if !columns.iter().any(|(k, _)| k.as_str() == *c) {
                            columns.push((code(c), at.clone()));
                        }
                        EquivalenceMember {
                            dispositif: code(c),
                            exigence_id: (*id).to_owned(),
                            location: at.clone(),
                        }
                    })
                    .collect(),
                commentaire: comment.map(str::to_owned),
                location: at.clone(),
            })
            .collect();
        EquivalenceList {
            name: name.to_owned(),
            file: "x.csv".into(),
            columns,
            groups,
        }
    }

    #[test]
    fn groups_become_pairs_both_ways_and_lists_merge() {
        let socle = list(
            "socle",
            &[
                (
                    &[
                        ("MS-DUI", "DUI.PSC.01"),
                        ("HOP-DPI", "DPI.PSC.01"),
                        ("MDV-LGC", "LGC.PSC.01"),
                    ],
                    Some("PSC"),
                ),
                (
                    &[
                        ("MS-DUI", "DUI.DMP.03"),
                        ("HOP-DPI", "DPI.DMP.03"),
                        ("HOP-DPI", "DPI.DMP.04"),
                    ],
                    None,
                ),
            ],
        );
        let other = list(
            "autre",
            &[(
                &[("HOP-DPI", "DPI.PSC.01"), ("MS-DUI", "DUI.PSC.01")],
                Some("idem"),
            )],
        );
        let index = EquivalenceIndex::new(&[socle, other]);
        let (dui, dpi, lgc) = (code("MS-DUI"), code("HOP-DPI"), code("MDV-LGC"));
        assert!(index.are_common(&dui, "DUI.PSC.01", &lgc, "LGC.PSC.01"));
        assert!(index.are_common(&lgc, "LGC.PSC.01", &dui, "DUI.PSC.01"));
        assert!(index.are_common(&dui, "DUI.DMP.03", &dpi, "DPI.DMP.04"));
        // Two IDs of one dispositif in a group are not common with each other.
        assert!(!index.are_common(&dpi, "DPI.DMP.03", &dpi, "DPI.DMP.04"));
        assert!(index.are_common(&dpi, "DPI.DMP.03", &dpi, "DPI.DMP.03"));
        let pair = &index.pairs()[&(dpi.clone(), dui.clone())];
        assert_eq!(
            pair.iter()
                .map(|r| (r.a.as_str(), r.b.as_str()))
                .collect::<Vec<_>>(),
            [
                ("DPI.DMP.03", "DUI.DMP.03"),
                ("DPI.DMP.04", "DUI.DMP.03"),
                ("DPI.PSC.01", "DUI.PSC.01")
            ]
        );
        let psc = &pair[2];
        assert_eq!(psc.lists.iter().collect::<Vec<_>>(), ["autre", "socle"]);
        assert_eq!(psc.commentaires, ["PSC", "idem"]);
        assert_eq!(
            index
                .equivalents(&dui, "DUI.PSC.01")
                .map(|(c, id)| format!("{c}:{id}"))
                .collect::<Vec<_>>(),
            ["HOP-DPI:DPI.PSC.01", "MDV-LGC:LGC.PSC.01"]
        );
        assert_eq!(index.pairs().len(), 3);
        // Within one other dispositif: DUI.DMP.03 is common with two HOP-DPI
        // requirements, listed once each although two lists could name them.
        let in_dpi = |id: &str| {
            index
                .equivalents_in(&dui, id, &dpi)
                .map(|(c, id)| format!("{c}:{id}"))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            in_dpi("DUI.DMP.03"),
            ["HOP-DPI:DPI.DMP.03", "HOP-DPI:DPI.DMP.04"]
        );
        assert_eq!(in_dpi("DUI.PSC.01"), ["HOP-DPI:DPI.PSC.01"]);
        assert!(index
            .equivalents_in(&dui, "DUI.PSC.01", &dui)
            .next()
            .is_none());
        assert!(index
            .equivalents_in(&dui, "DUI.INS.01", &dpi)
            .next()
            .is_none());
    }
}
