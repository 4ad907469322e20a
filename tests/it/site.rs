//! `segurdoc build` and `serve`: the sample site and fixture projects, read
//! back the way a browser or a crawler would.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::check::{copy_tree, run_binary};
use segurdoc::{build_project, BuildError};

const EPOCH: &str = "1790000000"; // 2026-09-21

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A copy of a project in a temporary folder (so the tests never write to the repository).
fn copy_project(from: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for sub in ["data", "content", "templates"] {
        if from.join(sub).is_dir() {
            copy_tree(&from.join(sub), &dir.path().join(sub));
        }
    }
    dir
}

fn sample() -> tempfile::TempDir {
    copy_project(repo())
}

fn fixture(name: &str) -> tempfile::TempDir {
    copy_project(&repo().join("tests/fixtures/site").join(name))
}

fn build(project: &Path) -> PathBuf {
    let out = project.join("output");
    match build_project(project, &out, Some(EPOCH)) {
        Ok(_) => out,
        Err(BuildError::Invalid(d)) => panic!("build failed:\n{}", d.render()),
        Err(e) => panic!("build failed: {e:?}"),
    }
}

/// Every file of a tree, by relative path.
fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

fn unescape(s: &str) -> String {
    s.replace("&#x2F;", "/")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The values of `attr="…"` in an HTML text.
fn attributes<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        rest = &rest[i + needle.len()..];
        if let Some(end) = rest.find('"') {
            out.push(&rest[..end]);
            rest = &rest[end..];
        }
    }
    out
}

fn ids(html: &str) -> BTreeSet<String> {
    attributes(html, "id").into_iter().map(unescape).collect()
}

/// Every `href` and `src` of every page that stays inside the site points
/// to a file that exists, and its `#fragment` to an element of that page.
fn assert_links_resolve(out: &Path) -> usize {
    assert_links_resolve_from(out, |_| true)
}

/// [`assert_links_resolve`] for the links of the pages `from` accepts;
/// each target's ids are read once.
fn assert_links_resolve_from(out: &Path, from: impl Fn(&str) -> bool) -> usize {
    let files = read_tree(out);
    let mut checked = 0;
    let mut broken = Vec::new();
    let mut targets: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (path, bytes) in files
        .iter()
        .filter(|(p, _)| p.ends_with(".html") && from(p))
    {
        let html = String::from_utf8(bytes.clone()).unwrap();
        let dir = Path::new(path).parent().unwrap_or(Path::new(""));
        for raw in attributes(&html, "href")
            .into_iter()
            .chain(attributes(&html, "src"))
        {
            let link = unescape(raw);
            if link.starts_with("http://")
                || link.starts_with("https://")
                || link.starts_with("mailto:")
                || link.starts_with("data:")
            {
                continue;
            }
            let (target, fragment) = link.split_once('#').unwrap_or((&link, ""));
            let target_path = if target.is_empty() {
                path.clone()
            } else {
                let mut parts: Vec<String> = dir
                    .iter()
                    .map(|c| c.to_string_lossy().into_owned())
                    .collect();
                for seg in target.split('/') {
                    match seg {
                        "." | "" => {}
                        ".." => {
                            if parts.pop().is_none() {
                                broken.push(format!("{path}: {link} leaves the site"));
                            }
                        }
                        s => parts.push(
                            percent_encoding::percent_decode_str(s)
                                .decode_utf8_lossy()
                                .into_owned(),
                        ),
                    }
                }
                parts.join("/")
            };
            checked += 1;
            let Some(target_bytes) = files.get(&target_path) else {
                broken.push(format!("{path}: {link} → {target_path} missing"));
                continue;
            };
            if !fragment.is_empty() && target_path.ends_with(".html") {
                let ids = targets
                    .entry(target_path.clone())
                    .or_insert_with(|| ids(&String::from_utf8_lossy(target_bytes)));
                if !ids.contains(fragment) {
                    broken.push(format!(
                        "{path}: {link} → no id {fragment:?} in {target_path}"
                    ));
                }
            }
        }
    }
    assert!(
        broken.is_empty(),
        "{} broken links:\n{}",
        broken.len(),
        broken.join("\n")
    );
    checked
}

/// The chapter page (its path in `out`, and its HTML) where the guide page
/// `guide` (`dispositifs/X/index.html`, `…/rem-1.0.html`) sends `id`: the
/// guide's index of numbers links each requirement to its chapter page.
pub(crate) fn page_of(out: &Path, guide: &str, id: &str) -> (String, String) {
    let html = std::fs::read_to_string(out.join(guide)).unwrap();
    let entry = format!("<a id=\"{}\" href=\"", tera::escape_html(id));
    let start = html
        .find(&entry)
        .unwrap_or_else(|| panic!("{guide}: no index entry for {id}"))
        + entry.len();
    let href = unescape(&html[start..start + html[start..].find('"').unwrap()]);
    let file = href.split('#').next().unwrap();
    let dir = guide.rsplit_once('/').map_or("", |(d, _)| d);
    let path = format!("{dir}/{file}");
    let page = std::fs::read_to_string(out.join(&path)).unwrap();
    (path, page)
}

