//! Markdown and REM cells to safe HTML.
//!
//! Every text that comes from the data goes through here: CommonMark with
//! the extensions of FORMATS.md, then `ammonia`, so that no script, event
//! handler, `javascript:` URL or iframe from a REM cell, a YAML value or a
//! page can reach the site. Angle-bracket placeholders the ANS writes in its
//! REMs (`<identifiant>`, `<NOM>`) are not HTML tags: they are kept as text
//! instead of being dropped by the sanitiser.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    for heading in ["h2", "h3", "h4", "h5", "h6"] {
        builder.add_tag_attributes(heading, &["id"]);
    }
    // No form control from the data: a task list's box is a character
    // ([`neutralise`]), and a raw `<input>` is removed.
    builder.rm_tags(&["input"]);
    // Images only from the site itself: an external `src` (a tracking pixel,
    // mixed content, a page that changes after review) is dropped, leaving
    // the `alt` text.
    builder.attribute_filter(|element, attribute, value| {
        if element == "img" && attribute == "src" && !is_site_relative(value) {
            None
        } else {
            Some(value.into())
        }
    });
    builder
});

/// A URL inside the site: no scheme, no `//host`, no backslash a browser
/// would read as a slash.
fn is_site_relative(url: &str) -> bool {
    let url = url.trim();
    let before_path = url.split(['/', '?', '#']).next().unwrap_or("");
    !url.starts_with("//") && !url.contains('\\') && !before_path.contains(':')
}

/// HTML element names: an angle-bracket word that is not one of them is text.
const HTML_ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "acronym",
    "address",
    "applet",
    "area",
    "article",
    "aside",
    "audio",
    "b",
    "base",
    "basefont",
    "bdi",
    "bdo",
    "big",
    "blink",
    "blockquote",
    "body",
    "br",
    "button",
    "canvas",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "datalist",
    "dd",
    "del",
    "details",
    "dfn",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "fieldset",
    "figcaption",
    "figure",
    "font",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "i",
    "iframe",
    "img",
    "input",
    "ins",
    "kbd",
    "label",
    "legend",
    "li",
    "link",
    "main",
    "map",
    "mark",
    "marquee",
    "math",
    "menu",
    "meta",
    "meter",
    "nav",
    "noembed",
    "noframes",
    "noscript",
    "object",
    "ol",
    "optgroup",
    "option",
    "output",
    "p",
    "param",
    "picture",
    "plaintext",
    "pre",
    "progress",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "script",
    "search",
    "section",
    "select",
    "slot",
    "small",
    "source",
    "span",
    "strike",
    "strong",
    "style",
    "sub",
    "summary",
    "sup",
    "svg",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "time",
    "title",
    "tr",
    "track",
    "tt",
    "u",
    "ul",
    "var",
    "video",
    "wbr",
    "xmp",
];

/// True when `raw` (an HTML event of the Markdown parser) is markup: a
/// comment, a declaration, or a tag whose name is an HTML element.
pub(crate) fn is_markup(raw: &str) -> bool {
    let s = raw.trim_start();
    let Some(rest) = s.strip_prefix('<') else {
        return false;
    };
    if rest.starts_with('!') || rest.starts_with('?') {
        return true;
    }
    let rest = rest.strip_prefix('/').unwrap_or(rest);
    let name: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect::<String>()
        .to_ascii_lowercase();
    HTML_ELEMENTS.binary_search(&name.as_str()).is_ok()
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}

