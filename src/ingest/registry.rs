//! `data/referencements.csv`: the registry of référencements, vague 1 and 2.

use std::collections::HashMap;
use std::sync::Arc;

use super::parse_date;
use super::table::{Column, Table};
use crate::diag::Diagnostics;
use crate::model::{DispositifCode, Nru, Profile, Referencement, Registry, Statut, Vague, Version};

const NRU: usize = 0;
const VAGUE: usize = 1;
const DISPOSITIF: usize = 2;
const SOLUTION: usize = 3;
const VERSION: usize = 4;
const PROFILS: usize = 5;
const COMPOSANT: usize = 6;
const STATUT: usize = 7;
const DATE: usize = 8;
const NIL: usize = 9;
const NOMS: usize = 10;

const SCHEMA: &[Column] = &[
    Column::required("NRU"),
    Column::required("Vague"),
    Column::required("Dispositif"),
    Column::required("Solution"),
    Column::required("Version"),
    Column::optional("Profils"),
    Column::required("Composant principal"),
    Column::required("Statut"),
    Column::optional("Date"),
    Column::optional("NIL"),
    Column::optional("Noms commerciaux"),
];

/// Parses the registry; faulty rows are reported and left out.
pub fn parse_registry(file: &Arc<str>, bytes: &[u8], diags: &mut Diagnostics) -> Registry {
    let mut registry = Registry::default();
    let Some(table) = Table::read(file, bytes, false, diags) else {
        return registry;
    };
    let Some(columns) = table.columns(SCHEMA, diags) else {
        return registry;
    };
    let mut seen: HashMap<Nru, u32> = HashMap::new();
    for row in &table.rows {
        let row = columns.row(&table, row);
        let errors_before = diags.error_count();
        let nru = row.parse_required(NRU, Nru::parse, diags);
        let vague = row.parse_required(VAGUE, Vague::parse, diags);
        let dispositif = row.parse_required(DISPOSITIF, DispositifCode::parse, diags);
        let solution = row.required(SOLUTION, diags).map(|c| c.value.clone());
        let version = row.parse_required(VERSION, Version::parse, diags);
        let composant = row.required(COMPOSANT, diags).map(|c| c.value.clone());
        let statut = row.parse_required(STATUT, Statut::parse, diags);
        let date = row.parse(DATE, parse_date, diags);
        let profils = row
            .list(PROFILS)
            .iter()
            .map(|(p, _)| Profile::new(p))
            .collect();
        let nils: Vec<String> = row.list(NIL).iter().map(|(n, _)| n.to_string()).collect();
        let noms: Vec<String> = row.list(NOMS).iter().map(|(n, _)| n.to_string()).collect();
        if let Some(nru) = &nru {
            if let Some(first) = seen.get(nru) {
                diags.error(
                    row.location_of(NRU),
                    format!("NRU {nru} en double : déjà enregistré ligne {first}"),
                );
            } else {
                seen.insert(nru.clone(), row.line());
            }
        }
        if diags.error_count() > errors_before {
            continue;
        }
        if let (
            Some(nru),
            Some(vague),
            Some(dispositif),
            Some(solution),
            Some(version),
            Some(composant),
            Some(statut),
        ) = (nru, vague, dispositif, solution, version, composant, statut)
        {
            registry.referencements.push(Referencement {
                nru,
                vague,
                dispositif,
                version,
                profils,
                composant_principal: composant,
                statut,
                date,
                noms: if noms.is_empty() {
                    vec![solution.clone()]
                } else {
                    noms
                },
                solution,
                nils,
                location: row.location(),
            });
        }
    }
    registry
}
