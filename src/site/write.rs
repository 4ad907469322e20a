//! Writes a rendered site: into a staging folder beside the output, swapped
//! in only once complete, so that a failed build never leaves a half-written
//! or emptied `output/`.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::Site;

/// A file every output folder carries, so that segurdoc never replaces a
/// folder it did not create (`--output .` must not wipe a project).
pub const MARKER: &str = ".segurdoc-output";

/// A write that failed, with the path involved.
#[derive(Debug)]
pub struct WriteError {
    /// The path.
    pub path: PathBuf,
    /// What happened.
    pub message: String,
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} : {}", self.path.display(), self.message)
    }
}

fn io_error(path: &Path, err: io::Error) -> WriteError {
    WriteError {
        path: path.to_path_buf(),
        message: err.to_string(),
    }
}

/// Writes `site` to `output`, replacing what was there only when every
/// file has been written.
pub fn write_site(site: &Site, output: &Path) -> Result<(), WriteError> {
    if output.exists() {
        if !output.is_dir() {
            return Err(WriteError {
                path: output.to_path_buf(),
                message: "existe et n'est pas un dossier".to_owned(),
            });
        }
        let empty = fs::read_dir(output)
            .map_err(|e| io_error(output, e))?
            .next()
            .is_none();
        if !empty && !output.join(MARKER).is_file() {
            return Err(WriteError {
                path: output.to_path_buf(),
                message: format!(
                    "ce dossier n'a pas été produit par segurdoc (pas de fichier {MARKER}) : il n'est pas remplacé ; choisissez un dossier vide ou neuf"
                ),
            });
        }
    }
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".to_owned());
    let parent = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(|e| io_error(&parent, e))?;
    let pid = std::process::id();
    let staging = parent.join(format!("{name}.tmp-{pid}"));
    let old = parent.join(format!("{name}.old-{pid}"));
    if staging.exists() {
        fs::remove_dir_all(&staging).map_err(|e| io_error(&staging, e))?;
    }
    if let Err(err) = fill(site, &staging) {
        let _ = fs::remove_dir_all(&staging);
        return Err(err);
    }
    if output.exists() {
        fs::rename(output, &old).map_err(|e| {
            let _ = fs::remove_dir_all(&staging);
            io_error(output, e)
        })?;
        if let Err(err) = fs::rename(&staging, output) {
            // Put the previous site back.
            let _ = fs::rename(&old, output);
            let _ = fs::remove_dir_all(&staging);
            return Err(io_error(output, err));
        }
        let _ = fs::remove_dir_all(&old);
    } else {
        fs::rename(&staging, output).map_err(|e| {
            let _ = fs::remove_dir_all(&staging);
            io_error(output, e)
        })?;
    }
    Ok(())
}

fn fill(site: &Site, dir: &Path) -> Result<(), WriteError> {
    fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
    let mut dirs: Vec<PathBuf> = site
        .files
        .iter()
        .filter_map(|f| Path::new(&f.path).parent().map(|p| dir.join(p)))
        .collect();
    dirs.sort();
    dirs.dedup();
    for d in &dirs {
        fs::create_dir_all(d).map_err(|e| io_error(d, e))?;
    }
    site.files.par_iter().try_for_each(|f| {
        let path = dir.join(&f.path);
        fs::write(&path, &f.bytes).map_err(|e| io_error(&path, e))
    })
}
