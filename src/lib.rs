//! segurdoc: documentation site, proof engine and candidature documents for
//! the Ségur du numérique en santé référencement run by the ANS.
//!
//! The pipeline shows in the modules: [`ingest`] reads every input into the
//! [`model`] with located [`diag`]nostics, [`validate`] checks what spans
//! several files, and [`cli`] wires the commands.

pub mod cli;
pub mod corpus;
pub mod diag;
pub mod diff;
pub mod impact;
pub mod ingest;
pub mod model;
pub mod render;
pub mod rules;
pub mod serve;
pub mod site;
pub mod text;
pub mod validate;

use std::path::Path;

use diag::Diagnostics;
use ingest::LoadError;
use model::Project;

/// A project loaded and validated, with every diagnostic sorted by place.
#[derive(Debug)]
pub struct Checked {
    /// What could be read.
    pub project: Project,
    /// Every problem found, sorted by file, line and column.
    pub diagnostics: Diagnostics,
}

/// Loads the project at `root` and runs every check on it.
pub fn check_project(root: &Path) -> Result<Checked, LoadError> {
    let loaded = ingest::load_project(root)?;
    let mut diagnostics = loaded.diagnostics;
    validate::validate(&loaded.project, &mut diagnostics);
    diagnostics.sort();
    Ok(Checked {
        project: loaded.project,
        diagnostics,
    })
}

/// Loads the project at `root` and checks the data candidatures depend on,
/// but not the candidatures: for commands about one candidature, which
/// checks it alone ([`validate::candidature`]).
pub fn check_data(root: &Path) -> Result<Checked, LoadError> {
    let loaded = ingest::load_project(root)?;
    let mut diagnostics = loaded.diagnostics;
    validate::validate_data(&loaded.project, &mut diagnostics);
    diagnostics.sort();
    Ok(Checked {
        project: loaded.project,
        diagnostics,
    })
}

/// Why a build did not produce a site.
#[derive(Debug)]
pub enum BuildError {
    /// The project folder cannot be read (usage error).
    Load(LoadError),
    /// The data or templates are invalid: every diagnostic, warnings included.
    Invalid(Diagnostics),
    /// `SOURCE_DATE_EPOCH` is malformed (usage error).
    Date(String),
    /// The output could not be written; the previous one is untouched.
    Write(site::write::WriteError),
}

/// A build that went through.
#[derive(Debug)]
pub struct Built {
    /// Warnings met on the way.
    pub diagnostics: Diagnostics,
    /// The paths written.
    pub site: site::Rendered,
    /// How long each stage took, in order (`build --verbose`).
    pub stages: Vec<(&'static str, std::time::Duration)>,
}

/// What a build publishes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Publish {
    /// The documentation and, under `candidatures/`, every candidature
    /// (the default): for a publisher's or an éditeur's own machine.
    #[default]
    Everything,
    /// The documentation alone (`build --public`, or `public: true` in
    /// `site.yaml`): candidatures are neither read into the site nor able to
    /// block it.
    Documentation,
    /// The documentation in the output, the candidatures in this folder of
    /// their own (`build --candidatures DIR`).
    Separate(std::path::PathBuf),
}

/// Why a build did not produce everything it was asked for.
#[derive(Debug)]
pub enum PartialBuild {
    /// Nothing was written.
    Failed(BuildError),
    /// [`Publish::Separate`]: the documentation was written, the
    /// candidatures were not (their folder is untouched).
    Candidatures {
        /// The documentation's build.
        documentation: Built,
        /// Why the candidatures were not written, warnings included.
        diagnostics: Diagnostics,
    },
}

/// A diagnostic about a candidature file (`data/candidatures/…`, shown as
/// the loader shows it: `folder` is that folder's display path).
fn about_candidature(folder: &str, d: &diag::Diagnostic) -> bool {
    d.location.as_ref().is_some_and(|l| {
        l.file
            .strip_prefix(folder)
            .is_some_and(|rest| rest.starts_with('/'))
    })
}

/// Loads, validates and renders the project at `root`, then swaps the new
/// site into `output`. On any error `output` is left as it was.
pub fn build_project(
    root: &Path,
    output: &Path,
    source_date_epoch: Option<&str>,
) -> Result<Built, BuildError> {
    match build_with(root, output, source_date_epoch, &Publish::Everything) {
        Ok(built) => Ok(built),
        Err(PartialBuild::Failed(e)) => Err(e),
        Err(PartialBuild::Candidatures { diagnostics, .. }) => {
            Err(BuildError::Invalid(diagnostics))
        }
    }
}

