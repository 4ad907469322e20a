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

use chrono::NaiveDateTime;

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
    /// A CNDA homologation that héritage or équivalence would spare, but the
    /// masking référencement did not cover this NIL at this version (R5b).
    Cnda(String),
    /// An EDC PSC proof that héritage or équivalence would spare, but the
    /// masking référencement's habilitation does not name every commercial
    /// name and NIL of the candidature, or the proxy is new (R5b).
    EdcPscNoms,
    /// Common with the root solution, which is still `En cours`: to deposit
    /// now, spared only if the root is referenced before Date 2 (R3 timing).
    AttenteRacine(Nru),
}

impl fmt::Display for Motif {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Motif::Nominal => f.write_str("nominal"),
            Motif::Composant(name) => write!(f, "composant:{name}"),
            Motif::Cnda(nil) => write!(f, "cnda:{nil}"),
            Motif::EdcPscNoms => f.write_str("edc-psc:noms"),
            Motif::AttenteRacine(nru) => write!(f, "attente-racine:{nru}"),
        }
    }
}

impl Motif {
    /// A few French words for lists: « exigée par le REM », « CNDA, NIL L0001 »…
    pub fn label(&self) -> String {
        match self {
            Motif::Nominal => "exigée par le REM".to_owned(),
            Motif::Composant(name) => format!("nouveau composant {name}"),
            Motif::Cnda(nil) => format!("homologation CNDA du NIL {nil}"),
            Motif::EdcPscNoms => "habilitation EDC PSC à compléter".to_owned(),
            Motif::AttenteRacine(nru) => format!("racine {nru} en cours de référencement"),
        }
    }

