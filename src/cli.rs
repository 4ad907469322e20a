//! The command line: clap-derive arguments, turned into a validated
//! configuration, dispatched to the library; outcomes mapped to exit codes.

use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::diag::Diagnostics;
use crate::model::Project;

/// The help's layout, in French: clap's own headings (« Usage », « Commands »)
/// are English, so the template writes them.
const HELP_TEMPLATE: &str = "{about-with-newline}\nUtilisation : {usage}\n\n{all-args}{after-help}";

/// What every command's help ends with.
const EXIT_CODES: &str = "Codes de sortie : 0 réussite (avertissements possibles), 1 données invalides (diagnostics sur la sortie d'erreur), 2 usage (argument, fichier ou dossier introuvable).";

/// segurdoc — documentation et candidatures du référencement Ségur (ANS).
#[derive(Debug, Parser)]
#[command(
    name = "segurdoc",
    version,
    about = "segurdoc — documentation et candidatures du référencement Ségur du numérique en santé (ANS).",
    long_about = None,
    help_template = HELP_TEMPLATE,
    subcommand_help_heading = "Commandes\u{a0}",
    subcommand_value_name = "COMMANDE",
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true,
    after_help = "Exemples :\n  segurdoc check\n  segurdoc build --public\n  segurdoc preuves cas3-ms-pde --format csv\n  segurdoc diff MS-DUI@2.0 MS-DUI@2.1\n\n« segurdoc COMMANDE --help » détaille chaque commande. Formats des fichiers : docs/formats.md ; le site : docs/site.md.\n\nCodes de sortie : 0 réussite (avertissements possibles), 1 données invalides (diagnostics sur la sortie d'erreur), 2 usage (argument, fichier ou dossier introuvable)."
)]
#[command(hide_possible_values = true)]
pub struct Args {
    /// Dossier du projet, contenant data/, content/, templates/.
    #[arg(long, global = true, value_name = "DIR", default_value = ".")]
    pub project: PathBuf,
    /// Couleurs.
    #[arg(long, global = true, value_enum, value_name = "QUAND", default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
    /// N'affiche que les erreurs : ni avertissements ni bilan (le code de sortie dit le résultat).
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Affiche aussi la durée de chaque étape.
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// Affiche l'aide.
    #[arg(short = 'h', long = "help", global = true, action = clap::ArgAction::Help)]
    help: Option<bool>,
    /// Affiche la version.
    #[arg(short = 'V', long = "version", action = clap::ArgAction::Version)]
    version: Option<bool>,
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
        #[arg(short, long, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Publie la documentation seule, sans les candidatures (comme
        /// « public: true » dans data/site.yaml).
        #[arg(long, conflicts_with = "candidatures")]
        public: bool,
        /// Écrit la documentation dans la sortie et les candidatures dans
        /// DIR, à part ; une candidature invalide n'empêche pas la
        /// documentation d'être écrite.
        #[arg(long, value_name = "DIR")]
        candidatures: Option<PathBuf>,
    },
    /// Valide toutes les entrées et affiche chaque diagnostic, sans rien écrire.
    Check,
    /// Calcule les preuves à déposer pour une candidature (chemin ou identifiant).
    Preuves {
        /// Fichier YAML de la candidature, ou son identifiant.
        candidature: String,
        /// Format de sortie (par défaut : celui de l'extension de -o, sinon text).
        #[arg(long, value_enum)]
        format: Option<Format>,
        /// Date de référence pour les échéances (AAAA-MM-JJ).
        #[arg(long, value_name = "AAAA-MM-JJ")]
        date: Option<String>,
        /// Fichier à écrire, d'extension celle du format (.txt, .json, .csv, .xlsx ; - : la sortie standard) ; sans lui, la sortie standard (sauf xlsx).
        #[arg(short, long, value_name = "FICHIER")]
        output: Option<PathBuf>,
    },
    /// Génère l'attestation sur l'honneur (PDF).
    Attestation {
        /// Fichier YAML de la candidature, ou son identifiant.
        candidature: String,
        /// Fichier à écrire (.pdf ou .docx ; - : la sortie standard, en PDF sauf --format docx).
        #[arg(short, long, value_name = "FICHIER")]
        output: PathBuf,
        /// Format, quand le nom du fichier ne le dit pas (-o -) ; sinon il doit être celui de l'extension.
        #[arg(long, value_name = "FORMAT", value_parser = ["pdf", "docx"])]
        format: Option<String>,
    },
    /// Génère le projet de convention de référencement (PDF, Word, HTML ou Markdown).
    Convention {
        /// Fichier YAML de la candidature, ou son identifiant.
        candidature: String,
        /// Fichier à écrire (.pdf, .docx, .html ou .md ; - : la sortie standard, avec --format).
        #[arg(short, long, value_name = "FICHIER")]
        output: PathBuf,
        /// Format, quand le nom du fichier ne le dit pas (-o -) ; sinon il doit être celui de l'extension.
        #[arg(long, value_name = "FORMAT", value_parser = ["pdf", "docx", "html", "md"])]
        format: Option<String>,
    },
    /// Compare deux publications d'un REM (fichiers ou CODE@VERSION).
    Diff {
        /// Ancienne publication.
        #[arg(value_name = "ANCIENNE")]
        old: String,
        /// Nouvelle publication.
        #[arg(value_name = "NOUVELLE")]
        new: String,
        /// Format de sortie.
        #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
        format: DiffFormat,
    },
    /// Écrit une publication de REM (fichier ou CODE@VERSION) dans l'une des deux dispositions.
    Export {
        /// Publication à écrire : fichier REM, ou CODE@VERSION du projet.
        rem: String,
        /// Disposition : longue (une ligne par preuve) ou publiée (une ligne par scénario, comme l'ANS publie).
        #[arg(long, value_enum, default_value_t = LayoutArg::Long)]
        layout: LayoutArg,
        /// Fichier à écrire (.xlsx ou .csv ; - : la sortie standard, avec --format).
        #[arg(short, long, value_name = "FICHIER")]
        output: PathBuf,
        /// Format, quand le nom du fichier ne le dit pas (-o -) ; sinon il doit être celui de l'extension.
        #[arg(long, value_name = "FORMAT", value_parser = ["xlsx", "csv"])]
        format: Option<String>,
        /// Encodage d'un fichier .csv.
        #[arg(long, value_enum, default_value_t = EncodingArg::Utf8)]
        encodage: EncodingArg,
    },
    /// Ce qu'une nouvelle publication du REM, du registre ou d'une liste d'équivalence change pour une candidature : preuves nouvellement dues, plus dues, dues pour un autre motif, textes à revoir.
    #[command(group(clap::ArgGroup::new("avant").required(true).multiple(true).args(["depuis", "registre", "equivalences"])))]
    Impact {
        /// Fichier YAML de la candidature, ou son identifiant.
        candidature: String,
        /// Publication du REM de départ (ex. 2.0), comparée à la publication en vigueur.
        #[arg(long, value_name = "VERSION")]
        depuis: Option<String>,
        /// Registre des référencements précédent (CSV), comparé à data/referencements.csv.
        #[arg(long, value_name = "FICHIER.csv")]
        registre: Option<PathBuf>,
        /// Version précédente d'une liste d'équivalence (CSV), comparée à la liste du même nom de data/equivalences/.
        #[arg(long, value_name = "FICHIER.csv")]
        equivalences: Option<PathBuf>,
        /// Format de sortie (par défaut : celui de l'extension de -o, sinon text).
        #[arg(long, value_enum)]
        format: Option<ImpactFormat>,
        /// Fichier à écrire, d'extension celle du format (.txt, .json, .csv ; - : la sortie standard).
        #[arg(short, long, value_name = "FICHIER")]
        output: Option<PathBuf>,
    },
    /// Écrit le script de complétion de segurdoc pour un shell.
    Completions {
        /// Shell.
        #[arg(value_enum, value_name = "SHELL")]
        shell: clap_complete::Shell,
    },
    /// Écrit la page de manuel de segurdoc (man, format roff) sur la sortie standard.
    Manuel,
    /// Prépare une candidature.
    #[command(
        subcommand_help_heading = "Commandes\u{a0}",
        subcommand_value_name = "COMMANDE"
    )]
    Candidature {
        /// Ce qu'il faut faire.
        #[command(subcommand)]
        action: CandidatureAction,
    },
    /// Génère un projet de test de grande taille (benchmarks).
    #[command(hide = true)]
    Corpus {
        /// Dossier à créer.
        dir: PathBuf,
        /// Dispositifs de vague 2.
        #[arg(long, default_value_t = 20)]
        dispositifs: usize,
        /// Preuves par publication de REM.
        #[arg(long, default_value_t = 1500)]
        preuves: usize,
        /// Publications par REM.
        #[arg(long, default_value_t = 2)]
        publications: usize,
        /// Candidatures.
        #[arg(long, default_value_t = 2000)]
        candidatures: usize,
        /// Pages Markdown dans content/.
        #[arg(long, default_value_t = 0)]
        pages: usize,
    },
    /// Construit le site, le sert sur 127.0.0.1 et le reconstruit à chaque modification.
    Serve {
        /// Port d'écoute.
        #[arg(long, default_value_t = 8000)]
        port: u16,
    },
}

