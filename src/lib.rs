//! segurdoc: documentation site, proof engine and candidature documents for
//! the Ségur du numérique en santé référencement run by the ANS.
//!
//! The pipeline shows in the modules: [`ingest`] reads every input into the
//! [`model`] with located [`diag`]nostics, [`validate`] checks what spans
//! several files, and [`cli`] wires the commands.

pub mod cli;
pub mod diag;
pub mod ingest;
pub mod model;
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
