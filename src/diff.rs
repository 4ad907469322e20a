//! What changed between two releases of a REM, keyed by requirement ID:
//! added, removed, modified (which fields, each scenario and proof), renamed
//! (same content under new numbers), moved (chapter or profile). Texts are
//! compared on what a reader sees: inline HTML reduced to its text, white
//! space collapsed; a change of white space alone is reported as such, and
//! rewordings are shown word by word.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;
use similar::{ChangeTag, TextDiff};

use crate::model::{RemRow, StatutPublication};

/// One requirement with its scenarios and proofs, as a release states it.
#[derive(Debug, Clone)]
struct Requirement<'a> {
    rows: Vec<&'a RemRow>,
}

/// A text reduced to what a reader sees: tags removed, entities decoded,
/// white space (non-breaking included) collapsed.
pub fn visible_text(raw: &str) -> String {
    // Tags of HTML elements go; `<identifiant>`-like placeholders stay.
    let mut text = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(at) = rest.find('<') {
        text.push_str(&rest[..at]);
        let tail = &rest[at..];
        match tail.find('>') {
            Some(end) if crate::render::markdown::is_markup(&tail[..=end]) => {
                text.push(' ');
                rest = &tail[end + 1..];
            }
            _ => {
                text.push('<');
                rest = &tail[1..];
            }
        }
    }
    text.push_str(rest);
    let decoded = text
        .replace("&nbsp;", " ")
        .replace("&#160;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&amp;", "&");
    decoded
        .split(crate::text::is_space)
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// [`visible_text`] line by line: what a reader sees, with the cell's line
/// breaks kept (blank lines dropped), for showing a text as written — a
/// list stays a list in the changelog.
pub fn visible_lines(raw: &str) -> String {
    if !raw.contains('\n') {
        return visible_text(raw);
    }
    raw.split('\n')
        .map(visible_text)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// How one field changed.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FieldChange {
    /// `Exigence`, `Chapitre`, `Scénario DUI.INS.01.01`, `Preuve DUI.INS.01.01.01`…
    pub field: String,
    /// Old visible text (absent when added).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<String>,
    /// New visible text (absent when removed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<String>,
    /// True when only white space or markup changed, not what a reader sees.
    pub whitespace_only: bool,
    /// The change word by word (texts only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub words: Vec<WordChange>,
}

/// A run of words: kept, removed or added.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct WordChange {
    /// `=`, `-` or `+`.
    pub op: &'static str,
    /// The words, with their spacing.
    pub text: String,
}

/// A requirement present in one release only.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Entry {
    /// Requirement ID.
    pub id: String,
    /// Its chapter.
    pub chapitre: String,
    /// Its text, visible.
    pub exigence: String,
}

/// A requirement present in both releases, changed.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Modified {
    /// Requirement ID.
    pub id: String,
    /// Names of the fields that changed for a reader (FORMATS.md).
    pub fields: Vec<String>,
    /// True when every change is white space or markup only.
    pub whitespace_only: bool,
    /// Every field change, white-space-only ones included.
    pub changes: Vec<FieldChange>,
}

/// A requirement renumbered, its content unchanged.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Renamed {
    /// Old ID.
    pub from: String,
    /// New ID.
    pub to: String,
}

/// A requirement whose chapter or profile changed.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Moved {
    /// Requirement ID.
    pub id: String,
    /// `Chapitre` or `Profil`.
    pub field: String,
    /// Before.
    pub from: String,
    /// After.
    pub to: String,
}

