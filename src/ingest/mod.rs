//! Ingestion: every input file of a project read into typed model values,
//! with a located diagnostic for everything that is wrong in it.
//!
//! This is the only module that reads the file system. Each loader takes the
//! text (or bytes) of one file and returns model values; cross-file checks
//! live in [`crate::validate`].

mod candidature;
mod content;
mod dsr;
mod equivalences;
mod registry;
pub mod rem;
pub mod squash;
pub mod table;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{NaiveDate, NaiveDateTime};
use rayon::prelude::*;

use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::model::{DispositifCode, Project, SiteConfig, Version};

pub use candidature::parse_candidature;
pub use content::parse_page;
pub use dsr::parse_catalogue;
pub use equivalences::parse_equivalences;
pub use registry::parse_registry;
pub use rem::{parse_rem, parse_rem_file, rem_file_version};

/// A project and everything that was wrong while loading it.
#[derive(Debug)]
pub struct Loaded {
    /// What could be read.
    pub project: Project,
    /// Every problem found, sorted by file and position.
    pub diagnostics: Diagnostics,
}

/// A problem that prevents loading at all (the folder does not exist).
#[derive(Debug)]
pub struct LoadError(pub String);

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// How a path is shown to the user: as they would type it from where they
/// ran the command (`data/dsr.csv`, or `../ref/data/dsr.csv` with `--project ../ref`).
pub fn display_path(root: &Path, path: &Path) -> Arc<str> {
    let relative = path.strip_prefix(root).unwrap_or(path);
    let shown = if root == Path::new(".") || root.as_os_str().is_empty() {
        relative.to_path_buf()
    } else {
        root.join(relative)
    };
    Arc::from(shown.to_string_lossy().replace('\\', "/"))
}

/// The file name without its extension (`socle` for `socle.csv`).
pub(crate) fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Reads a whole file, turning an I/O failure into a diagnostic on that file.
fn read_file(path: &Path, shown: &Arc<str>, diags: &mut Diagnostics) -> Option<Vec<u8>> {
    match std::fs::read(path) {
        Ok(bytes) => Some(bytes),
        Err(err) => {
            diags.error(Location::file(shown), format!("lecture impossible : {err}"));
            None
        }
    }
}

/// What to load of a project.
#[derive(Debug, Clone)]
pub enum Scope {
    /// Every input.
    Everything,
    /// What one candidature needs: the DSR, equivalence lists, registry, this
    /// candidature file (inside the project or not) and the current REMs of
    /// its dispositif and of its root solution's. No pages, no templates.
    Candidature(PathBuf),
}

/// Loads every input of the project at `root`. Files are read and parsed
/// once each, REMs in parallel; the result does not depend on file-system order.
pub fn load_project(root: &Path) -> Result<Loaded, LoadError> {
    load_scoped(root, &Scope::Everything)
}

