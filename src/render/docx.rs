//! The attestation and the convention as Word documents (`-o FILE.docx`,
//! and next to their PDF in the site): the same Markdown as the PDF,
//! written with docx-rs in Word's own styles — « Title », « Heading 2 » and
//! « Heading 3 », « List Bullet » and numbered lists, tables with a header
//! row, bold runs — so that the ANS or the éditeur edit them as any Word
//! document. The signature paragraph becomes a row of empty framed cells
//! (the stamp, the signatures) to sign in Word or after printing.

use super::blocks::{blocks, Block};
use super::pdf::Span;
use docx_rs::{
    AbstractNumbering, AlignmentType, BorderType, Docx, Footer, HeightRule, IndentLevel, Level,
    LevelJc, LevelOverride, LevelText, NumberFormat, Numbering, NumberingId, Paragraph, Run,
    RunFonts, Shading, SpecialIndentType, Start, Style, StyleType, Table, TableBorder,
    TableBorderPosition, TableBorders, TableCell, TableRow, WidthType,
};

/// The bullet list's numbering (docx-rs writes its own numbering 1);
/// numbered lists get their own, after `DECIMAL`.
const BULLETS: usize = 10;
/// The abstract numbering of numbered lists.
const DECIMAL: usize = 11;
/// Text width of an A4 page with 2 cm margins, in twentieths of a point.
const TEXT_WIDTH: usize = 9638;

/// What goes in the document besides its Markdown.
pub struct Frame<'a> {
    /// Footer of every page.
    pub footer: &'a str,
    /// The cells of the signature row (« Cachet de l'entreprise »,
    /// « Signature »…), where the text has
    /// [`SIGNATURE_MARK`](super::blocks::SIGNATURE_MARK) or at the end.
    pub boxes: &'a [&'a str],
    /// Creation date (`2026-09-30`), so that the same inputs give the same
    /// bytes.
    pub created: &'a str,
}

fn run(text: &str, bold: bool) -> Run {
    let run = Run::new().add_text(text);
    if bold {
        run.bold()
    } else {
        run
    }
}

fn paragraph(spans: &[Span]) -> Paragraph {
    let mut p = Paragraph::new();
    for Span { text, bold } in spans {
        // A hard line break inside a paragraph.
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                p = p.add_run(Run::new().add_break(docx_rs::BreakType::TextWrapping));
            }
            if !line.is_empty() {
                p = p.add_run(run(line, *bold));
            }
        }
    }
    p
}

fn borders() -> TableBorders {
    let line = |position| {
        TableBorder::new(position)
            .border_type(BorderType::Single)
            .size(4)
            .color("7F8793")
    };
    TableBorders::with_empty()
        .set(line(TableBorderPosition::Top))
        .set(line(TableBorderPosition::Bottom))
        .set(line(TableBorderPosition::Left))
        .set(line(TableBorderPosition::Right))
        .set(line(TableBorderPosition::InsideH))
        .set(line(TableBorderPosition::InsideV))
}

fn table(head: &[String], rows: &[Vec<String>]) -> Table {
    let n = head.len().max(1);
    let width = TEXT_WIDTH / n;
    let cell = |text: &str, bold: bool| {
        let c = TableCell::new()
            .width(width, WidthType::Dxa)
            .add_paragraph(paragraph(&[Span {
                text: text.to_owned(),
                bold,
            }]));
        if bold {
            c.shading(Shading::new().fill("DDE6F2"))
        } else {
            c
        }
    };
    let mut all = vec![TableRow::new(head.iter().map(|h| cell(h, true)).collect()).cant_split()];
    all.extend(
        rows.iter()
            .map(|r| TableRow::new(r.iter().map(|t| cell(t, false)).collect()).cant_split()),
    );
    Table::new(all)
        .set_grid(vec![width; n])
        .width(TEXT_WIDTH, WidthType::Dxa)
        .set_borders(borders())
}

/// The framed cells to sign and stamp in.
fn signature_row(boxes: &[&str]) -> Table {
    let n = boxes.len().max(1);
    let width = TEXT_WIDTH / n;
    let cells = boxes
        .iter()
        .map(|label| {
            TableCell::new().width(width, WidthType::Dxa).add_paragraph(
                Paragraph::new().add_run(Run::new().add_text(*label).size(16).color("52575F")),
            )
        })
        .collect();
    Table::new(vec![TableRow::new(cells)
        .row_height(1800.0)
        .height_rule(HeightRule::AtLeast)
        .cant_split()])
    .set_grid(vec![width; n])
    .width(TEXT_WIDTH, WidthType::Dxa)
    .set_borders(borders())
}