/// The differences between two releases.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Default)]
pub struct RemDiff {
    /// The dispositif, when the releases name one (files outside a project
    /// that are not `…/<CODE>/<VERSION>.csv` do not).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dispositif: Option<String>,
    /// Old release label.
    pub old: String,
    /// New release label.
    pub new: String,
    /// New requirements.
    pub added: Vec<Entry>,
    /// Requirements gone.
    pub removed: Vec<Entry>,
    /// Requirements changed (white-space-only changes included, flagged).
    pub modified: Vec<Modified>,
    /// Requirements renumbered.
    pub renamed: Vec<Renamed>,
    /// Requirements moved to another chapter or profile (also in `modified`).
    pub moved: Vec<Moved>,
    /// Requirements unchanged.
    pub unchanged: usize,
    /// Requirements left out because a row of theirs could not be read
    /// (reported on standard error): neither added, removed nor modified.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_compared: Vec<String>,
    /// The ANS's `Statut publication` of the new release against what the
    /// comparison found, when the new release carries labels.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statut_publication: Option<StatutReport>,
}

/// The ANS's labels checked against the comparison.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Default)]
pub struct StatutReport {
    /// Labelled requirements whose label matches what changed.
    pub concordants: usize,
    /// Labelled `Obsolète` or `En cours d'instruction`: nothing to check.
    pub non_verifies: usize,
    /// Labels that say something else than the texts.
    pub desaccords: Vec<Desaccord>,
    /// True when both files carry the same labels and the same texts: the
    /// same publication in two files, whose labels speak of an earlier
    /// release, so they are not checked.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub meme_publication: bool,
    /// Each labelled requirement's label, for the changelog page.
    #[serde(skip)]
    pub labels: BTreeMap<String, StatutPublication>,
}

/// A requirement whose ANS label disagrees with the comparison.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Desaccord {
    /// Requirement ID (new release).
    pub id: String,
    /// The ANS's label.
    pub ans: &'static str,
    /// What the comparison found: `nouvelle`, `modifiée`, `renumérotée`,
    /// `inchangée` (white space only counts as unchanged).
    pub constat: &'static str,
    /// The disagreement, in French: « la REM dit Inchangée, le texte a changé (Exigence) ».
    pub message: String,
}

/// A requirement's label: the one of all its rows, or `Modifiée` when its
/// scenario rows are labelled differently (some part of it changed).
fn requirement_label(r: &Requirement<'_>) -> Option<StatutPublication> {
    let mut labels = r.rows.iter().filter_map(|row| row.statut_publication);
    let first = labels.next()?;
    if labels.all(|l| l == first) {
        Some(first)
    } else {
        Some(StatutPublication::Modifiee)
    }
}

/// Checks each labelled requirement of the new release against `d`.
fn check_labels(
    d: &RemDiff,
    old_map: &HashMap<&str, Requirement<'_>>,
    new_order: &[&str],
    new_map: &HashMap<&str, Requirement<'_>>,
) -> Option<StatutReport> {
    let labels: BTreeMap<String, StatutPublication> = new_order
        .iter()
        .filter_map(|id| requirement_label(&new_map[id]).map(|l| ((*id).to_owned(), l)))
        .collect();
    if labels.is_empty() {
        return None;
    }
    let mut report = StatutReport::default();
    let same_labels = new_order.iter().all(|id| {
        old_map
            .get(id)
            .is_some_and(|o| requirement_label(o) == requirement_label(&new_map[id]))
    });
    if d.is_empty() && same_labels {
        report.meme_publication = true;
        report.labels = labels;
        return Some(report);
    }
    // What the comparison found, by requirement, looked up once each.
    let added: BTreeSet<&str> = d.added.iter().map(|e| e.id.as_str()).collect();
    let renamed: HashMap<&str, &str> = d
        .renamed
        .iter()
        .map(|r| (r.to.as_str(), r.from.as_str()))
        .collect();
    let changed: HashMap<&str, &Modified> = d.modified.iter().map(|m| (m.id.as_str(), m)).collect();
    for id in new_order {
        let Some(&ans) = labels.get(*id) else {
            continue;
        };
        let renamed_from = renamed.get(id).copied();
        let touched = changed.get(id).copied();
        let modified = touched.filter(|m| !m.whitespace_only);
        let constat = if added.contains(id) {
            "nouvelle"
        } else if renamed_from.is_some() {
            "renumérotée"
        } else if modified.is_some() {
            "modifiée"
        } else {
            "inchangée"
        };
        let old = &d.old;
        let why = match (ans, constat) {
            (StatutPublication::Obsolete | StatutPublication::EnCoursInstruction, _) => {
                report.non_verifies += 1;
                continue;
            }
            (StatutPublication::Nouvelle, "nouvelle")
            | (StatutPublication::Modifiee, "modifiée" | "renumérotée")
            | (StatutPublication::Inchangee, "inchangée") => {
                report.concordants += 1;
                continue;
            }
            (_, "nouvelle") => format!("l'exigence n'existe pas dans {old}"),
            (_, "renumérotée") => format!(
                "l'exigence existait dans {old} sous le numéro {}, même texte",
                renamed_from.unwrap_or_default()
            ),
            (StatutPublication::Nouvelle, "modifiée") => format!(
                "l'exigence existait déjà dans {old} (modifiée : {})",
                modified.map(|m| m.fields.join(", ")).unwrap_or_default()
            ),
            (_, "modifiée") => format!(
                "le texte a changé ({})",
                modified.map(|m| m.fields.join(", ")).unwrap_or_default()
            ),
            (StatutPublication::Nouvelle, _) => {
                format!("l'exigence existait déjà dans {old}, inchangée")
            }
            _ if touched.is_some() => format!(
                "seuls des espaces ou la mise en forme ont changé depuis {old}, le texte lu est identique"
            ),
            _ => format!("aucun changement trouvé depuis {old}"),
        };
        report.desaccords.push(Desaccord {
            id: (*id).to_owned(),
            ans: ans.as_str(),
            constat,
            message: format!("la REM dit {ans}, {why}"),
        });
    }
    report.labels = labels;
    Some(report)
}

