//! The static site: plans every output file of a validated project, renders
//! them in parallel with templates compiled once, and hands the files to
//! [`write`], the one place that touches the output folder.

pub mod checklist;
pub mod views;
pub mod write;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;

use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::model::{
    ContentPage, Dispositif, DispositifCode, EquivalenceIndex, Project, Rem, RemRow, Source,
};
use crate::render::markdown::{self, LinkResolver};
use crate::render::{self, french, Templates};
use views::*;

/// One file of the generated site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path relative to the output folder, `/`-separated.
    pub path: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

/// The whole generated site, sorted by path.
#[derive(Debug, Default)]
pub struct Site {
    /// Every file.
    pub files: Vec<OutputFile>,
}

impl Site {
    /// The file at `path`.
    pub fn get(&self, path: &str) -> Option<&OutputFile> {
        self.files
            .binary_search_by(|f| f.path.as_str().cmp(path))
            .ok()
            .map(|i| &self.files[i])
    }

    /// Number of HTML pages.
    pub fn page_count(&self) -> usize {
        self.files
            .iter()
            .filter(|f| f.path.ends_with(".html"))
            .count()
    }
}

/// The date a build shows: `SOURCE_DATE_EPOCH` when given (seconds since
/// 1970), else the newest input's modification date, never the clock.
pub fn build_date(project: &Project, source_date_epoch: Option<&str>) -> Result<NaiveDate, String> {
    if let Some(raw) = source_date_epoch {
        let secs: i64 = raw.trim().parse().map_err(|_| {
            format!("SOURCE_DATE_EPOCH « {raw} » n'est pas un nombre de secondes depuis 1970")
        })?;
        return chrono::DateTime::from_timestamp(secs, 0)
            .map(|d| d.date_naive())
            .ok_or_else(|| format!("SOURCE_DATE_EPOCH « {raw} » hors des dates possibles"));
    }
    let secs = project
        .newest_input
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0));
    Ok(chrono::DateTime::from_timestamp(secs, 0)
        .map(|d| d.date_naive())
        .unwrap_or_default())
}

/// Where rendered files go: into memory (tests, benchmarks) or straight to
/// the staging folder of a build, so that memory does not grow with the
/// size of the output.
pub trait Sink: Sync {
    /// Takes one file; an error stops the build.
    fn put(&self, file: OutputFile) -> Result<(), write::WriteError>;
}

/// Keeps every file in memory.
#[derive(Debug, Default)]
pub struct MemorySink(std::sync::Mutex<Vec<OutputFile>>);

impl Sink for MemorySink {
    fn put(&self, file: OutputFile) -> Result<(), write::WriteError> {
        if let Ok(mut files) = self.0.lock() {
            files.push(file);
        }
        Ok(())
    }
}

/// What a rendering produced: the paths written, sorted.
#[derive(Debug, Default)]
pub struct Rendered {
    /// Every path written.
    pub paths: Vec<String>,
}

impl Rendered {
    /// Number of HTML pages.
    pub fn page_count(&self) -> usize {
        self.paths.iter().filter(|p| p.ends_with(".html")).count()
    }
}

/// Renders the site of a project that passed validation into memory.
pub fn render(project: &Project, date: NaiveDate, diags: &mut Diagnostics) -> Option<Site> {
    let sink = MemorySink::default();
    render_to(project, date, diags, &sink)?;
    let mut files = sink.0.into_inner().unwrap_or_default();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Some(Site { files })
}

/// Renders the site of a project that passed validation, handing each file
/// to `sink` as soon as it is rendered. Template errors, pages that would
/// overwrite generated ones and write errors are reported; then `None`.
pub fn render_to(
    project: &Project,
    date: NaiveDate,
    diags: &mut Diagnostics,
    sink: &dyn Sink,
) -> Option<Rendered> {
    let templates = Templates::compile(&project.templates, diags)?;
    let plan = Plan::new(project, templates, date, diags)?;
    let jobs = plan.jobs();
    let put = |file: OutputFile| {
        sink.put(file).map_err(|e| {
            Diagnostic::error(
                Location::file(&std::sync::Arc::from(e.path.display().to_string())),
                e.message,
            )
        })
    };
    type Written = (Vec<String>, Option<CandidatureRow>);
    let results: Vec<Result<Written, Vec<Diagnostic>>> = jobs
        .par_iter()
        .map(|job| {
            let (files, row) = plan.run(job)?;
            let mut paths = Vec::with_capacity(files.len());
            for file in files {
                paths.push(file.path.clone());
                put(file).map_err(|d| vec![d])?;
            }
            Ok((paths, row))
        })
        .collect();
    let mut paths = Vec::new();
    let mut rows = Vec::new();
    let mut failed = false;
    for result in results {
        match result {
            Ok((p, row)) => {
                paths.extend(p);
                rows.extend(row);
            }
            Err(d) => {
                for d in d {
                    diags.push(d);
                }
                failed = true;
            }
        }
    }
    if failed {
        return None;
    }
    // The index of candidatures, from the counts each checklist returned
    // (in file order, as jobs are).
    if !project.candidatures.is_empty() {
        let index = plan.candidatures(rows).and_then(|file| {
            paths.push(file.path.clone());
            put(file)
        });
        if let Err(d) = index {
            diags.push(d);
            return None;
        }
    }
    let sitemap = plan.sitemap(&paths);
    let marker = OutputFile {
        path: write::MARKER.to_owned(),
        bytes: b"Dossier produit par segurdoc build ; il est remplace a chaque construction.\n"
            .to_vec(),
    };
    for file in [sitemap, marker] {
        paths.push(file.path.clone());
        if let Err(e) = sink.put(file) {
            diags.push(Diagnostic::error(
                Location::file(&std::sync::Arc::from(e.path.display().to_string())),
                e.message,
            ));
            return None;
        }
    }
    paths.sort();
    Some(Rendered { paths })
}

/// `../` up to the site root from the folder of `path`.
fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// `a/b.md` → `a/b/index.html`; `a/_index.md` → `a/index.html`.
fn content_output(path: &str) -> String {
    if let Some(dir) = path.strip_suffix("_index.md") {
        format!("{dir}index.html")
    } else {
        format!("{}/index.html", path.strip_suffix(".md").unwrap_or(path))
    }
}

/// The folder of a content path, with its trailing `/` (`""` at the top).
fn content_dir(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..=i])
}

/// `preuves-derogatoires.md` → `Preuves derogatoires`, for pages without a title.
fn title_from_path(path: &str) -> String {
    let stem = path
        .trim_end_matches("_index.md")
        .trim_end_matches('/')
        .trim_end_matches(".md");
    let name = stem
        .rsplit('/')
        .next()
        .unwrap_or(stem)
        .replace(['-', '_'], " ");
    let mut chars = name.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => "Accueil".to_owned(),
    }
}

