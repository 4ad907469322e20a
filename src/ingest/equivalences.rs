//! `data/equivalences/*.csv`: lists of requirements common to several
//! dispositifs, one column per dispositif, one group per row.

use std::sync::Arc;

use super::table::Table;
use crate::diag::{Diagnostics, Location};
use crate::model::{DispositifCode, EquivalenceGroup, EquivalenceList, EquivalenceMember};
use crate::text::fold_key;

/// Parses an equivalence list. Column names must be dispositif codes (checked
/// against the catalogue later, in validation); `Commentaire` is kept.
pub fn parse_equivalences(
    file: &Arc<str>,
    name: &str,
    bytes: &[u8],
    diags: &mut Diagnostics,
) -> Option<EquivalenceList> {
    let table = Table::read(file, bytes, false, diags)?;
    let mut columns: Vec<(usize, DispositifCode, Location)> = Vec::new();
    let mut comment_column = None;
    for (i, header) in table.headers.iter().enumerate() {
        if fold_key(&header.value) == "commentaire" {
            comment_column = Some(i);
            continue;
        }
        if header.value.is_empty() {
            continue;
        }
        match DispositifCode::parse(&header.value) {
            Ok(code) => {
                if columns.iter().any(|(_, c, _)| *c == code) {
                    diags.error(
                        table.cell_location(header),
                        format!("colonne {code} présente deux fois"),
                    );
                } else {
                    columns.push((i, code, table.cell_location(header)));
                }
            }
            Err(_) => diags.error(
                table.cell_location(header),
                format!(
                    "colonne « {} » : un code de dispositif (ex. MS-DUI) ou « Commentaire » est attendu",
                    header.value
                ),
            ),
        }
    }
    if columns.len() < 2 {
        diags.warning(
            table.at(1, 1),
            "liste d'équivalence avec moins de deux dispositifs : elle ne rapproche rien",
        );
    }
    let mut groups = Vec::with_capacity(table.rows.len());
    for row in &table.rows {
        let mut members = Vec::new();
        for (index, code, _) in &columns {
            let Some(cell) = row.cells.get(*index) else {
                continue;
            };
            for (id, location) in table.list_items(cell) {
                members.push(EquivalenceMember {
                    dispositif: code.clone(),
                    exigence_id: id,
                    location,
                });
            }
        }
        let commentaire = comment_column
            .and_then(|i| row.cells.get(i))
            .map(|c| c.value.clone())
            .filter(|c| !c.is_empty());
        if members.len() == 1 {
            diags.warning(
                members[0].location.clone(),
                "groupe d'équivalence d'une seule exigence : il ne rapproche rien",
            );
        }
        if !members.is_empty() {
            groups.push(EquivalenceGroup {
                members,
                commentaire,
                location: table.at(row.line, 1),
            });
        }
    }
    Some(EquivalenceList {
        name: name.to_owned(),
        file: Arc::clone(file),
        columns: columns.into_iter().map(|(_, c, l)| (c, l)).collect(),
        groups,
    })
}
