//! A small typesetter over printpdf: A4 pages, DejaVu Sans (embedded and
//! subset; its licence allows redistribution), paragraphs wrapped on measured
//! glyph widths, tables whose rows never split across pages, page numbers,
//! document metadata. Output is byte-identical for identical input, whatever
//! else the process generated before (printpdf's IDs come from a
//! process-wide counter: fonts get fixed IDs here and the trailer's /ID is
//! replaced by a hash of the document).

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, LazyLock, Mutex};

use printpdf::{
    Color, FontId, Line, LinePoint, Op, ParsedFont, PdfDocument, PdfFontHandle, PdfPage,
    PdfSaveOptions, Point, Pt, Rgb, TextItem, TextMatrix,
};

/// A4 in points.
const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const MARGIN_X: f32 = 56.7;
const MARGIN_TOP: f32 = 56.7;
const MARGIN_BOTTOM: f32 = 62.0;

/// A font with its advance widths, parsed once per process; each document
/// embeds a subset of it holding only the characters it prints.
struct Face {
    full: &'static [u8],
    id: &'static str,
    /// Glyph of each character in the full font.
    glyphs: HashMap<char, u16>,
    /// Advance of each character, in em.
    widths: HashMap<char, f32>,
    fallback: f32,
    /// Subsets already made, by the characters they hold.
    subsets: Mutex<HashMap<Vec<char>, Arc<ParsedFont>>>,
}

/// Characters every subset holds: ASCII, the Latin-1 letters and the
/// punctuation of French text.
const BASE: &str = concat!(
    " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~",
    "\u{a0}«»°·ÀÂÄÇÈÉÊËÎÏÔÖÙÛÜàâäçèéêëîïôöùûüÿŒœ’‘“”…–—•€\u{202f}"
);

impl Face {
    fn load(full: &'static [u8], id: &'static str) -> Option<Face> {
        let parsed = ParsedFont::from_bytes(full, 0, &mut Vec::new())?;
        let upem = f32::from(parsed.units_per_em.max(1));
        let mut widths = HashMap::new();
        let mut glyphs = HashMap::new();
        for (&cp, &gid) in &parsed.codepoint_to_glyph {
            if let (Some(c), Some(w)) = (char::from_u32(cp), parsed.get_glyph_width(gid)) {
                widths.insert(c, f32::from(w) / upem);
                glyphs.insert(c, gid);
            }
        }
        let fallback = widths.get(&'?').copied().unwrap_or(0.6);
        Some(Face {
            full,
            id,
            glyphs,
            widths,
            fallback,
            subsets: Mutex::default(),
        })
    }

    /// The font cut down to the characters a document prints, plus the
    /// common French repertoire ([`BASE`]): every document whose text stays
    /// within it shares one subset, made once per process (subsetting is
    /// most of a small PDF's cost). The result depends only on the
    /// document's characters, so output stays byte-identical whatever the
    /// order documents are made in.
    fn subset_for(&self, used: &BTreeSet<char>) -> Option<Arc<ParsedFont>> {
        let mut key: BTreeSet<char> = BASE.chars().collect();
        key.extend(used.iter().copied().filter(|c| self.glyphs.contains_key(c)));
        let key: Vec<char> = key.into_iter().collect();
        if let Some(font) = self.subsets.lock().ok()?.get(&key) {
            return Some(Arc::clone(font));
        }
        let font = Arc::new(self.subset(&key)?);
        if let Ok(mut cache) = self.subsets.lock() {
            cache.insert(key, Arc::clone(&font));
        }
        Some(font)
    }

    /// The font cut down to `chars` (cmap kept, so text still maps to
    /// glyphs): a few kilobytes instead of DejaVu's 700.
    fn subset(&self, chars: &[char]) -> Option<ParsedFont> {
        use allsorts::binary::read::ReadScope;
        use allsorts::font_data::FontData;
        use allsorts::subset::{subset, CmapTarget, SubsetProfile};
        let mut glyph_ids: Vec<u16> = vec![0];
        for c in chars {
            if let Some(&g) = self.glyphs.get(c) {
                if !glyph_ids.contains(&g) {
                    glyph_ids.push(g);
                }
            }
        }
        let font_file = ReadScope::new(self.full).read::<FontData<'_>>().ok()?;
        let provider = font_file.table_provider(0).ok()?;
        let bytes = subset(
            &provider,
            &glyph_ids,
            &SubsetProfile::Minimal,
            CmapTarget::Unicode,
        )
        .ok()?;
        ParsedFont::from_bytes(&bytes, 0, &mut Vec::new())
    }

