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

/// Every equivalence of every list, indexed both ways.
#[derive(Debug, Clone, Default)]
pub struct EquivalenceIndex {
    links: BTreeMap<RequirementKey, BTreeSet<RequirementKey>>,
    pairs: BTreeMap<(DispositifCode, DispositifCode), Vec<PairRow>>,
    codes: BTreeSet<DispositifCode>,
}

impl EquivalenceIndex {
    /// Indexes the lists. Within a group every requirement is common with
    /// every requirement of another dispositif; two IDs of the same
    /// dispositif in one group are not a pair.
    pub fn new(lists: &[EquivalenceList]) -> Self {
        let mut index = EquivalenceIndex::default();
        let mut pairs: BTreeMap<
            (DispositifCode, DispositifCode),
            BTreeMap<(String, String), PairRow>,
        > = BTreeMap::new();
        for list in lists {
            for (code, _) in &list.columns {
                index.codes.insert(code.clone());
            }
            for group in &list.groups {
                for x in &group.members {
                    for y in &group.members {
                        if x.dispositif >= y.dispositif {
                            continue;
                        }
                        let kx = (x.dispositif.clone(), x.exigence_id.clone());
                        let ky = (y.dispositif.clone(), y.exigence_id.clone());
                        index
                            .links
                            .entry(kx.clone())
                            .or_default()
                            .insert(ky.clone());
                        index.links.entry(ky).or_default().insert(kx);
                        let row = pairs
                            .entry((x.dispositif.clone(), y.dispositif.clone()))
                            .or_default()
                            .entry((x.exigence_id.clone(), y.exigence_id.clone()))
                            .or_insert_with(|| PairRow {
                                a: x.exigence_id.clone(),
                                b: y.exigence_id.clone(),
                                lists: BTreeSet::new(),
                                commentaires: Vec::new(),
                            });
                        row.lists.insert(list.name.clone());
                        if let Some(c) = &group.commentaire {
                            if !row.commentaires.contains(c) {
                                row.commentaires.push(c.clone());
                            }
                        }
                    }
                }
            }
        }
        index.pairs = pairs
            .into_iter()
            .map(|(key, rows)| (key, rows.into_values().collect()))
            .collect();
        index
    }

    /// The requirements of other dispositifs common with `id` of `code`, sorted.
    pub fn equivalents<'a>(
        &'a self,
        code: &DispositifCode,
        id: &str,
    ) -> impl Iterator<Item = &'a RequirementKey> + 'a {
        self.links
            .get(&(code.clone(), id.to_owned()))
            .into_iter()
            .flatten()
    }

    /// True when requirement `x` of `a` and requirement `y` of `b` are common
    /// (cas A of R3). A requirement is common with itself (cas B).
    pub fn are_common(&self, a: &DispositifCode, x: &str, b: &DispositifCode, y: &str) -> bool {
        if a == b {
            return x == y;
        }
        self.links
            .get(&(a.clone(), x.to_owned()))
            .is_some_and(|set| set.contains(&(b.clone(), y.to_owned())))
    }

    /// Every pair of dispositifs with at least one common requirement, lower
    /// code first, with its rows sorted by ID.
    pub fn pairs(&self) -> &BTreeMap<(DispositifCode, DispositifCode), Vec<PairRow>> {
        &self.pairs
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
    }
}