/// A dispositif with a guide: in the vague 2 catalogue, or with a REM.
struct Guide<'a> {
    code: DispositifCode,
    dsr: Option<&'a Dispositif>,
    /// Oldest first; may be empty.
    rems: &'a [Rem],
    /// Anchor of each requirement and proof of the current release.
    anchors: rustc_hash::FxHashMap<&'a str, String>,
    /// First row of each requirement of the current release.
    requirements: HashMap<&'a str, &'a RemRow>,
}

impl Guide<'_> {
    /// The anchor of a requirement or proof of the current release (its ID
    /// unless that collided).
    fn anchor<'s>(&'s self, id: &'s str) -> &'s str {
        self.anchors.get(id).map_or(id, String::as_str)
    }

    fn url(&self) -> String {
        format!("dispositifs/{}/index.html", self.code)
    }

    fn current(&self) -> Option<&Rem> {
        self.rems.last()
    }
}

/// What a page of `content/` becomes.
struct PageEntry<'a> {
    page: &'a ContentPage,
    output: String,
    title: String,
}

enum Job<'a> {
    Home,
    Guide(&'a Guide<'a>),
    Archive(&'a Guide<'a>, usize),
    Changelog(&'a DispositifCode, usize),
    Equivalences,
    Pair(&'a (DispositifCode, DispositifCode)),
    Content(usize),
    Candidature(usize),
    Assets,
    Search,
}

struct Plan<'a> {
    project: &'a Project,
    templates: Templates,
    index: EquivalenceIndex,
    guides: BTreeMap<DispositifCode, Guide<'a>>,
    pages: Vec<PageEntry<'a>>,
    /// Content path → index in `pages`.
    page_index: HashMap<&'a str, usize>,
    prose: HashMap<String, &'a ContentPage>,
    home_intro: Option<&'a ContentPage>,
    nav: Vec<(String, String, String)>,
    build_date: String,
    date_iso: String,
    /// The build's date (documents are dated with it).
    date: NaiveDate,
    /// Diffs between consecutive releases of each REM, oldest first.
    changelogs: BTreeMap<DispositifCode, Vec<crate::diff::RemDiff>>,
    /// The expected proofs of the current REMs candidatures use, as HTML,
    /// rendered once for all their checklists: dispositif → proof → HTML.
    proof_html: HashMap<DispositifCode, crate::model::PerRow<'a, String>>,
    /// The fixed part of those REMs' rows in the JSON and CSV lists, made
    /// once for all the candidatures.
    row_texts: HashMap<DispositifCode, crate::render::preuves::RowTexts<'a>>,
}

/// Ids the guide template uses itself; requirement anchors avoid them.
const GUIDE_IDS: &[&str] = &[
    "contenu",
    "sommaire-titre",
    "dispositif",
    "presentation",
    "etapes",
    "guichets",
    "guichets-legende",
    "calendrier",
    "dates-legende",
    "derogatoires",
    "rem",
    "filtres-titre",
    "recherche",
    "recherche-etat",
    "recherche-resultats",
];

/// The nature of a requirement as pages show it; a REM without the column
/// says nothing, and the pages say so rather than guess.
pub(crate) fn nature_label(n: Option<crate::model::Nature>) -> &'static str {
    n.map_or("Non précisée", |n| n.as_str())
}

/// The values of a Nature filter: the natures present, Obligatoire first,
/// then Préconisée, then Non précisée.
pub(crate) fn nature_filter(
    natures: impl Iterator<Item = Option<crate::model::Nature>>,
) -> Vec<FilterValue> {
    let mut present: Vec<Option<crate::model::Nature>> = natures.collect();
    present.sort_by_key(|n| n.map_or(2, |n| n as u8));
    present.dedup();
    present
        .into_iter()
        .map(|n| FilterValue {
            key: nature_key(n).to_owned(),
            name: nature_label(n).to_owned(),
        })
        .collect()
}

/// [`nature_label`], folded, for the filters' `data-nature`.
pub(crate) fn nature_key(n: Option<crate::model::Nature>) -> &'static str {
    match n {
        Some(crate::model::Nature::Obligatoire) => "obligatoire",
        Some(crate::model::Nature::Preconisee) => "preconisee",
        None => "non-precisee",
    }
}

fn unique(used: &mut BTreeSet<String>, wanted: &str) -> String {
    let mut candidate = wanted.to_owned();
    let mut n = 1;
    while !used.insert(candidate.clone()) {
        n += 1;
        candidate = format!("{wanted}-{n}");
    }
    candidate
}

/// Anchors of a release: requirement IDs first, then proof numbers, each
/// kept as written unless already taken.
fn anchors_of(rem: &Rem) -> (rustc_hash::FxHashMap<&str, String>, BTreeSet<String>) {
    let mut used: BTreeSet<String> = GUIDE_IDS.iter().map(|s| (*s).to_owned()).collect();
    let mut anchors = rustc_hash::FxHashMap::default();
    for row in &rem.rows {
        if !anchors.contains_key(row.exigence_id.as_str()) {
            let a = unique(&mut used, &row.exigence_id);
            anchors.insert(row.exigence_id.as_str(), a);
        }
    }
    for row in &rem.rows {
        if !anchors.contains_key(row.preuve_id.as_str()) {
            let a = unique(&mut used, &row.preuve_id);
            anchors.insert(row.preuve_id.as_str(), a);
        }
    }
    (anchors, used)
}