/// Output formats of `impact`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImpactFormat {
    /// Lisible, par sorte de changement.
    Text,
    /// JSON : nouvellement_dues, plus_dues, autre_motif, textes_modifies.
    Json,
    /// CSV (;) : une ligne par changement.
    Csv,
}

/// `segurdoc candidature …`.
#[derive(Debug, Subcommand)]
pub enum CandidatureAction {
    /// Écrit le squelette YAML commenté d'une nouvelle candidature sur un dispositif.
    Nouvelle {
        /// Code du dispositif de vague 2 (ex. MS-DUI).
        dispositif: String,
        /// Fichier YAML à écrire (jamais par-dessus un fichier existant ; - ou absent : la sortie standard).
        #[arg(short, long, value_name = "FICHIER.yaml")]
        output: Option<PathBuf>,
    },
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    /// Sur un terminal, sauf si la variable NO_COLOR est définie.
    Auto,
    /// Toujours.
    Always,
    /// Jamais.
    Never,
}

impl ColorArg {
    /// Whether to colour what goes to a stream that `terminal` says is one.
    pub fn enabled(self, terminal: bool) -> bool {
        match self {
            ColorArg::Always => true,
            ColorArg::Never => false,
            ColorArg::Auto => terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }
}

/// Output formats of `preuves`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Liste lisible, chapitre par chapitre.
    Text,
    /// JSON, décrit dans docs/preuves.md.
    Json,
    /// Une ligne par preuve (tableur).
    Csv,
    /// Classeur : à déposer, non redemandées, synthèse (avec -o).
    Xlsx,
}

/// Layouts of `export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LayoutArg {
    /// Une ligne par preuve (export Convergence).
    Long,
    /// Une ligne par scénario, dix preuves au plus (REM publié par l'ANS).
    Publiee,
}

/// CSV encodings of `export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EncodingArg {
    /// UTF-8 avec BOM.
    #[value(name = "utf-8")]
    Utf8,
    /// Windows-1252, comme Excel en français (caractères absents écrits &#NNNN;).
    #[value(name = "windows-1252")]
    Windows1252,
}

/// Output formats of `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// Lisible, en couleurs sur un terminal.
    Text,
    /// JSON, décrit dans docs/diff.md.
    Json,
    /// Une ligne par changement (tableur).
    Csv,
    /// Une page HTML autonome.
    Html,
}

/// Exit codes of FORMATS.md.
mod exit {
    pub(super) const OK: u8 = 0;
    pub(super) const INVALID: u8 = 1;
    pub(super) const USAGE: u8 = 2;
}

/// Examples of each command, for its help.
const EXAMPLES: &[(&str, &str)] = &[
    ("build", "segurdoc build\n  segurdoc build --public\n  segurdoc build --output /srv/www/referencement --candidatures ../prive"),
    ("check", "segurdoc check\n  segurdoc check --project ../mon-projet"),
    ("preuves", "segurdoc preuves cas3-ms-pde\n  segurdoc preuves data/candidatures/cas3-ms-pde.yaml --format csv > preuves.csv\n  segurdoc preuves cas3-ms-pde --format json --date 2027-06-01"),
    ("attestation", "segurdoc attestation cas3-ms-pde -o attestation.pdf\n  segurdoc attestation cas3-ms-pde -o attestation.docx"),
    ("convention", "segurdoc convention cas3-ms-pde -o convention.pdf\n  segurdoc convention cas3-ms-pde -o convention.docx\n  segurdoc convention cas3-ms-pde -o convention.md"),
    ("diff", "segurdoc diff MS-DUI@2.0 MS-DUI@2.1\n  segurdoc diff ancienne.csv nouvelle.csv --format html > evolutions.html"),
    ("export", "segurdoc export REM-publie.xlsx --layout long -o rem-longue.csv --encodage windows-1252\n  segurdoc export MS-DUI@2.1 --layout publiee -o MS-DUI-2.1.xlsx"),
    ("serve", "segurdoc serve\n  segurdoc serve --port 8080"),
    ("impact", "segurdoc impact cas3-ms-pde --depuis 2.0\n  segurdoc impact cas3-ms-pde --depuis 2.0 -o impact.csv\n  segurdoc impact cas3-ms-pde --registre referencements-octobre.csv\n  segurdoc impact cas3-ms-pde --equivalences ancien/socle-vague2.csv --format json"),
    ("completions", "segurdoc completions bash > ~/.local/share/bash-completion/completions/segurdoc\n  segurdoc completions zsh > ~/.zfunc/_segurdoc"),
    ("manuel", "segurdoc manuel > segurdoc.1 && man ./segurdoc.1"),
    ("candidature", "segurdoc candidature nouvelle MS-DUI -o data/candidatures/ma-solution.yaml\n  segurdoc check"),
    ("nouvelle", "segurdoc candidature nouvelle MS-DUI -o data/candidatures/ma-solution.yaml\n  segurdoc check"),
];