    /// Characters the font cannot show become `?` rather than empty boxes.
    fn printable(&self, text: &str) -> String {
        text.chars()
            .map(|c| {
                if self.widths.contains_key(&c) || c == ' ' {
                    c
                } else {
                    '?'
                }
            })
            .collect()
    }

    fn width(&self, text: &str, size: f32) -> f32 {
        text.chars()
            .map(|c| self.widths.get(&c).copied().unwrap_or(self.fallback))
            .sum::<f32>()
            * size
    }
}

struct Faces {
    regular: Face,
    bold: Face,
}

static FACES: LazyLock<Option<Faces>> = LazyLock::new(|| {
    Some(Faces {
        regular: Face::load(dejavu::sans::regular(), "SEGDCA+DejaVuSans")?,
        bold: Face::load(dejavu::sans::bold(), "SEGDCB+DejaVuSans-Bold")?,
    })
});

/// A run of text in one style.
#[derive(Debug, Clone)]
pub struct Span {
    /// The text.
    pub text: String,
    /// Bold or regular.
    pub bold: bool,
}

impl Span {
    /// Regular text.
    pub fn plain(text: impl Into<String>) -> Self {
        Span {
            text: text.into(),
            bold: false,
        }
    }

    /// Bold text.
    pub fn bold(text: impl Into<String>) -> Self {
        Span {
            text: text.into(),
            bold: true,
        }
    }
}

/// Document information written in the PDF.
#[derive(Debug, Clone)]
pub struct Meta {
    /// Title.
    pub title: String,
    /// Author.
    pub author: String,
    /// Subject.
    pub subject: String,
}

/// Why a PDF could not be produced.
#[derive(Debug)]
pub struct PdfError(pub String);

/// A document being laid out, page by page.
pub struct Document {
    meta: Meta,
    pages: Vec<Page>,
    y: f32,
    footer: String,
    faces: &'static Faces,
    /// Characters printed with the regular and the bold face.
    used: [BTreeSet<char>; 2],
}

const INK: (f32, f32, f32) = (0.1, 0.1, 0.12);
const MUTED: (f32, f32, f32) = (0.32, 0.34, 0.38);
const ACCENT: (f32, f32, f32) = (0.12, 0.3, 0.55);

fn color((r, g, b): (f32, f32, f32)) -> Color {
    Color::Rgb(Rgb {
        r,
        g,
        b,
        icc_profile: None,
    })
}

fn point(x: f32, y: f32) -> Point {
    Point { x: Pt(x), y: Pt(y) }
}

/// The operators of one page, with the state they leave, so that a colour,
/// font or line width is only set when it changes and consecutive texts
/// share one text object (`BT … ET`): a third of the operators per run of
/// text for printpdf to serialise.
#[derive(Default)]
struct Page {
    ops: Vec<Op>,
    /// In a text object.
    text: bool,
    fill: Option<(f32, f32, f32)>,
    font: Option<(bool, f32)>,
    stroke: Option<((f32, f32, f32), f32)>,
}

impl Page {
    fn end_text(&mut self) {
        if std::mem::take(&mut self.text) {
            self.ops.push(Op::EndTextSection);
        }
    }

