//! `data/dsr.csv`: the DSR catalogue, one row per dispositif.

use std::sync::Arc;

use super::table::{Column, Table};
use super::{parse_date, parse_datetime};
use crate::diag::Diagnostics;
use crate::model::{Catalogue, Deadlines, Dispositif, DispositifCode, Profile, Vague, Version};

const CODE: usize = 0;
const NOM: usize = 1;
const COULOIR: usize = 2;
const VAGUE: usize = 3;
const VERSION_DSR: usize = 4;
const PROFILS: usize = 5;
const HORS_EDC: usize = 6;
const HERITAGE: usize = 7;
const OUVERTURE: usize = 8;
const DATE1: usize = 9;

const SCHEMA: &[Column] = &[
    Column::required("Code"),
    Column::required("Nom"),
    Column::required("Couloir"),
    Column::required("Vague"),
    Column::optional("Version DSR"),
    Column::optional("Profils"),
    Column::optional("Profils hors EDC PSC"),
    Column::optional("Héritage vague 1"),
    Column::optional("Ouverture"),
    Column::optional("Date 1"),
    Column::optional("Date 2"),
    Column::optional("Date 3"),
];

/// Parses the DSR catalogue. Rows with errors are left out; every error is reported.
pub fn parse_catalogue(file: &Arc<str>, bytes: &[u8], diags: &mut Diagnostics) -> Catalogue {
    let mut catalogue = Catalogue::default();
    let Some(table) = Table::read(file, bytes, false, diags) else {
        catalogue.unreadable = true;
        return catalogue;
    };
    let Some(columns) = table.columns(SCHEMA, diags) else {
        catalogue.unreadable = true;
        return catalogue;
    };
    for row in &table.rows {
        let row = columns.row(&table, row);
        let errors_before = diags.error_count();
        let code = row.parse_required(CODE, DispositifCode::parse, diags);
        let nom = row.required(NOM, diags).map(|c| c.value.clone());
        let couloir = row.required(COULOIR, diags).map(|c| c.value.clone());
        let vague = row.parse_required(VAGUE, Vague::parse, diags);
        let version_dsr = row.parse(VERSION_DSR, Version::parse, diags);
        let profils: Vec<Profile> = row
            .list(PROFILS)
            .iter()
            .map(|(p, _)| Profile::new(p))
            .collect();
        for (name, location) in row.list(PROFILS) {
            if Profile::new(&name).is_general() {
                diags.error(
                    location,
                    "« Général » est implicite : ne le listez pas dans « Profils »",
                );
            }
        }
        let mut hors_edc = Vec::new();
        for (name, location) in row.list(HORS_EDC) {
            let profile = Profile::new(&name);
            match profils.iter().find(|p| **p == profile) {
                Some(p) => hors_edc.push(p.clone()),
                None => diags.error(
                    location,
                    format!("profil « {name} » de « Profils hors EDC PSC » absent de la colonne « Profils »"),
                ),
            }
        }
        let mut heritage = Vec::new();
        for (code, location) in row.list(HERITAGE) {
            match DispositifCode::parse(&code) {
                Ok(c) => heritage.push(c),
                Err(message) => diags.error(location, message),
            }
        }
        let ouverture = row.parse(OUVERTURE, parse_date, diags);
        let dates: Vec<_> = (0..3)
            .map(|i| row.parse(DATE1 + i, parse_datetime, diags))
            .collect();
        let deadlines = match (dates[0], dates[1], dates[2]) {
            (Some(date1), Some(date2), Some(date3)) => {
                if !(date1 <= date2 && date2 <= date3) {
                    diags.error(
                        row.location_of(DATE1),
                        "dates incohérentes : Date 1 ≤ Date 2 ≤ Date 3 attendu",
                    );
                }
                Some(Deadlines {
                    date1,
                    date2,
                    date3,
                })
            }
            _ => None,
        };
        if vague == Some(Vague::Deux) && deadlines.is_none() {
            for i in 0..3 {
                if row.get(DATE1 + i).is_none() {
                    diags.error(
                        row.location_of(DATE1 + i),
                        format!("Date {} obligatoire pour un dispositif de vague 2", i + 1),
                    );
                }
            }
        }
        if let Some(code) = &code {
            if let Some(first) = catalogue.get(code.as_str()) {
                diags.error(
                    row.location_of(CODE),
                    format!(
                        "dispositif {code} déjà défini ligne {}",
                        first.location.line
                    ),
                );
                continue;
            }
        }
        if diags.error_count() > errors_before {
            catalogue.rejected.extend(code);
            continue;
        }
        if let (Some(code), Some(nom), Some(couloir), Some(vague)) = (code, nom, couloir, vague) {
            catalogue.dispositifs.push(Dispositif {
                code,
                nom,
                couloir,
                vague,
                version_dsr,
                profils,
                profils_hors_edc_psc: hors_edc,
                heritage_vague1: heritage,
                ouverture,
                deadlines,
                location: row.location(),
            });
        }
    }
    catalogue
}
