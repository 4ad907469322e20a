//! The views templates receive: one `Serialize` struct per template, with
//! the layout shared by all. Fields ending in `_html` are already sanitised
//! HTML (templates print them with `| safe`); every other string is text
//! that Tera escapes.

use serde::Serialize;

/// What every page shares: site title, navigation, relative root.
#[derive(Debug, Clone, Serialize)]
pub struct Layout {
    /// `lang` of the pages.
    pub language: String,
    /// Site title.
    pub site_title: String,
    /// This page's title.
    pub page_title: String,
    /// Meta description.
    pub description: Option<String>,
    /// `../` repeated up to the site root (`""` on the home page).
    pub root: String,
    /// The way to the documentation's root: `root`, except on the pages
    /// of a separate output of candidatures (`build --candidatures DIR`).
    pub docs: String,
    /// A candidature's page: kept out of search engines.
    pub private: bool,
    /// Atom feeds the page declares (`title`, `url`).
    pub feeds: Vec<Link>,
    /// The footer's links: « Accessibilité : … » first, then `site.yaml`'s.
    pub footer_links: Vec<Link>,
    /// Main navigation.
    pub nav: Vec<NavItem>,
    /// Links above the title, root first, this page excluded.
    pub breadcrumbs: Vec<Link>,
    /// The build's date, in French.
    pub build_date: String,
}

/// An entry of the main navigation.
#[derive(Debug, Clone, Serialize)]
pub struct NavItem {
    /// Label.
    pub title: String,
    /// URL from this page.
    pub url: String,
    /// True on the page it leads to, or inside its section.
    pub current: bool,
}

/// A labelled link; `url` relative to the page unless said otherwise.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    /// Label.
    pub title: String,
    /// URL.
    pub url: String,
}

/// A listed page with its summary.
#[derive(Debug, Clone, Serialize)]
pub struct PageLink {
    /// Title.
    pub title: String,
    /// URL relative to the page showing the list.
    pub url: String,
    /// Front-matter description.
    pub description: Option<String>,
}

/// `home.html`.
#[derive(Debug, Serialize)]
pub struct HomeView {
    /// Shared layout.
    pub layout: Layout,
    /// `content/_index.md`, rendered.
    pub intro_html: Option<String>,
    /// Vague 2 dispositifs by couloir.
    pub couloirs: Vec<CouloirView>,
    /// Vague 2 dispositifs with deadlines.
    pub calendar: Vec<DispositifSummary>,
    /// Guides of REMs outside the vague 2 catalogue.
    pub other_guides: Vec<DispositifSummary>,
    /// True when equivalence lists exist.
    pub has_equivalences: bool,
    /// Top-level content pages and sections.
    pub sections: Vec<PageLink>,
}

/// One couloir on the home page.
#[derive(Debug, Serialize)]
pub struct CouloirView {
    /// `Médico-social`.
    pub name: String,
    /// Its dispositifs.
    pub dispositifs: Vec<DispositifSummary>,
}

/// A dispositif as listed on the home page.
#[derive(Debug, Clone, Serialize)]
pub struct DispositifSummary {
    /// Code.
    pub code: String,
    /// Name.
    pub nom: String,
    /// Couloir.
    pub couloir: String,
    /// Link to its guide, when there is one.
    pub guide_url: Option<String>,
    /// Current REM release.
    pub rem_version: Option<String>,
    /// Optional profiles, comma-separated.
    pub profils: String,
    /// Opening of the guichet, in French.
    pub ouverture: String,
    /// Date 1, in French.
    pub date1: String,
    /// Date 2, in French.
    pub date2: String,
    /// Date 3, in French.
    pub date3: String,
    /// Changelog pages.
    pub changelogs: Vec<Link>,
}

