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
            rem: Some(self.rem_view(guide, rem, false)),
            csv_url: format!("exigences-{}.csv", rem.version),
            releases: Vec::new(),
            changelogs: Vec::new(),
        };
        Ok(vec![
            self.html("guide.html", path, &view)?,
            OutputFile {
                path: format!("{dir}exigences-{}.csv", rem.version),
                bytes: render::csv::rem(&rem.rows),
            },
        ])
    }
}
