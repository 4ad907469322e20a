//! The ANS's published REM layout (one row per scenario, ten proofs, Squash
//! HTML, no `Source`) against the same REM in the long layout: same model,
//! same `preuves`, no change for `diff`; its cells' errors, the inferred
//! sources, the natures and the ANS's `Statut publication`.

use std::path::{Path, PathBuf};

use crate::check::{copy_tree, run_binary};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/publiee")
}

fn read(name: &str) -> String {
    std::fs::read_to_string(fixtures().join(name)).unwrap()
}

/// The cells of a `;`-separated CSV file, row by row.
fn cells(csv_text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .from_reader(csv_text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

/// The same table as a workbook, sheet `Exigences`, as the ANS publishes it.
fn write_xlsx(rows: &[Vec<String>], path: &Path) {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Exigences").unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            if !value.is_empty() {
                sheet
                    .write_string(u32::try_from(r).unwrap(), u16::try_from(c).unwrap(), value)
                    .unwrap();
            }
        }
    }
    workbook.save(path).unwrap();
}

/// The fixture project with `rem` as its MS-DUI 1.0 REM (file name `name`).
fn project(name: &str, rem: &[u8]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixtures().join("projet/data"), &dir.path().join("data"));
    let rems = dir.path().join("data/rem/MS-DUI");
    std::fs::create_dir_all(&rems).unwrap();
    std::fs::write(rems.join(name), rem).unwrap();
    dir
}

fn xlsx_bytes(rows: &[Vec<String>]) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rem.xlsx");
    write_xlsx(rows, &path);
    std::fs::read(path).unwrap()
}

/// `preuves` as JSON, with the markers of inferred sources taken out.
fn preuves_json(project: &Path, id: &str) -> (serde_json::Value, serde_json::Value) {
    let (code, stdout, stderr) = run_binary(
        project,
        &["preuves", id, "--format", "json", "--date", "2026-06-01"],
    );
    assert_eq!(code, 0, "{stderr}");
    let raw: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let mut plain = raw.clone();
    for list in ["a_deposer", "masquees"] {
        for e in plain[list].as_array_mut().unwrap() {
            e.as_object_mut().unwrap().remove("source_deduite");
        }
    }
    (raw, plain)
}

#[test]
fn published_csv_and_xlsx_read_as_the_long_layout() {
    let dir = tempfile::tempdir().unwrap();
    let long = fixtures().join("rem-longue.csv");
    let published = fixtures().join("rem-publiee.csv");
    let xlsx = dir.path().join("2.0.xlsx");
    write_xlsx(&cells(&read("rem-publiee.csv")), &xlsx);
    for other in [&published, &xlsx] {
        let (code, stdout, stderr) = run_binary(
            dir.path(),
            &["diff", long.to_str().unwrap(), other.to_str().unwrap()],
        );
        assert_eq!(code, 0, "{other:?}: {stdout}{stderr}");
        assert!(stdout.contains("0 modifiée(s)"), "{stdout}");
        assert!(stdout.contains("4 inchangée(s)"), "{stdout}");
        assert!(stdout.contains("c'est la même publication"), "{stdout}");
    }
}

