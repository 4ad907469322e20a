//! `segurdoc check` on fixture projects: every diagnostic of FORMATS.md and
//! issue #2, with its exact text.
//!
//! Each case folder under `tests/fixtures/check/` holds only the files that
//! differ from `base/`; the harness overlays it on the base in a temporary
//! folder, so every case is a whole, realistic project.

use std::path::{Path, PathBuf};
use std::process::Command;

use segurdoc::check_project;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check")
}

pub(crate) fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A project made of the base fixture with a case's files on top.
struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    fn case(name: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        copy_tree(&fixtures().join("base"), dir.path());
        if name != "base" {
            copy_tree(&fixtures().join(name), dir.path());
        }
        Project { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn remove(&self, relative: &str) -> &Self {
        std::fs::remove_file(self.path().join(relative)).unwrap();
        self
    }

    /// The diagnostics as `check` prints them, with the temporary folder
    /// removed from paths, and whether there were errors.
    fn check(&self) -> (String, bool) {
        let checked = check_project(self.path()).unwrap();
        let prefix = format!("{}/", self.path().display());
        (
            checked.diagnostics.render().replace(&prefix, ""),
            checked.diagnostics.has_errors(),
        )
    }

    /// Runs the real binary.
    fn run(&self, args: &[&str]) -> (i32, String, String) {
        run_binary(self.path(), args)
    }
}

pub(crate) fn run_binary(project: &Path, args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_segurdoc"))
        .args(args)
        .arg("--project")
        .arg(project)
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// The entry of `preuves --format json` output `v` to deposit for proof `id`.
pub(crate) fn due_entry(v: &serde_json::Value, id: &str) -> serde_json::Value {
    v["a_deposer"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["preuve"] == id)
        .cloned()
        .unwrap()
}

/// Runs `check` on a case and snapshots its diagnostics; the case must fail.
fn assert_case(name: &str) {
    let (rendered, has_errors) = Project::case(name).check();
    assert!(has_errors, "case {name} should have errors:\n{rendered}");
    insta::assert_snapshot!(name, rendered);
}

#[test]
fn base_fixture_is_valid() {
    let (rendered, has_errors) = Project::case("base").check();
    assert_eq!(rendered, "");
    assert!(!has_errors);
}

#[test]
fn missing_columns() {
    assert_case("missing-columns");
}

#[test]
fn missing_cells() {
    assert_case("missing-cells");
}

#[test]
fn duplicate_proof_number() {
    assert_case("duplicate-proof");
}

#[test]
fn requirement_rows_disagree() {
    assert_case("requirement-disagrees");
}

#[test]
fn profile_unknown_to_the_dispositif() {
    assert_case("unknown-profile");
}

#[test]
fn malformed_dates_and_versions() {
    assert_case("malformed-values");
}

#[test]
fn equivalence_errors() {
    assert_case("equivalence-errors");
}

#[test]
fn candidature_naming_unknown_things() {
    assert_case("candidature-unknowns");
}

#[test]
fn unknown_yaml_keys_get_did_you_mean_hints() {
    assert_case("unknown-key");
}

#[test]
fn invalid_siret() {
    assert_case("invalid-siret");
}

#[test]
fn commercial_name_without_nil() {
    assert_case("name-without-nil");
}

#[test]
fn r8_two_candidatures_same_profiles_and_version() {
    assert_case("r8-same-profiles-and-version");
}

#[test]
fn bad_bytes_empty_files_unterminated_quotes() {
    assert_case("bad-bytes");
}

#[test]
fn windows_1252_semicolon_crlf_is_read_like_utf8() {
    let project = Project::case("windows-1252");
    let (rendered, has_errors) = project.check();
    assert_eq!(rendered, "");
    assert!(!has_errors);
    let checked = check_project(project.path()).unwrap();
    let code = segurdoc::model::DispositifCode::parse("MS-DUI").unwrap();
    let rem = checked.project.current_rem(&code).unwrap();
    let gir = rem
        .rows
        .iter()
        .find(|r| r.exigence_id == "DUI.PA.01")
        .unwrap();
    assert_eq!(
        gir.exigence,
        "Le système DOIT calculer le GIR (œuvre sociale, coût en €)."
    );
    let msdui = checked.project.catalogue.get("MS-DUI").unwrap();
    assert_eq!(msdui.nom, "Dossier Usager Informatisé");
    assert_eq!(msdui.couloir, "Médico-social");
}

/// What matters of the MS-DUI REM's rows: numbers, texts, sources, order.
fn ms_dui_rows(project: &Path) -> Vec<(String, String, segurdoc::model::Source, Option<i64>)> {
    let checked = check_project(project).unwrap();
    let code = segurdoc::model::DispositifCode::parse("MS-DUI").unwrap();
    let rem = checked.project.current_rem(&code).unwrap();
    assert!(rem.file.ends_with(".csv") || rem.file.ends_with(".xlsx"));
    rem.rows
        .iter()
        .map(|r| (r.preuve_id.clone(), r.exigence.clone(), r.source, r.ordre))
        .collect()
}

#[test]
fn a_rem_saved_as_xlsx_reads_like_its_csv() {
    let project = Project::case("base");
    let csv_path = project.path().join("data/rem/MS-DUI/2.1.csv");
    let csv_rows = ms_dui_rows(project.path());
    assert_eq!(csv_rows.len(), 5);
    // Write the same rows into the first sheet of a workbook, Ordre as numbers.
    let text = std::fs::read_to_string(&csv_path).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (r, record) in reader.records().enumerate() {
        for (c, value) in record.unwrap().iter().enumerate() {
            let (r, c) = (u32::try_from(r).unwrap(), u16::try_from(c).unwrap());
            match value.parse::<f64>() {
                Ok(n) if r > 0 => sheet.write_number(r, c, n).map(|_| ()),
                _ => sheet.write_string(r, c, value).map(|_| ()),
            }
            .unwrap();
        }
    }
    project.remove("data/rem/MS-DUI/2.1.csv");
    workbook
        .save(project.path().join("data/rem/MS-DUI/2.1.xlsx"))
        .unwrap();
    let (rendered, has_errors) = project.check();
    assert_eq!(rendered, "");
    assert!(!has_errors);
    let xlsx_rows = ms_dui_rows(project.path());
    let checked = check_project(project.path()).unwrap();
    let code = segurdoc::model::DispositifCode::parse("MS-DUI").unwrap();
    assert!(checked
        .project
        .current_rem(&code)
        .unwrap()
        .file
        .ends_with("2.1.xlsx"));
    assert_eq!(xlsx_rows, csv_rows);
}

#[test]
fn an_error_in_a_xlsx_rem_is_located_by_sheet_row_and_column() {
    let project = Project::case("base");
    project.remove("data/rem/MS-DUI/2.1.csv");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    let header = [
        "Périmètre",
        "ID",
        "Chapitre",
        "Exigence",
        "Profil",
        "N° scénario",
        "Scénario de conformité",
        "N° preuve",
        "Preuve",
    ];
    let row = [
        "Vague 3",
        "DUI.INS.01",
        "INS",
        "Texte",
        "Général",
        "DUI.INS.01.01",
        "Scénario",
        "DUI.INS.01.01.01",
        "Preuve",
    ];
    for (c, (h, v)) in header.iter().zip(row).enumerate() {
        let c = u16::try_from(c).unwrap();
        sheet.write_string(0, c, *h).unwrap();
        sheet.write_string(1, c, v).unwrap();
    }
    workbook
        .save(project.path().join("data/rem/MS-DUI/2.1.xlsx"))
        .unwrap();
    let (rendered, _) = project.check();
    assert!(
        rendered.contains(
            "data/rem/MS-DUI/2.1.xlsx:Sheet1!A2: error: Périmètre « Vague 3 » invalide : « Vague 1 » ou « Vague 2 » attendu\n"
        ),
        "{rendered}"
    );
}

#[test]
fn a_project_with_only_rems_is_valid() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(
        &fixtures().join("base/data/rem"),
        &dir.path().join("data/rem"),
    );
    let checked = check_project(dir.path()).unwrap();
    assert_eq!(checked.diagnostics.render(), "");
    assert_eq!(checked.project.rems.len(), 2);
}

#[test]
fn cli_check_exit_codes() {
    let (code, stdout, stderr) = Project::case("base").run(&["check"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert_eq!(
        stdout,
        "4 dispositifs, 2 publications de REM (7 preuves), 1 liste d'équivalence, 2 référencements, 1 candidature, 1 page — 0 erreur, 0 avertissement\n"
    );
    let (code, _, stderr) = Project::case("invalid-siret").run(&["check"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("error: SIRET"), "{stderr}");
    let (code, _, stderr) = run_binary(Path::new("/nonexistent/segurdoc"), &["check"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("n'existe pas"), "{stderr}");
}

#[test]
fn cli_usage_errors_exit_2() {
    let (code, _, _) = run_binary(Path::new("."), &["frobnicate"]);
    assert_eq!(code, 2);
}

#[test]
fn the_shipped_sample_project_is_valid() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let checked = check_project(root).unwrap();
    assert_eq!(checked.diagnostics.render(), "");
    let proofs: usize = checked
        .project
        .rems
        .values()
        .flatten()
        .map(|r| r.rows.len())
        .sum();
    assert!(proofs >= 300, "{proofs} proof rows");
    let vague2 = checked
        .project
        .catalogue
        .dispositifs
        .iter()
        .filter(|d| d.vague == segurdoc::model::Vague::Deux)
        .count();
    assert!(vague2 >= 4);
    assert!(checked.project.candidatures.len() >= 6);
    assert!(
        checked.project.rems.values().any(|r| r.len() >= 2),
        "a REM with two releases"
    );
}

/// A folder that is no project says so, and nothing is written into it.
#[test]
fn a_folder_without_data_nor_content_is_not_a_project() {
    let dir = tempfile::tempdir().unwrap();
    for command in [&["build"][..], &["check"]] {
        let (code, _, stderr) = run_binary(dir.path(), command);
        assert_eq!(code, 2, "{stderr}");
        assert!(
            stderr.contains("n'est pas un projet segurdoc : ni dossier data/ ni dossier content/"),
            "{stderr}"
        );
    }
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}
