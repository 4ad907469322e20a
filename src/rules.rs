//! The proof engine: rules R1–R9 of the référencement, as a pure function
//! from a candidature and the project's data (DSR catalogue, current REM,
//! equivalence lists, registry) to the proofs to deposit and those not asked
//! again, each with its reason.
//!
//! Order of the rules on each REM row, as the ANS applies them:
//! 1. R1 scope: `Général` or a selected profile, else the row is not listed;
//! 2. R6 EDC PSC exemption: the row is masked `hors-edc-psc` — a component
//!    does not make a profile concerned by EDC PSC again;
//! 3. R4 new components: every row of an impacted chapter is to deposit;
//! 4. R2 héritage, then R3 équivalence (a row both would mask is reported as
//!    héritage);
//! 5. otherwise the row is to deposit, `nominal`; R5: a CNDA-sourced row to
//!    deposit is listed once per NIL.

use std::fmt;

use chrono::{NaiveDate, NaiveDateTime};

use crate::diag::{Diagnostic, Location};
use crate::model::{
    Candidature, Composant, Dispositif, DispositifCode, EquivalenceIndex, Nru, Perimetre, Profile,
    Project, Referencement, Rem, RemRow, Source, Statut, Vague,
};
use crate::text::fold_key;

/// Why a proof is to deposit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Motif {
    /// Nothing spares it.
    Nominal,
    /// Its chapter is impacted by this new component (R4).
    Composant(String),
}

impl fmt::Display for Motif {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Motif::Nominal => f.write_str("nominal"),
            Motif::Composant(name) => write!(f, "composant:{name}"),
        }
    }
}

/// Why a proof is not asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mask {
    /// Validated in this vague 1 référencement (R2).
    Heritage(Nru),
    /// Common with `requirement` of the root solution's dispositif (R3).
    Equivalence {
        /// The root référencement.
        nru: Nru,
        /// The requirement of the root's dispositif it is common with.
        requirement: (DispositifCode, String),
    },
    /// The selected profiles are all exempt from EDC PSC (R6).
    HorsEdcPsc,
}

impl fmt::Display for Mask {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mask::Heritage(nru) => write!(f, "heritage:{nru}"),
            Mask::Equivalence { nru, .. } => write!(f, "equivalence:{nru}"),
            Mask::HorsEdcPsc => f.write_str("hors-edc-psc"),
        }
    }
}

/// A proof to deposit.
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    /// The REM row.
    pub row: &'a RemRow,
    /// For CNDA-sourced proofs, the NIL it is deposited for (R5).
    pub nil: Option<&'a str>,
    /// Why.
    pub motif: Motif,
}

/// A proof not asked.
#[derive(Debug, Clone)]
pub struct Masked<'a> {
    /// The REM row.
    pub row: &'a RemRow,
    /// Why.
    pub mask: Mask,
}

/// Date 1–3 of the dispositif, and the date they are reported against.
#[derive(Debug, Clone, Copy)]
pub struct Echeances {
    /// The reference date (`--date`, or the build's date).
    pub reference: NaiveDate,
    /// Date 1: administrative file and eligibility submitted.
    pub date1: NaiveDateTime,
    /// Date 2: complete proof file submitted; root NRU declared.
    pub date2: NaiveDateTime,
    /// Date 3: end of exchanges; last day for derogatory proofs.
    pub date3: NaiveDateTime,
}

impl Echeances {
    /// Until when a proof from this guichet may be replaced by a derogatory
    /// one (CNDA pre-examination report, EDC PSC screenshot), if it can.
    pub fn derogation(&self, source: Source) -> Option<NaiveDateTime> {
        matches!(source, Source::Cnda | Source::EdcPsc).then_some(self.date3)
    }
}

