//! `data/candidatures/*.yaml`: one candidature per file.
//!
//! Deserialised in two steps: serde checks the shape (unknown keys, types),
//! then every value is validated and every problem reported at its key.

use std::fmt;
use std::sync::Arc;

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

use super::{decode_or_report, parse_date, yaml_error};
use crate::diag::Diagnostics;
use crate::model::{
    locate_key, Candidature, CandidatureId, Composant, Contact, DispositifCode, Distributeur,
    EdcPsc, Editeur, MembreGroupement, MotifObsolescence, NomCommercial, Nru, Personne, Profile,
    Signature, Siret, Solution, Version, VersionObsolete,
};

/// A YAML scalar kept as text: `siret: 73282932000074` (a number for YAML)
/// and `siret: "73282932000074"` mean the same to the user. Decimal numbers
/// are refused: YAML reads `version: 4.10` as 4.1.
#[derive(Debug, Clone)]
struct Scalar(String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ScalarVisitor;
        impl Visitor<'_> for ScalarVisitor {
            type Value = Scalar;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
                // A YAML escape (`"\x1b[31m"`, `"\u0007"`, `"\0"`) gives
                // characters no value has: they would reach terminals,
                // pages and documents.
                if let Some(c) = v
                    .chars()
                    .find(|c| c.is_control() && *c != '\n' && *c != '\t')
                {
                    return Err(E::custom(format!(
                        "caractère de contrôle U+{:04X} interdit dans une valeur (une séquence d'échappement YAML comme \\x1b ou \\u0007 ?)",
                        c as u32
                    )));
                }
                Ok(Scalar(crate::text::trim(v).to_owned()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
                Err(E::custom(format!(
                    "nombre décimal {v} : écrivez la valeur entre guillemets (sans guillemets, YAML lit 4.10 comme 4.1)"
                )))
            }
        }
        deserializer.deserialize_any(ScalarVisitor)
    }
}

