//! `data/rem/<CODE>/<VERSION>.csv|.xlsx`: one release of a REM, one row per proof.

use std::path::Path;
use std::sync::Arc;

use super::table::{Column, Table};
use crate::diag::{Diagnostics, Location};
use crate::model::{Criticite, DispositifCode, Perimetre, Profile, Rem, RemRow, Source, Version};

const PERIMETRE: usize = 0;
const ID: usize = 1;
const CHAPITRE: usize = 2;
const FONCTION: usize = 3;
const EXIGENCE: usize = 4;
const COMMENTAIRE: usize = 5;
const PROFIL: usize = 6;
const N_SCENARIO: usize = 7;
const SCENARIO: usize = 8;
const N_PREUVE: usize = 9;
const PREUVE: usize = 10;
const PROFIL_HISTORIQUE: usize = 11;
const CRITICITE: usize = 12;
const ORDRE: usize = 13;
const SOURCE: usize = 14;

/// The columns of a REM export, as FORMATS.md lists them.
pub(super) const SCHEMA: &[Column] = &[
    Column::required("Périmètre"),
    Column::required("ID"),
    Column::required("Chapitre"),
    Column::optional("Fonction"),
    Column::required("Exigence"),
    Column::optional("Commentaire"),
    Column::required("Profil"),
    Column::required("N° scénario"),
    Column::required("Scénario de conformité"),
    Column::required("N° preuve"),
    Column::required("Preuve"),
    Column::optional("Profil historique"),
    Column::optional("Criticité"),
    Column::optional("Ordre"),
    Column::optional("Source"),
];

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
    let columns = table.columns(SCHEMA, diags)?;

    let mut rows: Vec<RemRow> = Vec::with_capacity(table.rows.len());
    // Fx hashing: these maps see every row of every REM.
    let mut proof_lines: rustc_hash::FxHashMap<String, u32> = rustc_hash::FxHashMap::default();
    let mut requirement_rows: rustc_hash::FxHashMap<String, usize> =
        rustc_hash::FxHashMap::default();
    let mut rejected_ids = std::collections::BTreeSet::new();
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
            |c| c.value.clone(),
        );
        let preuve_id = row.required(N_PREUVE, diags);
        let preuve = row.required(PREUVE, diags);
        let criticite = row.parse(CRITICITE, Criticite::parse, diags);
        let ordre = row.parse(
            ORDRE,
            |s| {
                s.parse::<i64>()
                    .map_err(|_| format!("Ordre « {s} » invalide : un nombre entier est attendu"))
            },
            diags,
        );
        let source = row
            .parse(SOURCE, Source::parse, diags)
            .unwrap_or(Source::Convergence);

        if let Some(cell) = preuve_id {
            if let Some(first) = proof_lines.get(&cell.value) {
                diags.error(
                    table.cell_location(cell),
                    format!(
                        "N° preuve « {} » en double : déjà utilisé ligne {first}",
                        cell.value
                    ),
                );
            } else {
                proof_lines.insert(cell.value.clone(), cell.line);
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
            Some(preuve_id),
            Some(preuve),
        ) = (
            perimetre,
            id,
            chapitre,
            exigence,
            profil,
            scenario_id,
            preuve_id,
            preuve,
        )
        else {
            continue;
        };
        let new = RemRow {
            perimetre,
            exigence_id: id.value.clone(),
            chapitre: chapitre.value.clone(),
            fonction: row.get(FONCTION).map(|c| c.value.clone()),
            exigence: exigence.value.clone(),
            commentaire: row.get(COMMENTAIRE).map(|c| c.value.clone()),
            profil,
            scenario_id: scenario_id.value.clone(),
            scenario,
            preuve_id: preuve_id.value.clone(),
            preuve: preuve.value.clone(),
            profil_historique: row.get(PROFIL_HISTORIQUE).map(|c| c.value.clone()),
            criticite,
            ordre,
            source,
            location: row.location(),
            profil_location: row.location_of(PROFIL),
        };
        // A requirement spans several rows; what defines it must agree.
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
                rejected_ids.insert(new.exigence_id);
                continue;
            }
        } else {
            requirement_rows.insert(new.exigence_id.clone(), rows.len());
        }
        rows.push(new);
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
    })
}

/// Requirement texts agree when they differ only in white space: a cell
/// re-typed in Excel must not be reported as a different requirement.
fn same_text(a: &str, b: &str) -> bool {
    a.split_whitespace().eq(b.split_whitespace())
}