#[test]
fn preuves_are_the_same_in_both_layouts_and_mark_inferred_sources() {
    let long = project("1.0.csv", read("rem-longue.csv").as_bytes());
    let published = project("1.0.csv", read("rem-publiee.csv").as_bytes());
    let xlsx = project("1.0.xlsx", &xlsx_bytes(&cells(&read("rem-publiee.csv"))));
    let (long_raw, long_plain) = preuves_json(long.path(), "pa");
    let (published_raw, published_plain) = preuves_json(published.path(), "pa");
    let (_, xlsx_plain) = preuves_json(xlsx.path(), "pa");
    assert_eq!(long_plain, published_plain);
    assert_eq!(long_plain, xlsx_plain);
    // All ten proofs of the DMP scenario are there, with their nature.
    let due = published_raw["a_deposer"].as_array().unwrap();
    let dmp: Vec<&serde_json::Value> = due
        .iter()
        .filter(|e| e["exigence"] == "DUI.DMP.01")
        .collect();
    assert_eq!(dmp.len(), 10);
    assert_eq!(dmp[9]["preuve"], "DUI.DMP.01.01.10");
    assert!(dmp.iter().all(|e| e["nature"] == "Préconisée"));
    let by_id = crate::check::due_entry;
    let cnda = by_id(&published_raw, "DUI.INS.01.01.01");
    assert_eq!(cnda["source"], "CNDA");
    assert_eq!(cnda["source_deduite"], true);
    assert_eq!(cnda["nature"], "Obligatoire");
    assert_eq!(
        by_id(&published_raw, "DUI.DMP.01.01.05")["source"],
        "MOTCO2"
    );
    assert!(by_id(&published_raw, "DUI.DMP.01.01.03")
        .get("source_deduite")
        .is_none());
    // A stated Source is not marked.
    assert!(by_id(&long_raw, "DUI.INS.01.01.01")
        .get("source_deduite")
        .is_none());

    let (code, text, _) = run_binary(published.path(), &["preuves", "pa", "--date", "2026-06-01"]);
    assert_eq!(code, 0);
    let line = text
        .lines()
        .find(|l| l.contains("DUI.INS.01.01.01"))
        .unwrap();
    assert!(
        line.ends_with("— source déduite du texte de la preuve"),
        "{line}"
    );
    let (code, csv_out, _) = run_binary(
        published.path(),
        &["preuves", "pa", "--format", "csv", "--date", "2026-06-01"],
    );
    assert_eq!(code, 0);
    let rows = cells(csv_out.trim_start_matches('\u{feff}'));
    assert_eq!(rows[0][11..13], ["Nature", "Source déduite"]);
    let ins = rows.iter().find(|r| r[1] == "DUI.INS.01.01.01").unwrap();
    assert_eq!(ins[11..13], ["Obligatoire", "oui"]);
}

/// A stated `Source` always wins over the text, even `Convergence`.
#[test]
fn a_stated_source_wins_over_the_text() {
    let rem = read("rem-longue.csv").replace(
        "Attestation MOTCO du document 5;MOTCO2;",
        "Attestation MOTCO du document 5;Convergence;",
    );
    assert!(rem.contains("document 5;Convergence;"));
    let stated = project("1.0.csv", rem.as_bytes());
    let (raw, _) = preuves_json(stated.path(), "pa");
    let entry = raw["a_deposer"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["preuve"] == "DUI.DMP.01.01.05")
        .unwrap()
        .clone();
    assert_eq!(entry["source"], "Convergence");
    assert!(entry.get("source_deduite").is_none());
}

/// R6 and the first law: a proof whose text names an EDC PSC habilitation,
/// in a REM that does not say its Source, is not spared to a profile outside
/// EDC PSC; the same REM with `Source` stated spares it.
#[test]
fn an_inferred_edc_psc_source_never_spares_a_proof() {
    let long = project("1.0.csv", read("rem-longue.csv").as_bytes());
    let published = project("1.0.csv", read("rem-publiee.csv").as_bytes());
    let (stated, _) = preuves_json(long.path(), "ahi");
    let (inferred, _) = preuves_json(published.path(), "ahi");
    let has = |v: &serde_json::Value, list: &str| {
        v[list]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["preuve"] == "DUI.PSC.01.01.01")
    };
    assert!(has(&stated, "masquees"));
    assert!(!has(&stated, "a_deposer"));
    assert!(has(&inferred, "a_deposer"));
    assert!(!has(&inferred, "masquees"));
    let alerts = inferred["alertes"].to_string();
    assert!(
        alerts.contains("semblent être des habilitations EDC PSC d'après leur texte"),
        "{alerts}"
    );
}