/// `guide.html`: one dispositif, or an older REM release when `archived`.
#[derive(Debug, Serialize)]
pub struct GuideView {
    /// Shared layout.
    pub layout: Layout,
    /// True for the page of a release that is no longer current.
    pub archived: bool,
    /// The current release's number (for the archive notice).
    pub current_version: Option<String>,
    /// What the DSR says.
    pub dsr: Option<DsrView>,
    /// `content/dispositifs/<CODE>.md`, rendered.
    pub prose_html: Option<String>,
    /// Guichets with the number of proofs each provides.
    pub guichets: Vec<GuichetView>,
    /// Proofs accepting a derogatory proof.
    pub derogatory: DerogatoryView,
    /// The REM release shown.
    pub rem: Option<RemView>,
    /// The REM as CSV.
    pub csv_url: String,
    /// Older releases.
    pub releases: Vec<Link>,
    /// Changelog pages.
    pub changelogs: Vec<Link>,
}

/// The DSR row of a dispositif.
#[derive(Debug, Serialize)]
pub struct DsrView {
    /// Code.
    pub code: String,
    /// Couloir.
    pub couloir: String,
    /// `Vague 2`.
    pub vague: String,
    /// Version of the DSR.
    pub version_dsr: Option<String>,
    /// Optional profiles.
    pub profils: Vec<ProfileView>,
    /// Profiles exempt from EDC PSC, comma-separated.
    pub hors_edc_psc: String,
    /// Vague 1 dispositifs it inherits from, comma-separated.
    pub heritage: String,
    /// How many.
    pub heritage_count: usize,
    /// Opening of the guichet.
    pub ouverture: Option<String>,
    /// Date 1–3.
    pub deadlines: Option<DeadlinesView>,
}

/// A profile of the DSR.
#[derive(Debug, Serialize)]
pub struct ProfileView {
    /// Name.
    pub name: String,
    /// Exempt from EDC PSC (R6).
    pub hors_edc_psc: bool,
}

/// Date 1–3 in French.
#[derive(Debug, Serialize)]
pub struct DeadlinesView {
    /// Date 1.
    pub date1: String,
    /// Date 2.
    pub date2: String,
    /// Date 3.
    pub date3: String,
}

/// A guichet and what it provides.
#[derive(Debug, Serialize)]
pub struct GuichetView {
    /// Name.
    pub name: &'static str,
    /// What its proofs are.
    pub role: &'static str,
    /// Proofs of the REM coming from it.
    pub count: usize,
}

/// Proofs that accept a derogatory proof until Date 3.
#[derive(Debug, Default, Serialize)]
pub struct DerogatoryView {
    /// CNDA-sourced proofs.
    pub cnda: usize,
    /// EDC PSC-sourced proofs.
    pub edc_psc: usize,
}

/// A REM release, chapter → requirement → scenario → proof.
#[derive(Debug, Serialize)]
pub struct RemView {
    /// Release.
    pub version: String,
    /// Distinct requirements.
    pub requirement_count: usize,
    /// Rows.
    pub proof_count: usize,
    /// The chapters, in REM order.
    pub chapters: Vec<ChapterView>,
}

/// A value of the profile filter.
#[derive(Debug, Serialize)]
pub struct FilterValue {
    /// Matching key (folded).
    pub key: String,
    /// Label.
    pub name: String,
}

/// A chapter of the REM, shown on its own page.
#[derive(Debug, Serialize)]
pub struct ChapterView {
    /// Title.
    pub title: String,
    /// 1-based rank in the REM.
    pub number: usize,
    /// Its page, from the guide's folder (`chapitres/<stem>.html`).
    pub url: String,
    /// Its requirements, in REM order.
    pub requirements: Vec<RequirementView>,
    /// Its proofs.
    pub proof_count: usize,
    /// Its requirements new or changed since the previous release.
    pub changes: usize,
    /// Profiles present, for the filter.
    pub profils: Vec<FilterValue>,
    /// Périmètres present, for the filter.
    pub perimetres: Vec<String>,
    /// Natures present (`Obligatoire`, `Préconisée`, `Non précisée`), for the filter.
    pub natures: Vec<FilterValue>,
}

/// `chapter.html`: one chapter of a REM release.
#[derive(Debug, Serialize)]
pub struct ChapterPageView<'v> {
    /// Shared layout.
    pub layout: Layout,
    /// The release is no longer current.
    pub archived: bool,
    /// The current release's number (for the archive notice).
    pub current_version: Option<String>,
    /// The release shown.
    pub version: &'v str,
    /// The page of the release (guide or archive), from this page.
    pub index_url: String,
    /// The chapter.
    pub chapter: &'v ChapterView,
    /// Chapters in the release.
    pub count: usize,
    /// Previous chapter, its URL from this page.
    pub previous: Option<Link>,
    /// Next chapter.
    pub next: Option<Link>,
}

