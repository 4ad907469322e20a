//! Dates and numbers written the French way.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};

const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// `1er octobre 2026`, `15 mars 2028`.
pub fn date(d: NaiveDate) -> String {
    let day = if d.day() == 1 {
        "1er".to_owned()
    } else {
        d.day().to_string()
    };
    format!("{day} {} {}", MONTHS[d.month0() as usize], d.year())
}

/// `1er octobre 2026 à 12h00`.
pub fn datetime(d: NaiveDateTime) -> String {
    format!("{} à {}h{:02}", date(d.date()), d.hour(), d.minute())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_dates() {
        let d = NaiveDate::from_ymd_opt(2026, 10, 1).unwrap();
        assert_eq!(date(d), "1er octobre 2026");
        assert_eq!(
            date(NaiveDate::from_ymd_opt(2028, 8, 15).unwrap()),
            "15 août 2028"
        );
        assert_eq!(
            datetime(d.and_hms_opt(12, 5, 0).unwrap()),
            "1er octobre 2026 à 12h05"
        );
    }
}

/// Elements whose text is kept as written: code, and what is not text.
const VERBATIM: &[&str] = &["code", "pre", "script", "style", "textarea", "kbd", "samp"];

/// Elements whose text is a title: apostrophes there become typographic.
const TITLES: &[&str] = &["title", "h1", "h2", "h3", "h4", "h5", "h6"];

/// French typography on a rendered HTML page, in its text only (tags,
/// attributes, comments and code are left alone):
///
/// - the spaces before `;`, `!` and `?` become a narrow no-break space,
///   before `:` a no-break space, so that no line starts with « ; le cas
///   échéant » or « : »;
/// - `«` and `»` hold their text with a no-break space (added when missing);
/// - in titles (`<title>`, `<h1>`…`<h6>`) an apostrophe between two letters
///   is typographic (`l’INS`).
pub fn typography(html: &str) -> String {
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len() + html.len() / 32);
    let mut verbatim: Option<&str> = None;
    let mut titles = 0u32;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'<' {
            let end = if html[i..].starts_with("<!--") {
                html[i..].find("-->").map_or(bytes.len(), |e| i + e + 3)
            } else {
                memchr::memchr(b'>', &bytes[i..]).map_or(bytes.len(), |e| i + e + 1)
            };
            let tag = &html[i..end];
            let closing = tag.starts_with("</");
            let name: String = tag
                .trim_start_matches('<')
                .trim_start_matches('/')
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .map(|c| c.to_ascii_lowercase())
                .collect();
            match verbatim {
                Some(v) => {
                    if closing && name == v {
                        verbatim = None;
                    }
                }
                None => {
                    if !closing && !tag.ends_with("/>") {
                        verbatim = VERBATIM.iter().copied().find(|v| *v == name);
                    }
                    if TITLES.contains(&name.as_str()) {
                        titles = if closing {
                            titles.saturating_sub(1)
                        } else {
                            titles + 1
                        };
                    }
                }
            }
            out.push_str(tag);
            i = end;
            continue;
        }
        let next = memchr::memchr(b'<', &bytes[i..]).map_or(bytes.len(), |e| i + e);
        let text = &html[i..next];
        if verbatim.is_some() {
            out.push_str(text);
        } else {
            fix_text(text, titles > 0, &mut out);
        }
        i = next;
    }
    out
}

/// An apostrophe as HTML may write it, at the start of `s`: its length.
fn apostrophe(s: &str) -> Option<usize> {
    ["'", "&#x27;", "&#39;"]
        .into_iter()
        .find(|a| s.starts_with(a))
        .map(str::len)
}

fn fix_text(text: &str, title: bool, out: &mut String) {
    let mut rest = text;
    let mut previous: Option<char> = None;
    while let Some(c) = rest.chars().next() {
        if c.is_whitespace() && c != '\u{202f}' {
            // A run of spaces: what follows decides.
            let run = rest
                .find(|x: char| !x.is_whitespace() || x == '\u{202f}')
                .unwrap_or(rest.len());
            let after = rest[run..].chars().next();
            match after {
                Some(';' | '!' | '?') => out.push('\u{202f}'),
                Some(':' | '»') => out.push('\u{a0}'),
                _ if previous == Some('«') => out.push('\u{a0}'),
                _ => out.push_str(&rest[..run]),
            }
            previous = Some(' ');
            rest = &rest[run..];
            continue;
        }
        if title && previous.is_some_and(char::is_alphabetic) {
            if let Some(len) = apostrophe(rest) {
                if rest[len..].chars().next().is_some_and(char::is_alphabetic) {
                    out.push('’');
                    previous = Some('’');
                    rest = &rest[len..];
                    continue;
                }
            }
        }
        if c == '»' && previous.is_some_and(|p| !p.is_whitespace()) {
            out.push('\u{a0}');
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
        if c == '«' && rest.chars().next().is_some_and(|n| !n.is_whitespace()) {
            out.push('\u{a0}');
        }
        previous = Some(c);
    }
}

#[cfg(test)]
mod typography_tests {
    use super::typography;

    #[test]
    fn spaces_before_double_punctuation_do_not_break() {
        assert_eq!(
            typography("<p>version candidate ; le cas échéant : oui ! non ?</p>"),
            "<p>version candidate\u{202f}; le cas échéant\u{a0}: oui\u{202f}! non\u{202f}?</p>"
        );
        // A soft line break of Markdown is a space too.
        assert_eq!(
            typography("<p>candidate\n; le cas</p>"),
            "<p>candidate\u{202f}; le cas</p>"
        );
        // No space, no change: URLs, times, IDs.
        assert_eq!(
            typography("<p>https://x.fr/?a=1 12:00</p>"),
            "<p>https://x.fr/?a=1 12:00</p>"
        );
    }

    #[test]
    fn guillemets_hold_their_text() {
        assert_eq!(
            typography("<p>« Éditeur »</p>"),
            "<p>«\u{a0}Éditeur\u{a0}»</p>"
        );
        assert_eq!(
            typography("<p>«Éditeur»</p>"),
            "<p>«\u{a0}Éditeur\u{a0}»</p>"
        );
    }

    #[test]
    fn apostrophes_are_typographic_in_titles_only() {
        assert_eq!(
            typography("<title>Déclaration d&#x27;accessibilité</title><h2 id=\"a\">L'INS</h2><p>l'INS</p>"),
            "<title>Déclaration d’accessibilité</title><h2 id=\"a\">L’INS</h2><p>l'INS</p>"
        );
    }

    #[test]
    fn tags_attributes_comments_and_code_are_left_alone() {
        let html = "<a title=\"a : b\" href=\"x?y\">lien</a><!-- a ; b --><code>a ; b</code><pre>x : y</pre><script>a ? b : c</script>";
        assert_eq!(typography(html), html);
        assert_eq!(
            typography("<p>a <code>b</code> ; c</p>"),
            "<p>a <code>b</code>\u{202f}; c</p>"
        );
    }
}
