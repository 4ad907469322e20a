//! The pages written in `content/` (Markdown), with their links to
//! other pages resolved.

use super::*;

/// Resolves `.md` links of a page to the pages they become.
pub(super) struct ContentLinks<'p> {
    dir: &'p str,
    root: String,
}

impl<'p> ContentLinks<'p> {
    pub(super) fn new(page: &'p ContentPage, output: &str) -> Self {
        ContentLinks {
            dir: content_dir(&page.path),
            root: root_of(output),
        }
    }
}

impl LinkResolver for ContentLinks<'_> {
    fn resolve(&self, dest: &str) -> Option<String> {
        if dest.contains("://")
            || dest.starts_with('/')
            || dest.starts_with('#')
            || dest.contains(':')
        {
            return None;
        }
        let (path, fragment) = match dest.split_once('#') {
            Some((p, f)) => (p, format!("#{f}")),
            None => (dest, String::new()),
        };
        if !path.ends_with(".md") {
            return None;
        }
        let mut parts: Vec<&str> = self.dir.split('/').filter(|s| !s.is_empty()).collect();
        for seg in path.split('/') {
            match seg {
                "" | "." => {}
                ".." => {
                    parts.pop()?;
                }
                s => parts.push(s),
            }
        }
        Some(format!(
            "{}{}{fragment}",
            self.root,
            href(&content_output(&parts.join("/")))
        ))
    }
}

/// A direct child of the section folder `dir` (`a/`): `a/x.md` or `a/y/_index.md`.
fn is_child(dir: &str, path: &str) -> bool {
    let Some(rest) = path.strip_prefix(dir) else {
        return false;
    };
    match rest.split_once('/') {
        None => rest != "_index.md",
        Some((_, tail)) => tail == "_index.md",
    }
}

impl Plan<'_> {
    pub(super) fn content(&self, entry: &PageEntry<'_>) -> Result<Vec<OutputFile>, Diagnostic> {
        let page = entry.page;
        let is_section = page.path.ends_with("_index.md");
        let mut crumbs = vec![Self::home_crumb()];
        // Ancestor sections that exist.
        let mut dir = content_dir(&page.path).to_owned();
        if is_section {
            dir = content_dir(dir.trim_end_matches('/')).to_owned();
        }
        let mut ancestors = Vec::new();
        while !dir.is_empty() {
            if let Some(p) = self
                .page_index
                .get(format!("{dir}_index.md").as_str())
                .map(|&i| &self.pages[i])
            {
                ancestors.push(Link {
                    title: p.title.clone(),
                    url: p.href.clone(),
                });
            }
            dir = content_dir(dir.trim_end_matches('/')).to_owned();
        }
        crumbs.extend(ancestors.into_iter().rev());
        let children = if is_section {
            let section_dir = content_dir(&page.path);
            let mut children: Vec<&PageEntry<'_>> = self
                .pages
                .iter()
                .filter(|p| p.page.path != page.path && is_child(section_dir, &p.page.path))
                .collect();
            children.sort_by(|a, b| order_key(a).cmp(&order_key(b)));
            let root = root_of(&entry.output);
            children
                .into_iter()
                .map(|p| PageLink {
                    title: p.title.clone(),
                    url: format!("{root}{}", p.href),
                    description: p.page.front.description.clone(),
                })
                .collect()
        } else {
            Vec::new()
        };
        let view = ContentView {
            layout: self.layout(
                &entry.output,
                &entry.title,
                page.front.description.as_deref(),
                crumbs,
            ),
            body_html: markdown::page_html(&page.body, &ContentLinks::new(page, &entry.output)),
            date: page.front.date.map(french::date),
            children,
        };
        let template = page.front.template.as_deref().unwrap_or(if is_section {
            "section.html"
        } else {
            "page.html"
        });
        Ok(vec![self.html(template, entry.output.clone(), &view)?])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_children() {
        assert!(is_child("a/", "a/x.md") && is_child("a/", "a/y/_index.md"));
        assert!(!is_child("a/", "a/y/z.md") && !is_child("a/", "a/_index.md"));
    }

    #[test]
    fn md_links_point_to_generated_pages() {
        let links = ContentLinks {
            dir: "parcours/",
            root: "../../".to_owned(),
        };
        assert_eq!(
            links.resolve("preuves-derogatoires.md#cnda").as_deref(),
            Some("../../parcours/preuves-derogatoires/index.html#cnda")
        );
        assert_eq!(
            links.resolve("../equivalence-des-preuves.md").as_deref(),
            Some("../../equivalence-des-preuves/index.html")
        );
        assert_eq!(
            links.resolve("_index.md").as_deref(),
            Some("../../parcours/index.html")
        );
        assert_eq!(links.resolve("https://esante.gouv.fr/a.md"), None);
        assert_eq!(links.resolve("../../../x.md"), None);
    }
}