    /// One sentence a vendor understands.
    pub fn explain(&self, c: &Candidature, racine: Option<&Referencement>) -> String {
        match self {
            Motif::Nominal => {
                "exigée par le REM : aucun référencement antérieur ne la couvre".to_owned()
            }
            Motif::Composant(name) => {
                format!("chapitre impacté par le nouveau composant « {name} »")
            }
            Motif::Cnda(nil) => {
                let version = c
                    .noms_commerciaux
                    .iter()
                    .find(|n| n.nil == *nil)
                    .map(|n| n.version.to_string())
                    .unwrap_or_default();
                format!("nouvelle demande de conformité CNDA : NIL {nil} (version {version}) non couvert à cette version par le référencement qui dispenserait cette preuve")
            }
            Motif::EdcPscNoms => "l'habilitation EDC PSC doit mentionner tous les noms commerciaux et NIL déclarés (ou le nouveau Proxy e-santé) : celle du référencement antérieur ne les couvre pas tous".to_owned(),
            Motif::AttenteRacine(nru) => format!(
                "commune avec la solution racine {nru}{}, encore en cours de référencement : à déposer maintenant, non redemandée si {nru} est référencée avant la Date 2",
                racine.map(|r| format!(" ({})", r.solution)).unwrap_or_default()
            ),
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

impl Mask {
    /// Why the proof is not asked again, in one French sentence a vendor
    /// understands, with the NILs whose CNDA homologation it spares (R5b).
    pub fn explain(&self, nils: &[&str]) -> String {
        let mut why = match self {
            Mask::Heritage(nru) => {
                format!("non redemandée : validée dans le référencement vague 1 {nru} (héritage)")
            }
            Mask::Equivalence { nru, requirement } => format!(
                "non redemandée : équivalence avec la solution racine {nru} (exigence {} de {})",
                requirement.1, requirement.0
            ),
            Mask::HorsEdcPsc => {
                "non redemandée : les profils choisis sont hors EDC PSC (DSR)".to_owned()
            }
        };
        if !nils.is_empty() {
            why.push_str(" ; homologation CNDA déjà accordée à cette version pour le NIL ");
            why.push_str(&nils.join(", "));
        }
        why
    }
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
    /// For a CNDA row: the NILs the masking référencement covered at the
    /// same version (R5b); the others are listed to deposit.
    pub nils: Vec<&'a str>,
}

/// Date 1–3 of the dispositif, and the instant they are reported against
/// (Europe/Paris wall-clock time: the DSR's 12h00 is compared as such).
#[derive(Debug, Clone, Copy)]
pub struct Echeances {
    /// The reference instant (`--date`, or now / the build's date).
    pub reference: NaiveDateTime,
    /// Date 1: administrative file and eligibility submitted.
    pub date1: NaiveDateTime,
    /// Date 2: complete proof file submitted; root NRU declared.
    pub date2: NaiveDateTime,
    /// Date 3: end of exchanges; last instant for derogatory proofs.
    pub date3: NaiveDateTime,
}

/// The guichet proofs that a derogatory proof may stand in for (seed 000):
/// the CNDA homologation, and the EDC PSC habilitations « Éditeur de
/// logiciel utilisateur » and « Éditeur de Proxy e-santé ». Not the other
/// proofs of those guichets (autorisation d'accès aux environnements de
/// test, test d'intrusion…): offering a derogation that the ANS refuses
/// would leave the dossier short.
pub fn derogable(row: &RemRow) -> bool {
    // Every checklist asks this of every guichet row three times (JSON, CSV,
    // page): compare bytes, ignoring ASCII case, without folding the text.
    let has = |needle: &str| {
        let (hay, needle) = (row.preuve.as_bytes(), needle.as_bytes());
        hay.windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
    };
    let excluded = || has("autorisation") || has("intrusion");
    match row.source {
        Source::Cnda => {
            (has("homolog")
                || has("conformit")
                || has("agrément")
                || has("agrement")
                || has("AGRÉMENT"))
                && !excluded()
        }
        Source::EdcPsc => has("habilitation") && !excluded(),
        _ => false,
    }
}

/// A derogatory proof accepted instead of a guichet proof, with what it must
/// show at the next deadline (seed 000).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Derogation {
    /// CNDA or EDC PSC.
    pub source: Source,
    /// True while Date 2 is ahead: the Date 2 content applies first.
    pub before_date2: bool,
    /// Date 3: no derogatory proof after it.
    pub until: NaiveDateTime,
}

impl Derogation {
    /// What the derogatory proof must show at Date 2.
    pub fn content_date2(&self) -> &'static str {
        match self.source {
            Source::EdcPsc => "copie d'écran de l'étape « Dépôt de preuves » du guichet EDC PSC montrant le NRU, le nom de la solution et l'ensemble des chapitres soumis au moins une fois",
            _ => CNDA_DEROGATION,
        }
    }

    /// What the derogatory proof must show at the next deadline.
    pub fn content_now(&self) -> &'static str {
        if self.before_date2 {
            self.content_date2()
        } else {
            self.content_date3()
        }
    }

    /// What the derogatory proof must show at Date 3.
    pub fn content_date3(&self) -> &'static str {
        match self.source {
            Source::EdcPsc => "copie d'écran de l'étape « Dépôt de preuves » du guichet EDC PSC Éditeur montrant le NRU, le nom de la solution, la validation du chapitre « prérequis maturité technique », l'obtention de l'autorisation d'accès aux environnements de test des acteurs de l'Espace de confiance et l'ensemble des autres chapitres soumis au moins une fois",
            _ => CNDA_DEROGATION,
        }
    }
}

const CNDA_DEROGATION: &str = "compte-rendu de pré-examen : copie d'écran de l'espace personnel CNDA montrant les informations du logiciel, le statut de la demande au moins à « Pré-examen » et la date de retour prévisionnelle";

