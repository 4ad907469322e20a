//! The chapter pages of a REM release: one per chapter, with its
//! requirements, scenarios and proofs (the guide and the archived releases
//! list them and keep the index of numbers).

use super::*;

impl Plan<'_> {
    /// One page per chapter of `view`, in `dir` (`dispositifs/X/`), under
    /// the guide's or the archived release's page `index`.
    pub(super) fn chapter_pages(
        &self,
        guide: &Guide<'_>,
        view: &RemView,
        index: &Link,
        archived: bool,
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        let dir = guide.dir();
        let count = view.chapters.len();
        let link = |i: usize| {
            view.chapters.get(i).map(|c| Link {
                title: c.title.clone(),
                url: c.url.rsplit('/').next().unwrap_or_default().to_owned(),
            })
        };
        view.chapters
            .iter()
            .enumerate()
            .map(|(i, chapter)| {
                let path = format!("{dir}{}", chapter.url);
                let title = format!("{} — {}", guide.code, chapter.title);
                let page = ChapterPageView {
                    layout: self.layout(
                        &path,
                        &title,
                        Some(&format!(
                            "Exigences, scénarios et preuves du chapitre « {} » du REM {} {}",
                            chapter.title, guide.code, view.version
                        )),
                        vec![Self::home_crumb(), index.clone()],
                    ),
                    archived,
                    current_version: guide.current().map(|r| r.version.to_string()),
                    version: &view.version,
                    index_url: format!("../{}", index.url.rsplit('/').next().unwrap_or_default()),
                    chapter,
                    count,
                    previous: i.checked_sub(1).and_then(link),
                    next: link(i + 1),
                };
                self.html("chapter.html", path, &page)
            })
            .collect()
    }
}