impl<'a> Plan<'a> {
    fn new(
        project: &'a Project,
        templates: Templates,
        date: NaiveDate,
        diags: &mut Diagnostics,
    ) -> Option<Self> {
        let mut guides = BTreeMap::new();
        let mut codes: BTreeSet<DispositifCode> = project.rems.keys().cloned().collect();
        codes.extend(
            project
                .catalogue
                .dispositifs
                .iter()
                .filter(|d| d.vague == crate::model::Vague::Deux)
                .map(|d| d.code.clone()),
        );
        for code in codes {
            let rems: &[Rem] = project.rems.get(&code).map_or(&[], Vec::as_slice);
            let (anchors, requirements) = match rems.last() {
                Some(rem) => {
                    let mut first = HashMap::new();
                    for row in &rem.rows {
                        first.entry(row.exigence_id.as_str()).or_insert(row);
                    }
                    (anchors_of(rem).0, first)
                }
                None => (Default::default(), HashMap::new()),
            };
            guides.insert(
                code.clone(),
                Guide {
                    dsr: project.catalogue.get(code.as_str()),
                    code,
                    rems,
                    anchors,
                    requirements,
                },
            );
        }

        // Generated paths a page of content/ may not take.
        let mut reserved: BTreeSet<String> = BTreeSet::new();
        reserved.insert("index.html".to_owned());
        reserved.insert("equivalences/index.html".to_owned());
        reserved.insert("candidatures/index.html".to_owned());
        for c in &project.candidatures {
            reserved.insert(format!("candidatures/{}/index.html", c.id));
        }
        for g in guides.values() {
            reserved.insert(g.url());
        }

        let mut pages = Vec::new();
        let mut prose = HashMap::new();
        let mut home_intro = None;
        let mut taken: BTreeMap<String, &str> = BTreeMap::new();
        let mut ok = true;
        for page in project.pages.iter().filter(|p| !p.front.draft) {
            if page.path == "_index.md" {
                home_intro = Some(page);
                continue;
            }
            if let Some(code) = page
                .path
                .strip_prefix("dispositifs/")
                .and_then(|p| p.strip_suffix(".md"))
            {
                if guides.contains_key(code) {
                    prose.insert(code.to_owned(), page);
                    continue;
                }
            }
            let output = content_output(&page.path);
            if reserved.contains(&output) {
                diags.error(
                    Location::file(&page.file),
                    format!("cette page deviendrait {output}, une page que segurdoc génère lui-même : renommez-la"),
                );
                ok = false;
                continue;
            }
            if let Some(other) = taken.insert(output.clone(), &page.file) {
                diags.error(
                    Location::file(&page.file),
                    format!("cette page et {other} deviendraient toutes deux {output}"),
                );
                ok = false;
                continue;
            }
            if let Some(name) = &page.front.template {
                if !templates.has(name) {
                    diags.push(
                        Diagnostic::error(
                            Location::file(&page.file),
                            format!("modèle « {name} » introuvable dans templates/ ni parmi les modèles intégrés"),
                        )
                        .with_hint(format!(
                            "modèles intégrés : {}",
                            render::DEFAULT_TEMPLATES.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
                        )),
                    );
                    ok = false;
                    continue;
                }
            }
            let title = page
                .front
                .title
                .clone()
                .unwrap_or_else(|| title_from_path(&page.path));
            pages.push(PageEntry {
                page,
                output,
                title,
            });
        }
        if !ok {
            return None;
        }

        let index = EquivalenceIndex::new(&project.equivalences);
        let used: BTreeSet<&DispositifCode> =
            project.candidatures.iter().map(|c| &c.dispositif).collect();
        let proof_html: HashMap<DispositifCode, crate::model::PerRow<'a, String>> = used
            .par_iter()
            .filter_map(|&code| {
                let rem = project.current_rem(code)?;
                let html = crate::model::PerRow::new(rem, |r| markdown::cell_html(&r.preuve));
                Some((code.clone(), html))
            })
            .collect();
        let row_texts = used
            .par_iter()
            .filter_map(|&code| {
                let rem = project.current_rem(code)?;
                Some((code.clone(), crate::render::preuves::row_texts(rem)))
            })
            .collect();
        let changelogs: BTreeMap<DispositifCode, Vec<crate::diff::RemDiff>> = guides
            .values()
            .filter(|g| g.rems.len() > 1)
            .map(|g| {
                let diffs = g
                    .rems
                    .windows(2)
                    .map(|w| crate::diff::diff_releases(&w[0], &w[1]))
                    .collect();
                (g.code.clone(), diffs)
            })
            .collect();
        let page_index = pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.page.path.as_str(), i))
            .collect();
        let mut nav = vec![("Accueil".to_owned(), "index.html".to_owned(), String::new())];
        if !guides.is_empty() {
            nav.push((
                "Dispositifs".to_owned(),
                "index.html#dispositifs".to_owned(),
                "dispositifs/".to_owned(),
            ));
        }
        if !project.equivalences.is_empty() {
            nav.push((
                "Équivalences".to_owned(),
                "equivalences/index.html".to_owned(),
                "equivalences/".to_owned(),
            ));
        }
        if !project.candidatures.is_empty() {
            nav.push((
                "Candidatures".to_owned(),
                "candidatures/index.html".to_owned(),
                "candidatures/".to_owned(),
            ));
        }
        let mut top: Vec<&PageEntry<'_>> = pages
            .iter()
            .filter(|p| is_top_level(&p.page.path))
            .collect();
        top.sort_by(|a, b| order_key(a).cmp(&order_key(b)));
        for p in top {
            let prefix = p.output.trim_end_matches("index.html").to_owned();
            nav.push((p.title.clone(), p.output.clone(), prefix));
        }
        Some(Plan {
            project,
            templates,
            index,
            guides,
            pages,
            page_index,
            prose,
            home_intro,
            nav,
            build_date: french::date(date),
            date_iso: date.format("%Y-%m-%d").to_string(),
            proof_html,
            row_texts,
            date,
            changelogs,
        })
    }

    fn jobs(&self) -> Vec<Job<'_>> {
        let mut jobs = vec![Job::Home, Job::Assets, Job::Search];
        for g in self.guides.values() {
            jobs.push(Job::Guide(g));
            for i in 0..g.rems.len().saturating_sub(1) {
                jobs.push(Job::Archive(g, i));
            }
        }
        for (code, diffs) in &self.changelogs {
            jobs.extend((0..diffs.len()).map(|i| Job::Changelog(code, i)));
        }
        if !self.project.equivalences.is_empty() {
            jobs.push(Job::Equivalences);
            jobs.extend(self.index.pairs().keys().map(Job::Pair));
        }
        jobs.extend((0..self.pages.len()).map(Job::Content));
        jobs.extend((0..self.project.candidatures.len()).map(Job::Candidature));
        jobs
    }

    /// The files of one job; a checklist also returns its row of the index
    /// of candidatures.
    fn run(
        &self,
        job: &Job<'_>,
    ) -> Result<(Vec<OutputFile>, Option<CandidatureRow>), Vec<Diagnostic>> {
        let files = match job {
            Job::Home => self.home(),
            Job::Guide(g) => self.guide(g),
            Job::Archive(g, i) => self.archive(g, *i),
            Job::Changelog(code, i) => self.changelog(code, *i),
            Job::Equivalences => self.equivalences(),
            Job::Pair(key) => self.pair(key),
            Job::Content(i) => self.content(&self.pages[*i]),
            Job::Candidature(i) => {
                let (files, row) = self.candidature(&self.project.candidatures[*i])?;
                return Ok((files, Some(row)));
            }
            Job::Assets => Ok(self.assets()),
            Job::Search => Ok(self.search()),
        };
        files.map(|f| (f, None)).map_err(|d| vec![d])
    }

    fn layout(
        &self,
        path: &str,
        title: &str,
        description: Option<&str>,
        breadcrumbs: Vec<Link>,
    ) -> Layout {
        let root = root_of(path);
        Layout {
            language: self.project.site.language.clone(),
            site_title: self.project.site.title.clone(),
            page_title: title.to_owned(),
            description: description.map(str::to_owned),
            nav: self
                .nav
                .iter()
                .map(|(t, url, prefix)| NavItem {
                    title: t.clone(),
                    url: url.clone(),
                    current: url == path
                        || (!prefix.is_empty() && path.starts_with(prefix.as_str())),
                })
                .collect(),
            breadcrumbs: breadcrumbs
                .into_iter()
                .map(|l| Link {
                    url: format!("{root}{}", l.url),
                    title: l.title,
                })
                .collect(),
            build_date: self.build_date.clone(),
            root,
        }
    }

    fn html<V: Serialize>(
        &self,
        template: &str,
        path: String,
        view: &V,
    ) -> Result<OutputFile, Diagnostic> {
        match self.templates.render(template, view) {
            Ok(html) => Ok(OutputFile {
                path,
                bytes: html.into_bytes(),
            }),
            Err((file, message)) => Err(Diagnostic::error(
                Location::file(&file),
                format!("{message} (page {path})"),
            )),
        }
    }

    fn home_crumb() -> Link {
        Link {
            title: "Accueil".to_owned(),
            url: "index.html".to_owned(),
        }
    }

    fn summary(&self, d: &Dispositif, from: &str) -> DispositifSummary {
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
            profils: d
                .profils
                .iter()
                .map(|p| p.as_str())
                .collect::<Vec<_>>()
                .join(", "),
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

    fn home(&self) -> Result<Vec<OutputFile>, Diagnostic> {
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
                    url: p.output.clone(),
                    description: p.page.front.description.clone(),
                })
                .collect(),
        };
        let template = intro
            .and_then(|p| p.front.template.as_deref())
            .unwrap_or("home.html");
        Ok(vec![self.html(template, path.to_owned(), &view)?])
    }

    fn dsr_view(d: &Dispositif) -> DsrView {
        DsrView {
            code: d.code.to_string(),
            couloir: d.couloir.clone(),
            vague: d.vague.to_string(),
            version_dsr: d.version_dsr.as_ref().map(ToString::to_string),
            profils: d
                .profils
                .iter()
                .map(|p| ProfileView {
                    name: p.as_str().to_owned(),
                    hors_edc_psc: d.profils_hors_edc_psc.contains(p),
                })
                .collect(),
            hors_edc_psc: d
                .profils_hors_edc_psc
                .iter()
                .map(|p| p.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            heritage: d
                .heritage_vague1
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            heritage_count: d.heritage_vague1.len(),
            ouverture: d.ouverture.map(french::date),
            deadlines: d.deadlines.as_ref().map(|x| DeadlinesView {
                date1: french::datetime(x.date1),
                date2: french::datetime(x.date2),
                date3: french::datetime(x.date3),
            }),
        }
    }

    /// The REM of a guide page, chapter → requirement → scenario → proof.
    fn rem_view(&self, guide: &Guide<'_>, rem: &Rem, current: bool) -> RemView {
        let owned;
        let anchors = if current {
            &guide.anchors
        } else {
            owned = anchors_of(rem).0;
            &owned
        };
        let mut used: BTreeSet<String> = anchors.values().cloned().collect();
        used.extend(GUIDE_IDS.iter().map(|s| (*s).to_owned()));
        // What changed since the previous release, marked on the current one.
        let mut marks: HashMap<&str, (&'static str, String)> = HashMap::new();
        if let Some(d) = self
            .changelogs
            .get(&rem.dispositif)
            .and_then(|v| v.last())
            .filter(|_| current)
        {
            for e in &d.added {
                marks.insert(&e.id, ("new", format!("nouvelle en {}", d.new)));
            }
            for r in &d.renamed {
                marks.insert(
                    &r.to,
                    (
                        "changed",
                        format!("renumérotée en {} (ex {})", d.new, r.from),
                    ),
                );
            }
            for m in d.modified.iter().filter(|m| !m.whitespace_only) {
                marks.insert(
                    &m.id,
                    (
                        "changed",
                        format!("modifiée en {} ({})", d.new, m.fields.join(", ")),
                    ),
                );
            }
        }
        let mut chapters: Vec<ChapterView> = Vec::new();
        let mut profils: Vec<FilterValue> = Vec::new();
        let mut perimetres: BTreeSet<String> = BTreeSet::new();
        let mut natures: Vec<Option<crate::model::Nature>> = Vec::new();
        for (id, rows) in rem.requirements() {
            let first = rows[0];
            let nature = rows.iter().find_map(|r| r.nature);
            natures.push(nature);
            let profil_key = crate::text::fold_key(first.profil.as_str());
            if !profils.iter().any(|p| p.key == profil_key) {
                profils.push(FilterValue {
                    key: profil_key.clone(),
                    name: first.profil.as_str().to_owned(),
                });
            }
            perimetres.insert(first.perimetre.as_str().to_owned());
            let mut scenarios: Vec<ScenarioView> = Vec::new();
            for row in &rows {
                if scenarios.last().is_none_or(|s| s.id != row.scenario_id) {
                    scenarios.push(ScenarioView {
                        id: row.scenario_id.clone(),
                        anchor: unique(&mut used, &format!("scenario-{}", row.scenario_id)),
                        text_html: markdown::cell_html(&row.scenario),
                        proofs: Vec::new(),
                    });
                }
                if let Some(s) = scenarios.last_mut() {
                    s.proofs.push(ProofView {
                        id: row.preuve_id.clone(),
                        anchor: anchors
                            .get(row.preuve_id.as_str())
                            .cloned()
                            .unwrap_or_else(|| row.preuve_id.clone()),
                        text_html: markdown::cell_html(&row.preuve),
                        source: row.source.as_str(),
                        source_inferred: row.source_inferred,
                        profil_historique: row.profil_historique.clone(),
                    });
                }
            }
            let equivalents = if current {
                self.index
                    .equivalents(&rem.dispositif, id)
                    .map(|(code, other)| EquivalentView {
                        code: code.to_string(),
                        id: other.clone(),
                        url: self.requirement_url(code, other, "dispositifs/X/index.html"),
                    })
                    .collect()
            } else {
                Vec::new()
            };
            let requirement = RequirementView {
                change: marks.get(id).map(|(kind, label)| ChangeMark {
                    kind,
                    label: label.clone(),
                }),
                id: id.to_owned(),
                anchor: anchors.get(id).cloned().unwrap_or_else(|| id.to_owned()),
                fonction: first.fonction.clone(),
                text_html: markdown::cell_html(&first.exigence),
                commentaire_html: first.commentaire.as_deref().map(markdown::cell_html),
                profil: first.profil.as_str().to_owned(),
                profil_key,
                perimetre: first.perimetre.as_str().to_owned(),
                nature: nature_label(nature),
                nature_key: nature_key(nature),
                criticite: rows
                    .iter()
                    .find_map(|r| r.criticite)
                    .map(|c| c.as_str().to_owned()),
                equivalents,
                scenarios,
            };
            match chapters.iter_mut().find(|c| c.title == first.chapitre) {
                Some(c) => c.requirements.push(requirement),
                None => {
                    let anchor = unique(
                        &mut used,
                        &format!("chapitre-{}", markdown::slug(&first.chapitre)),
                    );
                    chapters.push(ChapterView {
                        title: first.chapitre.clone(),
                        anchor,
                        requirements: vec![requirement],
                    });
                }
            }
        }
        RemView {
            version: rem.version.to_string(),
            requirement_count: chapters.iter().map(|c| c.requirements.len()).sum(),
            proof_count: rem.rows.len(),
            profils,
            perimetres: perimetres.into_iter().collect(),
            natures: nature_filter(natures.into_iter()),
            chapters,
        }
    }

    /// Link from a page at `from` to requirement `id` of `code`, when its guide has it.
    fn requirement_url(&self, code: &DispositifCode, id: &str, from: &str) -> Option<String> {
        let guide = self.guides.get(code)?;
        let anchor = guide.anchors.get(id)?;
        guide.requirements.get(id)?;
        Some(format!("{}{}#{anchor}", root_of(from), guide.url()))
    }

    fn guichets(rem: Option<&Rem>) -> (Vec<GuichetView>, DerogatoryView) {
        let count =
            |s: Source| rem.map_or(0, |r| r.rows.iter().filter(|row| row.source == s).count());
        let guichets = vec![
            GuichetView { name: "Convergence", role: "Plateforme de l'ANS : dépôt direct des preuves (documents, captures, vidéos) et instruction de la candidature.", count: count(Source::Convergence) },
            GuichetView { name: "CNDA", role: "Centre National de Dépôt et d'Agrément (Assurance Maladie) : certificats d'homologation, une demande de conformité par NIL.", count: count(Source::Cnda) },
            GuichetView { name: "EDC PSC", role: "Espace de Confiance Pro Santé Connect : habilitations « Éditeur de logiciel utilisateur » et « Éditeur de Proxy e-santé ».", count: count(Source::EdcPsc) },
            GuichetView { name: "Gazelle", role: "Plateforme de tests d'interopérabilité : rapports de tests.", count: count(Source::Gazelle) },
            GuichetView { name: "MOTCO2", role: "Plateforme de tests MSSanté : rapports de tests.", count: count(Source::Motco2) },
        ];
        let derogatory = DerogatoryView {
            cnda: count(Source::Cnda),
            edc_psc: count(Source::EdcPsc),
        };
        (guichets, derogatory)
    }

    fn guide_title(guide: &Guide<'_>) -> String {
        match guide.dsr {
            Some(d) => format!("{} — {}", d.code, d.nom),
            None => format!("{} — référentiel d'exigences", guide.code),
        }
    }

    fn guide(&self, guide: &Guide<'_>) -> Result<Vec<OutputFile>, Diagnostic> {
        let path = guide.url();
        let dir = format!("dispositifs/{}/", guide.code);
        let prose = self.prose.get(guide.code.as_str()).copied();
        let (guichets, derogatory) = Self::guichets(guide.current());
        let releases = guide.rems[..guide.rems.len().saturating_sub(1)]
            .iter()
            .rev()
            .map(|r| Link {
                title: format!("REM {}", r.version),
                url: format!("rem-{}.html", r.version),
            })
            .collect();
        let title = Self::guide_title(guide);
        let description = prose.and_then(|p| p.front.description.clone()).or_else(|| {
            Some(format!(
                "Guide de candidature au référencement Ségur pour le dispositif {}",
                guide.code
            ))
        });
        let view = GuideView {
            layout: self.layout(
                &path,
                &title,
                description.as_deref(),
                vec![Self::home_crumb()],
            ),
            archived: false,
            current_version: guide.current().map(|r| r.version.to_string()),
            dsr: guide.dsr.map(Self::dsr_view),
            prose_html: prose.map(|p| {
                markdown::page_html(&p.body, &ContentLinks::new(p, &path))
                    .replace("<h2", "<h3")
                    .replace("</h2>", "</h3>")
            }),
            guichets,
            derogatory,
            rem: guide.current().map(|r| self.rem_view(guide, r, true)),
            csv_url: "exigences.csv".to_owned(),
            releases,
            changelogs: self.changelog_links(&guide.code, &path),
        };
        let mut files = vec![self.html("guide.html", path, &view)?];
        if let Some(rem) = guide.current() {
            files.push(OutputFile {
                path: format!("{dir}exigences.csv"),
                bytes: render::csv::rem(&rem.rows),
            });
        }
        Ok(files)
    }

    fn archive(&self, guide: &Guide<'_>, i: usize) -> Result<Vec<OutputFile>, Diagnostic> {
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

    fn equivalences(&self) -> Result<Vec<OutputFile>, Diagnostic> {
        let path = "equivalences/index.html";
        let codes: Vec<&DispositifCode> = self.index.codes().iter().collect();
        let max = self
            .index
            .pairs()
            .values()
            .map(Vec::len)
            .max()
            .unwrap_or(0)
            .max(1);
        let count = |a: &DispositifCode, b: &DispositifCode| {
            let key = if a < b {
                (a.clone(), b.clone())
            } else {
                (b.clone(), a.clone())
            };
            self.index.pairs().get(&key).map_or(0, Vec::len)
        };
        let matrix = codes
            .iter()
            .map(|a| MatrixRow {
                code: a.to_string(),
                cells: codes
                    .iter()
                    .map(|b| {
                        let n = if a == b { 0 } else { count(a, b) };
                        MatrixCell {
                            code: b.to_string(),
                            count: n,
                            level: if n == 0 {
                                0
                            } else {
                                (n * 4).div_ceil(max).clamp(1, 4)
                            },
                            url: (n > 0).then(|| pair_file(a, b, "html")),
                            diagonal: a == b,
                        }
                    })
                    .collect(),
            })
            .collect();
        let pairs = self
            .index
            .pairs()
            .iter()
            .map(|((a, b), rows)| PairSummary {
                a: a.to_string(),
                b: b.to_string(),
                count: rows.len(),
                url: pair_file(a, b, "html"),
                csv_url: pair_file(a, b, "csv"),
            })
            .collect();
        let lists = self
            .project
            .equivalences
            .iter()
            .map(|l| ListSummary {
                name: l.name.clone(),
                groups: l.groups.len(),
                codes: l
                    .columns
                    .iter()
                    .map(|(c, _)| c.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
            .collect();
        let view = EquivalencesView {
            layout: self.layout(
                path,
                "Équivalences entre dispositifs",
                Some("Matrice des exigences communes entre dispositifs du référencement Ségur"),
                vec![Self::home_crumb()],
            ),
            codes: codes.iter().map(ToString::to_string).collect(),
            matrix,
            pairs,
            lists,
        };
        Ok(vec![self.html(
            "equivalences.html",
            path.to_owned(),
            &view,
        )?])
    }

    fn pair(&self, key: &(DispositifCode, DispositifCode)) -> Result<Vec<OutputFile>, Diagnostic> {
        let (a, b) = key;
        let rows = &self.index.pairs()[key];
        let path = format!("equivalences/{}", pair_file(a, b, "html"));
        let text = |code: &DispositifCode, id: &str| {
            self.guides
                .get(code)
                .and_then(|g| g.requirements.get(id))
                .map(|r| markdown::plain_text(&r.exigence, 140))
        };
        let side = |code: &DispositifCode| PairSide {
            code: code.to_string(),
            nom: self
                .project
                .catalogue
                .get(code.as_str())
                .map(|d| d.nom.clone()),
        };
        let view = PairView {
            layout: self.layout(
                &path,
                &format!("Équivalences entre {a} et {b}"),
                None,
                vec![
                    Self::home_crumb(),
                    Link {
                        title: "Équivalences".to_owned(),
                        url: "equivalences/index.html".to_owned(),
                    },
                ],
            ),
            a: side(a),
            b: side(b),
            csv_url: pair_file(a, b, "csv"),
            rows: rows
                .iter()
                .map(|r| PairRowView {
                    a: r.a.clone(),
                    a_url: self.requirement_url(a, &r.a, &path),
                    a_text: text(a, &r.a),
                    b: r.b.clone(),
                    b_url: self.requirement_url(b, &r.b, &path),
                    b_text: text(b, &r.b),
                    commentaire: r.commentaires.join(" ; "),
                    lists: r.lists.iter().cloned().collect::<Vec<_>>().join(", "),
                })
                .collect(),
        };
        Ok(vec![
            self.html("equivalence-pair.html", path, &view)?,
            OutputFile {
                path: format!("equivalences/{}", pair_file(a, b, "csv")),
                bytes: render::csv::pair(a, b, rows),
            },
        ])
    }

    fn content(&self, entry: &PageEntry<'_>) -> Result<Vec<OutputFile>, Diagnostic> {
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
                    url: p.output.clone(),
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
                    url: format!("{root}{}", p.output),
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

    /// Links to the changelog pages of `code`, newest first, relative to `from`.
    fn changelog_links(&self, code: &DispositifCode, from: &str) -> Vec<Link> {
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

    fn changelog(&self, code: &DispositifCode, i: usize) -> Result<Vec<OutputFile>, Diagnostic> {
        let d = &self.changelogs[code][i];
        let path = format!("changelog/{code}/{}--{}.html", d.old, d.new);
        let guide = &self.guides[code];
        let is_current = i + 2 == guide.rems.len();
        let root = root_of(&path);
        let target = if is_current {
            format!("{root}{}", guide.url())
        } else {
            format!("{root}dispositifs/{code}/rem-{}.html", d.new)
        };
        let anchors = if is_current {
            Some(&guide.anchors)
        } else {
            None
        };
        let link = |id: &str| -> Option<String> {
            let anchor = anchors.and_then(|a| a.get(id)).map_or(id, String::as_str);
            Some(format!("{target}#{anchor}"))
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

    /// The index of candidatures, from one row per checklist.
    fn candidatures(&self, rows: Vec<CandidatureRow>) -> Result<OutputFile, Diagnostic> {
        let path = "candidatures/index.html";
        let view = CandidaturesView {
            layout: self.layout(
                path,
                "Candidatures",
                Some("Les preuves à déposer par candidature"),
                vec![Self::home_crumb()],
            ),
            rows,
        };
        self.html("candidatures.html", path.to_owned(), &view)
    }

    /// A candidature's checklist page, its lists and documents, with its
    /// row of the index. The proof engine runs here, once; its answer is
    /// dropped once the files are made.
    fn candidature(
        &self,
        c: &crate::model::Candidature,
    ) -> Result<(Vec<OutputFile>, CandidatureRow), Vec<Diagnostic>> {
        let o = crate::rules::evaluate(
            c,
            self.project,
            &self.index,
            self.date.and_time(chrono::NaiveTime::MIN),
        )?;
        let row = CandidatureRow {
            url: format!("{}/index.html", c.id),
            id: c.id.to_string(),
            dispositif: o.dispositif.code.to_string(),
            solution: format!("{} {}", c.solution.nom, c.solution.version),
            profils: o
                .profils
                .iter()
                .map(|p| p.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            a_deposer: o.a_deposer.len(),
            masquees: o.masquees.len(),
            attestation: !o.attestation.is_empty(),
        };
        let files = self.candidature_files(&o).map_err(|d| vec![d])?;
        Ok((files, row))
    }

    fn candidature_files(
        &self,
        o: &crate::rules::Outcome<'_>,
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        use crate::rules::Mask;
        let c = o.candidature;
        let dir = format!("candidatures/{}/", c.id);
        let path = format!("{dir}index.html");
        let guide = format!(
            "{}dispositifs/{}/index.html",
            root_of(&path),
            o.dispositif.code
        );
        let refs = |r: &crate::model::Referencement| RefView {
            nru: r.nru.to_string(),
            dispositif: r.dispositif.to_string(),
            solution: r.solution.clone(),
            version: r.version.to_string(),
            profils: r
                .profils
                .iter()
                .map(|p| p.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        };
        let mut chapters: Vec<ChapterCounts> = Vec::new();
        for title in o.rem.chapters() {
            let mut counts = CountsView {
                a_deposer: o
                    .a_deposer
                    .iter()
                    .filter(|e| e.row.chapitre == title)
                    .count(),
                ..CountsView::default()
            };
            for m in o.masquees.iter().filter(|m| m.row.chapitre == title) {
                match m.mask {
                    Mask::Heritage(_) => counts.heritage += 1,
                    Mask::Equivalence { .. } => counts.equivalence += 1,
                    Mask::HorsEdcPsc => counts.hors_edc_psc += 1,
                }
            }
            if counts.a_deposer + counts.heritage + counts.equivalence + counts.hors_edc_psc > 0 {
                chapters.push(ChapterCounts {
                    anchor: (counts.a_deposer > 0)
                        .then(|| format!("deposer-{}", markdown::slug(title))),
                    title: title.to_owned(),
                    counts,
                });
            }
        }
        let (h, e, x) = crate::render::preuves::masked_counts(o);
        let totals = CountsView {
            a_deposer: o.a_deposer.len(),
            heritage: h,
            equivalence: e,
            hors_edc_psc: x,
        };
        let code = &o.dispositif.code;
        let proof_html = self.proof_html.get(code);
        let guide_of_code = self.guides.get(code);
        fn anchor_in<'s>(guide: Option<&'s Guide<'_>>, id: &'s str) -> &'s str {
            guide.map_or(id, |g| g.anchor(id))
        }
        let until = o.echeances.map(|d| french::datetime(d.date3));
        let deposit_groups = chapters
            .iter()
            .filter_map(|ch| {
                let anchor = ch.anchor.clone()?;
                let entries: Vec<_> = o
                    .a_deposer
                    .iter()
                    .filter(|e| e.row.chapitre == ch.title)
                    .collect();
                // Motifs repeat (one component, one root): explain each once.
                let mut explained: Vec<(&crate::rules::Motif, String)> = Vec::new();
                for e in &entries {
                    if e.motif != crate::rules::Motif::Nominal
                        && !explained.iter().any(|(m, _)| **m == e.motif)
                    {
                        explained.push((&e.motif, e.motif.explain(c, o.racine)));
                    }
                }
                let motifs: Vec<Option<&str>> = entries
                    .iter()
                    .map(|e| {
                        explained
                            .iter()
                            .find(|(m, _)| **m == e.motif)
                            .map(|(_, s)| s.as_str())
                    })
                    .collect();
                // Proof texts are rendered once per REM; render the others here.
                let fresh: Vec<Option<String>> = entries
                    .iter()
                    .map(|e| {
                        let cached = proof_html.is_some_and(|m| m.get(e.row).is_some());
                        (!cached).then(|| markdown::cell_html(&e.row.preuve))
                    })
                    .collect();
                let rows: Vec<checklist::DepositRow<'_>> = entries
                    .iter()
                    .zip(&fresh)
                    .zip(&motifs)
                    .map(|((e, fresh), motif)| checklist::DepositRow {
                        preuve: &e.row.preuve_id,
                        anchor: anchor_in(guide_of_code, &e.row.preuve_id),
                        text_html: proof_html
                            .and_then(|m| m.get(e.row))
                            .or(fresh.as_ref())
                            .map_or("", String::as_str),
                        source: e.row.source.as_str(),
                        source_inferred: e.row.source_inferred,
                        nature: e.row.nature,
                        nil: e.nil,
                        motif: *motif,
                        derogation: o
                            .echeances
                            .and_then(|d| d.derogation(e.row))
                            .zip(until.as_deref())
                            .map(|(d, until)| (until, d.content_now())),
                    })
                    .collect();
                let mut rows_html = String::with_capacity(rows.len() * 400);
                checklist::deposit_rows(&mut rows_html, &guide, &rows);
                Some(DepositGroup {
                    title: ch.title.clone(),
                    anchor,
                    rows_html,
                })
            })
            .collect();
        // One row per requirement (its proofs share the reason), not per proof.
        let mut masked: Vec<checklist::MaskedRow<'_>> = Vec::new();
        let mut last: Option<(&str, &Mask, &Vec<&str>)> = None;
        for m in &o.masquees {
            let key = (m.row.exigence_id.as_str(), &m.mask, &m.nils);
            let link = checklist::Anchor {
                text: &m.row.preuve_id,
                anchor: anchor_in(guide_of_code, &m.row.preuve_id),
            };
            if last == Some(key) {
                if let Some(row) = masked.last_mut() {
                    row.proofs.push(link);
                }
                continue;
            }
            last = Some(key);
            masked.push(checklist::MaskedRow {
                exigence: checklist::Anchor {
                    text: &m.row.exigence_id,
                    anchor: anchor_in(guide_of_code, &m.row.exigence_id),
                },
                proofs: vec![link],
                chapitre: &m.row.chapitre,
                reason: {
                    let why = match &m.mask {
                        Mask::Heritage(nru) => format!("héritage ({nru})"),
                        Mask::Equivalence { nru, .. } => format!("équivalence ({nru})"),
                        Mask::HorsEdcPsc => "profil hors EDC PSC".to_owned(),
                    };
                    // R5b: a homologation is spared only for these NILs.
                    if m.nils.is_empty() {
                        why
                    } else {
                        format!("{why} — homologation CNDA du NIL {}", m.nils.join(", "))
                    }
                },
                common: match &m.mask {
                    Mask::Equivalence {
                        requirement: (code, id),
                        ..
                    } => Some((
                        code.as_str(),
                        id.as_str(),
                        self.requirement_url(code, id, &path),
                    )),
                    _ => None,
                },
            });
        }
        let mut masked_html = String::with_capacity(masked.len() * 300);
        checklist::masked_rows(&mut masked_html, &guide, &masked);
        let deadlines = o
            .echeances
            .map(|e| {
                [
                    (
                        "Date 1",
                        e.date1,
                        "dossier administratif et éligibilité soumis",
                    ),
                    (
                        "Date 2",
                        e.date2,
                        "dossier de preuves complet soumis ; NRU de la solution racine déclaré",
                    ),
                    (
                        "Date 3",
                        e.date3,
                        "fin des échanges et des preuves dérogatoires",
                    ),
                ]
                .into_iter()
                .map(|(name, date, what)| DeadlineView {
                    name,
                    date: french::datetime(date),
                    what,
                    passed: date <= e.reference,
                })
                .collect()
            })
            .unwrap_or_default();
        let composants = c
            .solution
            .component_slots()
            .map(|slot| (slot.kind, slot.composant))
            .map(|(kind, k)| ComponentView {
                kind,
                nom: k.nom.clone(),
                editeur: k.editeur.clone(),
                nouveau: k.nouveau,
                chapitres: k.chapitres.join(" ; "),
            })
            .collect();
        let title = format!("Candidature {} — {}", c.id, c.solution.nom);
        let view = CandidatureView {
            layout: self.layout(
                &path,
                &title,
                Some("Preuves à déposer, preuves non redemandées, documents et échéances"),
                vec![
                    Self::home_crumb(),
                    Link {
                        title: "Candidatures".to_owned(),
                        url: "candidatures/index.html".to_owned(),
                    },
                ],
            ),
            id: c.id.to_string(),
            dispositif: format!("{} — {}", o.dispositif.code, o.dispositif.nom),
            guide_url: guide.clone(),
            rem_version: o.rem.version.to_string(),
            editeur: c.editeur.raison_sociale.clone(),
            solution: c.solution.nom.clone(),
            version: c.solution.version.to_string(),
            composant_principal: c.solution.composant_principal.clone(),
            profils: o
                .profils
                .iter()
                .map(|p| p.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            composants,
            noms: c
                .noms_commerciaux
                .iter()
                .map(|n| NameView {
                    nom: n.nom.clone(),
                    nil: n.nil.clone(),
                    version: n.version.to_string(),
                })
                .collect(),
            racine: o.racine.map(refs),
            heritage: o.heritage.iter().map(|r| refs(r)).collect(),
            totals,
            chapters,
            deposit_natures: nature_filter(o.a_deposer.iter().map(|e| e.row.nature)),
            deposit_groups,
            masked_html,
            masked_count: masked.len(),
            attestation: o.attestation.clone(),
            deadlines,
            reference: o
                .echeances
                .map(|e| french::date(e.reference.date()))
                .unwrap_or_default(),
            alertes: o.alertes.clone(),
            ordre: o.ordre_conseille(),
        };
        let document_error = |message: String| Diagnostic::error(Location::file(&c.file), message);
        let texts = self.row_texts.get(&o.dispositif.code);
        let mut files = vec![
            self.html("candidature.html", path, &view)?,
            OutputFile {
                path: format!("{dir}preuves.json"),
                bytes: crate::render::preuves::json_with(o, texts).into_bytes(),
            },
            OutputFile {
                path: format!("{dir}preuves.csv"),
                bytes: crate::render::preuves::csv_with(o, texts),
            },
        ];
        if !o.attestation.is_empty() {
            let bytes = crate::render::attestation::attestation(o, Some(self.date))
                .map_err(|e| document_error(format!("attestation : {}", e.0)))?;
            files.push(OutputFile {
                path: format!("{dir}attestation.pdf"),
                bytes,
            });
        }
        let markdown = crate::render::convention::markdown(&self.templates, o, self.date)
            .map_err(document_error)?;
        let html = crate::render::convention::html(&self.templates, &markdown, o)
            .map_err(document_error)?;
        let pdf = crate::render::convention::pdf(&markdown, o, self.date)
            .map_err(|e| document_error(format!("convention : {}", e.0)))?;
        files.push(OutputFile {
            path: format!("{dir}convention.html"),
            bytes: html.into_bytes(),
        });
        files.push(OutputFile {
            path: format!("{dir}convention.pdf"),
            bytes: pdf,
        });
        Ok(files)
    }

    fn assets(&self) -> Vec<OutputFile> {
        let mut files: BTreeMap<String, Vec<u8>> = render::DEFAULT_ASSETS
            .iter()
            .map(|(name, text)| (format!("assets/{name}"), text.as_bytes().to_vec()))
            .collect();
        for asset in &self.project.assets {
            files.insert(format!("assets/{}", asset.name), asset.bytes.clone());
        }
        files
            .into_iter()
            .map(|(path, bytes)| OutputFile { path, bytes })
            .collect()
    }

    /// `search-index.json`, and the same as a script for pages opened from disk.
    fn search(&self) -> Vec<OutputFile> {
        let mut entries = Vec::new();
        for g in self.guides.values() {
            let url = g.url();
            entries.push(SearchEntry {
                t: Self::guide_title(g),
                u: url.clone(),
                k: "dispositif",
                d: None,
                x: g.dsr.map(|d| d.couloir.clone()).unwrap_or_default(),
            });
            let Some(rem) = g.current() else { continue };
            let mut seen: BTreeSet<&str> = BTreeSet::new();
            for row in &rem.rows {
                if seen.insert(&row.exigence_id) {
                    entries.push(SearchEntry {
                        t: row.exigence_id.clone(),
                        u: format!("{url}#{}", g.anchor(&row.exigence_id)),
                        k: "exigence",
                        d: Some(g.code.to_string()),
                        x: markdown::plain_text(&row.exigence, 160),
                    });
                }
                entries.push(SearchEntry {
                    t: row.preuve_id.clone(),
                    u: format!("{url}#{}", g.anchor(&row.preuve_id)),
                    k: "preuve",
                    d: Some(g.code.to_string()),
                    x: markdown::plain_text(&row.preuve, 120),
                });
            }
        }
        for (a, b) in self.index.pairs().keys() {
            entries.push(SearchEntry {
                t: format!("Équivalences {a} et {b}"),
                u: format!("equivalences/{}", pair_file(a, b, "html")),
                k: "equivalence",
                d: None,
                x: String::new(),
            });
        }
        for c in &self.project.candidatures {
            entries.push(SearchEntry {
                t: format!("Candidature {}", c.id),
                u: format!("candidatures/{}/index.html", c.id),
                k: "candidature",
                d: Some(c.dispositif.to_string()),
                x: format!(
                    "{} {} — {}",
                    c.solution.nom,
                    c.solution.version,
                    c.noms_commerciaux
                        .iter()
                        .map(|n| n.nom.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            });
        }
        for p in &self.pages {
            entries.push(SearchEntry {
                t: p.title.clone(),
                u: p.output.clone(),
                k: "page",
                d: None,
                x: p.page
                    .front
                    .description
                    .clone()
                    .unwrap_or_else(|| markdown::plain_text(&p.page.body, 160)),
            });
        }
        let json = serde_json::to_string(&entries).unwrap_or_else(|_| "[]".to_owned());
        let script = format!("window.SEGURDOC_SEARCH={json};\n");
        vec![
            OutputFile {
                path: "search-index.json".to_owned(),
                bytes: json.into_bytes(),
            },
            OutputFile {
                path: "assets/search-index.js".to_owned(),
                bytes: script.into_bytes(),
            },
        ]
    }

    fn sitemap(&self, files: &[String]) -> OutputFile {
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
            .filter(|p| p.ends_with(".html"))
            .collect();
        paths.sort_unstable();
        let lastmod = &self.date_iso;
        let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for p in paths {
            let loc = p.strip_suffix("index.html").unwrap_or(p);
            xml.push_str(&format!(
                "  <url><loc>{}/{}</loc><lastmod>{lastmod}</lastmod></url>\n",
                xml_escape(base),
                xml_escape(loc)
            ));
        }
        xml.push_str("</urlset>\n");
        OutputFile {
            path: "sitemap.xml".to_owned(),
            bytes: xml.into_bytes(),
        }
    }
}

/// An entry of the search index; short keys keep the file small.
#[derive(Serialize)]
struct SearchEntry {
    /// Title (an ID for requirements and proofs).
    t: String,
    /// URL from the site root.
    u: String,
    /// Kind.
    k: &'static str,
    /// Dispositif.
    #[serde(skip_serializing_if = "Option::is_none")]
    d: Option<String>,
    /// Excerpt.
    x: String,
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `HOP-DPI--MS-DUI.html`: lower code first.
fn pair_file(a: &DispositifCode, b: &DispositifCode, ext: &str) -> String {
    let (x, y) = if a < b { (a, b) } else { (b, a) };
    format!("{x}--{y}.{ext}")
}

/// A page at the top of `content/` (`x.md` or `x/_index.md`).
fn is_top_level(path: &str) -> bool {
    match path.split_once('/') {
        None => path != "_index.md",
        Some((_, rest)) => rest == "_index.md",
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

fn order_key<'b>(p: &'b PageEntry<'_>) -> (i64, &'b str, &'b str) {
    (
        p.page.front.weight.unwrap_or(i64::MAX),
        p.title.as_str(),
        p.page.path.as_str(),
    )
}

/// Resolves `.md` links of a page to the pages they become.
struct ContentLinks<'p> {
    dir: &'p str,
    root: String,
}

impl<'p> ContentLinks<'p> {
    fn new(page: &'p ContentPage, output: &str) -> Self {
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
            content_output(&parts.join("/"))
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(content_output("a/b.md"), "a/b/index.html");
        assert_eq!(content_output("a/_index.md"), "a/index.html");
        assert_eq!(content_output("_index.md"), "index.html");
        assert_eq!(root_of("index.html"), "");
        assert_eq!(root_of("dispositifs/MS-DUI/index.html"), "../../");
        assert!(is_top_level("x.md") && is_top_level("x/_index.md"));
        assert!(!is_top_level("_index.md") && !is_top_level("x/y.md"));
        assert!(is_child("a/", "a/x.md") && is_child("a/", "a/y/_index.md"));
        assert!(!is_child("a/", "a/y/z.md") && !is_child("a/", "a/_index.md"));
        assert_eq!(
            title_from_path("parcours/preuves-derogatoires.md"),
            "Preuves derogatoires"
        );
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

    #[test]
    fn anchors_keep_ids_unless_taken() {
        let mut used = BTreeSet::new();
        assert_eq!(unique(&mut used, "rem"), "rem");
        assert_eq!(unique(&mut used, "rem"), "rem-2");
        assert_eq!(unique(&mut used, "rem"), "rem-3");
    }
}