impl Echeances {
    /// The derogatory proof that may stand in for `row` now, if any: only
    /// for a CNDA homologation or an EDC PSC habilitation, and only until
    /// Date 3 (after it nothing can be exchanged any more).
    pub fn derogation(&self, row: &RemRow) -> Option<Derogation> {
        (derogable(row) && self.reference < self.date3).then_some(Derogation {
            source: row.source,
            before_date2: self.reference < self.date2,
            until: self.date3,
        })
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
    /// True when the root is still `En cours`: it masks nothing yet (R3 timing).
    pub racine_en_attente: bool,
    /// Warnings about the candidature (R4, R6b, R8), located at its keys.
    pub warnings: Vec<Diagnostic>,
}

impl Outcome<'_> {
    /// The order of work the ANS advises (seeds 000, 003): the chapter
    /// « Prérequis maturité technique » first (it brings the autorisation
    /// d'accès to the CNDA test environments), the EDC PSC habilitations
    /// before the CNDA homologations (which require them), then the rest.
    /// Only the steps this candidature still has to do.
    pub fn ordre_conseille(&self) -> Vec<String> {
        let due = |f: &dyn Fn(&RemRow) -> bool| self.a_deposer.iter().any(|e| f(e.row));
        let mut steps = Vec::new();
        let maturity: Vec<&str> = self
            .rem
            .chapters()
            .into_iter()
            .filter(|ch| fold_key(ch).contains("maturite technique"))
            .collect();
        if due(&|r| maturity.contains(&r.chapitre.as_str())) {
            steps.push("déposer d'abord le chapitre « Prérequis maturité technique » : sa validation donne l'autorisation d'accès aux environnements de test, à présenter au CNDA pour démarrer les tests".to_owned());
        }
        if due(&|r| r.source == Source::EdcPsc && derogable(r)) {
            steps.push("obtenir les habilitations EDC PSC « Éditeur de logiciel utilisateur » et « Éditeur de Proxy e-santé » : l'homologation CNDA les exige".to_owned());
        }
        if due(&|r| r.source == Source::Cnda) {
            steps.push("demander au plus tôt les homologations CNDA, une par NIL : la délivrance peut prendre de 6 à 10 semaines".to_owned());
        }
        if !steps.is_empty() {
            steps.push("déposer les autres chapitres au fil de l'eau, chacun soumis une fois complet, avant la Date 2".to_owned());
        }
        steps
    }

    /// Document identifiers, as FORMATS.md writes them.
    pub fn documents(&self) -> Vec<&'static str> {
        if self.attestation.is_empty() {
            Vec::new()
        } else {
            vec!["attestation_sur_l_honneur"]
        }
    }
}

/// The time a clock in Paris shows at `utc`: UTC+1, and UTC+2 from the last
/// Sunday of March to the last Sunday of October at 01:00 UTC (the EU rule
/// since 1996). Written here rather than pulling the whole tz database
/// (chrono-tz) for one zone whose rule is fixed by directive 2000/84/CE.
pub fn paris_wall_clock(utc: NaiveDateTime) -> NaiveDateTime {
    use chrono::{Datelike, Duration, NaiveDate, Weekday};
    let last_sunday = |month: u32| -> Option<NaiveDateTime> {
        let first_next = if month == 12 {
            NaiveDate::from_ymd_opt(utc.year() + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(utc.year(), month + 1, 1)
        }?;
        let mut day = first_next.pred_opt()?;
        while day.weekday() != Weekday::Sun {
            day = day.pred_opt()?;
        }
        day.and_hms_opt(1, 0, 0)
    };
    let summer = match (last_sunday(3), last_sunday(10)) {
        (Some(start), Some(end)) => utc >= start && utc < end,
        _ => false,
    };
    utc + Duration::hours(if summer { 2 } else { 1 })
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
    reference: NaiveDateTime,
) -> Result<Outcome<'a>, Vec<Diagnostic>> {
    evaluate_under(c, project, index, reference, None)
}