    fn text(
        &mut self,
        x: f32,
        y: f32,
        text: String,
        font: (&'static str, bool),
        size: f32,
        rgb: (f32, f32, f32),
    ) {
        if !self.text {
            self.ops.push(Op::StartTextSection);
            self.text = true;
        }
        if self.fill != Some(rgb) {
            self.ops.push(Op::SetFillColor { col: color(rgb) });
            self.fill = Some(rgb);
        }
        if self.font != Some((font.1, size)) {
            self.ops.push(Op::SetFont {
                font: PdfFontHandle::External(FontId(font.0.to_owned())),
                size: Pt(size),
            });
            self.font = Some((font.1, size));
        }
        // Absolute (`Tm`), not relative moves: positions are exactly those
        // of one text object per run, with no rounding carried over.
        self.ops.push(Op::SetTextMatrix {
            matrix: TextMatrix::Translate(Pt(x), Pt(y)),
        });
        self.ops.push(Op::ShowText {
            items: vec![TextItem::Text(text)],
        });
    }

    fn line(&mut self, from: (f32, f32), to: (f32, f32), thickness: f32, rgb: (f32, f32, f32)) {
        self.end_text();
        if self.stroke.map(|s| s.0) != Some(rgb) {
            self.ops.push(Op::SetOutlineColor { col: color(rgb) });
        }
        if self.stroke.map(|s| s.1) != Some(thickness) {
            self.ops.push(Op::SetOutlineThickness { pt: Pt(thickness) });
        }
        self.stroke = Some((rgb, thickness));
        self.ops.push(Op::DrawLine {
            line: Line {
                points: vec![
                    LinePoint {
                        p: point(from.0, from.1),
                        bezier: false,
                    },
                    LinePoint {
                        p: point(to.0, to.1),
                        bezier: false,
                    },
                ],
                is_closed: false,
            },
        });
    }

    fn finish(mut self) -> Vec<Op> {
        self.end_text();
        self.ops
    }
}

/// One laid-out line: segments of text with their style and x offset.
type LineSegs = Vec<(String, bool, f32)>;

impl Document {
    /// A new document; `footer` is printed left of the page number.
    pub fn new(meta: Meta, footer: impl Into<String>) -> Result<Self, PdfError> {
        let faces = FACES
            .as_ref()
            .ok_or_else(|| PdfError("police DejaVu Sans illisible".to_owned()))?;
        Ok(Document {
            meta,
            pages: vec![Page::default()],
            y: PAGE_H - MARGIN_TOP,
            footer: footer.into(),
            faces,
            used: Default::default(),
        })
    }

    /// Width available for text.
    pub fn text_width() -> f32 {
        PAGE_W - 2.0 * MARGIN_X
    }

    fn face(&self, bold: bool) -> &Face {
        if bold {
            &self.faces.bold
        } else {
            &self.faces.regular
        }
    }

