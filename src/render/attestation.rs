//! The attestation sur l'honneur (R5): several commercial names designate one
//! and the same Solution logicielle, and/or new components are present.
//! Its text is a Tera template producing Markdown
//! (`templates/attestation.md.tera`, overridable in a project, for the
//! ANS's official wording), typeset like the convention. One A4 page when
//! the data allows it; never clipped when it does not.

use chrono::NaiveDate;

use serde::Serialize;

use super::convention::{md, typeset, EditeurView, SolutionView};
use super::french;
use super::pdf::{Document, Meta, PdfError};
use super::Templates;
use crate::rules::Outcome;

/// `73282932000074` → `732 829 320 00074`.
pub fn siret(raw: &str) -> String {
    if raw.len() == 14 && raw.is_ascii() {
        format!("{} {} {} {}", &raw[..3], &raw[3..6], &raw[6..9], &raw[9..])
    } else {
        raw.to_owned()
    }
}

/// A dotted line left to fill, with what goes on it.
fn blank(what: &str) -> String {
    format!("…………………………… ({what})")
}

/// What the attestation template receives; every string is
/// Markdown-escaped inline text.
#[derive(Debug, Serialize)]
pub struct AttestationView {
    /// « Je soussignée », « Je soussigné », « Je soussigné(e) ».
    pub soussigne: &'static str,
    /// The legal representative, or a labelled blank.
    pub nom: String,
    /// Their title, or a labelled blank.
    pub qualite: String,
    /// The éditeur.
    pub editeur: EditeurView,
    /// Members of the groupement solidaire.
    pub groupement: Vec<MembreView>,
    /// The solution.
    pub solution: SolutionView,
    /// The dispositif.
    pub dispositif: DispositifView,
    /// `Général, PDE`.
    pub profils: String,
    /// True when R5 asks for the names to be attested.
    pub atteste_noms: bool,
    /// Commercial names.
    pub noms: Vec<NomView>,
    /// New components.
    pub nouveaux: Vec<ComposantView>,
    /// The root référencement.
    pub racine: Option<RacineView>,
    /// Distributors, `Nom (SIRET …), …`.
    pub distributeurs: String,
    /// Place of signature, or a labelled blank.
    pub lieu: String,
    /// Date of signature in French, or a labelled blank.
    pub date: String,
}

/// A member of the groupement.
#[derive(Debug, Serialize)]
pub struct MembreView {
    /// Company name.
    pub raison_sociale: String,
    /// SIRET or « — ».
    pub siret: String,
    /// Role or « — ».
    pub role: String,
}

/// The dispositif.
#[derive(Debug, Serialize)]
pub struct DispositifView {
    /// Code.
    pub code: String,
    /// Name.
    pub nom: String,
}

/// A commercial name.
#[derive(Debug, Serialize)]
pub struct NomView {
    /// Name.
    pub nom: String,
    /// NIL.
    pub nil: String,
    /// Version technique.
    pub version: String,
}

/// A new component.
#[derive(Debug, Serialize)]
pub struct ComposantView {
    /// Name.
    pub nom: String,
    /// « Composant additionnel », « Proxy e-santé ».
    pub kind: String,
    /// Its éditeur or « — ».
    pub editeur: String,
    /// NIL or « — ».
    pub nil: String,
    /// Version or « — ».
    pub version: String,
    /// The REM chapters it impacts, `;`-separated.
    pub chapitres: String,
}

/// The root référencement.
#[derive(Debug, Serialize)]
pub struct RacineView {
    /// NRU.
    pub nru: String,
    /// Solution.
    pub solution: String,
    /// Version.
    pub version: String,
    /// Dispositif.
    pub dispositif: String,
}