/// A requirement with its scenarios.
#[derive(Debug, Serialize)]
pub struct RequirementView {
    /// ID.
    pub id: String,
    /// What changed since the previous release, for the current one.
    pub change: Option<ChangeMark>,
    /// Anchor (the ID unless it collides).
    pub anchor: String,
    /// Function.
    pub fonction: Option<String>,
    /// Text.
    pub text_html: String,
    /// Comment.
    pub commentaire_html: Option<String>,
    /// Profile.
    pub profil: String,
    /// Profile, folded, for the filter.
    pub profil_key: String,
    /// Périmètre.
    pub perimetre: String,
    /// `Obligatoire`, `Préconisée` or `Non précisée`.
    pub nature: &'static str,
    /// Nature, folded, for the filter.
    pub nature_key: &'static str,
    /// Criticité of its first row that has one.
    pub criticite: Option<String>,
    /// Common requirements of other dispositifs.
    pub equivalents: Vec<EquivalentView>,
    /// Scenarios, in REM order.
    pub scenarios: Vec<ScenarioView>,
}

/// A requirement of another dispositif.
#[derive(Debug, Serialize)]
pub struct EquivalentView {
    /// Its dispositif.
    pub code: String,
    /// Its ID.
    pub id: String,
    /// Link, when it is in a published guide.
    pub url: Option<String>,
}

/// A conformity scenario.
#[derive(Debug, Serialize)]
pub struct ScenarioView {
    /// ID.
    pub id: String,
    /// Anchor.
    pub anchor: String,
    /// Text.
    pub text_html: String,
    /// Proofs.
    pub proofs: Vec<ProofView>,
}

/// An expected proof.
#[derive(Debug, Serialize)]
pub struct ProofView {
    /// ID.
    pub id: String,
    /// Anchor.
    pub anchor: String,
    /// Text.
    pub text_html: String,
    /// Guichet.
    pub source: &'static str,
    /// The guichet was inferred from the text (the REM has no `Source`).
    pub source_inferred: bool,
    /// Vague 1 profile.
    pub profil_historique: Option<String>,
}

/// `accessibility.html`: the accessibility statement.
#[derive(Debug, Serialize)]
pub struct AccessibilityView {
    /// Common page data.
    pub layout: Layout,
    /// Who publishes the site.
    pub publisher: String,
    /// The site's address, when `site.yaml` gives it.
    pub base_url: Option<String>,
    /// « non conforme », « partiellement conforme », « totalement conforme ».
    pub level: String,
    /// The audit, in French: date, auditor, rate.
    pub audit: Option<AuditView>,
    /// `mailto:` or the contact form's URL.
    pub contact_url: Option<String>,
    /// The contact as shown.
    pub contact: Option<String>,
    /// Whether this build publishes PDFs (candidatures' documents).
    pub has_pdfs: bool,
}

/// `404.html`.
#[derive(Debug, Serialize)]
pub struct NotFoundView {
    /// Common page data, its links from the site's address.
    pub layout: Layout,
    /// Whether the site has REMs to search.
    pub has_search: bool,
}

/// An audit on the accessibility statement.
#[derive(Debug, Serialize)]
pub struct AuditView {
    /// In French.
    pub date: String,
    /// Who audited.
    pub auditor: Option<String>,
    /// « 87,5 % ».
    pub rate: String,
}

/// One dispositif on `search.html`.
#[derive(Debug, Serialize)]
pub struct SearchGuideView {
    /// Dispositif code.
    pub code: String,
    /// « CODE — nom ».
    pub title: String,
    /// The guide.
    pub url: String,
    /// The guide's index of numbers, when it has a REM.
    pub numbers_url: Option<String>,
    /// The chapter pages of the current REM.
    pub chapters: Vec<Link>,
}

