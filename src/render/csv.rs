//! CSV exports: a REM release as published, and the pairs of equivalent
//! requirements. UTF-8 with BOM and `;`, as French Excel opens them.

use crate::model::{equivalence::PairRow, DispositifCode, RemRow};

/// Writes one record of `fields`, each neutralised ([`crate::text::neutral`]).
pub fn record<W: std::io::Write, S: AsRef<str>>(
    w: &mut csv::Writer<W>,
    fields: impl IntoIterator<Item = S>,
) -> csv::Result<()> {
    for field in fields {
        w.write_field(crate::text::neutral(field.as_ref()).as_bytes())?;
    }
    w.write_record(None::<&[u8]>)
}

fn writer() -> csv::Writer<Vec<u8>> {
    let mut bytes = Vec::with_capacity(64 * 1024);
    bytes.extend_from_slice("\u{feff}".as_bytes());
    csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer(bytes)
}

fn finish(w: csv::Writer<Vec<u8>>) -> Vec<u8> {
    // Writing to a Vec cannot fail; an error here would be a csv crate bug.
    w.into_inner()
        .unwrap_or_else(|e| e.into_inner().get_ref().clone())
}

/// A REM release in the input format (long layout): reading it back gives
/// the same rows.
pub fn rem(rows: &[RemRow]) -> Vec<u8> {
    super::rem_file::csv(
        &super::rem_file::long(rows),
        super::rem_file::Encoding::Utf8,
    )
}

/// The common requirements of two dispositifs: one column per dispositif,
/// then `Commentaire` and the lists stating it.
pub fn pair(a: &DispositifCode, b: &DispositifCode, rows: &[PairRow]) -> Vec<u8> {
    let mut w = writer();
    let _ = w.write_record([a.as_str(), b.as_str(), "Commentaire", "Listes"]);
    for r in rows {
        let lists: Vec<&str> = r.lists.iter().map(String::as_str).collect();
        let _ = record(
            &mut w,
            [
                r.a.as_str(),
                r.b.as_str(),
                &r.commentaires.join(" | "),
                &lists.join("|"),
            ],
        );
    }
    finish(w)
}
