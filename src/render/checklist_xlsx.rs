//! `preuves --format xlsx`: a candidature's checklist as a workbook, the
//! format éditeurs open. Three sheets — « À déposer », « Non redemandées »,
//! « Synthèse » — each with a bold frozen header and filters, column widths
//! and wrapped texts, every text as a reader sees it (no markup).

use chrono::{Datelike, NaiveDateTime, Timelike};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use crate::render::preuves::{row_text, RowTexts};
use crate::rules::{Mask, Outcome};

/// Why a masked proof is not asked again, in French, as the checklist
/// page says it (which then links the common requirement of an
/// equivalence).
pub fn masked_reason(mask: &Mask, nils: &[&str]) -> String {
    let why = match mask {
        Mask::Heritage(nru) => format!("héritage ({nru})"),
        Mask::Equivalence { nru, .. } => format!("équivalence ({nru})"),
        Mask::HorsEdcPsc => "profil hors EDC PSC".to_owned(),
    };
    // R5b: a homologation is spared only for these NILs.
    if nils.is_empty() {
        why
    } else {
        format!("{why} — homologation CNDA du NIL {}", nils.join(", "))
    }
}

/// A cell of text as the reader sees it: markup removed, lines kept, cut
/// to what a cell holds (with a note that it was cut).
fn cell(text: &str) -> std::borrow::Cow<'_, str> {
    let max = super::rem_file::XLSX_CELL_MAX - 40;
    if text.len() <= max || text.chars().count() <= max {
        return std::borrow::Cow::Borrowed(text);
    }
    let cut: String = text.chars().take(max).collect();
    std::borrow::Cow::Owned(format!("{cut}… (texte coupé : voir le REM)"))
}

struct Sheet<'a> {
    sheet: &'a mut Worksheet,
    header: Format,
    wrap: Format,
    row: u32,
    /// Column widths, in characters, for the rows' heights.
    widths: Vec<f64>,
}

impl<'a> Sheet<'a> {
    /// A new sheet `name` of `workbook`, in the workbook's two formats.
    fn add(
        workbook: &'a mut Workbook,
        name: &str,
        header: &Format,
        wrap: &Format,
    ) -> Result<Self, XlsxError> {
        // Constant memory: rows go to an anonymous temporary file as they
        // come, strings inline, without the shared-string table and its
        // hashing (1.5 s of 2,000 workbooks of 1,500 rows, national build).
        let sheet = workbook.add_worksheet_with_constant_memory()?;
        sheet.set_name(name)?;
        Ok(Sheet {
            sheet,
            header: header.clone(),
            wrap: wrap.clone(),
            row: 0,
            widths: Vec::new(),
        })
    }

    fn columns(&mut self, columns: &[(&str, f64)]) -> Result<(), XlsxError> {
        for (c, (name, width)) in (0u16..).zip(columns) {
            self.sheet
                .write_string_with_format(0, c, *name, &self.header)?;
            self.sheet.set_column_width(c, *width)?;
            // Cells take their column's format: a format given per cell is
            // hashed per cell.
            self.sheet.set_column_format(c, &self.wrap)?;
        }
        self.sheet.set_freeze_panes(1, 0)?;
        // Printed: A4 landscape, one page wide, the header on every page.
        self.sheet.set_paper_size(9);
        self.sheet.set_landscape();
        self.sheet.set_print_fit_to_pages(1, 0);
        self.sheet.set_repeat_rows(0, 0)?;
        self.widths = columns.iter().map(|(_, w)| *w).collect();
        self.row = 1;
        Ok(())
    }

