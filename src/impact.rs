//! What a new REM release changes for one candidature (`segurdoc impact`):
//! the proofs newly due, no longer due, due for another reason, and those
//! still due whose requirement, scenario or expected proof was rewritten —
//! what the éditeur must re-check in what it already deposited.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Serialize;

use crate::diff::{FieldChange, RemDiff};
use crate::rules::{Mask, Motif, Outcome};

/// One proof whose standing changed.
#[derive(Debug, Serialize)]
pub struct Change {
    /// Proof number.
    pub preuve: String,
    /// Its requirement.
    pub exigence: String,
    /// Its chapter (in the new release when it is there).
    pub chapitre: String,
    /// Before: `à déposer (why)`, `non redemandée (why)` or `absente du
    /// REM`, in French.
    pub avant: String,
    /// After, likewise.
    pub apres: String,
}

/// A proof still due whose texts changed.
#[derive(Debug, Serialize)]
pub struct Rewritten {
    /// Proof number.
    pub preuve: String,
    /// Its requirement.
    pub exigence: String,
    /// Its chapter in the current release.
    pub chapitre: String,
    /// What changed in the requirement (its text, scenario, proof…).
    pub changes: Vec<FieldChange>,
}

/// The impact of going from release `depuis` to the current one.
#[derive(Debug, Serialize)]
pub struct Impact {
    /// Candidature id.
    pub candidature: String,
    /// Dispositif.
    pub dispositif: String,
    /// Old release (the current one when only the registry or an
    /// equivalence list is compared).
    pub depuis: String,
    /// Current release.
    pub version: String,
    /// What changed, besides the REM, in the inputs the candidature
    /// depends on (its root and vague 1 référencements in the registry,
    /// the equivalence lists between its dispositif and its root's), in
    /// French.
    pub contexte: Vec<String>,
    /// Due now, not before.
    pub nouvellement_dues: Vec<Change>,
    /// Due before, not now.
    pub plus_dues: Vec<Change>,
    /// Due both times, for another reason.
    pub autre_motif: Vec<Change>,
    /// Due both times, texts rewritten.
    pub textes_modifies: Vec<Rewritten>,
    /// Due both times under a new number (the requirement was renumbered):
    /// old and new proof numbers.
    pub renumerotees: Vec<(String, String)>,
}

/// Where a proof stands in one outcome.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Standing<'a> {
    Due(&'a Motif),
    Spared(&'a Mask),
}

impl Standing<'_> {
    fn due(self) -> bool {
        matches!(self, Standing::Due(_))
    }

    /// In French: `à déposer (why)`, `non redemandée (why)`.
    fn label(self) -> String {
        match self {
            Standing::Due(m) => format!("à déposer ({})", m.label()),
            Standing::Spared(Mask::Heritage(nru)) => format!("non redemandée (héritage {nru})"),
            Standing::Spared(Mask::Equivalence { nru, .. }) => {
                format!("non redemandée (équivalence {nru})")
            }
            Standing::Spared(Mask::HorsEdcPsc) => "non redemandée (hors EDC PSC)".to_owned(),
        }
    }
}

/// A proof's standing, requirement and chapter.
type Row<'a> = (Standing<'a>, &'a str, &'a str);

fn standing<'a>(o: &'a Outcome<'a>) -> BTreeMap<&'a str, Row<'a>> {
    let mut map = BTreeMap::new();
    for e in &o.a_deposer {
        map.insert(
            e.row.preuve_id.as_str(),
            (
                Standing::Due(&e.motif),
                e.row.exigence_id.as_str(),
                e.row.chapitre.as_str(),
            ),
        );
    }
    for m in &o.masquees {
        map.entry(m.row.preuve_id.as_str()).or_insert((
            Standing::Spared(&m.mask),
            m.row.exigence_id.as_str(),
            m.row.chapitre.as_str(),
        ));
    }
    map
}

