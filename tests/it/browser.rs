//! The sample site in headless Chromium: axe-core on the home page, a guide,
//! equivalence pages and prose pages, at 1280, 390 and 320 px (no page wider
//! than the viewport); the search
//! box and the REM filters driven like a user would. Screenshots land in
//! `$CARGO_TARGET_TMPDIR/browser-screenshots/` (`target/tmp/…` by default)
//! for a human to look at; nothing is written into the source tree.
//!
//! Needs Debian's `chromium` and `npm ci --prefix tests/browser` (what
//! `.ci/run` installs). Set `SEGURDOC_SKIP_BROWSER=1` to skip on a machine
//! without them; the test fails otherwise, so CI cannot pass silently.

use std::path::Path;
use std::process::Command;

#[test]
fn sample_site_passes_axe_in_headless_chromium_and_its_scripts_work() {
    if std::env::var("SEGURDOC_SKIP_BROWSER").is_ok_and(|v| !v.is_empty() && v != "0") {
        eprintln!("browser test skipped (SEGURDOC_SKIP_BROWSER is set)");
        return;
    }
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let browser_dir = repo.join("tests/browser");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned());
    assert!(
        Path::new(&chromium).exists(),
        "{chromium} is missing: install Debian's chromium (apt-get install chromium), or set SEGURDOC_SKIP_BROWSER=1"
    );
    assert!(
        browser_dir.join("node_modules/axe-core").is_dir()
            && browser_dir.join("node_modules/playwright-core").is_dir(),
        "run `npm ci --prefix tests/browser` first (or set SEGURDOC_SKIP_BROWSER=1)"
    );
    let project = tempfile::tempdir().unwrap();
    for sub in ["data", "content", "templates"] {
        crate::check::copy_tree(&repo.join(sub), &project.path().join(sub));
    }
    let out = project.path().join("output");
    segurdoc::build_project(project.path(), &out, Some("1790000000")).unwrap();
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser-screenshots");
    let stdout = run_axe(&browser_dir, &chromium, &out, &shots, &[]);
    assert!(
        stdout.contains("search: \"dui.ins.01\" → dispositifs/MS-DUI/chapitres/gestion-de-l-identite-nationale-de-sante-ins.html#DUI.INS.01"),
        "{stdout}"
    );
    for line in [
        "search: \"insi\" → ",
        "file:// search: \"DUI.PSC.01.01\" → ",
        "no-JS: search page recherche/index.html",
        "print: checklist without navigation",
        "old guide anchor #DUI.INS.02 → dispositifs/MS-DUI/chapitres/",
    ] {
        assert!(stdout.contains(line), "{line}\n{stdout}");
    }
    assert!(shots.join("index.png").is_file());

    // A REM in the ANS's published layout: natures, inferred sources, and
    // the nature filter on a chapter page and on a checklist.
    let published = tempfile::tempdir().unwrap();
    crate::check::copy_tree(
        &repo.join("tests/fixtures/publiee/projet/data"),
        &published.path().join("data"),
    );
    let rems = published.path().join("data/rem/MS-DUI");
    std::fs::create_dir_all(&rems).unwrap();
    // DUI.DMP.01 (Préconisée) joins the chapter of DUI.PSC.01 (Exigée):
    // that chapter page offers the nature filter.
    let rem = std::fs::read_to_string(repo.join("tests/fixtures/publiee/rem-publiee.csv"))
        .unwrap()
        .replace(";DMP;Alimentation;", ";PSC;Alimentation;");
    std::fs::write(rems.join("1.0.csv"), rem).unwrap();
    let out = published.path().join("output");
    segurdoc::build_project(published.path(), &out, Some("1790000000")).unwrap();
    let stdout = run_axe(
        &browser_dir,
        &chromium,
        &out,
        &shots.join("publiee"),
        &[
            (
                "SEGURDOC_PAGES",
                "dispositifs/MS-DUI/index.html,dispositifs/MS-DUI/chapitres/psc.html,candidatures/pa/index.html,404.html",
            ),
            ("SEGURDOC_INTERACTIONS", "0"),
        ],
    );
    for page in [
        "dispositifs/MS-DUI/chapitres/psc.html",
        "candidatures/pa/index.html",
    ] {
        assert!(
            stdout.contains(&format!("nature filter: {page}: ")),
            "{stdout}"
        );
    }
}

/// At national size: the pages of a split checklist and of a split index
/// of candidatures, and a chapter page of 1,500-proof REM.
#[test]
fn split_checklists_pass_axe_at_three_widths() {
    if std::env::var("SEGURDOC_SKIP_BROWSER").is_ok_and(|v| !v.is_empty() && v != "0") {
        eprintln!("browser test skipped (SEGURDOC_SKIP_BROWSER is set)");
        return;
    }
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned());
    let project = tempfile::tempdir().unwrap();
    segurdoc::corpus::generate(
        project.path(),
        &segurdoc::corpus::Spec {
            dispositifs: 2,
            proofs: 1500,
            releases: 1,
            candidatures: 301,
            pages: 1,
        },
    )
    .unwrap();
    let out = project.path().join("output");
    segurdoc::build_project(project.path(), &out, Some("1790000000")).unwrap();
    let first = |dir: &str| {
        let mut names: Vec<String> = std::fs::read_dir(out.join(dir))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".html"))
            .collect();
        names.sort();
        format!("{dir}/{}", names[0])
    };
    let pages = [
        "candidatures/index.html".to_owned(),
        "candidatures/dispositif-dsp-01.html".to_owned(),
        "candidatures/cand-00000/index.html".to_owned(),
        first("candidatures/cand-00000/chapitres"),
        first("dispositifs/DSP-01/chapitres"),
    ];
    let stdout = run_axe(
        &repo.join("tests/browser"),
        &chromium,
        &out,
        &Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser-screenshots/national"),
        &[
            ("SEGURDOC_PAGES", &pages.join(",")),
            ("SEGURDOC_INTERACTIONS", "0"),
        ],
    );
    for page in &pages {
        assert!(
            stdout.contains(&format!("width: {page}-320: 320/320")),
            "{page}\n{stdout}"
        );
    }
}

/// Runs `tests/browser/axe.mjs` on a built site; fails on any axe or script
/// failure and returns what it reported.
fn run_axe(
    browser_dir: &Path,
    chromium: &str,
    site: &Path,
    shots: &Path,
    env: &[(&str, &str)],
) -> String {
    let result = Command::new("node")
        .arg(browser_dir.join("axe.mjs"))
        .arg(site)
        .arg(shots)
        .env("CHROMIUM", chromium)
        .envs(env.iter().copied())
        .output()
        .expect("node must be installed");
    let stdout = String::from_utf8_lossy(&result.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(
        result.status.success(),
        "axe / script failures in {}:\n{stderr}\n{stdout}",
        site.display()
    );
    stdout
}