impl RemDiff {
    /// True when nothing at all changed.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.modified.is_empty()
            && self.renamed.is_empty()
    }

    /// Counts for summaries: added, removed, reworded, white space only, renamed, moved.
    pub fn counts(&self) -> [usize; 6] {
        let ws = self.modified.iter().filter(|m| m.whitespace_only).count();
        [
            self.added.len(),
            self.removed.len(),
            self.modified.len() - ws,
            ws,
            self.renamed.len(),
            self.moved.len(),
        ]
    }
}

fn group(rows: &[RemRow]) -> (Vec<&str>, HashMap<&str, Requirement<'_>>) {
    let mut order = Vec::new();
    let mut map: HashMap<&str, Requirement<'_>> = HashMap::new();
    for row in rows {
        map.entry(row.exigence_id.as_str())
            .or_insert_with(|| {
                order.push(row.exigence_id.as_str());
                Requirement { rows: Vec::new() }
            })
            .rows
            .push(row);
    }
    (order, map)
}

/// Word-level changes between two visible texts.
fn words(old: &str, new: &str) -> Vec<WordChange> {
    let diff = TextDiff::configure()
        .algorithm(similar::Algorithm::Patience)
        .diff_unicode_words(old, new);
    let mut out: Vec<WordChange> = Vec::new();
    for change in diff.iter_all_changes() {
        let op = match change.tag() {
            ChangeTag::Equal => "=",
            ChangeTag::Delete => "-",
            ChangeTag::Insert => "+",
        };
        match out.last_mut() {
            Some(last) if last.op == op => last.text.push_str(change.value()),
            _ => out.push(WordChange {
                op,
                text: change.value().to_owned(),
            }),
        }
    }
    out
}

fn compare_text(field: &str, old: &str, new: &str, changes: &mut Vec<FieldChange>) {
    if old == new {
        return;
    }
    // Equal once white space is collapsed: a change of spacing or markup
    // only. Shown line by line.
    let whitespace_only = visible_text(old) == visible_text(new);
    let (vo, vn) = (visible_lines(old), visible_lines(new));
    // Labels (chapter, profile…) read better as « old » → « new ».
    let prose = matches!(field, "Exigence" | "Commentaire")
        || field.starts_with("Scénario ")
        || field.starts_with("Preuve ");
    changes.push(FieldChange {
        field: field.to_owned(),
        words: if whitespace_only || !prose {
            Vec::new()
        } else {
            words(&vo, &vn)
        },
        old: Some(vo),
        new: Some(vn),
        whitespace_only,
    });
}