/// Turns unknown angle-bracket words into text; returns whether anything
/// left needs the sanitiser (markup, links, images).
fn neutralise(events: &mut [Event<'_>]) -> bool {
    let mut needs_clean = false;
    for event in events.iter_mut() {
        match event {
            Event::Html(raw) | Event::InlineHtml(raw) => {
                if is_markup(raw) {
                    needs_clean = true;
                } else {
                    *event = Event::Text(raw.clone());
                }
            }
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => needs_clean = true,
            // `- [x]` is shown as ☑, not as an `<input>` form control.
            Event::TaskListMarker(done) => {
                *event = Event::Text(CowStr::Borrowed(if *done { "☑ " } else { "☐ " }));
            }
            _ => {}
        }
    }
    // An external image becomes a link to it, its alt text as the link's
    // text: the reader decides to open it; the page loads nothing from outside.
    let mut open: Vec<bool> = Vec::new();
    for event in events.iter_mut() {
        match event {
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                let external = !is_site_relative(dest_url);
                open.push(external);
                if external {
                    *event = Event::Start(Tag::Link {
                        link_type: pulldown_cmark::LinkType::Inline,
                        dest_url: dest_url.clone(),
                        title: title.clone(),
                        id: CowStr::Borrowed(""),
                    });
                }
            }
            // The guard pops the image's entry whatever it holds.
            Event::End(TagEnd::Image) if open.pop() == Some(true) => {
                *event = Event::End(TagEnd::Link);
            }
            _ => {}
        }
    }
    needs_clean
}

fn finish(events: Vec<Event<'_>>, needs_clean: bool) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    if needs_clean {
        SANITIZER.clean(&html).to_string()
    } else {
        html
    }
}

/// A REM cell or a YAML text: Markdown without headings (a heading inside a
/// requirement would break the page's outline; it becomes a strong paragraph).
/// The cell's own structure comes first ([`structure`]): each line break
/// stays a line break, bullet lines are lists, URLs are links.
pub fn cell_html(text: &str) -> String {
    let structured = structure(text);
    let mut events: Vec<Event<'_>> = Vec::new();
    for event in Parser::new_ext(&structured, options()) {
        match event {
            Event::Start(Tag::Heading { .. }) => {
                events.push(Event::Start(Tag::Paragraph));
                events.push(Event::Start(Tag::Strong));
            }
            Event::End(TagEnd::Heading(_)) => {
                events.push(Event::End(TagEnd::Strong));
                events.push(Event::End(TagEnd::Paragraph));
            }
            other => events.push(other),
        }
    }
    let needs_clean = neutralise(&mut events);
    finish(events, needs_clean)
}

/// The bullet a line of a REM cell starts with, and the item after it:
/// `•`, `◦`, `▪`, `‣`, `·`, `–`, `-`, `*` and `+`, followed by a space, or
/// directly by a letter for `•`, `-` and `*` (`-Le système DOIT`, as typed
/// in the ANS's spreadsheets).
fn bullet(line: &str) -> Option<&str> {
    let mut chars = line.chars();
    let marker = chars.next()?;
    if !matches!(marker, '•' | '◦' | '▪' | '‣' | '·' | '–' | '-' | '*' | '+') {
        return None;
    }
    let rest = chars.as_str();
    let item = rest.trim_start_matches([' ', '\u{a0}', '\t']);
    // `* : les opérateurs…` is a footnote's text, not a list item.
    if item.is_empty() || item.starts_with([':', ';', ',', '.', '=']) {
        return None;
    }
    if item.len() < rest.len() {
        // `**gras**` and `--` are not bullets.
        return (!item.starts_with(marker)).then_some(item);
    }
    let first = item.chars().next()?;
    (matches!(marker, '•' | '-' | '*') && first.is_alphabetic()).then_some(item)
}

/// Where a `CAS 1 :` sequence starts in `line` (not at its start), if anywhere.
fn case_break(line: &str) -> Option<usize> {
    let mut from = 1;
    while let Some(found) = line.get(from..).and_then(|l| l.find("CAS ")) {
        let at = from + found;
        let after = &line[at + 4..];
        let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits > 0
            && after[digits..]
                .trim_start_matches([' ', '\u{a0}'])
                .starts_with(':')
        {
            return Some(at);
        }
        from = at + 4;
    }
    None
}