/// [`evaluate`], with `release` in place of the current REM of the
/// candidature's dispositif when given (`impact`: what an older release
/// asked of the same candidature).
pub fn evaluate_under<'a>(
    c: &'a Candidature,
    project: &'a Project,
    index: &EquivalenceIndex,
    reference: NaiveDateTime,
    release: Option<&'a Rem>,
) -> Result<Outcome<'a>, Vec<Diagnostic>> {
    let current_rem = |code: &DispositifCode| match release {
        Some(rem) if *code == c.dispositif => Some(rem),
        _ => project.current_rem(code),
    };
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
    let Some(rem) = current_rem(&c.dispositif) else {
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
    let (racine, racine_en_attente) = match check_racine(c, project, dispositif, &mut errors) {
        Some((r, pending)) => (Some(r), pending),
        None => (None, false),
    };

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
        Some(r) => match current_rem(&r.dispositif) {
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

    let exempt = exempt_from_edc_psc(c, dispositif);

    let mut a_deposer: Vec<Entry<'a>> = Vec::new();
    let mut masquees: Vec<Masked<'a>> = Vec::new();
    let mut common_cache: rustc_hash::FxHashMap<&str, Option<(DispositifCode, String)>> =
        rustc_hash::FxHashMap::default();
    // R5: a CNDA row to deposit is listed once per NIL.
    let due = |a_deposer: &mut Vec<Entry<'a>>, row: &'a RemRow, motif: Motif| {
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
    };
    let mut inferred_edc_psc_due = 0usize;
    for row in &rem.rows {
        // R1
        if !(row.profil.is_general() || c.profils.contains(&row.profil)) {
            continue;
        }
        // R6. A source inferred from the text is not the REM's word: it
        // never spares a proof (first law), the row stays due below.
        if exempt && row.source == Source::EdcPsc && row.source_inferred {
            inferred_edc_psc_due += 1;
        }
        if exempt && row.source == Source::EdcPsc && !row.source_inferred {
            masquees.push(Masked {
                row,
                mask: Mask::HorsEdcPsc,
                nils: Vec::new(),
            });
            continue;
        }
        // R4
        if let Some((_, component)) = impacted.iter().find(|(k, _)| *k == row.chapitre) {
            due(&mut a_deposer, row, Motif::Composant(component.nom.clone()));
            continue;
        }
        // R2, then R3: what would spare the row, and which référencement.
        let inherited = (row.perimetre == Perimetre::Vague1)
            .then(|| heritage.iter().find(|r| covered_by(&row.profil, r)))
            .flatten();
        let spare: Option<(Mask, &Referencement)> = match (inherited, racine) {
            (Some(r), _) => Some((Mask::Heritage(r.nru.clone()), *r)),
            (None, Some(root)) => common_cache
                .entry(row.exigence_id.as_str())
                .or_insert_with(|| {
                    common_requirement(row, &c.dispositif, root, index, root_rem, covered_by)
                })
                .clone()
                .map(|requirement| {
                    (
                        Mask::Equivalence {
                            nru: root.nru.clone(),
                            requirement,
                        },
                        root,
                    )
                }),
            (None, None) => None,
        };
        let Some((mask, by)) = spare else {
            due(&mut a_deposer, row, Motif::Nominal);
            continue;
        };
        if racine_en_attente && matches!(mask, Mask::Equivalence { .. }) {
            // The root may spare it only once referenced, before Date 2.
            let past_date2 = dispositif.deadlines.is_some_and(|d| reference >= d.date2);
            let motif = if past_date2 {
                Motif::Nominal
            } else {
                Motif::AttenteRacine(by.nru.clone())
            };
            due(&mut a_deposer, row, motif);
            continue;
        }
        match row.source {
            // R5b: a homologation spares only the NILs it names, at the same version.
            Source::Cnda => {
                let (covered, uncovered): (Vec<_>, Vec<_>) =
                    c.noms_commerciaux.iter().partition(|n| cnda_covered(n, by));
                if !covered.is_empty() {
                    masquees.push(Masked {
                        row,
                        mask,
                        nils: covered.iter().map(|n| n.nil.as_str()).collect(),
                    });
                }
                for n in uncovered {
                    a_deposer.push(Entry {
                        row,
                        nil: Some(n.nil.as_str()),
                        motif: Motif::Cnda(n.nil.clone()),
                    });
                }
            }
            // R5b: one habilitation naming every name and NIL.
            Source::EdcPsc if !edc_psc_covered(c, by, row) => {
                due(&mut a_deposer, row, Motif::EdcPscNoms);
            }
            _ => masquees.push(Masked {
                row,
                mask,
                nils: Vec::new(),
            }),
        }
    }

    let attestation = attestation_reasons(c, racine, !heritage.is_empty());
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
    if let Some(root) = racine.filter(|_| racine_en_attente) {
        let pending = a_deposer
            .iter()
            .filter(|e| matches!(e.motif, Motif::AttenteRacine(_)))
            .count();
        match &echeances {
            Some(e) if e.reference >= e.date2 => alertes.push(format!(
                "la solution racine {} ({}) n'était pas référencée à la Date 2 ({}) : l'équivalence ne peut plus s'appliquer, toutes les preuves sont à déposer",
                root.nru, root.solution, crate::render::french::datetime(e.date2)
            )),
            _ => alertes.push(format!(
                "la solution racine {} ({}) est encore en cours de référencement : elle ne dispense d'aucune preuve tant qu'elle n'est pas référencée ; déposez dès maintenant les preuves spécifiques ; {pending} preuve(s) commune(s) ne seront plus demandées si {} est référencée avant la Date 2 (complétez alors le NRU dans la candidature)",
                root.nru, root.solution, root.nru
            )),
        }
    }
    if inferred_edc_psc_due > 0 {
        alertes.push(format!(
            "{inferred_edc_psc_due} preuve(s) semblent être des habilitations EDC PSC d'après leur texte, mais le REM {} ne le déclare pas (colonne « Source ») : elles restent à déposer, les profils hors EDC PSC n'en sont dispensés que pour une source déclarée ; demandez confirmation à l'ANS",
            rem.version
        ));
    }
    if c.versions_obsoletes.is_none() {
        alertes.push("versions obsolètes non déclarées (« versions_obsoletes ») : le formulaire d'éligibilité demande les versions techniques ayant fait l'objet d'une information publique d'arrêt de maintenance ou de commercialisation, ou d'indiquer qu'aucune n'est concernée (versions_obsoletes: [])".to_owned());
    }
    let cnda_masked: Vec<&str> = masquees
        .iter()
        .filter(|m| m.row.source == Source::Cnda)
        .flat_map(|m| m.nils.iter().copied())
        .fold(Vec::new(), |mut all, nil| {
            if !all.contains(&nil) {
                all.push(nil);
            }
            all
        });
    if !cnda_masked.is_empty() {
        alertes.push(format!(
            "homologations CNDA non redemandées pour le NIL {} : seulement si les versions des référentiels applicables (INS, DMP, Ordonnance numérique…) du REM {} sont celles du référencement précédent ; sinon une nouvelle demande de conformité CNDA est requise",
            cnda_masked.join(", "),
            rem.version
        ));
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
            && !a_deposer
                .iter()
                .any(|e| matches!(e.motif, Motif::AttenteRacine(_)))
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
        warnings: eligibility_warnings(c, project),
        heritage,
        racine,
        racine_en_attente,
    })
}