/// The command line's definition, in French throughout: clap's headings
/// and hints are English, so each command gets the French help layout,
/// its examples and the exit codes, and no English list of values or
/// defaults (the French texts give them).
pub fn command() -> clap::Command {
    Args::command()
        .mut_args(french_arg)
        .mut_subcommands(french_command)
}

/// One command and those under it, in French.
fn french_command(sub: clap::Command) -> clap::Command {
    let examples = EXAMPLES
        .iter()
        .find(|(name, _)| *name == sub.get_name())
        .map_or(String::new(), |(_, e)| format!("Exemples :\n  {e}\n\n"));
    // diff exits as diff(1) does.
    let codes = if sub.get_name() == "diff" {
        "Codes de sortie : 0 publications identiques, 1 différentes, 2 usage (argument ou fichier introuvable)."
    } else {
        EXIT_CODES
    };
    let about = sub.get_about().map(|a| no_break(&a.to_string()));
    let sub = match about {
        Some(about) => sub.about(about),
        None => sub,
    };
    sub.help_template(HELP_TEMPLATE)
        .hide_possible_values(true)
        .disable_help_subcommand(true)
        .mut_args(french_arg)
        .after_help(format!("{examples}{codes}"))
        .mut_subcommands(french_command)
}

/// A usage error in French, as the diagnostics are written (clap writes
/// English); `None` for the kinds left to clap (help shown instead).
fn french_error(err: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ErrorKind};
    let ctx = |k: ContextKind| err.get(k).map(ToString::to_string).unwrap_or_default();
    let what = match err.kind() {
        ErrorKind::UnknownArgument => {
            format!("argument inconnu « {} »", ctx(ContextKind::InvalidArg))
        }
        ErrorKind::InvalidSubcommand => format!(
            "commande inconnue « {} »",
            ctx(ContextKind::InvalidSubcommand)
        ),
        ErrorKind::InvalidValue => format!(
            "valeur « {} » invalide pour {} ; valeurs possibles : {}",
            ctx(ContextKind::InvalidValue),
            ctx(ContextKind::InvalidArg),
            ctx(ContextKind::ValidValue)
        ),
        ErrorKind::MissingRequiredArgument => {
            format!(
                "argument obligatoire manquant : {}",
                ctx(ContextKind::InvalidArg)
            )
        }
        ErrorKind::ArgumentConflict => format!(
            "{} ne peut pas être employé avec {}",
            ctx(ContextKind::InvalidArg),
            ctx(ContextKind::PriorArg)
        ),
        ErrorKind::ValueValidation => format!(
            "valeur « {} » invalide pour {}",
            ctx(ContextKind::InvalidValue),
            ctx(ContextKind::InvalidArg)
        ),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues => {
            format!("trop de valeurs : « {} »", ctx(ContextKind::InvalidValue))
        }
        ErrorKind::NoEquals => format!(
            "{} attend « = » avant sa valeur",
            ctx(ContextKind::InvalidArg)
        ),
        _ => return None,
    };
    let mut text = format!("error: {what}\n");
    let suggested = [
        ContextKind::SuggestedArg,
        ContextKind::SuggestedSubcommand,
        ContextKind::SuggestedValue,
    ]
    .into_iter()
    .map(ctx)
    .find(|s| !s.is_empty());
    if let Some(s) = suggested {
        text.push_str(&format!("  = aide : vouliez-vous dire « {s} » ?\n"));
    }
    let usage = ctx(ContextKind::Usage);
    let usage = usage.trim().trim_start_matches("Usage:").trim();
    if !usage.is_empty() {
        text.push_str(&format!("\nUtilisation : {usage}\n"));
    }
    text.push_str("« segurdoc --help » pour l'aide.\n");
    Some(text)
}

/// An argument's help with its values and default written in French
/// (clap writes « Possible values » and « [default: …] »).
fn french_arg(arg: clap::Arg) -> clap::Arg {
    // clap writes the heading then `:`; French puts a no-break space before.
    let heading = if arg.is_positional() {
        "Arguments\u{a0}"
    } else {
        "Options\u{a0}"
    };
    // A command's own options first, then those every command has.
    let arg = if arg.is_global_set() {
        arg.display_order(1000)
    } else {
        arg
    };
    let arg = arg.help_heading(heading);
    if !arg.get_action().takes_values() {
        return match arg.get_help().map(|h| no_break(&h.to_string())) {
            Some(help) => arg.help(help),
            None => arg,
        };
    }
    let mut help = arg.get_help().map(ToString::to_string).unwrap_or_default();
    for value in arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
    {
        help.push_str(&format!("\n  {}", value.get_name()));
        if let Some(h) = value.get_help() {
            help.push_str(&format!(" : {h}"));
        }
    }
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|d| d.to_string_lossy().into_owned())
        .collect();
    if !defaults.is_empty() {
        help.push_str(&format!("\n(par défaut : {})", defaults.join(", ")));
    }
    arg.help(no_break(&help))
        .hide_default_value(true)
        .hide_possible_values(true)
}

/// A no-break space before `;` and `:`, so that the help's wrapping never
/// starts a line with them.
fn no_break(text: &str) -> String {
    text.replace(" ;", "\u{a0};").replace(" :", "\u{a0}:")
}

/// Runs the command line and returns the process exit code.
pub fn main(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    let parsed = command()
        .try_get_matches_from(args)
        .and_then(|m| Args::from_arg_matches(&m));
    let args = match parsed {
        Ok(args) => args,
        Err(err) => {
            // --help and --version are not errors.
            if !err.use_stderr() {
                let _ = err.print();
                return ExitCode::from(exit::OK);
            }
            match french_error(&err) {
                Some(text) => eprint!("{text}"),
                None => {
                    let _ = err.print();
                }
            }
            return ExitCode::from(exit::USAGE);
        }
    };
    QUIET.store(args.quiet, std::sync::atomic::Ordering::Relaxed);
    ExitCode::from(run(&args))
}

/// `--quiet`, for the diagnostics printed anywhere in the command line.
static QUIET: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// The diagnostics to print: every one, or the errors only with `--quiet`.
fn report(diags: &Diagnostics) -> String {
    if QUIET.load(std::sync::atomic::Ordering::Relaxed) {
        diags.render_errors()
    } else {
        diags.render()
    }
}

/// Writes a report line (a summary, not a result) unless `--quiet`.
fn say(text: &str) {
    if !QUIET.load(std::sync::atomic::Ordering::Relaxed) {
        out(text);
    }
}

