//! Markdown and REM cells to safe HTML.
//!
//! Every text that comes from the data goes through here: CommonMark with
//! the extensions of FORMATS.md, then `ammonia`, so that no script, event
//! handler, `javascript:` URL or iframe from a REM cell, a YAML value or a
//! page can reach the site. Angle-bracket placeholders the ANS writes in its
//! REMs (`<identifiant>`, `<NOM>`) are not HTML tags: they are kept as text
//! instead of being dropped by the sanitiser.

use std::collections::HashMap;
use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    for heading in ["h2", "h3", "h4", "h5", "h6"] {
        builder.add_tag_attributes(heading, &["id"]);
    }
    builder.add_tag_attributes("input", &["type", "checked", "disabled"]);
    builder.add_tags(&["input"]);
    builder
});

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
pub fn cell_html(text: &str) -> String {
    let mut events: Vec<Event<'_>> = Vec::new();
    for event in Parser::new_ext(text, options()) {
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
    fn plain_text_cuts_on_a_word() {
        assert_eq!(plain_text("**Un** texte assez long", 12), "Un texte…");
        assert_eq!(
            slug("Dossier Médical Partagé (DMP)"),
            "dossier-medical-partage-dmp"
        );
    }
}