/// Every chapter page of `dir` (`dispositifs/X/chapitres`), concatenated.
pub(crate) fn chapter_pages(out: &Path, dir: &str) -> String {
    let mut paths: Vec<_> = std::fs::read_dir(out.join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "{dir}: no chapter page");
    paths
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

#[test]
fn sample_site_has_the_layout_of_formats_md_and_no_broken_link() {
    let project = sample();
    let out = build(project.path());
    for path in [
        "index.html",
        "dispositifs/MS-DUI/index.html",
        "dispositifs/MS-DUI/exigences.csv",
        "dispositifs/MS-DUI/rem-2.0.html",
        "dispositifs/HOP-DPI/index.html",
        "dispositifs/SDV-PSF/index.html",
        "equivalences/index.html",
        "equivalences/HOP-DPI--MS-DUI.html",
        "equivalences/HOP-DPI--MS-DUI.csv",
        "parcours/index.html",
        "parcours/preuves-derogatoires/index.html",
        "candidatures/index.html",
        "candidatures/medi20-ms-ph/index.html",
        "candidatures/medi20-ms-ph/preuves.json",
        "candidatures/medi20-ms-ph/preuves.csv",
        "candidatures/medi20-ms-ph/preuves.xlsx",
        "search-index.json",
        "sitemap.xml",
        "404.html",
        "accessibilite/index.html",
        "recherche/index.html",
        "assets/style.css",
        "assets/site.js",
    ] {
        assert!(out.join(path).is_file(), "{path} missing");
    }
    // The vague 1 dispositifs have no guide; pairs are always lower code first.
    assert!(!out.join("dispositifs/MS1").exists());
    assert!(!out.join("equivalences/MS-DUI--HOP-DPI.html").exists());
    let checked = assert_links_resolve(&out);
    assert!(checked > 1000, "only {checked} links checked");
    // Every page has French typography: applying it again changes nothing,
    // and no line can start with « ; le cas échéant ».
    for (path, bytes) in read_tree(&out).iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8(bytes.clone()).unwrap();
        assert!(
            segurdoc::render::french::typography(&html) == html,
            "{path}: no French typography"
        );
        assert!(!html.contains(" ; le cas échéant"), "{path}");
    }
    let guide = std::fs::read_to_string(out.join("dispositifs/MS-DUI/index.html")).unwrap();
    assert!(guide.contains("version candidate\u{202f}; le cas échéant"));
    // The changelog of MS-DUI 2.0 → 2.1, linked from the guide and the home page.
    assert!(out.join("changelog/MS-DUI/2.0--2.1.html").is_file());
    let guide = std::fs::read_to_string(out.join("dispositifs/MS-DUI/index.html")).unwrap();
    assert!(
        guide.contains("href=\"..&#x2F;..&#x2F;changelog&#x2F;MS-DUI&#x2F;2.0--2.1.html\""),
        "no changelog link in the guide"
    );
    let chapters = chapter_pages(&out, "dispositifs/MS-DUI/chapitres");
    assert!(chapters.contains("<span class=\"tag tag-new\">nouvelle en 2.1</span>"));
    assert!(chapters
        .contains("<span class=\"tag tag-changed\">renumérotée en 2.1 (ex DUI.ESMS.14)</span>"));
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        home.contains("changelog&#x2F;MS-DUI&#x2F;2.0--2.1.html"),
        "no changelog link on the home page"
    );
    // The checklist's JSON is the command's, at the build's date.
    let (code, json, _) = run_binary(
        project.path(),
        &[
            "preuves",
            "medi20-ms-ph",
            "--format",
            "json",
            "--date",
            "2026-09-21",
        ],
    );
    assert_eq!(code, 0);
    assert_eq!(
        std::fs::read_to_string(out.join("candidatures/medi20-ms-ph/preuves.json")).unwrap(),
        json
    );
}

#[test]
fn every_requirement_and_proof_of_every_release_is_anchored_in_its_page() {
    let project = sample();
    let out = build(project.path());
    let checked = segurdoc::check_project(project.path()).unwrap();
    let mut count = 0;
    for (code, releases) in &checked.project.rems {
        for (i, rem) in releases.iter().enumerate() {
            let guide = if i + 1 == releases.len() {
                format!("dispositifs/{code}/index.html")
            } else {
                format!("dispositifs/{code}/rem-{}.html", rem.version)
            };
            // The release's page keeps every number as an id (old links
            // land on its index entry), and the entry leads to the chapter
            // page, which shows the requirement and its proofs as links.
            let guide_ids = ids(&std::fs::read_to_string(out.join(&guide)).unwrap());
            let mut pages: BTreeMap<String, (String, String)> = BTreeMap::new();
            for row in &rem.rows {
                assert!(
                    guide_ids.contains(&row.exigence_id),
                    "{guide}: {}",
                    row.exigence_id
                );
                assert!(
                    guide_ids.contains(&row.preuve_id),
                    "{guide}: {}",
                    row.preuve_id
                );
                let (path, html) = pages
                    .entry(row.exigence_id.clone())
                    .or_insert_with(|| page_of(&out, &guide, &row.exigence_id));
                let anchors = ids(html);
                assert!(
                    anchors.contains(&row.exigence_id),
                    "{path}: {}",
                    row.exigence_id
                );
                assert!(
                    anchors.contains(&row.preuve_id),
                    "{path}: {}",
                    row.preuve_id
                );
                // Visible, not only an attribute.
                assert!(
                    html.contains(&format!(">{}</a>", row.preuve_id)),
                    "{path}: {}",
                    row.preuve_id
                );
                assert!(
                    html.contains(&segurdoc::render::french::typography(&format!(
                        "<h1>{code} — {}</h1>",
                        tera::escape_html(&row.chapitre)
                    ))) || rem
                        .rows
                        .iter()
                        .any(|r| r.exigence_id == row.exigence_id && r.chapitre != row.chapitre),
                    "{path}: not the page of chapter {}",
                    row.chapitre
                );
                count += 1;
            }
        }
    }
    assert!(count > 300);
}

#[test]
fn exigences_csv_reads_back_as_the_same_release() {
    let project = sample();
    let out = build(project.path());
    let checked = segurdoc::check_project(project.path()).unwrap();
    let code = segurdoc::model::DispositifCode::parse("MS-DUI").unwrap();
    let current = checked.project.current_rem(&code).unwrap();
    let bytes = std::fs::read(out.join("dispositifs/MS-DUI/exigences.csv")).unwrap();
    let mut diags = segurdoc::diag::Diagnostics::new();
    let path = Path::new("data/rem/MS-DUI/2.1.csv");
    let again = segurdoc::ingest::rem::parse_rem(&"exigences.csv".into(), path, &bytes, &mut diags)
        .unwrap();
    assert!(diags.is_empty(), "{}", diags.render());
    let fields = |r: &segurdoc::model::RemRow| serde_json::to_value(r).unwrap();
    assert_eq!(
        again.rows.iter().map(fields).collect::<Vec<_>>(),
        current.rows.iter().map(fields).collect::<Vec<_>>()
    );
}