/// Compares the outcomes of one candidature under the old and the current
/// release; `diff` is the releases' comparison, for the rewritten texts.
/// Labels are made only for the proofs reported.
pub fn impact(old: &Outcome<'_>, new: &Outcome<'_>, diff: &RemDiff) -> Impact {
    let (before, after) = (standing(old), standing(new));
    let absent = "absente du REM";
    let mut out = Impact {
        candidature: new.candidature.id.to_string(),
        dispositif: new.dispositif.code.to_string(),
        depuis: old.rem.version.to_string(),
        version: new.rem.version.to_string(),
        contexte: Vec::new(),
        nouvellement_dues: Vec::new(),
        plus_dues: Vec::new(),
        autre_motif: Vec::new(),
        textes_modifies: Vec::new(),
        renumerotees: Vec::new(),
    };
    // A renumbered requirement's proofs keep their standing under their
    // new numbers: the old numbers are read as the new ones.
    let renumbered = |id: &str| -> Option<String> {
        diff.renamed.iter().find_map(|r| {
            id.strip_prefix(r.from.as_str())
                .filter(|rest| rest.is_empty() || rest.starts_with('.'))
                .map(|rest| format!("{}{rest}", r.to))
        })
    };
    let mut renamed_before: BTreeMap<Cow<'_, str>, Row<'_>> = BTreeMap::new();
    for (id, v) in &before {
        match renumbered(id) {
            Some(new_id) => {
                if v.0.due() && after.get(new_id.as_str()).is_some_and(|now| now.0.due()) {
                    out.renumerotees.push(((*id).to_owned(), new_id.clone()));
                }
                renamed_before.insert(Cow::Owned(new_id), *v);
            }
            None => {
                renamed_before.insert(Cow::Borrowed(*id), *v);
            }
        }
    }
    let before = renamed_before;
    let change = |id: &str, ex: &str, ch: &str, avant: String, apres: String| Change {
        preuve: id.to_owned(),
        exigence: ex.to_owned(),
        chapitre: ch.to_owned(),
        avant,
        apres,
    };
    for (id, (now, ex, ch)) in &after {
        match before.get(*id) {
            Some((then, ..)) if then.due() && now.due() && then != now => {
                out.autre_motif
                    .push(change(id, ex, ch, then.label(), now.label()));
            }
            Some((then, ..)) if !then.due() && now.due() => {
                out.nouvellement_dues
                    .push(change(id, ex, ch, then.label(), now.label()));
            }
            Some((then, ..)) if then.due() && !now.due() => {
                out.plus_dues
                    .push(change(id, ex, ch, then.label(), now.label()));
            }
            None if now.due() => {
                out.nouvellement_dues
                    .push(change(id, ex, ch, absent.to_owned(), now.label()));
            }
            _ => {}
        }
    }
    for (id, (then, ex, ch)) in &before {
        if then.due() && !after.contains_key(id.as_ref()) {
            out.plus_dues
                .push(change(id, ex, ch, then.label(), absent.to_owned()));
        }
    }
    // Still due, and its requirement was rewritten (not only spaced).
    let modified: BTreeMap<&str, &crate::diff::Modified> = diff
        .modified
        .iter()
        .filter(|m| !m.whitespace_only)
        .map(|m| (m.id.as_str(), m))
        .collect();
    for (id, (now, ex, ch)) in &after {
        let still = before.get(*id).is_some_and(|(then, ..)| then.due()) && now.due();
        if let (true, Some(m)) = (still, modified.get(ex)) {
            let changes: Vec<FieldChange> = m
                .changes
                .iter()
                // Texts only: a move to another chapter changes no deposit.
                .filter(|c| {
                    !c.whitespace_only
                        && (c.field == "Exigence"
                            || c.field.starts_with("Scénario ")
                            || c.field.starts_with("Preuve "))
                })
                .cloned()
                .collect();
            if !changes.is_empty() {
                out.textes_modifies.push(Rewritten {
                    preuve: (*id).to_owned(),
                    exigence: (*ex).to_owned(),
                    chapitre: (*ch).to_owned(),
                    changes,
                });
            }
        }
    }
    out
}

