//! The search index and its page.

use super::*;

/// An entry of the search index; short keys keep the file small.
#[derive(Serialize)]
struct SearchEntry {
    /// Title (an ID for requirements and proofs).
    t: String,
    /// URL from the site root.
    u: String,
    /// Kind.
    k: &'static str,
    /// Dispositif.
    #[serde(skip_serializing_if = "Option::is_none")]
    d: Option<String>,
    /// Excerpt.
    x: String,
}

impl Plan<'_> {
    /// `search-index.json`, and the same as a script for pages opened from disk.
    pub(super) fn search(&self) -> Vec<OutputFile> {
        let mut entries = Vec::new();
        for g in self.guides.values() {
            let url = g.url();
            let dir = g.dir();
            entries.push(SearchEntry {
                t: Self::guide_title(g),
                u: url.clone(),
                k: "dispositif",
                d: None,
                x: g.dsr.map(|d| d.couloir.clone()).unwrap_or_default(),
            });
            let Some(rem) = g.current() else { continue };
            let mut seen: BTreeSet<&str> = BTreeSet::new();
            for row in &rem.rows {
                if seen.insert(&row.exigence_id) {
                    entries.push(SearchEntry {
                        t: row.exigence_id.clone(),
                        u: format!("{dir}{}", g.target(&row.exigence_id)),
                        k: "exigence",
                        d: Some(g.code.to_string()),
                        x: markdown::plain_text(&row.exigence, 160),
                    });
                }
                entries.push(SearchEntry {
                    t: row.preuve_id.clone(),
                    u: format!("{dir}{}", g.target(&row.preuve_id)),
                    k: "preuve",
                    d: Some(g.code.to_string()),
                    x: markdown::plain_text(&row.preuve, 120),
                });
            }
        }
        for (a, b) in self.index.pairs().keys() {
            entries.push(SearchEntry {
                t: format!("Équivalences {a} et {b}"),
                u: format!("equivalences/{}", pair_file(a, b, "html")),
                k: "equivalence",
                d: None,
                x: String::new(),
            });
        }
        for c in &self.project.candidatures {
            entries.push(SearchEntry {
                t: format!("Candidature {}", c.id),
                u: format!("candidatures/{}/index.html", c.id),
                k: "candidature",
                d: Some(c.dispositif.to_string()),
                x: format!(
                    "{} {} — {}",
                    c.solution.nom,
                    c.solution.version,
                    c.noms_commerciaux
                        .iter()
                        .map(|n| n.nom.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            });
        }
        for p in &self.pages {
            entries.push(SearchEntry {
                t: p.title.clone(),
                u: p.output.clone(),
                k: "page",
                d: None,
                x: p.page
                    .front
                    .description
                    .clone()
                    .unwrap_or_else(|| markdown::plain_text(&p.page.body, 160)),
            });
        }
        let json = serde_json::to_string(&entries).unwrap_or_else(|_| "[]".to_owned());
        let script = format!("window.SEGURDOC_SEARCH={json};\n");
        vec![
            OutputFile {
                path: "search-index.json".to_owned(),
                bytes: json.into_bytes(),
            },
            OutputFile {
                path: "assets/search-index.js".to_owned(),
                bytes: script.into_bytes(),
            },
        ]
    }
}