/// The template's view of `o`.
pub fn view(o: &Outcome<'_>) -> AttestationView {
    let c = o.candidature;
    let e = &c.editeur;
    let dash = |v: Option<&str>| v.map_or_else(|| "—".to_owned(), md);
    let (soussigne, nom, qualite) = match &e.representant_legal {
        Some(p) => {
            let civilite = p
                .civilite
                .as_deref()
                .map(|x| x.trim_end_matches('.').to_lowercase());
            let soussigne = match civilite.as_deref() {
                Some("mme" | "madame" | "mlle") => "Je soussignée",
                Some("m" | "monsieur") => "Je soussigné",
                _ => "Je soussigné(e)",
            };
            let civ = p
                .civilite
                .as_deref()
                .map(|c| format!("{} ", md(c)))
                .unwrap_or_default();
            (
                soussigne,
                format!("{civ}{} {}", md(&p.prenom), md(&p.nom)),
                p.qualite.as_deref().map_or_else(|| blank("qualité"), md),
            )
        }
        None => ("Je soussigné(e)", blank("prénom et nom"), blank("qualité")),
    };
    let (lieu, date) = match &c.signature {
        Some(s) => (
            s.lieu.as_deref().map_or_else(|| blank("lieu"), md),
            s.date.map(french::date).unwrap_or_else(|| blank("date")),
        ),
        None => (blank("lieu"), blank("date")),
    };
    // The names are attested whenever R5 asked because of them (several
    // names, or a name other than the root's or the solution's).
    let atteste_noms = c.noms_commerciaux.len() > 1
        || o.attestation
            .iter()
            .any(|r| r.starts_with("le nom commercial"));
    AttestationView {
        soussigne,
        nom,
        qualite,
        editeur: EditeurView::of(e),
        groupement: c
            .groupement
            .iter()
            .map(|m| MembreView {
                raison_sociale: md(&m.raison_sociale),
                siret: m
                    .siret
                    .as_ref()
                    .map_or_else(|| "—".to_owned(), |s| siret(s.as_str())),
                role: dash(m.role.as_deref()),
            })
            .collect(),
        solution: SolutionView::of(&c.solution),
        dispositif: DispositifView {
            code: md(o.dispositif.code.as_str()),
            nom: md(&o.dispositif.nom),
        },
        profils: md(&crate::model::Profile::list(&o.profils)),
        atteste_noms,
        noms: c
            .noms_commerciaux
            .iter()
            .map(|n| NomView {
                nom: md(&n.nom),
                nil: md(&n.nil),
                version: md(&n.version.to_string()),
            })
            .collect(),
        nouveaux: c
            .solution
            .component_slots()
            .filter(|slot| slot.composant.nouveau)
            .map(|slot| {
                let k = slot.composant;
                ComposantView {
                    nom: md(&k.nom),
                    kind: md(slot.kind),
                    editeur: dash(k.editeur.as_deref()),
                    nil: dash(k.nil.as_deref()),
                    version: dash(k.version.as_deref()),
                    chapitres: md(&k.chapitres.join(" ; ")),
                }
            })
            .collect(),
        racine: o.racine.map(|r| RacineView {
            nru: md(r.nru.as_str()),
            solution: md(&r.solution),
            version: md(&r.version.to_string()),
            dispositif: md(r.dispositif.as_str()),
        }),
        distributeurs: c
            .distributeurs
            .iter()
            .map(|d| match &d.siret {
                Some(s) => format!("{} (SIRET {})", md(&d.raison_sociale), siret(s.as_str())),
                None => md(&d.raison_sociale),
            })
            .collect::<Vec<_>>()
            .join(", "),
        lieu,
        date,
    }
}

/// The attestation's Markdown, from `templates/attestation.md.tera`.
pub fn markdown(templates: &Templates, o: &Outcome<'_>) -> Result<String, String> {
    templates
        .render("attestation.md.tera", &view(o))
        .map_err(|(file, message)| format!("{file} : {message}"))
}

/// The attestation of a candidature whose outcome requires one.
pub fn attestation(
    templates: &Templates,
    o: &Outcome<'_>,
    date: Option<NaiveDate>,
) -> Result<Vec<u8>, PdfError> {
    let c = o.candidature;
    let e = &c.editeur;
    let meta = Meta {
        title: format!(
            "Attestation sur l'honneur — {} ({})",
            c.solution.nom, o.dispositif.code
        ),
        author: e.raison_sociale.clone(),
        subject: format!(
            "Référencement Ségur vague 2 — candidature au référencement de {} {} sur le dispositif {}",
            c.solution.nom, c.solution.version, o.dispositif.code
        ),
    };
    let text = markdown(templates, o).map_err(PdfError)?;
    let signer = match &e.representant_legal {
        Some(p) => format!(
            "{} {}{}",
            p.prenom,
            p.nom,
            p.qualite
                .as_deref()
                .map(|q| format!(", {q}"))
                .unwrap_or_default()
        ),
        None => "le représentant légal".to_owned(),
    };
    let mut signature = |doc: &mut Document| {
        doc.signature_box(
            &[],
            &format!("Signature de {signer}"),
            Some("Cachet de l'entreprise"),
        );
    };
    let creation = c.signature.as_ref().and_then(|s| s.date).or(date);
    // The footer names the solution, not the file's internal id.
    typeset(
        &text,
        meta,
        format!(
            "Attestation sur l'honneur — {} {} — {}",
            c.solution.nom, c.solution.version, o.dispositif.code
        ),
        creation,
        &mut signature,
    )
}

/// The attestation as a Word document: the same text as the PDF.
pub fn docx(
    templates: &Templates,
    o: &Outcome<'_>,
    date: Option<NaiveDate>,
) -> Result<Vec<u8>, String> {
    let c = o.candidature;
    let text = markdown(templates, o)?;
    let created = c
        .signature
        .as_ref()
        .and_then(|s| s.date)
        .or(date)
        .map(|d| format!("{}T12:00:00Z", d.format("%Y-%m-%d")))
        .unwrap_or_else(|| "2000-01-01T00:00:00Z".to_owned());
    super::docx::docx(
        &text,
        &super::docx::Frame {
            footer: &format!(
                "Attestation sur l'honneur — {} {} — {}",
                c.solution.nom, c.solution.version, o.dispositif.code
            ),
            boxes: &["Cachet de l'entreprise", "Signature"],
            created: &created,
        },
    )
}
