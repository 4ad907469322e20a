//! Validated value types: codes, numbers and enumerations of the domain.
//!
//! Each `parse` returns a French message naming what is wrong, which the
//! ingestion layer turns into a located diagnostic.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

use serde::Serialize;

use crate::text::fold_key;

/// A dispositif code from the DSR catalogue (`MS-DUI`, `MDV-LGC`): `[A-Z0-9-]+`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct DispositifCode(String);

impl DispositifCode {
    /// Validates a code: upper-case letters, digits and dashes, starting with a letter or digit.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let ok = !raw.is_empty()
            && raw
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
            && !raw.starts_with('-');
        if ok {
            Ok(DispositifCode(raw.to_owned()))
        } else {
            Err(format!(
                "code de dispositif « {raw} » invalide : lettres majuscules, chiffres et tirets uniquement (ex. MS-DUI)"
            ))
        }
    }

    /// The code as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Lets maps keyed by code be searched with a `&str` (same order as the string).
impl std::borrow::Borrow<str> for DispositifCode {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DispositifCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A version number (`2.1`, `v2.10`, `4.2.0`), compared on the numbers found
/// in it: `2.10` > `2.9`, `4.2` = `4.2.0`.
#[derive(Debug, Clone, Serialize)]
#[serde(into = "String")]
pub struct Version {
    raw: String,
    /// The numeric components, trailing zeros removed so that `4.2` = `4.2.0`.
    numbers: Vec<u64>,
}

impl Version {
    /// Parses any text containing at least one number; the numbers are compared.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        let mut numbers = Vec::new();
        let mut current: Option<u64> = None;
        for c in raw.chars() {
            if let Some(d) = c.to_digit(10) {
                let n = current.unwrap_or(0);
                current = Some(
                    n.checked_mul(10)
                        .and_then(|n| n.checked_add(u64::from(d)))
                        .ok_or_else(|| format!("version « {raw} » : nombre trop grand"))?,
                );
            } else if let Some(n) = current.take() {
                numbers.push(n);
            }
        }
        numbers.extend(current);
        if numbers.is_empty() || raw.chars().any(char::is_control) {
            return Err(format!(
                "version « {raw} » invalide : elle doit contenir des numéros (ex. 2.1 ou v4.2.0)"
            ));
        }
        while numbers.len() > 1 && numbers.last() == Some(&0) {
            numbers.pop();
        }
        Ok(Version {
            raw: raw.to_owned(),
            numbers,
        })
    }

    /// The version as written.
    pub fn as_str(&self) -> &str {
        &self.raw
    }
}

impl From<Version> for String {
    fn from(v: Version) -> String {
        v.raw
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.numbers == other.numbers
    }
}
impl Eq for Version {}
impl Hash for Version {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.numbers.hash(state);
    }
}
impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.numbers.cmp(&other.numbers)
    }
}
impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

/// A SIRET: 14 digits passing the Luhn check, or, for La Poste (SIREN
/// 356000000), whose digits sum to a multiple of 5.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Siret(String);

/// La Poste's SIREN: its establishments' SIRETs do not satisfy Luhn; INSEE
/// validates them by the sum of their digits instead.
const LA_POSTE_SIREN: &str = "356000000";

impl Siret {
    /// Validates a SIRET; spaces (as people write them, `732 829 320 00074`) are ignored.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let digits: String = raw
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '\u{a0}' && *c != '\u{202f}')
            .collect();
        if digits.len() != 14 || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(format!(
                "SIRET « {raw} » invalide : 14 chiffres attendus, {} trouvé{}",
                digits.chars().count(),
                if digits.chars().count() > 1 { "s" } else { "" }
            ));
        }
        let values: Vec<u32> = digits.chars().filter_map(|c| c.to_digit(10)).collect();
        let valid = if digits.starts_with(LA_POSTE_SIREN) {
            values.iter().sum::<u32>() % 5 == 0
        } else {
            luhn_valid(&values)
        };
        if valid {
            Ok(Siret(digits))
        } else {
            Err(format!(
                "SIRET « {raw} » invalide : la clé de contrôle (Luhn) ne correspond pas"
            ))
        }
    }

    /// The 14 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The SIREN: the first nine digits.
    pub fn siren(&self) -> &str {
        &self.0[..9]
    }
}