/// [`build_project`], publishing what `publish` says. `public: true` in
/// `site.yaml` turns [`Publish::Everything`] into
/// [`Publish::Documentation`].
pub fn build_with(
    root: &Path,
    output: &Path,
    source_date_epoch: Option<&str>,
    publish: &Publish,
) -> Result<Built, PartialBuild> {
    let failed = PartialBuild::Failed;
    let started = std::time::Instant::now();
    let loaded = ingest::load_project(root).map_err(|e| failed(BuildError::Load(e)))?;
    let mut stages = vec![("lecture des données", started.elapsed())];
    let timed = |stages: &mut Vec<_>, name, since: std::time::Instant| {
        stages.push((name, since.elapsed()));
    };
    let mut project = loaded.project;
    let mut diagnostics = loaded.diagnostics;
    let publish = match publish {
        Publish::Everything if project.site.public => Publish::Documentation,
        other => other.clone(),
    };
    if publish == Publish::Everything {
        // What `check` checks, except the proof engine's rules: the site
        // runs the engine once per candidature as it writes its checklist,
        // and reports its errors the same way.
        let since = std::time::Instant::now();
        validate::validate_for_build(&project, &mut diagnostics);
        timed(&mut stages, "validation", since);
        let since = std::time::Instant::now();
        let mut built = render(
            &project,
            output,
            source_date_epoch,
            diagnostics,
            site::Part::Everything,
        )
        .map_err(failed)?;
        timed(&mut stages, "rendu et écriture", since);
        built.stages = stages;
        return Ok(built);
    }
    // The documentation first, without the candidatures or what was said
    // about their files.
    let candidatures = std::mem::take(&mut project.candidatures);
    let folder = ingest::display_path(root, &root.join("data").join("candidatures"));
    let (about, documentation) = diagnostics.partition(|d| about_candidature(&folder, d));
    let mut documentation = documentation;
    let since = std::time::Instant::now();
    validate::validate_for_build(&project, &mut documentation);
    timed(&mut stages, "validation", since);
    let since = std::time::Instant::now();
    let mut built = render(
        &project,
        output,
        source_date_epoch,
        documentation,
        site::Part::Documentation,
    )
    .map_err(failed)?;
    timed(&mut stages, "rendu et écriture de la documentation", since);
    let Publish::Separate(folder) = publish else {
        built.stages = stages;
        return Ok(built);
    };
    let since = std::time::Instant::now();
    project.candidatures = candidatures;
    let mut diagnostics = about;
    validate::candidatures_for_build(&project, &mut diagnostics);
    // Links from the candidatures to the documentation: its public address,
    // else the way from their folder to the documentation's.
    let docs = match &project.site.base_url {
        Some(url) => format!("{url}/"),
        None => relative_folder(&folder, output),
    };
    match render(
        &project,
        &folder,
        source_date_epoch,
        diagnostics,
        site::Part::Candidatures { docs },
    ) {
        Ok(candidatures) => {
            let mut diagnostics = built.diagnostics;
            diagnostics.extend(candidatures.diagnostics);
            diagnostics.sort();
            let mut paths = built.site.paths;
            paths.extend(
                candidatures
                    .site
                    .paths
                    .into_iter()
                    .map(|p| format!("{}/{p}", folder.display())),
            );
            timed(&mut stages, "rendu et écriture des candidatures", since);
            Ok(Built {
                diagnostics,
                site: site::Rendered { paths },
                stages,
            })
        }
        Err(BuildError::Invalid(diagnostics)) => Err(PartialBuild::Candidatures {
            documentation: built,
            diagnostics,
        }),
        Err(e) => Err(failed(e)),
    }
}

/// Validated data rendered into `output`, swapped in whole or not at all.
fn render(
    project: &Project,
    output: &Path,
    source_date_epoch: Option<&str>,
    mut diagnostics: Diagnostics,
    part: site::Part,
) -> Result<Built, BuildError> {
    diagnostics.sort();
    if diagnostics.has_errors() {
        return Err(BuildError::Invalid(diagnostics));
    }
    let date = site::build_date(project, source_date_epoch).map_err(BuildError::Date)?;
    let rendered = site::write::build_into(output, |sink| {
        site::render_part(project, date, &mut diagnostics, sink, &part).ok_or(())
    });
    match rendered {
        Ok(site) => Ok(Built {
            diagnostics,
            site,
            stages: Vec::new(),
        }),
        Err(site::write::Failed::Render(())) => {
            diagnostics.sort();
            Err(BuildError::Invalid(diagnostics))
        }
        Err(site::write::Failed::Write(e)) => Err(BuildError::Write(e)),
    }
}

/// The relative way from folder `from` to folder `to`, ending in `/`
/// (`../output/`), for links between two outputs on one disk.
pub(crate) fn relative_folder(from: &Path, to: &Path) -> String {
    use std::path::Component;
    // `absolute` keeps `..`: resolve it by hand (the folders may not exist
    // yet, so `canonicalize` cannot).
    let absolute = |p: &Path| {
        let mut out = std::path::PathBuf::new();
        for c in std::path::absolute(p)
            .unwrap_or_else(|_| p.to_path_buf())
            .components()
        {
            match c {
                Component::ParentDir => {
                    out.pop();
                }
                Component::CurDir => {}
                other => out.push(other),
            }
        }
        out
    };
    let (from, to) = (absolute(from), absolute(to));
    let from: Vec<_> = from.components().collect();
    let to: Vec<_> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut way = "../".repeat(from.len() - common);
    for c in &to[common..] {
        way.push_str(&c.as_os_str().to_string_lossy());
        way.push('/');
    }
    way
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_folders_resolve_dots() {
        let here = std::env::current_dir().unwrap();
        let name = here.file_name().unwrap().to_string_lossy().into_owned();
        assert_eq!(
            relative_folder(Path::new("../c"), Path::new("./output")),
            format!("../{name}/output/")
        );
        assert_eq!(
            relative_folder(Path::new("a/b"), Path::new("a/out")),
            "../out/"
        );
        assert_eq!(
            relative_folder(Path::new("/x/y"), Path::new("/x/y/z")),
            "z/"
        );
    }
}
