//! The command line speaks French: help of every command, usage errors,
//! colours.

use std::process::Command;

/// Runs segurdoc: exit code, standard output as bytes (a PDF, a
/// workbook), standard error.
fn segurdoc_bytes(args: &[&str], env: &[(&str, &str)]) -> (i32, Vec<u8>, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_segurdoc"))
        .args(args)
        .env_remove("NO_COLOR")
        .envs(env.iter().copied())
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        output.stdout,
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// [`segurdoc_bytes`], its standard output as text.
fn segurdoc(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let (code, stdout, stderr) = segurdoc_bytes(args, env);
    (code, String::from_utf8(stdout).unwrap(), stderr)
}

/// Words of clap's English help that must not reach a user.
const ENGLISH: &[&str] = &[
    "Usage:",
    "Possible values",
    "[default:",
    "Print help",
    "Print version",
    "Commands:",
];

#[test]
fn help_of_every_command_is_french() {
    let (code, top, _) = segurdoc(&["--help"], &[]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("help", top);
    for command in [
        "build",
        "check",
        "preuves",
        "attestation",
        "convention",
        "diff",
        "export",
        "serve",
        "impact",
        "completions",
        "manuel",
        "candidature",
        "candidature nouvelle",
    ] {
        let mut args: Vec<&str> = command.split(' ').collect();
        args.push("--help");
        let (code, help, stderr) = segurdoc(&args, &[]);
        assert_eq!(code, 0, "{command}: {stderr}");
        for english in ENGLISH {
            assert!(
                !help.contains(english),
                "{command} --help says {english:?}:\n{help}"
            );
        }
        assert!(
            help.contains("Exemples :\n  segurdoc "),
            "{command}: no example"
        );
        assert!(
            help.contains("Codes de sortie : 0 "),
            "{command}: no exit codes"
        );
        insta::assert_snapshot!(format!("help-{}", command.replace(' ', "-")), help);
    }
    let (_, short, _) = segurdoc(&["preuves", "-h"], &[]);
    assert!(
        short.contains("text\u{a0}: Liste lisible, chapitre par chapitre")
            && short.contains("xlsx\u{a0}: Classeur"),
        "{short}"
    );
}

#[test]
fn usage_errors_are_french_and_exit_2() {
    let (code, _, stderr) = segurdoc(&["preuves", "x", "--formt", "json"], &[]);
    assert_eq!(code, 2);
    insta::assert_snapshot!(stderr, @r"
    error: argument inconnu « --formt »
      = aide : vouliez-vous dire « --format » ?

    Utilisation : segurdoc preuves --format <FORMAT> <CANDIDATURE>
    « segurdoc --help » pour l'aide.
    ");
    let (code, _, stderr) = segurdoc(&["diff", "a", "b", "--format", "xml"], &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("error: valeur « xml » invalide pour --format <FORMAT> ; valeurs possibles : text, json, csv, html"), "{stderr}");
    let (code, _, stderr) = segurdoc(&["build", "--public", "--candidatures", "d"], &[]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("--public ne peut pas être employé avec --candidatures <DIR>"),
        "{stderr}"
    );
    let (code, _, stderr) = segurdoc(&["attestation", "x"], &[]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("argument obligatoire manquant : --output <FICHIER>"),
        "{stderr}"
    );
    let (code, _, stderr) = segurdoc(&["buidl"], &[]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("commande inconnue « buidl »\n  = aide : vouliez-vous dire « build » ?"),
        "{stderr}"
    );
}

#[test]
fn colours_follow_color_and_no_color() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diff");
    let (old, new) = (dir.join("old.csv"), dir.join("new.csv"));
    let run = |extra: &[&str], env: &[(&str, &str)]| {
        let mut args = vec!["diff", old.to_str().unwrap(), new.to_str().unwrap()];
        args.extend_from_slice(extra);
        segurdoc(&args, env).1
    };
    // Piped: no colour unless asked; NO_COLOR does not beat --color always.
    assert!(!run(&[], &[]).contains('\u{1b}'));
    assert!(run(&["--color", "always"], &[]).contains("\u{1b}["));
    assert!(run(&["--color", "always"], &[("NO_COLOR", "1")]).contains("\u{1b}["));
    assert!(!run(&["--color", "never"], &[]).contains('\u{1b}'));
}

#[test]
fn files_go_to_standard_output_with_dash_and_extensions_must_match() {
    let repo = env!("CARGO_MANIFEST_DIR");
    let run = |args: &[&str]| {
        let mut all = vec!["--project", repo];
        all.extend_from_slice(args);
        segurdoc_bytes(&all, &[])
    };
    let (code, pdf, stderr) = run(&["attestation", "cas3-ms-pde", "-o", "-"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF on stdout");
    let (code, md, _) = run(&["convention", "cas3-ms-pde", "-o", "-", "--format", "md"]);
    assert_eq!(code, 0);
    assert!(String::from_utf8(md)
        .unwrap()
        .starts_with("# PROJET — Convention de référencement"));
    let (code, csv, _) = run(&["export", "MS-DUI@2.1", "-o", "-", "--format", "csv"]);
    assert_eq!(code, 0);
    assert!(String::from_utf8(csv)
        .unwrap()
        .starts_with("\u{feff}Périmètre;ID;Chapitre;"));
    // The format must be said for -o -, and agree with an extension.
    let (code, out, stderr) = run(&["convention", "cas3-ms-pde", "-o", "-"]);
    assert_eq!((code, out.len()), (2, 0));
    assert!(
        stderr.contains(
            "-o - (sortie standard) : précisez le format avec --format (pdf, docx, html, md)"
        ),
        "{stderr}"
    );
    let dir = tempfile::tempdir().unwrap();
    let wrong = dir.path().join("convention.pdf");
    let (code, _, stderr) = run(&[
        "convention",
        "cas3-ms-pde",
        "-o",
        wrong.to_str().unwrap(),
        "--format",
        "html",
    ]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("l'extension .pdf ne correspond pas au format demandé (html)"),
        "{stderr}"
    );
    let text = dir.path().join("attestation.txt");
    let (code, _, stderr) = run(&["attestation", "cas3-ms-pde", "-o", text.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("attestation.txt : extension .pdf, .docx attendue"),
        "{stderr}"
    );
    assert!(
        std::fs::read_dir(dir.path()).unwrap().next().is_none(),
        "nothing written"
    );
}

/// `preuves --format xlsx`: three sheets an éditeur can work from, read back
/// with calamine; the same proofs as the CSV, with texts and French reasons.
#[test]
fn checklist_workbook_reads_back() {
    use calamine::{Reader, Xlsx};
    let repo = env!("CARGO_MANIFEST_DIR");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("preuves.xlsx");
    let (code, _, stderr) = segurdoc(
        &[
            "--project",
            repo,
            "preuves",
            "cas3-ms-pde",
            "-o",
            file.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(code, 0, "{stderr}");
    let mut book: Xlsx<_> = calamine::open_workbook(&file).unwrap();
    assert_eq!(
        book.sheet_names(),
        ["À déposer", "Non redemandées", "Synthèse"]
    );
    let due = book.worksheet_range("À déposer").unwrap();
    let rows: Vec<Vec<String>> = due
        .rows()
        .map(|r| r.iter().map(ToString::to_string).collect())
        .collect();
    assert_eq!(rows[0][..3], ["Chapitre", "N° preuve", "Preuve attendue"]);
    assert_eq!(rows[0][8], "Pourquoi elle est due");
    // As many proofs to deposit as the CSV says, in the same order of chapters.
    let (_, csv, _) = segurdoc(
        &[
            "--project",
            repo,
            "preuves",
            "cas3-ms-pde",
            "--format",
            "csv",
        ],
        &[],
    );
    let csv_due: Vec<&str> = csv
        .lines()
        .filter(|l| l.starts_with("à déposer;"))
        .map(|l| l.split(';').nth(1).unwrap())
        .collect();
    let mut xlsx_due: Vec<&str> = rows[1..].iter().map(|r| r[1].as_str()).collect();
    let mut sorted_csv = csv_due.clone();
    sorted_csv.sort_unstable();
    xlsx_due.sort_unstable();
    assert_eq!(xlsx_due, sorted_csv);
    let ins = rows
        .iter()
        .find(|r| r[1] == "DUI.INS.01.01.01")
        .expect("DUI.INS.01.01.01 due");
    assert_eq!(ins[3], "DUI.INS.01");
    assert!(ins[4].starts_with("Le système DOIT"), "{:?}", ins[4]);
    assert!(ins[5].starts_with("DUI.INS.01.01 — "), "{:?}", ins[5]);
    assert!(
        !ins[8].is_empty() && !ins[8].contains("Nominal"),
        "{:?}",
        ins[8]
    );
    assert_eq!(ins[11], "☐");
    let masked = book.worksheet_range("Non redemandées").unwrap();
    let reasons: Vec<String> = masked.rows().skip(1).map(|r| r[4].to_string()).collect();
    assert!(!reasons.is_empty());
    assert!(
        reasons.iter().all(|r| r
            .starts_with("non redemandée : validée dans le référencement vague 1 ")
            || r.starts_with("non redemandée : équivalence avec la solution racine ")
            || r.starts_with("non redemandée : les profils choisis sont hors EDC PSC")),
        "{reasons:?}"
    );
    let summary = book.worksheet_range("Synthèse").unwrap();
    let total = summary.rows().find(|r| r[0] == "Total").unwrap();
    assert_eq!(total[1].to_string(), csv_due.len().to_string());
}

/// An éditeur starts a candidature from a skeleton: the dispositif's real
/// profiles and the registry's référencements in comments, every value to
/// fill; `check` then lists what is left, at its line.
#[test]
fn a_new_candidature_starts_from_a_commented_skeleton() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let project = tempfile::tempdir().unwrap();
    for sub in ["data", "content"] {
        crate::check::copy_tree(&repo.join(sub), &project.path().join(sub));
    }
    let file = project.path().join("data/candidatures/neuve.yaml");
    let p = project.path().to_str().unwrap();
    let (code, _, stderr) = segurdoc(
        &[
            "--project",
            p,
            "candidature",
            "nouvelle",
            "ms-dui",
            "-o",
            file.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(code, 0, "{stderr}");
    let yaml = std::fs::read_to_string(&file).unwrap();
    assert!(yaml.contains("dispositif: MS-DUI\n"));
    assert!(yaml.contains("# Profils optionnels demandés (Général est toujours évalué) : PA, PH avec DO, PDE, PDS, AHI (hors EDC PSC)"));
    assert!(yaml.contains("#   NRU-V1-MS2-0311 — Sérénité DUI 3.2 (MS2, profils PDE)"));
    assert!(yaml.contains("#   NRU-V2-DPI-0057 — Sérénité Santé 5.1 (HOP-DPI, Référencé)"));
    // check: what is left to fill, each at its line, nothing structural.
    let (code, _, stderr) = segurdoc(&["--project", p, "check"], &[]);
    assert_eq!(code, 1);
    let ours: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("neuve.yaml:"))
        .collect();
    assert!(
        ours.iter()
            .any(|l| l.contains("« editeur.raison_sociale » est vide")),
        "{stderr}"
    );
    assert!(ours.iter().any(|l| l.contains("SIRET")), "{stderr}");
    assert!(
        ours.iter()
            .all(|l| !l.contains("clé inconnue") && !l.contains("invalide dans")),
        "{stderr}"
    );
    assert!(ours.len() >= 8, "{ours:?}");
    // Never over an existing file; an unknown dispositif is named with the known ones.
    let (code, _, stderr) = segurdoc(
        &[
            "--project",
            p,
            "candidature",
            "nouvelle",
            "MS-DUI",
            "-o",
            file.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("existe déjà"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), yaml);
    let (code, _, stderr) = segurdoc(&["--project", p, "candidature", "nouvelle", "XX"], &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("« XX » n'est pas un dispositif de vague 2 du DSR (data/dsr.csv)\n  = aide : dispositifs de vague 2 : MS-DUI"), "{stderr}");
}

/// `impact` on the sample's two MS-DUI releases: the added requirement is
/// newly due, the removed one no longer due, the reworded one listed with
/// its word diff; a chapter move is not a text to re-check.
#[test]
fn impact_of_a_new_rem_release_on_a_candidature() {
    let repo = env!("CARGO_MANIFEST_DIR");
    let (code, json, stderr) = segurdoc(
        &[
            "--project",
            repo,
            "impact",
            "nominal-ms-pa",
            "--depuis",
            "2.0",
            "--format",
            "json",
        ],
        &[],
    );
    assert_eq!(code, 0, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        (v["depuis"].as_str(), v["version"].as_str()),
        (Some("2.0"), Some("2.1"))
    );
    let ids = |key: &str| -> Vec<String> {
        v[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["preuve"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(ids("nouvellement_dues"), ["DUI.ESMS.13.01.01"]);
    assert_eq!(v["nouvellement_dues"][0]["avant"], "absente du REM");
    assert_eq!(ids("plus_dues"), ["DUI.ESMS.99.01.01"]);
    let rewritten = ids("textes_modifies");
    assert!(
        rewritten.contains(&"DUI.INS.04.01.01".to_owned()),
        "{rewritten:?}"
    );
    assert!(
        !rewritten.iter().any(|p| p.starts_with("DUI.MSS.04")),
        "a chapter move: {rewritten:?}"
    );
    let ins = &v["textes_modifies"][0]["changes"][0];
    assert_eq!(ins["field"], "Exigence");
    assert!(ins["words"]
        .as_array()
        .unwrap()
        .iter()
        .any(|w| w["op"] == "+" && w["text"].as_str().unwrap().contains("à nouveau")));
    let (_, text, _) = segurdoc(
        &[
            "--project",
            repo,
            "impact",
            "nominal-ms-pa",
            "--depuis",
            "2.0",
        ],
        &[],
    );
    assert!(text.contains("DUI.ESMS.13.01.01 (DUI.ESMS.13, Accompagnement de la personne) : absente du REM → à déposer (exigée par le REM)"), "{text}");
    assert!(text.contains("{+à nouveau +}"), "{text}");
    // The current release against itself is a usage error.
    let (code, _, stderr) = segurdoc(
        &[
            "--project",
            repo,
            "impact",
            "nominal-ms-pa",
            "--depuis",
            "2.1",
        ],
        &[],
    );
    assert_eq!(code, 2);
    assert!(
        stderr.contains("c'est la publication en vigueur"),
        "{stderr}"
    );
}

/// `impact --format csv` has one row per change, the rewritten texts as a
/// reader sees them, old then new.
#[test]
fn impact_as_csv() {
    let repo = env!("CARGO_MANIFEST_DIR");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("impact.csv");
    let (code, _, stderr) = segurdoc(
        &[
            "--project",
            repo,
            "impact",
            "nominal-ms-pa",
            "--depuis",
            "2.0",
            "-o",
            file.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(code, 0, "{stderr}");
    let text = std::fs::read_to_string(&file).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        segurdoc::impact::CSV_HEADER
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let find = |kind: &str, proof: &str| {
        rows.iter()
            .find(|r| &r[0] == kind && &r[1] == proof)
            .unwrap_or_else(|| panic!("{kind} {proof} missing: {rows:?}"))
    };
    assert_eq!(
        &find("nouvellement due", "DUI.ESMS.13.01.01")[4],
        "absente du REM"
    );
    assert_eq!(&find("plus due", "DUI.ESMS.99.01.01")[5], "absente du REM");
    let ins = find("texte modifié", "DUI.INS.04.01.01");
    assert_eq!(&ins[6], "Exigence");
    assert!(
        !ins[7].contains("à nouveau") && ins[8].contains("à nouveau"),
        "{ins:?}"
    );
    // An extension that is not the format's is refused.
    let (code, _, stderr) = segurdoc(
        &[
            "--project",
            repo,
            "impact",
            "nominal-ms-pa",
            "--depuis",
            "2.0",
            "-o",
            "x.xlsx",
        ],
        &[],
    );
    assert_eq!(code, 2);
    assert!(
        stderr.contains("extension .txt, .json, .csv attendue"),
        "{stderr}"
    );
    // Without anything to compare with: a French usage error.
    let (code, _, stderr) = segurdoc(&["--project", repo, "impact", "nominal-ms-pa"], &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("argument obligatoire manquant"), "{stderr}");
}

/// `impact --registre OLD.csv`: the root, still « En cours » in the older
/// registry, is now referenced: the common proofs are no longer due, and the
/// change of the root is said.
#[test]
fn impact_of_a_registry_change_on_the_root() {
    let repo = env!("CARGO_MANIFEST_DIR");
    let dir = tempfile::tempdir().unwrap();
    let registry = std::fs::read_to_string(format!("{repo}/data/referencements.csv")).unwrap();
    let old = registry.replace(
        "NRU-V2-DPI-0042;2;HOP-DPI;Hospitalia;7.4;;HOSPITALIA-CORE;Référencé;2026-05-21;",
        "NRU-V2-DPI-0042;2;HOP-DPI;Hospitalia;7.4;;HOSPITALIA-CORE;En cours;;",
    );
    assert_ne!(old, registry);
    let file = dir.path().join("ancien.csv");
    std::fs::write(&file, old).unwrap();
    let args = |id: &'static str| -> Vec<String> {
        [
            "--project",
            repo,
            "impact",
            id,
            "--registre",
            file.to_str().unwrap(),
            "--format",
            "json",
        ]
        .map(str::to_owned)
        .to_vec()
    };
    let run = |id: &'static str| {
        let a = args(id);
        let (code, json, stderr) = segurdoc(&a.iter().map(String::as_str).collect::<Vec<_>>(), &[]);
        assert_eq!(code, 0, "{stderr}");
        serde_json::from_str::<serde_json::Value>(&json).unwrap()
    };
    let v = run("cas1-ms-pa");
    assert_eq!(v["depuis"], v["version"]);
    assert_eq!(
        v["contexte"][0],
        "NRU-V2-DPI-0042 (solution racine) : statut En cours → Référencé ; date — → 2026-05-21"
    );
    let gone = v["plus_dues"].as_array().unwrap();
    assert!(!gone.is_empty());
    assert!(gone.iter().all(|c| c["avant"]
        .as_str()
        .unwrap()
        .starts_with("à déposer (racine NRU-V2-DPI-0042 en cours de référencement)")
        && c["apres"] == "non redemandée (équivalence NRU-V2-DPI-0042)"));
    assert!(v["nouvellement_dues"].as_array().unwrap().is_empty());
    // A candidature whose root is another one: nothing changes.
    let other = run("1a-psf-kineplus");
    assert!(other["contexte"].as_array().unwrap().is_empty());
    for key in [
        "nouvellement_dues",
        "plus_dues",
        "autre_motif",
        "textes_modifies",
    ] {
        assert!(other[key].as_array().unwrap().is_empty(), "{key}: {other}");
    }
}

/// `impact --equivalences OLD.csv`: requirements the older list did not
/// make common with the root's were due, and are no longer.
#[test]
fn impact_of_an_equivalence_list_change() {
    let repo = env!("CARGO_MANIFEST_DIR");
    let dir = tempfile::tempdir().unwrap();
    let list =
        std::fs::read_to_string(format!("{repo}/data/equivalences/socle-vague2.csv")).unwrap();
    let old: String = list
        .lines()
        .filter(|l| !l.starts_with("DUI.INS.01;"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(old.len(), list.len());
    let file = dir.path().join("socle-vague2.csv");
    std::fs::write(&file, old).unwrap();
    let (code, json, stderr) = segurdoc(
        &[
            "--project",
            repo,
            "impact",
            "cas1-ms-pa",
            "--equivalences",
            file.to_str().unwrap(),
            "--format",
            "json",
        ],
        &[],
    );
    assert_eq!(code, 0, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(
        v["contexte"][0]
            .as_str()
            .unwrap()
            .contains("(1 ajoutée(s), 0 retirée(s))"),
        "{v}"
    );
    let gone: Vec<&str> = v["plus_dues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["exigence"].as_str().unwrap())
        .collect();
    assert!(
        !gone.is_empty() && gone.iter().all(|e| *e == "DUI.INS.01"),
        "{gone:?}"
    );
    // A file that names no list of the project is refused.
    let wrong = dir.path().join("autre.csv");
    std::fs::write(&wrong, &list).unwrap();
    let (code, _, stderr) = segurdoc(
        &[
            "--project",
            repo,
            "impact",
            "cas1-ms-pa",
            "--equivalences",
            wrong.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("aucune liste « autre »"), "{stderr}");
}

/// `--quiet` keeps the errors only and no report; `--verbose` adds each
/// build stage's duration and the files by kind; both at once is refused.
#[test]
fn quiet_and_verbose() {
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/rules");
    let (code, stdout, stderr) = segurdoc(&["--project", fixture, "check"], &[]);
    assert_eq!(code, 0);
    assert!(stderr.contains(": warning: "), "{stderr}");
    assert!(stdout.contains("8 avertissements"), "{stdout}");
    let (code, stdout, stderr) = segurdoc(&["--project", fixture, "check", "--quiet"], &[]);
    assert_eq!((code, stdout.as_str(), stderr.as_str()), (0, "", ""));
    // An error is still said, and the exit code.
    let dir = tempfile::tempdir().unwrap();
    crate::check::copy_tree(std::path::Path::new(fixture), dir.path());
    let broken = dir.path().join("data/candidatures/zz-cassee.yaml");
    std::fs::write(&broken, "dispositif: [\n").unwrap();
    let project = dir.path().to_str().unwrap();
    let (code, stdout, stderr) = segurdoc(&["--project", project, "check", "-q"], &[]);
    assert_eq!(code, 1);
    assert!(stdout.is_empty(), "{stdout}");
    assert!(
        stderr.contains("zz-cassee.yaml:") && stderr.contains(": error: "),
        "{stderr}"
    );
    assert!(!stderr.contains(": warning: "), "{stderr}");
    std::fs::remove_file(&broken).unwrap();
    let out = dir.path().join("sortie");
    let out = out.to_str().unwrap();
    let (code, stdout, stderr) = segurdoc(&["--project", project, "build", "-o", out, "-q"], &[]);
    assert_eq!((code, stdout.as_str(), stderr.as_str()), (0, "", ""));
    let (code, stdout, stderr) = segurdoc(&["--project", project, "build", "-o", out, "-v"], &[]);
    assert_eq!(code, 0);
    assert!(stdout.contains("pages et"), "{stdout}");
    for stage in [
        "lecture des données : ",
        "validation : ",
        "rendu et écriture : ",
        "fichiers : ",
    ] {
        assert!(stderr.contains(stage), "{stage}: {stderr}");
    }
    assert!(stderr.contains(" .html"), "{stderr}");
    let (code, _, stderr) = segurdoc(&["--project", project, "check", "-q", "-v"], &[]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("--quiet ne peut pas être employé avec --verbose"),
        "{stderr}"
    );
}

/// Shell completions and a man page, from the same French definitions.
#[test]
fn completions_and_man_page_come_from_the_command_line() {
    let (code, bash, _) = segurdoc(&["completions", "bash"], &[]);
    assert_eq!(code, 0);
    assert!(bash.contains("_segurdoc()") && bash.contains("preuves") && bash.contains("--depuis"));
    let (code, zsh, _) = segurdoc(&["completions", "zsh"], &[]);
    assert_eq!(code, 0);
    assert!(
        zsh.starts_with("#compdef segurdoc"),
        "{}",
        &zsh[..zsh.len().min(80)]
    );
    let (code, man, _) = segurdoc(&["manuel"], &[]);
    assert_eq!(code, 0);
    assert!(man.contains(".TH segurdoc 1"));
    assert!(man.contains("Calcule les preuves à déposer pour une candidature"));
    let (code, _, stderr) = segurdoc(&["completions", "tcsh"], &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("valeur « tcsh » invalide"), "{stderr}");
}

/// The éditeur's path through the sample without reading a format spec:
/// a skeleton, filled as a vendor fills it, `check`, the workbook, then the
/// REM changes and `impact` says what to redo.
#[test]
fn an_editeur_path_from_a_skeleton_to_the_impact_of_a_new_release() {
    use calamine::{Reader, Xlsx};
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let project = tempfile::tempdir().unwrap();
    for sub in ["data", "content"] {
        crate::check::copy_tree(&repo.join(sub), &project.path().join(sub));
    }
    // The project starts with REM 2.0 of MS-DUI only.
    let newer = project.path().join("data/rem/MS-DUI/2.1.csv");
    let release = std::fs::read(&newer).unwrap();
    std::fs::remove_file(&newer).unwrap();
    let p = project.path().to_str().unwrap();
    let file = project.path().join("data/candidatures/ma-solution.yaml");
    let (code, _, stderr) = segurdoc(
        &[
            "--project",
            p,
            "candidature",
            "nouvelle",
            "MS-DUI",
            "-o",
            file.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(code, 0, "{stderr}");
    let mut yaml = std::fs::read_to_string(&file).unwrap();
    for (empty, filled) in [
        ("profils: []", "profils: [PA]"),
        ("raison_sociale: \"\"\n  siret: \"\"", "raison_sociale: \"Hospitalia Domicile SAS\"\n  siret: \"552 100 554 00021\""),
        ("nie: \"\"", "nie: \"E-00421\""),
        ("adresse: \"\"", "adresse: \"3 rue des Lilas, 69003 Lyon\""),
        ("representant_legal: { civilite: \"\", prenom: \"\", nom: \"\", qualite: \"\" }", "representant_legal: { civilite: \"Madame\", prenom: \"Claire\", nom: \"Martin\", qualite: \"Présidente\" }"),
        ("contact: { nom: \"\", email: \"\" }", "contact: { nom: \"Paul Durand\", email: \"paul.durand@example.fr\" }"),
        ("  nom: \"\"\n  version: \"\"", "  nom: \"Hospitalia Domicile\"\n  version: \"7.4\""),
        ("composant_principal: \"\"", "composant_principal: \"HOSPITALIA-CORE\""),
        ("proxy_esante: { nom: \"\", editeur: \"\", nouveau: false, chapitres: [] }", "proxy_esante: { nom: \"Hospitalia Connect\", editeur: \"Hospitalia Domicile SAS\", nouveau: false, chapitres: [] }"),
        ("  - { nom: \"\", nil: \"\", version: \"\" }", "  - { nom: \"Hospitalia\", nil: \"L0128840\", version: \"7.4\" }"),
        ("equivalence: null", "equivalence: NRU-V2-DPI-0042"),
        ("edc_psc: { nru_lps: \"\", nru_proxy: \"\" }", "edc_psc: { nru_lps: NRU-V2-DPI-0042, nru_proxy: NRU-V2-DPI-0042 }"),
        ("signature: { lieu: \"\", date: \"\" }", "signature: { lieu: \"Lyon\", date: \"2026-12-04\" }"),
    ] {
        assert!(yaml.contains(empty), "the skeleton has no « {empty} »:\n{yaml}");
        yaml = yaml.replace(empty, filled);
    }
    std::fs::write(&file, &yaml).unwrap();
    let (code, _, stderr) = segurdoc(&["--project", p, "check"], &[]);
    assert_eq!(code, 0, "{stderr}");
    // The workbook, read back as a spreadsheet reads it.
    let book_file = project.path().join("preuves.xlsx");
    let (code, _, stderr) = segurdoc(
        &[
            "--project",
            p,
            "preuves",
            "ma-solution",
            "-o",
            book_file.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(code, 0, "{stderr}");
    let mut book: Xlsx<_> = calamine::open_workbook(&book_file).unwrap();
    let due = book.worksheet_range("À déposer").unwrap();
    let proofs: Vec<String> = due.rows().skip(1).map(|r| r[1].to_string()).collect();
    assert!(
        proofs.contains(&"DUI.ESMS.99.01.01".to_owned()),
        "{proofs:?}"
    );
    assert!(
        !proofs.contains(&"DUI.ESMS.13.01.01".to_owned()),
        "{proofs:?}"
    );
    let spared = book.worksheet_range("Non redemandées").unwrap();
    assert!(spared.rows().skip(1).any(|r| r[4]
        .to_string()
        .starts_with("non redemandée : équivalence avec la solution racine NRU-V2-DPI-0042")));
    // REM 2.1 is published: what to redo.
    std::fs::write(&newer, release).unwrap();
    let (code, text, stderr) = segurdoc(
        &["--project", p, "impact", "ma-solution", "--depuis", "2.0"],
        &[],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        text.contains("du REM 2.0 au REM 2.1 : 1 preuve(s) nouvellement due(s), 1 plus due(s)"),
        "{text}"
    );
    assert!(text.contains("DUI.ESMS.13.01.01 (DUI.ESMS.13, Accompagnement de la personne) : absente du REM → à déposer (exigée par le REM)"), "{text}");
    assert!(text.contains("DUI.ESMS.99.01.01 (DUI.ESMS.99, Accompagnement de la personne) : à déposer (exigée par le REM) → absente du REM"), "{text}");
}

/// OWASP CSV injection: a REM text or a chapter a spreadsheet would run
/// (`=HYPERLINK(…)`, `-…`, `@…`) is written with a leading `'` in every
/// CSV, and read back exactly; a vendor's NIL of that kind is refused.
#[test]
fn csv_cells_never_start_a_formula_and_read_back_exactly() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let project = tempfile::tempdir().unwrap();
    for sub in ["data", "content"] {
        crate::check::copy_tree(&repo.join(sub), &project.path().join(sub));
    }
    let rem = project.path().join("data/rem/MS-DUI/2.1.csv");
    let text = std::fs::read_to_string(&rem).unwrap();
    let line = text
        .lines()
        .find(|l| l.contains(";DUI.INS.01;"))
        .unwrap()
        .to_owned();
    let fields: Vec<&str> = line.split(';').collect();
    // Every row of the requirement (they must agree).
    let hostile = text.replace(
        &format!(";{};", fields[4]),
        ";\"=HYPERLINK(\"\"http://evil.example\"\",\"\"clic\"\")\";",
    );
    assert_ne!(hostile, text);
    std::fs::write(&rem, hostile).unwrap();
    let p = project.path().to_str().unwrap();
    let (code, csv, stderr) = segurdoc(
        &["--project", p, "preuves", "medi20-ms-ph", "--format", "csv"],
        &[],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        csv.contains(";'=HYPERLINK(\"\"http://evil.example\"\",\"\"clic\"\");")
            || csv.contains(";\"'=HYPERLINK("),
        "{csv}"
    );
    for line in csv.lines().skip(1) {
        for cell in line.split(';') {
            let cell = cell.trim_start_matches('"');
            assert!(!cell.starts_with(['=', '+', '@']), "{cell:?} in {line}");
        }
    }
    // The export, read back, is the release itself.
    let out = project.path().join("export.csv");
    let (code, _, stderr) = segurdoc(
        &[
            "--project",
            p,
            "export",
            "MS-DUI@2.1",
            "--layout",
            "long",
            "-o",
            out.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(std::fs::read_to_string(&out)
        .unwrap()
        .contains("'=HYPERLINK"));
    let (code, diff, stderr) = segurdoc(
        &["--project", p, "diff", "MS-DUI@2.1", out.to_str().unwrap()],
        &[],
    );
    assert_eq!(code, 0, "{diff}{stderr}");
    // A NIL that would run in a spreadsheet is refused, at its key.
    let cand = project.path().join("data/candidatures/medi20-ms-ph.yaml");
    let yaml = std::fs::read_to_string(&cand).unwrap();
    let nil = yaml
        .lines()
        .find_map(|l| l.split("nil: ").nth(1))
        .map(|rest| rest.split([',', ' ', '}']).next().unwrap().to_owned())
        .unwrap();
    std::fs::write(
        &cand,
        yaml.replacen(&format!("nil: {nil}"), "nil: \"=1+1\"", 1),
    )
    .unwrap();
    let (code, _, stderr) = segurdoc(&["--project", p, "check"], &[]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("medi20-ms-ph.yaml:") && stderr.contains("NIL « =1+1 » invalide"),
        "{stderr}"
    );
}

/// Control characters from YAML escapes never reach a terminal, a page or a
/// document: a value holding one is refused at its key, and what the data
/// puts in a message is printed escaped.
#[test]
fn control_characters_are_refused_and_never_printed() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let project = tempfile::tempdir().unwrap();
    for sub in ["data", "content"] {
        crate::check::copy_tree(&repo.join(sub), &project.path().join(sub));
    }
    let cand = project.path().join("data/candidatures/medi20-ms-ph.yaml");
    let yaml = std::fs::read_to_string(&cand).unwrap();
    let line = yaml
        .lines()
        .find(|l| l.trim_start().starts_with("raison_sociale:"))
        .unwrap();
    let indent = &line[..line.len() - line.trim_start().len()];
    let yaml = yaml.replacen(
        line,
        &format!("{indent}raison_sociale: \"Medi\\x1b[31m ROUGE\\u0007\""),
        1,
    );
    std::fs::write(&cand, yaml).unwrap();
    // Another file, whose unknown key holds one (the first structural
    // error of a file is the one reported).
    let other = project.path().join("data/candidatures/cas3-ms-pde.yaml");
    let text = std::fs::read_to_string(&other).unwrap() + "\"cl\\x1b[2Jé\": 1\n";
    std::fs::write(&other, text).unwrap();
    let p = project.path().to_str().unwrap();
    let (code, _, stderr) = segurdoc(&["--project", p, "check"], &[]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("caractère de contrôle U+001B interdit dans une valeur"),
        "{stderr}"
    );
    assert!(
        stderr.contains("clé inconnue « cl\\u{1b}[2Jé »"),
        "{stderr}"
    );
    assert!(
        !stderr.contains('\u{1b}') && !stderr.contains('\u{7}'),
        "{stderr:?}"
    );
    let out = project.path().join("sortie");
    let (code, _, _) = segurdoc(&["--project", p, "build", "-o", out.to_str().unwrap()], &[]);
    assert_eq!(code, 1);
    assert!(!out.exists());
}
