//! A REM diff as text (coloured on a terminal), JSON, CSV and HTML.

use std::fmt::Write as _;

use serde::Serialize;

use super::Templates;
use crate::diff::{FieldChange, RemDiff};

/// Counts shown in summaries.
#[derive(Debug, Serialize)]
pub struct Counts {
    /// Added.
    pub added: usize,
    /// Removed.
    pub removed: usize,
    /// Modified for a reader.
    pub reworded: usize,
    /// White space or markup only.
    pub whitespace: usize,
    /// Renumbered.
    pub renamed: usize,
    /// Moved.
    pub moved: usize,
}

/// The counts of a diff.
pub fn counts(d: &RemDiff) -> Counts {
    let [added, removed, reworded, whitespace, renamed, moved] = d.counts();
    Counts {
        added,
        removed,
        reworded,
        whitespace,
        renamed,
        moved,
    }
}

/// An added or removed requirement, with a link when it has a page.
#[derive(Debug, Serialize)]
pub struct EntryView {
    /// ID.
    pub id: String,
    /// Chapter.
    pub chapitre: String,
    /// Visible text.
    pub exigence: String,
    /// Link.
    pub url: Option<String>,
    /// The ANS's label (`Statut publication`) of an added requirement.
    pub statut_ans: Option<&'static str>,
}

/// A modified requirement, with the ANS's label.
#[derive(Debug, Serialize)]
pub struct ModifiedView<'a> {
    /// The change.
    #[serde(flatten)]
    pub change: &'a crate::diff::Modified,
    /// The ANS's label (`Statut publication`) in the new release.
    pub statut_ans: Option<&'static str>,
    /// Link to the requirement in the guide, when it has a page.
    pub url: Option<String>,
    /// The fields rewritten so much that they are shown side by side, old
    /// and new, rather than interleaved word by word.
    pub rewritten: Vec<&'a str>,
}

/// A text is rewritten when less than half of the longer version is kept:
/// interleaved, its removed and added words would read as one soup
/// (« lel'opération »).
pub fn rewritten(c: &crate::diff::FieldChange) -> bool {
    if c.words.is_empty() {
        return false;
    }
    let count = |op: &str| -> usize {
        c.words
            .iter()
            .filter(|w| w.op == op)
            .map(|w| w.text.chars().filter(|ch| !ch.is_whitespace()).count())
            .sum()
    };
    let (kept, removed, added) = (count("="), count("-"), count("+"));
    2 * kept < (kept + removed).max(kept + added)
}

/// A renumbered requirement, with a link to its new number.
#[derive(Debug, Serialize)]
pub struct RenamedView<'a> {
    /// The renumbering.
    #[serde(flatten)]
    pub change: &'a crate::diff::Renamed,
    /// Link to the requirement (new number) in the guide.
    pub url: Option<String>,
}

/// What `diff-body.html` receives under `diff`.
#[derive(Debug, Serialize)]
pub struct DiffView<'a> {
    /// The dispositif, when the releases name one.
    pub dispositif: Option<&'a str>,
    /// Old label.
    pub old: &'a str,
    /// New label.
    pub new: &'a str,
    /// Added.
    pub added: Vec<EntryView>,
    /// Removed.
    pub removed: Vec<EntryView>,
    /// Modified.
    pub modified: Vec<ModifiedView<'a>>,
    /// Renamed.
    pub renamed: Vec<RenamedView<'a>>,
    /// Moved.
    pub moved: &'a [crate::diff::Moved],
    /// Unchanged count.
    pub unchanged: usize,
    /// The ANS's labels checked against the comparison.
    pub statut: Option<&'a crate::diff::StatutReport>,
}

/// The ANS's label of requirement `id` in the new release of `d`.
pub fn statut_ans(d: &RemDiff, id: &str) -> Option<&'static str> {
    d.statut_publication
        .as_ref()
        .and_then(|s| s.labels.get(id))
        .map(|l| l.as_str())
}

