//! The command line: clap-derive arguments, turned into a validated
//! configuration, dispatched to the library; outcomes mapped to exit codes.

use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::model::Project;

/// segurdoc — documentation et candidatures du référencement Ségur (ANS).
#[derive(Debug, Parser)]
#[command(name = "segurdoc", version, about, long_about = None)]
pub struct Args {
    /// Dossier du projet (contenant data/, content/, templates/).
    #[arg(long, global = true, value_name = "DIR", default_value = ".")]
    pub project: PathBuf,
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands of FORMATS.md.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Valide les données puis génère le site et les documents des candidatures.
    Build {
        /// Dossier de sortie (par défaut output/ dans le projet).
        #[arg(long, value_name = "DIR")]
        output: Option<PathBuf>,
    },
    /// Valide toutes les entrées et affiche chaque diagnostic, sans rien écrire.
    Check,
    /// Calcule les preuves à déposer pour une candidature (chemin ou identifiant).
    Preuves {
        /// Fichier YAML de la candidature, ou son identifiant.
        candidature: String,
        /// Format de sortie.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Date de référence pour les échéances (AAAA-MM-JJ).
        #[arg(long, value_name = "AAAA-MM-JJ")]
        date: Option<String>,
    },
    /// Génère l'attestation sur l'honneur (PDF).
    Attestation {
        /// Fichier YAML de la candidature, ou son identifiant.
        candidature: String,
        /// Fichier PDF à écrire.
        #[arg(short, long, value_name = "FICHIER.pdf")]
        output: PathBuf,
    },
    /// Génère le projet de convention de référencement (PDF, HTML ou Markdown).
    Convention {
        /// Fichier YAML de la candidature, ou son identifiant.
        candidature: String,
        /// Fichier à écrire (.pdf, .html ou .md).
        #[arg(short, long, value_name = "FICHIER")]
        output: PathBuf,
    },
    /// Compare deux publications d'un REM (fichiers ou CODE@VERSION).
    Diff {
        /// Ancienne publication.
        old: String,
        /// Nouvelle publication.
        new: String,
        /// Format de sortie.
        #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
        format: DiffFormat,
    },
    /// Construit le site, le sert sur 127.0.0.1 et le reconstruit à chaque modification.
    Serve {
        /// Port d'écoute.
        #[arg(long, default_value_t = 8000)]
        port: u16,
    },
}

/// Output formats of `preuves`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Readable checklist.
    Text,
    /// JSON as FORMATS.md shows.
    Json,
    /// One row per entry.
    Csv,
}

/// Output formats of `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// Readable, coloured on a terminal.
    Text,
    /// JSON as FORMATS.md shows.
    Json,
    /// One row per change.
    Csv,
    /// A standalone page.
    Html,
}

/// Exit codes of FORMATS.md.
mod exit {
    pub(super) const OK: u8 = 0;
    pub(super) const INVALID: u8 = 1;
    pub(super) const USAGE: u8 = 2;
}

/// Runs the command line and returns the process exit code.
pub fn main(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    let args = match Args::try_parse_from(args) {
        Ok(args) => args,
        Err(err) => {
            // --help and --version are not errors.
            let code = if err.use_stderr() {
                exit::USAGE
            } else {
                exit::OK
            };
            let _ = err.print();
            return ExitCode::from(code);
        }
    };
    ExitCode::from(run(&args))
}

fn run(args: &Args) -> u8 {
    match &args.command {
        Command::Check => check(args),
        Command::Build { output } => build(args, output.as_deref()),
        Command::Preuves { .. } => not_yet("preuves", 4),
        Command::Attestation { .. } => not_yet("attestation", 5),
        Command::Convention { .. } => not_yet("convention", 5),
        Command::Diff { .. } => not_yet("diff", 6),
        Command::Serve { port } => crate::serve::serve(&args.project, *port),
    }
}

fn not_yet(command: &str, issue: u32) -> u8 {
    eprintln!(
        "segurdoc {command} : commande pas encore disponible dans cette version (prévue par l'issue #{issue})"
    );
    exit::USAGE
}

/// Writes to stdout, ignoring a closed pipe (`segurdoc check | head`).
fn out(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

fn check(args: &Args) -> u8 {
    let checked = match crate::check_project(&args.project) {
        Ok(c) => c,
        Err(err) => {
            eprintln!("error: {err}");
            return exit::USAGE;
        }
    };
    let mut stderr = std::io::stderr().lock();
    let _ = stderr.write_all(checked.diagnostics.render().as_bytes());
    drop(stderr);
    out(&format!(
        "{} — {}\n",
        inventory(&checked.project),
        checked.diagnostics.summary()
    ));
    if checked.diagnostics.has_errors() {
        exit::INVALID
    } else {
        exit::OK
    }
}

/// The output folder: `--output`, else `output/` in the project.
pub fn output_dir(project: &std::path::Path, output: Option<&std::path::Path>) -> PathBuf {
    output.map_or_else(|| project.join("output"), std::path::Path::to_path_buf)
}

fn build(args: &Args, output: Option<&std::path::Path>) -> u8 {
    let out_dir = output_dir(&args.project, output);
    let started = std::time::Instant::now();
    let epoch = std::env::var("SOURCE_DATE_EPOCH").ok();
    match crate::build_project(&args.project, &out_dir, epoch.as_deref()) {
        Ok(built) => {
            eprint!("{}", built.diagnostics.render());
            out(&format!(
                "{} pages et {} fichiers écrits dans {} en {:.2} s — {}\n",
                built.site.page_count(),
                built.site.files.len(),
                out_dir.display(),
                started.elapsed().as_secs_f64(),
                built.diagnostics.summary()
            ));
            exit::OK
        }
        Err(crate::BuildError::Invalid(diags)) => {
            eprint!("{}", diags.render());
            eprintln!(
                "construction annulée ({}) : {} n'a pas été modifié",
                diags.summary(),
                out_dir.display()
            );
            exit::INVALID
        }
        Err(crate::BuildError::Load(err)) => {
            eprintln!("error: {err}");
            exit::USAGE
        }
        Err(crate::BuildError::Date(message)) => {
            eprintln!("error: {message}");
            exit::USAGE
        }
        Err(crate::BuildError::Write(err)) => {
            eprintln!("error: écriture impossible : {err} ; la sortie précédente est intacte");
            exit::USAGE
        }
    }
}

/// "6 dispositifs, 7 publications de REM (1 234 preuves), …" — what was read.
pub fn inventory(project: &Project) -> String {
    let releases: usize = project.rems.values().map(Vec::len).sum();
    let proofs: usize = project.rems.values().flatten().map(|r| r.rows.len()).sum();
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n > 1 { many } else { one });
    [
        plural(
            project.catalogue.dispositifs.len(),
            "dispositif",
            "dispositifs",
        ),
        format!(
            "{} ({})",
            plural(releases, "publication de REM", "publications de REM"),
            plural(proofs, "preuve", "preuves")
        ),
        plural(
            project.equivalences.len(),
            "liste d'équivalence",
            "listes d'équivalence",
        ),
        plural(
            project.registry.referencements.len(),
            "référencement",
            "référencements",
        ),
        plural(project.candidatures.len(), "candidature", "candidatures"),
        plural(project.pages.len(), "page", "pages"),
    ]
    .join(", ")
}
