//! Texts as the ANS's requirement tool (Squash TM) exports them: HTML
//! paragraphs (`<p class="mb-1">`), lists, `<br/>`, accents written as
//! entities (`&eacute;`, `&deg;`).
//!
//! [`decode`] turns such a cell into the plain text a reader of the ANS's
//! PDF sees, once, at ingestion: one line per paragraph line, a blank line
//! between paragraphs, `• ` before each list item (`1. ` in numbered
//! lists), links kept as Markdown links. It follows the ANS's own converter
//! to the Convergence layout (`Parser.convertHTMLtoString` in
//! `ansforge/segur-squash-plugins`), except that list items keep the bullet
//! the PDF shows instead of `* `. [`encode`] writes a text back as Squash
//! HTML; `decode(encode(t)) == t` for every text a REM cell holds.
//!
//! Both run in time linear in the cell.

use std::borrow::Cow;

/// The plain text of a REM cell: Squash HTML decoded, entities decoded,
/// `\r\n` made `\n`. A cell with none of these is returned as it is.
pub fn decode(raw: &str) -> Cow<'_, str> {
    if !raw.contains(['<', '&', '\r']) {
        return Cow::Borrowed(raw);
    }
    let normalised: Cow<'_, str> = if raw.contains('\r') {
        Cow::Owned(raw.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(raw)
    };
    if has_markup(&normalised) {
        Cow::Owned(crate::text::trim(&html_to_text(&normalised)).to_owned())
    } else if normalised.contains('&') {
        Cow::Owned(html_escape::decode_html_entities(&*normalised).into_owned())
    } else {
        normalised
    }
}

/// Squash HTML for a plain text: what an export in the published layout
/// writes, so that [`decode`] reads the same text back.
pub fn encode(text: &str) -> String {
    if text.is_empty() {
        return String::new();
    }
    let mut out = String::with_capacity(text.len() + text.len() / 4 + 32);
    // Paragraphs as Squash writes them; three line breaks in a row cannot
    // be told from two once in paragraphs, so such a text stays one
    // paragraph with `<br/>`s.
    let paragraphs: Vec<&str> = if text.contains("\n\n\n") {
        vec![text]
    } else {
        text.split("\n\n").collect()
    };
    for paragraph in paragraphs {
        out.push_str("<p class=\"mb-1\">");
        for c in paragraph.chars() {
            match c {
                '\n' => out.push_str("<br/>"),
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '\u{a0}' => out.push_str("&nbsp;"),
                'é' => out.push_str("&eacute;"),
                'è' => out.push_str("&egrave;"),
                'à' => out.push_str("&agrave;"),
                'ù' => out.push_str("&ugrave;"),
                'ô' => out.push_str("&ocirc;"),
                'ê' => out.push_str("&ecirc;"),
                'â' => out.push_str("&acirc;"),
                'î' => out.push_str("&icirc;"),
                'ç' => out.push_str("&ccedil;"),
                '°' => out.push_str("&deg;"),
                // Raw line breaks and tabs are not text in HTML.
                '\r' => {}
                '\t' => out.push_str("&#9;"),
                c => out.push(c),
            }
        }
        out.push_str("</p>");
    }
    out
}

/// Tags that make a cell HTML rather than text with a stray `<`.
const STRUCTURE: &[&str] = &[
    "a",
    "b",
    "blockquote",
    "br",
    "div",
    "em",
    "font",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "i",
    "li",
    "ol",
    "p",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "td",
    "th",
    "tr",
    "u",
    "ul",
];

/// One tag: its lower-case name, whether it closes, and its attribute text.
struct Tag<'a> {
    name: String,
    closing: bool,
    attrs: &'a str,
}

fn parse_tag(inner: &str) -> Option<Tag<'_>> {
    let (closing, rest) = match inner.strip_prefix('/') {
        Some(r) => (true, r),
        None => (false, inner),
    };
    let name_len = rest
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(rest.len());
    if name_len == 0 {
        return None;
    }
    let name = rest[..name_len].to_ascii_lowercase();
    let attrs = rest[name_len..].trim_end_matches('/');
    // `<identifiant>` and `<date de naissance>` are placeholders, not tags;
    // a known name followed by something other than attributes neither.
    if !crate::render::markdown::is_markup(&format!("<{name}>")) {
        return None;
    }
    if !(attrs.is_empty() || attrs.starts_with(char::is_whitespace)) {
        return None;
    }
    Some(Tag {
        name,
        closing,
        attrs,
    })
}

