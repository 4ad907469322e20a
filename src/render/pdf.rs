//! A small typesetter: A4 pages, DejaVu Sans (embedded and subset; its
//! licence allows redistribution), paragraphs wrapped on measured glyph
//! widths, tables whose rows never split across pages, page numbers,
//! document metadata.
//!
//! printpdf parses the fonts and writes their ToUnicode maps; the
//! documents are assembled with lopdf (printpdf's own PDF layer). Every
//! font subset is embedded as the same objects in every document that uses
//! it, built once per process, and the page contents are written straight
//! as PDF operators: printpdf's serialiser re-derived the fonts and
//! re-encoded every glyph through several object layers for each document,
//! a fifth of a national build (4,000 documents). Output is byte-identical
//! for identical input, whatever else the process generated before; the
//! trailer's /ID is a hash of the document.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write as _;
use std::sync::{Arc, LazyLock, Mutex};

use lopdf::{Dictionary, Object, Stream, StringFormat};
use printpdf::ParsedFont;

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
    subsets: Mutex<HashMap<Vec<char>, Arc<Embedded>>>,
}

/// A subset of a face, ready to embed: its program and the PDF objects
/// describing it, the same in every document that uses it.
struct Embedded {
    /// Resource name (`SEGDCA+DejaVuSans`).
    name: &'static str,
    /// Glyph of each character in the subset.
    gids: HashMap<char, u16>,
    /// The TrueType program (`/FontFile2`), deflated, and its length.
    program: Vec<u8>,
    program_len: usize,
    /// The `/ToUnicode` CMap of every glyph, deflated.
    to_unicode: Vec<u8>,
    /// The `/W` array: advance of every glyph, in 1/1000 em.
    widths: Vec<Object>,
    /// The font descriptor, without its `/FontFile2` reference.
    descriptor: Dictionary,
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
    fn subset_for(&self, used: &BTreeSet<char>) -> Option<Arc<Embedded>> {
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
    fn subset(&self, chars: &[char]) -> Option<Embedded> {
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
        self.embed(bytes)
    }

    /// The objects describing a subset program, as printpdf describes an
    /// embedded TrueType font (Type0, Identity-H, CIDFontType2).
    fn embed(&self, program: Vec<u8>) -> Option<Embedded> {
        let parsed = ParsedFont::from_bytes(&program, 0, &mut Vec::new())?;
        let gids: HashMap<char, u16> = parsed
            .codepoint_to_glyph
            .iter()
            .filter_map(|(&cp, &gid)| Some((char::from_u32(cp)?, gid)))
            .collect();
        // Each glyph with the first character showing it.
        let mut by_gid: BTreeMap<u16, char> = BTreeMap::new();
        for (&c, &gid) in &gids {
            let first = by_gid.entry(gid).or_insert(c);
            *first = (*first).min(c);
        }
        let m = &parsed.pdf_font_metrics;
        let upem = f32::from(m.units_per_em.max(1));
        let scale = |v: f32| (v * 1000.0 / upem).round() as i64;
        let advance = |gid: u16| {
            parsed
                .get_glyph_width(gid)
                .map_or(0, |w| (f32::from(w) * 1000.0 / upem) as i64)
        };
        let mut widths = Vec::new();
        let mut run: Vec<Object> = Vec::new();
        let mut start = 0u16;
        let mut previous: Option<u16> = None;
        for &gid in by_gid.keys() {
            if previous.is_some_and(|p| p.checked_add(1) == Some(gid)) {
                run.push(Object::Integer(advance(gid)));
            } else {
                if !run.is_empty() {
                    widths.push(Object::Integer(i64::from(start)));
                    widths.push(Object::Array(std::mem::take(&mut run)));
                }
                start = gid;
                run.push(Object::Integer(advance(gid)));
            }
            previous = Some(gid);
        }
        if !run.is_empty() {
            widths.push(Object::Integer(i64::from(start)));
            widths.push(Object::Array(run));
        }
        let cmap = printpdf::cmap::ToUnicodeCMap {
            mappings: by_gid
                .iter()
                .map(|(&gid, &c)| (u32::from(gid), vec![c as u32]))
                .collect(),
        };
        let to_unicode = cmap.to_cmap_string(self.id).into_bytes();
        let ascent = scale(f32::from(parsed.font_metrics.ascent));
        let italic_angle = if m.caret_slope_rise == 0 {
            0
        } else {
            (-f32::from(m.caret_slope_run)
                .atan2(f32::from(m.caret_slope_rise))
                .to_degrees())
            .round() as i64
        };
        let flags = (1 << 5) | if italic_angle != 0 { 1 << 6 } else { 0 };
        let stem_v = if m.us_weight_class == 0 {
            80
        } else {
            50 + (f32::from(m.us_weight_class) / 65.0).powi(2).round() as i64
        };
        let descriptor = Dictionary::from_iter(vec![
            ("Type", Object::Name(b"FontDescriptor".to_vec())),
            ("FontName", Object::Name(self.id.as_bytes().to_vec())),
            ("Ascent", Object::Integer(ascent)),
            (
                "Descent",
                Object::Integer(scale(f32::from(parsed.font_metrics.descent))),
            ),
            ("CapHeight", Object::Integer(ascent)),
            ("ItalicAngle", Object::Integer(italic_angle)),
            ("Flags", Object::Integer(flags)),
            ("StemV", Object::Integer(stem_v)),
            (
                "FontBBox",
                Object::Array(
                    [m.x_min, m.y_min, m.x_max, m.y_max]
                        .into_iter()
                        .map(|v| Object::Integer(scale(f32::from(v))))
                        .collect(),
                ),
            ),
        ]);
        Some(Embedded {
            name: self.id,
            gids,
            program_len: program.len(),
            program: deflate(&program)?,
            to_unicode: deflate(&to_unicode)?,
            widths,
            descriptor,
        })
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

type Rgb3 = (f32, f32, f32);

/// What a page shows, in drawing order; written as PDF operators once the
/// document's font subsets are known.
enum Mark {
    Text {
        x: f32,
        y: f32,
        text: String,
        bold: bool,
        size: f32,
        rgb: Rgb3,
    },
    Line {
        from: (f32, f32),
        to: (f32, f32),
        thickness: f32,
        rgb: Rgb3,
    },
}

#[derive(Default)]
struct Page {
    marks: Vec<Mark>,
}

/// Writes PDF numbers and hex strings into a content stream.
struct Content {
    out: Vec<u8>,
}

impl Content {
    fn num(&mut self, v: f32) {
        // Shortest round-trip form, as lopdf writes reals.
        let _ = write!(self.out, "{v} ");
    }

    fn rgb(&mut self, (r, g, b): Rgb3, op: &str) {
        self.num(r);
        self.num(g);
        self.num(b);
        self.out.extend_from_slice(op.as_bytes());
        self.out.push(b'\n');
    }
}

impl Page {
    /// The page's content stream. The colour, font and line width are only
    /// set when they change, and consecutive texts share one text object
    /// (`BT … ET`), each placed absolutely (`Tm`).
    fn content(&self, fonts: &[Option<Arc<Embedded>>; 2]) -> Result<Vec<u8>, PdfError> {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        let mut c = Content {
            out: Vec::with_capacity(self.marks.len() * 64),
        };
        let mut in_text = false;
        let mut fill: Option<Rgb3> = None;
        let mut font: Option<(bool, f32)> = None;
        let mut stroke: Option<Rgb3> = None;
        let mut width: Option<f32> = None;
        for mark in &self.marks {
            match mark {
                Mark::Text {
                    x,
                    y,
                    text,
                    bold,
                    size,
                    rgb,
                } => {
                    let face = fonts[usize::from(*bold)]
                        .as_deref()
                        .ok_or_else(|| PdfError("police non incorporée".to_owned()))?;
                    if !in_text {
                        c.out.extend_from_slice(b"BT\n");
                        in_text = true;
                    }
                    if fill != Some(*rgb) {
                        c.rgb(*rgb, "rg");
                        fill = Some(*rgb);
                    }
                    if font != Some((*bold, *size)) {
                        c.out.push(b'/');
                        c.out.extend_from_slice(face.name.as_bytes());
                        c.out.push(b' ');
                        c.num(*size);
                        c.out.extend_from_slice(b"Tf\n");
                        font = Some((*bold, *size));
                    }
                    c.out.extend_from_slice(b"1 0 0 1 ");
                    c.num(*x);
                    c.num(*y);
                    c.out.extend_from_slice(b"Tm\n<");
                    for ch in text.chars() {
                        // `printable` left only characters of the font.
                        let gid = face.gids.get(&ch).copied().unwrap_or(0);
                        for shift in [12, 8, 4, 0] {
                            c.out.push(HEX[usize::from((gid >> shift) & 0xF)]);
                        }
                    }
                    c.out.extend_from_slice(b"> Tj\n");
                }
                Mark::Line {
                    from,
                    to,
                    thickness,
                    rgb,
                } => {
                    if in_text {
                        c.out.extend_from_slice(b"ET\n");
                        in_text = false;
                    }
                    if stroke != Some(*rgb) {
                        c.rgb(*rgb, "RG");
                        stroke = Some(*rgb);
                    }
                    if width != Some(*thickness) {
                        c.num(*thickness);
                        c.out.extend_from_slice(b"w\n");
                        width = Some(*thickness);
                    }
                    c.num(from.0);
                    c.num(from.1);
                    c.out.extend_from_slice(b"m\n");
                    c.num(to.0);
                    c.num(to.1);
                    c.out.extend_from_slice(b"l\nS\n");
                }
            }
        }
        if in_text {
            c.out.extend_from_slice(b"ET\n");
        }
        Ok(c.out)
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

    fn text_at(&mut self, x: f32, y: f32, text: &str, bold: bool, size: f32, rgb: Rgb3) {
        let text = self.face(bold).printable(text);
        self.used[usize::from(bold)].extend(text.chars());
        self.page().marks.push(Mark::Text {
            x,
            y,
            text,
            bold,
            size,
            rgb,
        });
    }

    fn line(&mut self, from: (f32, f32), to: (f32, f32), thickness: f32, rgb: Rgb3) {
        self.page().marks.push(Mark::Line {
            from,
            to,
            thickness,
            rgb,
        });
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
    pub fn finish(mut self, creation: Option<chrono::NaiveDate>) -> Result<Vec<u8>, PdfError> {
        let n = self.pages.len();
        // The footer and page numbers are printed here, not through
        // `text_at`: their characters must be in the subset too (they were
        // not, and an `A` or `h` only found in the footer came out as
        // another glyph).
        let footer = self.faces.regular.printable(&self.footer);
        self.used[0].extend(footer.chars());
        for i in 0..n {
            let label = format!("Page {} / {n}", i + 1);
            self.used[0].extend(label.chars());
            let w = self.faces.regular.width(&label, 8.0);
            let y = MARGIN_BOTTOM - 28.0;
            let marks = &mut self.pages[i].marks;
            marks.push(Mark::Line {
                from: (MARGIN_X, y + 12.0),
                to: (PAGE_W - MARGIN_X, y + 12.0),
                thickness: 0.4,
                rgb: MUTED,
            });
            for (x, text) in [(MARGIN_X, footer.clone()), (PAGE_W - MARGIN_X - w, label)] {
                marks.push(Mark::Text {
                    x,
                    y,
                    text,
                    bold: false,
                    size: 8.0,
                    rgb: MUTED,
                });
            }
        }
        let missing = || PdfError("police DejaVu Sans : sous-ensemble impossible".to_owned());
        let fonts: [Option<Arc<Embedded>>; 2] = [
            if self.used[0].is_empty() {
                None
            } else {
                Some(
                    self.faces
                        .regular
                        .subset_for(&self.used[0])
                        .ok_or_else(missing)?,
                )
            },
            if self.used[1].is_empty() {
                None
            } else {
                Some(
                    self.faces
                        .bold
                        .subset_for(&self.used[1])
                        .ok_or_else(missing)?,
                )
            },
        ];
        let contents = self
            .pages
            .iter()
            .map(|page| page.content(&fonts))
            .collect::<Result<Vec<_>, _>>()?;

        let mut doc = lopdf::Document::with_version("1.3");
        // A classic cross-reference table: lopdf's default, a
        // cross-reference stream, is PDF 1.5 and some readers of 1.3 files
        // reject it.
        doc.reference_table = lopdf::xref::Xref::new(0, lopdf::xref::XrefType::CrossReferenceTable);
        let mut font_refs = Dictionary::new();
        for face in fonts.iter().flatten() {
            let flate = || ("Filter", Object::Name(b"FlateDecode".to_vec()));
            let program = doc.add_object(Stream::new(
                Dictionary::from_iter(vec![
                    ("Length1", Object::Integer(face.program_len as i64)),
                    flate(),
                ]),
                face.program.clone(),
            ));
            let to_unicode = doc.add_object(Stream::new(
                Dictionary::from_iter(vec![flate()]),
                face.to_unicode.clone(),
            ));
            let mut descriptor = face.descriptor.clone();
            descriptor.set("FontFile2", Object::Reference(program));
            let descriptor = doc.add_object(descriptor);
            let name = || Object::Name(face.name.as_bytes().to_vec());
            let cid_font = Dictionary::from_iter(vec![
                ("Type", Object::Name(b"Font".to_vec())),
                ("BaseFont", name()),
                ("Subtype", Object::Name(b"CIDFontType2".to_vec())),
                (
                    "CIDSystemInfo",
                    Object::Dictionary(Dictionary::from_iter(vec![
                        ("Registry", Object::string_literal("Adobe")),
                        ("Ordering", Object::string_literal("Identity")),
                        ("Supplement", Object::Integer(0)),
                    ])),
                ),
                ("W", Object::Array(face.widths.clone())),
                ("DW", Object::Integer(1000)),
                ("FontDescriptor", Object::Reference(descriptor)),
                ("CIDToGIDMap", Object::Name(b"Identity".to_vec())),
            ]);
            let font = doc.add_object(Dictionary::from_iter(vec![
                ("Type", Object::Name(b"Font".to_vec())),
                ("Subtype", Object::Name(b"Type0".to_vec())),
                ("BaseFont", name()),
                ("Encoding", Object::Name(b"Identity-H".to_vec())),
                ("ToUnicode", Object::Reference(to_unicode)),
                (
                    "DescendantFonts",
                    Object::Array(vec![Object::Dictionary(cid_font)]),
                ),
            ]));
            font_refs.set(face.name, Object::Reference(font));
        }
        let resources = doc.add_object(Dictionary::from_iter(vec![(
            "Font",
            Object::Dictionary(font_refs),
        )]));
        let pages_id = doc.new_object_id();
        // The ID hashes what makes the document (its contents and
        // information), not the process that wrote it.
        let mut hasher = rustc_hash::FxHasher::default();
        let mut kids = Vec::with_capacity(contents.len());
        let media_box = || {
            Object::Array(
                [0.0, 0.0, PDF_A4.0, PDF_A4.1]
                    .into_iter()
                    .map(Object::Real)
                    .collect(),
            )
        };
        for content in contents {
            std::hash::Hasher::write(&mut hasher, &content);
            let content = doc.add_object(Stream::new(Dictionary::new(), content));
            kids.push(Object::Reference(doc.add_object(Dictionary::from_iter(
                vec![
                    ("Type", Object::Name(b"Page".to_vec())),
                    ("MediaBox", media_box()),
                    ("TrimBox", media_box()),
                    ("CropBox", media_box()),
                    ("Parent", Object::Reference(pages_id)),
                    ("Resources", Object::Reference(resources)),
                    ("Contents", Object::Reference(content)),
                ],
            ))));
        }
        doc.objects.insert(
            pages_id,
            Object::Dictionary(Dictionary::from_iter(vec![
                ("Type", Object::Name(b"Pages".to_vec())),
                ("Count", Object::Integer(kids.len() as i64)),
                ("Kids", Object::Array(kids)),
            ])),
        );
        let catalog = doc.add_object(Dictionary::from_iter(vec![
            ("Type", Object::Name(b"Catalog".to_vec())),
            ("PageLayout", Object::Name(b"OneColumn".to_vec())),
            ("PageMode", Object::Name(b"UseNone".to_vec())),
            ("Pages", Object::Reference(pages_id)),
        ]));
        let mut info = Dictionary::from_iter(vec![
            ("Title", utf16(&self.meta.title)),
            ("Author", utf16(&self.meta.author)),
            ("Subject", utf16(&self.meta.subject)),
            ("Creator", utf16("segurdoc")),
            ("Producer", utf16("segurdoc (lopdf, printpdf)")),
        ]);
        for text in [&self.meta.title, &self.meta.author, &self.meta.subject] {
            std::hash::Hasher::write(&mut hasher, text.as_bytes());
        }
        if let Some(date) = creation {
            let stamp = format!("D:{}120000+00'00'", date.format("%Y%m%d"));
            std::hash::Hasher::write(&mut hasher, stamp.as_bytes());
            info.set("CreationDate", Object::string_literal(stamp.clone()));
            info.set("ModDate", Object::string_literal(stamp));
        }
        let info = doc.add_object(info);
        let hash = std::hash::Hasher::finish(&hasher);
        doc.trailer.set("Root", Object::Reference(catalog));
        doc.trailer.set("Info", Object::Reference(info));
        doc.trailer.set(
            "ID",
            Object::Array(
                (0..2u32)
                    .map(|k| {
                        Object::string_literal(format!(
                            "{hash:016x}{:016x}",
                            hash.rotate_left(17 + k)
                        ))
                    })
                    .collect(),
            ),
        );
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes)
            .map_err(|e| PdfError(format!("écriture du PDF : {e}")))?;
        Ok(bytes)
    }
}

/// `bytes` deflated (zlib, as `/FlateDecode` reads it): done once per font
/// subset, so every document carries its fonts at half the size for free.
fn deflate(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).ok()?;
    encoder.finish().ok()
}

/// A4 in points, as the page boxes give it (210 × 297 mm).
const PDF_A4: (f32, f32) = (595.275_63, 841.889_83);

/// A text string of the document information: UTF-16BE with its byte
/// order mark, so that accents survive in every reader.
fn utf16(text: &str) -> Object {
    let mut bytes = vec![0xFE, 0xFF];
    for unit in text.encode_utf16() {
        bytes.extend_from_slice(&unit.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}
