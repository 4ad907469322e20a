//! The attestation sur l'honneur (R5): several commercial names designate one
//! and the same Solution logicielle, and/or new components are present. One
//! A4 page when the data allows it; never clipped when it does not.

use chrono::NaiveDate;

use super::french;
use super::pdf::{Document, Meta, PdfError, Span};
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

/// The attestation of a candidature whose outcome requires one.
pub fn attestation(o: &Outcome<'_>, date: Option<NaiveDate>) -> Result<Vec<u8>, PdfError> {
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
    // The footer names the solution, not the file's internal id.
    let mut doc = Document::new(
        meta,
        format!(
            "Attestation sur l'honneur — {} {} — {}",
            c.solution.nom, c.solution.version, o.dispositif.code
        ),
    )?;
    doc.title(
        "ATTESTATION SUR L'HONNEUR",
        &format!(
            "Référencement Ségur du numérique en santé — vague 2 — dispositif {} ({})",
            o.dispositif.code, o.dispositif.nom
        ),
    );

    let (soussigne, nom, qualite) = match &e.representant_legal {
        Some(p) => {
            let feminine = p.civilite.as_deref().is_some_and(|x| {
                let x = x.trim_end_matches('.').to_lowercase();
                x == "mme" || x == "madame" || x == "mlle"
            });
            let masculine = p.civilite.as_deref().is_some_and(|x| {
                let x = x.trim_end_matches('.').to_lowercase();
                x == "m" || x == "monsieur"
            });
            let word = if feminine {
                "Je soussignée"
            } else if masculine {
                "Je soussigné"
            } else {
                "Je soussigné(e)"
            };
            let civ = p
                .civilite
                .clone()
                .map(|c| format!("{c} "))
                .unwrap_or_default();
            (
                word,
                format!("{civ}{} {}", p.prenom, p.nom),
                p.qualite.clone().unwrap_or_else(|| blank("qualité")),
            )
        }
        None => ("Je soussigné(e)", blank("prénom et nom"), blank("qualité")),
    };
    let mut identity = vec![
        Span::plain(format!("{soussigne}, ")),
        Span::bold(nom.clone()),
        Span::plain(format!(", agissant en qualité de {qualite} de la société ")),
        Span::bold(e.raison_sociale.clone()),
        Span::plain(format!(", SIRET {}", siret(e.siret.as_str()))),
    ];
    if let Some(nie) = &e.nie {
        identity.push(Span::plain(format!(", NIE {nie}")));
    }
    match &e.adresse {
        Some(a) => identity.push(Span::plain(format!(", dont le siège est situé {a},"))),
        None => identity.push(Span::plain(",")),
    }
    doc.paragraph(&identity, 10.5);
    if !c.groupement.is_empty() {
        doc.paragraph(
            &[Span::plain(
                "agissant en qualité de chef de file (mandataire) du groupement solidaire formé avec :",
            )],
            10.5,
        );
        let rows: Vec<Vec<String>> = c
            .groupement
            .iter()
            .map(|m| {
                vec![
                    m.raison_sociale.clone(),
                    m.siret
                        .as_ref()
                        .map_or_else(|| "—".to_owned(), |s| siret(s.as_str())),
                    m.role.clone().unwrap_or_else(|| "—".to_owned()),
                ]
            })
            .collect();
        doc.table(&[0.4, 0.25, 0.35], &["Membre", "SIRET", "Rôle"], &rows);
    }

    let profils = crate::model::Profile::list(&o.profils);
    doc.paragraph(
        &[
            Span::plain("éditeur de la solution logicielle "),
            Span::bold(format!("«\u{a0}{}\u{a0}»", c.solution.nom)),
            Span::plain(format!(
                ", version {}, dont le composant principal est ",
                c.solution.version
            )),
            Span::bold(format!("«\u{a0}{}\u{a0}»", c.solution.composant_principal)),
            Span::plain(format!(
                ", candidate au référencement sur le dispositif {} pour les profils {profils},",
                o.dispositif.code
            )),
        ],
        10.5,
    );

    doc.heading("atteste sur l'honneur :", 11.0, 2);
    // The names are attested whenever R5 asked because of them (several
    // names, or a name other than the root's or the solution's).
    if c.noms_commerciaux.len() > 1
        || o.attestation
            .iter()
            .any(|r| r.starts_with("le nom commercial"))
    {
        let names = if c.noms_commerciaux.len() > 1 {
            "que les noms commerciaux ci-dessous désignent une seule et même Solution logicielle, dont le composant principal est identique :"
        } else {
            "que le nom commercial ci-dessous désigne cette Solution logicielle :"
        };
        doc.bullet(&[Span::plain(names)], 10.5);
        let rows: Vec<Vec<String>> = c
            .noms_commerciaux
            .iter()
            .map(|n| vec![n.nom.clone(), n.nil.clone(), n.version.to_string()])
            .collect();
        doc.table(
            &[0.5, 0.25, 0.25],
            &["Nom commercial", "NIL", "Version technique"],
            &rows,
        );
    }
    let new: Vec<_> = c
        .solution
        .component_slots()
        .map(|slot| (slot.kind, slot.composant))
        .filter(|(_, k)| k.nouveau)
        .collect();
    if !new.is_empty() {
        let root = match o.racine {
            Some(r) => format!(
                ", distincts de ceux de la solution racine {} ({}, version {})",
                r.nru, r.solution, r.version
            ),
            None => String::new(),
        };
        doc.bullet(
            &[Span::plain(format!(
                "que la Solution logicielle comporte les nouveaux composants suivants{root}, et que les preuves des chapitres du référentiel qu'ils impactent seront déposées :"
            ))],
            10.5,
        );
        let rows: Vec<Vec<String>> = new
            .iter()
            .map(|(kind, k)| {
                vec![
                    format!("{} ({kind})", k.nom),
                    k.editeur.clone().unwrap_or_else(|| "—".to_owned()),
                    k.nil.clone().unwrap_or_else(|| "—".to_owned()),
                    k.version.clone().unwrap_or_else(|| "—".to_owned()),
                    k.chapitres.join(" ; "),
                ]
            })
            .collect();
        doc.table(
            &[0.24, 0.2, 0.13, 0.1, 0.33],
            &[
                "Composant",
                "Éditeur",
                "NIL",
                "Version",
                "Chapitres du REM impactés",
            ],
            &rows,
        );
    }
    if let Some(r) = o.racine {
        doc.bullet(
            &[
                Span::plain("que la présente candidature s'appuie, au titre de l'équivalence des preuves, sur la solution racine référencée sous le numéro "),
                Span::bold(r.nru.to_string()),
                Span::plain(format!(
                    " ({}, version {}, dispositif {}), dont la version est antérieure ou égale à la version candidate (compatibilité ascendante).",
                    r.solution, r.version, r.dispositif
                )),
            ],
            10.5,
        );
    }
    if !c.distributeurs.is_empty() {
        let names: Vec<String> = c
            .distributeurs
            .iter()
            .map(|d| match &d.siret {
                Some(s) => format!("{} (SIRET {})", d.raison_sociale, siret(s.as_str())),
                None => d.raison_sociale.clone(),
            })
            .collect();
        doc.bullet(
            &[Span::plain(format!(
                "que la Solution logicielle est distribuée, sur mandat de l'Éditeur, par : {} ; ces distributeurs ne sont pas parties à la démarche de référencement, conduite par l'Éditeur ;",
                names.join(", ")
            ))],
            10.5,
        );
    }
    doc.bullet(
        &[Span::plain(
            "que les informations ci-dessus sont exactes et complètes.",
        )],
        10.5,
    );

    let (lieu, when) = match &c.signature {
        Some(s) => (
            s.lieu.clone().unwrap_or_else(|| blank("lieu")),
            s.date.map(french::date).unwrap_or_else(|| blank("date")),
        ),
        None => (blank("lieu"), blank("date")),
    };
    doc.space(6.0);
    doc.signature_box(
        &[
            format!("Fait à {lieu}, le {when}."),
            format!("{nom}, {qualite}"),
        ],
        &format!("Signature de {nom}, {qualite}"),
        Some("Cachet de l'entreprise"),
    );
    doc.note("Le fait d'établir une attestation faisant état de faits matériellement inexacts est puni d'un an d'emprisonnement et de 15\u{a0}000\u{a0}€ d'amende (article 441-7 du Code pénal).");
    doc.note("Document établi à partir de la candidature au référencement, à signer par le représentant légal de la société avant son dépôt.");
    let creation = c.signature.as_ref().and_then(|s| s.date).or(date);
    doc.finish(creation)
}