/// `search.html`: `recherche/index.html`.
#[derive(Debug, Serialize)]
pub struct SearchPageView {
    /// Common page data.
    pub layout: Layout,
    /// Every guide.
    pub dispositifs: Vec<SearchGuideView>,
    /// Content pages.
    pub pages: Vec<Link>,
    /// Whether the site has equivalence pages.
    pub has_equivalences: bool,
    /// Groups of the search index (general pages, then each REM).
    pub groups: usize,
}

/// `equivalences.html`.
#[derive(Debug, Serialize)]
pub struct EquivalencesView {
    /// Shared layout.
    pub layout: Layout,
    /// Matrix columns.
    pub codes: Vec<String>,
    /// Matrix rows.
    pub matrix: Vec<MatrixRow>,
    /// Pairs with at least one common requirement.
    pub pairs: Vec<PairSummary>,
    /// The lists.
    pub lists: Vec<ListSummary>,
}

/// A row of the matrix.
#[derive(Debug, Serialize)]
pub struct MatrixRow {
    /// Row dispositif.
    pub code: String,
    /// One cell per column.
    pub cells: Vec<MatrixCell>,
}

/// A cell of the matrix.
#[derive(Debug, Serialize)]
pub struct MatrixCell {
    /// Column dispositif.
    pub code: String,
    /// Common requirement pairs.
    pub count: usize,
    /// Shade 0–4, relative to the largest count.
    pub level: usize,
    /// Pair page.
    pub url: Option<String>,
    /// Row = column.
    pub diagonal: bool,
}

/// A pair in the list under the matrix.
#[derive(Debug, Serialize)]
pub struct PairSummary {
    /// Lower code.
    pub a: String,
    /// Higher code.
    pub b: String,
    /// Rows.
    pub count: usize,
    /// Page.
    pub url: String,
    /// CSV.
    pub csv_url: String,
}

/// An equivalence list.
#[derive(Debug, Serialize)]
pub struct ListSummary {
    /// File stem.
    pub name: String,
    /// Rows.
    pub groups: usize,
    /// Columns, comma-separated.
    pub codes: String,
}

/// `equivalence-pair.html`.
#[derive(Debug, Serialize)]
pub struct PairView {
    /// Shared layout.
    pub layout: Layout,
    /// Lower code.
    pub a: PairSide,
    /// Higher code.
    pub b: PairSide,
    /// The CSV beside it.
    pub csv_url: String,
    /// Common requirements.
    pub rows: Vec<PairRowView>,
}

/// One side of a pair.
#[derive(Debug, Serialize)]
pub struct PairSide {
    /// Code.
    pub code: String,
    /// Name from the DSR.
    pub nom: Option<String>,
}

/// One row of a pair page.
#[derive(Debug, Serialize)]
pub struct PairRowView {
    /// Requirement of A.
    pub a: String,
    /// Link to it.
    pub a_url: Option<String>,
    /// Start of its text.
    pub a_text: Option<String>,
    /// Requirement of B.
    pub b: String,
    /// Link to it.
    pub b_url: Option<String>,
    /// Start of its text.
    pub b_text: Option<String>,
    /// Comments of the lists.
    pub commentaire: String,
    /// Lists stating it.
    pub lists: String,
}

/// `page.html` and `section.html`.
#[derive(Debug, Serialize)]
pub struct ContentView {
    /// Shared layout.
    pub layout: Layout,
    /// Body.
    pub body_html: String,
    /// Front-matter date, in French.
    pub date: Option<String>,
    /// Pages of the section (sections only).
    pub children: Vec<PageLink>,
}

/// `candidatures.html`: the index of candidatures.
#[derive(Debug, Serialize)]
pub struct CandidaturesView {
    /// Shared layout.
    pub layout: Layout,
    /// One row per candidature (of this page's dispositif when split).
    pub rows: Vec<CandidatureRow>,
    /// When the index is split: one page per dispositif.
    pub groups: Vec<CandidatureGroup>,
    /// Candidatures in all, when split.
    pub total: usize,
}

/// The candidatures of one dispositif, in a split index.
#[derive(Debug, Serialize)]
pub struct CandidatureGroup {
    /// Dispositif code.
    pub code: String,
    /// Its candidatures.
    pub count: usize,
    /// Its page, from `candidatures/`.
    pub url: String,
}