fn has_markup(s: &str) -> bool {
    let mut rest = s;
    while let Some(at) = rest.find('<') {
        let tail = &rest[at + 1..];
        if let Some(end) = tail.find('>') {
            if let Some(tag) = parse_tag(&tail[..end]) {
                if STRUCTURE.binary_search(&tag.name.as_str()).is_ok() {
                    return true;
                }
            }
        }
        rest = tail;
    }
    false
}

/// The value of attribute `name` in a tag's attribute text, entities decoded.
fn attribute(attrs: &str, name: &str) -> Option<String> {
    let lower = attrs.to_ascii_lowercase();
    let mut from = 0;
    while let Some(found) = lower[from..].find(name) {
        let at = from + found;
        from = at + name.len();
        let before_ok = at == 0 || lower.as_bytes()[at - 1].is_ascii_whitespace();
        let after = lower[from..].trim_start();
        if !before_ok || !after.starts_with('=') {
            continue;
        }
        let value_start = attrs.len() - after.len() + 1;
        let value = attrs[value_start..].trim_start();
        let raw = match value.chars().next() {
            Some(q @ ('"' | '\'')) => value[1..].split(q).next().unwrap_or(""),
            _ => value.split(char::is_whitespace).next().unwrap_or(""),
        };
        return Some(html_escape::decode_html_entities(raw).into_owned());
    }
    None
}

/// Ends `out` with at least `n` line breaks (none at the very start).
fn ensure_breaks(out: &mut String, n: usize) {
    if out.is_empty() {
        return;
    }
    let have = out.len() - out.trim_end_matches('\n').len();
    for _ in have..n {
        out.push('\n');
    }
}

/// A text run between tags: entities decoded; the raw line breaks of the
/// HTML source are not text (a run of only them is dropped, one inside a
/// sentence is a space).
fn push_text(out: &mut String, chunk: &str) {
    if chunk.is_empty() {
        return;
    }
    let chunk = if chunk.contains(['\n', '\t']) {
        if chunk
            .trim_matches(|c| c == '\n' || c == '\t' || c == ' ')
            .is_empty()
        {
            return;
        }
        let trimmed = chunk
            .trim_start_matches(['\n', '\t'])
            .trim_end_matches(['\n', '\t']);
        Cow::Owned(trimmed.replace(['\n', '\t'], " "))
    } else {
        Cow::Borrowed(chunk)
    };
    out.push_str(&html_escape::decode_html_entities(&*chunk));
}

fn is_link_target(href: &str) -> bool {
    let lower = href.trim().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("mailto:")
}

