//! The home page: the dispositifs with their guides, the equivalence
//! lists and the pages of `content/`.

use super::*;

impl Plan<'_> {
    pub(super) fn summary(&self, d: &Dispositif, from: &str) -> DispositifSummary {
        let guide = self.guides.get(&d.code);
        let root = root_of(from);
        DispositifSummary {
            code: d.code.to_string(),
            nom: d.nom.clone(),
            couloir: d.couloir.clone(),
            guide_url: guide.map(|g| format!("{root}{}", g.url())),
            rem_version: guide
                .and_then(|g| g.current())
                .map(|r| r.version.to_string()),
            profils: crate::model::Profile::list(&d.profils),
            ouverture: d
                .ouverture
                .map(french::date)
                .unwrap_or_else(|| "—".to_owned()),
            date1: d
                .deadlines
                .as_ref()
                .map(|x| french::datetime(x.date1))
                .unwrap_or_else(|| "—".to_owned()),
            date2: d
                .deadlines
                .as_ref()
                .map(|x| french::datetime(x.date2))
                .unwrap_or_else(|| "—".to_owned()),
            date3: d
                .deadlines
                .as_ref()
                .map(|x| french::datetime(x.date3))
                .unwrap_or_else(|| "—".to_owned()),
            changelogs: self.changelog_links(&d.code, from),
        }
    }

    pub(super) fn home(&self) -> Result<Vec<OutputFile>, Diagnostic> {
        let path = "index.html";
        let vague2: Vec<&Dispositif> = self
            .project
            .catalogue
            .dispositifs
            .iter()
            .filter(|d| d.vague == crate::model::Vague::Deux)
            .collect();
        let mut couloirs: Vec<CouloirView> = Vec::new();
        for d in &vague2 {
            let summary = self.summary(d, path);
            match couloirs.iter_mut().find(|c| c.name == d.couloir) {
                Some(c) => c.dispositifs.push(summary),
                None => couloirs.push(CouloirView {
                    name: d.couloir.clone(),
                    dispositifs: vec![summary],
                }),
            }
        }
        let calendar = vague2
            .iter()
            .filter(|d| d.deadlines.is_some() || d.ouverture.is_some())
            .map(|d| self.summary(d, path))
            .collect();
        let other_guides = self
            .guides
            .values()
            .filter(|g| g.dsr.is_none_or(|d| d.vague != crate::model::Vague::Deux))
            .map(|g| DispositifSummary {
                code: g.code.to_string(),
                nom: g.dsr.map(|d| d.nom.clone()).unwrap_or_default(),
                couloir: String::new(),
                guide_url: Some(g.url()),
                rem_version: g.current().map(|r| r.version.to_string()),
                profils: String::new(),
                ouverture: String::new(),
                date1: String::new(),
                date2: String::new(),
                date3: String::new(),
                changelogs: self.changelog_links(&g.code, "index.html"),
            })
            .collect();
        let mut sections: Vec<&PageEntry<'_>> = self
            .pages
            .iter()
            .filter(|p| is_top_level(&p.page.path))
            .collect();
        sections.sort_by(|a, b| order_key(a).cmp(&order_key(b)));
        let intro = self.home_intro;
        let title = intro
            .and_then(|p| p.front.title.clone())
            .unwrap_or_else(|| self.project.site.title.clone());
        let description = intro
            .and_then(|p| p.front.description.clone())
            .or_else(|| self.project.site.description.clone());
        let view = HomeView {
            layout: self.layout(path, &title, description.as_deref(), Vec::new()),
            intro_html: intro.map(|p| markdown::page_html(&p.body, &ContentLinks::new(p, path))),
            couloirs,
            calendar,
            other_guides,
            has_equivalences: !self.project.equivalences.is_empty(),
            sections: sections
                .into_iter()
                .map(|p| PageLink {
                    title: p.title.clone(),
                    url: p.href.clone(),
                    description: p.page.front.description.clone(),
                })
                .collect(),
        };
        let template = intro
            .and_then(|p| p.front.template.as_deref())
            .unwrap_or("home.html");
        Ok(vec![self.html(template, path.to_owned(), &view)?])
    }
}