/// Loads what `scope` asks for.
pub fn load_scoped(root: &Path, scope: &Scope) -> Result<Loaded, LoadError> {
    if !root.is_dir() {
        return Err(LoadError(format!(
            "le dossier de projet « {} » n'existe pas ou n'est pas un dossier",
            root.display()
        )));
    }
    let data = root.join("data");
    if !data.is_dir() && !root.join("content").is_dir() {
        return Err(LoadError(format!(
            "« {} » n'est pas un projet segurdoc : ni dossier data/ ni dossier content/ (lancez la commande dans un projet, ou indiquez-le avec --project DIR)",
            root.display()
        )));
    }
    let mut diags = Diagnostics::new();
    let mut project = Project {
        root: root.to_path_buf(),
        ..Project::default()
    };

    let site_path = data.join("site.yaml");
    if site_path.is_file() {
        let shown = display_path(root, &site_path);
        if let Some(bytes) = read_file(&site_path, &shown, &mut diags) {
            if let Some(site) = parse_site(&shown, &bytes, &mut diags) {
                project.site = site;
            }
        }
    }

    let dsr_path = data.join("dsr.csv");
    if dsr_path.is_file() {
        let shown = display_path(root, &dsr_path);
        if let Some(bytes) = read_file(&dsr_path, &shown, &mut diags) {
            project.catalogue = parse_catalogue(&shown, &bytes, &mut diags);
        }
    }

    for path in list_files(&data.join("equivalences"), 1, &["csv"], root, &mut diags) {
        let shown = display_path(root, &path);
        if let Some(bytes) = read_file(&path, &shown, &mut diags) {
            if let Some(list) = parse_equivalences(&shown, &file_stem(&path), &bytes, &mut diags) {
                project.equivalences.push(list);
            }
        }
    }

    let registry_path = data.join("referencements.csv");
    if registry_path.is_file() {
        let shown = display_path(root, &registry_path);
        if let Some(bytes) = read_file(&registry_path, &shown, &mut diags) {
            project.registry = parse_registry(&shown, &bytes, &mut diags);
        }
    }

    let candidature_files = match scope {
        Scope::Everything => list_files(
            &data.join("candidatures"),
            1,
            &["yaml", "yml"],
            root,
            &mut diags,
        ),
        Scope::Candidature(path) => vec![path.clone()],
    };
    for path in candidature_files {
        let shown = display_path(root, &path);
        if let Some(bytes) = read_file(&path, &shown, &mut diags) {
            if let Some(c) = parse_candidature(&shown, &file_stem(&path), &bytes, &mut diags) {
                project.candidatures.push(c);
            }
        }
    }

    // REMs are the bulk of the data: parse them in parallel, then put them
    // back in a deterministic order.
    let mut rem_files = list_files(&data.join("rem"), 2, &["csv", "xlsx"], root, &mut diags);
    if let Scope::Candidature(_) = scope {
        // The current release of the candidature's dispositif and of its
        // root's; file names tell which is current without parsing.
        let mut wanted: BTreeSet<DispositifCode> = BTreeSet::new();
        for c in &project.candidatures {
            wanted.insert(c.dispositif.clone());
            if let Some(r) = c.equivalence.as_ref().and_then(|n| project.registry.get(n)) {
                wanted.insert(r.dispositif.clone());
            }
        }
        let mut current: BTreeMap<DispositifCode, (Version, PathBuf)> = BTreeMap::new();
        for path in &rem_files {
            if let Ok((code, version)) = rem_file_version(path) {
                if wanted.contains(&code) && current.get(&code).is_none_or(|(v, _)| version > *v) {
                    current.insert(code, (version, path.clone()));
                }
            }
        }
        rem_files = current.into_values().map(|(_, p)| p).collect();
    }
    let parsed: Vec<_> = rem_files
        .par_iter()
        .map(|path| {
            let mut local = Diagnostics::new();
            let shown = display_path(root, path);
            let rem = read_file(path, &shown, &mut local)
                .and_then(|bytes| parse_rem(&shown, path, &bytes, &mut local));
            (path, rem, local)
        })
        .collect();
    for (path, rem, local) in parsed {
        diags.extend(local);
        if rem.is_none() {
            if let Ok((code, _)) = rem_file_version(path) {
                project.unreadable_rems.insert(code);
            }
        }
        if let Some(rem) = rem {
            let releases = project.rems.entry(rem.dispositif.clone()).or_default();
            if let Some(existing) = releases.iter().find(|r| r.version == rem.version) {
                diags.error(
                    Location::file(&rem.file),
                    format!(
                        "deux publications du REM {} portent la version {} : {} et {}",
                        rem.dispositif, rem.version, existing.file, rem.file
                    ),
                );
                continue;
            }
            releases.push(rem);
        }
    }
    for releases in project.rems.values_mut() {
        releases.sort_by(|a, b| a.version.cmp(&b.version));
    }

    if let Scope::Candidature(_) = scope {
        // Templates: the convention draft is rendered with them.
        load_templates(root, &mut project, &mut diags);
        return Ok(Loaded {
            project,
            diagnostics: diags,
        });
    }

    // Pages can be thousands: read and parse them in parallel.
    let content = root.join("content");
    let page_files = list_files(&content, usize::MAX, &["md"], root, &mut diags);
    let parsed: Vec<_> = page_files
        .par_iter()
        .map(|path| {
            let mut local = Diagnostics::new();
            let shown = display_path(root, path);
            let relative = path
                .strip_prefix(&content)
                .unwrap_or(path)
                .to_string_lossy()
                .replace('\\', "/");
            // A page's name becomes its URL and its sitemap entry: a name the
            // file system allows but a URL or XML cannot carry is refused.
            if relative.chars().any(char::is_control) || path.to_str().is_none() {
                local.error(
                    Location::file(&shown),
                    "nom de fichier refusé : il contient un caractère de contrôle ou n'est pas \
                     de l'UTF-8 valide ; renommez le fichier",
                );
                return (None, local);
            }
            let page = read_file(path, &shown, &mut local)
                .and_then(|bytes| parse_page(&shown, &relative, &bytes, &mut local));
            (page, local)
        })
        .collect();
    for (page, local) in parsed {
        diags.extend(local);
        project.pages.extend(page);
    }

    load_templates(root, &mut project, &mut diags);
    project.newest_input = newest_input(root);

    Ok(Loaded {
        project,
        diagnostics: diags,
    })
}