impl fmt::Display for Siret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The Luhn check on decimal digits (rightmost digit is the check digit).
fn luhn_valid(digits: &[u32]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 {
                    doubled - 9
                } else {
                    doubled
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// A candidature identifier, used in URLs: `[a-z0-9-]+`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct CandidatureId(String);

impl CandidatureId {
    /// Validates an identifier.
    pub fn parse(raw: &str) -> Result<Self, String> {
        if !raw.is_empty()
            && raw
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            Ok(CandidatureId(raw.to_owned()))
        } else {
            Err(format!(
                "identifiant de candidature « {raw} » invalide : minuscules sans accent, chiffres et tirets uniquement (ex. medi20-ms-ph)"
            ))
        }
    }

    /// The identifier.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CandidatureId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A numéro unique de référencement (or de candidature).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Nru(String);

impl Nru {
    /// Any non-empty text without spaces inside.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        if raw.is_empty() || raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
            Err(format!(
                "NRU « {raw} » invalide : un identifiant sans espace est attendu"
            ))
        } else {
            Ok(Nru(raw.to_owned()))
        }
    }

    /// The number as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Nru {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A profile of a dispositif. `Général` applies to every candidate; the others
/// are optional (`PA`, `PH avec DO`, `AHI`…). Two profiles are the same when
/// their names match ignoring case, accents and spacing.
#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub struct Profile {
    name: String,
    #[serde(skip)]
    key: String,
}

/// The profile every candidate is assessed on.
pub const GENERAL: &str = "Général";

impl Profile {
    /// Profile names as pages and documents list them: `Général, MS1`.
    pub fn list<'a>(profiles: impl IntoIterator<Item = &'a Profile>) -> String {
        let names: Vec<&str> = profiles.into_iter().map(Profile::as_str).collect();
        names.join(", ")
    }

    /// A profile named `name` (trimmed).
    pub fn new(name: &str) -> Self {
        let name = name.trim().to_owned();
        let key = fold_key(&name);
        Profile { name, key }
    }

    /// The implicit `Général` profile.
    pub fn general() -> Self {
        Profile::new(GENERAL)
    }

    /// True for `Général`.
    pub fn is_general(&self) -> bool {
        self.key == "general"
    }

    /// The name as written.
    pub fn as_str(&self) -> &str {
        &self.name
    }
}

impl PartialEq for Profile {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}
impl Eq for Profile {}
impl Hash for Profile {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.key.hash(state);
    }
}
impl PartialOrd for Profile {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Profile {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key.cmp(&other.key)
    }
}
impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

/// Whether a REM row restates a vague 1 requirement or is new in vague 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Perimetre {
    /// `Vague 1`: restated from vague 1; inherited by a vague 1 référencement (R2).
    #[serde(rename = "Vague 1")]
    Vague1,
    /// `Vague 2`: new in vague 2.
    #[serde(rename = "Vague 2")]
    Vague2,
}

impl Perimetre {
    /// `Vague 1` or `Vague 2` (case, spacing and accents ignored; `V1`, `1` accepted).
    pub fn parse(raw: &str) -> Result<Self, String> {
        match parse_wave(raw) {
            Some(Vague::Un) => Ok(Perimetre::Vague1),
            Some(Vague::Deux) => Ok(Perimetre::Vague2),
            None => Err(format!(
                "Périmètre « {raw} » invalide : « Vague 1 » ou « Vague 2 » attendu"
            )),
        }
    }

