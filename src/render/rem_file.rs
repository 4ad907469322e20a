//! A REM release written back as a file, in either layout (`segurdoc
//! export`, the site's CSV downloads): reading the file again gives the
//! same release.
//!
//! - long: one row per proof, texts as plain text;
//! - published: one row per scenario, up to ten proofs side by side, texts
//!   as Squash HTML ([`crate::ingest::squash::encode`]), the columns of the
//!   ANS's template `template-segur-requirement-export-modifie.xlsx`.
//!
//! A `Source` the REM stated is written back; one inferred from the text
//! is not (reading infers it again). The published layout has no `Source`
//! column: one is added after `Ordre` only when a stated source would
//! otherwise be lost.

use crate::ingest::rem::{infer_source, Layout, PUBLISHED_PROOFS, PUBLISHED_PROOF_HEADERS};
use crate::ingest::squash;
use crate::model::{RemRow, Source};

/// Rows of cells, the first one the header.
pub type Records = Vec<Vec<String>>;

/// The most a spreadsheet cell holds.
pub const XLSX_CELL_MAX: usize = 32_767;

fn opt(s: Option<&str>) -> String {
    s.unwrap_or("").to_owned()
}

/// The `Source` cell of a row: empty when inferred, or when reading would
/// find Convergence anyway.
fn source_cell(r: &RemRow) -> String {
    if r.source_inferred || (r.source == Source::Convergence && infer_source(&r.preuve).is_none()) {
        String::new()
    } else {
        r.source.as_str().to_owned()
    }
}

/// The long layout's columns: FORMATS.md's, with the published REM's
/// `Nature de l'exigence`, `Statut publication` and `VA N-1`.
pub const LONG_COLUMNS: [&str; 18] = [
    "Périmètre",
    "ID",
    "Chapitre",
    "Fonction",
    "Exigence",
    "Commentaire",
    "Nature de l'exigence",
    "Profil",
    "N° scénario",
    "Scénario de conformité",
    "N° preuve",
    "Preuve",
    "Profil historique",
    "Statut publication",
    "VA N-1",
    "Criticité",
    "Ordre",
    "Source",
];

/// A release in the long layout.
pub fn long(rows: &[RemRow]) -> Records {
    let mut records = Vec::with_capacity(rows.len() + 1);
    records.push(LONG_COLUMNS.iter().map(|c| (*c).to_owned()).collect());
    for r in rows {
        records.push(vec![
            r.perimetre.as_str().to_owned(),
            r.exigence_id.clone(),
            r.chapitre.clone(),
            opt(r.fonction.as_deref()),
            r.exigence.clone(),
            opt(r.commentaire.as_deref()),
            opt(r.nature.map(|n| n.as_str())),
            r.profil.as_str().to_owned(),
            r.scenario_id.clone(),
            r.scenario.clone(),
            r.preuve_id.clone(),
            r.preuve.clone(),
            opt(r.profil_historique.as_deref()),
            opt(r.statut_publication.map(|s| s.as_str())),
            opt(r.va_n_1.as_deref()),
            opt(r.criticite.map(|c| c.as_str())),
            r.ordre.map(|o| o.to_string()).unwrap_or_default(),
            source_cell(r),
        ]);
    }
    records
}

/// What one published row states besides its proofs: rows of the long
/// layout that differ in any of it cannot share a published row.
fn scenario_key(r: &RemRow, with_source: bool) -> impl PartialEq + '_ {
    (
        (r.perimetre, &r.exigence_id, &r.chapitre, &r.fonction),
        (&r.exigence, &r.commentaire, r.nature, &r.profil),
        (&r.scenario_id, &r.scenario, r.statut_publication, &r.va_n_1),
        (r.criticite, r.ordre, &r.profil_historique),
        with_source.then(|| source_cell(r)),
    )
}