/// `templates/**/*.html|*.tera` and `templates/assets/**`. Other files (a
/// README) are not templates and are left alone.
fn load_templates(root: &Path, project: &mut Project, diags: &mut Diagnostics) {
    let dir = root.join("templates");
    if !dir.is_dir() {
        return;
    }
    let assets = dir.join("assets");
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                let shown = display_path(root, err.path().unwrap_or(&dir));
                diags.error(
                    Location::file(&shown),
                    format!("lecture impossible : {err}"),
                );
                continue;
            }
        };
        let name = entry.file_name().to_string_lossy();
        if !entry.file_type().is_file() || name.starts_with('.') || name.starts_with("~$") {
            continue;
        }
        let path = entry.path();
        let shown = display_path(root, path);
        if let Ok(relative) = path.strip_prefix(&assets) {
            if let Some(bytes) = read_file(path, &shown, diags) {
                project.assets.push(crate::model::AssetSource {
                    name: relative.to_string_lossy().replace('\\', "/"),
                    bytes,
                });
            }
            continue;
        }
        let ext = path.extension().map(|e| e.to_string_lossy().to_lowercase());
        if !matches!(ext.as_deref(), Some("html" | "tera")) {
            continue;
        }
        let relative = path
            .strip_prefix(&dir)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/");
        if let Some(bytes) = read_file(path, &shown, diags) {
            if let Some(text) = decode_or_report(&shown, &bytes, diags) {
                project.templates.push(crate::model::TemplateSource {
                    name: relative,
                    text,
                    file: shown,
                });
            }
        }
    }
}

/// The modification time of the newest input (data, content, templates): the
/// date a build shows when `SOURCE_DATE_EPOCH` is not set.
pub fn newest_input(root: &Path) -> Option<std::time::SystemTime> {
    ["data", "content", "templates"]
        .iter()
        .flat_map(|dir| walkdir::WalkDir::new(root.join(dir)).into_iter().flatten())
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| e.metadata().ok()?.modified().ok())
        .max()
}