/// A candidature in the index.
#[derive(Debug, Serialize)]
pub struct CandidatureRow {
    /// Page.
    pub url: String,
    /// Id.
    pub id: String,
    /// Dispositif.
    pub dispositif: String,
    /// Solution and version.
    pub solution: String,
    /// Profiles.
    pub profils: String,
    /// Proofs to deposit.
    pub a_deposer: usize,
    /// Proofs not asked.
    pub masquees: usize,
    /// Whether an attestation sur l'honneur is required.
    pub attestation: bool,
}

/// `candidature.html`: the checklist a vendor works from.
#[derive(Debug, Serialize)]
pub struct CandidatureView {
    /// Shared layout.
    pub layout: Layout,
    /// Id.
    pub id: String,
    /// Dispositif code and name.
    pub dispositif: String,
    /// Its guide.
    pub guide_url: String,
    /// REM release.
    pub rem_version: String,
    /// Éditeur.
    pub editeur: String,
    /// Solution name.
    pub solution: String,
    /// Candidate version.
    pub version: String,
    /// Composant principal.
    pub composant_principal: String,
    /// Profiles, `Général` first.
    pub profils: String,
    /// Proxy and additional components.
    pub composants: Vec<ComponentView>,
    /// Commercial names.
    pub noms: Vec<NameView>,
    /// Root référencement.
    pub racine: Option<RefView>,
    /// Vague 1 référencements.
    pub heritage: Vec<RefView>,
    /// Totals.
    pub totals: CountsView,
    /// Counts per chapter.
    pub chapters: Vec<ChapterCounts>,
    /// Proofs to deposit, by chapter.
    pub deposit_groups: Vec<DepositGroup>,
    /// Natures of the proofs to deposit, for the filter.
    pub deposit_natures: Vec<FilterValue>,
    /// Rows of the table of proofs not asked, HTML (empty: none).
    pub masked_html: String,
    /// Number of those rows (templates test this, not the HTML: Tera
    /// escapes a string to test it, 100 KB on a national checklist).
    pub masked_count: usize,
    /// The checklist is split: each chapter's proofs are on its page.
    pub split: bool,
    /// Reasons for the attestation sur l'honneur (empty: not required).
    pub attestation: Vec<String>,
    /// Deadlines.
    pub deadlines: Vec<DeadlineView>,
    /// Reference date of the deadlines.
    pub reference: String,
    /// Alerts.
    pub alertes: Vec<String>,
    /// The advised order of work.
    pub ordre: Vec<String>,
    /// What the current REM release changes for this candidature, when
    /// the dispositif has an older one.
    pub evolution: Option<EvolutionView>,
}

/// A component of the solution.
#[derive(Debug, Serialize)]
pub struct ComponentView {
    /// `Proxy e-santé` or `Composant additionnel`.
    pub kind: &'static str,
    /// Name.
    pub nom: String,
    /// Its editor.
    pub editeur: Option<String>,
    /// New (R4).
    pub nouveau: bool,
    /// Chapters it impacts.
    pub chapitres: String,
}

/// A commercial name.
#[derive(Debug, Serialize)]
pub struct NameView {
    /// Name.
    pub nom: String,
    /// NIL.
    pub nil: String,
    /// Version technique.
    pub version: String,
}

/// A référencement cited.
#[derive(Debug, Serialize)]
pub struct RefView {
    /// NRU.
    pub nru: String,
    /// Dispositif.
    pub dispositif: String,
    /// Solution.
    pub solution: String,
    /// Version.
    pub version: String,
    /// Profiles covered.
    pub profils: String,
}

/// Counts of a chapter (or of all).
#[derive(Debug, Clone, Default, Serialize)]
pub struct CountsView {
    /// Entries to deposit.
    pub a_deposer: usize,
    /// Masked by héritage.
    pub heritage: usize,
    /// Masked by équivalence.
    pub equivalence: usize,
    /// Masked by the EDC PSC exemption.
    pub hors_edc_psc: usize,
}

