//! The blocks of a Markdown document (headings, paragraphs, list items,
//! tables, the signature mark), read once by pulldown-cmark for the two
//! writers of the drafts: the PDF typesetter and the Word writer.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::pdf::Span;

/// Where a document puts its signature fields: a paragraph of this text
/// alone (else they go at the end).
pub const SIGNATURE_MARK: &str = "[[signature]]";

/// One block, in reading order.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A heading of level 1 to 6, its text.
    Heading(u8, String),
    /// A paragraph of regular and bold spans (`\n` a hard line break).
    Paragraph(Vec<Span>),
    /// An item of list `list` (lists numbered in document order): its
    /// number in a numbered list (and the list's first number), or none.
    Item {
        /// Which list.
        list: usize,
        /// The list's first number, for a numbered list.
        start: Option<u64>,
        /// This item's number, for a numbered list.
        number: Option<u64>,
        /// Its text.
        spans: Vec<Span>,
    },
    /// A table: header cells, then rows.
    Table(Vec<String>, Vec<Vec<String>>),
    /// A thematic break.
    Rule,
    /// The place of the signature fields.
    Signature,
}

/// A table being read: header, body rows, the row in progress.
type TableAcc = (Vec<String>, Vec<Vec<String>>, Vec<String>);

/// The blocks of `markdown` (tables and strikethrough enabled).
pub fn blocks(markdown: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut spans: Vec<Span> = Vec::new();
    let mut bold = 0usize;
    let mut heading: Option<u8> = None;
    // Each open list: its index, first number, next number.
    let mut lists: Vec<(usize, Option<u64>, Option<u64>)> = Vec::new();
    let mut list_count = 0;
    // The table being read, and the cell being read.
    let mut table: Option<TableAcc> = None;
    let mut cell = String::new();
    let flush = |out: &mut Vec<Block>,
                 spans: &mut Vec<Span>,
                 heading: Option<u8>,
                 lists: &mut Vec<(usize, Option<u64>, Option<u64>)>| {
        if spans.is_empty() {
            return;
        }
        let spans = std::mem::take(spans);
        let text: String = spans.iter().map(|s| s.text.as_str()).collect();
        out.push(if let Some(level) = heading {
            Block::Heading(level, text)
        } else if let Some((list, start, next)) = lists.last_mut() {
            let number = *next;
            if let Some(n) = next {
                *n += 1;
            }
            Block::Item {
                list: *list,
                start: *start,
                number,
                spans,
            }
        } else if text.trim() == SIGNATURE_MARK {
            Block::Signature
        } else {
            Block::Paragraph(spans)
        });
    };
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => heading = Some(level as u8),
            Event::End(TagEnd::Heading(_)) => {
                flush(&mut out, &mut spans, heading, &mut lists);
                heading = None;
            }
            Event::End(TagEnd::Paragraph) | Event::End(TagEnd::Item) => {
                flush(&mut out, &mut spans, heading, &mut lists);
            }
            Event::Start(Tag::List(first)) => {
                flush(&mut out, &mut spans, heading, &mut lists);
                lists.push((list_count, first, first));
                list_count += 1;
            }
            Event::End(TagEnd::List(_)) => {
                lists.pop();
            }
            Event::Start(Tag::Strong) => bold += 1,
            Event::End(TagEnd::Strong) => bold = bold.saturating_sub(1),
            Event::Start(Tag::Table(_)) => {
                flush(&mut out, &mut spans, heading, &mut lists);
                table = Some((Vec::new(), Vec::new(), Vec::new()));
            }
            Event::End(TagEnd::TableCell) => {
                if let Some((_, _, row)) = table.as_mut() {
                    row.push(std::mem::take(&mut cell).trim().to_owned());
                }
            }
            Event::End(TagEnd::TableHead) => {
                if let Some((head, _, row)) = table.as_mut() {
                    *head = std::mem::take(row);
                }
            }
            Event::End(TagEnd::TableRow) => {
                if let Some((_, rows, row)) = table.as_mut() {
                    rows.push(std::mem::take(row));
                }
            }
            Event::End(TagEnd::Table) => {
                if let Some((head, rows, _)) = table.take() {
                    out.push(Block::Table(head, rows));
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if table.is_some() {
                    cell.push_str(&t);
                } else {
                    spans.push(Span {
                        text: t.to_string(),
                        bold: bold > 0 || heading.is_some(),
                    });
                }
            }
            Event::SoftBreak => {
                if table.is_some() {
                    cell.push(' ');
                } else {
                    spans.push(Span::plain(" "));
                }
            }
            Event::HardBreak => spans.push(Span::plain("\n")),
            Event::Rule => {
                flush(&mut out, &mut spans, heading, &mut lists);
                out.push(Block::Rule);
            }
            _ => {}
        }
    }
    flush(&mut out, &mut spans, heading, &mut lists);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_in_reading_order() {
        let md = "# Titre\n\nUn **gras** texte.\n\n1. un\n2. deux\n\n- puce\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n[[signature]]\n";
        let b = blocks(md);
        assert_eq!(b[0], Block::Heading(1, "Titre".to_owned()));
        assert_eq!(
            b[1],
            Block::Paragraph(vec![
                Span::plain("Un "),
                Span::bold("gras"),
                Span::plain(" texte.")
            ])
        );
        assert!(matches!(
            &b[2],
            Block::Item {
                list: 0,
                start: Some(1),
                number: Some(1),
                ..
            }
        ));
        assert!(matches!(
            &b[3],
            Block::Item {
                list: 0,
                number: Some(2),
                ..
            }
        ));
        assert!(matches!(
            &b[4],
            Block::Item {
                list: 1,
                start: None,
                number: None,
                ..
            }
        ));
        assert_eq!(
            b[5],
            Block::Table(
                vec!["A".to_owned(), "B".to_owned()],
                vec![vec!["1".to_owned(), "2".to_owned()]]
            )
        );
        assert_eq!(b[6], Block::Signature);
        assert_eq!(b.len(), 7);
    }
}