/// A release in the published layout.
pub fn published(rows: &[RemRow]) -> Records {
    let with_source = rows.iter().any(|r| !source_cell(r).is_empty());
    let mut header: Vec<String> = [
        "Périmètre",
        "ID",
        "Chapitre",
        "Fonction",
        "Exigence",
        "Commentaire",
        "Nature de l'exigence",
        "Profil",
        "N° scénario",
        "Scénario de conformité",
    ]
    .iter()
    .map(|c| (*c).to_owned())
    .collect();
    header.extend(PUBLISHED_PROOF_HEADERS.iter().map(|c| (*c).to_owned()));
    header.extend(
        ["Statut publication", "VA N-1", "Criticité", "Ordre"]
            .iter()
            .map(|c| (*c).to_owned()),
    );
    if with_source {
        header.push("Source".to_owned());
    }
    let mut records = vec![header];
    let mut i = 0;
    while i < rows.len() {
        let first = &rows[i];
        let key = scenario_key(first, with_source);
        let mut j = i + 1;
        while j < rows.len()
            && j - i < PUBLISHED_PROOFS
            && scenario_key(&rows[j], with_source) == key
        {
            j += 1;
        }
        let mut record = vec![
            first.perimetre.as_str().to_owned(),
            first.exigence_id.clone(),
            squash::encode(&first.chapitre),
            first
                .fonction
                .as_deref()
                .map(squash::encode)
                .unwrap_or_default(),
            squash::encode(&first.exigence),
            first
                .commentaire
                .as_deref()
                .map(squash::encode)
                .unwrap_or_default(),
            opt(first.nature.map(|n| n.as_str())),
            first.profil.as_str().to_owned(),
            first.scenario_id.clone(),
            squash::encode(&first.scenario),
        ];
        for k in 0..PUBLISHED_PROOFS {
            match rows[i..j].get(k) {
                Some(r) => {
                    record.push(r.preuve_id.clone());
                    record.push(squash::encode(&r.preuve));
                }
                None => {
                    record.push(String::new());
                    record.push(String::new());
                }
            }
        }
        record.extend([
            opt(first.statut_publication.map(|s| s.as_str())),
            opt(first.va_n_1.as_deref()),
            opt(first.criticite.map(|c| c.as_str())),
            first.ordre.map(|o| o.to_string()).unwrap_or_default(),
        ]);
        if with_source {
            record.push(source_cell(first));
        }
        records.push(record);
        i = j;
    }
    records
}

/// The records of a release in `layout`.
pub fn records(rows: &[RemRow], layout: Layout) -> Records {
    match layout {
        Layout::Long => long(rows),
        Layout::Publiee => published(rows),
    }
}

/// The encodings a CSV export is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 with a byte-order mark, as Excel opens it.
    Utf8,
    /// Windows-1252, as Excel in French writes "CSV (séparateur :
    /// point-virgule)"; characters it lacks are written as HTML numeric
    /// entities (`&#8805;`), which reading decodes.
    Windows1252,
}

/// Records as `;`-separated CSV with CRLF line ends.
pub fn csv(records: &Records, encoding: Encoding) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::with_capacity(64 * 1024));
    for record in records {
        let _ = super::csv::record(&mut w, record);
    }
    // Writing to a Vec cannot fail.
    let text = w
        .into_inner()
        .unwrap_or_else(|e| e.into_inner().get_ref().clone());
    match encoding {
        Encoding::Utf8 => {
            let mut bytes = "\u{feff}".as_bytes().to_vec();
            bytes.extend_from_slice(&text);
            bytes
        }
        Encoding::Windows1252 => {
            let text = String::from_utf8_lossy(&text);
            let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&text);
            bytes.into_owned()
        }
    }
}

/// Records as a workbook with one sheet, `Exigences`, header in bold and
/// frozen. Fails on a cell longer than a spreadsheet holds, naming it.
pub fn xlsx(records: &Records) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let fail = |e: rust_xlsxwriter::XlsxError| format!("classeur XLSX : {e}");
    sheet.set_name("Exigences").map_err(fail)?;
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    for (r, record) in records.iter().enumerate() {
        let row = u32::try_from(r).map_err(|_| "trop de lignes pour un classeur".to_owned())?;
        for (c, value) in record.iter().enumerate() {
            let col = u16::try_from(c).map_err(|_| "trop de colonnes".to_owned())?;
            if value.chars().count() > XLSX_CELL_MAX {
                return Err(format!(
                    "cellule {}{} : {} caractères, plus que les {XLSX_CELL_MAX} qu'une cellule de classeur contient",
                    crate::diag::column_letters(u32::from(col) + 1),
                    row + 1,
                    value.chars().count()
                ));
            }
            if value.is_empty() {
                continue;
            }
            let format = if r == 0 { &bold } else { &wrap };
            sheet
                .write_string_with_format(row, col, value, format)
                .map_err(fail)?;
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(fail)?;
    workbook.save_to_buffer().map_err(fail)
}