/// Splits a line where a line break was lost on the way (the ANS's own
/// exports glue list items): before a `CAS 2 :` sequence, and after `:` or
/// `)` directly followed by a capitalised word (`effectuée :Dossier`,
/// `etc.)Documentation`).
fn split_glued(line: &str, out: &mut Vec<String>) {
    let mut current = String::new();
    for (i, c) in line.char_indices() {
        current.push(c);
        if matches!(c, ':' | ')') {
            let rest = &line[i + c.len_utf8()..];
            let mut next = rest.chars();
            if let (Some(a), Some(b)) = (next.next(), next.next()) {
                if a.is_uppercase() && b.is_lowercase() && !rest.starts_with("//") {
                    out.push(std::mem::take(&mut current));
                }
            }
        }
    }
    out.push(current);
}

/// Wraps bare `http(s)://` URLs in `<…>` so that Markdown makes them links;
/// URLs already in a link, an autolink or an attribute are left alone.
fn autolink(line: &str) -> Cow<'_, str> {
    if !line.contains("http") {
        return Cow::Borrowed(line);
    }
    let mut out = String::with_capacity(line.len() + 8);
    let mut rest = line;
    let mut done = 0;
    while let Some(found) = rest.find("http") {
        let at = line.len() - rest.len() + found;
        let tail = &line[at..];
        let is_url = tail.starts_with("https://") || tail.starts_with("http://");
        let before = &line[..at];
        let quoted = before.ends_with("](")
            || before.ends_with('<')
            || before.ends_with('"')
            || before.ends_with('\'')
            || before.ends_with('=')
            || before.ends_with('[');
        if !is_url || quoted {
            rest = &tail[4..];
            continue;
        }
        let mut end = tail
            .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\\'))
            .unwrap_or(tail.len());
        // Trailing punctuation belongs to the sentence, and so does a
        // closing parenthesis the URL did not open.
        loop {
            let url = &tail[..end];
            let Some(last) = url.chars().last() else {
                break;
            };
            let unbalanced = last == ')' && url.matches('(').count() < url.matches(')').count();
            if matches!(last, '.' | ',' | ';' | ':' | '!' | '?' | ']') || unbalanced {
                end -= last.len_utf8();
            } else {
                break;
            }
        }
        out.push_str(&line[done..at]);
        out.push('<');
        out.push_str(&tail[..end]);
        out.push('>');
        done = at + end;
        rest = &line[done..];
    }
    out.push_str(&line[done..]);
    Cow::Owned(out)
}

/// A paragraph line must not start a block of its own: `2. Demander` in
/// the middle of a paragraph, `> 5 %`, `=== `. Its first character is
/// written escaped by [`escape_block_start`]; [`out_skip`] says how much of
/// the line that consumed.
fn escape_block_start(t: &str, out: &mut String) {
    let digits = t.len() - t.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits > 0 && digits <= 9 {
        let after = &t[digits..];
        if (after.starts_with(". ") || after.starts_with(") ") || after == "." || after == ")")
            && t.is_char_boundary(digits)
        {
            out.push_str(&t[..digits]);
            out.push('\\');
        }
        return;
    }
    // `* ` opens a list item; `**gras**` stays bold.
    if t.starts_with(['>', '=', '-', '+']) || t.starts_with("* ") || t.starts_with("*\t") {
        out.push('\\');
    }
}

fn out_skip(t: &str, heading: bool) -> usize {
    if heading {
        return 0;
    }
    let digits = t.len() - t.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits > 0 && digits <= 9 {
        let after = &t[digits..];
        if after.starts_with(". ") || after.starts_with(") ") || after == "." || after == ")" {
            return digits;
        }
    }
    0
}