/// The files below `dir` (at most `depth` levels) with one of `extensions`,
/// sorted by path. Other files get a warning, so that a REM saved as `.ods`
/// does not silently vanish; hidden files and editor lock files are skipped.
fn list_files(
    dir: &Path,
    depth: usize,
    extensions: &[&str],
    root: &Path,
    diags: &mut Diagnostics,
) -> Vec<PathBuf> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir)
        .max_depth(depth)
        .sort_by_file_name()
    {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                let shown = display_path(root, err.path().unwrap_or(dir));
                diags.error(
                    Location::file(&shown),
                    format!("lecture du dossier impossible : {err}"),
                );
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy();
        // Hidden files, and the lock files Excel and LibreOffice leave beside open files.
        if name.starts_with('.') || name.starts_with("~$") {
            continue;
        }
        let ext = entry
            .path()
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        if extensions.contains(&ext.as_str()) {
            files.push(entry.into_path());
        } else {
            diags.warning(
                Location::file(&display_path(root, entry.path())),
                format!(
                    "fichier ignoré : extension attendue {}",
                    extensions.join(" ou ")
                ),
            );
        }
    }
    files
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct SiteFile {
    title: Option<String>,
    description: Option<String>,
    base_url: Option<String>,
    language: Option<String>,
    public: Option<bool>,
    publisher: Option<String>,
    accessibility: Option<AccessibilityFile>,
    footer_links: Option<Vec<FooterLinkFile>>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct AccessibilityFile {
    contact: Option<String>,
    audit: Option<AuditFile>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct AuditFile {
    date: String,
    auditor: Option<String>,
    rate: f64,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct FooterLinkFile {
    title: String,
    url: String,
}

fn parse_site(file: &Arc<str>, bytes: &[u8], diags: &mut Diagnostics) -> Option<SiteConfig> {
    let text = decode_or_report(file, bytes, diags)?;
    if text.trim().is_empty() {
        return Some(SiteConfig::default());
    }
    let raw: SiteFile = match serde_yaml::from_str(&text) {
        Ok(raw) => raw,
        Err(err) => {
            diags.push(yaml_error(file, &err, 0));
            return None;
        }
    };
    let defaults = SiteConfig::default();
    let language = raw.language.unwrap_or(defaults.language);
    if language != "fr" {
        diags.warning(
            crate::model::locate_key(file, &text, "language"),
            format!("langue « {language} » : le site est rédigé en français (fr)"),
        );
    }
    let at = |key: &str| crate::model::locate_key(file, &text, key);
    let mut ok = true;
    let mut accessibility = crate::model::Accessibility::default();
    if let Some(a) = raw.accessibility {
        accessibility.contact = a
            .contact
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty());
        if let Some(audit) = a.audit {
            let date = chrono::NaiveDate::parse_from_str(audit.date.trim(), "%Y-%m-%d");
            match date {
                Ok(date) if (0.0..=100.0).contains(&audit.rate) => {
                    accessibility.audit = Some(crate::model::Audit {
                        date,
                        auditor: audit.auditor,
                        // In range: the cast cannot truncate.
                        rate_tenths: (audit.rate * 10.0).round() as u16,
                    });
                }
                Ok(_) => {
                    diags.error(
                        at("accessibility.audit.rate"),
                        format!(
                            "taux de conformité {} : un pourcentage de 0 à 100 est attendu",
                            audit.rate
                        ),
                    );
                    ok = false;
                }
                Err(_) => {
                    diags.error(
                        at("accessibility.audit.date"),
                        format!("date d'audit « {} » : AAAA-MM-JJ est attendu", audit.date),
                    );
                    ok = false;
                }
            }
        }
    }
    // The site's public address goes into the sitemap, the feeds, links
    // and the 404 page: an http(s) address of a host, nothing else.
    let base_url = raw
        .base_url
        .map(|u| u.trim().trim_end_matches('/').to_owned());
    if let Some(url) = &base_url {
        let host = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .and_then(|rest| rest.split('/').next())
            .unwrap_or("");
        let clean = url.chars().all(|c| {
            c.is_ascii_graphic() && !matches!(c, '"' | '<' | '>' | '\\' | '`' | '?' | '#')
        });
        if host.is_empty() || !clean {
            diags.error(
                at("base_url"),
                format!(
                    "base_url « {} » : une adresse http:// ou https:// du site est attendue (https://exemple.fr/referencement), sans espace, guillemet, ? ni #",
                    url.chars().filter(|c| !c.is_control()).take(120).collect::<String>()
                ),
            );
            ok = false;
        }
    }
    let mut footer_links = Vec::new();
    for (i, l) in raw.footer_links.unwrap_or_default().into_iter().enumerate() {
        let url = l.url.trim();
        let absolute = url.starts_with("https://") || url.starts_with("http://");
        let relative = !url.is_empty()
            && !url.contains(':')
            && !url.starts_with('/')
            && !url.split('/').any(|s| s == "..");
        if l.title.trim().is_empty() || !(absolute || relative) {
            diags.error(
                at(&format!("footer_links[{i}].url")),
                format!(
                    "lien de pied de page « {} » → « {url} » : un titre et une adresse http(s):// ou un chemin depuis la racine du site (mentions-legales/index.html) sont attendus",
                    l.title.trim()
                ),
            );
            ok = false;
            continue;
        }
        footer_links.push(crate::model::FooterLink {
            title: l.title.trim().to_owned(),
            url: url.to_owned(),
        });
    }
    if !ok {
        return None;
    }
    Some(SiteConfig {
        title: raw.title.unwrap_or(defaults.title),
        description: raw.description,
        base_url,
        language,
        public: raw.public.unwrap_or(false),
        publisher: raw
            .publisher
            .map(|p| p.trim().to_owned())
            .filter(|p| !p.is_empty())
            .unwrap_or(defaults.publisher),
        accessibility,
        footer_links,
    })
}

/// Decodes a text file, reporting undecodable content at its position.
fn decode_or_report(file: &Arc<str>, bytes: &[u8], diags: &mut Diagnostics) -> Option<String> {
    match crate::text::decode(bytes) {
        Ok(d) => Some(d.text),
        Err(e) => {
            diags.error(Location::new(file, e.line, e.column), e.message);
            None
        }
    }
}

/// Turns a serde_yaml error into a French diagnostic, with a "did you mean"
/// hint for unknown keys. `line_offset` shifts lines for YAML embedded in a
/// larger file (front matter).
fn yaml_error(file: &Arc<str>, err: &serde_yaml::Error, line_offset: u32) -> Diagnostic {
    let (line, column) = err.location().map_or((0, 0), |l| {
        (
            crate::text::to_u32(l.line()) + line_offset,
            crate::text::to_u32(l.column()),
        )
    });
    let location = Location::new(file, line, column);
    let full = err.to_string();
    // serde_yaml writes "path: message at line L column C".
    let without_position = full
        .rfind(" at line ")
        .map_or(full.as_str(), |i| &full[..i]);
    let (path, message) = match without_position.split_once(": ") {
        Some((path, message)) if !path.contains(' ') => (Some(path), message),
        _ => (None, without_position),
    };
    let within = path.map(|p| format!(" dans « {p} »")).unwrap_or_default();
    let quoted = backticked(message);
    if message.starts_with("unknown field") {
        let unknown = quoted.first().cloned().unwrap_or_default();
        let expected: Vec<&str> = quoted.iter().skip(1).map(String::as_str).collect();
        let mut d = Diagnostic::error(location, format!("clé inconnue « {unknown} »{within}"));
        d.hint = Some(
            match crate::diag::did_you_mean(&unknown, expected.iter().copied()) {
                Some(best) => format!("vouliez-vous dire « {best} » ?"),
                None => format!("clés possibles : {}", expected.join(", ")),
            },
        );
        return d;
    }
    if message.starts_with("missing field") {
        let missing = quoted.first().cloned().unwrap_or_default();
        return Diagnostic::error(
            location,
            format!("clé obligatoire « {missing} » absente{within}"),
        );
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, "?"));
        return Diagnostic::error(
            location,
            format!(
                "valeur de type invalide{within} : {} est attendu, pas {}",
                french_type(expected),
                french_type(found)
            ),
        );
    }
    if message.starts_with("duplicate entry") || message.contains("duplicate field") {
        return Diagnostic::error(location, format!("clé en double{within} : {message}"));
    }
    // Our own messages (already French) and YAML syntax errors.
    Diagnostic::error(location, format!("{message}{within}"))
}