fn opt(s: &Option<String>) -> &str {
    s.as_deref().unwrap_or("")
}

/// Scenarios of a requirement (ID → text) and its proofs (ID → text, source).
type Parts<'a> = (
    BTreeMap<&'a str, &'a str>,
    BTreeMap<&'a str, (&'a str, &'static str)>,
);

/// Scenarios of a requirement: ID → text, and proofs: ID → (text, source).
fn parts<'a>(r: &Requirement<'a>) -> Parts<'a> {
    let mut scenarios = BTreeMap::new();
    let mut proofs = BTreeMap::new();
    for row in &r.rows {
        scenarios
            .entry(row.scenario_id.as_str())
            .or_insert(row.scenario.as_str());
        proofs
            .entry(row.preuve_id.as_str())
            .or_insert((row.preuve.as_str(), row.source.as_str()));
    }
    (scenarios, proofs)
}

fn compare(
    id: &str,
    a: &Requirement<'_>,
    b: &Requirement<'_>,
    moved: &mut Vec<Moved>,
) -> Option<Modified> {
    let (ra, rb) = (a.rows[0], b.rows[0]);
    let mut changes = Vec::new();
    compare_text("Exigence", &ra.exigence, &rb.exigence, &mut changes);
    compare_text("Chapitre", &ra.chapitre, &rb.chapitre, &mut changes);
    compare_text(
        "Fonction",
        opt(&ra.fonction),
        opt(&rb.fonction),
        &mut changes,
    );
    compare_text(
        "Commentaire",
        opt(&ra.commentaire),
        opt(&rb.commentaire),
        &mut changes,
    );
    compare_text(
        "Profil",
        ra.profil.as_str(),
        rb.profil.as_str(),
        &mut changes,
    );
    compare_text(
        "Périmètre",
        ra.perimetre.as_str(),
        rb.perimetre.as_str(),
        &mut changes,
    );
    compare_text(
        "Criticité",
        ra.criticite.map_or("", |c| c.as_str()),
        rb.criticite.map_or("", |c| c.as_str()),
        &mut changes,
    );
    // A layout without the column says nothing: only a stated change counts.
    if let (Some(x), Some(y)) = (
        a.rows.iter().find_map(|r| r.nature),
        b.rows.iter().find_map(|r| r.nature),
    ) {
        compare_text("Nature", x.as_str(), y.as_str(), &mut changes);
    }
    for field in ["Chapitre", "Profil"] {
        if let Some(c) = changes
            .iter()
            .find(|c| c.field == field && !c.whitespace_only)
        {
            moved.push(Moved {
                id: id.to_owned(),
                field: field.to_owned(),
                from: c.old.clone().unwrap_or_default(),
                to: c.new.clone().unwrap_or_default(),
            });
        }
    }
    let (sa, pa) = parts(a);
    let (sb, pb) = parts(b);
    let keys: BTreeSet<&str> = sa.keys().chain(sb.keys()).copied().collect();
    for k in keys {
        let field = format!("Scénario {k}");
        match (sa.get(k), sb.get(k)) {
            (Some(x), Some(y)) => compare_text(&field, x, y, &mut changes),
            (x, y) => changes.push(FieldChange {
                field,
                old: x.map(|t| visible_lines(t)),
                new: y.map(|t| visible_lines(t)),
                whitespace_only: false,
                words: Vec::new(),
            }),
        }
    }
    let keys: BTreeSet<&str> = pa.keys().chain(pb.keys()).copied().collect();
    for k in keys {
        let field = format!("Preuve {k}");
        match (pa.get(k), pb.get(k)) {
            (Some(x), Some(y)) => {
                compare_text(&field, x.0, y.0, &mut changes);
                compare_text(&format!("Source {k}"), x.1, y.1, &mut changes);
            }
            (x, y) => changes.push(FieldChange {
                field,
                old: x.map(|t| visible_lines(t.0)),
                new: y.map(|t| visible_lines(t.0)),
                whitespace_only: false,
                words: Vec::new(),
            }),
        }
    }
    if changes.is_empty() {
        return None;
    }
    let mut fields: Vec<String> = Vec::new();
    for c in changes.iter().filter(|c| !c.whitespace_only) {
        let name = if c.field.starts_with("Scénario") {
            "Scénarios"
        } else if c.field.starts_with("Preuve") || c.field.starts_with("Source") {
            "Preuves"
        } else {
            c.field.as_str()
        };
        if !fields.iter().any(|f| f == name) {
            fields.push(name.to_owned());
        }
    }
    Some(Modified {
        id: id.to_owned(),
        whitespace_only: fields.is_empty(),
        fields,
        changes,
    })
}