/// The Markdown of a REM cell with its structure made explicit, as a
/// reader of the ANS's PDF sees it: every line break kept (a hard break),
/// each bullet line a list item, a `CAS 1 :` sequence a paragraph of its
/// own, bare URLs links. Cells written as Markdown (blank-line paragraphs,
/// `- ` lists, tables, code) read as before.
pub fn structure(text: &str) -> Cow<'_, str> {
    let multiline = text.contains('\n');
    if !multiline && !text.contains("http") && !text.contains("CAS ") && !text.contains([':', ')'])
    {
        return Cow::Borrowed(text);
    }
    // Tables and code blocks have their own line structure.
    if text.contains("```") || text.lines().any(|l| l.trim_start().starts_with('|')) {
        return Cow::Borrowed(text);
    }
    let mut lines: Vec<String> = Vec::new();
    for raw in text.split('\n') {
        let mut line = raw.trim_end_matches('\r');
        while let Some(at) = case_break(line) {
            split_glued(line[..at].trim_end(), &mut lines);
            lines.push(String::new());
            line = &line[at..];
        }
        split_glued(line, &mut lines);
    }
    #[derive(PartialEq, Clone, Copy)]
    enum Last {
        Start,
        Blank,
        Para,
        Item,
        Block,
    }
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut last = Last::Start;
    for line in &lines {
        let t = line.trim_matches([' ', '\t', '\u{a0}']);
        if t.is_empty() {
            if last != Last::Blank && last != Last::Start {
                out.push('\n');
            }
            last = Last::Blank;
            continue;
        }
        if let Some(item) = bullet(t) {
            if last == Last::Para || last == Last::Block {
                out.push('\n');
            }
            out.push_str("- ");
            out.push_str(&autolink(item));
            out.push('\n');
            last = Last::Item;
            continue;
        }
        let starts_case = t.starts_with("CAS ") && case_break(&format!(" {t}")) == Some(1);
        let heading = t.starts_with('#');
        match last {
            Last::Item | Last::Block => out.push('\n'),
            Last::Para if starts_case || heading => out.push('\n'),
            Last::Para => {
                // The previous line ends with a hard break.
                out.pop();
                out.push_str("\\\n");
            }
            Last::Start | Last::Blank => {}
        }
        if !heading {
            escape_block_start(t, &mut out);
        }
        out.push_str(&autolink(&t[out_skip(t, heading)..]));
        out.push('\n');
        last = if heading { Last::Block } else { Last::Para };
    }
    Cow::Owned(out)
}

/// How a page links: `.md` links are rewritten to the page they become.
pub trait LinkResolver {
    /// The URL to use for `dest`, or `None` to keep it.
    fn resolve(&self, dest: &str) -> Option<String>;
}

/// A content page body: headings shifted so that the page's own `<h1>` stays
/// the only one, each with a stable `id`; `.md` links resolved.
pub fn page_html(markdown: &str, links: &dyn LinkResolver) -> String {
    let (mut events, shift, ids) = with_heading_ids(markdown, links, true);
    let needs_clean = neutralise(&mut events);
    // Heading ids are set here, so the sanitiser always runs on pages (they
    // are few next to REM cells).
    finish(events, needs_clean || shift > 0 || ids)
}

/// A document generated from a template of the project (the convention
/// draft), whose values were escaped for Markdown
/// ([`super::convention::md`]): headings keep their levels and get ids.
/// Nothing in it is markup the template did not write, so it is not
/// sanitised (that was a fifth of a convention's cost); unknown
/// angle-bracket words still show as text.
pub fn document_html(markdown: &str) -> String {
    struct Keep;
    impl LinkResolver for Keep {
        fn resolve(&self, _: &str) -> Option<String> {
            None
        }
    }
    let (mut events, _, _) = with_heading_ids(markdown, &Keep, false);
    neutralise(&mut events);
    finish(events, false)
}