fn run(args: &Args) -> u8 {
    match &args.command {
        Command::Check => check(args),
        Command::Build {
            output,
            public,
            candidatures,
        } => {
            let publish = match (public, candidatures) {
                (_, Some(dir)) => crate::Publish::Separate(dir.clone()),
                (true, None) => crate::Publish::Documentation,
                (false, None) => crate::Publish::Everything,
            };
            build(args, output.as_deref(), &publish)
        }
        Command::Preuves {
            candidature,
            format,
            date,
            output,
        } => preuves(
            args,
            candidature,
            *format,
            date.as_deref(),
            output.as_deref(),
        ),

        Command::Attestation {
            candidature,
            output,
            format,
        } => attestation(args, candidature, output, format.as_deref()),
        Command::Convention {
            candidature,
            output,
            format,
        } => convention(args, candidature, output, format.as_deref()),
        Command::Diff { old, new, format } => diff(args, old, new, *format),
        Command::Export {
            rem,
            layout,
            output,
            encodage,
            format,
        } => export(args, rem, *layout, output, format.as_deref(), *encodage),
        Command::Impact {
            candidature,
            depuis,
            registre,
            equivalences,
            format,
            output,
        } => impact(
            args,
            candidature,
            &Before {
                depuis: depuis.as_deref(),
                registre: registre.as_deref(),
                equivalences: equivalences.as_deref(),
            },
            *format,
            output.as_deref(),
        ),
        Command::Completions { shell } => {
            let mut cmd = command();
            let mut bytes = Vec::new();
            clap_complete::generate(*shell, &mut cmd, "segurdoc", &mut bytes);
            write_output(std::path::Path::new("-"), &bytes)
        }
        Command::Manuel => {
            let mut bytes = Vec::new();
            match clap_mangen::Man::new(command()).render(&mut bytes) {
                Ok(()) => write_output(std::path::Path::new("-"), &bytes),
                Err(err) => {
                    eprintln!("error: page de manuel : {err}");
                    exit::USAGE
                }
            }
        }
        Command::Candidature {
            action: CandidatureAction::Nouvelle { dispositif, output },
        } => nouvelle(args, dispositif, output.as_deref()),
        Command::Corpus {
            dir,
            dispositifs,
            preuves,
            publications,
            candidatures,
            pages,
        } => {
            let spec = crate::corpus::Spec {
                dispositifs: *dispositifs,
                proofs: *preuves,
                releases: *publications,
                candidatures: *candidatures,
                pages: *pages,
            };
            match crate::corpus::generate(dir, &spec) {
                Ok(()) => exit::OK,
                Err(err) => {
                    eprintln!("error: {} : {err}", dir.display());
                    exit::USAGE
                }
            }
        }
        Command::Serve { port } => crate::serve::serve(&args.project, *port),
    }
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
    let _ = stderr.write_all(report(&checked.diagnostics).as_bytes());
    drop(stderr);
    say(&format!(
        "{} — {}\n",
        inventory(&checked.project),
        checked.diagnostics.summary()
    ));
    say(&inferred_sources(&checked.project));
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

fn build(args: &Args, output: Option<&std::path::Path>, publish: &crate::Publish) -> u8 {
    let out_dir = output_dir(&args.project, output);
    let started = std::time::Instant::now();
    let epoch = std::env::var("SOURCE_DATE_EPOCH").ok();
    let written = |built: &crate::Built, both: bool| {
        let where_ = match publish {
            crate::Publish::Separate(dir) if both => {
                format!("{} et {}", out_dir.display(), dir.display())
            }
            _ => out_dir.display().to_string(),
        };
        format!(
            "{} pages et {} fichiers écrits dans {where_} en {:.2} s — {}\n",
            built.site.page_count(),
            built.site.paths.len(),
            started.elapsed().as_secs_f64(),
            built.diagnostics.summary()
        )
    };
    match crate::build_with(&args.project, &out_dir, epoch.as_deref(), publish) {
        Ok(built) => {
            eprint!("{}", report(&built.diagnostics));
            say(&written(&built, true));
            if args.verbose {
                eprint!("{}", stages(&built));
            }
            exit::OK
        }
        Err(crate::PartialBuild::Candidatures {
            documentation,
            diagnostics,
        }) => {
            eprint!("{}", report(&documentation.diagnostics));
            eprint!("{}", report(&diagnostics));
            say(&written(&documentation, false));
            let dir = match publish {
                crate::Publish::Separate(dir) => dir.display().to_string(),
                _ => String::new(),
            };
            eprintln!(
                "candidatures non écrites ({}) : {dir} n'a pas été modifié ; la documentation, elle, est à jour",
                diagnostics.summary()
            );
            exit::INVALID
        }
        Err(crate::PartialBuild::Failed(crate::BuildError::Invalid(diags))) => {
            eprint!("{}", report(&diags));
            eprintln!(
                "construction annulée ({}) : {} n'a pas été modifié",
                diags.summary(),
                out_dir.display()
            );
            exit::INVALID
        }
        Err(crate::PartialBuild::Failed(crate::BuildError::Load(err))) => {
            eprintln!("error: {err}");
            exit::USAGE
        }
        Err(crate::PartialBuild::Failed(crate::BuildError::Date(message))) => {
            eprintln!("error: {message}");
            exit::USAGE
        }
        Err(crate::PartialBuild::Failed(crate::BuildError::Write(err))) => {
            eprintln!("error: écriture impossible : {err} ; la sortie précédente est intacte");
            exit::USAGE
        }
    }
}

/// `build --verbose`: each stage and its duration, then the files by kind.
fn stages(built: &crate::Built) -> String {
    use std::fmt::Write as _;
    let mut text = String::new();
    for (name, took) in &built.stages {
        let _ = writeln!(text, "  {name} : {:.2} s", took.as_secs_f64());
    }
    let mut kinds: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for path in &built.site.paths {
        let ext = std::path::Path::new(path).extension().map_or_else(
            || "(sans extension)".to_owned(),
            |e| format!(".{}", e.to_string_lossy()),
        );
        *kinds.entry(ext).or_default() += 1;
    }
    let kinds: Vec<String> = kinds.iter().map(|(k, n)| format!("{n} {k}")).collect();
    let _ = writeln!(text, "  fichiers : {}", kinds.join(", "));
    text
}

/// Now, as a clock in Paris shows it: the default reference instant of
/// the candidature commands (the DSR's deadlines are Europe/Paris times).
fn now() -> chrono::NaiveDateTime {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0));
    chrono::DateTime::from_timestamp(secs, 0)
        .map(|d| crate::rules::paris_wall_clock(d.naive_utc()))
        .unwrap_or_default()
}

/// Today's date in Paris, for documents.
fn today() -> chrono::NaiveDate {
    now().date()
}

/// `--date`: a day (its start, 00h00) or a day and time, Europe/Paris.
fn parse_reference(raw: &str) -> Result<chrono::NaiveDateTime, String> {
    match crate::ingest::parse_datetime(raw) {
        Ok(dt) => Ok(dt),
        Err(message) => crate::ingest::parse_date(raw)
            .map(|d| d.and_time(chrono::NaiveTime::MIN))
            .map_err(|_| message),
    }
}

