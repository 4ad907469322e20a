//! `data/rem/<CODE>/<VERSION>.csv|.xlsx`: one release of a REM, in either
//! layout — one row per proof (long) or one row per scenario (published).

use std::path::Path;
use std::sync::Arc;

use super::squash;
use super::table::{Column, Table};
use crate::diag::{Diagnostics, Location};
use crate::model::{
    Criticite, DispositifCode, Nature, Perimetre, Profile, Rem, RemRow, Source, StatutPublication,
    Version,
};

const PERIMETRE: usize = 0;
const ID: usize = 1;
const CHAPITRE: usize = 2;
const FONCTION: usize = 3;
const EXIGENCE: usize = 4;
const COMMENTAIRE: usize = 5;
const PROFIL: usize = 6;
const N_SCENARIO: usize = 7;
const SCENARIO: usize = 8;
const PROFIL_HISTORIQUE: usize = 9;
const CRITICITE: usize = 10;
const ORDRE: usize = 11;
const SOURCE: usize = 12;
const NATURE: usize = 13;
const STATUT_PUBLICATION: usize = 14;
const VA_N_1: usize = 15;
/// The first proof column: `N° preuve` in the long layout; `N° preuve 1`,
/// `Preuve 1`, … `Preuve 10` in the published one.
const FIRST_PROOF: usize = 16;

/// The columns both layouts share (names as FORMATS.md writes them).
const COMMON: [Column; 16] = [
    Column::required("Périmètre"),
    Column::required("ID"),
    Column::required("Chapitre"),
    Column::optional("Fonction"),
    Column::required("Exigence"),
    Column::optional("Commentaire"),
    Column::required("Profil"),
    Column::required("N° scénario"),
    Column::required("Scénario de conformité"),
    Column::optional("Profil historique"),
    Column::optional("Criticité"),
    Column::optional("Ordre"),
    Column::optional("Source"),
    Column::optional("Nature de l'exigence"),
    Column::optional("Statut publication"),
    Column::optional("VA N-1"),
];

/// How many proofs a row of the published layout holds.
pub const PUBLISHED_PROOFS: usize = 10;

/// `N° preuve 1`, `Preuve 1`, … `N° preuve 10`, `Preuve 10`.
pub const PUBLISHED_PROOF_HEADERS: [&str; 2 * PUBLISHED_PROOFS] = [
    "N° preuve 1",
    "Preuve 1",
    "N° preuve 2",
    "Preuve 2",
    "N° preuve 3",
    "Preuve 3",
    "N° preuve 4",
    "Preuve 4",
    "N° preuve 5",
    "Preuve 5",
    "N° preuve 6",
    "Preuve 6",
    "N° preuve 7",
    "Preuve 7",
    "N° preuve 8",
    "Preuve 8",
    "N° preuve 9",
    "Preuve 9",
    "N° preuve 10",
    "Preuve 10",
];

/// The two ways a REM is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// One row per proof: the columns the ANS's tooling exports to Convergence.
    Long,
    /// One row per scenario, up to ten proofs side by side: the REM the ANS publishes.
    Publiee,
}

impl Layout {
    /// Which layout a header row is in: the published one has `N° preuve 1`.
    fn of(headers: &[super::table::Cell]) -> Layout {
        let wanted = crate::text::fold_key(PUBLISHED_PROOF_HEADERS[0]);
        if headers
            .iter()
            .any(|h| crate::text::fold_key(&h.value) == wanted)
        {
            Layout::Publiee
        } else {
            Layout::Long
        }
    }

    fn schema(self) -> Vec<Column> {
        let mut schema = COMMON.to_vec();
        match self {
            Layout::Long => {
                schema.push(Column::required("N° preuve"));
                schema.push(Column::required("Preuve"));
            }
            Layout::Publiee => {
                for (i, name) in PUBLISHED_PROOF_HEADERS.iter().enumerate() {
                    schema.push(if i < 2 {
                        Column::required(name)
                    } else {
                        Column::optional(name)
                    });
                }
            }
        }
        schema
    }
}