/// The Word document of `markdown`.
pub fn docx(markdown: &str, frame: &Frame<'_>) -> Result<Vec<u8>, String> {
    let fonts = || {
        RunFonts::new()
            .ascii("DejaVu Sans")
            .hi_ansi("DejaVu Sans")
            .cs("DejaVu Sans")
    };
    let mut doc = Docx::new()
        .default_fonts(fonts())
        .default_size(20)
        // 6 pt after each paragraph, lines at 1.15.
        .default_line_spacing(docx_rs::LineSpacing::new().after(120).line(276))
        .add_style(
            Style::new("Title", StyleType::Paragraph)
                .name("Title")
                .bold()
                .size(34)
                .color("1F4D8C")
                .align(AlignmentType::Center),
        )
        .add_style(
            Style::new("Heading2", StyleType::Paragraph)
                .name("heading 2")
                .bold()
                .size(25)
                .color("1F4D8C")
                .outline_lvl(1),
        )
        .add_style(
            Style::new("Heading3", StyleType::Paragraph)
                .name("heading 3")
                .bold()
                .size(22)
                .color("1F4D8C")
                .outline_lvl(2),
        )
        .add_style(Style::new("ListBullet", StyleType::Paragraph).name("List Bullet"))
        .add_abstract_numbering(
            AbstractNumbering::new(BULLETS).add_level(
                Level::new(
                    0,
                    Start::new(1),
                    NumberFormat::new("bullet"),
                    LevelText::new("•"),
                    LevelJc::new("left"),
                )
                .indent(
                    Some(360),
                    Some(SpecialIndentType::Hanging(360)),
                    None,
                    None,
                ),
            ),
        )
        .add_numbering(Numbering::new(BULLETS, BULLETS))
        .add_abstract_numbering(
            AbstractNumbering::new(DECIMAL).add_level(
                Level::new(
                    0,
                    Start::new(1),
                    NumberFormat::new("decimal"),
                    LevelText::new("%1."),
                    LevelJc::new("left"),
                )
                .indent(
                    Some(360),
                    Some(SpecialIndentType::Hanging(360)),
                    None,
                    None,
                ),
            ),
        )
        .footer(Footer::new().add_paragraph(
            Paragraph::new().add_run(Run::new().add_text(frame.footer).size(16).color("52575F")),
        ))
        .created_at(frame.created)
        .updated_at(frame.created);
    // No title or author in the properties: docx-rs writes custom
    // properties from a hash map, in a different order at each run, and the
    // same inputs must give the same bytes (the first paragraph is the
    // title).

    let mut signed = false;
    // Each numbered list counts from its own start: its own numbering.
    let mut numbered: Vec<(usize, usize)> = Vec::new();
    for block in blocks(markdown) {
        doc = match block {
            Block::Heading(level, text) => doc.add_paragraph(
                Paragraph::new()
                    .add_run(Run::new().add_text(text.trim()))
                    .style(match level {
                        1 => "Title",
                        2 => "Heading2",
                        _ => "Heading3",
                    }),
            ),
            Block::Item {
                list,
                start,
                number,
                spans,
            } => {
                let numbering = match number {
                    None => BULLETS,
                    Some(_) => match numbered.iter().find(|(l, _)| *l == list) {
                        Some((_, id)) => *id,
                        None => {
                            let id = DECIMAL + 1 + numbered.len();
                            numbered.push((list, id));
                            doc = doc.add_numbering(Numbering::new(id, DECIMAL).add_override(
                                LevelOverride::new(0).start(start.unwrap_or(1) as usize),
                            ));
                            id
                        }
                    },
                };
                doc.add_paragraph(
                    paragraph(&spans)
                        .style("ListBullet")
                        .numbering(NumberingId::new(numbering), IndentLevel::new(0)),
                )
            }
            Block::Paragraph(spans) => doc.add_paragraph(paragraph(&spans)),
            // Word joins two tables that touch: a paragraph after each.
            Block::Table(head, rows) => doc
                .add_table(table(&head, &rows))
                .add_paragraph(Paragraph::new()),
            Block::Rule => doc.add_paragraph(Paragraph::new()),
            Block::Signature => {
                signed = true;
                doc.add_table(signature_row(frame.boxes))
            }
        };
    }
    if !signed {
        doc = doc.add_table(signature_row(frame.boxes));
    }
    let mut bytes = std::io::Cursor::new(Vec::new());
    doc.build()
        .pack(&mut bytes)
        .map_err(|e| format!("écriture du document Word : {e}"))?;
    Ok(bytes.into_inner())
}
