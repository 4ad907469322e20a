//! Renderers: typed views in, bytes out. Nothing here touches the file
//! system; [`crate::site`] decides what is written where.

pub mod attestation;
pub mod blocks;
pub mod checklist_xlsx;
pub mod convention;
pub mod csv;
pub mod diff;
pub mod docx;
pub mod french;
pub mod markdown;
pub mod pdf;
pub mod preuves;
pub mod rem_file;
pub mod skeleton;

use std::sync::Arc;

use serde::Serialize;
use tera::Tera;

use crate::diag::{Diagnostics, Location};
use crate::model::TemplateSource;

/// The default templates and assets, embedded in the binary. A project's
/// `templates/` overrides them file by file.
pub const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("home.html", include_str!("../../templates/home.html")),
    ("page.html", include_str!("../../templates/page.html")),
    ("section.html", include_str!("../../templates/section.html")),
    ("guide.html", include_str!("../../templates/guide.html")),
    ("chapter.html", include_str!("../../templates/chapter.html")),
    ("search.html", include_str!("../../templates/search.html")),
    (
        "accessibility.html",
        include_str!("../../templates/accessibility.html"),
    ),
    ("404.html", include_str!("../../templates/404.html")),
    (
        "candidature-chapter.html",
        include_str!("../../templates/candidature-chapter.html"),
    ),
    (
        "nature-filter.html",
        include_str!("../../templates/nature-filter.html"),
    ),
    (
        "masked-table.html",
        include_str!("../../templates/masked-table.html"),
    ),
    (
        "equivalences.html",
        include_str!("../../templates/equivalences.html"),
    ),
    (
        "candidatures.html",
        include_str!("../../templates/candidatures.html"),
    ),
    (
        "candidature.html",
        include_str!("../../templates/candidature.html"),
    ),
    (
        "attestation.md.tera",
        include_str!("../../templates/attestation.md.tera"),
    ),
    (
        "convention.html",
        include_str!("../../templates/convention.html"),
    ),
    (
        "convention.md.tera",
        include_str!("../../templates/convention.md.tera"),
    ),
    (
        "diff-body.html",
        include_str!("../../templates/diff-body.html"),
    ),
    ("diff.html", include_str!("../../templates/diff.html")),
    (
        "changelog.html",
        include_str!("../../templates/changelog.html"),
    ),
    (
        "equivalence-pair.html",
        include_str!("../../templates/equivalence-pair.html"),
    ),
];

/// The default assets (`templates/assets/…`), copied to `output/assets/`.
pub const DEFAULT_ASSETS: &[(&str, &str)] = &[
    (
        "style.css",
        include_str!("../../templates/assets/style.css"),
    ),
    ("site.js", include_str!("../../templates/assets/site.js")),
    (
        "favicon.svg",
        include_str!("../../templates/assets/favicon.svg"),
    ),
];

/// The templates, compiled once and shared by every rendering thread.
#[derive(Debug)]
pub struct Templates {
    tera: Tera,
    /// Where each template came from, for error messages.
    origins: Vec<(String, Arc<str>)>,
}

impl Templates {
    /// Compiles the defaults overridden by the project's templates. Errors
    /// (syntax, unknown parent) are reported against the project's file.
    pub fn compile(project_templates: &[TemplateSource], diags: &mut Diagnostics) -> Option<Self> {
        let mut sources: Vec<(String, String, Arc<str>)> = DEFAULT_TEMPLATES
            .iter()
            .map(|(name, text)| {
                (
                    (*name).to_owned(),
                    (*text).to_owned(),
                    Arc::from(format!("<modèle intégré {name}>")),
                )
            })
            .collect();
        for t in project_templates {
            match sources.iter_mut().find(|(name, _, _)| *name == t.name) {
                Some(slot) => *slot = (t.name.clone(), t.text.clone(), t.file.clone()),
                None => sources.push((t.name.clone(), t.text.clone(), t.file.clone())),
            }
        }
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".htm", ".xml"]);
        let raw: Vec<(&str, &str)> = sources
            .iter()
            .map(|(n, t, _)| (n.as_str(), t.as_str()))
            .collect();
        if let Err(err) = tera.add_raw_templates(raw) {
            let text = error_chain(&err);
            // Tera names the faulty template in quotes and gives ` --> line:col`.
            let culprit = sources.iter().find(|(name, _, _)| {
                text.contains(&format!("'{name}'")) || text.contains(&format!("\"{name}\""))
            });
            let location = match culprit {
                Some((_, _, file)) => {
                    let (line, column) = parse_position(&text).unwrap_or((0, 0));
                    Location::new(file, line, column)
                }
                None => Location::file(&Arc::from("templates/")),
            };
            diags.error(
                location,
                format!(
                    "modèle invalide : {}",
                    text.split_whitespace().collect::<Vec<_>>().join(" ")
                ),
            );
            return None;
        }
        let origins = sources.into_iter().map(|(n, _, f)| (n, f)).collect();
        Some(Templates { tera, origins })
    }

    /// True when a template of this name exists.
    pub fn has(&self, name: &str) -> bool {
        self.tera.get_template_names().any(|n| n == name)
    }

    /// Renders `name` with a view; the error names the template's file.
    pub fn render<V: Serialize>(&self, name: &str, view: &V) -> Result<String, (Arc<str>, String)> {
        let origin = self
            .origins
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, f)| f.clone())
            .unwrap_or_else(|| Arc::from(name));
        let context = tera::Context::from_serialize(view)
            .map_err(|err| (origin.clone(), error_chain(&err)))?;
        let text = self
            .tera
            .render(name, &context)
            .map_err(|err| (origin, format!("rendu impossible : {}", error_chain(&err))))?;
        // Every HTML page gets French typography (non-breaking spaces
        // before double punctuation and inside « », apostrophes of titles).
        Ok(if name.ends_with(".html") {
            french::typography(&text)
        } else {
            text
        })
    }
}

/// ` --> 3:12` in a Tera parse error.
fn parse_position(text: &str) -> Option<(u32, u32)> {
    let rest = &text[text.find("--> ")? + 4..];
    let (line, rest) = rest.split_once(':')?;
    let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some((line.trim().parse().ok()?, column.parse().ok()?))
}

/// Tera's errors nest their cause; the useful part is at the bottom.
fn error_chain(err: &tera::Error) -> String {
    let mut text = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        text.push_str(" : ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every template and asset of the repository's `templates/` is
    /// embedded, so that a project without its own templates gets them all.
    #[test]
    fn every_default_template_and_asset_is_embedded() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".html") || n.ends_with(".tera"))
            .collect();
        on_disk.sort();
        let mut embedded: Vec<String> = DEFAULT_TEMPLATES
            .iter()
            .map(|(n, _)| (*n).to_owned())
            .collect();
        embedded.sort();
        assert_eq!(on_disk, embedded);
        let mut assets: Vec<String> = std::fs::read_dir(dir.join("assets"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assets.sort();
        let mut embedded: Vec<String> = DEFAULT_ASSETS
            .iter()
            .map(|(n, _)| (*n).to_owned())
            .collect();
        embedded.sort();
        assert_eq!(assets, embedded);
        let mut diags = Diagnostics::new();
        assert!(
            Templates::compile(&[], &mut diags).is_some(),
            "{}",
            diags.render()
        );
    }
}
