//! Diagnostics: what segurdoc tells a user about their data.
//!
//! A diagnostic is data (severity, location, message, hint), collected by every
//! stage and rendered in exactly one place, as `path:line:column: error: message`.

use std::fmt;
use std::sync::Arc;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The input is invalid: the command fails with exit code 1.
    Error,
    /// Worth a look, but the input is usable.
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// A place in an input file. Lines and columns are 1-based, counted in
/// characters of the file as the user wrote it; 0 means "not known".
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// The file as shown to the user (relative to the project when inside it).
    pub file: Arc<str>,
    /// 1-based line, 0 when the whole file is meant.
    pub line: u32,
    /// 1-based column, 0 when the whole line is meant.
    pub column: u32,
    /// The worksheet, for a cell of a workbook: then the position renders
    /// as a spreadsheet reference, `2.0.xlsx:Exigences!M17`.
    pub sheet: Option<Arc<str>>,
}

impl Location {
    /// A location at `line:column` of `file`.
    pub fn new(file: &Arc<str>, line: u32, column: u32) -> Self {
        Location {
            file: Arc::clone(file),
            line,
            column,
            sheet: None,
        }
    }

    /// Cell `line`, `column` of worksheet `sheet` in workbook `file`.
    pub fn in_sheet(file: &Arc<str>, sheet: &Arc<str>, line: u32, column: u32) -> Self {
        Location {
            sheet: Some(Arc::clone(sheet)),
            ..Location::new(file, line, column)
        }
    }

    /// The file as a whole (rendered as `file:1:1`).
    pub fn file(file: &Arc<str>) -> Self {
        Location::new(file, 0, 0)
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let (Some(sheet), true) = (&self.sheet, self.line > 0) {
            // What a spreadsheet user types in the name box: `Exigences!M17`.
            write!(f, "{}:{sheet}!", self.file)?;
            if self.column > 0 {
                f.write_str(&column_letters(self.column))?;
            } else {
                f.write_str("A")?;
            }
            return write!(f, "{}", self.line);
        }
        // Editors and CI annotators expect three fields; a file-level
        // diagnostic points at its first character.
        write!(
            f,
            "{}:{}:{}",
            self.file,
            self.line.max(1),
            self.column.max(1)
        )
    }
}

/// A 1-based column number as a spreadsheet writes it: 1 → `A`, 27 → `AA`.
pub fn column_letters(column: u32) -> String {
    let mut n = column;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + u8::try_from(rem).unwrap_or(0)));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// One message about the user's input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Where; `None` for problems that belong to no file (e.g. an empty project).
    pub location: Option<Location>,
    /// What is wrong, in French, naming the value at fault.
    pub message: String,
    /// How to fix it, when we can tell ("vouliez-vous dire « siret » ?").
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error at `location`.
    pub fn error(location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            location: Some(location),
            message: message.into(),
            hint: None,
        }
    }

    /// A warning at `location`.
    pub fn warning(location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            location: Some(location),
            message: message.into(),
            hint: None,
        }
    }

    /// Adds a hint, rendered on a line of its own.
    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(location) = &self.location {
            // A file name can hold control characters too.
            write!(f, "{}: ", Printable(&location.to_string()))?;
        }
        write!(f, "{}: {}", self.severity, Printable(&self.message))?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  = aide : {}", Printable(hint))?;
        }
        Ok(())
    }
}

/// Text from the data as a terminal may print it: control characters
/// (an escape sequence from a YAML `\x1b`, a bell, a NUL) are shown as
/// `\u{1b}`, never sent to the terminal.
struct Printable<'a>(&'a str);

impl fmt::Display for Printable<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in self.0.chars() {
            if c.is_control() && c != '\n' {
                write!(f, "\\u{{{:x}}}", c as u32)?;
            } else {
                write!(f, "{c}")?;
            }
        }
        Ok(())
    }
}