/// The events of `markdown` with heading ids (and, when `shift`, headings
/// moved down so that the top one is an `<h2>`) and links resolved; with
/// the shift applied and whether any id was set.
fn with_heading_ids<'m>(
    markdown: &'m str,
    links: &dyn LinkResolver,
    shift_headings: bool,
) -> (Vec<Event<'m>>, usize, bool) {
    let mut events: Vec<Event<'_>> = Parser::new_ext(markdown, options()).collect();
    let top = events
        .iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { level, .. }) => Some(*level as usize),
            _ => None,
        })
        .min()
        .unwrap_or(2);
    let shift = if shift_headings {
        2usize.saturating_sub(top)
    } else {
        0
    };
    let mut used: HashMap<String, usize> = HashMap::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) = &events[i]
        {
            let text: String = events[i + 1..]
                .iter()
                .take_while(|e| !matches!(e, Event::End(TagEnd::Heading(_))))
                .filter_map(|e| match e {
                    Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                    _ => None,
                })
                .collect();
            let base = match id {
                Some(id) => id.to_string(),
                None => slug(&text),
            };
            let n = used.entry(base.clone()).or_insert(0);
            *n += 1;
            let anchor = if *n == 1 { base } else { format!("{base}-{n}") };
            let new_level = shifted(*level, shift);
            events[i] = Event::Start(Tag::Heading {
                level: new_level,
                id: Some(CowStr::from(anchor)),
                classes: classes.clone(),
                attrs: attrs.clone(),
            });
        }
        if let Event::End(TagEnd::Heading(level)) = &events[i] {
            events[i] = Event::End(TagEnd::Heading(shifted(*level, shift)));
        }
        if let Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) = &events[i]
        {
            if let Some(url) = links.resolve(dest_url) {
                events[i] = Event::Start(Tag::Link {
                    link_type: *link_type,
                    dest_url: CowStr::from(url),
                    title: title.clone(),
                    id: id.clone(),
                });
            }
        }
        i += 1;
    }
    (events, shift, !used.is_empty())
}

