//! What a French public site owes its readers (RGAA): the accessibility
//! statement, and the page a static host shows for a missing address.

use super::*;

impl Plan<'_> {
    /// `accessibilite/index.html`: the statement the RGAA requires, after
    /// its model. Without an audit in `site.yaml` the site is « non
    /// conforme », as the RGAA rules (the automated checks are reported,
    /// not turned into a rate).
    pub(super) fn accessibility(&self) -> Result<OutputFile, Diagnostic> {
        let path = "accessibilite/index.html";
        let site = &self.project.site;
        let audit = site.accessibility.audit.as_ref();
        let contact = site.accessibility.contact.clone();
        let contact_url = contact.as_ref().map(|c| {
            if c.contains("://") {
                c.clone()
            } else {
                format!("mailto:{c}")
            }
        });
        let view = AccessibilityView {
            layout: self.layout(
                path,
                "Déclaration d'accessibilité",
                Some("État de conformité du site au référentiel général d'amélioration de l'accessibilité (RGAA)"),
                vec![Self::home_crumb()],
            ),
            publisher: site.publisher.clone(),
            base_url: site.base_url.clone(),
            level: site.accessibility.level().to_owned(),
            audit: audit.map(|a| AuditView {
                date: french::date(a.date),
                auditor: a.auditor.clone(),
                rate: a.rate(),
            }),
            contact_url,
            contact,
            has_pdfs: self.has_candidatures(),
        };
        self.html("accessibility.html", path.to_owned(), &view)
    }

    /// `404.html`, which a host serves at any depth: its links start from
    /// `base_url`, or from the domain's root without one.
    pub(super) fn not_found(&self) -> Result<OutputFile, Diagnostic> {
        let path = "404.html";
        let prefix = match &self.project.site.base_url {
            Some(url) => format!("{url}/"),
            None => "/".to_owned(),
        };
        let mut layout = self.layout(path, "Page introuvable", None, vec![Self::home_crumb()]);
        // The layout of a page at the root has bare links: anchor them.
        layout.root.clone_from(&prefix);
        layout.docs.clone_from(&prefix);
        for item in &mut layout.nav {
            item.url = format!("{prefix}{}", item.url);
            item.current = false;
        }
        for link in layout
            .breadcrumbs
            .iter_mut()
            .chain(&mut layout.footer_links)
        {
            if !link.url.contains("://") {
                link.url = format!("{prefix}{}", link.url);
            }
        }
        let view = NotFoundView {
            layout,
            has_search: !self.guides.is_empty(),
        };
        self.html("404.html", path.to_owned(), &view)
    }
}