fn html_to_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    // Open lists: `None` for bullets, `Some(next number)` for numbered ones.
    let mut lists: Vec<Option<u64>> = Vec::new();
    let mut link: Option<(String, usize)> = None;
    let mut rest = s;
    while let Some(at) = rest.find('<') {
        push_text(&mut out, &rest[..at]);
        let tail = &rest[at..];
        if let Some(comment) = tail.strip_prefix("<!--") {
            rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
            continue;
        }
        let Some(end) = tail.find('>') else {
            push_text(&mut out, tail);
            rest = "";
            break;
        };
        let Some(tag) = parse_tag(&tail[1..end]) else {
            // A placeholder such as `<identifiant>`: text.
            out.push('<');
            rest = &tail[1..];
            continue;
        };
        rest = &tail[end + 1..];
        match (tag.name.as_str(), tag.closing) {
            ("br", _) => out.push('\n'),
            ("p" | "div" | "blockquote" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "table", c) => {
                ensure_breaks(&mut out, if c { 2 } else { 1 });
            }
            ("tr", _) => ensure_breaks(&mut out, 1),
            ("td" | "th", false) if !out.is_empty() && !out.ends_with('\n') => {
                out.push_str(" | ");
            }
            ("ul", false) => {
                ensure_breaks(&mut out, 1);
                lists.push(None);
            }
            ("ol", false) => {
                ensure_breaks(&mut out, 1);
                let start = attribute(tag.attrs, "start")
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .unwrap_or(1);
                lists.push(Some(start));
            }
            ("ul" | "ol", true) => {
                lists.pop();
                ensure_breaks(&mut out, if lists.is_empty() { 2 } else { 1 });
            }
            ("li", false) => {
                ensure_breaks(&mut out, 1);
                let depth = lists.len().max(1);
                for _ in 1..depth {
                    out.push_str("  ");
                }
                match lists.last_mut() {
                    Some(Some(n)) => {
                        out.push_str(&format!("{n}. "));
                        *n = n.saturating_add(1);
                    }
                    _ => out.push_str("• "),
                }
            }
            ("a", false) => {
                link = attribute(tag.attrs, "href")
                    .filter(|h| is_link_target(h))
                    .map(|h| (h.trim().to_owned(), out.len()));
            }
            ("a", true) => {
                if let Some((href, start)) = link.take() {
                    let label = out[start..].trim().to_owned();
                    out.truncate(start);
                    if label.is_empty() || label == href {
                        out.push_str(&href);
                    } else {
                        let label = label.replace('[', "\\[").replace(']', "\\]");
                        out.push_str(&format!("[{label}](<{}>)", href.replace(['<', '>'], "")));
                    }
                }
            }
            ("strong" | "b", c) => out.push_str(if c { "</strong>" } else { "<strong>" }),
            ("em" | "i", c) => out.push_str(if c { "</em>" } else { "<em>" }),
            ("sup" | "sub", c) => {
                out.push_str(if c { "</" } else { "<" });
                out.push_str(&tag.name);
                out.push('>');
            }
            ("script" | "style", false) => {
                // Never text: their content goes with them.
                let close = format!("</{}", tag.name);
                let lower = rest.to_ascii_lowercase();
                rest = match lower.find(&close) {
                    Some(i) => rest[i..].find('>').map_or("", |e| &rest[i + e + 1..]),
                    None => "",
                };
            }
            // span, font, u and the rest carry no meaning for the reader.
            _ => {}
        }
    }
    push_text(&mut out, rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn structure_list_is_sorted_for_binary_search() {
        assert!(STRUCTURE.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn squash_paragraphs_lists_and_entities_read_as_the_pdf_shows_them() {
        let html = "<p class=\"mb-1\">Le syst&egrave;me DOIT utiliser&nbsp;:</p>\n<ul class=\"mb-1\">\n\t<li>soit le protocole DHE,</li>\n\t<li>soit ECDHE &ge; 256&nbsp;bits.</li>\n</ul>\n<p class=\"mb-1\">Si l&#39;op&eacute;rateur refuse,<br/>la connexion est rejet&eacute;e &agrave; 10&deg;.</p>";
        assert_eq!(
            decode(html),
            "Le système DOIT utiliser\u{a0}:\n\n• soit le protocole DHE,\n• soit ECDHE ≥ 256\u{a0}bits.\n\nSi l'opérateur refuse,\nla connexion est rejetée à 10°."
        );
    }

    #[test]
    fn numbered_lists_links_and_placeholders() {
        assert_eq!(
            decode("<ol start=\"3\"><li>un</li><li>deux</li></ol><p>Voir <a href=\"https://esante.gouv.fr/x?a=1&amp;b=2\">la page</a> et <a href=\"javascript:alert(1)\">ceci</a>, saisir &lt;NOM&gt; ou <identifiant></p>"),
            "3. un\n4. deux\n\nVoir [la page](<https://esante.gouv.fr/x?a=1&b=2>) et ceci, saisir <NOM> ou <identifiant>"
        );
        assert_eq!(
            decode("<p><a href=\"https://a.fr\">https://a.fr</a></p>"),
            "https://a.fr"
        );
    }

    #[test]
    fn scripts_go_with_their_content_and_plain_cells_are_untouched() {
        assert_eq!(decode("<p>a<script>alert(1)</script>b</p>"), "ab");
        assert!(matches!(decode("Texte sans balise"), Cow::Borrowed(_)));
        assert_eq!(decode("a &amp; b, x < y"), "a & b, x < y");
        assert_eq!(decode("ligne 1\r\nligne 2"), "ligne 1\nligne 2");
        assert_eq!(decode("<p>ouvert"), "ouvert");
        assert_eq!(decode("x <p"), "x <p");
    }

    #[test]
    fn encode_then_decode_gives_the_text_back() {
        use proptest::prelude::*;
        let texts = [
            "Le système DOIT :\n• 0xC030 : TLS_ECDHE\n• soit DHE >= 2048 bits,\n\nSi l’Opérateur… <identifiant> & co",
            "Pour les LGC : \nLe système DOIT :\n- Soit A ;\n-Soit B",
            "a\n\n\nb",
            "[lien](<https://x.fr>) <strong>gras</strong> &amp; littéral",
        ];
        for t in texts {
            assert_eq!(decode(&encode(t)), t, "{t:?} → {:?}", encode(t));
        }
        proptest!(|(t in "[a-zé&<>;# \u{a0}\n•:-]{0,40}")| {
            let t = crate::text::trim(&t).to_owned();
            let back = decode(&encode(&t)).into_owned();
            prop_assert_eq!(back, t);
        });
    }
}
