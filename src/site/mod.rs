//! The static site: plans every output file of a validated project, renders
//! them in parallel with templates compiled once, and hands the files to
//! [`write`], the one place that touches the output folder.

mod accessibility;
mod archive;
mod candidature;
mod changelog;
mod chapter;
pub mod checklist;
mod content;
mod equivalences;
mod feed;
mod guide;
mod home;
mod search;
mod sitemap;
pub mod views;
pub mod write;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use rayon::prelude::*;
use serde::Serialize;

use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::model::{
    ContentPage, Dispositif, DispositifCode, EquivalenceIndex, Project, Rem, RemRow, Source,
};
use crate::render::markdown::{self, LinkResolver};
use crate::render::{self, french, Templates};
use content::ContentLinks;
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

/// What part of a site a rendering makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// The documentation and the candidatures of the project.
    Everything,
    /// The documentation (the project's candidatures, if any, are ignored).
    Documentation,
    /// The candidatures alone (`candidatures/`, `assets/`), for an output of
    /// their own: `docs` leads to the documentation, an absolute URL or a
    /// way relative to this output's root (`../output/`).
    Candidatures {
        /// Prefix of links to the documentation.
        docs: String,
    },
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
    render_part(project, date, diags, sink, &Part::Everything)
}

/// [`render_to`], for one part of the site.
pub fn render_part(
    project: &Project,
    date: NaiveDate,
    diags: &mut Diagnostics,
    sink: &dyn Sink,
    part: &Part,
) -> Option<Rendered> {
    let templates = Templates::compile(&project.templates, diags)?;
    let plan = Plan::new(project, templates, date, diags, part)?;
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
    if plan.has_candidatures() {
        let index = plan.candidatures(rows).and_then(|files| {
            files.into_iter().try_for_each(|file| {
                paths.push(file.path.clone());
                put(file)
            })
        });
        if let Err(d) = index {
            diags.push(d);
            return None;
        }
    }
    let marker = OutputFile {
        path: write::MARKER.to_owned(),
        bytes: b"Dossier produit par segurdoc build ; il est remplace a chaque construction.\n"
            .to_vec(),
    };
    let mut last = vec![marker];
    if !matches!(part, Part::Candidatures { .. }) {
        last.push(plan.sitemap(&paths));
    }
    for file in last {
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

/// Bytes kept as they are in a URL path segment: RFC 3986 unreserved.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// An output path (`a b/c:d/index.html`) as a relative URL: each segment
/// percent-encoded (`a%20b/c%3Ad/index.html`), so that no page name can become
/// a scheme (`javascript:`), a query, a fragment or markup.
fn href(path: &str) -> String {
    path.split('/')
        .map(|s| utf8_percent_encode(s, SEGMENT).to_string())
        .collect::<Vec<_>>()
        .join("/")
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
    /// The current release's chapter pages and anchors.
    pages: Pages<'a>,
    /// First row of each requirement of the current release.
    requirements: HashMap<&'a str, &'a RemRow>,
}

impl Guide<'_> {
    /// Where a requirement or proof of the current release is, from the
    /// guide's folder: `chapitres/<chapter>.html#<anchor>`; the guide itself
    /// (whose index of numbers redirects) for an ID it does not have.
    fn target<'s>(&'s self, id: &'s str) -> std::borrow::Cow<'s, str> {
        match self.pages.targets.get(id) {
            Some(t) => t.as_str().into(),
            None => format!("index.html#{id}").into(),
        }
    }

    fn url(&self) -> String {
        format!("dispositifs/{}/index.html", self.code)
    }

    fn dir(&self) -> String {
        format!("dispositifs/{}/", self.code)
    }

    fn current(&self) -> Option<&Rem> {
        self.rems.last()
    }
}

/// What a page of `content/` becomes.
struct PageEntry<'a> {
    page: &'a ContentPage,
    /// The output path, where a file is written.
    output: String,
    /// The same path as a URL: [`href`] of `output`.
    href: String,
    title: String,
}