/// The engine's answer for one candidature.
#[derive(Debug, Clone)]
pub struct Outcome<'a> {
    /// The candidature.
    pub candidature: &'a Candidature,
    /// Its dispositif.
    pub dispositif: &'a Dispositif,
    /// The current REM release of that dispositif.
    pub rem: &'a Rem,
    /// `Général` then the selected profiles.
    pub profils: Vec<Profile>,
    /// Proofs to deposit, in REM order (then NIL order).
    pub a_deposer: Vec<Entry<'a>>,
    /// Proofs not asked, in REM order.
    pub masquees: Vec<Masked<'a>>,
    /// Why an attestation sur l'honneur is required (R5); empty when it is not.
    pub attestation: Vec<String>,
    /// Deadlines, when the DSR gives them.
    pub echeances: Option<Echeances>,
    /// Things the éditeur should know (dates passed, components without effect).
    pub alertes: Vec<String>,
    /// The vague 1 référencements cited, in candidature order.
    pub heritage: Vec<&'a Referencement>,
    /// The root référencement, when équivalence is claimed.
    pub racine: Option<&'a Referencement>,
}

impl Outcome<'_> {
    /// Document identifiers, as FORMATS.md writes them.
    pub fn documents(&self) -> Vec<&'static str> {
        if self.attestation.is_empty() {
            Vec::new()
        } else {
            vec!["attestation_sur_l_honneur"]
        }
    }
}

fn same_component(a: &str, b: &str) -> bool {
    fold_key(a) == fold_key(b)
}