    /// `Vague 1` or `Vague 2`.
    pub fn as_str(self) -> &'static str {
        match self {
            Perimetre::Vague1 => "Vague 1",
            Perimetre::Vague2 => "Vague 2",
        }
    }
}

impl fmt::Display for Perimetre {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The wave of a dispositif or a référencement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Vague {
    /// Vague 1.
    #[serde(rename = "1")]
    Un,
    /// Vague 2.
    #[serde(rename = "2")]
    Deux,
}

impl Vague {
    /// `1` or `2` (`Vague 1`, `V2` accepted).
    pub fn parse(raw: &str) -> Result<Self, String> {
        parse_wave(raw).ok_or_else(|| format!("vague « {raw} » invalide : 1 ou 2 attendu"))
    }

    /// 1 or 2.
    pub fn number(self) -> u8 {
        match self {
            Vague::Un => 1,
            Vague::Deux => 2,
        }
    }
}

impl fmt::Display for Vague {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.number())
    }
}

fn parse_wave(raw: &str) -> Option<Vague> {
    let key = fold_key(raw).replace(' ', "");
    let number = key
        .strip_prefix("vague")
        .or_else(|| key.strip_prefix("va"))
        .or_else(|| key.strip_prefix('v'))
        .unwrap_or(&key);
    match number {
        "1" => Some(Vague::Un),
        "2" => Some(Vague::Deux),
        _ => None,
    }
}

/// Where a proof comes from: deposited on Convergence, or fetched from another guichet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Source {
    /// Deposited directly on Convergence (the default).
    Convergence,
    /// A CNDA homologation certificate: one per NIL (R5).
    #[serde(rename = "CNDA")]
    Cnda,
    /// An EDC PSC habilitation (not for profiles exempt from EDC PSC, R6).
    #[serde(rename = "EDC PSC")]
    EdcPsc,
    /// A Gazelle interoperability test report.
    Gazelle,
    /// A MOTCO2 MSSanté test report.
    #[serde(rename = "MOTCO2")]
    Motco2,
}

impl Source {
    /// Parses a `Source` cell; empty means `Convergence`.
    pub fn parse(raw: &str) -> Result<Self, String> {
        match fold_key(raw).replace([' ', '-', '_'], "").as_str() {
            "" | "convergence" => Ok(Source::Convergence),
            "cnda" => Ok(Source::Cnda),
            "edcpsc" => Ok(Source::EdcPsc),
            "gazelle" => Ok(Source::Gazelle),
            "motco2" => Ok(Source::Motco2),
            _ => Err(format!(
                "Source « {raw} » inconnue : Convergence, CNDA, EDC PSC, Gazelle ou MOTCO2 attendu"
            )),
        }
    }

    /// The guichet's name as the ANS writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Convergence => "Convergence",
            Source::Cnda => "CNDA",
            Source::EdcPsc => "EDC PSC",
            Source::Gazelle => "Gazelle",
            Source::Motco2 => "MOTCO2",
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The status of a référencement in the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Statut {
    /// Granted by the collège: the only status that allows héritage or équivalence.
    #[serde(rename = "Référencé")]
    Reference,
    /// Candidature under instruction.
    #[serde(rename = "En cours")]
    EnCours,
    /// Refused by the collège.
    #[serde(rename = "Non attribué")]
    NonAttribue,
}

impl Statut {
    /// `Référencé`, `En cours` or `Non attribué` (case and accents ignored).
    pub fn parse(raw: &str) -> Result<Self, String> {
        match fold_key(raw).as_str() {
            "reference" => Ok(Statut::Reference),
            "en cours" => Ok(Statut::EnCours),
            "non attribue" => Ok(Statut::NonAttribue),
            _ => Err(format!(
                "Statut « {raw} » inconnu : « Référencé », « En cours » ou « Non attribué » attendu"
            )),
        }
    }