/// A candidature named on the command line, loaded with what it depends
/// on, and the diagnostics that concern them.
struct Resolved {
    project: Project,
    /// Position in `project.candidatures`.
    position: usize,
    /// Diagnostics of the candidature's file and of the data it depends on
    /// (the candidature's own rules are checked by [`with_outcome`]).
    diagnostics: Diagnostics,
}

/// Finds CANDIDATURE — a YAML file (inside the project or not) or the id of
/// one of the project's candidatures — and loads only what it needs: the
/// DSR, the lists, the registry and the current REMs of its dispositif and
/// of its root solution's.
fn resolve(args: &Args, arg: &str) -> Result<Resolved, u8> {
    let given = std::path::Path::new(arg);
    let dir = args.project.join("data/candidatures");
    let file = if given.is_file() {
        Some(given.to_path_buf())
    } else {
        ["yaml", "yml"]
            .iter()
            .map(|ext| dir.join(format!("{arg}.{ext}")))
            .find(|p| p.is_file())
    };
    if let Some(file) = file {
        let loaded = match crate::ingest::load_scoped(
            &args.project,
            &crate::ingest::Scope::Candidature(file),
        ) {
            Ok(l) => l,
            Err(err) => {
                eprintln!("error: {err}");
                return Err(exit::USAGE);
            }
        };
        let mut diagnostics = loaded.diagnostics;
        let project = loaded.project;
        // A file named after the id whose `id:` says otherwise is not it.
        let matches = given.is_file()
            || project
                .candidatures
                .first()
                .is_some_and(|c| c.id.as_str() == arg);
        if matches {
            crate::validate::validate_scoped(&project, &mut diagnostics);
            if project.candidatures.is_empty() {
                eprint!("{}", report(&diagnostics));
                return Err(exit::INVALID);
            }
            return Ok(Resolved {
                project,
                position: 0,
                diagnostics,
            });
        }
    }
    // An id declared inside some file: read them all.
    let checked = match crate::check_data(&args.project) {
        Ok(c) => c,
        Err(err) => {
            eprintln!("error: {err}");
            return Err(exit::USAGE);
        }
    };
    let Some(index) = checked
        .project
        .candidatures
        .iter()
        .position(|c| c.id.as_str() == arg)
    else {
        let ids: Vec<&str> = checked
            .project
            .candidatures
            .iter()
            .map(|c| c.id.as_str())
            .collect();
        eprintln!(
            "error: candidature « {arg} » introuvable : ni un fichier, ni l'identifiant d'une candidature de {}",
            dir.display()
        );
        match crate::diag::did_you_mean(arg, ids.iter().copied()) {
            Some(best) => eprintln!("  = aide : vouliez-vous dire « {best} » ?"),
            None if !ids.is_empty() => {
                eprintln!("  = aide : candidatures du projet : {}", ids.join(", "))
            }
            None => {}
        }
        return Err(exit::USAGE);
    };
    // Its own file's diagnostics and every error outside data/candidatures/.
    let own = checked.project.candidatures[index].file.clone();
    let mut diagnostics = Diagnostics::new();
    for d in checked.diagnostics.iter() {
        let file = d.location.as_ref().map_or("", |l| &*l.file);
        if file == &*own
            || (!file.contains("data/candidatures/") && d.severity == crate::diag::Severity::Error)
        {
            diagnostics.push(d.clone());
        }
    }
    Ok(Resolved {
        project: checked.project,
        position: index,
        diagnostics,
    })
}

/// The format of a command that writes one of `formats` (each with its
/// extension, the first the default): `--format`, else the extension of
/// `-o`, else the first; with `-o FILE`, its extension must be the
/// format's (any of theirs when `--format` is not given).
fn chosen_format<F: Copy + PartialEq>(
    format: Option<F>,
    output: Option<&std::path::Path>,
    formats: &[(F, &str)],
) -> Result<F, u8> {
    let by_extension = output
        .and_then(|p| p.extension())
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    let chosen = format.unwrap_or_else(|| {
        formats
            .iter()
            .find(|(_, ext)| Some(*ext) == by_extension.as_deref())
            .map_or(formats[0].0, |(f, _)| *f)
    });
    if let Some(path) = output {
        let ext = formats
            .iter()
            .find(|(f, _)| *f == chosen)
            .map_or("", |(_, e)| *e);
        let all: Vec<&str> = formats.iter().map(|(_, e)| *e).collect();
        let allowed = if format.is_some() {
            std::slice::from_ref(&ext)
        } else {
            &all[..]
        };
        output_format(path, Some(ext), allowed)?;
    }
    Ok(chosen)
}

/// The format of an output file: its extension, which must be one of
/// `allowed` and agree with `--format` when given; for `-` (the standard
/// output), `--format`, or the only format allowed.
fn output_format(
    output: &std::path::Path,
    format: Option<&str>,
    allowed: &[&str],
) -> Result<String, u8> {
    let list = allowed
        .iter()
        .map(|a| format!(".{a}"))
        .collect::<Vec<_>>()
        .join(", ");
    if output == std::path::Path::new("-") {
        return match (format, allowed) {
            (Some(f), _) => Ok(f.to_owned()),
            (None, [only]) => Ok((*only).to_owned()),
            (None, _) => {
                eprintln!(
                    "error: -o - (sortie standard) : précisez le format avec --format ({})",
                    allowed.join(", ")
                );
                Err(exit::USAGE)
            }
        };
    }
    let ext = output
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if !allowed.contains(&ext.as_str()) {
        eprintln!("error: {} : extension {list} attendue", output.display());
        return Err(exit::USAGE);
    }
    if let Some(f) = format.filter(|f| *f != ext) {
        eprintln!(
            "error: {} : l'extension .{ext} ne correspond pas au format demandé ({f})",
            output.display()
        );
        return Err(exit::USAGE);
    }
    Ok(ext)
}

/// Writes `bytes` to `path` through a temporary file beside it, so that an
/// interrupted write never leaves a truncated document; `-` is the
/// standard output (a PDF to a pipe).
fn write_output(path: &std::path::Path, bytes: &[u8]) -> u8 {
    if path == std::path::Path::new("-") {
        let mut stdout = std::io::stdout().lock();
        return match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
            Ok(()) => exit::OK,
            // A reader that stopped early (`| head`) wanted no more.
            Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => exit::OK,
            Err(err) => {
                eprintln!("error: sortie standard : écriture impossible : {err}");
                exit::USAGE
            }
        };
    }
    let tmp = path.with_extension("segurdoc-tmp");
    let result = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    match result {
        Ok(()) => exit::OK,
        Err(err) => {
            let _ = std::fs::remove_file(&tmp);
            eprintln!("error: {} : écriture impossible : {err}", path.display());
            exit::USAGE
        }
    }
}

