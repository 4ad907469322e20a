//! The convention de référencement draft: a Tera template producing Markdown
//! (`templates/convention.md.tera`, overridable), then HTML (sanitised, in
//! `templates/convention.html`) and PDF (the Markdown typeset directly).

use chrono::NaiveDate;
use serde::Serialize;

pub use super::blocks::SIGNATURE_MARK;
use super::blocks::{blocks, Block};
use super::french;
use super::pdf::{Document, Meta, PdfError};
use super::Templates;
use crate::rules::Outcome;

/// Escapes what Markdown would read as markup in a value from the data.
/// A value is always inline text: its line breaks become spaces (a
/// multi-line value would otherwise add a heading, a rule, a list or a
/// code block to a legal draft), and what would start a block at the
/// beginning of a line (`-`, `+`, `=`, `1.`) is escaped.
pub fn md(text: &str) -> String {
    let text: String = text
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    let text = text.trim_start();
    let mut out = String::with_capacity(text.len() + 8);
    if text.starts_with(['-', '+', '=']) {
        out.push('\\');
    }
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    for (i, c) in text.chars().enumerate() {
        if i == digits && digits > 0 && matches!(c, '.' | ')') {
            out.push('\\');
        }
        if matches!(
            c,
            '\\' | '*' | '_' | '|' | '[' | ']' | '<' | '>' | '`' | '#' | '~'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// What the convention template receives; every string is Markdown-escaped.
#[derive(Debug, Serialize)]
pub struct ConventionView {
    /// Candidature id.
    pub id: String,
    /// Date of the draft, in French.
    pub date: String,
    /// The dispositif.
    pub dispositif: DispositifView,
    /// Current REM release.
    pub rem_version: String,
    /// The éditeur.
    pub editeur: EditeurView,
    /// `Mme Claire Martin, Présidente`.
    pub representant: Option<String>,
    /// The solution.
    pub solution: SolutionView,
    /// The proxy, described.
    pub proxy: Option<String>,
    /// Additional components.
    pub composants: Vec<ComposantView>,
    /// Commercial names.
    pub noms: Vec<NomView>,
    /// Profiles, `Général` first.
    pub profils: String,
    /// True when the EDC PSC exemption applies.
    pub hors_edc_psc: bool,
    /// Root référencement.
    pub racine: Option<RefView>,
    /// Vague 1 référencements.
    pub heritage: Vec<RefView>,
    /// Members of the groupement solidaire, parties with the éditeur (chef de file).
    pub groupement: Vec<PartieView>,
    /// Declared distributors: not parties, stated.
    pub distributeurs: Vec<PartieView>,
    /// Obsolete versions declared, `None` when the form's answer is missing.
    pub versions_obsoletes: Option<Vec<String>>,
}

/// A company named in the convention.
#[derive(Debug, Serialize)]
pub struct PartieView {
    /// Company name.
    pub raison_sociale: String,
    /// SIRET, grouped.
    pub siret: Option<String>,
    /// Role in the groupement.
    pub role: Option<String>,
}

impl PartieView {
    fn new(raison_sociale: &str, siret: Option<&crate::model::Siret>, role: Option<&str>) -> Self {
        PartieView {
            raison_sociale: md(raison_sociale),
            siret: siret.map(|s| super::attestation::siret(s.as_str())),
            role: role.map(md),
        }
    }
}

/// A dispositif.
#[derive(Debug, Serialize)]
pub struct DispositifView {
    /// Code.
    pub code: String,
    /// Name.
    pub nom: String,
    /// Couloir.
    pub couloir: String,
    /// DSR version.
    pub version_dsr: Option<String>,
}

/// The éditeur.
#[derive(Debug, Serialize)]
pub struct EditeurView {
    /// Raison sociale.
    pub raison_sociale: String,
    /// SIRET, grouped.
    pub siret: String,
    /// NIE.
    pub nie: Option<String>,
    /// Address.
    pub adresse: Option<String>,
}

/// The solution.
#[derive(Debug, Serialize)]
pub struct SolutionView {
    /// Name.
    pub nom: String,
    /// Version.
    pub version: String,
    /// Composant principal.
    pub composant_principal: String,
}

impl EditeurView {
    /// The éditeur's values, Markdown-escaped.
    pub fn of(e: &crate::model::Editeur) -> Self {
        EditeurView {
            raison_sociale: md(&e.raison_sociale),
            siret: super::attestation::siret(e.siret.as_str()),
            nie: e.nie.as_deref().map(md),
            adresse: e.adresse.as_deref().map(md),
        }
    }
}

impl SolutionView {
    /// The solution's values, Markdown-escaped.
    pub fn of(s: &crate::model::Solution) -> Self {
        SolutionView {
            nom: md(&s.nom),
            version: md(s.version.as_str()),
            composant_principal: md(&s.composant_principal),
        }
    }
}

/// A component.
#[derive(Debug, Serialize)]
pub struct ComposantView {
    /// Name.
    pub nom: String,
    /// Editor.
    pub editeur: String,
    /// `oui` / `non`.
    pub nouveau: &'static str,
    /// Chapters.
    pub chapitres: String,
}

/// A commercial name.
#[derive(Debug, Serialize)]
pub struct NomView {
    /// Name.
    pub nom: String,
    /// NIL.
    pub nil: String,
    /// Version.
    pub version: String,
}

/// A référencement.
#[derive(Debug, Serialize)]
pub struct RefView {
    /// NRU.
    pub nru: String,
    /// Solution.
    pub solution: String,
    /// Version.
    pub version: String,
    /// Dispositif.
    pub dispositif: String,
}

/// The view of a candidature's convention.
pub fn view(o: &Outcome<'_>, date: NaiveDate) -> ConventionView {
    let c = o.candidature;
    let d = o.dispositif;
    let refs = |r: &crate::model::Referencement| RefView {
        nru: md(r.nru.as_str()),
        solution: md(&r.solution),
        version: md(r.version.as_str()),
        dispositif: md(r.dispositif.as_str()),
    };
    ConventionView {
        id: md(c.id.as_str()),
        date: french::date(date),
        dispositif: DispositifView {
            code: md(d.code.as_str()),
            nom: md(&d.nom),
            couloir: md(&d.couloir),
            version_dsr: d.version_dsr.as_ref().map(|v| md(v.as_str())),
        },
        rem_version: md(o.rem.version.as_str()),
        editeur: EditeurView::of(&c.editeur),
        representant: c.editeur.representant_legal.as_ref().map(|p| {
            let civ = p
                .civilite
                .as_deref()
                .map(|x| format!("{} ", md(x)))
                .unwrap_or_default();
            let q = p
                .qualite
                .as_deref()
                .map(|x| format!(", {}", md(x)))
                .unwrap_or_default();
            format!("{civ}{} {}{q}", md(&p.prenom), md(&p.nom))
        }),
        solution: SolutionView::of(&c.solution),
        proxy: c.solution.proxy_esante.as_ref().map(|p| {
            let by = p
                .editeur
                .as_deref()
                .map(|e| format!(", édité par {}", md(e)))
                .unwrap_or_default();
            let new = if p.nouveau { " (nouveau)" } else { "" };
            format!("{}{by}{new}", md(&p.nom))
        }),
        composants: c
            .solution
            .composants_additionnels
            .iter()
            .map(|k| ComposantView {
                nom: md(&k.nom),
                editeur: k.editeur.as_deref().map_or_else(|| "—".to_owned(), md),
                nouveau: if k.nouveau { "oui" } else { "non" },
                chapitres: if k.chapitres.is_empty() {
                    "—".to_owned()
                } else {
                    md(&k.chapitres.join(" ; "))
                },
            })
            .collect(),
        noms: c
            .noms_commerciaux
            .iter()
            .map(|n| NomView {
                nom: md(&n.nom),
                nil: md(&n.nil),
                version: md(n.version.as_str()),
            })
            .collect(),
        profils: md(&crate::model::Profile::list(&o.profils)),
        hors_edc_psc: o
            .masquees
            .iter()
            .any(|m| m.mask == crate::rules::Mask::HorsEdcPsc),
        racine: o.racine.map(refs),
        heritage: o.heritage.iter().map(|r| refs(r)).collect(),
        groupement: c
            .groupement
            .iter()
            .map(|m| PartieView::new(&m.raison_sociale, m.siret.as_ref(), m.role.as_deref()))
            .collect(),
        distributeurs: c
            .distributeurs
            .iter()
            .map(|d| PartieView::new(&d.raison_sociale, d.siret.as_ref(), None))
            .collect(),
        versions_obsoletes: c.versions_obsoletes.as_ref().map(|list| {
            list.iter()
                .map(|v| {
                    let when = v
                        .date
                        .map(|d| format!(", annoncé le {}", french::date(d)))
                        .unwrap_or_default();
                    format!("{} ({}{when})", md(v.version.as_str()), v.motif.as_str())
                })
                .collect()
        }),
    }
}

/// The Markdown draft.
pub fn markdown(templates: &Templates, o: &Outcome<'_>, date: NaiveDate) -> Result<String, String> {
    templates
        .render("convention.md.tera", &view(o, date))
        .map_err(|(file, message)| format!("{file} : {message}"))
}

#[derive(Serialize)]
struct PageView<'a> {
    title: String,
    body_html: &'a str,
}

/// The standalone HTML page of a Markdown draft (data sanitised).
pub fn html(templates: &Templates, markdown: &str, o: &Outcome<'_>) -> Result<String, String> {
    let body = super::markdown::document_html(markdown);
    templates
        .render(
            "convention.html",
            &PageView {
                title: format!(
                    "Projet de convention de référencement — {}",
                    o.candidature.solution.nom
                ),
                body_html: &body,
            },
        )
        .map_err(|(file, message)| format!("{file} : {message}"))
}

/// The PDF of a Markdown draft: headings, paragraphs with bold, lists, tables.
pub fn pdf(markdown: &str, o: &Outcome<'_>, date: NaiveDate) -> Result<Vec<u8>, PdfError> {
    let c = o.candidature;
    let meta = Meta {
        title: format!(
            "Projet de convention de référencement — {} ({})",
            c.solution.nom, o.dispositif.code
        ),
        author: c.editeur.raison_sociale.clone(),
        subject: format!("Référencement Ségur vague 2 — candidature {}", c.id),
    };
    let representant = c
        .editeur
        .representant_legal
        .as_ref()
        .map(|p| format!("{} {}", p.prenom, p.nom))
        .unwrap_or_else(|| "le représentant légal".to_owned());
    let raison_sociale = c.editeur.raison_sociale.clone();
    // Article 9: signed electronically, by the éditeur then the ANS: an
    // empty signature field for each, for their signing tools.
    let mut signatures = |doc: &mut Document| {
        doc.signature_box(
            &[format!("Pour l'Éditeur, {raison_sociale} : {representant}")],
            &format!("Signature pour l'Éditeur ({representant})"),
            None,
        );
        doc.signature_box(
            &["Pour l'ANS : la Direction générale".to_owned()],
            "Signature pour l'Agence du Numérique en Santé",
            None,
        );
    };
    typeset(
        markdown,
        meta,
        format!(
            "PROJET de convention — {} {} — ne vaut pas convention signée",
            c.solution.nom, c.solution.version
        ),
        Some(date),
        &mut signatures,
    )
}

/// The PDF of a Markdown document: headings, paragraphs with bold, lists,
/// tables; `signatures` draws the signature fields where the text has
/// [`SIGNATURE_MARK`], or after the text.
pub fn typeset(
    markdown: &str,
    meta: Meta,
    footer: String,
    creation: Option<NaiveDate>,
    signatures: &mut dyn FnMut(&mut Document),
) -> Result<Vec<u8>, PdfError> {
    let mut doc = Document::new(meta, footer)?;
    let mut signed = false;
    for block in blocks(markdown) {
        match block {
            Block::Heading(1, text) => doc.title(&text, ""),
            Block::Heading(level, text) => {
                doc.heading(&text, if level == 2 { 12.5 } else { 11.0 }, level.min(3));
            }
            // A numbered item is labelled by its number alone (it was
            // « • 1. »).
            Block::Item {
                number: Some(n),
                spans,
                ..
            } => doc.item(&format!("{n}."), &spans, 10.0),
            Block::Item { spans, .. } => doc.bullet(&spans, 10.0),
            Block::Paragraph(spans) => doc.paragraph(&spans, 10.0),
            Block::Table(head, rows) => {
                let header: Vec<&str> = head.iter().map(String::as_str).collect();
                doc.table(&column_widths(&head, &rows), &header, &rows);
            }
            Block::Rule => doc.space(8.0),
            Block::Signature => {
                signatures(&mut doc);
                signed = true;
            }
        }
    }
    if !signed {
        signatures(&mut doc);
    }
    doc.finish(creation)
}

/// Columns as wide as their longest text, within 8 to 40 characters and
/// never narrower than their longest word (a NIL, « Version »), as
/// fractions of the text width.
fn column_widths(head: &[String], rows: &[Vec<String>]) -> Vec<f32> {
    let n = head.len().max(1);
    let chars: Vec<f32> = (0..n)
        .map(|i| {
            let cells = || {
                std::iter::once(head)
                    .chain(rows.iter().map(Vec::as_slice))
                    .filter_map(move |r| r.get(i))
            };
            let longest = cells()
                .map(|t| t.chars().count())
                .max()
                .unwrap_or(0)
                .clamp(8, 40);
            let word = cells()
                .flat_map(|t| t.split_whitespace())
                .map(|w| w.chars().count() + 3)
                .max()
                .unwrap_or(0)
                .min(40);
            longest.max(word) as f32
        })
        .collect();
    let total: f32 = chars.iter().sum();
    chars.iter().map(|c| c / total).collect()
}

/// The convention draft as a Word document: the same text as the PDF.
pub fn docx(markdown: &str, o: &Outcome<'_>, date: NaiveDate) -> Result<Vec<u8>, String> {
    let c = o.candidature;
    super::docx::docx(
        markdown,
        &super::docx::Frame {
            footer: &format!(
                "PROJET de convention — {} {} — ne vaut pas convention signée",
                c.solution.nom, c.solution.version
            ),
            boxes: &["Signature pour l'Éditeur", "Signature pour l'ANS"],
            created: &format!("{}T12:00:00Z", date.format("%Y-%m-%d")),
        },
    )
}
