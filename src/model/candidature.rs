//! A candidature: one solution applying to one dispositif, as declared by the éditeur.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::Serialize;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use super::types::{CandidatureId, DispositifCode, Nru, Profile, Siret, Version};
use crate::diag::Location;
use crate::text::to_u32;

/// A candidature file, validated.
#[derive(Debug, Clone, Serialize)]
pub struct Candidature {
    /// Identifier (the file stem unless `id` is given).
    pub id: CandidatureId,
    /// The dispositif applied for.
    pub dispositif: DispositifCode,
    /// Optional profiles selected (Général is implicit).
    pub profils: Vec<Profile>,
    /// The éditeur (lead of the groupement).
    pub editeur: Editeur,
    /// Contact for the référencement.
    pub contact: Option<Contact>,
    /// The Solution logicielle.
    pub solution: Solution,
    /// Commercial names, at least one.
    pub noms_commerciaux: Vec<NomCommercial>,
    /// Vague 1 NRUs inherited from (R2).
    pub heritage: Vec<Nru>,
    /// The vague 2 root NRU claimed for équivalence (R3).
    pub equivalence: Option<Nru>,
    /// EDC PSC candidature numbers.
    pub edc_psc: Option<EdcPsc>,
    /// Members of the groupement solidaire.
    pub groupement: Vec<MembreGroupement>,
    /// Declared distributors.
    pub distributeurs: Vec<Distributeur>,
    /// Versions techniques publicly announced as no longer maintained or
    /// sold; `Some(empty)` states that none is concerned, `None` that the
    /// form's answer is missing.
    pub versions_obsoletes: Option<Vec<VersionObsolete>>,
    /// Place and date of signature of the attestation.
    pub signature: Option<Signature>,
    /// The file, as shown in diagnostics.
    #[serde(skip)]
    pub file: Arc<str>,
    /// The YAML text, kept to locate keys in diagnostics raised after loading.
    #[serde(skip)]
    pub source: Arc<str>,
}

impl Candidature {
    /// The location of a key path (`heritage[1]`, `solution.version`) in the
    /// file; the file itself when the key is not written there.
    pub fn locate(&self, path: &str) -> Location {
        locate_key(&self.file, &self.source, path)
    }

    /// True when the solution declares a new component (additional or proxy).
    pub fn has_new_component(&self) -> bool {
        self.solution.components().any(|c| c.nouveau)
    }
}

/// The éditeur.
#[derive(Debug, Clone, Serialize)]
pub struct Editeur {
    /// Company name.
    pub raison_sociale: String,
    /// SIRET of the company.
    pub siret: Siret,
    /// Numéro d'identification éditeur (CNDA).
    pub nie: Option<String>,
    /// Postal address.
    pub adresse: Option<String>,
    /// Legal representative, signatory of the attestation and convention.
    pub representant_legal: Option<Personne>,
}

/// A natural person.
#[derive(Debug, Clone, Serialize)]
pub struct Personne {
    /// `M.`, `Mme`.
    pub civilite: Option<String>,
    /// First name.
    pub prenom: String,
    /// Last name.
    pub nom: String,
    /// Capacity (`Présidente`).
    pub qualite: Option<String>,
}

/// The contact for the référencement.
#[derive(Debug, Clone, Serialize)]
pub struct Contact {
    /// Name.
    pub nom: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
    /// Phone number.
    pub telephone: Option<String>,
}

/// The Solution logicielle: composant principal + proxy + additional components.
#[derive(Debug, Clone, Serialize)]
pub struct Solution {
    /// Solution name.
    pub nom: String,
    /// Candidate version.
    pub version: Version,
    /// Identifier of the composant principal (compared with the registry, R2/R3).
    pub composant_principal: String,
    /// The Proxy e-santé.
    pub proxy_esante: Option<Composant>,
    /// Additional components.
    pub composants_additionnels: Vec<Composant>,
}

/// A component of the solution with where it is declared.
#[derive(Debug, Clone, Copy)]
pub struct ComponentSlot<'a> {
    /// `Proxy e-santé` or `Composant additionnel`.
    pub kind: &'static str,
    /// Index among the additional components; `None` for the proxy.
    pub index: Option<usize>,
    /// The component.
    pub composant: &'a Composant,
}