/// Resolves, checks and evaluates CANDIDATURE, then hands the outcome to `f`.
fn with_outcome(
    args: &Args,
    arg: &str,
    reference: chrono::NaiveDateTime,
    f: impl FnOnce(&Project, &crate::rules::Outcome<'_>) -> u8,
) -> u8 {
    let Resolved {
        project,
        position,
        mut diagnostics,
    } = match resolve(args, arg) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let candidature = &project.candidatures[position];
    // What the candidature names, then the rules, evaluated once.
    crate::validate::names(&project, candidature, &mut diagnostics);
    let index = crate::model::EquivalenceIndex::new(&project.equivalences);
    let outcome = if diagnostics.has_errors() {
        None
    } else {
        match crate::rules::evaluate(candidature, &project, &index, reference) {
            Ok(outcome) => {
                for w in &outcome.warnings {
                    diagnostics.push(w.clone());
                }
                Some(outcome)
            }
            Err(errors) => {
                for e in errors {
                    diagnostics.push(e);
                }
                None
            }
        }
    };
    diagnostics.sort();
    eprint!("{}", report(&diagnostics));
    match outcome {
        Some(outcome) if !diagnostics.has_errors() => f(&project, &outcome),
        _ => {
            eprintln!(
                "candidature invalide, rien n'est produit : {}",
                diagnostics.summary()
            );
            exit::INVALID
        }
    }
}

fn attestation(args: &Args, arg: &str, output: &std::path::Path, format: Option<&str>) -> u8 {
    let ext = match output_format(
        output,
        Some(format.unwrap_or(if output == std::path::Path::new("-") {
            "pdf"
        } else {
            ""
        }))
        .filter(|f| !f.is_empty()),
        &["pdf", "docx"],
    ) {
        Ok(ext) => ext,
        Err(code) => return code,
    };
    with_outcome(args, arg, now(), |project, o| {
        if o.attestation.is_empty() {
            eprintln!(
                "aucune attestation sur l'honneur n'est requise pour « {} » (un seul nom commercial, celui de la solution, et aucun nouveau composant) : {} n'est pas écrit",
                o.candidature.id,
                output.display()
            );
            return exit::OK;
        }
        let mut diags = Diagnostics::new();
        let Some(templates) = crate::render::Templates::compile(&project.templates, &mut diags)
        else {
            eprint!("{}", report(&diags));
            return exit::INVALID;
        };
        let bytes = if ext == "docx" {
            crate::render::attestation::docx(&templates, o, None)
        } else {
            crate::render::attestation::attestation(&templates, o, None).map_err(|e| e.0)
        };
        match bytes {
            Ok(bytes) => write_output(output, &bytes),
            Err(message) => {
                eprintln!("error: {message}");
                exit::USAGE
            }
        }
    })
}

fn convention(args: &Args, arg: &str, output: &std::path::Path, format: Option<&str>) -> u8 {
    let ext = match output_format(output, format, &["pdf", "docx", "html", "md"]) {
        Ok(ext) => ext,
        Err(code) => return code,
    };
    let date = today();
    with_outcome(args, arg, now(), |project, o| {
        let mut diags = Diagnostics::new();
        let Some(templates) = crate::render::Templates::compile(&project.templates, &mut diags)
        else {
            eprint!("{}", report(&diags));
            return exit::INVALID;
        };
        let markdown = match crate::render::convention::markdown(&templates, o, date) {
            Ok(m) => m,
            Err(message) => {
                eprintln!("error: {message}");
                return exit::INVALID;
            }
        };
        let bytes = match ext.as_str() {
            "md" => Ok(markdown.into_bytes()),
            "html" => {
                crate::render::convention::html(&templates, &markdown, o).map(String::into_bytes)
            }
            "docx" => crate::render::convention::docx(&markdown, o, date),
            _ => crate::render::convention::pdf(&markdown, o, date).map_err(|e| e.0),
        };
        match bytes {
            Ok(bytes) => write_output(output, &bytes),
            Err(message) => {
                eprintln!("error: {message}");
                exit::INVALID
            }
        }
    })
}

/// A REM release named on the command line: a file, or `CODE@VERSION` in the project.
/// A REM release read from a file.
fn load_release_file(arg: &str) -> Result<(String, crate::model::Rem), u8> {
    let path = std::path::Path::new(arg);
    let bytes = std::fs::read(path).map_err(|err| {
        eprintln!("error: {} : lecture impossible : {err}", path.display());
        exit::USAGE
    })?;
    let shown: std::sync::Arc<str> = path.display().to_string().into();
    let mut diags = Diagnostics::new();
    let rem = crate::ingest::parse_rem_file(&shown, path, &bytes, &mut diags);
    eprint!("{}", report(&diags));
    match rem {
        Some(rem) => {
            if !rem.rejected_ids.is_empty() {
                eprintln!(
                    "{} : exigences non comparées à cause des erreurs ci-dessus : {}",
                    path.display(),
                    rem.rejected_ids
                        .iter()
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
            let label = path
                .file_stem()
                .map_or_else(|| arg.to_owned(), |s| s.to_string_lossy().into_owned());
            Ok((label, rem))
        }
        None => {
            eprintln!("{} : REM illisible, comparaison impossible", path.display());
            Err(exit::USAGE)
        }
    }
}

fn load_release(
    args: &Args,
    arg: &str,
    project: &mut Option<Project>,
) -> Result<(String, crate::model::Rem), u8> {
    if std::path::Path::new(arg).is_file() {
        return load_release_file(arg);
    }
    let Some((code, version)) = arg.split_once('@') else {
        eprintln!(
            "error: « {arg} » n'est ni un fichier REM ni de la forme CODE@VERSION (ex. MS-DUI@2.0)"
        );
        return Err(exit::USAGE);
    };
    if project.is_none() {
        match crate::ingest::load_project(&args.project) {
            Ok(loaded) => {
                let errors: Vec<_> = loaded
                    .diagnostics
                    .iter()
                    .filter(|d| {
                        d.severity == crate::diag::Severity::Error
                            && d.location
                                .as_ref()
                                .is_some_and(|l| l.file.contains("data/rem/"))
                    })
                    .cloned()
                    .collect();
                if !errors.is_empty() {
                    let mut diags = Diagnostics::new();
                    for e in errors {
                        diags.push(e);
                    }
                    eprint!("{}", report(&diags));
                    return Err(exit::USAGE);
                }
                *project = Some(loaded.project);
            }
            Err(err) => {
                eprintln!("error: {err}");
                return Err(exit::USAGE);
            }
        }
    }
    let releases = project.as_ref().and_then(|p| p.rems.get(code));
    let wanted = crate::model::Version::parse(version).ok();
    match releases.and_then(|r| r.iter().find(|rem| Some(&rem.version) == wanted.as_ref())) {
        Some(rem) => Ok((rem.version.to_string(), rem.clone())),
        None => {
            let known: Vec<String> = project
                .as_ref()
                .map(|p| {
                    p.rems
                        .iter()
                        .flat_map(|(c, rs)| rs.iter().map(move |r| format!("{c}@{}", r.version)))
                        .collect()
                })
                .unwrap_or_default();
            eprintln!(
                "error: publication {arg} introuvable dans {}",
                args.project.join("data/rem").display()
            );
            if !known.is_empty() {
                eprintln!("  = aide : publications du projet : {}", known.join(", "));
            }
            Err(exit::USAGE)
        }
    }
}

fn diff(args: &Args, old: &str, new: &str, format: DiffFormat) -> u8 {
    use std::io::IsTerminal;
    let mut project = None;
    let both_files = std::path::Path::new(old).is_file() && std::path::Path::new(new).is_file();
    let loaded = if both_files {
        // Two files: read them in parallel.
        rayon::join(|| load_release_file(old), || load_release_file(new))
    } else {
        (
            load_release(args, old, &mut project),
            load_release(args, new, &mut project),
        )
    };
    let (a, b) = match loaded {
        (Ok(a), Ok(b)) => (a, b),
        (Err(code), _) | (_, Err(code)) => return code,
    };
    let ((old_label, a), (new_label, b)) = (a, b);
    let mut d = crate::diff::diff_releases(&a, &b);
    d.old = old_label;
    d.new = new_label;
    match format {
        DiffFormat::Text => out(&crate::render::diff::text(
            &d,
            args.color.enabled(std::io::stdout().is_terminal()),
        )),
        DiffFormat::Json => out(&crate::render::diff::json(&d)),
        DiffFormat::Csv => {
            let mut stdout = std::io::stdout().lock();
            let _ = stdout.write_all(&crate::render::diff::csv(&d));
            let _ = stdout.flush();
        }
        DiffFormat::Html => {
            let mut diags = Diagnostics::new();
            let templates = project.as_ref().map_or(&[][..], |p| p.templates.as_slice());
            let Some(templates) = crate::render::Templates::compile(templates, &mut diags) else {
                eprint!("{}", report(&diags));
                return exit::USAGE;
            };
            let title = format!("Évolutions du REM {} : {} → {}", a.dispositif, d.old, d.new);
            match crate::render::diff::html(&templates, &d, &title) {
                Ok(html) => out(&html),
                Err(message) => {
                    eprintln!("error: {message}");
                    return exit::USAGE;
                }
            }
        }
    }
    if !d.not_compared.is_empty() {
        // Some requirements could not be read: "no change" would be a lie
        // about them. The partial report is printed, the exit says error.
        exit::USAGE
    } else if d.is_empty() {
        exit::OK
    } else {
        exit::INVALID
    }
}

fn export(
    args: &Args,
    arg: &str,
    layout: LayoutArg,
    output: &std::path::Path,
    format: Option<&str>,
    encoding: EncodingArg,
) -> u8 {
    use crate::render::rem_file;
    let ext = match output_format(output, format, &["xlsx", "csv"]) {
        Ok(ext) => ext,
        Err(code) => return code,
    };
    let mut project = None;
    let (_, rem) = match load_release(args, arg, &mut project) {
        Ok(r) => r,
        Err(code) => return code,
    };
    if !rem.rejected_ids.is_empty() {
        eprintln!(
            "error: {arg} : des lignes ont été rejetées (erreurs ci-dessus) : l'export les perdrait, rien n'est écrit"
        );
        return exit::INVALID;
    }
    let layout = match layout {
        LayoutArg::Long => crate::ingest::rem::Layout::Long,
        LayoutArg::Publiee => crate::ingest::rem::Layout::Publiee,
    };
    let records = rem_file::records(&rem.rows, layout);
    let bytes = if ext == "xlsx" {
        match rem_file::xlsx(&records) {
            Ok(b) => b,
            Err(message) => {
                eprintln!("error: {} : {message}", output.display());
                return exit::INVALID;
            }
        }
    } else {
        rem_file::csv(
            &records,
            match encoding {
                EncodingArg::Utf8 => rem_file::Encoding::Utf8,
                EncodingArg::Windows1252 => rem_file::Encoding::Windows1252,
            },
        )
    };
    let code = write_output(output, &bytes);
    if code == exit::OK {
        eprintln!(
            "{} : REM {} {} écrit ({} preuves, {} lignes)",
            output.display(),
            rem.dispositif,
            rem.version,
            rem.rows.len(),
            records.len() - 1
        );
    }
    code
}

/// What `impact` compares the current inputs with.
struct Before<'a> {
    /// An older release of the candidature's dispositif's REM.
    depuis: Option<&'a str>,
    /// An older registry.
    registre: Option<&'a std::path::Path>,
    /// An older version of one equivalence list.
    equivalences: Option<&'a std::path::Path>,
}

/// Reads one CSV input given on the command line with `parse`; its errors
/// are printed, located in that file.
fn read_input<T>(
    path: &std::path::Path,
    parse: impl FnOnce(&std::sync::Arc<str>, &[u8], &mut Diagnostics) -> T,
) -> Result<T, u8> {
    let bytes = std::fs::read(path).map_err(|err| {
        eprintln!("error: {} : lecture impossible : {err}", path.display());
        exit::USAGE
    })?;
    let shown: std::sync::Arc<str> = path.display().to_string().into();
    let mut diags = Diagnostics::new();
    let value = parse(&shown, &bytes, &mut diags);
    eprint!("{}", report(&diags));
    if diags.has_errors() {
        return Err(exit::INVALID);
    }
    Ok(value)
}

/// `impact`: the candidature evaluated with the older inputs of `before`
/// (a REM release, a registry, an equivalence list) and with the current
/// ones, compared.
fn impact(
    args: &Args,
    arg: &str,
    before: &Before<'_>,
    format: Option<ImpactFormat>,
    output: Option<&std::path::Path>,
) -> u8 {
    use std::io::IsTerminal;
    let format = match chosen_format(
        format,
        output,
        &[
            (ImpactFormat::Text, "txt"),
            (ImpactFormat::Json, "json"),
            (ImpactFormat::Csv, "csv"),
        ],
    ) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let reference = now();
    with_outcome(args, arg, reference, |project, new| {
        let code = new.dispositif.code.to_string();
        let old_rem = match before.depuis {
            None => None,
            Some(depuis) => {
                let mut loaded = None;
                let (_, rem) = match load_release(args, &format!("{code}@{depuis}"), &mut loaded) {
                    Ok(r) => r,
                    Err(exit_code) => return exit_code,
                };
                if rem.version == new.rem.version {
                    eprintln!("error: --depuis {depuis} : c'est la publication en vigueur du REM {code}, rien à comparer");
                    return exit::USAGE;
                }
                Some(rem)
            }
        };
        let mut contexte = Vec::new();
        // The same project with the older registry or list, when given.
        let mut older = None;
        if let Some(path) = before.registre {
            let registry = match read_input(path, crate::ingest::parse_registry) {
                Ok(r) => r,
                Err(code) => return code,
            };
            contexte.extend(crate::impact::registry_changes(
                new.candidature,
                &registry,
                &project.registry,
            ));
            older.get_or_insert_with(|| project.clone()).registry = registry;
        }
        if let Some(path) = before.equivalences {
            let name = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let Some(current) = project.equivalences.iter().position(|l| l.name == name) else {
                eprintln!(
                    "error: --equivalences {} : aucune liste « {name} » dans data/equivalences/ ; le fichier doit porter le nom de la liste qu'il remplace ({name}.csv)",
                    path.display()
                );
                return exit::USAGE;
            };
            let list = match read_input(path, |file, bytes, diags| {
                crate::ingest::parse_equivalences(file, &name, bytes, diags)
            }) {
                Ok(Some(list)) => list,
                Ok(None) | Err(_) => return exit::INVALID,
            };
            contexte.extend(crate::impact::equivalence_changes(
                &list,
                &project.equivalences[current],
                &new.dispositif.code,
                new.racine.map(|r| &r.dispositif),
            ));
            older.get_or_insert_with(|| project.clone()).equivalences[current] = list;
        }
        let old_project = older.as_ref().unwrap_or(project);
        let index = crate::model::EquivalenceIndex::new(&old_project.equivalences);
        let old = match crate::rules::evaluate_under(
            new.candidature,
            old_project,
            &index,
            reference,
            old_rem.as_ref(),
        ) {
            Ok(o) => o,
            Err(errors) => {
                let mut diags = Diagnostics::new();
                for e in errors {
                    diags.push(e);
                }
                eprint!("{}", report(&diags));
                eprintln!("la candidature ne peut pas être évaluée avec les données précédentes");
                return exit::INVALID;
            }
        };
        let diff = crate::diff::diff_releases(old.rem, new.rem);
        let mut impact = crate::impact::impact(&old, new, &diff);
        impact.contexte = contexte;
        let bytes = match format {
            ImpactFormat::Text => crate::impact::text(
                &impact,
                output.is_none() && args.color.enabled(std::io::stdout().is_terminal()),
            )
            .into_bytes(),
            ImpactFormat::Json => format!(
                "{}\n",
                serde_json::to_string_pretty(&impact).unwrap_or_default()
            )
            .into_bytes(),
            ImpactFormat::Csv => crate::impact::csv(&impact),
        };
        write_output(output.unwrap_or(std::path::Path::new("-")), &bytes)
    })
}

/// `candidature nouvelle`: the skeleton, to a new file or the standard output.
fn nouvelle(args: &Args, code: &str, output: Option<&std::path::Path>) -> u8 {
    if let Some(path) = output.filter(|p| *p != std::path::Path::new("-")) {
        if let Err(code) = output_format(path, None, &["yaml", "yml"]) {
            return code;
        }
        if path.exists() {
            eprintln!(
                "error: {} existe déjà : segurdoc n'écrit pas par-dessus une candidature ; choisissez un autre nom",
                path.display()
            );
            return exit::USAGE;
        }
    }
    let checked = match crate::check_data(&args.project) {
        Ok(c) => c,
        Err(err) => {
            eprintln!("error: {err}");
            return exit::USAGE;
        }
    };
    let project = checked.project;
    let wanted = code.trim().to_ascii_uppercase();
    let found = project
        .catalogue
        .dispositifs
        .iter()
        .find(|d| d.code.as_str() == wanted && d.vague == crate::model::Vague::Deux);
    let Some(d) = found else {
        let known: Vec<&str> = project
            .catalogue
            .dispositifs
            .iter()
            .filter(|d| d.vague == crate::model::Vague::Deux)
            .map(|d| d.code.as_str())
            .collect();
        eprintln!("error: « {code} » n'est pas un dispositif de vague 2 du DSR (data/dsr.csv)");
        if !known.is_empty() {
            eprintln!("  = aide : dispositifs de vague 2 : {}", known.join(", "));
        }
        return exit::USAGE;
    };
    let yaml = crate::render::skeleton::candidature(&project, d);
    let code = write_output(output.unwrap_or(std::path::Path::new("-")), yaml.as_bytes());
    if code == exit::OK {
        if let Some(path) = output.filter(|p| *p != std::path::Path::new("-")) {
            eprintln!(
                "{} : squelette de candidature {} écrit ; complétez-le, puis « segurdoc check » liste ce qui manque",
                path.display(),
                d.code
            );
        }
    }
    code
}

fn preuves(
    args: &Args,
    arg: &str,
    format: Option<Format>,
    date: Option<&str>,
    output: Option<&std::path::Path>,
) -> u8 {
    let format = match chosen_format(
        format,
        output,
        &[
            (Format::Text, "txt"),
            (Format::Json, "json"),
            (Format::Csv, "csv"),
            (Format::Xlsx, "xlsx"),
        ],
    ) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let output = match output {
        Some(path) => Some(path),
        None if format == Format::Xlsx => {
            eprintln!("error: --format xlsx : un classeur s'écrit dans un fichier, précisez -o FICHIER.xlsx (ou -o -)");
            return exit::USAGE;
        }
        None => None,
    };
    let reference = match date {
        None => now(),
        Some(raw) => match parse_reference(raw) {
            Ok(d) => d,
            Err(message) => {
                eprintln!("error: --date : {message}");
                return exit::USAGE;
            }
        },
    };
    with_outcome(args, arg, reference, |_, outcome| {
        let bytes = match format {
            Format::Text => crate::render::preuves::text(outcome).into_bytes(),
            Format::Json => crate::render::preuves::json(outcome).into_bytes(),
            Format::Csv => crate::render::preuves::csv(outcome),
            Format::Xlsx => match crate::render::checklist_xlsx::checklist(outcome, reference) {
                Ok(bytes) => bytes,
                Err(message) => {
                    eprintln!("error: {message}");
                    return exit::INVALID;
                }
            },
        };
        write_output(output.unwrap_or(std::path::Path::new("-")), &bytes)
    })
}

/// What `check` says of the guichets it inferred from proof texts (REMs
/// without `Source`): one line per REM release, nothing when none was.
pub fn inferred_sources(project: &Project) -> String {
    use crate::model::Source;
    let mut lines = String::new();
    let mut total = 0;
    for rem in project.rems.values().flatten() {
        let mut counts = Vec::new();
        for source in [
            Source::Cnda,
            Source::EdcPsc,
            Source::Gazelle,
            Source::Motco2,
        ] {
            let n = rem
                .rows
                .iter()
                .filter(|r| r.source_inferred && r.source == source)
                .count();
            if n > 0 {
                counts.push(format!("{n} {source}"));
                total += n;
            }
        }
        if !counts.is_empty() {
            lines.push_str(&format!(
                "  {} {} ({}) : {}\n",
                rem.dispositif,
                rem.version,
                rem.file,
                counts.join(", ")
            ));
        }
    }
    if total == 0 {
        return String::new();
    }
    format!(
        "{total} source{s} de preuve déduite{s} du texte (Source non renseignée ; motifs dans docs/formats.md) :\n{lines}",
        s = if total > 1 { "s" } else { "" }
    )
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