/// R6: at least one optional profile, all of them exempt from EDC PSC.
fn exempt_from_edc_psc(c: &Candidature, dispositif: &Dispositif) -> bool {
    let mut optional = c.profils.iter().filter(|p| !p.is_general()).peekable();
    optional.peek().is_some() && optional.all(|p| dispositif.profils_hors_edc_psc.contains(p))
}

/// R5b: the masking référencement covered this NIL at this version.
fn cnda_covered(nom: &crate::model::NomCommercial, by: &Referencement) -> bool {
    by.nils.iter().any(|n| n == &nom.nil) && nom.version == by.version
}

/// R5b: the masking référencement's EDC PSC habilitation names every
/// commercial name and NIL of the candidature (and, for the intrusion test
/// report, every version technique), with the same Proxy e-santé.
fn edc_psc_covered(c: &Candidature, by: &Referencement, row: &RemRow) -> bool {
    let new_proxy = c.solution.proxy_esante.as_ref().is_some_and(|p| p.nouveau);
    let intrusion = fold_key(&row.preuve).contains("intrusion");
    !new_proxy
        && c.noms_commerciaux.iter().all(|n| {
            by.noms.iter().any(|m| same_component(m, &n.nom))
                && by.nils.iter().any(|nil| nil == &n.nil)
                && (!intrusion || n.version == by.version)
        })
}