/// Counts of one chapter.
#[derive(Debug, Serialize)]
pub struct ChapterCounts {
    /// Chapter.
    pub title: String,
    /// Anchor of its group below.
    pub anchor: Option<String>,
    /// Where its proofs are: `#anchor` on the checklist, or its own page
    /// when the checklist is split; none when nothing is listed for it.
    pub url: Option<String>,
    /// Counts.
    pub counts: CountsView,
}

/// Proofs to deposit in one chapter.
#[derive(Debug, Serialize)]
pub struct DepositGroup {
    /// Chapter.
    pub title: String,
    /// Anchor.
    pub anchor: String,
    /// Its table rows, HTML ([`super::checklist::deposit_rows`]); empty
    /// when the checklist is split (they are on the chapter's page).
    pub rows_html: String,
    /// Proofs to deposit.
    pub count: usize,
    /// The chapter's page, when the checklist is split.
    pub url: Option<String>,
}

/// `candidature-chapter.html`: one chapter of a checklist too large for
/// one page.
#[derive(Debug, Serialize)]
pub struct CandidatureChapterView {
    /// Shared layout.
    pub layout: Layout,
    /// The candidature's checklist.
    pub index_url: String,
    /// Candidature id.
    pub id: String,
    /// Chapter title.
    pub title: String,
    /// Its position among the checklist's chapters, from 1.
    pub number: usize,
    /// Chapters in the checklist.
    pub count: usize,
    /// Previous and next chapters.
    pub previous: Option<Link>,
    /// Next chapter.
    pub next: Option<Link>,
    /// Counts of the chapter.
    pub counts: CountsView,
    /// Natures of the proofs to deposit, for the filter.
    pub deposit_natures: Vec<FilterValue>,
    /// Rows of the proofs to deposit, HTML.
    pub rows_html: String,
    /// Rows of the proofs not asked again, HTML.
    pub masked_html: String,
    /// Their number of rows.
    pub masked_count: usize,
}

/// One deadline.
#[derive(Debug, Serialize)]
pub struct DeadlineView {
    /// `Date 1`.
    pub name: &'static str,
    /// When.
    pub date: String,
    /// What is due.
    pub what: &'static str,
    /// Passed at the reference date.
    pub passed: bool,
    /// « dans 12 jours », « passée depuis 3 jours ».
    pub relative: String,
}

/// A requirement new or changed in the current release.
#[derive(Debug, Serialize)]
pub struct ChangeMark {
    /// `new` or `changed` (CSS class).
    pub kind: &'static str,
    /// `nouvelle`, `modifiée (Exigence)`, `renumérotée (ex DUI.X.14)`.
    pub label: String,
}

/// `changelog.html`.
#[derive(Debug, Serialize)]
pub struct ChangelogView<'a> {
    /// Shared layout.
    pub layout: Layout,
    /// The diff.
    pub diff: crate::render::diff::DiffView<'a>,
    /// Its counts.
    pub counts: crate::render::diff::Counts,
}

/// What the current REM release changes for a candidature, on its page.
#[derive(Debug, Serialize)]
pub struct EvolutionView {
    /// The previous release.
    pub depuis: String,
    /// The current release.
    pub version: String,
    /// The release's changelog page.
    pub changelog_url: String,
    /// Proofs newly due, no longer due, due for another reason, renumbered.
    pub rows: Vec<EvolutionRow>,
    /// Proofs still due whose texts were rewritten.
    pub rewritten: Vec<RewrittenView>,
    /// Counts: newly due, no longer due, another motif, rewritten, renumbered.
    pub counts: [usize; 5],
}

/// One proof whose standing changed.
#[derive(Debug, Serialize)]
pub struct EvolutionRow {
    /// « nouvellement due », « plus due »…
    pub kind: &'static str,
    /// Proof number.
    pub preuve: String,
    /// Its requirement on its chapter page, when the current REM has it.
    pub url: Option<String>,
    /// Before.
    pub avant: String,
    /// After.
    pub apres: String,
}

/// A proof still due whose texts changed.
#[derive(Debug, Serialize)]
pub struct RewrittenView {
    /// Proof number.
    pub preuve: String,
    /// Its requirement on its chapter page.
    pub url: Option<String>,
    /// The changed fields, with their word diffs.
    pub changes: Vec<crate::diff::FieldChange>,
}