#[test]
fn two_builds_of_the_same_inputs_are_byte_identical() {
    let project = sample();
    let first = project.path().join("a");
    let second = project.path().join("b");
    build_project(project.path(), &first, Some(EPOCH)).unwrap();
    build_project(project.path(), &second, Some(EPOCH)).unwrap();
    let (a, b) = (read_tree(&first), read_tree(&second));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(bytes == &b[path], "{path} differs between two builds");
    }
    // The date comes from SOURCE_DATE_EPOCH, never from the clock.
    let home = String::from_utf8(a["index.html"].clone()).unwrap();
    assert!(
        home.contains("données à jour au 21 septembre 2026"),
        "{home}"
    );
    let sitemap = String::from_utf8(a["sitemap.xml"].clone()).unwrap();
    assert!(sitemap.contains("<loc>https://referencement-segur.exemple.fr/dispositifs/MS-DUI/</loc><lastmod>2026-09-21</lastmod>"));
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched_and_exits_1() {
    let project = sample();
    let out = build(project.path());
    let before = read_tree(&out);
    // Break a REM: an unknown Périmètre on one row.
    let rem = project.path().join("data/rem/HOP-DPI/2.0.csv");
    let text = std::fs::read_to_string(&rem).unwrap();
    std::fs::write(&rem, text.replacen("Vague 2;", "Vague 3;", 1)).unwrap();
    let (code, stdout, stderr) = run_binary(project.path(), &["build"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(stdout, "");
    assert!(stderr.contains("data/rem/HOP-DPI/2.0.csv:"), "{stderr}");
    assert!(stderr.contains("n'a pas été modifié"), "{stderr}");
    assert_eq!(read_tree(&out), before);
    // No staging folder is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(project.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("output."))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// `build` runs the proof engine while it writes the checklists (not
/// during its checks): a rule broken by one candidature still fails the
/// whole build, with exactly the error `check` gives, and the previous
/// site stays.
#[test]
fn a_rule_broken_by_a_candidature_fails_the_build_as_check_reports_it() {
    let project = sample();
    let out = build(project.path());
    let before = read_tree(&out);
    // Héritage from a vague 2 référencement (R2).
    let yaml = project.path().join("data/candidatures/cas3-ms-pde.yaml");
    let text = std::fs::read_to_string(&yaml).unwrap();
    std::fs::write(
        &yaml,
        text.replace("heritage: [NRU-V1-MS2-0311]", "heritage: [NRU-V2-DPI-0057]"),
    )
    .unwrap();
    let (check_code, _, check_err) = run_binary(project.path(), &["check"]);
    assert_eq!(check_code, 1, "{check_err}");
    let (code, stdout, stderr) = run_binary(project.path(), &["build"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(stdout, "");
    let error = "data/candidatures/cas3-ms-pde.yaml:29:12: error: NRU-V2-DPI-0057 est un référencement de vague 2";
    assert!(check_err.contains(error), "{check_err}");
    assert!(stderr.contains(error), "{stderr}");
    assert_eq!(stderr.matches(": error:").count(), 1, "{stderr}");
    assert!(stderr.contains("n'a pas été modifié"), "{stderr}");
    assert_eq!(read_tree(&out), before);
}

#[test]
fn build_refuses_to_replace_a_folder_it_did_not_create() {
    let project = sample();
    let precious = project.path().join("documents");
    std::fs::create_dir_all(&precious).unwrap();
    std::fs::write(precious.join("contrat.pdf"), b"%PDF").unwrap();
    let (code, _, stderr) = run_binary(
        project.path(),
        &["build", "--output", precious.to_str().unwrap()],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("n'a pas été produit par segurdoc"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read(precious.join("contrat.pdf")).unwrap(),
        b"%PDF"
    );
    // A second build over its own output is fine.
    let (code, stdout, _) = run_binary(project.path(), &["build"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("pages et"), "{stdout}");
    let (code, _, stderr) = run_binary(project.path(), &["build"]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn nothing_hostile_in_the_data_reaches_a_page() {
    let project = fixture("hostile");
    let out = build(project.path());
    let files = read_tree(&out);
    let mut pages = 0;
    for (path, bytes) in &files {
        if !path.ends_with(".html") {
            continue;
        }
        pages += 1;
        let html = String::from_utf8(bytes.clone()).unwrap().to_lowercase();
        // The only script is the site's own.
        assert_eq!(html.matches("<script").count(), 1, "{path}");
        assert!(
            html.contains("assets/site.js\" defer></script>")
                || html.contains("assets&#x2f;site.js"),
            "{path}"
        );
        // Escaped text (`&lt;script&gt;`) may show the hostile input; real
        // markup may not carry any of it: no dangerous element, no event
        // handler attribute, no `javascript:` value.
        for tag in html.split('<').skip(1) {
            let inside = tag.split('>').next().unwrap_or("");
            if inside.starts_with('/') {
                continue;
            }
            let name: String = inside
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect();
            assert!(
                !["iframe", "object", "embed", "form", "svg", "style", "script"]
                    .contains(&name.as_str())
                    || (name == "form" && inside.contains("class=\"filters\""))
                    || (name == "script" && inside.ends_with("assets/site.js\" defer")),
                "{path}: <{inside}>"
            );
            for (i, part) in inside.split('"').enumerate() {
                if i % 2 == 0 {
                    for attr in part.split_whitespace() {
                        assert!(
                            !attr.starts_with("on") && !attr.starts_with("style"),
                            "{path}: {attr} in <{inside}>"
                        );
                    }
                } else {
                    assert!(!part.contains("javascript:"), "{path}: <{inside}>");
                }
            }
        }
    }
    assert!(pages >= 5);
    // The data is kept visible as text where it is text.
    let guide: String = files
        .iter()
        .filter(|(path, _)| path.starts_with("dispositifs/MS-DUI/"))
        .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
        .collect();
    assert!(
        guide.contains("Saisir &lt;identifiant&gt;"),
        "placeholder lost"
    );
    assert!(
        guide.contains("Chapitre &lt;script&gt;alert(&#x27;chapitre&#x27;)&lt;&#x2F;script&gt;")
    );
    let search = String::from_utf8(files["search-index.json"].clone()).unwrap();
    assert!(search.contains("DUI.X.01.01.01"));
}

#[test]
fn a_page_name_becomes_a_percent_encoded_link_never_a_scheme() {
    let project = sample();
    let content = project.path().join("content");
    for name in ["javascript:alert(document.domain).md", "a b#c?d&<e>.md"] {
        std::fs::write(content.join(name), "---\ntitle: Piège\n---\nTexte.\n").unwrap();
    }
    std::fs::write(
        content.join("lien.md"),
        "---\ntitle: Lien\n---\n[là](javascript:alert(document.domain).md)\n",
    )
    .unwrap();
    let out = build(project.path());
    let files = read_tree(&out);
    assert!(files.contains_key("javascript:alert(document.domain)/index.html"));
    let mut seen = 0;
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        for raw in attributes(&html, "href") {
            let link = unescape(raw);
            if link.contains("javascript") {
                seen += 1;
                assert!(
                    link.contains("javascript%3Aalert%28document.domain%29/"),
                    "{path}: {link}"
                );
            }
            // A scheme is letters then `:` before any `/`: only ours.
            if let Some((scheme, _)) = link.split_once(':') {
                if !scheme.contains('/') && !scheme.contains('#') {
                    assert!(
                        ["http", "https", "mailto", "data"].contains(&scheme),
                        "{path}: {link}"
                    );
                }
            }
        }
    }
    // The home page, the nav of every page, the search page and the Markdown link.
    assert!(seen > 3, "{seen} links to the page");
    assert_links_resolve(&out);
    let search = unescape(&String::from_utf8_lossy(&files["recherche/index.html"]));
    assert!(
        search.contains("a%20b%23c%3Fd%26%3Ce%3E/index.html"),
        "search page"
    );
    let sitemap = String::from_utf8_lossy(&files["sitemap.xml"]).into_owned();
    assert!(sitemap.contains("/javascript%3Aalert%28document.domain%29/</loc>"));
    assert!(sitemap.contains("/a%20b%23c%3Fd%26%3Ce%3E/</loc>"));

    // A control character in a name: refused, located, printed escaped.
    std::fs::write(content.join("bip\u{7}.md"), "Texte.\n").unwrap();
    let Err(BuildError::Invalid(d)) = build_project(project.path(), &out, Some(EPOCH)) else {
        panic!("a name with a control character was accepted");
    };
    let shown = d.render();
    assert!(shown.contains("nom de fichier refusé"), "{shown}");
    assert!(!shown.contains('\u{7}'), "{shown}");
}

#[test]
fn a_content_page_cannot_take_the_place_of_a_generated_page() {
    let project = sample();
    std::fs::write(
        project.path().join("content/equivalences.md"),
        "# Mes équivalences\n",
    )
    .unwrap();
    let (code, _, stderr) = run_binary(project.path(), &["build"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(stderr.replace(&format!("{}/", project.path().display()), ""), @r"
    content/equivalences.md:1:1: error: cette page deviendrait equivalences/index.html, une page que segurdoc génère lui-même : renommez-la
    construction annulée (1 erreur, 0 avertissement) : output n'a pas été modifié
    ");
}

#[test]
fn project_templates_override_the_defaults_and_their_errors_are_located() {
    let project = sample();
    let templates = project.path().join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(
        templates.join("page.html"),
        "{% extends \"base.html\" %}{% block main %}<p class=\"maison\">{{ layout.page_title }}</p>{% endblock main %}",
    )
    .unwrap();
    let out = build(project.path());
    let page =
        std::fs::read_to_string(out.join("parcours/preuves-derogatoires/index.html")).unwrap();
    assert!(page.contains("<p class=\"maison\">"), "{page}");

    std::fs::write(
        templates.join("page.html"),
        "{% extends \"base.html\" %}\n{% block main %}\n{{ oops( }}\n{% endblock main %}",
    )
    .unwrap();
    let (code, _, stderr) = run_binary(project.path(), &["build"]);
    assert_eq!(code, 1);
    let stderr = stderr.replace(&format!("{}/", project.path().display()), "");
    assert!(
        stderr.starts_with("templates/page.html:3:10: error: modèle invalide : Failed to parse 'page.html' : --> 3:10 | 3 | {{ oops( }} | ^--- | = expected an identifier"),
        "{stderr}"
    );
}

#[test]
fn home_and_guide_show_the_calendar_and_the_dsr() {
    let project = sample();
    let out = build(project.path());
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(home.contains("<html lang=\"fr\">"));
    assert!(
        home.contains("1er octobre 2026 à 12h00"),
        "Date 1 of MS-DUI"
    );
    assert!(home.contains("<h3 id=\"couloir-1\">Médico-social</h3>"));
    let guide = std::fs::read_to_string(out.join("dispositifs/MS-DUI/index.html")).unwrap();
    assert!(guide.contains("AHI <span class=\"tag\">hors EDC PSC</span>"));
    assert!(guide.contains("MS1, MS2, MS3"));
    assert!(guide.contains("15 mars 2028 à 12h00"));
    // An equivalence of the socle list, linked to the other guide's
    // chapter page.
    let (_, chapter) = page_of(&out, "dispositifs/MS-DUI/index.html", "DUI.PSC.01");
    let (other, _) = page_of(&out, "dispositifs/HOP-DPI/index.html", "DPI.PSC.01");
    assert!(
        chapter.contains(&format!(
            "href=\"{}#DPI.PSC.01\"",
            tera::escape_html(&format!("../../../{other}"))
        )),
        "no link to DPI.PSC.01"
    );
}

#[test]
fn derogation_texts_only_for_the_guichets_the_rem_uses() {
    let project = sample();
    // SDV-PSF whose EDC PSC proofs are restated as Convergence ones: the guide no longer explains the
    // EDC PSC derogation, the CNDA one stays; other guides keep both.
    let rem = project.path().join("data/rem/SDV-PSF/2.0.csv");
    let text = std::fs::read_to_string(&rem).unwrap();
    assert!(
        text.contains(";EDC PSC\n"),
        "the sample REM has EDC PSC proofs"
    );
    std::fs::write(&rem, text.replace(";EDC PSC\n", ";Convergence\n")).unwrap();
    let out = build(project.path());
    let psf = std::fs::read_to_string(out.join("dispositifs/SDV-PSF/index.html")).unwrap();
    assert!(!psf.contains("<strong>Habilitation EDC PSC</strong>"));
    assert!(psf.contains("<strong>Homologation CNDA</strong>"));
    assert!(psf.contains("<h3 id=\"derogatoires\">"));
    let dui = std::fs::read_to_string(out.join("dispositifs/MS-DUI/index.html")).unwrap();
    assert!(dui.contains("<strong>Habilitation EDC PSC</strong> (4 preuves de ce REM)"));
}

#[test]
fn equivalence_matrix_snapshot() {
    let project = sample();
    let out = build(project.path());
    let html = std::fs::read_to_string(out.join("equivalences/index.html")).unwrap();
    let start = html.find("<table class=\"matrix\">").unwrap();
    let end = start + html[start..].find("</table>").unwrap() + 8;
    insta::assert_snapshot!(html[start..end].to_owned());
}

#[test]
fn requirement_article_snapshot() {
    let project = sample();
    let out = build(project.path());
    let (_, html) = page_of(&out, "dispositifs/MS-DUI/index.html", "DUI.PSC.01");
    let start = html
        .find("<article class=\"requirement\" id=\"DUI.PSC.01\"")
        .unwrap();
    let end = start + html[start..].find("</article>").unwrap() + 10;
    insta::assert_snapshot!(html[start..end].to_owned());
}

/// A plain HTTP/1.0 GET; returns (status line, body).
fn http_get(port: u16, path: &str) -> (String, String) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(stream, "GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    (
        head.lines().next().unwrap_or("").to_owned(),
        body.to_owned(),
    )
}

fn wait_for(mut condition: impl FnMut() -> bool, what: &str) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !condition() {
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

#[test]
fn serve_rebuilds_on_change_and_keeps_the_last_good_site_on_error() {
    use std::io::BufRead;
    let project = sample();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_segurdoc"))
        .args(["serve", "--port", "0", "--project"])
        .arg(project.path())
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port: u16 = line
        .split("http://127.0.0.1:")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no port in {line:?}"));

    let (status, home) = http_get(port, "/");
    assert_eq!(status, "HTTP/1.0 200 OK");
    assert!(home.contains("<h1>Référencement Ségur vague 2</h1>"));
    assert!(home.contains("<script src=\"/__segurdoc/live.js\"></script></body>"));
    let (status, _) = http_get(port, "/dispositifs/MS-DUI");
    assert_eq!(status, "HTTP/1.0 301 Moved Permanently");
    let (status, guide) = http_get(port, "/dispositifs/MS-DUI/");
    assert_eq!(status, "HTTP/1.0 200 OK");
    assert!(guide.contains("id=\"DUI.INS.01\""));
    assert_eq!(
        http_get(port, "/../Cargo.toml").0,
        "HTTP/1.0 400 Bad Request"
    );
    assert_eq!(http_get(port, "/absent.html").0, "HTTP/1.0 404 Not Found");
    let state = || http_get(port, "/__segurdoc/state").1;
    assert!(
        state().starts_with("{\"version\":1,\"errors\":\"\"}"),
        "{}",
        state()
    );

    // An edit is picked up and rebuilt.
    let intro = project.path().join("content/_index.md");
    let text = std::fs::read_to_string(&intro).unwrap();
    std::fs::write(
        &intro,
        text.replace(
            "title: Référencement Ségur vague 2",
            "title: Documentation modifiée",
        ),
    )
    .unwrap();
    wait_for(
        || {
            http_get(port, "/")
                .1
                .contains("<h1>Documentation modifiée</h1>")
        },
        "the rebuild",
    );

    // Broken data: the error is reported to the page, the last site stays.
    let rem = project.path().join("data/rem/HOP-DPI/2.0.csv");
    let rem_text = std::fs::read_to_string(&rem).unwrap();
    std::fs::write(&rem, rem_text.replacen("Vague 2;", "Vague 3;", 1)).unwrap();
    wait_for(
        || state().contains("data/rem/HOP-DPI/2.0.csv:"),
        "the error in the state",
    );
    assert!(http_get(port, "/")
        .1
        .contains("<h1>Documentation modifiée</h1>"));

    // Fixed again: the error goes away.
    std::fs::write(&rem, rem_text).unwrap();
    wait_for(
        || state().ends_with("\"errors\":\"\"}"),
        "the error to clear",
    );
    let _ = child.kill();
    let _ = child.wait();
}

/// The two long tables of a checklist (written by `site::checklist`, not
/// by Tera): links to the guide's anchors, derogations, NILs, component
/// reasons, héritage and équivalence with the common requirement. One row
/// per line for review.
#[test]
fn checklist_tables_snapshot() {
    let project = sample();
    let out = build(project.path());
    let html = std::fs::read_to_string(out.join("candidatures/cas3-ms-pde/index.html")).unwrap();
    let start = html
        .find("<section aria-labelledby=\"a-deposer\">")
        .unwrap();
    let end = html
        .find("<section aria-labelledby=\"documents\">")
        .unwrap();
    insta::assert_snapshot!(html[start..end].replace("</tr>", "</tr>\n"));
}

/// The data of a search script `segurdocSearch("kind","key",DATA);`.
fn search_script(out: &Path, file: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(out.join("search").join(file))
        .unwrap_or_else(|e| panic!("search/{file}: {e}"));
    // After `segurdocSearch("kind","key",`: the fourth quote and a comma.
    let start = text.match_indices('"').nth(3).unwrap().0 + 2;
    let end = text.rfind(");").unwrap();
    serde_json::from_str(&text[start..end]).unwrap()
}

/// Looks a query word up as site.js does: the two-character word file,
/// then the longer ones it names, and returns the titles of the entries
/// holding a word that starts with it.
fn search_lookup(out: &Path, word: &str) -> Vec<String> {
    let manifest = search_script(out, "manifest.js");
    let chunk = manifest["chunk"].as_u64().unwrap() as usize;
    let key_of = |n: usize| -> String {
        word.chars()
            .take(n)
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect()
    };
    let mut n = 2;
    let mut file = search_script(out, &format!("t/{}.js", key_of(n)));
    while let Some(children) = file["c"].as_array() {
        let next = key_of(n + 1);
        if word.chars().count() <= n || !children.iter().any(|c| c == next.as_str()) {
            break;
        }
        n += 1;
        file = search_script(out, &format!("t/{next}.js"));
    }
    let mut entries = BTreeSet::new();
    for (w, postings) in file["w"].as_object().unwrap() {
        if w.starts_with(word) {
            let mut at = 0;
            for d in postings["w"].as_array().unwrap() {
                at += d.as_u64().unwrap() as usize;
                entries.insert(at);
            }
        }
    }
    entries
        .into_iter()
        .map(|e| {
            let data = search_script(out, &format!("d/{}.js", e / chunk));
            data[e % chunk]["t"].as_str().unwrap().to_owned()
        })
        .collect()
}

#[test]
fn the_search_index_is_split_and_finds_ids_words_and_pages() {
    let project = sample();
    let out = build(project.path());
    // A whole ID, part of an ID, a folded word, a content page's title.
    let found = search_lookup(&out, "dui.ins.01");
    assert_eq!(
        found,
        ["DUI.INS.01", "DUI.INS.01.01.01", "DUI.INS.01.01.02"]
    );
    let found = search_lookup(&out, "ins.01.01");
    assert!(
        found.contains(&"DPI.INS.01.01.01".to_owned())
            && found.contains(&"DUI.INS.01.01.02".to_owned()),
        "{found:?}"
    );
    let found = search_lookup(&out, "teleservice");
    assert!(found.contains(&"DUI.INS.01".to_owned()), "{found:?}");
    assert!(search_lookup(&out, "parcours")
        .iter()
        .any(|t| t == "Le parcours de candidature"));
    // Candidatures are private: never in the search.
    let whole = std::fs::read_to_string(out.join("search-index.json")).unwrap();
    assert!(!whole.contains("candidature\",\"d\"") && !whole.contains("cas3-ms-pde"));
    assert!(search_lookup(&out, "cas3").is_empty());
    // Each group starts on its own chunk, in the manifest's order.
    let manifest = search_script(&out, "manifest.js");
    let chunk = manifest["chunk"].as_u64().unwrap();
    let groups = manifest["groups"].as_array().unwrap();
    assert_eq!(groups[0]["c"], "");
    assert!(groups.len() >= 5, "{groups:?}");
    for g in &groups[1..] {
        let start = g["s"].as_u64().unwrap();
        assert_eq!(start % chunk, 0, "{g}");
        let first = search_script(&out, &format!("d/{}.js", start / chunk));
        assert_eq!(first[0]["d"], g["c"], "{g}");
    }
    // No file is loaded whole any more: the pages load search/.
    assert!(!out.join("assets/search-index.js").exists());
    let js = std::fs::read_to_string(out.join("assets/site.js")).unwrap();
    assert!(js.contains("search/") && !js.contains("search-index"));
}

#[test]
fn candidatures_stay_out_of_the_sitemap_and_search_engines() {
    let project = sample();
    let out = build(project.path());
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("/dispositifs/MS-DUI/") && !sitemap.contains("candidatures"));
    let checklist =
        std::fs::read_to_string(out.join("candidatures/cas3-ms-pde/index.html")).unwrap();
    assert!(checklist.contains("<meta name=\"robots\" content=\"noindex, nofollow\">"));
    let guide = std::fs::read_to_string(out.join("dispositifs/MS-DUI/index.html")).unwrap();
    assert!(!guide.contains("noindex"));
}

/// A candidature file that cannot be read.
fn break_a_candidature(project: &Path) {
    std::fs::write(
        project.join("data/candidatures/zz-cassee.yaml"),
        "id: zz-cassee\ndispositif: [\n",
    )
    .unwrap();
}

#[test]
fn a_public_build_publishes_the_documentation_alone_whatever_the_candidatures() {
    let project = sample();
    break_a_candidature(project.path());
    let (code, stdout, stderr) = run_binary(project.path(), &["build", "--public"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("pages et"), "{stdout}");
    let out = project.path().join("output");
    assert!(out.join("dispositifs/MS-DUI/index.html").is_file());
    assert!(!out.join("candidatures").exists());
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(!home.contains(">Candidatures<"), "a nav entry to no page");
    assert_links_resolve(&out);

    // The same from site.yaml; --candidatures still separates them.
    let site = project.path().join("data/site.yaml");
    let yaml = std::fs::read_to_string(&site).unwrap();
    std::fs::write(&site, format!("{yaml}\npublic: true\n")).unwrap();
    std::fs::remove_dir_all(&out).unwrap();
    let (code, _, stderr) = run_binary(project.path(), &["build"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(out.join("dispositifs/MS-DUI/index.html").is_file());
    assert!(!out.join("candidatures").exists());
}

#[test]
fn candidatures_build_into_their_own_folder_linked_to_the_documentation() {
    let project = sample();
    // No base_url: links from the candidatures to the documentation are
    // relative, from one folder to the other.
    let site = project.path().join("data/site.yaml");
    let yaml = std::fs::read_to_string(&site).unwrap();
    let yaml: String = yaml
        .lines()
        .filter(|l| !l.starts_with("base_url"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&site, yaml).unwrap();
    let sites = tempfile::tempdir().unwrap();
    let docs = sites.path().join("docs");
    let private = sites.path().join("prive");
    let (code, stdout, stderr) = run_binary(
        project.path(),
        &[
            "build",
            "--output",
            docs.to_str().unwrap(),
            "--candidatures",
            private.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains(" et "), "{stdout}");
    assert!(docs.join("dispositifs/MS-DUI/index.html").is_file());
    assert!(!docs.join("candidatures").exists());
    let search = std::fs::read_to_string(docs.join("search-index.json")).unwrap();
    assert!(!search.contains("cas3-ms-pde"));
    for file in [
        "candidatures/index.html",
        "candidatures/cas3-ms-pde/index.html",
        "candidatures/cas3-ms-pde/preuves.csv",
        "candidatures/cas3-ms-pde/convention.pdf",
        "assets/style.css",
    ] {
        assert!(private.join(file).is_file(), "{file}");
    }
    assert!(!private.join("sitemap.xml").exists() && !private.join("dispositifs").exists());
    let checklist =
        std::fs::read_to_string(private.join("candidatures/cas3-ms-pde/index.html")).unwrap();
    assert!(
        checklist.contains(
            "href=\"..&#x2F;..&#x2F;..&#x2F;docs&#x2F;dispositifs&#x2F;MS-DUI&#x2F;index.html\""
        ),
        "no link to the guide"
    );
    // Every link of both folders lands, the candidatures' on the documentation.
    assert!(assert_links_resolve(sites.path()) > 1000);

    // An unreadable candidature: the documentation is written all the same,
    // the candidatures' folder is left as it was.
    break_a_candidature(project.path());
    std::fs::write(
        project.path().join("content/nouvelle.md"),
        "# Nouvelle page\n",
    )
    .unwrap();
    let before = read_tree(&private);
    let (code, _, stderr) = run_binary(
        project.path(),
        &[
            "build",
            "--output",
            docs.to_str().unwrap(),
            "--candidatures",
            private.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 1);
    assert!(
        stderr.contains("data/candidatures/zz-cassee.yaml:2:"),
        "{stderr}"
    );
    assert!(
        stderr.contains("candidatures non écrites (1 erreur"),
        "{stderr}"
    );
    assert!(
        docs.join("nouvelle/index.html").is_file(),
        "documentation not written"
    );
    assert_eq!(read_tree(&private), before);
}

#[test]
fn accessibility_statement_footer_links_and_a_404_page() {
    let project = sample();
    let out = build(project.path());
    // Without an audit the RGAA says « non conforme », on every page's footer.
    let statement = std::fs::read_to_string(out.join("accessibilite/index.html")).unwrap();
    assert!(statement.contains("est <strong>non conforme</strong>"));
    assert!(statement.contains("en raison de l'absence de résultats d'audit"));
    assert!(statement.contains("href=\"mailto:accessibilite@referencement-segur.exemple.fr\""));
    assert!(statement.contains("Libre réponse 71120"));
    let guide = std::fs::read_to_string(out.join("dispositifs/MS-DUI/index.html")).unwrap();
    assert!(guide.contains(
        "<a href=\"..&#x2F;..&#x2F;accessibilite&#x2F;index.html\">Accessibilité\u{a0}: non conforme</a>"
    ));
    assert!(guide.contains(">Mentions légales</a>"));
    // The 404 page links from the site's address, at whatever depth it is served.
    let missing = std::fs::read_to_string(out.join("404.html")).unwrap();
    assert!(missing.contains(
        "href=\"https:&#x2F;&#x2F;referencement-segur.exemple.fr&#x2F;assets/style.css\""
    ));
    assert!(!missing.contains("href=\"index.html"));
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("/accessibilite/") && !sitemap.contains("404"));

    // An audit sets the level; bad values are located.
    let site = project.path().join("data/site.yaml");
    let yaml = std::fs::read_to_string(&site).unwrap();
    let audited = yaml.replace(
        "  # audit: { date: 2026-11-15, auditor: Cabinet X, rate: 87.5 }",
        "  audit: { date: 2026-11-15, auditor: Cabinet X, rate: 87.5 }",
    );
    assert_ne!(audited, yaml, "the sample's site.yaml changed");
    std::fs::write(&site, &audited).unwrap();
    let out = build(project.path());
    let statement = std::fs::read_to_string(out.join("accessibilite/index.html")).unwrap();
    assert!(statement.contains("est <strong>partiellement conforme</strong>"));
    assert!(statement
        .contains("réalisé le 15 novembre 2026 par Cabinet X révèle que 87,5\u{a0}% des critères"));
    std::fs::write(
        &site,
        audited.replace("rate: 87.5", "rate: 187.5").replace(
            "url: https://referencement-segur.exemple.fr/mentions-legales",
            "url: \"javascript:alert(1)\"",
        ),
    )
    .unwrap();
    let (code, _, stderr) = run_binary(project.path(), &["build"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("site.yaml:")
            && stderr.contains("taux de conformité 187.5 : un pourcentage de 0 à 100 est attendu"),
        "{stderr}"
    );
    assert!(
        stderr.contains("« javascript:alert(1) » : un titre et une adresse http(s)://"),
        "{stderr}"
    );
    // The public address: an http(s) address of a host, nothing else.
    for bad in [
        "javascript:alert(1)",
        "https://",
        "https://x.fr/\\\"><script>",
        "ftp://x.fr",
    ] {
        let with_base = if audited.contains("base_url:") {
            audited
                .lines()
                .map(|l| {
                    if l.starts_with("base_url:") {
                        format!("base_url: \"{bad}\"")
                    } else {
                        l.to_owned()
                    }
                })
                .collect::<Vec<_>>()
                .join("\n")
        } else {
            format!("base_url: \"{bad}\"\n{audited}")
        };
        std::fs::write(&site, with_base).unwrap();
        let (code, _, stderr) = run_binary(project.path(), &["build"]);
        assert_eq!(code, 1, "{bad}: {stderr}");
        assert!(
            stderr.contains("site.yaml:")
                && stderr.contains("une adresse http:// ou https:// du site est attendue"),
            "{bad}: {stderr}"
        );
    }
}

/// At national size a checklist is split by chapter and the index of
/// candidatures by dispositif, so that no page passes 200 KB; every link
/// still lands.
#[test]
fn large_checklists_and_indexes_are_split_below_200_kb() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("p");
    let (code, _, stderr) = run_binary(
        dir.path(),
        &[
            "corpus",
            project.to_str().unwrap(),
            "--dispositifs",
            "2",
            "--preuves",
            "1500",
            "--publications",
            "1",
            "--candidatures",
            "305",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let out = build(&project);
    let files = read_tree(&out);
    let largest = files
        .iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| (b.len(), p))
        .max()
        .unwrap();
    assert!(largest.0 <= 200_000, "{} is {} bytes", largest.1, largest.0);
    // The index: one page per dispositif.
    let index = String::from_utf8(files["candidatures/index.html"].clone()).unwrap();
    assert!(
        index.contains("<p>305 candidatures, par dispositif\u{a0}:</p>"),
        "{index}"
    );
    assert!(index.contains("<a href=\"dispositif-dsp-01.html\">DSP-01</a>"));
    let dsp01 = String::from_utf8(files["candidatures/dispositif-dsp-01.html"].clone()).unwrap();
    assert!(dsp01.contains("<a href=\"cand-00000&#x2F;index.html\">cand-00000</a>"));
    // A checklist: its proofs on chapter pages, none left on its index.
    let checklist = String::from_utf8(files["candidatures/cand-00000/index.html"].clone()).unwrap();
    assert!(checklist.contains("Cette liste est longue"));
    assert!(!checklist.contains("<tr data-nature"));
    let chapters: Vec<&String> = files
        .keys()
        .filter(|p| p.starts_with("candidatures/cand-00000/chapitres/"))
        .collect();
    assert!(chapters.len() >= 5, "{chapters:?}");
    // Every proof to deposit is on one chapter page, as preuves.csv lists it.
    let csv = String::from_utf8(files["candidatures/cand-00000/preuves.csv"].clone()).unwrap();
    let on_pages: String = chapters
        .iter()
        .map(|p| String::from_utf8(files[*p].clone()).unwrap())
        .collect();
    let due = csv.lines().filter(|l| l.starts_with("à déposer;")).count();
    assert!(due > 100, "{due}");
    assert_eq!(on_pages.matches("<tr data-nature").count(), due);
    // Their links, one folder deeper than the checklist, land on files and
    // anchors; and the index's, and the per-dispositif pages'.
    let checked = assert_links_resolve_from(&out, |p| {
        p.starts_with("candidatures/cand-00000/") || !p.starts_with("candidatures/cand-")
    });
    assert!(checked > 1000, "{checked} links");
}

/// Each REM with releases has an Atom feed, one entry per release, declared
/// in the head of its pages and of the home page.
#[test]
fn rem_changes_have_an_atom_feed() {
    let project = sample();
    let out = build(project.path());
    let feed = std::fs::read_to_string(out.join("changelog/MS-DUI.atom")).unwrap();
    // Well-formed XML, Atom's namespace, the elements Atom requires.
    let mut reader = quick_xml::Reader::from_str(&feed);
    let mut names = Vec::new();
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(quick_xml::events::Event::Start(e)) | Ok(quick_xml::events::Event::Empty(e)) => {
                names.push(String::from_utf8_lossy(e.name().as_ref().as_bytes()).into_owned());
            }
            Ok(_) => {}
            Err(e) => panic!("not XML: {e}\n{feed}"),
        }
    }
    for required in [
        "feed", "id", "title", "updated", "author", "entry", "link", "summary",
    ] {
        assert!(
            names.iter().any(|n| n == required),
            "no <{required}>: {names:?}"
        );
    }
    assert!(feed.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"fr\">"));
    assert_eq!(
        feed.matches("<entry>").count(),
        1,
        "one release after the first"
    );
    assert!(feed.contains("<title>MS-DUI : REM 2.0 → 2.1</title>"));
    assert!(feed.contains(
        "href=\"https://referencement-segur.exemple.fr/changelog/MS-DUI/2.0--2.1.html\""
    ));
    assert!(feed.contains("1 exigence ajoutée, 1 supprimée, 2 modifiées"));
    // Only REMs with several releases have one.
    assert!(!out.join("changelog/HOP-DPI.atom").exists());
    let link = "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Évolutions du REM MS-DUI — Dossier Usager Informatisé\" href=\"";
    let guide = std::fs::read_to_string(out.join("dispositifs/MS-DUI/index.html")).unwrap();
    assert!(guide.contains(&format!(
        "{link}..&#x2F;..&#x2F;changelog&#x2F;MS-DUI.atom\">"
    )));
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(home.contains(&format!("{link}changelog&#x2F;MS-DUI.atom\">")));
    let hop = std::fs::read_to_string(out.join("dispositifs/HOP-DPI/index.html")).unwrap();
    assert!(!hop.contains("application/atom+xml"));
}

/// The site's workbook of a candidature holds the same proofs as its CSV,
/// with their texts, and the checklist page offers it first.
#[test]
fn each_candidature_has_its_workbook_with_the_csv_proofs() {
    use calamine::{Reader, Xlsx};
    let project = sample();
    let out = build(project.path());
    let dir = out.join("candidatures/cas3-ms-pde");
    let page = std::fs::read_to_string(dir.join("index.html")).unwrap();
    assert!(
        page.contains(r#"<a href="preuves.xlsx">classeur (XLSX)</a>"#),
        "{page}"
    );
    let csv = std::fs::read_to_string(dir.join("preuves.csv")).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let due = |status: &str| -> Vec<(String, String)> {
        let mut v: Vec<_> = records
            .iter()
            .filter(|r| &r[0] == status)
            .map(|r| (r[1].to_owned(), r[17].to_owned()))
            .collect();
        v.sort();
        v
    };
    let mut book: Xlsx<_> = calamine::open_workbook(dir.join("preuves.xlsx")).unwrap();
    let sheet = book.worksheet_range("À déposer").unwrap();
    let mut rows: Vec<(String, String)> = sheet
        .rows()
        .skip(1)
        .map(|r| (r[1].to_string(), r[8].to_string()))
        .collect();
    rows.sort();
    assert!(!rows.is_empty());
    // Same proofs, same French reasons (CNDA rows once per NIL in both).
    assert_eq!(rows, due("à déposer"));
    let masked = book.worksheet_range("Non redemandées").unwrap();
    assert_eq!(masked.rows().count() - 1, due("masquée").len());
}

/// A candidature of a dispositif with two REM releases says on its page what
/// the current one changes for it (linked to the requirement and to the
/// changelog, with the word diff of a rewritten text); one release, no
/// such section.
#[test]
fn a_candidature_page_says_what_the_new_release_changes() {
    let project = sample();
    let out = build(project.path());
    let dir = out.join("candidatures/cas3-ms-pde");
    let page = std::fs::read_to_string(dir.join("index.html")).unwrap();
    let start = page
        .find(r#"<h2 id="evolution">"#)
        .expect("no evolution section");
    let section = &page[start..start + page[start..].find("</section>").unwrap()];
    assert!(
        section.contains("Ce que le REM 2.1 change pour cette candidature"),
        "{section}"
    );
    assert!(
        section.contains(r#"<a href="..&#x2F;..&#x2F;changelog&#x2F;MS-DUI&#x2F;2.0--2.1.html">"#),
        "{section}"
    );
    assert!(
        section.contains(">DUI.ESMS.13.01.01</a></th><td>nouvellement due</td><td>absente du REM</td><td>à déposer (exigée par le REM)</td>"),
        "{section}"
    );
    assert!(section.contains("<ins>à nouveau </ins>"), "{section}");
    let csv = std::fs::read_to_string(dir.join("impact.csv")).unwrap();
    assert!(csv.contains("nouvellement due;DUI.ESMS.13.01.01;"), "{csv}");
    // SDV-PSF has one release: nothing to compare.
    let psf = std::fs::read_to_string(out.join("candidatures/1a-psf-kineplus/index.html")).unwrap();
    assert!(!psf.contains(r#"id="evolution""#));
    assert!(!out.join("candidatures/1a-psf-kineplus/impact.csv").exists());
}