/// `equivalence` takes one NRU; a list is read so that two root NRUs get a
/// clear R3 error rather than a type error.
#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(Scalar),
    Many(Vec<Scalar>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCandidature {
    id: Option<Scalar>,
    dispositif: Scalar,
    profils: Option<Vec<Scalar>>,
    editeur: RawEditeur,
    contact: Option<RawContact>,
    solution: RawSolution,
    noms_commerciaux: Option<Vec<RawNom>>,
    heritage: Option<Vec<Scalar>>,
    equivalence: Option<OneOrMany>,
    edc_psc: Option<RawEdcPsc>,
    groupement: Option<Vec<RawMembre>>,
    distributeurs: Option<Vec<RawDistributeur>>,
    versions_obsoletes: Option<Vec<RawObsolete>>,
    signature: Option<RawSignature>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawObsolete {
    version: Scalar,
    motif: Scalar,
    date: Option<Scalar>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEditeur {
    raison_sociale: Scalar,
    siret: Scalar,
    nie: Option<Scalar>,
    adresse: Option<Scalar>,
    representant_legal: Option<RawPersonne>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPersonne {
    civilite: Option<Scalar>,
    prenom: Scalar,
    nom: Scalar,
    qualite: Option<Scalar>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawContact {
    nom: Option<Scalar>,
    email: Option<Scalar>,
    telephone: Option<Scalar>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSolution {
    nom: Scalar,
    version: Scalar,
    composant_principal: Scalar,
    proxy_esante: Option<RawComposant>,
    composants_additionnels: Option<Vec<RawComposant>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawComposant {
    nom: Scalar,
    editeur: Option<Scalar>,
    nil: Option<Scalar>,
    version: Option<Scalar>,
    #[serde(default)]
    nouveau: bool,
    chapitres: Option<Vec<Scalar>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNom {
    nom: Scalar,
    nil: Option<Scalar>,
    version: Option<Scalar>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEdcPsc {
    nru_lps: Option<Scalar>,
    nru_proxy: Option<Scalar>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMembre {
    raison_sociale: Scalar,
    siret: Option<Scalar>,
    role: Option<Scalar>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDistributeur {
    raison_sociale: Scalar,
    siret: Option<Scalar>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSignature {
    lieu: Option<Scalar>,
    date: Option<Scalar>,
}

/// Validates values one by one, reporting each problem at its key path.
struct Checker<'a> {
    file: &'a Arc<str>,
    source: &'a str,
    diags: &'a mut Diagnostics,
}

impl Checker<'_> {
    fn error(&mut self, path: &str, message: impl Into<String>) {
        self.diags
            .error(locate_key(self.file, self.source, path), message);
    }

    fn parse<T>(
        &mut self,
        path: &str,
        value: &Scalar,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        match parse(&value.0) {
            Ok(v) => Some(v),
            Err(message) => {
                self.error(path, message);
                None
            }
        }
    }

    fn text(&mut self, path: &str, value: Scalar) -> Option<String> {
        if value.0.is_empty() {
            self.error(path, format!("« {path} » est vide"));
            None
        } else {
            Some(value.0)
        }
    }

    fn siret(&mut self, path: &str, value: Option<Scalar>) -> Option<Siret> {
        value.and_then(|v| self.parse(path, &v, Siret::parse))
    }
}

fn optional(value: Option<Scalar>) -> Option<String> {
    value.map(|s| s.0).filter(|s| !s.is_empty())
}

/// Parses one candidature file. `stem` (the file name without extension) is
/// the id when the file gives none.
pub fn parse_candidature(
    file: &Arc<str>,
    stem: &str,
    bytes: &[u8],
    diags: &mut Diagnostics,
) -> Option<Candidature> {
    let source = decode_or_report(file, bytes, diags)?;
    if source.trim().is_empty() {
        diags.error(
            crate::diag::Location::file(file),
            "fichier vide : une candidature est attendue (voir docs/formats.md)",
        );
        return None;
    }
    let raw: RawCandidature = match serde_yaml::from_str(&source) {
        Ok(raw) => raw,
        Err(err) => {
            diags.push(yaml_error(file, &err, 0));
            return None;
        }
    };
    let errors_before = diags.error_count();
    let mut c = Checker {
        file,
        source: &source,
        diags,
    };

    let id = match raw.id {
        Some(id) => c.parse("id", &id, CandidatureId::parse),
        None => match CandidatureId::parse(stem) {
            Ok(id) => Some(id),
            Err(message) => {
                c.error(
                    "",
                    format!("nom de fichier : {message} ; ou indiquez une clé « id »"),
                );
                None
            }
        },
    };
    let dispositif = c.parse("dispositif", &raw.dispositif, DispositifCode::parse);
    let mut profils: Vec<Profile> = Vec::new();
    for (i, p) in raw.profils.unwrap_or_default().into_iter().enumerate() {
        let profile = Profile::new(&p.0);
        if profile.is_general() {
            c.error(
                &format!("profils[{i}]"),
                "« Général » est implicite : ne le listez pas dans « profils »",
            );
        } else if profils.contains(&profile) {
            c.error(
                &format!("profils[{i}]"),
                format!("profil « {} » listé deux fois", p.0),
            );
        } else {
            profils.push(profile);
        }
    }

    let e = raw.editeur;
    let raison_sociale = c.text("editeur.raison_sociale", e.raison_sociale);
    let siret = c.siret("editeur.siret", Some(e.siret));
    let representant_legal = e.representant_legal.and_then(|p| {
        let prenom = c.text("editeur.representant_legal.prenom", p.prenom);
        let nom = c.text("editeur.representant_legal.nom", p.nom);
        Some(Personne {
            civilite: optional(p.civilite),
            prenom: prenom?,
            nom: nom?,
            qualite: optional(p.qualite),
        })
    });

    let s = raw.solution;
    let solution_nom = c.text("solution.nom", s.nom);
    let version = c.parse("solution.version", &s.version, Version::parse);
    let composant_principal = c.text("solution.composant_principal", s.composant_principal);
    let proxy = s
        .proxy_esante
        .and_then(|p| composant(&mut c, "solution.proxy_esante", p));
    let additionnels: Vec<Composant> = s
        .composants_additionnels
        .unwrap_or_default()
        .into_iter()
        .enumerate()
        .filter_map(|(i, p)| {
            composant(&mut c, &format!("solution.composants_additionnels[{i}]"), p)
        })
        .collect();

    let raw_noms = raw.noms_commerciaux.unwrap_or_default();
    if raw_noms.is_empty() {
        c.error(
            "noms_commerciaux",
            "au moins un nom commercial est attendu (« noms_commerciaux », avec nom, nil et version)",
        );
    }
    let mut noms = Vec::new();
    for (i, n) in raw_noms.into_iter().enumerate() {
        let path = format!("noms_commerciaux[{i}]");
        let name = n.nom.0.clone();
        let nom = c.text(&format!("{path}.nom"), n.nom);
        let nil = match optional(n.nil) {
            Some(nil) => match nil_problem(&nil) {
                None => Some(nil),
                Some(problem) => {
                    c.error(&format!("{path}.nil"), problem);
                    None
                }
            },
            None => {
                c.error(
                    &path,
                    format!(
                        "nom commercial « {name} » sans NIL : chaque nom commercial a le sien (R5)"
                    ),
                );
                None
            }
        };
        let version = match n.version {
            Some(v) => c.parse(&format!("{path}.version"), &v, Version::parse),
            None => {
                c.error(
                    &path,
                    format!("nom commercial « {name} » sans version technique (clé « version »)"),
                );
                None
            }
        };
        if let (Some(nom), Some(nil), Some(version)) = (nom, nil, version) {
            if noms.iter().any(|n: &NomCommercial| n.nil == nil) {
                c.error(
                    &format!("{path}.nil"),
                    format!("NIL {nil} déjà attribué à un autre nom commercial"),
                );
            }
            noms.push(NomCommercial { nom, nil, version });
        }
    }

    let mut heritage = Vec::new();
    for (i, nru) in raw.heritage.unwrap_or_default().into_iter().enumerate() {
        let path = format!("heritage[{i}]");
        if let Some(nru) = c.parse(&path, &nru, Nru::parse) {
            if heritage.contains(&nru) {
                c.error(&path, format!("NRU {nru} cité deux fois"));
            } else {
                heritage.push(nru);
            }
        }
    }
    let equivalence = match raw.equivalence {
        None => None,
        Some(OneOrMany::One(s)) if s.0.is_empty() => None,
        Some(OneOrMany::One(s)) => c.parse("equivalence", &s, Nru::parse),
        Some(OneOrMany::Many(list)) => match list.as_slice() {
            [] => None,
            [one] => c.parse("equivalence", one, Nru::parse),
            many => {
                c.error(
                    "equivalence",
                    format!(
                        "{} NRU de solution racine cités ({}) : une candidature ne peut s'appuyer que sur une seule solution racine (R3)",
                        many.len(),
                        many.iter().map(|s| s.0.as_str()).collect::<Vec<_>>().join(", ")
                    ),
                );
                None
            }
        },
    };

    let groupement = raw
        .groupement
        .unwrap_or_default()
        .into_iter()
        .enumerate()
        .filter_map(|(i, m)| {
            let path = format!("groupement[{i}]");
            let siret = c.siret(&format!("{path}.siret"), m.siret);
            Some(MembreGroupement {
                raison_sociale: c.text(&format!("{path}.raison_sociale"), m.raison_sociale)?,
                siret,
                role: optional(m.role),
            })
        })
        .collect();
    let distributeurs = raw
        .distributeurs
        .unwrap_or_default()
        .into_iter()
        .enumerate()
        .filter_map(|(i, d)| {
            let path = format!("distributeurs[{i}]");
            let siret = c.siret(&format!("{path}.siret"), d.siret);
            Some(Distributeur {
                raison_sociale: c.text(&format!("{path}.raison_sociale"), d.raison_sociale)?,
                siret,
            })
        })
        .collect();
    let versions_obsoletes = raw.versions_obsoletes.map(|list| {
        list.into_iter()
            .enumerate()
            .filter_map(|(i, v)| {
                let path = format!("versions_obsoletes[{i}]");
                let version = c.parse(&format!("{path}.version"), &v.version, Version::parse);
                let motif = c.parse(&format!("{path}.motif"), &v.motif, |m| {
                    match crate::text::fold_key(m).replace([' ', '_'], "-").as_str() {
                        "arret-maintenance" | "arret-de-maintenance" => Ok(MotifObsolescence::ArretMaintenance),
                        "arret-commercialisation" | "arret-de-commercialisation" => Ok(MotifObsolescence::ArretCommercialisation),
                        _ => Err(format!("motif « {m} » inconnu : « arret-maintenance » ou « arret-commercialisation » attendu")),
                    }
                });
                let date = v
                    .date
                    .filter(|d| !d.0.is_empty())
                    .and_then(|d| c.parse(&format!("{path}.date"), &d, parse_date));
                Some(VersionObsolete { version: version?, motif: motif?, date })
            })
            .collect::<Vec<_>>()
    });
    if let (Some(list), Some(v)) = (&versions_obsoletes, &version) {
        for (i, o) in list.iter().enumerate() {
            if o.version == *v {
                c.error(
                    &format!("versions_obsoletes[{i}].version"),
                    format!("la version candidate {v} est déclarée obsolète : on ne candidate pas avec une version en arrêt de maintenance ou de commercialisation"),
                );
            }
        }
    }
    let signature = raw.signature.map(|s| Signature {
        lieu: optional(s.lieu),
        date: s
            .date
            .filter(|d| !d.0.is_empty())
            .and_then(|d| c.parse("signature.date", &d, parse_date)),
    });

    if c.diags.error_count() > errors_before {
        return None;
    }
    Some(Candidature {
        id: id?,
        dispositif: dispositif?,
        profils,
        editeur: Editeur {
            raison_sociale: raison_sociale?,
            siret: siret?,
            nie: optional(e.nie),
            adresse: optional(e.adresse),
            representant_legal,
        },
        contact: raw.contact.map(|k| Contact {
            nom: optional(k.nom),
            email: optional(k.email),
            telephone: optional(k.telephone),
        }),
        solution: Solution {
            nom: solution_nom?,
            version: version?,
            composant_principal: composant_principal?,
            proxy_esante: proxy,
            composants_additionnels: additionnels,
        },
        noms_commerciaux: noms,
        heritage,
        equivalence,
        edc_psc: raw.edc_psc.map(|e| EdcPsc {
            nru_lps: optional(e.nru_lps),
            nru_proxy: optional(e.nru_proxy),
        }),
        groupement,
        distributeurs,
        versions_obsoletes,
        signature,
        file: Arc::clone(file),
        source: Arc::from(source.as_str()),
    })
}

fn composant(c: &mut Checker<'_>, path: &str, raw: RawComposant) -> Option<Composant> {
    let name = raw.nom.0.clone();
    let nom = c.text(&format!("{path}.nom"), raw.nom);
    let chapitres: Vec<String> = raw
        .chapitres
        .unwrap_or_default()
        .into_iter()
        .map(|s| s.0)
        .filter(|s| !s.is_empty())
        .collect();
    if raw.nouveau && chapitres.is_empty() {
        c.diags.warning(
            locate_key(c.file, c.source, &format!("{path}.nouveau")),
            format!("composant nouveau « {name} » sans « chapitres » : aucun chapitre ne sera redemandé à cause de lui (R4)"),
        );
    }
    if !raw.nouveau && !chapitres.is_empty() {
        c.diags.warning(
            locate_key(c.file, c.source, &format!("{path}.chapitres")),
            format!("composant « {name} » non nouveau : ses « chapitres » sont sans effet (R4 ne s'applique qu'aux composants nouveaux)"),
        );
    }
    let nil = optional(raw.nil);
    if let Some(problem) = nil.as_deref().and_then(nil_problem) {
        c.error(&format!("{path}.nil"), problem);
    }
    Some(Composant {
        nom: nom?,
        editeur: optional(raw.editeur),
        nil,
        version: optional(raw.version),
        nouveau: raw.nouveau,
        chapitres,
    })
}

/// Why `nil` is not a NIL (the software's number at the CNDA: letters and
/// digits, with `-`, `_`, `.`, `/` or spaces inside), or `None`. A NIL goes
/// into checklists, CSVs and workbooks: nothing that a spreadsheet would
/// run (`=HYPERLINK(…)`), no control character.
fn nil_problem(nil: &str) -> Option<String> {
    let ok = nil.chars().count() <= 64
        && nil.chars().next().is_some_and(char::is_alphanumeric)
        && nil
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | ' '));
    (!ok).then(|| {
        format!(
            "NIL « {} » invalide : lettres et chiffres, avec - _ . / ou des espaces à l'intérieur, 64 caractères au plus",
            nil.chars().filter(|c| !c.is_control()).take(80).collect::<String>()
        )
    })
}