/// Warnings of the eligibility form: EDC PSC NRUs (R6b), `nouveau` with
/// nothing to be new against (R4). `check`, `build` and the candidature
/// commands all report them.
pub fn eligibility_warnings(c: &Candidature, project: &Project) -> Vec<Diagnostic> {
    let Some(dispositif) = project.catalogue.get(c.dispositif.as_str()) else {
        return Vec::new();
    };
    let exempt = exempt_from_edc_psc(c, dispositif);
    let has_previous = c.equivalence.is_some() || !c.heritage.is_empty();
    let mut warnings = Vec::new();
    if !exempt {
        let lps = c.edc_psc.as_ref().and_then(|e| e.nru_lps.as_deref());
        let proxy = c.edc_psc.as_ref().and_then(|e| e.nru_proxy.as_deref());
        let own_proxy = c.solution.proxy_esante.as_ref().is_none_or(|p| {
            p.editeur
                .as_deref()
                .is_none_or(|e| same_component(e, &c.editeur.raison_sociale))
        });
        for (key, value, what) in [
            (
                "edc_psc.nru_lps",
                lps,
                "« Éditeur de logiciel utilisateur »",
            ),
            ("edc_psc.nru_proxy", proxy, "« Éditeur de Proxy e-santé »"),
        ] {
            if value.is_none() {
                warnings.push(
                    Diagnostic::warning(
                        c.locate(key),
                        format!("NRU EDC PSC {what} absent : le formulaire d'éligibilité le demande avant la Date 1 ({})", dispositif.code),
                    )
                    .with_hint(if key.ends_with("proxy") && !own_proxy {
                        "avec un proxy tiers, le NRU est à demander à l'éditeur du proxy"
                    } else {
                        "il s'obtient en rattachant le produit à la démarche EDC PSC Éditeur"
                    }),
                );
            }
        }
        if let (Some(l), Some(p)) = (lps, proxy) {
            if own_proxy && l != p {
                warnings.push(Diagnostic::warning(
                    c.locate("edc_psc.nru_proxy"),
                    format!("NRU EDC PSC différents ({l}, {p}) alors que l'éditeur édite son propre Proxy e-santé : « vous devez renseigner le même NRU dans les deux champs »"),
                ));
            } else if !own_proxy && l == p {
                warnings.push(Diagnostic::warning(
                    c.locate("edc_psc.nru_proxy"),
                    format!("même NRU EDC PSC ({l}) pour le logiciel et pour un Proxy e-santé tiers : le NRU Proxy est celui de l'éditeur du proxy"),
                ));
            }
        }
    }
    if !has_previous {
        for slot in c.solution.component_slots().filter(|s| s.composant.nouveau) {
            warnings.push(Diagnostic::warning(
                c.locate(&format!("{}.nouveau", slot.path())),
                format!("composant « {} » déclaré nouveau sans solution racine ni héritage : « nouveau » n'a de sens que face à un référencement antérieur ; toutes les preuves sont déjà à déposer", slot.composant.nom),
            ));
        }
    }
    warnings
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

/// R3: the root référencement, and whether it is still `En cours` (it then
/// masks nothing yet, but is not an error: seeds 001 and 002).
fn check_racine<'a>(
    c: &Candidature,
    project: &'a Project,
    dispositif: &Dispositif,
    errors: &mut Vec<Diagnostic>,
) -> Option<(&'a Referencement, bool)> {
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
    let pending = r.statut == Statut::EnCours;
    if !pending {
        check_granted(r, &at, "l'équivalence", errors);
    }
    if r.statut == Statut::Reference {
        if let Some(d) = dispositif.deadlines {
            let fr = crate::render::french::datetime;
            match r.date {
                None => errors.push(
                    Diagnostic::error(at.clone(), format!(
                        "{nru} ({}) n'a pas de date de décision dans le registre : impossible de vérifier qu'il a été référencé avant la Date 2 de {} ({}), condition de l'équivalence",
                        r.solution, c.dispositif, fr(d.date2)
                    ))
                    .with_hint("renseignez la colonne « Date » de data/referencements.csv"),
                ),
                // A decision on the day of Date 2 cannot be shown to precede 12h00.
                Some(day) if day >= d.date2.date() => errors.push(Diagnostic::error(at.clone(), format!(
                    "{nru} ({}) a été référencé le {}, {} la Date 2 de {} ({}) : « le NRU racine doit être complété obligatoirement avant la Date de dépôt complet des preuves » ; il ne peut servir de solution racine",
                    r.solution,
                    crate::render::french::date(day),
                    if day == d.date2.date() { "le jour même de" } else { "après" },
                    c.dispositif,
                    fr(d.date2)
                ))),
                Some(_) => {}
            }
        }
    }
    check_same_solution(c, r, &at, errors);
    (errors.len() == before).then_some((r, pending))
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
    // « La compatibilité ascendante doit être respectée pour tous les composants » (seed 001).
    for (i, n) in c.noms_commerciaux.iter().enumerate() {
        if r.version > n.version {
            errors.push(Diagnostic::error(c.locate(&format!("noms_commerciaux[{i}].version")), format!(
                "nom commercial « {} » en version technique {}, antérieure à la version {} de {} : chaque version technique doit être égale ou plus récente (compatibilité ascendante)",
                n.nom, n.version, r.version, r.nru
            )));
        }
    }
}

