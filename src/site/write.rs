//! Writes a rendered site: into a staging folder beside the output, swapped
//! in only once complete, so that a failed build never leaves a half-written
//! or emptied `output/`.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

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

/// Writes files straight into a staging folder, creating folders as needed.
pub struct DirSink {
    dir: PathBuf,
    created: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
}

impl super::Sink for DirSink {
    fn put(&self, file: super::OutputFile) -> Result<(), WriteError> {
        let path = self.dir.join(&file.path);
        if let Some(parent) = path.parent() {
            let known = self
                .created
                .lock()
                .map(|c| c.contains(parent))
                .unwrap_or(false);
            if !known {
                fs::create_dir_all(parent).map_err(|e| io_error(parent, e))?;
                if let Ok(mut c) = self.created.lock() {
                    c.insert(parent.to_path_buf());
                }
            }
        }
        fs::write(&path, &file.bytes).map_err(|e| io_error(&path, e))
    }
}

/// Removes a folder and everything in it, subfolders in parallel: the
/// previous site of a national build is 12,000 files, and removing it
/// serially was 0.4 s at the end of every build. Symbolic links are
/// removed, never followed.
fn remove_tree(path: &Path) -> io::Result<()> {
    use rayon::prelude::*;
    let entries = fs::read_dir(path)?.collect::<Result<Vec<_>, _>>()?;
    entries.par_iter().try_for_each(|entry| {
        if entry.file_type()?.is_dir() {
            remove_tree(&entry.path())
        } else {
            fs::remove_file(entry.path())
        }
    })?;
    fs::remove_dir(path)
}

/// Checks that `output` may be replaced.
fn check_output(output: &Path) -> Result<(), WriteError> {
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
    Ok(())
}

/// Why [`build_into`] did not replace the output.
#[derive(Debug)]
pub enum Failed<E> {
    /// The renderer failed (its error); the staging folder was removed.
    Render(E),
    /// A file-system operation failed.
    Write(WriteError),
}

/// The folder holding `output`, and this process's staging and
/// previous-site folders beside it (`output.tmp-<pid>`, `output.old-<pid>`).
pub fn staging_paths(output: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let name = output
        .file_name()
        .map_or_else(|| "output".to_owned(), |n| n.to_string_lossy().into_owned());
    let parent = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let pid = std::process::id();
    let staging = parent.join(format!("{name}.tmp-{pid}"));
    let old = parent.join(format!("{name}.old-{pid}"));
    (parent, staging, old)
}

/// Runs `render` with a sink writing into a staging folder beside `output`,
/// then swaps it in; on any failure the previous `output` is left as it was
/// and the staging folder removed.
pub fn build_into<T, E>(
    output: &Path,
    render: impl FnOnce(&DirSink) -> Result<T, E>,
) -> Result<T, Failed<E>> {
    check_output(output).map_err(Failed::Write)?;
    let (parent, staging, old) = staging_paths(output);
    fs::create_dir_all(&parent).map_err(|e| Failed::Write(io_error(&parent, e)))?;
    if staging.exists() {
        fs::remove_dir_all(&staging).map_err(|e| Failed::Write(io_error(&staging, e)))?;
    }
    fs::create_dir_all(&staging).map_err(|e| Failed::Write(io_error(&staging, e)))?;
    let sink = DirSink {
        dir: staging.clone(),
        created: Default::default(),
    };
    let value = match render(&sink) {
        Ok(v) => v,
        Err(e) => {
            let _ = fs::remove_dir_all(&staging);
            return Err(Failed::Render(e));
        }
    };
    if output.exists() {
        if let Err(e) = fs::rename(output, &old) {
            let _ = fs::remove_dir_all(&staging);
            return Err(Failed::Write(io_error(output, e)));
        }
        if let Err(err) = fs::rename(&staging, output) {
            // Put the previous site back.
            let _ = fs::rename(&old, output);
            let _ = fs::remove_dir_all(&staging);
            return Err(Failed::Write(io_error(output, err)));
        }
        let _ = remove_tree(&old);
    } else if let Err(e) = fs::rename(&staging, output) {
        let _ = fs::remove_dir_all(&staging);
        return Err(Failed::Write(io_error(output, e)));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remove_tree_removes_everything_but_follows_no_link() {
        let dir = tempfile::tempdir().unwrap();
        let keep = dir.path().join("keep");
        fs::create_dir_all(&keep).unwrap();
        fs::write(keep.join("precious.txt"), "x").unwrap();
        let old = dir.path().join("old");
        for sub in ["a/b/c", "a/d", "e"] {
            fs::create_dir_all(old.join(sub)).unwrap();
            fs::write(old.join(sub).join("f.html"), "y").unwrap();
        }
        fs::write(old.join("top.pdf"), "z").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(&keep, old.join("a/link")).unwrap();
        remove_tree(&old).unwrap();
        assert!(!old.exists());
        assert_eq!(fs::read_to_string(keep.join("precious.txt")).unwrap(), "x");
    }
}