enum Job<'a> {
    Home,
    Guide(&'a Guide<'a>),
    Archive(&'a Guide<'a>, usize),
    Changelog(&'a DispositifCode, usize),
    Feed(&'a DispositifCode),
    Equivalences,
    Pair(&'a (DispositifCode, DispositifCode)),
    Content(usize),
    Candidature(usize),
    Assets,
    Search,
    Accessibility,
    NotFound,
}

struct Plan<'a> {
    project: &'a Project,
    /// What this rendering makes.
    part: &'a Part,
    templates: Templates,
    index: EquivalenceIndex,
    guides: BTreeMap<DispositifCode, Guide<'a>>,
    pages: Vec<PageEntry<'a>>,
    /// Content path → index in `pages`.
    page_index: HashMap<&'a str, usize>,
    prose: HashMap<String, &'a ContentPage>,
    home_intro: Option<&'a ContentPage>,
    /// (title, URL from the root — a page's [`href`] —, output prefix marking it current)
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

/// How a release is split into pages, one per chapter, and the anchor of
/// each requirement and proof on them.
#[derive(Default)]
struct Pages<'a> {
    /// The folder of the chapter pages, from the guide's.
    folder: String,
    /// Chapter titles and their file stems, in REM order.
    chapters: Vec<(&'a str, String)>,
    /// The chapter (index in `chapters`) of each requirement and proof.
    chapter_of: rustc_hash::FxHashMap<&'a str, usize>,
    /// Anchor of each requirement and proof: its ID unless already taken.
    anchors: rustc_hash::FxHashMap<&'a str, String>,
    /// `<folder>/<stem>.html#<anchor>` of each requirement and proof.
    targets: rustc_hash::FxHashMap<&'a str, String>,
    /// Every id the pages use, for the scenarios' anchors.
    used: BTreeSet<String>,
}

/// Longest file stem of a chapter page, in bytes.
const CHAPTER_STEM_MAX: usize = 64;

/// The file stem of a chapter page: its title in lower-case ASCII words
/// joined by hyphens, cut on a word; `chapitre` when nothing is left.
fn chapter_stem(title: &str) -> String {
    let mut stem = String::new();
    for word in crate::text::fold_key(title)
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !stem.is_empty() && stem.len() + 1 + word.len() > CHAPTER_STEM_MAX {
            break;
        }
        if !stem.is_empty() {
            stem.push('-');
        }
        stem.push_str(&word[..word.len().min(CHAPTER_STEM_MAX)]);
    }
    if stem.is_empty() {
        stem.push_str("chapitre");
    }
    stem
}

/// The pages of a release whose chapter pages go in `folder` (`chapitres`,
/// `rem-1.0`). Anchors: requirement IDs first, then proof numbers, each kept
/// as written unless already taken. A requirement, with all its proofs, is
/// in the chapter of its first row, as the guide shows it.
fn pages_of<'a>(rem: &'a Rem, folder: &str) -> Pages<'a> {
    let mut pages = Pages {
        folder: folder.to_owned(),
        used: GUIDE_IDS.iter().map(|s| (*s).to_owned()).collect(),
        ..Pages::default()
    };
    let mut stems: BTreeSet<String> = BTreeSet::new();
    let requirements = rem.requirements();
    for (id, rows) in &requirements {
        let title = rows[0].chapitre.as_str();
        let chapter = match pages.chapters.iter().position(|(t, _)| *t == title) {
            Some(i) => i,
            None => {
                let stem = unique(&mut stems, &chapter_stem(title));
                pages.chapters.push((title, stem));
                pages.chapters.len() - 1
            }
        };
        pages.chapter_of.insert(id, chapter);
        for row in rows {
            pages.chapter_of.entry(&row.preuve_id).or_insert(chapter);
        }
    }
    for (id, _) in &requirements {
        let a = unique(&mut pages.used, id);
        pages.anchors.insert(id, a);
    }
    for row in &rem.rows {
        if !pages.anchors.contains_key(row.preuve_id.as_str()) {
            let a = unique(&mut pages.used, &row.preuve_id);
            pages.anchors.insert(row.preuve_id.as_str(), a);
        }
    }
    for (id, anchor) in &pages.anchors {
        let stem = &pages.chapters[pages.chapter_of[id]].1;
        pages
            .targets
            .insert(id, format!("{folder}/{stem}.html#{anchor}"));
    }
    pages
}

impl<'a> Plan<'a> {
    fn new(
        project: &'a Project,
        templates: Templates,
        date: NaiveDate,
        diags: &mut Diagnostics,
        part: &'a Part,
    ) -> Option<Self> {
        let with_candidatures = *part != Part::Documentation && !project.candidatures.is_empty();
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
            let (pages, requirements) = match rems.last() {
                Some(rem) => {
                    let mut first = HashMap::new();
                    for row in &rem.rows {
                        first.entry(row.exigence_id.as_str()).or_insert(row);
                    }
                    (pages_of(rem, "chapitres"), first)
                }
                None => (Pages::default(), HashMap::new()),
            };
            guides.insert(
                code.clone(),
                Guide {
                    dsr: project.catalogue.get(code.as_str()),
                    code,
                    rems,
                    pages,
                    requirements,
                },
            );
        }