/// The view of a diff; `link` gives the URL of a requirement of the new release.
pub fn view<'a>(d: &'a RemDiff, link: &dyn Fn(&str) -> Option<String>) -> DiffView<'a> {
    let entry = |e: &crate::diff::Entry, url: Option<String>, statut_ans| EntryView {
        id: e.id.clone(),
        chapitre: e.chapitre.clone(),
        exigence: e.exigence.clone(),
        url,
        statut_ans,
    };
    DiffView {
        dispositif: d.dispositif.as_deref(),
        old: &d.old,
        new: &d.new,
        added: d
            .added
            .iter()
            .map(|e| entry(e, link(&e.id), statut_ans(d, &e.id)))
            .collect(),
        removed: d.removed.iter().map(|e| entry(e, None, None)).collect(),
        modified: d
            .modified
            .iter()
            .map(|m| ModifiedView {
                change: m,
                statut_ans: statut_ans(d, &m.id),
                url: link(&m.id),
                rewritten: m
                    .changes
                    .iter()
                    .filter(|c| rewritten(c))
                    .map(|c| c.field.as_str())
                    .collect(),
            })
            .collect(),
        renamed: d
            .renamed
            .iter()
            .map(|r| RenamedView {
                change: r,
                url: link(&r.to),
            })
            .collect(),
        moved: &d.moved,
        unchanged: d.unchanged,
        statut: d.statut_publication.as_ref(),
    }
}

#[derive(Serialize)]
struct Title {
    page_title: String,
}

#[derive(Serialize)]
struct Standalone<'a> {
    layout: Title,
    diff: DiffView<'a>,
    counts: Counts,
}

/// `diff --format html`: a standalone page.
pub fn html(templates: &Templates, d: &RemDiff, title: &str) -> Result<String, String> {
    let page = Standalone {
        layout: Title {
            page_title: title.to_owned(),
        },
        diff: view(d, &|_| None),
        counts: counts(d),
    };
    templates
        .render("diff.html", &page)
        .map_err(|(file, message)| format!("{file} : {message}"))
}

/// `diff --format json`: FORMATS.md's keys, each entry with its details.
pub fn json(d: &RemDiff) -> String {
    let mut text = serde_json::to_string_pretty(d).unwrap_or_default();
    text.push('\n');
    text
}

/// `diff --format csv`: one row per change.
pub fn csv(d: &RemDiff) -> Vec<u8> {
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .delimiter(b';')
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut bytes);
        let _ =
            crate::render::csv::record(&mut w, ["Évolution", "ID", "Champ", "Ancien", "Nouveau"]);
        for e in &d.added {
            let _ =
                crate::render::csv::record(&mut w, ["ajoutée", &e.id, "Exigence", "", &e.exigence]);
        }
        for e in &d.removed {
            let _ = crate::render::csv::record(
                &mut w,
                ["supprimée", &e.id, "Exigence", &e.exigence, ""],
            );
        }
        for r in &d.renamed {
            let _ =
                crate::render::csv::record(&mut w, ["renumérotée", &r.to, "ID", &r.from, &r.to]);
        }
        for m in &d.modified {
            for c in &m.changes {
                let kind = if c.whitespace_only {
                    "espaces"
                } else {
                    "modifiée"
                };
                let _ = crate::render::csv::record(
                    &mut w,
                    [
                        kind,
                        &m.id,
                        &c.field,
                        c.old.as_deref().unwrap_or(""),
                        c.new.as_deref().unwrap_or(""),
                    ],
                );
            }
        }
        for x in d.statut_publication.iter().flat_map(|s| &s.desaccords) {
            let _ = crate::render::csv::record(
                &mut w,
                [
                    "statut en désaccord",
                    &x.id,
                    "Statut publication",
                    x.ans,
                    &x.message,
                ],
            );
        }
        let _ = w.flush();
    }
    bytes
}

/// A field change word by word: coloured on a terminal, else `[-…-]{+…+}`.
pub fn words(c: &FieldChange, colour: bool) -> String {
    let mut out = String::new();
    for w in &c.words {
        match (w.op, colour) {
            ("-", true) => {
                let _ = write!(out, "\x1b[31;9m{}\x1b[0m", w.text);
            }
            ("+", true) => {
                let _ = write!(out, "\x1b[32;1m{}\x1b[0m", w.text);
            }
            ("-", false) => {
                let _ = write!(out, "[-{}-]", w.text);
            }
            ("+", false) => {
                let _ = write!(out, "{{+{}+}}", w.text);
            }
            _ => out.push_str(&w.text),
        }
    }
    out
}

