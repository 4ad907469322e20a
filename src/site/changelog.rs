//! What changed between two consecutive REM releases of a dispositif.

use super::*;

impl Plan<'_> {
    /// Links to the changelog pages of `code`, newest first, relative to `from`.
    pub(super) fn changelog_links(&self, code: &DispositifCode, from: &str) -> Vec<Link> {
        let root = root_of(from);
        self.changelogs
            .get(code)
            .map(|diffs| {
                diffs
                    .iter()
                    .rev()
                    .map(|d| Link {
                        title: format!("REM {} → {}", d.old, d.new),
                        url: format!("{root}changelog/{code}/{}--{}.html", d.old, d.new),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    pub(super) fn changelog(
        &self,
        code: &DispositifCode,
        i: usize,
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        let d = &self.changelogs[code][i];
        let path = format!("changelog/{code}/{}--{}.html", d.old, d.new);
        let guide = &self.guides[code];
        let is_current = i + 2 == guide.rems.len();
        let root = root_of(&path);
        // The current release's pages are laid out once; an older one's
        // here, to link into its archived chapter pages.
        let owned;
        let pages = if is_current {
            &guide.pages
        } else {
            let rem = &guide.rems[i + 1];
            owned = pages_of(rem, &format!("rem-{}", rem.version));
            &owned
        };
        let dir = format!("{root}{}", guide.dir());
        let index = if is_current {
            "index.html".to_owned()
        } else {
            format!("rem-{}.html", d.new)
        };
        let link = |id: &str| -> Option<String> {
            Some(match pages.targets.get(id) {
                Some(t) => format!("{dir}{t}"),
                None => format!("{dir}{index}#{id}"),
            })
        };
        let title = format!("Évolutions du REM {code} : {} → {}", d.old, d.new);
        let view = ChangelogView {
            layout: self.layout(
                &path,
                &title,
                Some("Exigences ajoutées, supprimées, modifiées, renumérotées et déplacées entre deux publications du REM"),
                vec![Self::home_crumb(), Link { title: Self::guide_title(guide), url: guide.url() }],
            ),
            diff: crate::render::diff::view(d, &link),
            counts: crate::render::diff::counts(d),
        };
        Ok(vec![self.html("changelog.html", path, &view)?])
    }
}
