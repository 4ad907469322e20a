//! The page of an earlier REM release of a dispositif.

use super::*;

impl Plan<'_> {
    pub(super) fn archive(
        &self,
        guide: &Guide<'_>,
        i: usize,
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        let rem = &guide.rems[i];
        let dir = format!("dispositifs/{}/", guide.code);
        let path = format!("{dir}rem-{}.html", rem.version);
        let title = format!(
            "{} — REM {} (publication précédente)",
            guide.code, rem.version
        );
        let (guichets, derogatory) = Self::guichets(Some(rem));
        let pages = pages_of(rem, &format!("rem-{}", rem.version));
        let view = GuideView {
            layout: self.layout(
                &path,
                &title,
                None,
                vec![
                    Self::home_crumb(),
                    Link {
                        title: Self::guide_title(guide),
                        url: guide.url(),
                    },
                ],
            ),
            archived: true,
            current_version: guide.current().map(|r| r.version.to_string()),
            dsr: None,
            prose_html: None,
            guichets,
            derogatory,
            rem: Some(self.rem_view(rem, &pages, false)),
            csv_url: format!("exigences-{}.csv", rem.version),
            releases: Vec::new(),
            changelogs: Vec::new(),
        };
        let mut files = vec![self.html("guide.html", path.clone(), &view)?];
        if let Some(rem) = &view.rem {
            let index = Link {
                title: format!("REM {}", rem.version),
                url: path,
            };
            files.extend(self.chapter_pages(guide, rem, &index, true)?);
        }
        files.push(OutputFile {
            path: format!("{dir}exigences-{}.csv", rem.version),
            bytes: render::csv::rem(&rem.rows),
        });
        Ok(files)
    }
}