impl ComponentSlot<'_> {
    /// Its YAML key path (`solution.composants_additionnels[1]`).
    pub fn path(&self) -> String {
        match self.index {
            None => "solution.proxy_esante".to_owned(),
            Some(i) => format!("solution.composants_additionnels[{i}]"),
        }
    }
}

impl Solution {
    /// Every component with its kind and position, proxy first.
    pub fn component_slots(&self) -> impl Iterator<Item = ComponentSlot<'_>> {
        self.proxy_esante
            .iter()
            .map(|composant| ComponentSlot {
                kind: "Proxy e-santé",
                index: None,
                composant,
            })
            .chain(
                self.composants_additionnels
                    .iter()
                    .enumerate()
                    .map(|(i, composant)| ComponentSlot {
                        kind: "Composant additionnel",
                        index: Some(i),
                        composant,
                    }),
            )
    }

    /// The proxy then the additional components.
    pub fn components(&self) -> impl Iterator<Item = &Composant> {
        self.proxy_esante
            .iter()
            .chain(&self.composants_additionnels)
    }
}

/// A Proxy e-santé or additional component.
#[derive(Debug, Clone, Serialize)]
pub struct Composant {
    /// Name.
    pub nom: String,
    /// Who edits it.
    pub editeur: Option<String>,
    /// Its NIL, when it has one.
    pub nil: Option<String>,
    /// Its version.
    pub version: Option<String>,
    /// New compared with the root solution (R4).
    pub nouveau: bool,
    /// REM chapters it impacts (R4).
    pub chapitres: Vec<String>,
}

/// A commercial name of the solution (R5).
#[derive(Debug, Clone, Serialize)]
pub struct NomCommercial {
    /// The name.
    pub nom: String,
    /// Its NIL (CNDA).
    pub nil: String,
    /// Its version technique.
    pub version: Version,
}

/// EDC PSC candidature numbers.
#[derive(Debug, Clone, Serialize)]
pub struct EdcPsc {
    /// NRU Éditeur de logiciel utilisateur.
    pub nru_lps: Option<String>,
    /// NRU Éditeur de Proxy e-santé.
    pub nru_proxy: Option<String>,
}

/// A member of the groupement solidaire.
#[derive(Debug, Clone, Serialize)]
pub struct MembreGroupement {
    /// Company name.
    pub raison_sociale: String,
    /// SIRET.
    pub siret: Option<Siret>,
    /// Role in the groupement.
    pub role: Option<String>,
}

/// A declared distributor.
#[derive(Debug, Clone, Serialize)]
pub struct Distributeur {
    /// Company name.
    pub raison_sociale: String,
    /// SIRET.
    pub siret: Option<Siret>,
}

/// Why a version technique is obsolete.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum MotifObsolescence {
    /// Arrêt de maintenance.
    ArretMaintenance,
    /// Arrêt de commercialisation.
    ArretCommercialisation,
}

impl MotifObsolescence {
    /// In French.
    pub fn as_str(self) -> &'static str {
        match self {
            MotifObsolescence::ArretMaintenance => "arrêt de maintenance",
            MotifObsolescence::ArretCommercialisation => "arrêt de commercialisation",
        }
    }
}

/// A version technique declared obsolete in the eligibility form.
#[derive(Debug, Clone, Serialize)]
pub struct VersionObsolete {
    /// The version.
    pub version: Version,
    /// Why.
    pub motif: MotifObsolescence,
    /// Date of the public announcement.
    pub date: Option<NaiveDate>,
}

/// Place and date of signature.
#[derive(Debug, Clone, Serialize)]
pub struct Signature {
    /// Place (`Paris`).
    pub lieu: Option<String>,
    /// Date.
    pub date: Option<NaiveDate>,
}

