//! `preuves --format xlsx`: a candidature's checklist as a workbook, the
//! format éditeurs open. Three sheets — « À déposer », « Non redemandées »,
//! « Synthèse » — each with a bold frozen header and filters, column widths
//! and wrapped texts, every text as a reader sees it (no markup).

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use crate::rules::{Mask, Motif, Outcome};

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
fn visible(raw: &str) -> String {
    let text = crate::diff::visible_lines(raw);
    let max = super::rem_file::XLSX_CELL_MAX - 40;
    if text.chars().count() <= max {
        return text;
    }
    let cut: String = text.chars().take(max).collect();
    format!("{cut}… (texte coupé : voir le REM)")
}

struct Sheet<'a> {
    sheet: &'a mut Worksheet,
    header: Format,
    wrap: Format,
    row: u32,
}

impl<'a> Sheet<'a> {
    /// A new sheet `name` of `workbook`, in the workbook's two formats.
    fn add(
        workbook: &'a mut Workbook,
        name: &str,
        header: &Format,
        wrap: &Format,
    ) -> Result<Self, XlsxError> {
        let sheet = workbook.add_worksheet();
        sheet.set_name(name)?;
        Ok(Sheet {
            sheet,
            header: header.clone(),
            wrap: wrap.clone(),
            row: 0,
        })
    }

    fn columns(&mut self, columns: &[(&str, f64)]) -> Result<(), XlsxError> {
        for (c, (name, width)) in (0u16..).zip(columns) {
            self.sheet
                .write_string_with_format(0, c, *name, &self.header)?;
            self.sheet.set_column_width(c, *width)?;
        }
        self.sheet.set_freeze_panes(1, 0)?;
        self.row = 1;
        Ok(())
    }

    fn line(&mut self, cells: &[String]) -> Result<(), XlsxError> {
        for (c, value) in (0u16..).zip(cells) {
            if !value.is_empty() {
                self.sheet
                    .write_string_with_format(self.row, c, value, &self.wrap)?;
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
pub fn checklist(o: &Outcome<'_>) -> Result<Vec<u8>, String> {
    build(o).map_err(|e| format!("classeur XLSX : {e}"))
}

fn build(o: &Outcome<'_>) -> Result<Vec<u8>, XlsxError> {
    let c = o.candidature;
    let mut workbook = Workbook::new();
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
        let why = match &e.motif {
            Motif::Nominal => {
                "exigée par le REM : aucun référencement antérieur ne la couvre".to_owned()
            }
            m => m.explain(c, o.racine),
        };
        let derogation = o
            .echeances
            .and_then(|d| d.derogation(e.row))
            .zip(until.as_deref())
            .map(|(d, until)| format!("jusqu'au {until} : {}", d.content_now()))
            .unwrap_or_default();
        s.line(&[
            e.row.chapitre.clone(),
            e.row.preuve_id.clone(),
            visible(&e.row.preuve),
            e.row.exigence_id.clone(),
            visible(&e.row.exigence),
            format!("{} — {}", e.row.scenario_id, visible(&e.row.scenario)),
            e.row.source.as_str().to_owned(),
            e.nil.unwrap_or("").to_owned(),
            why,
            derogation,
            e.row.nature.map_or("", |n| n.as_str()).to_owned(),
            "☐".to_owned(),
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
        s.line(&[
            m.row.chapitre.clone(),
            m.row.preuve_id.clone(),
            m.row.exigence_id.clone(),
            visible(&m.row.preuve),
            match &m.mask {
                Mask::Equivalence { requirement, .. } => format!(
                    "{} — exigence commune {} ({})",
                    masked_reason(&m.mask, &m.nils),
                    requirement.1,
                    requirement.0
                ),
                _ => masked_reason(&m.mask, &m.nils),
            },
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
    workbook.save_to_buffer()
}