/// Every diagnostic of a run, in the order they were found until sorted.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty collection.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records one diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Records an error at `location`.
    pub fn error(&mut self, location: Location, message: impl Into<String>) {
        self.push(Diagnostic::error(location, message));
    }

    /// Records a warning at `location`.
    pub fn warning(&mut self, location: Location, message: impl Into<String>) {
        self.push(Diagnostic::warning(location, message));
    }

    /// Takes every diagnostic of `other`.
    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// Splits into the diagnostics `keep` accepts and the others.
    pub fn partition(self, keep: impl Fn(&Diagnostic) -> bool) -> (Diagnostics, Diagnostics) {
        let (a, b) = self.items.into_iter().partition(|d| keep(d));
        (Diagnostics { items: a }, Diagnostics { items: b })
    }

    /// True when at least one error was recorded.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.count(Severity::Error)
    }

    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.count(Severity::Warning)
    }

    fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == severity).count()
    }

    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The diagnostics, in their current order.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Sorts by file, line, column, so that output does not depend on the
    /// order in which files were loaded in parallel. The sort is stable:
    /// diagnostics at the same place keep the order they were found in.
    pub fn sort(&mut self) {
        self.items.sort_by(|a, b| a.location.cmp(&b.location));
    }

    /// Renders every diagnostic, one per line (hints on their own line).
    pub fn render(&self) -> String {
        let mut out = String::new();
        for d in &self.items {
            out.push_str(&d.to_string());
            out.push('\n');
        }
        out
    }

    /// Renders the errors only (`--quiet`).
    pub fn render_errors(&self) -> String {
        let mut out = String::new();
        for d in self.items.iter().filter(|d| d.severity == Severity::Error) {
            out.push_str(&d.to_string());
            out.push('\n');
        }
        out
    }

    /// "2 erreurs, 1 avertissement" — for the last line of `check`.
    pub fn summary(&self) -> String {
        let errors = self.error_count();
        let warnings = self.warning_count();
        format!(
            "{} erreur{}, {} avertissement{}",
            errors,
            if errors > 1 { "s" } else { "" },
            warnings,
            if warnings > 1 { "s" } else { "" }
        )
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// The closest candidate to `word` among `candidates`, for "did you mean"
/// hints; `None` when nothing is close enough to be a plausible typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let word_lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&word_lower, &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_location_severity_message_and_hint() {
        let file: Arc<str> = Arc::from("data/dsr.csv");
        let d = Diagnostic::error(Location::new(&file, 3, 7), "colonne « Code » absente")
            .with_hint("ajoutez-la");
        assert_eq!(
            d.to_string(),
            "data/dsr.csv:3:7: error: colonne « Code » absente\n  = aide : ajoutez-la"
        );
    }

    #[test]
    fn workbook_cells_render_as_spreadsheet_references() {
        let file: Arc<str> = Arc::from("2.0.xlsx");
        let sheet: Arc<str> = Arc::from("Exigences");
        assert_eq!(
            Location::in_sheet(&file, &sheet, 17, 13).to_string(),
            "2.0.xlsx:Exigences!M17"
        );
        assert_eq!(
            Location::in_sheet(&file, &sheet, 2, 34).to_string(),
            "2.0.xlsx:Exigences!AH2"
        );
        assert_eq!(
            Location::in_sheet(&file, &sheet, 0, 0).to_string(),
            "2.0.xlsx:1:1"
        );
        assert_eq!(
            [1, 26, 27, 52, 53, 702, 703].map(column_letters),
            ["A", "Z", "AA", "AZ", "BA", "ZZ", "AAA"]
        );
    }

    #[test]
    fn file_level_location_points_at_first_character() {
        let file: Arc<str> = Arc::from("a.csv");
        assert_eq!(Location::file(&file).to_string(), "a.csv:1:1");
    }

    #[test]
    fn sort_orders_by_file_then_position() {
        let a: Arc<str> = Arc::from("a");
        let b: Arc<str> = Arc::from("b");
        let mut ds = Diagnostics::new();
        ds.error(Location::new(&b, 1, 1), "x");
        ds.error(Location::new(&a, 10, 2), "y");
        ds.error(Location::new(&a, 2, 5), "z");
        ds.sort();
        let msgs: Vec<_> = ds.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(msgs, ["z", "y", "x"]);
    }

    #[test]
    fn did_you_mean_finds_typos_only() {
        let keys = ["siret", "nie", "adresse", "raison_sociale"];
        assert_eq!(did_you_mean("sirett", keys), Some("siret"));
        assert_eq!(did_you_mean("raison_social", keys), Some("raison_sociale"));
        assert_eq!(did_you_mean("zzz", keys), None);
    }

    #[test]
    fn summary_pluralises_in_french() {
        let f: Arc<str> = Arc::from("f");
        let mut ds = Diagnostics::new();
        assert_eq!(ds.summary(), "0 erreur, 0 avertissement");
        ds.error(Location::file(&f), "a");
        ds.error(Location::file(&f), "b");
        ds.warning(Location::file(&f), "c");
        assert_eq!(ds.summary(), "2 erreurs, 1 avertissement");
    }
}