    fn line(&mut self, cells: &[&str]) -> Result<(), XlsxError> {
        // Spreadsheets do not all fit a row to its wrapped text on opening
        // (LibreOffice keeps one line, the text overflowing the next row):
        // the height is that of the tallest cell, about width × 1.1
        // characters a line, 15 points a line, at most Excel's 409.
        let lines = cells
            .iter()
            .zip(&self.widths)
            .map(|(text, width)| {
                let per_line = (width * 1.1).max(1.0);
                text.split('\n')
                    .map(|l| (l.chars().count() as f64 / per_line).ceil().max(1.0))
                    .sum::<f64>()
            })
            .fold(1.0, f64::max);
        if lines > 1.0 {
            self.sheet
                .set_row_height(self.row, (lines * 15.0).min(409.0))?;
        }
        for (c, value) in (0u16..).zip(cells) {
            if !value.is_empty() {
                self.sheet.write_string(self.row, c, *value)?;
            }
        }
        self.row += 1;
        Ok(())
    }

    fn filter(&mut self, columns: u16) -> Result<(), XlsxError> {
        if self.row > 1 {
            self.sheet
                .autofilter(0, 0, self.row - 1, columns.saturating_sub(1))?;
        }
        Ok(())
    }
}

/// The workbook of `o`.
pub fn checklist(o: &Outcome<'_>, created: NaiveDateTime) -> Result<Vec<u8>, String> {
    checklist_with(o, None, created)
}

/// [`checklist`], with the texts of each REM row from `texts` (made once
/// per build for every candidature of a dispositif). `created` is the
/// workbook's creation date (the same inputs give the same bytes).
pub fn checklist_with(
    o: &Outcome<'_>,
    texts: Option<&RowTexts<'_>>,
    created: NaiveDateTime,
) -> Result<Vec<u8>, String> {
    build(o, texts, created).map_err(|e| format!("classeur XLSX : {e}"))
}