/// Finds where a key path is written in YAML text: `a.b[2].c`. The
/// location of the value is returned for the last segment (where the bad
/// value stands), falling back to the nearest written ancestor.
pub(crate) fn locate_key(file: &Arc<str>, source: &str, path: &str) -> Location {
    let mut locator = Locator::default();
    let mut parser = Parser::new_from_str(source);
    // A parse error leaves what was found before it; good enough to locate.
    let _ = parser.load(&mut locator, false);
    let mut path = path.to_owned();
    loop {
        if let Some(marker) = locator.found.get(&path) {
            return Location::new(file, to_u32(marker.line()), to_u32(marker.col() + 1));
        }
        match path.rfind(['.', '[']) {
            Some(i) => path.truncate(i),
            None => return Location::file(file),
        }
    }
}

/// Records the marker of every value by its key path.
#[derive(Default)]
struct Locator {
    /// Path segments of the containers we are in.
    stack: Vec<Container>,
    found: HashMap<String, Marker>,
}

enum Container {
    /// A mapping; `Some((key, mark))` once a key is read and its value is awaited.
    Map {
        path: String,
        key: Option<(String, Marker)>,
    },
    /// A sequence and the index of its next item.
    Seq { path: String, next: usize },
}

impl Locator {
    /// The path of the value about to be read, advancing the container, with
    /// the mark of the key that introduces it (for mapping values).
    fn next_value(&mut self) -> Option<(String, Option<Marker>)> {
        match self.stack.last_mut()? {
            Container::Map { path, key } => {
                key.take().map(|(k, mark)| (join(path, &k), Some(mark)))
            }
            Container::Seq { path, next } => {
                let p = format!("{path}[{next}]");
                *next += 1;
                Some((p, None))
            }
        }
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

impl MarkedEventReceiver for Locator {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        match ev {
            Event::Scalar(value, ..)
                if matches!(self.stack.last(), Some(Container::Map { key: None, .. })) =>
            {
                if let Some(Container::Map { path, key }) = self.stack.last_mut() {
                    // A mapping inside a list is located by its first key.
                    if !path.is_empty() {
                        self.found.entry(path.clone()).or_insert(mark);
                    }
                    *key = Some((value, mark));
                }
            }
            Event::Scalar(..) | Event::Alias(_) => {
                if let Some((path, _)) = self.next_value() {
                    self.found.insert(path, mark);
                }
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let path = if self.stack.is_empty() {
                    String::new()
                } else {
                    match self.next_value() {
                        // A container value is located by the key that introduces it.
                        Some((path, Some(key_mark))) => {
                            self.found.insert(path.clone(), key_mark);
                            path
                        }
                        Some((path, None)) => {
                            if matches!(ev, Event::SequenceStart(..)) {
                                self.found.insert(path.clone(), mark);
                            }
                            path
                        }
                        // A complex key: locate nothing inside it.
                        None => "\u{0}".to_owned(),
                    }
                };
                self.stack.push(if matches!(ev, Event::MappingStart(..)) {
                    Container::Map { path, key: None }
                } else {
                    Container::Seq { path, next: 0 }
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const YAML: &str = "id: x\nsolution:\n  nom: Medi\n  composants_additionnels:\n    - { nom: A, chapitres: [INS, DMP] }\n    - nom: B\n      nouveau: true\nheritage: [NRU-1, NRU-2]\n";

    fn at(path: &str) -> (u32, u32) {
        let f: Arc<str> = Arc::from("c.yaml");
        let l = locate_key(&f, YAML, path);
        (l.line, l.column)
    }

    #[test]
    fn locates_values_by_key_path() {
        assert_eq!(at("id"), (1, 5));
        assert_eq!(at("solution.nom"), (3, 8));
        assert_eq!(
            at("solution.composants_additionnels[0].chapitres[1]"),
            (5, 34)
        );
        assert_eq!(at("solution.composants_additionnels[1]"), (6, 7));
        assert_eq!(at("solution.composants_additionnels[1].nouveau"), (7, 16));
        assert_eq!(at("heritage[1]"), (8, 19));
    }

    #[test]
    fn falls_back_to_nearest_ancestor_or_file() {
        assert_eq!(at("solution.version"), (2, 1));
        assert_eq!(at("solution.composants_additionnels[0].nouveau"), (5, 9));
        assert_eq!(at("equivalence"), (0, 0));
    }
}