        // Generated paths a page of content/ may not take.
        let mut reserved: BTreeSet<String> = BTreeSet::new();
        reserved.insert("index.html".to_owned());
        reserved.insert("equivalences/index.html".to_owned());
        reserved.insert("candidatures/index.html".to_owned());
        reserved.insert("recherche/index.html".to_owned());
        reserved.insert("accessibilite/index.html".to_owned());
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
                href: href(&output),
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
        if with_candidatures {
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
            nav.push((p.title.clone(), p.href.clone(), prefix));
        }
        Some(Plan {
            project,
            part,
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

    /// Whether this rendering writes the candidatures.
    fn has_candidatures(&self) -> bool {
        match self.part {
            Part::Everything => !self.project.candidatures.is_empty(),
            Part::Documentation => false,
            Part::Candidatures { .. } => true,
        }
    }

    fn jobs(&self) -> Vec<Job<'_>> {
        let candidatures = (0..self.project.candidatures.len()).map(Job::Candidature);
        match self.part {
            Part::Candidatures { .. } => {
                return std::iter::once(Job::Assets).chain(candidatures).collect()
            }
            Part::Documentation => return self.documentation_jobs(),
            Part::Everything => {}
        }
        let mut jobs = self.documentation_jobs();
        jobs.extend(candidatures);
        jobs
    }

    fn documentation_jobs(&self) -> Vec<Job<'_>> {
        let mut jobs = vec![
            Job::Home,
            Job::Assets,
            Job::Search,
            Job::Accessibility,
            Job::NotFound,
        ];
        for g in self.guides.values() {
            jobs.push(Job::Guide(g));
            for i in 0..g.rems.len().saturating_sub(1) {
                jobs.push(Job::Archive(g, i));
            }
        }
        for (code, diffs) in &self.changelogs {
            jobs.extend((0..diffs.len()).map(|i| Job::Changelog(code, i)));
            jobs.push(Job::Feed(code));
        }
        if !self.project.equivalences.is_empty() {
            jobs.push(Job::Equivalences);
            jobs.extend(self.index.pairs().keys().map(Job::Pair));
        }
        jobs.extend((0..self.pages.len()).map(Job::Content));
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
            Job::Search => self.search(),
            Job::Feed(code) => Ok(self.feed(code)),
            Job::Accessibility => self.accessibility().map(|f| vec![f]),
            Job::NotFound => self.not_found().map(|f| vec![f]),
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
        let level = self.project.site.accessibility.level();
        let mut footer_links = vec![Link {
            title: format!("Accessibilité : {level}"),
            url: self.link(path, "accessibilite/index.html"),
        }];
        footer_links.extend(self.project.site.footer_links.iter().map(|l| Link {
            title: l.title.clone(),
            url: if l.url.contains("://") {
                l.url.clone()
            } else {
                self.link(path, &l.url)
            },
        }));
        Layout {
            feeds: self.feeds_for(path),
            docs: self.link(path, ""),
            private: path.starts_with("candidatures/"),
            footer_links,
            language: self.project.site.language.clone(),
            site_title: self.project.site.title.clone(),
            page_title: title.to_owned(),
            description: description.map(str::to_owned),
            nav: self
                .nav
                .iter()
                .map(|(t, url, prefix)| NavItem {
                    title: t.clone(),
                    url: self.link(path, url),
                    current: *url == href(path)
                        || (!prefix.is_empty() && path.starts_with(prefix.as_str())),
                })
                .collect(),
            breadcrumbs: breadcrumbs
                .into_iter()
                .map(|l| Link {
                    url: self.link(path, &l.url),
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

    /// The link from the page at `from` to `url` (from the site root): in
    /// a separate output of candidatures, a page outside `candidatures/`
    /// is the documentation's.
    fn link(&self, from: &str, url: &str) -> String {
        match self.part {
            Part::Candidatures { docs } if !url.starts_with("candidatures/") => {
                if docs.contains("://") {
                    format!("{docs}{url}")
                } else {
                    format!("{}{docs}{url}", root_of(from))
                }
            }
            _ => format!("{}{url}", root_of(from)),
        }
    }

    fn home_crumb() -> Link {
        Link {
            title: "Accueil".to_owned(),
            url: "index.html".to_owned(),
        }
    }

    /// Link from a page at `from` to requirement `id` of `code`, when its guide has it.
    fn requirement_url(&self, code: &DispositifCode, id: &str, from: &str) -> Option<String> {
        let guide = self.guides.get(code)?;
        guide.requirements.get(id)?;
        let target = guide.pages.targets.get(id)?;
        Some(format!("{}{target}", self.link(from, &guide.dir())))
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

fn order_key<'b>(p: &'b PageEntry<'_>) -> (i64, &'b str, &'b str) {
    (
        p.page.front.weight.unwrap_or(i64::MAX),
        p.title.as_str(),
        p.page.path.as_str(),
    )
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
        assert_eq!(
            title_from_path("parcours/preuves-derogatoires.md"),
            "Preuves derogatoires"
        );
    }

    #[test]
    fn anchors_keep_ids_unless_taken() {
        let mut used = BTreeSet::new();
        assert_eq!(unique(&mut used, "rem"), "rem");
        assert_eq!(unique(&mut used, "rem"), "rem-2");
        assert_eq!(unique(&mut used, "rem"), "rem-3");
    }
}