fn build(
    o: &Outcome<'_>,
    texts: Option<&RowTexts<'_>>,
    created: NaiveDateTime,
) -> Result<Vec<u8>, XlsxError> {
    let c = o.candidature;
    let mut workbook = Workbook::new();
    let at = ExcelDateTime::from_ymd(
        created.year().clamp(1900, 9999) as u16,
        created.month() as u8,
        created.day() as u8,
    )?
    .and_hms(
        created.hour() as u16,
        created.minute() as u8,
        created.second(),
    )?;
    workbook.set_properties(
        &DocProperties::new()
            .set_title(format!("Preuves à déposer — candidature {}", c.id))
            .set_creation_datetime(&at),
    );
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_background_color("DDE6F2");
    let wrap = Format::new()
        .set_text_wrap()
        .set_align(rust_xlsxwriter::FormatAlign::Top);
    let until = o
        .echeances
        .map(|d| crate::render::french::datetime(d.date3));

    // In REM order, chapter by chapter, as the checklist page.
    let chapters: Vec<&str> = o.rem.chapters();
    let chapter_rank = |title: &str| chapters.iter().position(|t| *t == title);

    let mut s = Sheet::add(&mut workbook, "À déposer", &header, &wrap)?;
    let columns = [
        ("Chapitre", 24.0),
        ("N° preuve", 20.0),
        ("Preuve attendue", 48.0),
        ("Exigence", 16.0),
        ("Texte de l'exigence", 60.0),
        ("Scénario", 50.0),
        ("Guichet", 12.0),
        ("NIL", 10.0),
        ("Pourquoi elle est due", 36.0),
        ("Preuve dérogatoire acceptée", 36.0),
        ("Nature", 12.0),
        ("Déposée", 10.0),
    ];
    s.columns(&columns)?;
    let mut due: Vec<_> = o.a_deposer.iter().collect();
    due.sort_by_key(|e| chapter_rank(&e.row.chapitre));
    for e in due {
        let mut made = None;
        let [exigence, scenario, preuve] = &row_text(texts, e.row, &mut made).visible;
        let why = e.motif.explain(c, o.racine);
        let derogation = o
            .echeances
            .and_then(|d| d.derogation(e.row))
            .zip(until.as_deref())
            .map(|(d, until)| format!("jusqu'au {until} : {}", d.content_now()))
            .unwrap_or_default();
        let scenario = format!("{} — {}", e.row.scenario_id, cell(scenario));
        s.line(&[
            &e.row.chapitre,
            &e.row.preuve_id,
            &cell(preuve),
            &e.row.exigence_id,
            &cell(exigence),
            &scenario,
            e.row.source.as_str(),
            e.nil.unwrap_or(""),
            &why,
            &derogation,
            e.row.nature.map_or("", |n| n.as_str()),
            "☐",
        ])?;
    }
    s.filter(columns.len() as u16)?;

    let mut s = Sheet::add(&mut workbook, "Non redemandées", &header, &wrap)?;
    let columns = [
        ("Chapitre", 24.0),
        ("N° preuve", 20.0),
        ("Exigence", 16.0),
        ("Preuve attendue", 48.0),
        ("Pourquoi elle n'est pas redemandée", 60.0),
    ];
    s.columns(&columns)?;
    let mut spared: Vec<_> = o.masquees.iter().collect();
    spared.sort_by_key(|m| chapter_rank(&m.row.chapitre));
    for m in spared {
        let mut made = None;
        let why = m.mask.explain(&m.nils);
        s.line(&[
            &m.row.chapitre,
            &m.row.preuve_id,
            &m.row.exigence_id,
            &cell(&row_text(texts, m.row, &mut made).visible[2]),
            &why,
        ])?;
    }
    s.filter(columns.len() as u16)?;

    let mut s = Sheet::add(&mut workbook, "Synthèse", &header, &wrap)?;
    s.columns(&[
        ("Chapitre", 40.0),
        ("À déposer", 12.0),
        ("Héritage", 12.0),
        ("Équivalence", 12.0),
        ("Hors EDC PSC", 14.0),
    ])?;
    let mut totals = [0usize; 4];
    for title in &chapters {
        let mut n = [0usize; 4];
        n[0] = o
            .a_deposer
            .iter()
            .filter(|e| e.row.chapitre == *title)
            .count();
        for m in o.masquees.iter().filter(|m| m.row.chapitre == *title) {
            match m.mask {
                Mask::Heritage(_) => n[1] += 1,
                Mask::Equivalence { .. } => n[2] += 1,
                Mask::HorsEdcPsc => n[3] += 1,
            }
        }
        if n.iter().sum::<usize>() == 0 {
            continue;
        }
        for (t, v) in totals.iter_mut().zip(n) {
            *t += v;
        }
        s.sheet.write_string(s.row, 0, *title)?;
        for (col, v) in (1u16..).zip(n) {
            s.sheet.write_number(s.row, col, v as f64)?;
        }
        s.row += 1;
    }
    let bold = Format::new().set_bold();
    s.sheet.write_string_with_format(s.row, 0, "Total", &bold)?;
    for (col, v) in (1u16..).zip(totals) {
        s.sheet
            .write_number_with_format(s.row, col, v as f64, &bold)?;
    }
    s.row += 2;
    let facts = [
        ("Candidature", c.id.to_string()),
        (
            "Dispositif",
            format!("{} — {}", o.dispositif.code, o.dispositif.nom),
        ),
        ("REM", o.rem.version.to_string()),
        (
            "Solution",
            format!("{} {}", c.solution.nom, c.solution.version),
        ),
        ("Profils", crate::model::Profile::list(&o.profils)),
    ];
    for (name, value) in facts {
        s.sheet.write_string_with_format(s.row, 0, name, &bold)?;
        s.sheet.write_string(s.row, 1, &value)?;
        s.row += 1;
    }
    if let Some(e) = o.echeances {
        for (name, date) in [
            ("Date 1", e.date1),
            ("Date 2", e.date2),
            ("Date 3", e.date3),
        ] {
            s.sheet.write_string_with_format(s.row, 0, name, &bold)?;
            s.sheet
                .write_string(s.row, 1, crate::render::french::datetime(date))?;
            s.row += 1;
        }
    }
    // Level 1: a sixth of the time of the default level 6 for a workbook
    // about a third larger (2,000 workbooks in a national build).
    workbook.set_zip_compression_level(1);
    workbook.save_to_buffer()
}
