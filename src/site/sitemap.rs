//! `sitemap.xml` of the published pages.

use super::*;

use super::feed::xml_escape;

impl Plan<'_> {
    pub(super) fn sitemap(&self, files: &[String]) -> OutputFile {
        let base = self
            .project
            .site
            .base_url
            .as_deref()
            .unwrap_or("")
            .trim_end_matches('/');
        let mut paths: Vec<&str> = files
            .iter()
            .map(String::as_str)
            // Candidatures are private: never in the sitemap.
            .filter(|p| p.ends_with(".html") && !p.starts_with("candidatures/") && *p != "404.html")
            .collect();
        paths.sort_unstable();
        let lastmod = &self.date_iso;
        let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for p in paths {
            let loc = p.strip_suffix("index.html").unwrap_or(p);
            xml.push_str(&format!(
                "  <url><loc>{}/{}</loc><lastmod>{lastmod}</lastmod></url>\n",
                xml_escape(base),
                xml_escape(&href(loc))
            ));
        }
        xml.push_str("</urlset>\n");
        OutputFile {
            path: "sitemap.xml".to_owned(),
            bytes: xml.into_bytes(),
        }
    }
}