fn shifted(level: HeadingLevel, shift: usize) -> HeadingLevel {
    match (level as usize + shift).min(6) {
        1 => HeadingLevel::H1,
        2 => HeadingLevel::H2,
        3 => HeadingLevel::H3,
        4 => HeadingLevel::H4,
        5 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

/// `Dossier Médical Partagé (DMP)` → `dossier-medical-partage-dmp`.
pub fn slug(text: &str) -> String {
    let folded = crate::text::fold_key(text);
    let mut out = String::with_capacity(folded.len());
    for c in folded.chars() {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        out.push_str("section");
    }
    out
}

/// The text of a Markdown snippet without markup, for the search index and
/// summaries; at most `max` characters, cut on a word.
pub fn plain_text(markdown: &str, max: usize) -> String {
    let mut out = String::new();
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::Html(t) | Event::InlineHtml(t) if !is_markup(&t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(_) if !out.ends_with(' ') => {
                out.push(' ');
            }
            _ => {}
        }
        if out.len() > max * 4 {
            break;
        }
    }
    let collapsed = out.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.chars().count() <= max {
        return collapsed;
    }
    let cut: String = collapsed.chars().take(max).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > max / 2 => &cut[..i],
        _ => &cut,
    };
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    struct NoLinks;
    impl LinkResolver for NoLinks {
        fn resolve(&self, _: &str) -> Option<String> {
            None
        }
    }

    #[test]
    fn element_list_is_sorted_for_binary_search() {
        assert!(HTML_ELEMENTS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn hostile_markup_is_removed() {
        let hostile = [
            "<script>alert(1)</script>Texte",
            "<img src=x onerror=alert(1)>",
            "[clic](javascript:alert(1))",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<iframe src=\"https://example.org\"></iframe>",
            "<p onclick=\"alert(1)\">x</p>",
            "<div>\n<script>\nalert(1)\n</script>\n</div>",
            "[x]: javascript:alert(1)\n\n[lien][x]",
            "<svg><script>alert(1)</script></svg>",
            "<style>body{display:none}</style>",
        ];
        for text in hostile {
            for html in [cell_html(text), page_html(text, &NoLinks)] {
                let lower = html.to_lowercase();
                for bad in [
                    "<script",
                    "onerror",
                    "onclick",
                    "javascript:",
                    "<iframe",
                    "<style",
                    "alert(1)</",
                ] {
                    assert!(!lower.contains(bad), "{text:?} gave {html:?}");
                }
            }
        }
    }

    #[test]
    fn no_form_control_and_no_external_image_from_the_data() {
        let cases = [
            ("<input type=\"text\" name=\"pwd\">", "<input"),
            ("- [x] fait\n- [ ] à faire", "<input"),
            (
                "<img src=\"https://tracker.example/p.gif\" alt=\"pixel\">",
                "tracker",
            ),
            ("<img src=\"//tracker.example/p.gif\">", "tracker"),
            ("<img src=\"http:\\\\tracker.example\">", "tracker"),
        ];
        for (text, bad) in cases {
            for html in [cell_html(text), page_html(text, &NoLinks)] {
                assert!(!html.contains(bad), "{text:?} gave {html:?}");
            }
        }
        let html = page_html("- [x] fait\n- [ ] à faire", &NoLinks);
        assert!(
            html.contains("☑ fait") && html.contains("☐ à faire"),
            "{html}"
        );
        // A Markdown image from outside: a link to it, named by its alt text.
        let html = page_html("![Schéma du parcours](https://ans.example/s.png)", &NoLinks);
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains(">Schéma du parcours</a>"), "{html}");
        // The site's own images stay images.
        let html = page_html("![Logo](../assets/logo.png)", &NoLinks);
        assert!(
            html.contains("<img src=\"../assets/logo.png\" alt=\"Logo\""),
            "{html}"
        );
        let html = cell_html("<img src=\"assets/a.png\" alt=\"A\">");
        assert!(html.contains("src=\"assets/a.png\""), "{html}");
    }

    #[test]
    fn placeholders_stay_visible_as_text() {
        let html = cell_html("Saisir <identifiant> puis <NOM> et <date de naissance>, <b>gras</b>");
        assert_eq!(
            html,
            "<p>Saisir &lt;identifiant&gt; puis &lt;NOM&gt; et &lt;date de naissance&gt;, <b>gras</b></p>\n"
        );
        assert_eq!(
            plain_text("Saisir <identifiant>", 100),
            "Saisir <identifiant>"
        );
    }

    #[test]
    fn cells_have_no_headings_and_keep_lists() {
        let html = cell_html("# Titre\n\n- un\n- deux");
        assert_eq!(
            html,
            "<p><strong>Titre</strong></p>\n<ul>\n<li>un</li>\n<li>deux</li>\n</ul>\n"
        );
    }

    #[test]
    fn page_headings_are_shifted_and_get_unique_ids() {
        let html = page_html(
            "# Étapes\n\n## Dépôt des preuves\n\n## Dépôt des preuves",
            &NoLinks,
        );
        assert_eq!(
            html,
            "<h2 id=\"etapes\">Étapes</h2>\n<h3 id=\"depot-des-preuves\">Dépôt des preuves</h3>\n<h3 id=\"depot-des-preuves-2\">Dépôt des preuves</h3>\n"
        );
    }

    #[test]
    fn line_breaks_bullets_and_cases_come_out_as_written() {
        // MSS/CONF.03 of the real MDV-LGC REM, shortened: two lists, each
        // introduced by its own sentence, and a closing sentence.
        let html = cell_html(
            "Le système DOIT utiliser l’une des suites suivantes :\n• 0xC030: TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384\n• 0xC02F: TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\nPour l’échange des clés, le système DOIT utiliser :\n• soit DHE >= 2048bits,\n• soit ECDHE >= 256 bits.\nSi l’Opérateur présente moins, rejeter.",
        );
        assert_eq!(
            html,
            "<p>Le système DOIT utiliser l’une des suites suivantes :</p>\n<ul>\n<li>0xC030: TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384</li>\n<li>0xC02F: TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256</li>\n</ul>\n<p>Pour l’échange des clés, le système DOIT utiliser :</p>\n<ul>\n<li>soit DHE &gt;= 2048bits,</li>\n<li>soit ECDHE &gt;= 256 bits.</li>\n</ul>\n<p>Si l’Opérateur présente moins, rejeter.</p>\n"
        );
        // SSI/GEN.22: lines, `- ` and `-` items, a URL in parentheses.
        let html = cell_html(
            "Pour les LGC : \nLe système DOIT :\n- Soit un VPN ;\n- Soit conforme (https://www.cyberveille-sante.gouv.fr/a_b%C3%A8.pdf). Fin\nPour toute autre solution :\n-Le système DOIT tracer.",
        );
        assert_eq!(
            html,
            "<p>Pour les LGC :<br>\nLe système DOIT :</p>\n<ul>\n<li>Soit un VPN ;</li>\n<li>Soit conforme (<a href=\"https://www.cyberveille-sante.gouv.fr/a_b%C3%A8.pdf\" rel=\"noopener noreferrer\">https://www.cyberveille-sante.gouv.fr/a_b%C3%A8.pdf</a>). Fin</li>\n</ul>\n<p>Pour toute autre solution :</p>\n<ul>\n<li>Le système DOIT tracer.</li>\n</ul>\n"
        );
        // Proof texts whose breaks were lost: `CAS n :` and glued items.
        let html = cell_html("CAS 1 : une prestation est effectuée :Dossier (DAT, etc.)Documentation utileCAS 2 : Absence de prestation :Attestation sur l'honneur");
        assert_eq!(
            html,
            "<p>CAS 1 : une prestation est effectuée :<br />\nDossier (DAT, etc.)<br />\nDocumentation utile</p>\n<p>CAS 2 : Absence de prestation :<br />\nAttestation sur l'honneur</p>\n"
        );
        // MSS/CONF.04: a footnote `* : …` after numbered steps is not a list item.
        let html = cell_html("Étapes :\n1 – Consulter l'URL (*),\n2 – Tester.\n* : les opérateurs présentent un certificat.");
        assert!(!html.contains("<li>"), "{html}");
        assert!(
            html.contains("* : les opérateurs présentent un certificat."),
            "{html}"
        );
        // Numbered lines in a paragraph stay lines; Markdown cells read as before.
        assert_eq!(
            cell_html("Étapes :\n1. Montrer\n2. Demander\n> 5 %"),
            "<p>Étapes :<br />\n1. Montrer<br />\n2. Demander<br />\n&gt; 5 %</p>\n"
        );
        assert_eq!(
            cell_html("Intro\n\n- un\n- deux\n\nFin **gras**"),
            "<p>Intro</p>\n<ul>\n<li>un</li>\n<li>deux</li>\n</ul>\n<p>Fin <strong>gras</strong></p>\n"
        );
        assert_eq!(cell_html("[lien](https://a.fr) et <https://b.fr>"), "<p><a href=\"https://a.fr\" rel=\"noopener noreferrer\">lien</a> et <a href=\"https://b.fr\" rel=\"noopener noreferrer\">https://b.fr</a></p>\n");
        assert_eq!(
            cell_html("Voir https://tests.mssante.fr/show/<identifiant> puis"),
            "<p>Voir <a href=\"https://tests.mssante.fr/show/\" rel=\"noopener noreferrer\">https://tests.mssante.fr/show/</a>&lt;identifiant&gt; puis</p>\n"
        );
    }

    #[test]
    fn plain_text_cuts_on_a_word() {
        assert_eq!(plain_text("**Un** texte assez long", 12), "Un texte…");
        assert_eq!(
            slug("Dossier Médical Partagé (DMP)"),
            "dossier-medical-partage-dmp"
        );
    }
}
