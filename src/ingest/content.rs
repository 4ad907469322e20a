//! `content/**/*.md`: prose pages, Markdown with optional YAML front matter.

use std::sync::Arc;

use serde::Deserialize;

use super::{decode_or_report, parse_date, yaml_error};
use crate::diag::Diagnostics;
use crate::model::{locate_key, ContentPage, FrontMatter};
use crate::text::to_u32;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFront {
    title: Option<String>,
    description: Option<String>,
    weight: Option<i64>,
    date: Option<String>,
    template: Option<String>,
    #[serde(default)]
    draft: bool,
}

/// Splits `---\n<yaml>\n---\n<body>`; returns (front matter, body, line of the body).
fn split_front_matter(text: &str) -> Option<(&str, &str, u32)> {
    let rest = text.strip_prefix("---")?;
    let rest = rest
        .strip_prefix("\r\n")
        .or_else(|| rest.strip_prefix('\n'))?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            let front = &rest[..offset];
            let body = &rest[offset + line.len()..];
            // Opening line + front matter lines + closing line.
            let body_line = to_u32(front.matches('\n').count()) + 3;
            return Some((front, body, body_line));
        }
        offset += line.len();
    }
    None
}

/// Parses one page. `relative` is its path below `content/`.
pub fn parse_page(
    file: &Arc<str>,
    relative: &str,
    bytes: &[u8],
    diags: &mut Diagnostics,
) -> Option<ContentPage> {
    let text = decode_or_report(file, bytes, diags)?;
    let (front_text, body, body_line) = match split_front_matter(&text) {
        Some(parts) => parts,
        None if text.starts_with("---") => {
            diags.error(
                crate::diag::Location::new(file, 1, 1),
                "en-tête YAML ouvert par « --- » jamais refermé par une ligne « --- »",
            );
            return None;
        }
        None => ("", text.as_str(), 1),
    };
    let mut front = FrontMatter::default();
    if !front_text.trim().is_empty() {
        let raw: RawFront = match serde_yaml::from_str(front_text) {
            Ok(raw) => raw,
            Err(err) => {
                // The front matter starts on line 2 of the file.
                diags.push(yaml_error(file, &err, 1));
                return None;
            }
        };
        let date = match raw.date {
            Some(d) => match parse_date(&d) {
                Ok(d) => Some(d),
                Err(message) => {
                    let mut location = locate_key(file, front_text, "date");
                    location.line += 1;
                    diags.error(location, message);
                    return None;
                }
            },
            None => None,
        };
        front = FrontMatter {
            title: raw.title,
            description: raw.description,
            weight: raw.weight,
            date,
            template: raw.template,
            draft: raw.draft,
        };
    }
    Some(ContentPage {
        path: relative.to_owned(),
        front,
        body: body.to_owned(),
        body_line,
        file: Arc::clone(file),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(text: &str) -> (Option<ContentPage>, String) {
        let mut d = Diagnostics::new();
        let f: Arc<str> = Arc::from("content/p.md");
        let p = parse_page(&f, "p.md", text.as_bytes(), &mut d);
        (p, d.render())
    }

    #[test]
    fn front_matter_and_body() {
        let (p, d) =
            page("---\ntitle: Déposer ses preuves\nweight: 2\ndate: 2026-05-12\n---\n# Titre\n");
        assert_eq!(d, "");
        let p = p.unwrap();
        assert_eq!(p.front.title.as_deref(), Some("Déposer ses preuves"));
        assert_eq!(p.front.weight, Some(2));
        assert_eq!(p.body, "# Titre\n");
        assert_eq!(p.body_line, 6);
    }

    #[test]
    fn no_front_matter_is_fine() {
        let (p, _) = page("# Seul\n");
        assert_eq!(p.unwrap().front, FrontMatter::default());
    }

    #[test]
    fn unknown_key_is_located_in_the_file() {
        let (p, d) = page("---\ntitle: x\ntitel: y\n---\n");
        assert!(p.is_none());
        assert_eq!(
            d,
            "content/p.md:3:1: error: clé inconnue « titel »\n  = aide : vouliez-vous dire « title » ?\n"
        );
    }

    #[test]
    fn bad_date_and_unclosed_front_matter() {
        let (_, d) = page("---\ntitle: x\ndate: 12 mai\n---\n");
        assert_eq!(
            d,
            "content/p.md:3:7: error: date « 12 mai » invalide : AAAA-MM-JJ attendu (ex. 2026-06-03)\n"
        );
        let (_, d) = page("---\ntitle: x\n");
        assert!(d.contains("jamais refermé"), "{d}");
    }
}
