//! `segurdoc diff` on two small releases holding one change of each kind,
//! in every output format, and on `CODE@VERSION` inside a project.

use std::path::{Path, PathBuf};

use crate::check::run_binary;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diff")
}

fn diff(format: &str) -> (i32, String, String) {
    let dir = fixtures();
    let (old, new) = (dir.join("old.csv"), dir.join("new.csv"));
    run_binary(
        &dir,
        &[
            "diff",
            old.to_str().unwrap(),
            new.to_str().unwrap(),
            "--format",
            format,
        ],
    )
}

#[test]
fn text_output_lists_each_kind_of_change() {
    let (code, stdout, stderr) = diff("text");
    assert_eq!(code, 1, "{stderr}");
    // Piped: no colour codes, word changes in [-…-]{+…+}.
    assert!(!stdout.contains('\u{1b}'));
    insta::assert_snapshot!(stdout);
}

#[test]
fn json_output_has_the_keys_of_formats_md() {
    let (code, stdout, _) = diff("json");
    assert_eq!(code, 1);
    insta::assert_snapshot!(stdout);
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["old"], "old");
    assert_eq!(v["added"][0]["id"], "DUI.ESMS.13");
    assert_eq!(v["removed"][0]["id"], "DUI.ESMS.99");
    assert_eq!(
        v["renamed"][0],
        serde_json::json!({"from": "DUI.ESMS.14", "to": "DUI.ESMS.09"})
    );
    let fields: Vec<(String, Vec<String>)> = v["modified"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["id"].as_str().unwrap().to_owned(),
                serde_json::from_value(m["fields"].clone()).unwrap(),
            )
        })
        .collect();
    assert_eq!(
        fields,
        [
            ("DUI.INS.01".to_owned(), vec!["Exigence".to_owned()]),
            ("DUI.INS.02".to_owned(), vec![]),
            ("DUI.MSS.01".to_owned(), vec!["Chapitre".to_owned()]),
            ("DUI.DMP.01".to_owned(), vec!["Preuves".to_owned()]),
        ]
    );
}

#[test]
fn csv_and_html_outputs() {
    let (code, stdout, _) = diff("csv");
    assert_eq!(code, 1);
    insta::assert_snapshot!(stdout.trim_start_matches('\u{feff}'));
    let (code, html, _) = diff("html");
    assert_eq!(code, 1);
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"fr\">"));
    let start = html.find("<h2 id=\"modifiees\">").unwrap();
    let end = html.find("<h2 id=\"renumerotees\">").unwrap();
    insta::assert_snapshot!(html[start..end].to_owned());
}

#[test]
fn exit_codes_follow_diff() {
    let dir = fixtures();
    let old = dir.join("old.csv");
    let (code, stdout, _) = run_binary(
        &dir,
        &["diff", old.to_str().unwrap(), old.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.starts_with("REM old → old : 0 ajoutée(s), 0 supprimée(s), 0 modifiée(s)"));
    let (code, _, stderr) = run_binary(&dir, &["diff", old.to_str().unwrap(), "absent.csv"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("« absent.csv » n'est ni un fichier REM ni de la forme CODE@VERSION"),
        "{stderr}"
    );
}

#[test]
fn code_at_version_inside_a_project() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (code, stdout, stderr) = run_binary(
        repo,
        &["diff", "MS-DUI@2.0", "MS-DUI@2.1", "--format", "json"],
    );
    assert_eq!(code, 1, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        (v["old"].as_str(), v["new"].as_str()),
        (Some("2.0"), Some("2.1"))
    );
    // The summary names the dispositif; two loose files have none.
    assert_eq!(v["dispositif"], "MS-DUI");
    let (_, text, _) = run_binary(repo, &["diff", "MS-DUI@2.0", "MS-DUI@2.1"]);
    assert!(text.starts_with("MS-DUI : REM 2.0 → 2.1 : "), "{text}");
    let (_, html, _) = run_binary(
        repo,
        &["diff", "MS-DUI@2.0", "MS-DUI@2.1", "--format", "html"],
    );
    assert!(
        html.contains("<p class=\"lead\">MS-DUI\u{a0}: du REM 2.0 au REM 2.1\u{a0}: "),
        "{html}"
    );
    assert!(diff("json").1.find("\"dispositif\"").is_none());
    assert_eq!(
        v["renamed"][0],
        serde_json::json!({"from": "DUI.ESMS.14", "to": "DUI.ESMS.09"})
    );
    let (code, _, stderr) = run_binary(repo, &["diff", "MS-DUI@2.0", "MS-DUI@9.9"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("publication MS-DUI@9.9 introuvable"),
        "{stderr}"
    );
    assert!(stderr.contains("MS-DUI@2.1"), "{stderr}");
}

/// A text rewritten through and through reads side by side, old and new;
/// a light edit stays word by word.
#[test]
fn rewritten_texts_are_shown_side_by_side() {
    let dir = tempfile::tempdir().unwrap();
    let header = "Périmètre;ID;Chapitre;Exigence;Profil;N° scénario;Scénario de conformité;N° preuve;Preuve;Source\n";
    let row = |id: &str, text: &str| {
        format!("Vague 2;{id};INS;{text};Général;{id}.01;Scénario;{id}.01.01;Preuve;Convergence\n")
    };
    let old = format!(
        "{header}{}{}",
        row(
            "DUI.INS.01",
            "Le système DOIT permettre l'opération de recherche INSi."
        ),
        row(
            "DUI.INS.02",
            "Le système DOIT afficher le statut de l'identité."
        )
    );
    let new = format!(
        "{header}{}{}",
        row(
            "DUI.INS.01",
            "Le logiciel appelle le téléservice pour vérifier chaque identité reçue."
        ),
        row(
            "DUI.INS.02",
            "Le système DOIT afficher le statut qualifié de l'identité."
        )
    );
    std::fs::write(dir.path().join("a.csv"), old).unwrap();
    std::fs::write(dir.path().join("b.csv"), new).unwrap();
    let (a, b) = (dir.path().join("a.csv"), dir.path().join("b.csv"));
    let run = |format: &str| {
        let args = [
            "diff",
            a.to_str().unwrap(),
            b.to_str().unwrap(),
            "--format",
            format,
        ];
        run_binary(dir.path(), &args).1
    };
    let html = run("html");
    let section = |id: &str| {
        let s = &html[html.find(&format!(">{id} <span")).unwrap()..];
        s[..s.find("</section>").unwrap()].to_owned()
    };
    let one = section("DUI.INS.01");
    assert!(
        one.contains("<div class=\"side-by-side\"><div><p class=\"side-label\">REM a</p>"),
        "{one}"
    );
    assert!(one.contains("<p class=\"side-label\">REM b</p>"), "{one}");
    let two = section("DUI.INS.02");
    assert!(
        !two.contains("side-by-side") && two.contains("<ins>qualifié </ins>"),
        "{two}"
    );
    let text = run("text");
    assert!(
        text.contains("réécrit\n      avant (a) : Le système DOIT permettre"),
        "{text}"
    );
    assert!(text.contains("après (b) : Le logiciel appelle"), "{text}");
}