    fn page(&mut self) -> &mut Page {
        if self.pages.is_empty() {
            self.pages.push(Page::default());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn new_page(&mut self) {
        self.pages.push(Page::default());
        self.y = PAGE_H - MARGIN_TOP;
    }

    /// Starts a new page unless `height` fits on this one.
    pub fn ensure(&mut self, height: f32) {
        if self.y - height < MARGIN_BOTTOM && self.y < PAGE_H - MARGIN_TOP - 1.0 {
            self.new_page();
        }
    }

    /// Vertical space.
    pub fn space(&mut self, pt: f32) {
        self.y -= pt;
    }

    fn text_at(&mut self, x: f32, y: f32, text: &str, bold: bool, size: f32, rgb: (f32, f32, f32)) {
        let face = self.face(bold);
        let id = face.id;
        let text = face.printable(text);
        self.used[usize::from(bold)].extend(text.chars());
        self.page().text(x, y, text, (id, bold), size, rgb);
    }

    fn line(&mut self, from: (f32, f32), to: (f32, f32), thickness: f32, rgb: (f32, f32, f32)) {
        self.page().line(from, to, thickness, rgb);
    }

    /// Wraps spans into lines no wider than `width`. A space is put between
    /// two words only where the text has one (so `**Nom**, suite` keeps its
    /// comma against the name). Words longer than a line are cut;
    /// non-breaking spaces never break.
    fn wrap(&self, spans: &[Span], size: f32, width: f32) -> Vec<LineSegs> {
        // (word, bold, space before, forced break before)
        let mut words: Vec<(String, bool, bool, bool)> = Vec::new();
        let mut pending_space = false;
        let mut pending_break = false;
        for span in spans {
            let mut current = String::new();
            for c in span.text.chars() {
                if c == '\n' || c == ' ' || c == '\t' {
                    if !current.is_empty() {
                        words.push((
                            std::mem::take(&mut current),
                            span.bold,
                            pending_space,
                            pending_break,
                        ));
                        pending_break = false;
                    }
                    pending_space = true;
                    if c == '\n' {
                        pending_break = true;
                        pending_space = false;
                    }
                } else {
                    current.push(c);
                }
            }
            if !current.is_empty() {
                words.push((current, span.bold, pending_space, pending_break));
                pending_space = false;
                pending_break = false;
            }
        }
        let space = self.faces.regular.width(" ", size);
        let mut lines: Vec<Vec<(String, bool, f32, bool)>> = vec![Vec::new()];
        let mut x = 0.0_f32;
        for (mut word, bold, space_before, break_before) in words {
            let face = self.face(bold);
            if break_before && x > 0.0 {
                lines.push(Vec::new());
                x = 0.0;
            }
            loop {
                let w = face.width(&word, size);
                let gap = if x > 0.0 && space_before { space } else { 0.0 };
                if x + gap + w <= width || (x == 0.0 && w <= width) {
                    let current = lines.len() - 1;
                    lines[current].push((word.clone(), bold, x + gap, gap > 0.0));
                    x += gap + w;
                    break;
                }
                if x > 0.0 {
                    lines.push(Vec::new());
                    x = 0.0;
                    continue;
                }
                // A word wider than the line: cut it where it fits.
                let mut cut = 0;
                let mut acc = 0.0;
                for (at, c) in word.char_indices() {
                    acc += face.width(c.encode_utf8(&mut [0; 4]), size);
                    if acc > width && at > 0 {
                        break;
                    }
                    cut = at + c.len_utf8();
                }
                let rest = word.split_off(cut);
                let current = lines.len() - 1;
                lines[current].push((word, bold, 0.0, false));
                if rest.is_empty() {
                    x = 0.0;
                    break;
                }
                lines.push(Vec::new());
                x = 0.0;
                word = rest;
            }
        }
        // Merge consecutive segments of one style (fewer text objects).
        lines
            .into_iter()
            .map(|segs| {
                let mut merged: LineSegs = Vec::new();
                for (text, bold, x, spaced) in segs {
                    match merged.last_mut() {
                        Some((t, b, _)) if *b == bold => {
                            if spaced {
                                t.push(' ');
                            }
                            t.push_str(&text);
                        }
                        _ => merged.push((text, bold, x)),
                    }
                }
                merged
            })
            .collect()
    }

    fn draw_lines(
        &mut self,
        lines: &[LineSegs],
        x0: f32,
        size: f32,
        leading: f32,
        rgb: (f32, f32, f32),
    ) {
        for line in lines {
            self.ensure(leading);
            let baseline = self.y - size;
            for (text, bold, x) in line {
                self.text_at(x0 + x, baseline, text, *bold, size, rgb);
            }
            self.y -= leading;
        }
    }

    /// A paragraph of mixed regular and bold text.
    pub fn paragraph(&mut self, spans: &[Span], size: f32) {
        let lines = self.wrap(spans, size, Self::text_width());
        self.draw_lines(&lines, MARGIN_X, size, size * 1.4, INK);
        self.y -= size * 0.6;
    }

    /// Small grey text.
    pub fn note(&mut self, text: &str) {
        let lines = self.wrap(&[Span::plain(text)], 8.5, Self::text_width());
        self.draw_lines(&lines, MARGIN_X, 8.5, 12.0, MUTED);
        self.y -= 4.0;
    }

    /// A heading; kept with at least two lines of what follows.
    pub fn heading(&mut self, text: &str, size: f32) {
        let lines = self.wrap(&[Span::bold(text)], size, Self::text_width());
        self.ensure(size * 1.3 * lines.len() as f32 + 40.0);
        self.y -= size * 0.4;
        self.draw_lines(&lines, MARGIN_X, size, size * 1.3, ACCENT);
        self.y -= size * 0.3;
    }

    /// A centred title block.
    pub fn title(&mut self, text: &str, subtitle: &str) {
        for (t, size, bold, rgb) in [(text, 17.0, true, ACCENT), (subtitle, 10.5, false, MUTED)] {
            let lines = self.wrap(
                &[Span {
                    text: t.to_owned(),
                    bold,
                }],
                size,
                Self::text_width(),
            );
            for line in lines {
                let width: f32 = line
                    .last()
                    .map_or(0.0, |(txt, b, x)| x + self.face(*b).width(txt, size));
                let x0 = MARGIN_X + (Self::text_width() - width) / 2.0;
                self.ensure(size * 1.35);
                let baseline = self.y - size;
                for (txt, b, x) in &line {
                    self.text_at(x0 + x, baseline, txt, *b, size, rgb);
                }
                self.y -= size * 1.35;
            }
        }
        self.y -= 6.0;
        let y = self.y;
        self.line((MARGIN_X, y), (PAGE_W - MARGIN_X, y), 1.2, ACCENT);
        self.y -= 14.0;
    }

    /// A bulleted item.
    pub fn bullet(&mut self, spans: &[Span], size: f32) {
        let indent = 14.0;
        let lines = self.wrap(spans, size, Self::text_width() - indent);
        self.ensure(size * 1.4);
        let baseline = self.y - size;
        self.text_at(MARGIN_X + 3.0, baseline, "•", false, size, INK);
        self.draw_lines(&lines, MARGIN_X + indent, size, size * 1.4, INK);
        self.y -= size * 0.3;
    }

    /// A table; `widths` are fractions of the text width. Rows never split;
    /// the header is repeated on each page the table spans.
    pub fn table(&mut self, widths: &[f32], header: &[&str], rows: &[Vec<String>]) {
        let size = 9.0;
        let pad = 4.0;
        let total = Self::text_width();
        let cols: Vec<f32> = widths.iter().map(|w| w * total).collect();
        let layout = |doc: &Document, cells: &[String], bold: bool| -> (Vec<Vec<LineSegs>>, f32) {
            let wrapped: Vec<Vec<LineSegs>> = cells
                .iter()
                .zip(&cols)
                .map(|(text, w)| {
                    doc.wrap(
                        &[Span {
                            text: text.clone(),
                            bold,
                        }],
                        size,
                        w - 2.0 * pad,
                    )
                })
                .collect();
            let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
            (wrapped, lines as f32 * size * 1.3 + 2.0 * pad)
        };
        let header_cells: Vec<String> = header.iter().map(|h| (*h).to_owned()).collect();
        let (head, head_h) = layout(self, &header_cells, true);
        let draw_row =
            |doc: &mut Document, cells: &[Vec<LineSegs>], height: f32, rgb: (f32, f32, f32)| {
                let top = doc.y;
                let mut x = MARGIN_X;
                for (lines, w) in cells.iter().zip(&cols) {
                    let mut y = top - pad;
                    for line in lines {
                        for (text, bold, dx) in line {
                            doc.text_at(x + pad + dx, y - size, text, *bold, size, rgb);
                        }
                        y -= size * 1.3;
                    }
                    x += w;
                }
                doc.line(
                    (MARGIN_X, top - height),
                    (MARGIN_X + total, top - height),
                    0.5,
                    MUTED,
                );
                doc.y -= height;
            };
        self.ensure(head_h + 20.0);
        let y = self.y;
        self.line((MARGIN_X, y), (MARGIN_X + total, y), 0.8, ACCENT);
        draw_row(self, &head, head_h, ACCENT);
        for row in rows {
            let (cells, height) = layout(self, row, false);
            if self.y - height < MARGIN_BOTTOM {
                self.new_page();
                let y = self.y;
                self.line((MARGIN_X, y), (MARGIN_X + total, y), 0.8, ACCENT);
                draw_row(self, &head, head_h, ACCENT);
            }
            draw_row(self, &cells, height, INK);
        }
        self.y -= 10.0;
    }

    /// A framed box for the signature, with lines of text above it.
    pub fn signature_box(&mut self, caption: &[String]) {
        let height = 90.0;
        self.ensure(height + 16.0 * caption.len() as f32 + 10.0);
        let x0 = MARGIN_X + Self::text_width() / 2.0 - 20.0;
        for line in caption {
            let lines = self.wrap(&[Span::plain(line.clone())], 10.0, PAGE_W - MARGIN_X - x0);
            self.draw_lines(&lines, x0, 10.0, 14.0, INK);
        }
        let x1 = PAGE_W - MARGIN_X;
        let top = self.y - 4.0;
        let bottom = top - height;
        for (a, b) in [
            ((x0, top), (x1, top)),
            ((x1, top), (x1, bottom)),
            ((x1, bottom), (x0, bottom)),
            ((x0, bottom), (x0, top)),
        ] {
            self.line(a, b, 0.6, MUTED);
        }
        self.text_at(x0 + 6.0, bottom + 6.0, "Signature", false, 8.0, MUTED);
        self.y = bottom - 10.0;
    }

    /// Number of pages so far.
    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// The finished PDF.
    pub fn finish(mut self, creation: Option<chrono::NaiveDate>) -> Vec<u8> {
        let n = self.pages.len();
        // The footer and page numbers are printed here, not through
        // `text_at`: their characters must be in the subset too (they were
        // not, and an `A` or `h` only found in the footer came out as
        // another glyph).
        let footer = self.faces.regular.printable(&self.footer);
        self.used[0].extend(footer.chars());
        self.used[0].extend("Page /0123456789".chars());
        for i in 0..n {
            let label = format!("Page {} / {n}", i + 1);
            let w = self.faces.regular.width(&label, 8.0);
            let y = MARGIN_BOTTOM - 28.0;
            let regular = (self.faces.regular.id, false);
            let page = &mut self.pages[i];
            page.line(
                (MARGIN_X, y + 12.0),
                (PAGE_W - MARGIN_X, y + 12.0),
                0.4,
                MUTED,
            );
            page.text(MARGIN_X, y, footer.clone(), regular, 8.0, MUTED);
            page.text(PAGE_W - MARGIN_X - w, y, label, regular, 8.0, MUTED);
        }
        let mut doc = PdfDocument::new(&self.meta.title);
        doc.metadata.info.author = self.meta.author.clone();
        doc.metadata.info.subject = self.meta.subject.clone();
        doc.metadata.info.creator = "segurdoc".to_owned();
        doc.metadata.info.producer = "segurdoc (printpdf)".to_owned();
        if let Some(date) = creation {
            let secs = date
                .and_hms_opt(12, 0, 0)
                .map_or(0, |d| d.and_utc().timestamp());
            if let Ok(t) = printpdf::OffsetDateTime::from_unix_timestamp(secs) {
                doc.metadata.info.creation_date = t;
                doc.metadata.info.modification_date = t;
                doc.metadata.info.metadata_date = t;
            }
        }
        // Fixed font IDs instead of printpdf's process-wide counter.
        for (face, used) in [
            (&self.faces.regular, &self.used[0]),
            (&self.faces.bold, &self.used[1]),
        ] {
            if used.is_empty() {
                continue;
            }
            let Some(parsed) = face.subset_for(used) else {
                continue;
            };
            let random = doc.add_font(&parsed);
            if let Some(font) = doc.resources.fonts.map.remove(&random) {
                doc.resources
                    .fonts
                    .map
                    .insert(FontId(face.id.to_owned()), font);
            }
        }
        let pages = std::mem::take(&mut self.pages)
            .into_iter()
            .map(|page| PdfPage::new(printpdf::Mm(210.0), printpdf::Mm(297.0), page.finish()))
            .collect();
        let mut bytes = doc.with_pages(pages).save(
            &PdfSaveOptions {
                optimize: false,
                ..PdfSaveOptions::default()
            },
            &mut Vec::new(),
        );
        stable_trailer_id(&mut bytes);
        bytes
    }
}

/// Replaces the two 32-character strings of the trailer's `/ID` (drawn from
/// printpdf's process-wide counter) by a hash of the rest of the file.
fn stable_trailer_id(bytes: &mut [u8]) {
    let Some(at) = bytes.windows(3).rposition(|w| w == b"/ID") else {
        return;
    };
    let mut spans = Vec::new();
    let mut i = at + 3;
    while spans.len() < 2 && i < bytes.len() {
        if bytes[i] == b'(' {
            let start = i + 1;
            if let Some(len) = bytes[start..].iter().position(|&b| b == b')') {
                spans.push((start, start + len));
                i = start + len;
            }
        }
        i += 1;
    }
    // Everything but the two strings, a slice at a time (FxHash reads eight
    // bytes per step; a byte-at-a-time FNV here was 4 % of a national build).
    let mut hasher = rustc_hash::FxHasher::default();
    let mut from = 0;
    for &(s, e) in &spans {
        std::hash::Hasher::write(&mut hasher, &bytes[from..s]);
        from = e;
    }
    std::hash::Hasher::write(&mut hasher, &bytes[from..]);
    let hash = std::hash::Hasher::finish(&hasher);
    for (n, (s, e)) in spans.into_iter().enumerate() {
        let text = format!("{:016x}{:016x}", hash, hash.rotate_left(17 + n as u32));
        let digits = text.as_bytes();
        for (k, slot) in bytes[s..e].iter_mut().enumerate() {
            *slot = digits[k % digits.len()];
        }
    }
}
