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
#[derive(Debug, Clone, PartialEq)]
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
    /// The structure tree, in reading order; element 0 is the document.
    elems: Vec<Elem>,
    /// The element the text drawn now belongs to (`None`: an artefact).
    tag: Option<usize>,
    /// The list the last bullets went into, while bullets follow.
    list: Option<usize>,
    /// Signature fields: page, rectangle, tooltip.
    fields: Vec<(usize, [f32; 4], String)>,
}

/// An element of the structure tree (tagged PDF): its standard type, its
/// parent, its children in reading order.
struct Elem {
    role: &'static str,
    parent: usize,
    kids: Vec<Kid>,
    /// `/Scope /Column` for a table header cell.
    column_header: bool,
}

/// A child of a structure element.
enum Kid {
    Elem(usize),
    /// Marked content `mcid` of page `page`.
    Content {
        page: usize,
        mcid: i64,
    },
    /// Signature field `field` (a widget annotation).
    Field(usize),
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
        /// The structure element it belongs to; `None`: an artefact
        /// (a repeated table header, the footer).
        tag: Option<usize>,
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
    ///
    /// Each run of text of one structure element is a marked-content
    /// sequence (`/P <</MCID n>> BDC … EMC`, its MCID recorded in `elems`
    /// and in `mcids`, the page's entry of the parent tree); lines and
    /// untagged text are artefacts, the footer a pagination artefact.
    /// Sequences hold whole text objects, so that both nest.
    fn content(
        &self,
        page: usize,
        fonts: &[Option<Arc<Embedded>>; 2],
        elems: &mut [Elem],
        mcids: &mut Vec<usize>,
    ) -> Result<Vec<u8>, PdfError> {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        let mut c = Content {
            out: Vec::with_capacity(self.marks.len() * 64),
        };
        // The open sequence: `Some(Some(e))` element e, `Some(None)` an artefact.
        let mut open: Option<Option<usize>> = None;
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
                    tag,
                } => {
                    let face = fonts[usize::from(*bold)]
                        .as_deref()
                        .ok_or_else(|| PdfError("police non incorporée".to_owned()))?;
                    if open != Some(*tag) {
                        if in_text {
                            c.out.extend_from_slice(b"ET\n");
                            in_text = false;
                        }
                        if open.is_some() {
                            c.out.extend_from_slice(b"EMC\n");
                        }
                        match tag {
                            Some(e) => {
                                let mcid = mcids.len();
                                mcids.push(*e);
                                let _ = writeln!(c.out, "/{} <</MCID {mcid}>> BDC", elems[*e].role);
                                elems[*e].kids.push(Kid::Content {
                                    page,
                                    mcid: mcid as i64,
                                });
                            }
                            None => c.out.extend_from_slice(b"/Artifact BMC\n"),
                        }
                        open = Some(*tag);
                    }
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
                    // Rules and frames are decoration: artefacts.
                    if open != Some(None) {
                        if open.is_some() {
                            c.out.extend_from_slice(b"EMC\n");
                        }
                        c.out.extend_from_slice(b"/Artifact BMC\n");
                        open = Some(None);
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
        if open.is_some() {
            c.out.extend_from_slice(b"EMC\n");
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
            elems: vec![Elem {
                role: "Document",
                parent: 0,
                kids: Vec::new(),
                column_header: false,
            }],
            tag: None,
            list: None,
            fields: Vec::new(),
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
        let tag = self.tag;
        self.page().marks.push(Mark::Text {
            x,
            y,
            text,
            bold,
            size,
            rgb,
            tag,
        });
    }

    /// A new structure element `role` under `parent`, after its other
    /// children.
    fn elem(&mut self, role: &'static str, parent: usize) -> usize {
        let id = self.elems.len();
        self.elems.push(Elem {
            role,
            parent,
            kids: Vec::new(),
            column_header: false,
        });
        self.elems[parent].kids.push(Kid::Elem(id));
        id
    }

    /// A new block element of the document (a paragraph, a heading…):
    /// what is drawn next belongs to it. Ends the current list.
    fn block(&mut self, role: &'static str) -> usize {
        self.list = None;
        let id = self.elem(role, 0);
        self.tag = Some(id);
        id
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
            // A line ended at a space or a line break keeps a space at its
            // end: text extraction and screen readers join the lines of a
            // paragraph, « soussignée,Mme » otherwise.
            let end_with_space = |lines: &mut Vec<Vec<(String, bool, f32, bool)>>| {
                if let Some(last) = lines.last_mut().and_then(|l| l.last_mut()) {
                    last.0.push(' ');
                }
            };
            if break_before && x > 0.0 {
                end_with_space(&mut lines);
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
                    if space_before {
                        end_with_space(&mut lines);
                    }
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
                        _ => {
                            // The space before a change of style is drawn by
                            // position; written too, for text extraction.
                            if spaced {
                                if let Some((t, ..)) = merged.last_mut() {
                                    t.push(' ');
                                }
                            }
                            merged.push((text, bold, x));
                        }
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
        self.block("P");
        let lines = self.wrap(spans, size, Self::text_width());
        self.draw_lines(&lines, MARGIN_X, size, size * 1.4, INK);
        self.y -= size * 0.6;
    }

    /// Small grey text.
    pub fn note(&mut self, text: &str) {
        self.block("P");
        let lines = self.wrap(&[Span::plain(text)], 8.5, Self::text_width());
        self.draw_lines(&lines, MARGIN_X, 8.5, 12.0, MUTED);
        self.y -= 4.0;
    }

    /// A heading of `level` (2 or 3: the title is the level 1); kept with
    /// at least two lines of what follows.
    pub fn heading(&mut self, text: &str, size: f32, level: u8) {
        self.block(if level <= 2 { "H2" } else { "H3" });
        let lines = self.wrap(&[Span::bold(text)], size, Self::text_width());
        self.ensure(size * 1.3 * lines.len() as f32 + 40.0);
        self.y -= size * 0.4;
        self.draw_lines(&lines, MARGIN_X, size, size * 1.3, ACCENT);
        self.y -= size * 0.3;
    }

    /// A centred title block.
    pub fn title(&mut self, text: &str, subtitle: &str) {
        for (t, size, bold, rgb) in [(text, 17.0, true, ACCENT), (subtitle, 10.5, false, MUTED)] {
            if t.is_empty() {
                continue;
            }
            self.block(if bold { "H1" } else { "P" });
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
        self.item("•", spans, size);
    }

    /// An item of a list, after its label (`•`, `1.`).
    pub fn item(&mut self, label: &str, spans: &[Span], size: f32) {
        let indent = 6.0 + self.faces.regular.width(label, size).max(8.0);
        // Consecutive bullets are the items of one list.
        let list = match self.list {
            Some(list) => list,
            None => {
                let list = self.block("L");
                self.list = Some(list);
                list
            }
        };
        let item = self.elem("LI", list);
        let lbl = self.elem("Lbl", item);
        let body = self.elem("LBody", item);
        let lines = self.wrap(spans, size, Self::text_width() - indent);
        self.ensure(size * 1.4);
        let baseline = self.y - size;
        self.tag = Some(lbl);
        self.text_at(MARGIN_X + 3.0, baseline, label, false, size, INK);
        self.tag = Some(body);
        self.draw_lines(&lines, MARGIN_X + indent, size, size * 1.4, INK);
        self.y -= size * 0.3;
    }

    /// A table; `widths` are fractions of the text width. Rows never split;
    /// the header is repeated on each page the table spans.
    pub fn table(&mut self, widths: &[f32], header: &[&str], rows: &[Vec<String>]) {
        let size = 9.0;
        let pad = 4.0;
        let total = Self::text_width();
        let mut cols: Vec<f32> = widths.iter().map(|w| w * total).collect();
        // No column narrower than its longest word (a NIL, « Version »):
        // what it lacks is taken from the columns with room to spare.
        let need: Vec<f32> = (0..cols.len())
            .map(|i| {
                let word = |text: &str, bold: bool| {
                    text.split_whitespace()
                        .map(|w| self.face(bold).width(w, size))
                        .fold(0.0, f32::max)
                };
                let head = header.get(i).map_or(0.0, |h| word(h, true));
                rows.iter()
                    .filter_map(|r| r.get(i))
                    .map(|t| word(t, false))
                    .fold(head, f32::max)
                    + 2.0 * pad
                    + 1.0
            })
            .collect();
        let lack: f32 = cols.iter().zip(&need).map(|(c, n)| (n - c).max(0.0)).sum();
        let spare: f32 = cols.iter().zip(&need).map(|(c, n)| (c - n).max(0.0)).sum();
        if lack > 0.0 && spare > lack {
            for (c, n) in cols.iter_mut().zip(&need) {
                if *c < *n {
                    *c = *n;
                } else {
                    *c -= (*c - n) / spare * lack;
                }
            }
        }
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
        let table = self.block("Table");
        // A row of the structure: its cells, header cells or data cells.
        let row_elems = |doc: &mut Document, n: usize, header: bool| -> Vec<usize> {
            let tr = doc.elem("TR", table);
            (0..n)
                .map(|_| {
                    let cell = doc.elem(if header { "TH" } else { "TD" }, tr);
                    doc.elems[cell].column_header = header;
                    cell
                })
                .collect()
        };
        // `tags`: the cells' elements; `None` for a header repeated on a
        // later page (an artefact: the structure has it once).
        let draw_row = |doc: &mut Document,
                        cells: &[Vec<LineSegs>],
                        height: f32,
                        rgb: (f32, f32, f32),
                        tags: Option<&[usize]>| {
            let top = doc.y;
            let mut x = MARGIN_X;
            for (i, (lines, w)) in cells.iter().zip(&cols).enumerate() {
                doc.tag = tags.and_then(|t| t.get(i).copied());
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
        let head_tags = row_elems(self, head.len(), true);
        draw_row(self, &head, head_h, ACCENT, Some(&head_tags));
        for row in rows {
            let (cells, height) = layout(self, row, false);
            if self.y - height < MARGIN_BOTTOM {
                self.new_page();
                let y = self.y;
                self.line((MARGIN_X, y), (MARGIN_X + total, y), 0.8, ACCENT);
                draw_row(self, &head, head_h, ACCENT, None);
            }
            let tags = row_elems(self, cells.len(), false);
            draw_row(self, &cells, height, INK, Some(&tags));
        }
        self.tag = None;
        self.y -= 10.0;
    }

    /// A framed box for the signature, with lines of text above it; the
    /// box is an empty signature field (`/FT /Sig`) named `tooltip`, for a
    /// signing tool to fill.
    /// With `stamp`, a second frame of that label at its left, for the
    /// company's stamp.
    pub fn signature_box(&mut self, caption: &[String], tooltip: &str, stamp: Option<&str>) {
        let height = 90.0;
        self.ensure(height + 16.0 * caption.len() as f32 + 10.0);
        let x0 = MARGIN_X + Self::text_width() / 2.0 - 20.0;
        for line in caption {
            self.block("P");
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
        if let Some(label) = stamp {
            let (s0, s1) = (MARGIN_X, x0 - 16.0);
            for (a, b) in [
                ((s0, top), (s1, top)),
                ((s1, top), (s1, bottom)),
                ((s1, bottom), (s0, bottom)),
                ((s0, bottom), (s0, top)),
            ] {
                self.line(a, b, 0.6, MUTED);
            }
            self.block("P");
            self.text_at(s0 + 6.0, bottom + 6.0, label, false, 8.0, MUTED);
        }
        let form = self.block("Form");
        let field = self.fields.len();
        self.fields.push((
            self.pages.len() - 1,
            [x0, bottom, x1, top],
            tooltip.to_owned(),
        ));
        self.elems[form].kids.push(Kid::Field(field));
        self.block("P");
        self.text_at(x0 + 6.0, bottom + 6.0, "Signature", false, 8.0, MUTED);
        self.tag = None;
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
                    tag: None,
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
        // Each page's marked contents, and the element each MCID is of.
        let mut parent_tree: Vec<Vec<usize>> = Vec::with_capacity(n);
        let mut contents = Vec::with_capacity(n);
        for (i, page) in self.pages.iter().enumerate() {
            let mut mcids = Vec::new();
            contents.push(page.content(i, &fonts, &mut self.elems, &mut mcids)?);
            parent_tree.push(mcids);
        }

        // PDF/A-2 is PDF 1.7.
        let mut doc = lopdf::Document::with_version("1.7");
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
        // Structure elements and signature widgets get their numbers
        // first: pages and elements point at each other.
        let elem_ids: Vec<lopdf::ObjectId> =
            self.elems.iter().map(|_| doc.new_object_id()).collect();
        let widget_ids: Vec<lopdf::ObjectId> =
            self.fields.iter().map(|_| doc.new_object_id()).collect();
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
        let page_ids: Vec<lopdf::ObjectId> = (0..n).map(|_| doc.new_object_id()).collect();
        for (i, content) in contents.into_iter().enumerate() {
            std::hash::Hasher::write(&mut hasher, &content);
            let content = doc.add_object(Stream::new(Dictionary::new(), content));
            let mut page = Dictionary::from_iter(vec![
                ("Type", Object::Name(b"Page".to_vec())),
                ("MediaBox", media_box()),
                ("TrimBox", media_box()),
                ("CropBox", media_box()),
                ("Parent", Object::Reference(pages_id)),
                ("Resources", Object::Reference(resources)),
                ("Contents", Object::Reference(content)),
                ("StructParents", Object::Integer(i as i64)),
            ]);
            let annots: Vec<Object> = self
                .fields
                .iter()
                .zip(&widget_ids)
                .filter(|((p, ..), _)| *p == i)
                .map(|(_, id)| Object::Reference(*id))
                .collect();
            if !annots.is_empty() {
                page.set("Annots", Object::Array(annots));
                // Tab order follows the structure (PDF/UA).
                page.set("Tabs", Object::Name(b"S".to_vec()));
            }
            doc.objects.insert(page_ids[i], Object::Dictionary(page));
            kids.push(Object::Reference(page_ids[i]));
        }
        // The signature fields: empty, unsigned, printed, with an empty
        // appearance (PDF/A wants one), each in the structure tree.
        for (k, ((page, rect, tooltip), id)) in self.fields.iter().zip(&widget_ids).enumerate() {
            let (w, h) = (rect[2] - rect[0], rect[3] - rect[1]);
            let appearance = doc.add_object(Stream::new(
                Dictionary::from_iter(vec![
                    ("Type", Object::Name(b"XObject".to_vec())),
                    ("Subtype", Object::Name(b"Form".to_vec())),
                    (
                        "BBox",
                        Object::Array(vec![0.into(), 0.into(), Object::Real(w), Object::Real(h)]),
                    ),
                    ("Resources", Object::Dictionary(Dictionary::new())),
                ]),
                Vec::new(),
            ));
            doc.objects.insert(
                *id,
                Object::Dictionary(Dictionary::from_iter(vec![
                    ("Type", Object::Name(b"Annot".to_vec())),
                    ("Subtype", Object::Name(b"Widget".to_vec())),
                    ("FT", Object::Name(b"Sig".to_vec())),
                    ("T", utf16(&format!("Signature{}", k + 1))),
                    ("TU", utf16(tooltip)),
                    (
                        "Rect",
                        Object::Array(rect.iter().map(|v| Object::Real(*v)).collect()),
                    ),
                    ("F", Object::Integer(4)),
                    ("P", Object::Reference(page_ids[*page])),
                    (
                        "AP",
                        Object::Dictionary(Dictionary::from_iter(vec![(
                            "N",
                            Object::Reference(appearance),
                        )])),
                    ),
                    ("StructParent", Object::Integer((n + k) as i64)),
                ])),
            );
        }
        // The structure tree: each element with its parent and children
        // (elements, marked contents of a page, widgets).
        let tree_root = doc.new_object_id();
        for (e, elem) in self.elems.iter().enumerate() {
            let kids: Vec<Object> = elem
                .kids
                .iter()
                .map(|kid| match kid {
                    Kid::Elem(k) => Object::Reference(elem_ids[*k]),
                    Kid::Content { page, mcid } => Object::Dictionary(Dictionary::from_iter(vec![
                        ("Type", Object::Name(b"MCR".to_vec())),
                        ("Pg", Object::Reference(page_ids[*page])),
                        ("MCID", Object::Integer(*mcid)),
                    ])),
                    Kid::Field(f) => Object::Dictionary(Dictionary::from_iter(vec![
                        ("Type", Object::Name(b"OBJR".to_vec())),
                        ("Pg", Object::Reference(page_ids[self.fields[*f].0])),
                        ("Obj", Object::Reference(widget_ids[*f])),
                    ])),
                })
                .collect();
            let mut dict = Dictionary::from_iter(vec![
                ("Type", Object::Name(b"StructElem".to_vec())),
                ("S", Object::Name(elem.role.as_bytes().to_vec())),
                (
                    "P",
                    Object::Reference(if e == 0 {
                        tree_root
                    } else {
                        elem_ids[elem.parent]
                    }),
                ),
                ("K", Object::Array(kids)),
            ]);
            if elem.column_header {
                dict.set(
                    "A",
                    Object::Dictionary(Dictionary::from_iter(vec![
                        ("O", Object::Name(b"Table".to_vec())),
                        ("Scope", Object::Name(b"Column".to_vec())),
                    ])),
                );
            }
            if e == 0 {
                dict.set("Lang", Object::string_literal("fr-FR"));
            }
            doc.objects.insert(elem_ids[e], Object::Dictionary(dict));
        }
        let mut nums = Vec::with_capacity(2 * (n + self.fields.len()));
        for (i, mcids) in parent_tree.iter().enumerate() {
            nums.push(Object::Integer(i as i64));
            nums.push(Object::Array(
                mcids
                    .iter()
                    .map(|e| Object::Reference(elem_ids[*e]))
                    .collect(),
            ));
        }
        for (k, _) in self.fields.iter().enumerate() {
            let form = self
                .elems
                .iter()
                .position(|el| {
                    el.kids
                        .iter()
                        .any(|kid| matches!(kid, Kid::Field(f) if *f == k))
                })
                .unwrap_or(0);
            nums.push(Object::Integer((n + k) as i64));
            nums.push(Object::Reference(elem_ids[form]));
        }
        doc.objects.insert(
            tree_root,
            Object::Dictionary(Dictionary::from_iter(vec![
                ("Type", Object::Name(b"StructTreeRoot".to_vec())),
                ("K", Object::Array(vec![Object::Reference(elem_ids[0])])),
                (
                    "ParentTree",
                    Object::Dictionary(Dictionary::from_iter(vec![("Nums", Object::Array(nums))])),
                ),
                (
                    "ParentTreeNextKey",
                    Object::Integer((n + self.fields.len()) as i64),
                ),
            ])),
        );
        doc.objects.insert(
            pages_id,
            Object::Dictionary(Dictionary::from_iter(vec![
                ("Type", Object::Name(b"Pages".to_vec())),
                ("Count", Object::Integer(kids.len() as i64)),
                ("Kids", Object::Array(kids)),
            ])),
        );
        let mut info = Dictionary::from_iter(vec![
            ("Title", utf16(&self.meta.title)),
            ("Author", utf16(&self.meta.author)),
            ("Subject", utf16(&self.meta.subject)),
            ("Creator", utf16(CREATOR)),
            ("Producer", utf16(PRODUCER)),
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
        // PDF/A-2a: the same information as XMP, and the colour space of
        // the output (sRGB, the space of every colour drawn).
        let metadata = doc.add_object(Stream::new(
            Dictionary::from_iter(vec![
                ("Type", Object::Name(b"Metadata".to_vec())),
                ("Subtype", Object::Name(b"XML".to_vec())),
            ]),
            xmp(&self.meta, creation).into_bytes(),
        ));
        let icc = doc.add_object(
            Stream::new(
                Dictionary::from_iter(vec![
                    ("N", Object::Integer(3)),
                    ("Filter", Object::Name(b"FlateDecode".to_vec())),
                ]),
                SRGB_DEFLATED.clone(),
            )
            .with_compression(false),
        );
        let output_intent = Dictionary::from_iter(vec![
            ("Type", Object::Name(b"OutputIntent".to_vec())),
            ("S", Object::Name(b"GTS_PDFA1".to_vec())),
            (
                "OutputConditionIdentifier",
                Object::string_literal("sRGB IEC61966-2.1"),
            ),
            ("Info", Object::string_literal("sRGB IEC61966-2.1")),
            ("DestOutputProfile", Object::Reference(icc)),
        ]);
        let mut catalog = Dictionary::from_iter(vec![
            ("Type", Object::Name(b"Catalog".to_vec())),
            ("PageLayout", Object::Name(b"OneColumn".to_vec())),
            ("PageMode", Object::Name(b"UseNone".to_vec())),
            ("Pages", Object::Reference(pages_id)),
            ("Lang", Object::string_literal("fr-FR")),
            (
                "MarkInfo",
                Object::Dictionary(Dictionary::from_iter(vec![(
                    "Marked",
                    Object::Boolean(true),
                )])),
            ),
            ("StructTreeRoot", Object::Reference(tree_root)),
            (
                "ViewerPreferences",
                Object::Dictionary(Dictionary::from_iter(vec![(
                    "DisplayDocTitle",
                    Object::Boolean(true),
                )])),
            ),
            ("Metadata", Object::Reference(metadata)),
            (
                "OutputIntents",
                Object::Array(vec![Object::Dictionary(output_intent)]),
            ),
        ]);
        if !widget_ids.is_empty() {
            catalog.set(
                "AcroForm",
                Object::Dictionary(Dictionary::from_iter(vec![(
                    "Fields",
                    Object::Array(widget_ids.iter().map(|id| Object::Reference(*id)).collect()),
                )])),
            );
        }
        let catalog = doc.add_object(catalog);
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

/// Who made the document, in the information and in the XMP metadata.
const CREATOR: &str = "segurdoc";
const PRODUCER: &str = "segurdoc (lopdf, printpdf)";

/// The sRGB profile of the output intent (`src/render/sRGB.icc`, from
/// Debian's icc-profiles-free, zlib licence), deflated once per process.
static SRGB_DEFLATED: LazyLock<Vec<u8>> =
    LazyLock::new(|| deflate(include_bytes!("sRGB.icc")).unwrap_or_default());

/// XML text: `&`, `<`, `>` and quotes escaped.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if (c as u32) < 0x20 && c != '\t' && c != '\n' && c != '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// The document's XMP metadata: PDF/A-2 level a and PDF/UA-1
/// identification, and the information dictionary's values.
fn xmp(meta: &Meta, creation: Option<chrono::NaiveDate>) -> String {
    let date = creation
        .map(|d| {
            let stamp = format!("{}T12:00:00+00:00", d.format("%Y-%m-%d"));
            format!(
                "<xmp:CreateDate>{stamp}</xmp:CreateDate><xmp:ModifyDate>{stamp}</xmp:ModifyDate>"
            )
        })
        .unwrap_or_default();
    format!(
        concat!(
            "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n",
            "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n",
            "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n",
            "<rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\" xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\" ",
            "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n",
            "<pdfaid:part>2</pdfaid:part><pdfaid:conformance>A</pdfaid:conformance>\n",
            "<pdfuaid:part>1</pdfuaid:part>\n",
            "<dc:format>application/pdf</dc:format>\n",
            "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{title}</rdf:li></rdf:Alt></dc:title>\n",
            "<dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>\n",
            "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">{subject}</rdf:li></rdf:Alt></dc:description>\n",
            "<dc:language><rdf:Bag><rdf:li>fr-FR</rdf:li></rdf:Bag></dc:language>\n",
            "<xmp:CreatorTool>{creator}</xmp:CreatorTool>{date}\n",
            "<pdf:Producer>{producer}</pdf:Producer>\n",
            "</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>"
        ),
        title = xml(&meta.title),
        author = xml(&meta.author),
        subject = xml(&meta.subject),
        creator = CREATOR,
        producer = PRODUCER,
        date = date,
    )
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
