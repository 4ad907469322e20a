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
}

/// Loads, validates and renders the project at `root`, then swaps the new
/// site into `output`. On any error `output` is left as it was.
pub fn build_project(
    root: &Path,
    output: &Path,
    source_date_epoch: Option<&str>,
) -> Result<Built, BuildError> {
    let loaded = ingest::load_project(root).map_err(BuildError::Load)?;
    let project = loaded.project;
    let mut diagnostics = loaded.diagnostics;
    // What `check` checks, except the proof engine's rules: the site runs
    // the engine once per candidature as it writes its checklist, and
    // reports its errors the same way.
    validate::validate_for_build(&project, &mut diagnostics);
    diagnostics.sort();
    if diagnostics.has_errors() {
        return Err(BuildError::Invalid(diagnostics));
    }
    let date = site::build_date(&project, source_date_epoch).map_err(BuildError::Date)?;
    let rendered = site::write::build_into(output, |sink| {
        site::render_to(&project, date, &mut diagnostics, sink).ok_or(())
    });
    match rendered {
        Ok(site) => Ok(Built { diagnostics, site }),
        Err(site::write::Failed::Render(())) => {
            diagnostics.sort();
            Err(BuildError::Invalid(diagnostics))
        }
        Err(site::write::Failed::Write(e)) => Err(BuildError::Write(e)),
    }
}