/// The impact as text, one section per kind.
pub fn text(i: &Impact, colour: bool) -> String {
    use std::fmt::Write;
    let mut t = String::new();
    let _ = writeln!(
        t,
        "Candidature {} — {} : {} : {} preuve(s) nouvellement due(s), {} plus due(s), {} due(s) pour un autre motif, {} à revoir (textes modifiés)",
        i.candidature,
        i.dispositif,
        i.what(),
        i.nouvellement_dues.len(),
        i.plus_dues.len(),
        i.autre_motif.len(),
        i.textes_modifies.len()
    );
    if !i.contexte.is_empty() {
        let _ = writeln!(t, "\nCe qui a changé dans les données :");
        for line in &i.contexte {
            let _ = writeln!(t, "  {line}");
        }
    }
    for (title, list) in [
        ("Nouvellement dues", &i.nouvellement_dues),
        ("Plus dues", &i.plus_dues),
        ("Dues pour un autre motif", &i.autre_motif),
    ] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(t, "\n{title} :");
        for c in list {
            let _ = writeln!(
                t,
                "  {} ({}, {}) : {} → {}",
                c.preuve, c.exigence, c.chapitre, c.avant, c.apres
            );
        }
    }
    if !i.renumerotees.is_empty() {
        let _ = writeln!(
            t,
            "\nRenumérotées, toujours dues (le dépôt garde son contenu) :"
        );
        for (from, to) in &i.renumerotees {
            let _ = writeln!(t, "  {from} → {to}");
        }
    }
    if !i.textes_modifies.is_empty() {
        let _ = writeln!(
            t,
            "\nÀ revoir dans ce qui est déjà déposé (textes modifiés) :"
        );
        for r in &i.textes_modifies {
            let _ = writeln!(t, "  {} ({})", r.preuve, r.exigence);
            for c in &r.changes {
                let body = if c.words.is_empty() {
                    format!(
                        "« {} » → « {} »",
                        c.old.as_deref().unwrap_or(""),
                        c.new.as_deref().unwrap_or("")
                    )
                } else {
                    crate::render::diff::words(c, colour)
                };
                let _ = writeln!(t, "    {} : {}", c.field, body.replace('\n', "\n      "));
            }
        }
    }
    t
}

impl Impact {
    /// What is compared, in French: « du REM 2.0 au REM 2.1 », or the
    /// current release when only other inputs changed.
    pub fn what(&self) -> String {
        if self.depuis == self.version {
            format!(
                "REM {}, données précédentes → données en vigueur",
                self.version
            )
        } else {
            format!("du REM {} au REM {}", self.depuis, self.version)
        }
    }

    /// True when nothing the éditeur must do changed.
    pub fn is_empty(&self) -> bool {
        self.nouvellement_dues.is_empty()
            && self.plus_dues.is_empty()
            && self.autre_motif.is_empty()
            && self.textes_modifies.is_empty()
            && self.renumerotees.is_empty()
    }
}

/// The columns of `impact --format csv`.
pub const CSV_HEADER: [&str; 9] = [
    "Changement",
    "N° preuve",
    "ID",
    "Chapitre",
    "Avant",
    "Après",
    "Champ",
    "Ancien texte",
    "Nouveau texte",
];

/// The impact as CSV (`;`, UTF-8 with BOM, like `preuves`): one row per
/// proof whose standing changed, per renumbered proof (before and after
/// are its numbers) and per rewritten field of a proof still due (its old
/// and new texts as a reader sees them).
pub fn csv(i: &Impact) -> Vec<u8> {
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .delimiter(b';')
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut bytes);
        let _ = crate::render::csv::record(&mut w, CSV_HEADER);
        for (kind, list) in [
            ("nouvellement due", &i.nouvellement_dues),
            ("plus due", &i.plus_dues),
            ("autre motif", &i.autre_motif),
        ] {
            for c in list {
                let _ = crate::render::csv::record(
                    &mut w,
                    [
                        kind,
                        &c.preuve,
                        &c.exigence,
                        &c.chapitre,
                        &c.avant,
                        &c.apres,
                        "",
                        "",
                        "",
                    ],
                );
            }
        }
        for (from, to) in &i.renumerotees {
            let _ = crate::render::csv::record(
                &mut w,
                ["renumérotée", to, "", "", from, to, "", "", ""],
            );
        }
        for r in &i.textes_modifies {
            for c in &r.changes {
                let text = |t: &Option<String>| {
                    t.as_deref()
                        .map(crate::diff::visible_lines)
                        .unwrap_or_default()
                };
                let _ = crate::render::csv::record(
                    &mut w,
                    [
                        "texte modifié",
                        &r.preuve,
                        &r.exigence,
                        &r.chapitre,
                        "à déposer",
                        "à déposer",
                        &c.field,
                        &text(&c.old),
                        &text(&c.new),
                    ],
                );
            }
        }
        let _ = w.flush();
    }
    bytes
}