fn backticked(message: &str) -> Vec<String> {
    message
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

fn french_type(t: &str) -> String {
    let t = t.trim();
    if t.starts_with("sequence") || t.starts_with("a sequence") {
        "une liste".to_owned()
    } else if t.starts_with("map") || t.starts_with("struct") || t.starts_with("a map") {
        "un dictionnaire (clé: valeur)".to_owned()
    } else if t.starts_with("string") || t.starts_with("a string") {
        "un texte".to_owned()
    } else if t.starts_with("boolean") || t.starts_with("a boolean") {
        "un booléen (true/false)".to_owned()
    } else if t.starts_with("integer") || t.starts_with("floating") || t.starts_with("i64") {
        format!("un nombre ({t})")
    } else if t.starts_with("unit") {
        "une valeur vide".to_owned()
    } else {
        t.to_owned()
    }
}

/// Parses a date as users write it: `2026-06-03` or `03/06/2026`.
pub fn parse_date(raw: &str) -> Result<NaiveDate, String> {
    let raw = raw.trim();
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(raw, "%d/%m/%Y"))
        .ok()
        .filter(four_digit_year)
        .ok_or_else(|| format!("date « {raw} » invalide : AAAA-MM-JJ attendu (ex. 2026-06-03)"))
}

/// chrono's `%Y` takes `26` as the year 26: a two-digit year is a typo for
/// 2026 or 1926, never a date we can use.
fn four_digit_year(date: &NaiveDate) -> bool {
    use chrono::Datelike;
    (1900..=2199).contains(&date.year())
}