/// The guichet a proof's text names, for a REM that does not say
/// (docs/formats.md, « Source déduite ») — the ANS's published REMs have no
/// `Source` column. Patterns, case and accents ignored:
///
/// - `CNDA` as a word → CNDA;
/// - `habilitation` with `EDC PSC`, `Pro Santé Connect` or `ProSantéConnect` → EDC PSC;
/// - `Gazelle` → Gazelle;
/// - `MOTCO` → MOTCO2.
///
/// `None` when the text names none (the proof is deposited on Convergence).
pub fn infer_source(preuve: &str) -> Option<Source> {
    let bytes = preuve.as_bytes();
    let has = |needle: &str| {
        let needle = needle.as_bytes();
        bytes
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
    };
    let word = |needle: &str| {
        let n = needle.len();
        bytes.windows(n).enumerate().any(|(i, w)| {
            w.eq_ignore_ascii_case(needle.as_bytes())
                && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric())
                && bytes.get(i + n).is_none_or(|b| !b.is_ascii_alphanumeric())
        })
    };
    if word("CNDA") {
        return Some(Source::Cnda);
    }
    if has("habilitation") {
        let folded = crate::text::fold_key(preuve).replace(' ', "");
        if folded.contains("edcpsc") || folded.contains("prosanteconnect") {
            return Some(Source::EdcPsc);
        }
    }
    if has("gazelle") {
        return Some(Source::Gazelle);
    }
    if has("motco") {
        return Some(Source::Motco2);
    }
    None
}

/// The dispositif and version a REM file stands for, from its path
/// `…/rem/<CODE>/<VERSION>.<ext>`.
pub fn rem_file_version(path: &Path) -> Result<(DispositifCode, Version), String> {
    let code = path
        .parent()
        .and_then(Path::file_name)
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let code = DispositifCode::parse(&code).map_err(|e| format!("dossier du REM : {e}"))?;
    let version =
        Version::parse(&super::file_stem(path)).map_err(|e| format!("nom du fichier REM : {e}"))?;
    Ok((code, version))
}

/// Parses one REM release. Returns `None` when the file cannot be used at all
/// (unreadable, missing columns, bad file name); row errors are reported and
/// the faulty rows left out.
pub fn parse_rem(
    file: &Arc<str>,
    path: &Path,
    bytes: &[u8],
    diags: &mut Diagnostics,
) -> Option<Rem> {
    let identity = match rem_file_version(path) {
        Ok(v) => v,
        Err(message) => {
            diags.error(Location::file(file), message);
            return None;
        }
    };
    parse_rem_as(file, path, bytes, identity, diags)
}

/// A REM file outside a project (`segurdoc diff old.csv new.csv`): named
/// after its folder and file when they look like `CODE/VERSION`, otherwise
/// `REM` and the file name.
pub fn parse_rem_file(
    file: &Arc<str>,
    path: &Path,
    bytes: &[u8],
    diags: &mut Diagnostics,
) -> Option<Rem> {
    let identity = match rem_file_version(path) {
        Ok(v) => v,
        Err(_) => {
            let version = Version::parse(&super::file_stem(path)).or_else(|_| Version::parse("0"));
            match (DispositifCode::parse("REM"), version) {
                (Ok(code), Ok(version)) => (code, version),
                (Err(message), _) | (_, Err(message)) => {
                    diags.error(Location::file(file), message);
                    return None;
                }
            }
        }
    };
    parse_rem_as(file, path, bytes, identity, diags)
}