/// What changed for `c`'s référencements between two registries: the root
/// and each vague 1 référencement cited, field by field, in French.
pub fn registry_changes(
    c: &crate::model::Candidature,
    old: &crate::model::Registry,
    new: &crate::model::Registry,
) -> Vec<String> {
    let mut cited: Vec<(&crate::model::Nru, &str)> = Vec::new();
    if let Some(nru) = &c.equivalence {
        cited.push((nru, "solution racine"));
    }
    for nru in &c.heritage {
        cited.push((nru, "référencement vague 1"));
    }
    let mut lines = Vec::new();
    for (nru, role) in cited {
        match (old.get(nru), new.get(nru)) {
            (None, None) => {}
            (None, Some(_)) => lines.push(format!("{nru} ({role}) : ajouté au registre")),
            (Some(_), None) => lines.push(format!("{nru} ({role}) : retiré du registre")),
            (Some(a), Some(b)) => {
                let date = |d: Option<chrono::NaiveDate>| {
                    d.map_or("—".to_owned(), |d| d.format("%Y-%m-%d").to_string())
                };
                let list = |v: &[String]| {
                    if v.is_empty() {
                        "—".to_owned()
                    } else {
                        v.join(", ")
                    }
                };
                let profils = |v: &[crate::model::Profile]| {
                    v.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(", ")
                };
                let mut fields = Vec::new();
                for (name, before, after) in [
                    ("statut", a.statut.to_string(), b.statut.to_string()),
                    ("date", date(a.date), date(b.date)),
                    ("version", a.version.to_string(), b.version.to_string()),
                    ("NIL", list(&a.nils), list(&b.nils)),
                    ("noms commerciaux", list(&a.noms), list(&b.noms)),
                    ("profils", profils(&a.profils), profils(&b.profils)),
                ] {
                    if before != after {
                        fields.push(format!("{name} {before} → {after}"));
                    }
                }
                if !fields.is_empty() {
                    lines.push(format!("{nru} ({role}) : {}", fields.join(" ; ")));
                }
            }
        }
    }
    lines
}

/// What changed between two versions of one equivalence list for a
/// candidature of `candidate` whose root is of `root`: how many
/// requirements of `candidate` the list makes common with `root`.
pub fn equivalence_changes(
    old: &crate::model::EquivalenceList,
    new: &crate::model::EquivalenceList,
    candidate: &crate::model::DispositifCode,
    root: Option<&crate::model::DispositifCode>,
) -> Vec<String> {
    let Some(root) = root else {
        return vec![format!(
            "liste d'équivalence « {} » : sans solution racine, la candidature n'en dépend pas",
            new.name
        )];
    };
    let common = |list: &crate::model::EquivalenceList| -> std::collections::BTreeSet<String> {
        list.groups
            .iter()
            .filter(|g| g.members.iter().any(|m| m.dispositif == *root))
            .flat_map(|g| g.members.iter())
            .filter(|m| m.dispositif == *candidate)
            .map(|m| m.exigence_id.clone())
            .collect()
    };
    let (before, after) = (common(old), common(new));
    let added = after.difference(&before).count();
    let removed = before.difference(&after).count();
    vec![format!(
        "liste d'équivalence « {} » : {} exigence(s) de {candidate} commune(s) avec {root} avant, {} maintenant ({added} ajoutée(s), {removed} retirée(s))",
        new.name,
        before.len(),
        after.len()
    )]
}