/// Runs R1–R9 for `c`. Every rule violation is an error naming the
/// candidature's file and YAML key; nothing is guessed.
pub fn evaluate<'a>(
    c: &'a Candidature,
    project: &'a Project,
    index: &EquivalenceIndex,
    reference: NaiveDate,
) -> Result<Outcome<'a>, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let Some(dispositif) = project.catalogue.get(c.dispositif.as_str()) else {
        return Err(vec![Diagnostic::error(
            c.locate("dispositif"),
            format!("dispositif « {} » absent de data/dsr.csv", c.dispositif),
        )]);
    };
    if dispositif.vague != Vague::Deux {
        return Err(vec![Diagnostic::error(
            c.locate("dispositif"),
            format!(
                "{} est un dispositif de vague 1 : on ne candidate qu'à un dispositif de vague 2",
                c.dispositif
            ),
        )]);
    }
    let Some(rem) = project.current_rem(&c.dispositif) else {
        return Err(vec![Diagnostic::error(
            c.locate("dispositif"),
            format!(
                "aucun REM pour {} dans data/rem/{}/ : les preuves ne peuvent être calculées",
                c.dispositif, c.dispositif
            ),
        )]);
    };
    for (i, p) in c.profils.iter().enumerate() {
        if !dispositif.knows_profile(p) {
            errors.push(Diagnostic::error(
                c.locate(&format!("profils[{i}]")),
                format!("profil « {p} » inconnu du dispositif {}", c.dispositif),
            ));
        }
    }

    let heritage = check_heritage(c, project, dispositif, &mut errors);
    let racine = check_racine(c, project, &mut errors);

    // R4: impacted chapters, first component naming each.
    let chapters = rem.chapters();
    // Chapter as the REM writes it → the first new component impacting it.
    let mut impacted: Vec<(&str, &Composant)> = Vec::new();
    let components = c
        .solution
        .component_slots()
        .map(|slot| (slot.path(), slot.composant));
    // A new component without chapters is a warning of the loader.
    for (path, component) in components.filter(|(_, k)| k.nouveau) {
        for (j, chapter) in component.chapitres.iter().enumerate() {
            let key = fold_key(chapter);
            match chapters.iter().find(|x| fold_key(x) == key) {
                None => errors.push(Diagnostic::error(
                    c.locate(&format!("{path}.chapitres[{j}]")),
                    format!(
                        "chapitre « {chapter} » absent du REM {} {}",
                        c.dispositif, rem.version
                    ),
                )),
                Some(name) if !impacted.iter().any(|(k, _)| k == name) => {
                    impacted.push((name, component));
                }
                Some(_) => {}
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    // R3: the root's requirements and their profiles, for "covered" checks.
    let root_rem = match racine {
        Some(r) => match project.current_rem(&r.dispositif) {
            Some(rem) => Some(rem),
            None => {
                return Err(vec![Diagnostic::error(
                    c.locate("equivalence"),
                    format!("aucun REM pour {}, le dispositif de la solution racine {} : l'équivalence ne peut être calculée", r.dispositif, r.nru),
                )]);
            }
        },
        None => None,
    };
    let covered_by =
        |profile: &Profile, r: &Referencement| profile.is_general() || r.profils.contains(profile);

    let optional: Vec<&Profile> = c.profils.iter().filter(|p| !p.is_general()).collect();
    let exempt = !optional.is_empty()
        && optional
            .iter()
            .all(|p| dispositif.profils_hors_edc_psc.contains(p));

    let mut a_deposer = Vec::new();
    let mut masquees = Vec::new();
    let mut common_cache: rustc_hash::FxHashMap<&str, Option<(DispositifCode, String)>> =
        rustc_hash::FxHashMap::default();
    for row in &rem.rows {
        // R1
        if !(row.profil.is_general() || c.profils.contains(&row.profil)) {
            continue;
        }
        // R6
        if exempt && row.source == Source::EdcPsc {
            masquees.push(Masked {
                row,
                mask: Mask::HorsEdcPsc,
            });
            continue;
        }
        // R4
        let motif = match impacted.iter().find(|(k, _)| *k == row.chapitre) {
            Some((_, component)) => Motif::Composant(component.nom.clone()),
            None => {
                // R2
                let inherited = (row.perimetre == Perimetre::Vague1)
                    .then(|| heritage.iter().find(|r| covered_by(&row.profil, r)))
                    .flatten();
                if let Some(r) = inherited {
                    masquees.push(Masked {
                        row,
                        mask: Mask::Heritage(r.nru.clone()),
                    });
                    continue;
                }
                // R3
                if let Some(root) = racine {
                    let common = common_cache
                        .entry(row.exigence_id.as_str())
                        .or_insert_with(|| {
                            common_requirement(
                                row,
                                &c.dispositif,
                                root,
                                index,
                                root_rem,
                                covered_by,
                            )
                        })
                        .clone();
                    if let Some(requirement) = common {
                        masquees.push(Masked {
                            row,
                            mask: Mask::Equivalence {
                                nru: root.nru.clone(),
                                requirement,
                            },
                        });
                        continue;
                    }
                }
                Motif::Nominal
            }
        };
        // R5
        if row.source == Source::Cnda && !c.noms_commerciaux.is_empty() {
            for nom in &c.noms_commerciaux {
                a_deposer.push(Entry {
                    row,
                    nil: Some(nom.nil.as_str()),
                    motif: motif.clone(),
                });
            }
        } else {
            a_deposer.push(Entry {
                row,
                nil: None,
                motif,
            });
        }
    }

    let attestation = attestation_reasons(c);
    let echeances = dispositif.deadlines.as_ref().map(|d| Echeances {
        reference,
        date1: d.date1,
        date2: d.date2,
        date3: d.date3,
    });
    let mut alertes = Vec::new();
    if let Some(e) = &echeances {
        date_alerts(e, racine.is_some(), &mut alertes);
    }
    for (name, component) in &impacted {
        if !a_deposer.iter().any(|e| e.row.chapitre == *name) {
            alertes.push(format!(
                "le composant « {} » impacte un chapitre dont aucune preuve ne concerne les profils demandés",
                component.nom
            ));
        }
    }
    if !heritage.is_empty() && !masquees.iter().any(|m| matches!(m.mask, Mask::Heritage(_))) {
        alertes.push(format!(
            "l'héritage ({}) ne masque aucune preuve : aucune ligne de périmètre « Vague 1 » des profils couverts n'est à fournir",
            heritage.iter().map(|r| r.nru.as_str()).collect::<Vec<_>>().join(", ")
        ));
    }
    if let (Some(root), Some(_)) = (racine, root_rem) {
        if root.dispositif != c.dispositif
            && !masquees
                .iter()
                .any(|m| matches!(m.mask, Mask::Equivalence { .. }))
        {
            alertes.push(format!(
                "aucune exigence de {} n'est déclarée commune avec {} (dispositif de {}) dans les listes d'équivalence : l'équivalence ne masque aucune preuve",
                c.dispositif, root.dispositif, root.nru
            ));
        }
    }
    let mut profils = vec![Profile::general()];
    profils.extend(c.profils.iter().filter(|p| !p.is_general()).cloned());
    Ok(Outcome {
        candidature: c,
        dispositif,
        rem,
        profils,
        a_deposer,
        masquees,
        attestation,
        echeances,
        alertes,
        heritage,
        racine,
    })
}

/// R3: the requirement of the root's dispositif that `row`'s requirement is
/// common with, provided the root référencement covered its profile.
fn common_requirement(
    row: &RemRow,
    candidate: &DispositifCode,
    root: &Referencement,
    index: &EquivalenceIndex,
    root_rem: Option<&Rem>,
    covered_by: impl Fn(&Profile, &Referencement) -> bool,
) -> Option<(DispositifCode, String)> {
    if root.dispositif == *candidate {
        // Cas B: the same requirement, if the root covered its profile.
        return covered_by(&row.profil, root).then(|| (candidate.clone(), row.exigence_id.clone()));
    }
    index
        .equivalents_in(candidate, &row.exigence_id, &root.dispositif)
        .find(|(_, y)| {
            root_rem
                .and_then(|rem| rem.requirement(y))
                .is_some_and(|r| covered_by(&r.profil, root))
        })
        .cloned()
}

fn check_heritage<'a>(
    c: &Candidature,
    project: &'a Project,
    dispositif: &Dispositif,
    errors: &mut Vec<Diagnostic>,
) -> Vec<&'a Referencement> {
    let mut found: Vec<&'a Referencement> = Vec::new();
    for (i, nru) in c.heritage.iter().enumerate() {
        let at = c.locate(&format!("heritage[{i}]"));
        let Some(r) = project.registry.get(nru) else {
            errors.push(Diagnostic::error(
                at,
                format!("NRU {nru} inconnu : absent du registre data/referencements.csv"),
            ));
            continue;
        };
        let before = errors.len();
        if r.vague != Vague::Un {
            errors.push(Diagnostic::error(at.clone(), format!(
                "{nru} est un référencement de vague 2 : l'héritage ne vaut que pour un référencement de vague 1 ; une solution vague 2 déjà référencée se cite en « equivalence »"
            )));
        } else if !dispositif.heritage_vague1.contains(&r.dispositif) {
            let allowed = if dispositif.heritage_vague1.is_empty() {
                "aucun dispositif vague 1 n'ouvre droit à l'héritage".to_owned()
            } else {
                format!(
                    "héritage possible depuis : {}",
                    dispositif
                        .heritage_vague1
                        .iter()
                        .map(|d| d.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            errors.push(Diagnostic::error(at.clone(), format!(
                "{nru} est un référencement {} : ce dispositif n'ouvre pas droit à l'héritage vers {} ({allowed})",
                r.dispositif, c.dispositif
            )));
        }
        check_granted(r, &at, "l'héritage", errors);
        check_same_solution(c, r, &at, errors);
        if errors.len() == before {
            if let Some(other) = found.iter().find(|o| o.dispositif == r.dispositif) {
                errors.push(Diagnostic::error(at, format!(
                    "deux référencements du dispositif {} cités ({} et {nru}) : un seul NRU par dispositif vague 1",
                    r.dispositif, other.nru
                )));
            } else {
                found.push(r);
            }
        }
    }
    found
}

fn check_racine<'a>(
    c: &Candidature,
    project: &'a Project,
    errors: &mut Vec<Diagnostic>,
) -> Option<&'a Referencement> {
    let nru = c.equivalence.as_ref()?;
    let at = c.locate("equivalence");
    let Some(r) = project.registry.get(nru) else {
        errors.push(Diagnostic::error(
            at,
            format!("NRU {nru} inconnu : absent du registre data/referencements.csv"),
        ));
        return None;
    };
    let before = errors.len();
    if r.vague != Vague::Deux {
        errors.push(Diagnostic::error(at.clone(), format!(
            "{nru} est un référencement de vague 1 : la solution racine d'une équivalence est référencée en vague 2 ; un référencement vague 1 se cite en « heritage »"
        )));
    }
    check_granted(r, &at, "l'équivalence", errors);
    check_same_solution(c, r, &at, errors);
    (errors.len() == before).then_some(r)
}

fn check_granted(r: &Referencement, at: &Location, what: &str, errors: &mut Vec<Diagnostic>) {
    if r.statut != Statut::Reference {
        let why = match r.statut {
            Statut::EnCours => {
                "une candidature en cours ne compte pas encore ; seul un référencement accordé"
            }
            _ => "seul un référencement accordé",
        };
        errors.push(Diagnostic::error(
            at.clone(),
            format!(
                "{} ({}) a le statut « {} » : {why} (Référencé) ouvre droit à {what}",
                r.nru, r.solution, r.statut
            ),
        ));
    }
}

fn check_same_solution(
    c: &Candidature,
    r: &Referencement,
    at: &Location,
    errors: &mut Vec<Diagnostic>,
) {
    if !same_component(&r.composant_principal, &c.solution.composant_principal) {
        errors.push(Diagnostic::error(at.clone(), format!(
            "{} a pour composant principal « {} », la candidature « {} » : héritage et équivalence supposent le même composant principal (pas d'équivalence par module)",
            r.nru, r.composant_principal, c.solution.composant_principal
        )));
    }
    if r.version > c.solution.version {
        errors.push(Diagnostic::error(at.clone(), format!(
            "{} est référencé en version {}, postérieure à la version candidate {} : la version candidate doit être égale ou plus récente (compatibilité ascendante)",
            r.nru, r.version, c.solution.version
        )));
    }
}

/// R5: why an attestation sur l'honneur is required.
fn attestation_reasons(c: &Candidature) -> Vec<String> {
    let mut reasons = Vec::new();
    match c.noms_commerciaux.as_slice() {
        [] => {}
        [one] if same_component(&one.nom, &c.solution.nom) => {}
        [one] => reasons.push(format!(
            "le nom commercial « {} » diffère du nom de la solution « {} »",
            one.nom, c.solution.nom
        )),
        many => reasons.push(format!(
            "{} noms commerciaux désignent une même solution",
            many.len()
        )),
    }
    let new: Vec<&str> = c
        .solution
        .components()
        .filter(|k| k.nouveau)
        .map(|k| k.nom.as_str())
        .collect();
    if !new.is_empty() {
        reasons.push(format!(
            "{} : {}",
            if new.len() > 1 {
                "nouveaux composants"
            } else {
                "nouveau composant"
            },
            new.join(", ")
        ));
    }
    reasons
}

fn date_alerts(e: &Echeances, root: bool, alertes: &mut Vec<String>) {
    let fr = crate::render::french::datetime;
    let day = |d: NaiveDateTime| d.date();
    if e.reference > day(e.date3) {
        alertes.push(format!("Date 3 dépassée ({}) : les échanges sur les preuves sont clos et les preuves dérogatoires ne sont plus acceptées", fr(e.date3)));
    } else if e.reference > day(e.date2) {
        alertes.push(format!(
            "Date 2 dépassée ({}) : le dossier de preuves complet devait être soumis",
            fr(e.date2)
        ));
        if root {
            alertes.push(format!(
                "le NRU de la solution racine devait être déclaré avant la Date 2 ({})",
                fr(e.date2)
            ));
        }
    } else if e.reference > day(e.date1) {
        alertes.push(format!(
            "Date 1 dépassée ({}) : le dossier administratif et l'éligibilité devaient être soumis",
            fr(e.date1)
        ));
    }
}