/// What a requirement says, without its numbers: for renaming detection.
fn content_key(r: &Requirement<'_>) -> String {
    let first = r.rows[0];
    let mut key = format!(
        "{}\u{1}{}\u{1}{}\u{1}{}\u{1}{}",
        visible_text(&first.exigence),
        visible_text(&first.chapitre),
        visible_text(opt(&first.fonction)),
        first.profil.as_str(),
        first.perimetre.as_str()
    );
    for row in &r.rows {
        key.push('\u{2}');
        key.push_str(&visible_text(&row.scenario));
        key.push('\u{1}');
        key.push_str(&visible_text(&row.preuve));
    }
    key
}

fn entry(id: &str, r: &Requirement<'_>) -> Entry {
    Entry {
        id: id.to_owned(),
        chapitre: r.rows[0].chapitre.clone(),
        exigence: visible_lines(&r.rows[0].exigence),
    }
}

/// Compares two parsed releases; requirements with a rejected row in either
/// are not compared (a half-read requirement would look changed).
pub fn diff_releases(old: &crate::model::Rem, new: &crate::model::Rem) -> RemDiff {
    let skip: BTreeSet<&str> = old
        .rejected_ids
        .iter()
        .chain(&new.rejected_ids)
        .map(String::as_str)
        .collect();
    let keep = |rows: &[RemRow]| -> Vec<RemRow> {
        rows.iter()
            .filter(|r| !skip.contains(r.exigence_id.as_str()))
            .cloned()
            .collect()
    };
    let mut d = diff(
        old.version.as_str(),
        &keep(&old.rows),
        new.version.as_str(),
        &keep(&new.rows),
    );
    d.not_compared = skip.into_iter().map(str::to_owned).collect();
    // `REM` is what a file outside a project is called (ingest::rem).
    d.dispositif = Some(new.dispositif.to_string()).filter(|c| c != "REM");
    d
}