#[test]
fn check_says_how_many_sources_were_inferred() {
    let published = project("1.0.csv", read("rem-publiee.csv").as_bytes());
    let (code, stdout, stderr) = run_binary(published.path(), &["check"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("5 sources de preuve déduites du texte"),
        "{stdout}"
    );
    assert!(
        stdout.contains("data/rem/MS-DUI/1.0.csv) : 1 CNDA, 1 EDC PSC, 2 Gazelle, 1 MOTCO2"),
        "{stdout}"
    );
    let long = project("1.0.csv", read("rem-longue.csv").as_bytes());
    let (code, stdout, _) = run_binary(long.path(), &["check"]);
    assert_eq!(code, 0);
    assert!(!stdout.contains("déduites"), "{stdout}");
}

/// Errors of a published workbook point at the cell, as a spreadsheet
/// user types it in the name box; the same in CSV gives line and column.
#[test]
fn a_proof_number_without_its_text_is_reported_at_its_cell() {
    let mut rows = cells(&read("rem-publiee.csv"));
    let header = rows[0].clone();
    let n3 = header.iter().position(|h| h == "N° preuve 3").unwrap();
    // Row 4 of the sheet: the DMP scenario with ten proofs; empty Preuve 3.
    assert_eq!(rows[3][1], "DUI.DMP.01");
    rows[3][n3 + 1].clear();
    // Row 5: a Preuve 2 without its number.
    let n2 = header.iter().position(|h| h == "N° preuve 2").unwrap();
    rows[4][n2 + 1] = "Capture".to_owned();
    let xlsx = project("1.0.xlsx", &xlsx_bytes(&rows));
    let (code, _, stderr) = run_binary(xlsx.path(), &["check"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("data/rem/MS-DUI/1.0.xlsx:Exigences!P4: error: N° preuve 3 sans Preuve 3 : le texte de la preuve est obligatoire"),
        "{stderr}"
    );
    assert!(
        stderr.contains("data/rem/MS-DUI/1.0.xlsx:Exigences!M5: error: Preuve 2 sans N° preuve 2 : chaque preuve a un numéro"),
        "{stderr}"
    );
    let mut text = Vec::new();
    {
        let mut w = csv::WriterBuilder::new()
            .delimiter(b';')
            .from_writer(&mut text);
        for r in &rows {
            w.write_record(r).unwrap();
        }
    }
    let csv_project = project("1.0.csv", &text);
    let (code, _, stderr) = run_binary(csv_project.path(), &["check"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("data/rem/MS-DUI/1.0.csv:4:")
            && stderr.contains("N° preuve 3 sans Preuve 3"),
        "{stderr}"
    );
    // `diff` on a file with unreadable rows never says "no change".
    let (code, stdout, stderr) = run_binary(
        csv_project.path(),
        &[
            "diff",
            fixtures().join("rem-longue.csv").to_str().unwrap(),
            csv_project
                .path()
                .join("data/rem/MS-DUI/1.0.csv")
                .to_str()
                .unwrap(),
        ],
    );
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(
        stdout.contains("Non comparées (lignes illisibles) : DUI.DMP.01, DUI.SSI.01"),
        "{stdout}"
    );
}

#[test]
fn export_writes_either_layout_and_reads_back_the_same() {
    let published = project("1.0.csv", read("rem-publiee.csv").as_bytes());
    let out = tempfile::tempdir().unwrap();
    let long = fixtures().join("rem-longue.csv");
    for (layout, file, encoding) in [
        ("long", "longue.csv", "utf-8"),
        ("long", "longue.xlsx", "utf-8"),
        ("publiee", "publiee.xlsx", "utf-8"),
        ("publiee", "publiee.csv", "windows-1252"),
    ] {
        let path = out.path().join(file);
        let (code, _, stderr) = run_binary(
            published.path(),
            &[
                "export",
                "MS-DUI@1.0",
                "--layout",
                layout,
                "-o",
                path.to_str().unwrap(),
                "--encodage",
                encoding,
            ],
        );
        assert_eq!(code, 0, "{file}: {stderr}");
        let (code, stdout, stderr) = run_binary(
            published.path(),
            &["diff", long.to_str().unwrap(), path.to_str().unwrap()],
        );
        assert_eq!(code, 0, "{file}: {stdout}{stderr}");
    }
    // The published CSV in Windows-1252 is what French Excel opens.
    let bytes = std::fs::read(out.path().join("publiee.csv")).unwrap();
    assert!(std::str::from_utf8(&bytes).is_err());
    let (text, _, _) = encoding_rs::WINDOWS_1252.decode(&bytes);
    let rows = cells(&text);
    assert_eq!(rows[0][10], "N° preuve 1");
    assert_eq!(rows[0].len(), 34);
    let dmp = rows.iter().find(|r| r[1] == "DUI.DMP.01").unwrap();
    assert_eq!(dmp[28], "DUI.DMP.01.01.10");
}

/// Texts keep their structure on pages: lists, line breaks, CAS sequences,
/// links; the nature and the inferred source are shown and filterable.
#[test]
fn guide_and_checklist_show_structure_nature_and_inferred_sources() {
    // DUI.DMP.01 (Préconisée) shares the chapter of DUI.PSC.01 (Exigée), so
    // that chapter page offers a nature filter; a chapter of one nature
    // has nothing to filter.
    let rem = read("rem-publiee.csv").replace(";DMP;Alimentation;", ";PSC;Alimentation;");
    let published = project("1.0.csv", rem.as_bytes());
    let (code, _, stderr) = run_binary(published.path(), &["build"]);
    assert_eq!(code, 0, "{stderr}");
    let out = published.path().join("output");
    let (_, ssi_page) = crate::site::page_of(&out, "dispositifs/MS-DUI/index.html", "DUI.SSI.01");
    assert!(
        !ssi_page.contains("name=\"nature\""),
        "a filter of one nature"
    );
    let (_, psc_page) = crate::site::page_of(&out, "dispositifs/MS-DUI/index.html", "DUI.DMP.01");
    assert!(psc_page.contains("id=\"DUI.PSC.01\""));
    assert!(psc_page.contains("name=\"nature\" value=\"preconisee\" checked> Préconisée"));
    let guide = crate::site::chapter_pages(&out, "dispositifs/MS-DUI/chapitres");
    let ssi = &guide[guide.find("id=\"DUI.SSI.01\"").unwrap()..];
    let ssi = &ssi[..ssi.find("</article>").unwrap()];
    assert!(
        ssi.contains(
            "<li>chiffrer les flux en TLS 1.2 ou supérieur\u{202f};</li>\n<li>journaliser les accès.</li>"
        ),
        "{ssi}"
    );
    assert!(
        ssi.contains("<p>CAS 1\u{a0}: l'usager est connu\u{202f};</p>"),
        "{ssi}"
    );
    assert!(ssi.contains("<a href=\"https://esante.gouv.fr/produits-services/pro-sante-connect\" rel=\"noopener noreferrer\">"), "{ssi}");
    let ins = &guide[guide.find("id=\"DUI.INS.01\"").unwrap()..];
    assert!(ins.contains("<li>lors de la création de l'usager\u{202f};</li>"));
    assert!(guide.contains("data-nature=\"preconisee\""));
    assert!(guide.contains("<span class=\"nature nature-preconisee\">Préconisée</span>"));
    assert!(guide.contains("name=\"nature\" value=\"preconisee\" checked> Préconisée"));
    assert!(guide.contains("CNDA <small class=\"inferred\">(déduite du texte)</small>"));
    let checklist = std::fs::read_to_string(out.join("candidatures/pa/index.html")).unwrap();
    assert!(checklist.contains("<tr data-nature=\"preconisee\">"));
    assert!(checklist.contains("data-items=\"tr[data-nature]\""));
    assert!(checklist.contains("MOTCO2 <small class=\"inferred\">(déduite du texte)</small>"));
    // No entity or Squash tag reaches a page as text.
    for page in [&guide, &checklist] {
        assert!(!page.contains("&amp;eacute;") && !page.contains("mb-1"));
    }
}

/// `diff` checks the ANS's label of each requirement against the texts.
#[test]
fn diff_lists_the_ans_labels_that_disagree_with_the_texts() {
    // The previous release: DMP absent (labelled Nouvelle: agrees), PSC
    // reworded (Modifiée: agrees), SSI reworded although labelled Inchangée.
    let old = read("rem-longue.csv")
        .lines()
        .filter(|l| !l.contains("DUI.DMP.01"))
        .collect::<Vec<_>>()
        .join("\r\n")
        .replace("par Pro Santé Connect.", "par PSC.")
        .replace("TLS 1.2", "TLS 1.0");
    let dir = tempfile::tempdir().unwrap();
    let old_path = dir.path().join("1.0.csv");
    std::fs::write(&old_path, old).unwrap();
    let new_path = fixtures().join("rem-publiee.csv");
    let run = |format: &str| {
        run_binary(
            dir.path(),
            &[
                "diff",
                old_path.to_str().unwrap(),
                new_path.to_str().unwrap(),
                "--format",
                format,
            ],
        )
    };
    let (code, text, stderr) = run("text");
    assert_eq!(code, 1, "{stderr}");
    assert!(
        text.contains(
            "Statut publication (ANS) : 3 concordant(s), 1 en désaccord, 0 non vérifié(s)"
        ),
        "{text}"
    );
    assert!(
        text.contains("! DUI.SSI.01 : la REM dit Inchangée, le texte a changé (Exigence)"),
        "{text}"
    );
    assert!(
        text.contains("~ DUI.PSC.01  Exigence  (ANS : Modifiée)"),
        "{text}"
    );
    let (_, json, _) = run("json");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["statut_publication"]["concordants"], 3);
    assert_eq!(
        v["statut_publication"]["desaccords"][0],
        serde_json::json!({
            "id": "DUI.SSI.01",
            "ans": "Inchangée",
            "constat": "modifiée",
            "message": "la REM dit Inchangée, le texte a changé (Exigence)"
        })
    );
    // Texts keep their lines: the SSI list reads as a list in every output.
    let ssi = v["modified"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == "DUI.SSI.01")
        .unwrap();
    assert_eq!(
        ssi["changes"][0]["new"],
        "Le DUI doit :\n• chiffrer les flux en TLS 1.2 ou supérieur ;\n• journaliser les accès.\nCAS 1 : l'usager est connu ;\nCAS 2 : l'usager est inconnu.\nRéférence : https://esante.gouv.fr/produits-services/pro-sante-connect"
    );
    assert!(text.contains("\n      • journaliser les accès."), "{text}");
    let (_, csv_out, _) = run("csv");
    assert!(csv_out.contains("statut en désaccord;DUI.SSI.01;Statut publication;Inchangée;la REM dit Inchangée, le texte a changé (Exigence)"), "{csv_out}");
    let (_, html, _) = run("html");
    assert!(html.contains("<h2 id=\"statut-ans\">Statut publication de l’ANS</h2>"));
    assert!(
        html.contains("<tr><th scope=\"row\">DUI.SSI.01</th><td>Inchangée</td><td>modifiée</td>")
    );
    assert!(html.contains("<span class=\"meta\">(ANS\u{a0}: Nouvelle)</span>"));
    assert!(html.contains("white-space: pre-line"));

    // The changelog page of a project with both releases shows both views.
    let site = project("1.0.csv", read("rem-publiee.csv").as_bytes());
    std::fs::copy(&old_path, site.path().join("data/rem/MS-DUI/0.9.csv")).unwrap();
    let (code, _, stderr) = run_binary(site.path(), &["build"]);
    assert_eq!(code, 0, "{stderr}");
    let page =
        std::fs::read_to_string(site.path().join("output/changelog/MS-DUI/0.9--1.0.html")).unwrap();
    assert!(
        page.contains(".html#DUI.PSC.01\">DUI.PSC.01</a> <span class=\"meta\">Exigence · ANS\u{a0}: Modifiée</span>"),
        "{page}"
    );
    assert!(page.contains("<td>la REM dit Inchangée, le texte a changé (Exigence)</td>"));
}