    /// The status as the ANS writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Statut::Reference => "Référencé",
            Statut::EnCours => "En cours",
            Statut::NonAttribue => "Non attribué",
        }
    }
}

impl fmt::Display for Statut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a requirement must be met (`DOIT`) or is recommended (`PEUT`),
/// the REM's `Nature de l'exigence`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Nature {
    /// `Obligatoire`: a "DOIT" requirement (Squash writes `EXIGENCE`).
    Obligatoire,
    /// `Préconisée`: a "PEUT" requirement (Squash writes `PRECONISATION`).
    #[serde(rename = "Préconisée")]
    Preconisee,
}

impl Nature {
    /// `Obligatoire` or `Préconisée`; the words of the ANS's tools
    /// (`Exigence`, `Préconisation`, `DOIT`, `PEUT`) are accepted.
    pub fn parse(raw: &str) -> Result<Self, String> {
        match fold_key(raw).as_str() {
            "obligatoire" | "exigence" | "doit" => Ok(Nature::Obligatoire),
            "preconisee" | "preconisation" | "peut" | "recommandee" => Ok(Nature::Preconisee),
            _ => Err(format!(
                "Nature de l'exigence « {raw} » inconnue : « Obligatoire » ou « Préconisée » attendu"
            )),
        }
    }

    /// The nature as the ANS's published REM writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Nature::Obligatoire => "Obligatoire",
            Nature::Preconisee => "Préconisée",
        }
    }
}

impl fmt::Display for Nature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The ANS's own label of a requirement against the previous release (the
/// published REM's `Statut publication`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum StatutPublication {
    /// `Nouvelle`.
    Nouvelle,
    /// `Modifiée`.
    #[serde(rename = "Modifiée")]
    Modifiee,
    /// `Inchangée`.
    #[serde(rename = "Inchangée")]
    Inchangee,
    /// `Obsolète`: still listed, no longer required.
    #[serde(rename = "Obsolète")]
    Obsolete,
    /// `En cours d'instruction`.
    #[serde(rename = "En cours d'instruction")]
    EnCoursInstruction,
}

impl StatutPublication {
    /// A label as the ANS writes it (case, accents, gender and number ignored).
    pub fn parse(raw: &str) -> Result<Self, String> {
        let key = fold_key(raw).replace('’', "'");
        let key = key.trim_end_matches('s');
        match key {
            "nouvelle" | "nouveau" | "nouvelle exigence" | "ajoutee" => Ok(Self::Nouvelle),
            "modifiee" | "modifie" => Ok(Self::Modifiee),
            "inchangee" | "inchange" => Ok(Self::Inchangee),
            "obsolete" | "supprimee" => Ok(Self::Obsolete),
            "en cours d'instruction" | "en cour d'instruction" | "en cour" => {
                Ok(Self::EnCoursInstruction)
            }
            _ => Err(format!(
                "Statut publication « {raw} » inconnu : Nouvelle, Modifiée, Inchangée, Obsolète ou En cours d'instruction attendu"
            )),
        }
    }

    /// The label as the ANS writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Nouvelle => "Nouvelle",
            Self::Modifiee => "Modifiée",
            Self::Inchangee => "Inchangée",
            Self::Obsolete => "Obsolète",
            Self::EnCoursInstruction => "En cours d'instruction",
        }
    }
}

impl fmt::Display for StatutPublication {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The criticity of a requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Criticite {
    /// `Majeure`.
    Majeure,
    /// `Mineure`.
    Mineure,
}

impl Criticite {
    /// `Majeure` or `Mineure` (case and accents ignored).
    pub fn parse(raw: &str) -> Result<Self, String> {
        match fold_key(raw).as_str() {
            "majeure" => Ok(Criticite::Majeure),
            "mineure" => Ok(Criticite::Mineure),
            _ => Err(format!(
                "Criticité « {raw} » inconnue : « Majeure » ou « Mineure » attendu"
            )),
        }
    }