/// Compares two releases.
pub fn diff(old_label: &str, old: &[RemRow], new_label: &str, new: &[RemRow]) -> RemDiff {
    let (old_order, old_map) = group(old);
    let (new_order, new_map) = group(new);
    let mut result = RemDiff {
        old: old_label.to_owned(),
        new: new_label.to_owned(),
        ..RemDiff::default()
    };
    let mut removed: Vec<&str> = Vec::new();
    for id in &old_order {
        match new_map.get(id) {
            Some(b) => match compare(id, &old_map[id], b, &mut result.moved) {
                Some(m) => result.modified.push(m),
                None => result.unchanged += 1,
            },
            None => removed.push(id),
        }
    }
    let mut added: Vec<&str> = new_order
        .iter()
        .copied()
        .filter(|id| !old_map.contains_key(id))
        .collect();
    // Renamed: a removed and an added requirement saying the same thing.
    let mut by_content: HashMap<String, Vec<&str>> = HashMap::new();
    for id in &added {
        by_content
            .entry(content_key(&new_map[id]))
            .or_default()
            .push(id);
    }
    let mut renamed_to: BTreeSet<&str> = BTreeSet::new();
    removed.retain(|id| {
        let key = content_key(&old_map[id]);
        if let Some(candidates) = by_content.get_mut(&key) {
            if !candidates.is_empty() {
                let to = candidates.remove(0);
                renamed_to.insert(to);
                result.renamed.push(Renamed {
                    from: (*id).to_owned(),
                    to: to.to_owned(),
                });
                return false;
            }
        }
        true
    });
    added.retain(|id| !renamed_to.contains(id));
    result.removed = removed.iter().map(|id| entry(id, &old_map[id])).collect();
    result.added = added.iter().map(|id| entry(id, &new_map[id])).collect();
    result.statut_publication = check_labels(&result, &old_map, &new_order, &new_map);
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Perimetre, Profile, Source};

    fn row(id: &str, chapter: &str, text: &str, proof: &str) -> RemRow {
        RemRow {
            perimetre: Perimetre::Vague2,
            exigence_id: id.to_owned(),
            chapitre: chapter.to_owned(),
            fonction: None,
            exigence: text.to_owned(),
            commentaire: None,
            profil: Profile::general(),
            scenario_id: format!("{id}.01"),
            scenario: "Vérifier".to_owned(),
            preuve_id: format!("{id}.01.01"),
            preuve: proof.to_owned(),
            profil_historique: None,
            criticite: None,
            ordre: None,
            source: Source::Convergence,
            source_inferred: false,
            nature: None,
            statut_publication: None,
            va_n_1: None,
            location: crate::diag::Location::new(&std::sync::Arc::from("x"), 1, 1),
            profil_location: crate::diag::Location::new(&std::sync::Arc::from("x"), 1, 1),
        }
    }

    #[test]
    fn visible_lines_keeps_the_lines_of_a_cell() {
        assert_eq!(
            visible_lines("Le système DOIT :\n\n•  chiffrer\u{a0};\n• tracer"),
            "Le système DOIT :\n• chiffrer ;\n• tracer"
        );
        assert_eq!(visible_lines("a  b"), "a b");
    }

    #[test]
    fn visible_text_drops_markup_and_collapses_spaces() {
        assert_eq!(
            visible_text("<p>Le&nbsp;système  DOIT</p>\n<p>tracer</p>"),
            "Le système DOIT tracer"
        );
        assert_eq!(
            visible_text("a < b et <identifiant>"),
            "a < b et <identifiant>"
        );
        assert_eq!(
            visible_text("voir <a href=\"https://x\">le guide</a>"),
            "voir le guide"
        );
    }

    #[test]
    fn each_kind_of_change() {
        let old = vec![
            row("A.01", "INS", "Le système DOIT interroger INSi.", "Démo"),
            row("A.02", "INS", "Texte  deux", "Démo"),
            row("A.03", "SSI", "Texte trois", "Démo"),
            row("A.04", "SSI", "Supprimée", "Démo"),
            row("A.05", "SSI", "Renumérotée", "Démo"),
        ];
        let new = vec![
            row(
                "A.01",
                "INS",
                "Le système DOIT interroger le téléservice INSi.",
                "Démo",
            ),
            row("A.02", "INS", "<p>Texte deux</p>", "Démo"),
            row("A.03", "MSS", "Texte trois", "Démo"),
            row("A.06", "SSI", "Nouvelle", "Démo"),
            row("A.07", "SSI", "Renumérotée", "Démo"),
        ];
        let d = diff("1.0", &old, "2.0", &new);
        assert_eq!(
            d.added.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(),
            ["A.06"]
        );
        assert_eq!(
            d.removed.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(),
            ["A.04"]
        );
        assert_eq!(
            d.renamed,
            [Renamed {
                from: "A.05".into(),
                to: "A.07".into()
            }]
        );
        let m: Vec<(&str, Vec<&str>, bool)> = d
            .modified
            .iter()
            .map(|m| {
                (
                    m.id.as_str(),
                    m.fields.iter().map(String::as_str).collect(),
                    m.whitespace_only,
                )
            })
            .collect();
        assert_eq!(
            m,
            [
                ("A.01", vec!["Exigence"], false),
                ("A.02", vec![], true),
                ("A.03", vec!["Chapitre"], false)
            ]
        );
        assert_eq!(
            d.moved,
            [Moved {
                id: "A.03".into(),
                field: "Chapitre".into(),
                from: "SSI".into(),
                to: "MSS".into()
            }]
        );
        let words: Vec<(&str, &str)> = d.modified[0].changes[0]
            .words
            .iter()
            .map(|w| (w.op, w.text.as_str()))
            .collect();
        assert_eq!(
            words,
            [
                ("=", "Le système DOIT interroger "),
                ("+", "le téléservice "),
                ("=", "INSi.")
            ]
        );
        assert_eq!(d.counts(), [1, 1, 2, 1, 1, 1]);
    }

    #[test]
    fn proofs_and_scenarios_are_compared_one_by_one() {
        let old = vec![row("A.01", "INS", "T", "Démonstration")];
        let mut r = row("A.01", "INS", "T", "Démonstration vidéo");
        r.source = Source::Cnda;
        let mut extra = row("A.01", "INS", "T", "Capture");
        extra.preuve_id = "A.01.01.02".into();
        let d = diff("1", &old, "2", &[r, extra]);
        let fields: Vec<&str> = d.modified[0]
            .changes
            .iter()
            .map(|c| c.field.as_str())
            .collect();
        assert_eq!(
            fields,
            [
                "Preuve A.01.01.01",
                "Source A.01.01.01",
                "Preuve A.01.01.02"
            ]
        );
        assert_eq!(d.modified[0].fields, ["Preuves"]);
    }

    proptest::proptest! {
        #[test]
        fn diff_of_a_release_with_itself_is_empty_and_diffs_mirror(
            texts in proptest::collection::vec("[a-zé ]{0,12}", 1..8),
            drop in proptest::collection::vec(proptest::bool::ANY, 8),
            edit in proptest::collection::vec(proptest::bool::ANY, 8),
        ) {
            let a: Vec<RemRow> = texts.iter().enumerate().map(|(i, t)| row(&format!("R.{i:02}"), "C", t, "P")).collect();
            let b: Vec<RemRow> = a.iter().enumerate()
                .filter(|(i, _)| !drop[*i])
                .map(|(i, r)| { let mut r = r.clone(); if edit[i] { r.exigence.push_str(" modifié"); } r })
                .collect();
            proptest::prop_assert!(diff("a", &a, "a", &a).is_empty());
            let ab = diff("a", &a, "b", &b);
            let ba = diff("b", &b, "a", &a);
            let ids = |v: &[Entry]| v.iter().map(|e| e.id.clone()).collect::<Vec<_>>();
            proptest::prop_assert_eq!(ids(&ab.added), ids(&ba.removed));
            proptest::prop_assert_eq!(ids(&ab.removed), ids(&ba.added));
            proptest::prop_assert_eq!(
                ab.modified.iter().map(|m| m.id.clone()).collect::<Vec<_>>(),
                ba.modified.iter().map(|m| m.id.clone()).collect::<Vec<_>>()
            );
            proptest::prop_assert_eq!(ab.renamed.len(), ba.renamed.len());
            for (x, y) in ab.renamed.iter().zip(&ba.renamed) {
                proptest::prop_assert_eq!((&x.from, &x.to), (&y.to, &y.from));
            }
        }

        #[test]
        fn renumbering_alone_is_a_rename(n in 1usize..6, shift in 1usize..20) {
            let a: Vec<RemRow> = (0..n).map(|i| row(&format!("R.{i:02}"), "C", &format!("texte {i}"), "P")).collect();
            let b: Vec<RemRow> = (0..n).map(|i| {
                let mut r = row(&format!("R.{:02}", i + n + shift), "C", &format!("texte {i}"), "P");
                r.scenario_id = format!("S{i}"); r.preuve_id = format!("P{i}"); r
            }).collect();
            let d = diff("a", &a, "b", &b);
            proptest::prop_assert_eq!(d.renamed.len(), n);
            proptest::prop_assert!(d.added.is_empty() && d.removed.is_empty());
        }
    }
}