/// Parses a REM file as release `identity`.
pub fn parse_rem_as(
    file: &Arc<str>,
    path: &Path,
    bytes: &[u8],
    identity: (DispositifCode, Version),
    diags: &mut Diagnostics,
) -> Option<Rem> {
    let (dispositif, version) = identity;
    let is_xlsx = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    let table = Table::read(file, bytes, is_xlsx, diags)?;
    let layout = Layout::of(&table.headers);
    let schema = layout.schema();
    let columns = table.columns(&schema, diags)?;

    let mut rows: Vec<RemRow> = Vec::with_capacity(table.rows.len() * 2);
    // Fx hashing: these maps see every row of every REM.
    let mut proof_lines: rustc_hash::FxHashMap<String, String> = rustc_hash::FxHashMap::default();
    let mut requirement_rows: rustc_hash::FxHashMap<String, usize> =
        rustc_hash::FxHashMap::default();
    let mut rejected_ids = std::collections::BTreeSet::new();
    let mut proofs: Vec<(&super::table::Cell, &super::table::Cell)> = Vec::new();
    for row in &table.rows {
        let row = columns.row(&table, row);
        let errors_before = diags.error_count();
        let perimetre = row.parse_required(PERIMETRE, Perimetre::parse, diags);
        let id = row.required(ID, diags);
        let chapitre = row.required(CHAPITRE, diags);
        let exigence = row.required(EXIGENCE, diags);
        let profil = row.required(PROFIL, diags).map(|c| Profile::new(&c.value));
        let scenario_id = row.required(N_SCENARIO, diags);
        // The ANS itself publishes scenarios without text (Gazelle proofs,
        // whose proof is the test report): worth a warning, not a refusal.
        let scenario = row.get(SCENARIO).map_or_else(
            || {
                diags.warning(
                    row.location_of(SCENARIO),
                    "cellule « Scénario de conformité » vide : le scénario n'aura pas de texte",
                );
                String::new()
            },
            |c| squash::decode(&c.value).into_owned(),
        );
        let criticite = row.parse(CRITICITE, Criticite::parse, diags);
        let nature = row.parse(NATURE, Nature::parse, diags);
        let statut_publication = row.parse(STATUT_PUBLICATION, StatutPublication::parse, diags);
        let ordre = row.parse(
            ORDRE,
            |s| {
                s.parse::<i64>()
                    .map_err(|_| format!("Ordre « {s} » invalide : un nombre entier est attendu"))
            },
            diags,
        );
        let stated_source = row.parse(SOURCE, Source::parse, diags);

        proofs.clear();
        match layout {
            Layout::Long => {
                let n = row.required(FIRST_PROOF, diags);
                let p = row.required(FIRST_PROOF + 1, diags);
                if let (Some(n), Some(p)) = (n, p) {
                    proofs.push((n, p));
                }
            }
            Layout::Publiee => {
                for k in 0..PUBLISHED_PROOFS {
                    let (n_col, p_col) = (FIRST_PROOF + 2 * k, FIRST_PROOF + 2 * k + 1);
                    match (row.get(n_col), row.get(p_col)) {
                        (Some(n), Some(p)) => proofs.push((n, p)),
                        (Some(_), None) => diags.error(
                            row.location_of(p_col),
                            format!(
                                "{} sans {} : le texte de la preuve est obligatoire",
                                PUBLISHED_PROOF_HEADERS[2 * k],
                                PUBLISHED_PROOF_HEADERS[2 * k + 1]
                            ),
                        ),
                        (None, Some(_)) => diags.error(
                            row.location_of(n_col),
                            format!(
                                "{} sans {} : chaque preuve a un numéro",
                                PUBLISHED_PROOF_HEADERS[2 * k + 1],
                                PUBLISHED_PROOF_HEADERS[2 * k]
                            ),
                        ),
                        (None, None) => {}
                    }
                }
                if proofs.is_empty() && diags.error_count() == errors_before {
                    diags.error(
                        row.location_of(FIRST_PROOF),
                        format!(
                            "scénario {} sans aucune preuve : « N° preuve 1 » et « Preuve 1 » sont obligatoires",
                            scenario_id.map_or("", |c| c.value.as_str())
                        ),
                    );
                }
            }
        }
        for (n, _) in &proofs {
            let at = table.cell_location(n);
            if let Some(first) = proof_lines.get(&n.value) {
                diags.error(
                    at,
                    format!("N° preuve « {} » en double : déjà utilisé {first}", n.value),
                );
            } else {
                let place = match (&at.sheet, at.line) {
                    (Some(_), _) => {
                        format!("en {}{}", crate::diag::column_letters(at.column), at.line)
                    }
                    (None, line) => format!("ligne {line}"),
                };
                proof_lines.insert(n.value.clone(), place);
            }
        }
        if diags.error_count() > errors_before {
            rejected_ids.extend(id.map(|c| c.value.clone()));
            continue;
        }
        let (
            Some(perimetre),
            Some(id),
            Some(chapitre),
            Some(exigence),
            Some(profil),
            Some(scenario_id),
        ) = (perimetre, id, chapitre, exigence, profil, scenario_id)
        else {
            continue;
        };
        let exigence_text = squash::decode(&exigence.value).into_owned();
        let chapitre = squash::decode(&chapitre.value).into_owned();
        let fonction = row
            .get(FONCTION)
            .map(|c| squash::decode(&c.value).into_owned());
        let commentaire = row
            .get(COMMENTAIRE)
            .map(|c| squash::decode(&c.value).into_owned());
        let first_new = rows.len();
        for (n, p) in &proofs {
            let preuve = squash::decode(&p.value).into_owned();
            // A stated Source wins; otherwise the text may name its guichet.
            let (source, source_inferred) = match stated_source {
                Some(s) => (s, false),
                None => match infer_source(&preuve) {
                    Some(s) => (s, true),
                    None => (Source::Convergence, false),
                },
            };
            rows.push(RemRow {
                perimetre,
                exigence_id: id.value.clone(),
                chapitre: chapitre.clone(),
                fonction: fonction.clone(),
                exigence: exigence_text.clone(),
                commentaire: commentaire.clone(),
                profil: profil.clone(),
                scenario_id: scenario_id.value.clone(),
                scenario: scenario.clone(),
                preuve_id: n.value.clone(),
                preuve,
                profil_historique: row.get(PROFIL_HISTORIQUE).map(|c| c.value.clone()),
                criticite,
                ordre,
                source,
                source_inferred,
                nature,
                statut_publication,
                va_n_1: row.get(VA_N_1).map(|c| c.value.clone()),
                location: match layout {
                    Layout::Long => row.location(),
                    Layout::Publiee => table.cell_location(n),
                },
                profil_location: row.location_of(PROFIL),
            });
        }
        // A requirement spans several rows; what defines it must agree.
        let new = &rows[first_new];
        if let Some(&first) = requirement_rows.get(&new.exigence_id) {
            let first = &rows[first];
            let disagreements = [
                (
                    EXIGENCE,
                    "Exigence",
                    same_text(&first.exigence, &new.exigence),
                ),
                (CHAPITRE, "Chapitre", first.chapitre == new.chapitre),
                (PROFIL, "Profil", first.profil == new.profil),
                (PERIMETRE, "Périmètre", first.perimetre == new.perimetre),
            ];
            let mut consistent = true;
            for (col, name, same) in disagreements {
                if !same {
                    consistent = false;
                    diags.error(
                        row.location_of(col),
                        format!(
                            "exigence {} : « {name} » diffère de celle de la ligne {} (toutes les lignes d'une exigence doivent concorder)",
                            new.exigence_id, first.location.line
                        ),
                    );
                }
            }
            if !consistent {
                rejected_ids.insert(new.exigence_id.clone());
                rows.truncate(first_new);
                continue;
            }
        } else {
            requirement_rows.insert(new.exigence_id.clone(), first_new);
        }
    }
    if rows.is_empty() && !diags.has_errors() {
        diags.warning(Location::file(file), "REM sans aucune ligne de preuve");
    }
    // Rows sort by Ordre, then file order; rows without Ordre come last.
    let mut indexed: Vec<(usize, RemRow)> = rows.into_iter().enumerate().collect();
    indexed.sort_by_key(|(i, r)| (r.ordre.is_none(), r.ordre, *i));
    Some(Rem {
        requirement_index: std::sync::OnceLock::new(),
        dispositif,
        version,
        file: Arc::clone(file),
        rows: indexed.into_iter().map(|(_, r)| r).collect(),
        rejected_ids,
        layout,
    })
}

/// Requirement texts agree when they differ only in white space: a cell
/// re-typed in Excel must not be reported as a different requirement.
fn same_text(a: &str, b: &str) -> bool {
    a.split_whitespace().eq(b.split_whitespace())
}