/// R5: why an attestation sur l'honneur is required. Names are compared
/// with the root's (cas 2A), or without a root with the solution's name; a
/// new component counts against a root or a vague 1 référencement.
fn attestation_reasons(
    c: &Candidature,
    racine: Option<&Referencement>,
    heritage: bool,
) -> Vec<String> {
    let mut reasons = Vec::new();
    if c.noms_commerciaux.len() > 1 {
        reasons.push(format!(
            "{} noms commerciaux désignent une même solution",
            c.noms_commerciaux.len()
        ));
    }
    let (known, whose): (Vec<&str>, String) = match racine {
        Some(r) => (
            r.noms.iter().map(String::as_str).collect(),
            format!("de la solution racine {}", r.nru),
        ),
        None => (vec![c.solution.nom.as_str()], "de la solution".to_owned()),
    };
    let different: Vec<&str> = c
        .noms_commerciaux
        .iter()
        .filter(|n| !known.iter().any(|k| same_component(k, &n.nom)))
        .map(|n| n.nom.as_str())
        .collect();
    if !different.is_empty() {
        reasons.push(format!(
            "{} « {} » {} du nom {whose} « {} »",
            if different.len() > 1 {
                "les noms commerciaux"
            } else {
                "le nom commercial"
            },
            different.join(" », « "),
            if different.len() > 1 {
                "diffèrent"
            } else {
                "diffère"
            },
            known.join(" », « ")
        ));
    }
    let new: Vec<&str> = c
        .solution
        .components()
        .filter(|k| k.nouveau)
        .map(|k| k.nom.as_str())
        .collect();
    if !new.is_empty() && (racine.is_some() || heritage) {
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
    if e.reference >= e.date3 {
        alertes.push(format!("Date 3 dépassée ({}) : les échanges sur les preuves sont clos, aucune preuve ne peut plus être déposée ni aucune preuve dérogatoire acceptée", fr(e.date3)));
    } else if e.reference >= e.date2 {
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
    } else if e.reference >= e.date1 {
        alertes.push(format!(
            "Date 1 dépassée ({}) : le dossier administratif et l'éligibilité devaient être soumis",
            fr(e.date1)
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> NaiveDateTime {
        crate::ingest::parse_datetime(s).unwrap_or_default()
    }

    #[test]
    fn paris_is_utc_plus_one_in_winter_and_plus_two_in_summer() {
        // 2027: summer time from 28 March 01:00 UTC to 31 October 01:00 UTC.
        assert_eq!(
            paris_wall_clock(utc("2027-01-15T11:00")),
            utc("2027-01-15T12:00")
        );
        assert_eq!(
            paris_wall_clock(utc("2027-03-28T00:59")),
            utc("2027-03-28T01:59")
        );
        assert_eq!(
            paris_wall_clock(utc("2027-03-28T01:00")),
            utc("2027-03-28T03:00")
        );
        assert_eq!(
            paris_wall_clock(utc("2027-10-01T10:00")),
            utc("2027-10-01T12:00")
        );
        assert_eq!(
            paris_wall_clock(utc("2027-10-31T00:59")),
            utc("2027-10-31T02:59")
        );
        assert_eq!(
            paris_wall_clock(utc("2027-10-31T01:00")),
            utc("2027-10-31T02:00")
        );
    }
}