/// Parses a deadline: `2026-10-01T12:00`, `2026-10-01 12:00` or
/// `01/10/2026 12:00`. A date without time is refused: a deadline at
/// midnight or at noon are different promises.
pub fn parse_datetime(raw: &str) -> Result<NaiveDateTime, String> {
    let raw = raw.trim();
    for format in [
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%d/%m/%Y %H:%M",
        "%d/%m/%Y %H:%M:%S",
    ] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(raw, format) {
            if four_digit_year(&dt.date()) {
                return Ok(dt);
            }
        }
    }
    if parse_date(raw).is_ok() {
        return Err(format!(
            "date « {raw} » sans heure : précisez l'heure limite (ex. {raw}T12:00)"
        ));
    }
    Err(format!(
        "date « {raw} » invalide : AAAA-MM-JJTHH:MM attendu (ex. 2026-10-01T12:00)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_iso_and_french_forms() {
        assert_eq!(parse_date("2026-06-03"), parse_date("03/06/2026"));
        assert!(parse_date("2026-02-30").is_err());
        assert!(parse_date("12/05/26").is_err());
        assert!(parse_datetime("01/10/26 12:00").is_err());
        assert_eq!(
            parse_datetime("2026-10-01T12:00"),
            parse_datetime("01/10/2026 12:00")
        );
        assert_eq!(
            parse_datetime("2026-10-01").unwrap_err(),
            "date « 2026-10-01 » sans heure : précisez l'heure limite (ex. 2026-10-01T12:00)"
        );
        assert!(parse_datetime("demain").is_err());
    }

    #[test]
    fn display_paths_are_relative_to_where_the_user_stands() {
        let root = Path::new("../ref");
        assert_eq!(
            &*display_path(root, &root.join("data/dsr.csv")),
            "../ref/data/dsr.csv"
        );
        let here = Path::new(".");
        assert_eq!(
            &*display_path(here, &here.join("data/dsr.csv")),
            "data/dsr.csv"
        );
    }

    #[test]
    fn unknown_yaml_key_gets_a_french_message_and_a_hint() {
        let file: Arc<str> = Arc::from("s.yaml");
        let mut diags = Diagnostics::new();
        assert!(parse_site(&file, b"title: x\nbase_ulr: y\n", &mut diags).is_none());
        assert_eq!(
            diags.render(),
            "s.yaml:2:1: error: clé inconnue « base_ulr »\n  = aide : vouliez-vous dire « base_url » ?\n"
        );
    }
}