/// `diff --format text`; ANSI colours when `colour`.
pub fn text(d: &RemDiff, colour: bool) -> String {
    let c = counts(d);
    let (red, green, yellow, bold, reset) = if colour {
        ("\x1b[31m", "\x1b[32m", "\x1b[33m", "\x1b[1m", "\x1b[0m")
    } else {
        ("", "", "", "", "")
    };
    let mut t = String::new();
    let _ = writeln!(
        t,
        "{bold}{}REM {} → {}{reset} : {} ajoutée(s), {} supprimée(s), {} modifiée(s), {} renumérotée(s), {} déplacée(s), {} aux espaces près ; {} inchangée(s)",
        d.dispositif.as_ref().map_or(String::new(), |c| format!("{c} : ")),
        d.old, d.new, c.added, c.removed, c.reworded, c.renamed, c.moved, c.whitespace, d.unchanged
    );
    let ans = |id: &str| statut_ans(d, id).map_or(String::new(), |l| format!("  (ANS : {l})"));
    for e in &d.added {
        let _ = writeln!(
            t,
            "\n{green}+ {}{reset}  [{}]{}\n    {}",
            e.id,
            e.chapitre,
            ans(&e.id),
            e.exigence.replace('\n', "\n    ")
        );
    }
    for e in &d.removed {
        let _ = writeln!(
            t,
            "\n{red}- {}{reset}  [{}]\n    {}",
            e.id,
            e.chapitre,
            e.exigence.replace('\n', "\n    ")
        );
    }
    for r in &d.renamed {
        let _ = writeln!(
            t,
            "\n{yellow}= {} → {}{reset}  renumérotée, contenu inchangé",
            r.from, r.to
        );
    }
    for m in d.modified.iter().filter(|m| !m.whitespace_only) {
        let _ = writeln!(
            t,
            "\n{yellow}~ {}{reset}  {}{}",
            m.id,
            m.fields.join(", "),
            ans(&m.id)
        );
        for ch in m.changes.iter().filter(|c| !c.whitespace_only) {
            let body = if rewritten(ch) {
                // Too rewritten to interleave: the two texts in turn.
                format!(
                    "réécrit\n{red}avant ({}) : {}{reset}\n{green}après ({}) : {}{reset}",
                    d.old,
                    ch.old.as_deref().unwrap_or(""),
                    d.new,
                    ch.new.as_deref().unwrap_or("")
                )
            } else if !ch.words.is_empty() {
                words(ch, colour)
            } else {
                match (&ch.old, &ch.new) {
                    (Some(o), Some(n)) => format!("« {o} » → « {n} »"),
                    (None, Some(n)) => format!("ajout : {n}"),
                    (Some(o), None) => format!("suppression : {o}"),
                    (None, None) => String::new(),
                }
            };
            let _ = writeln!(t, "    {} : {}", ch.field, body.replace('\n', "\n      "));
        }
    }
    if let Some(s) = &d.statut_publication {
        if s.meme_publication {
            let _ = writeln!(
                t,
                "\nStatut publication (ANS) : mêmes textes et mêmes statuts des deux côtés, c'est la même publication ; ses statuts portent sur la version précédente et ne sont pas vérifiés ici"
            );
        } else {
            let _ = writeln!(
                t,
                "\nStatut publication (ANS) : {} concordant(s), {} en désaccord, {} non vérifié(s) (Obsolète, En cours d'instruction)",
                s.concordants,
                s.desaccords.len(),
                s.non_verifies
            );
            for x in &s.desaccords {
                let _ = writeln!(t, "  {red}!{reset} {} : {}", x.id, x.message);
            }
        }
    }
    if !d.not_compared.is_empty() {
        let _ = writeln!(
            t,
            "\nNon comparées (lignes illisibles) : {}",
            d.not_compared.join(", ")
        );
    }
    let ws: Vec<&str> = d
        .modified
        .iter()
        .filter(|m| m.whitespace_only)
        .map(|m| m.id.as_str())
        .collect();
    if !ws.is_empty() {
        let _ = writeln!(
            t,
            "\nAux espaces ou à la mise en forme près (texte lu identique) : {}",
            ws.join(", ")
        );
    }
    t
}