    /// The criticity as written by the ANS.
    pub fn as_str(self) -> &'static str {
        match self {
            Criticite::Majeure => "Majeure",
            Criticite::Mineure => "Mineure",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_numerically() {
        let v = |s| Version::parse(s).unwrap();
        assert!(v("2.10") > v("2.9"));
        assert!(v("v2.10") > v("2.9"));
        assert_eq!(v("4.2"), v("4.2.0"));
        assert!(v("10") > v("9.9.9"));
        assert_eq!(v("V 3.1").as_str(), "V 3.1");
        assert!(Version::parse("beta").is_err());
        assert!(Version::parse("").is_err());
        assert!(Version::parse("99999999999999999999999").is_err());
    }

    #[test]
    fn siret_luhn_and_la_poste_exception() {
        assert!(Siret::parse("73282932000074").is_ok());
        assert!(Siret::parse("732 829 320 00074").is_ok());
        assert_eq!(
            Siret::parse("73282932000075").unwrap_err(),
            "SIRET « 73282932000075 » invalide : la clé de contrôle (Luhn) ne correspond pas"
        );
        assert_eq!(
            Siret::parse("7328293200007").unwrap_err(),
            "SIRET « 7328293200007 » invalide : 14 chiffres attendus, 13 trouvés"
        );
        assert!(Siret::parse("7328293200007A").is_err());
    }

    #[test]
    fn la_poste_siret_uses_digit_sum() {
        // 3+5+6 = 14; add establishment digits summing to 1 → 15, a multiple of 5.
        let valid = "35600000000010";
        let invalid = "35600000000020";
        assert!(Siret::parse(valid).is_ok());
        assert!(Siret::parse(invalid).is_err());
        assert_eq!(Siret::parse(valid).unwrap().siren(), "356000000");
    }

    #[test]
    fn dispositif_codes() {
        assert!(DispositifCode::parse("MS-DUI").is_ok());
        assert!(DispositifCode::parse("MDV-LGC-VA1").is_ok());
        assert!(DispositifCode::parse("ms-dui").is_err());
        assert!(DispositifCode::parse("-X").is_err());
        assert!(DispositifCode::parse("").is_err());
    }

    #[test]
    fn candidature_ids() {
        assert!(CandidatureId::parse("medi20-ms-ph").is_ok());
        assert!(CandidatureId::parse("Medi20").is_err());
        assert!(CandidatureId::parse("médi").is_err());
        assert!(CandidatureId::parse("a b").is_err());
    }

    #[test]
    fn profiles_match_ignoring_case_accents_spacing() {
        assert_eq!(Profile::new("PH avec DO"), Profile::new("ph  avec do"));
        assert!(Profile::new("General").is_general());
        assert!(Profile::new("Général").is_general());
        assert_ne!(Profile::new("PA"), Profile::new("PDE"));
    }

    #[test]
    fn enumerations_parse_leniently_but_reject_unknowns() {
        assert_eq!(Perimetre::parse("vague 1"), Ok(Perimetre::Vague1));
        assert_eq!(Perimetre::parse("Vague 2"), Ok(Perimetre::Vague2));
        assert!(Perimetre::parse("Vague 3").is_err());
        assert_eq!(Vague::parse("2"), Ok(Vague::Deux));
        assert_eq!(Source::parse(""), Ok(Source::Convergence));
        assert_eq!(Source::parse("EDC-PSC"), Ok(Source::EdcPsc));
        assert_eq!(Source::parse("MOTCO2"), Ok(Source::Motco2));
        assert!(Source::parse("Fax").is_err());
        assert_eq!(Statut::parse("REFERENCE"), Ok(Statut::Reference));
        assert_eq!(Statut::parse("non attribué"), Ok(Statut::NonAttribue));
        assert_eq!(Criticite::parse("majeure"), Ok(Criticite::Majeure));
    }
}
