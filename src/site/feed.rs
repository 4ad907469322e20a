//! The Atom feed of each REM's releases (`changelog/<CODE>.atom`), so that
//! éditeurs and consultants subscribe instead of polling.

use super::*;

/// Escapes text for XML content and attributes.
pub(super) fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

impl Plan<'_> {
    /// The feed of `code`, if it has changelogs: its path and title.
    pub(super) fn feed_of(&self, code: &str) -> Option<(String, String)> {
        let diffs = self.changelogs.get(code)?;
        if diffs.is_empty() {
            return None;
        }
        let guide = self.guides.get(code)?;
        Some((
            format!("changelog/{code}.atom"),
            format!("Évolutions du REM {}", Self::guide_title(guide)),
        ))
    }

    /// The feeds a page at `path` declares in its head: its dispositif's
    /// on a guide, chapter or changelog page; every feed on the home page.
    pub(super) fn feeds_for(&self, path: &str) -> Vec<Link> {
        let codes: Vec<&str> = if path == "index.html" {
            self.changelogs.keys().map(DispositifCode::as_str).collect()
        } else {
            path.strip_prefix("dispositifs/")
                .or_else(|| path.strip_prefix("changelog/"))
                .and_then(|rest| rest.split('/').next())
                .filter(|code| path.matches('/').count() >= 2 && !code.is_empty())
                .into_iter()
                .collect()
        };
        codes
            .into_iter()
            .filter_map(|code| self.feed_of(code))
            .map(|(feed, title)| Link {
                title,
                url: self.link(path, &feed),
            })
            .collect()
    }

    /// `changelog/<CODE>.atom`: Atom 1.0, one entry per release, newest
    /// first, linking to its changelog page. The REM files carry no
    /// publication date, so every date is the build's.
    pub(super) fn feed(&self, code: &DispositifCode) -> Vec<OutputFile> {
        let Some((path, title)) = self.feed_of(code.as_str()) else {
            return Vec::new();
        };
        let site = &self.project.site;
        // Absolute addresses when the site has one; else relative to the
        // feed's folder (`changelog/`), which Atom allows.
        let prefix = match &site.base_url {
            Some(base) => format!("{base}/"),
            None => "../".to_owned(),
        };
        let url = |p: &str| format!("{prefix}{p}");
        let id = match &site.base_url {
            Some(_) => url(&path),
            None => format!("urn:segurdoc:changelog:{code}"),
        };
        let updated = format!("{}T00:00:00Z", self.date_iso);
        let guide = &self.guides[code];
        let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"fr\">\n");
        xml.push_str(&format!("  <title>{}</title>\n", xml_escape(&title)));
        xml.push_str(&format!(
            "  <subtitle>{}</subtitle>\n",
            xml_escape(&site.title)
        ));
        xml.push_str(&format!("  <id>{}</id>\n", xml_escape(&id)));
        if site.base_url.is_some() {
            xml.push_str(&format!(
                "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
                xml_escape(&url(&path))
            ));
        }
        xml.push_str(&format!(
            "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            xml_escape(&url(&guide.url()))
        ));
        xml.push_str(&format!("  <updated>{updated}</updated>\n"));
        xml.push_str(&format!(
            "  <author><name>{}</name></author>\n  <generator>segurdoc</generator>\n",
            xml_escape(&site.publisher)
        ));
        for d in self.changelogs[code].iter().rev() {
            let page = format!("changelog/{code}/{}--{}.html", d.old, d.new);
            let c = crate::render::diff::counts(d);
            let plural =
                |n: usize, one: &str, many: &str| format!("{n} {}", if n > 1 { many } else { one });
            let summary = format!(
                "Du REM {} au REM {} : {}, {}, {}, {}, {}, {} aux espaces près ; {}.",
                d.old,
                d.new,
                plural(c.added, "exigence ajoutée", "exigences ajoutées"),
                plural(c.removed, "supprimée", "supprimées"),
                plural(c.reworded, "modifiée", "modifiées"),
                plural(c.renamed, "renumérotée", "renumérotées"),
                plural(c.moved, "déplacée", "déplacées"),
                c.whitespace,
                plural(d.unchanged, "inchangée", "inchangées"),
            );
            let entry_id = match &site.base_url {
                Some(_) => url(&page),
                None => format!("urn:segurdoc:changelog:{code}:{}--{}", d.old, d.new),
            };
            xml.push_str("  <entry>\n");
            xml.push_str(&format!(
                "    <title>{}</title>\n",
                xml_escape(&format!("{code} : REM {} → {}", d.old, d.new))
            ));
            xml.push_str(&format!("    <id>{}</id>\n", xml_escape(&entry_id)));
            xml.push_str(&format!(
                "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
                xml_escape(&url(&page))
            ));
            xml.push_str(&format!("    <updated>{updated}</updated>\n"));
            xml.push_str(&format!(
                "    <summary>{}</summary>\n",
                xml_escape(&summary)
            ));
            xml.push_str("  </entry>\n");
        }
        xml.push_str("</feed>\n");
        vec![OutputFile {
            path,
            bytes: xml.into_bytes(),
        }]
    }
}
