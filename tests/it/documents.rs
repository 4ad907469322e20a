//! The attestation sur l'honneur and the convention drafts, read back with
//! poppler's `pdftotext`, `pdfinfo` and `pdftotext -bbox` (Debian package
//! `poppler-utils`, installed by `.ci/run`) the way a signatory would read
//! them: every filled value present, accents intact, nothing outside the
//! page, the same bytes whatever was generated before; and checked by
//! `qpdf --check` (Debian package `qpdf`), since segurdoc writes the PDF
//! structure itself.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::check::{copy_tree, run_binary};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules")
}

fn tool(name: &str) -> &str {
    let package = if name == "qpdf" {
        "qpdf"
    } else {
        "poppler-utils"
    };
    assert!(
        Command::new(name).arg("--version").output().is_ok(),
        "{name} is missing: install Debian's {package} (apt-get install {package})"
    );
    name
}

fn pdftotext(pdf: &Path) -> String {
    let out = Command::new(tool("pdftotext"))
        .arg("-layout")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn pdfinfo(pdf: &Path) -> String {
    let out = Command::new(tool("pdfinfo")).arg(pdf).output().unwrap();
    String::from_utf8(out.stdout).unwrap()
}

fn pages(pdf: &Path) -> usize {
    pdfinfo(pdf)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap()
}

/// Collapses white space, so that a value wrapped over two lines or cells still matches.
fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every word box of every page lies inside the A4 page, within the margins.
fn assert_inside_page(pdf: &Path) {
    let out = Command::new(tool("pdftotext"))
        .arg("-bbox")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    let html = String::from_utf8(out.stdout).unwrap();
    let mut words = 0;
    for line in html.lines().filter(|l| l.trim_start().starts_with("<word")) {
        let attr = |name: &str| -> f32 {
            let at = line.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
            line[at..].split('"').next().unwrap().parse().unwrap()
        };
        let (x0, x1, y0, y1) = (attr("xMin"), attr("xMax"), attr("yMin"), attr("yMax"));
        assert!(
            x0 >= 50.0 && x1 <= 545.0 && y0 >= 40.0 && y1 <= 810.0,
            "word outside the page: {line}"
        );
        words += 1;
    }
    assert!(words > 20, "{words} words");
}

fn project_with(yaml: Option<(&str, &str)>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture().join("data"), &dir.path().join("data"));
    if let Some((name, text)) = yaml {
        std::fs::write(
            dir.path().join(format!("data/candidatures/{name}.yaml")),
            text,
        )
        .unwrap();
    }
    dir
}

#[test]
fn attestation_states_every_value_of_the_candidature() {
    let project = project_with(None);
    let pdf = project.path().join("cas3.pdf");
    let (code, _, stderr) = run_binary(
        project.path(),
        &["attestation", "cas3", "-o", pdf.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(pages(&pdf), 1);
    let text = squash(&pdftotext(&pdf));
    for expected in [
        "ATTESTATION SUR L'HONNEUR",
        "dispositif MS-DUI (Dossier Usager Informatisé)",
        "Je soussignée, Mme Claire Martin, agissant en qualité de Présidente de la société Alpha Santé SAS, SIRET 790 456 123 00013, NIE E0001, dont le siège est situé 1 rue de la Paix, 75002 Paris,",
        "« Alpha DUI », version 5.3, dont le composant principal est « ALPHA-CORE »",
        "pour les profils Général, PDE",
        "désignent une seule et même Solution logicielle",
        "Alpha DUI L0001 5.3",
        "Alpha Enfance L0002 5.3",
        "Alpha Famille L0003 5.3",
        "IdentiPlus (Composant additionnel) Tiers SA L9000 1.0 INS",
        "Composant Éditeur NIL Version Chapitres du REM impactés",
        "solution racine NRU-V2-DPI-0001 (Alpha DPI, version 3.0)",
        "référencée sous le numéro NRU-V2-DPI-0001 (Alpha DPI, version 3.0, dispositif HOP-DPI)",
        "candidate au référencement sur le dispositif MS-DUI",
        "Fait à Paris, le 30 septembre 2026.",
        "Mme Claire Martin, Présidente",
        "Cachet de l'entreprise Signature",
        "est puni d'un an d'emprisonnement et de 15 000 € d'amende (article 441-7 du Code pénal)",
        "Document établi à partir de la candidature au référencement, à signer par le représentant légal de la société avant son dépôt.",
        "Attestation sur l'honneur — Alpha DUI 5.3 — MS-DUI Page 1 / 1",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    // Signed before it is deposited; no internal id of the project.
    assert!(
        !text.contains("candidature déposée") && !text.contains("cas3"),
        "{text}"
    );
    let info = pdfinfo(&pdf);
    assert!(
        info.contains("Title:           Attestation sur l'honneur — Alpha DUI (MS-DUI)"),
        "{info}"
    );
    assert!(info.contains("Author:          Alpha Santé SAS"), "{info}");
    assert_inside_page(&pdf);
}

#[test]
fn attestation_is_written_only_when_r5_requires_it() {
    let project = project_with(None);
    let pdf = project.path().join("nominal.pdf");
    let (code, _, stderr) = run_binary(
        project.path(),
        &["attestation", "nominal", "-o", pdf.to_str().unwrap()],
    );
    assert_eq!(code, 0);
    assert!(
        stderr.contains("aucune attestation sur l'honneur n'est requise"),
        "{stderr}"
    );
    assert!(!pdf.exists());
}

const TYPOGRAPHY: &str = "Œuvre d’Art « Santé » — Cœur & Co € SARL";

fn extreme_candidature() -> String {
    let long_word = "Interopérabilité".repeat(12);
    let mut yaml = format!(
        "dispositif: MS-DUI\nprofils: [PA]\nediteur:\n  raison_sociale: \"{TYPOGRAPHY}\"\n  siret: \"79045612300013\"\n  nie: E0001\n  adresse: \"{}\"\n  representant_legal: {{ civilite: M., prenom: Jean-Édouard, nom: D’Alembert-Lefèvre, qualite: Directeur général délégué aux affaires réglementaires et à la conformité }}\nsolution:\n  nom: Solution\n  version: \"9.0\"\n  composant_principal: ALPHA-CORE\n  composants_additionnels:\n",
        "Bâtiment C, escalier 4, 12e étage, 221 boulevard de la République prolongée, zone d'activités du Grand Ouest, 44000 Nantes Cedex 01, France ".repeat(3)
    );
    for i in 0..6 {
        yaml.push_str(&format!(
            "    - {{ nom: Composant{i}{long_word}, editeur: Éditeur tiers {i}, nouveau: true, chapitres: [INS, DMP, PSC, SSI] }}\n"
        ));
    }
    yaml.push_str("noms_commerciaux:\n");
    for i in 0..60 {
        yaml.push_str(&format!(
            "  - {{ nom: \"Nom{i:02}{long_word}\", nil: L{i:05}, version: \"9.0\" }}\n"
        ));
    }
    yaml.push_str("signature: { lieu: Saint-Rémy-de-Provence, date: 2026-12-24 }\n");
    yaml
}

#[test]
fn extreme_inputs_flow_onto_more_pages_and_never_overflow() {
    let project = project_with(Some(("extreme", &extreme_candidature())));
    let pdf = project.path().join("extreme.pdf");
    let (code, _, stderr) = run_binary(
        project.path(),
        &["attestation", "extreme", "-o", pdf.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{stderr}");
    let n = pages(&pdf);
    assert!(n >= 3, "{n} pages");
    let text = pdftotext(&pdf);
    let compact: String = text.split_whitespace().collect();
    for i in 0..60 {
        assert!(
            compact.contains(&format!("Nom{i:02}Interopérabilité")),
            "name {i} lost"
        );
        assert!(compact.contains(&format!("L{i:05}")), "NIL {i} lost");
    }
    assert!(
        squash(&text).contains(TYPOGRAPHY),
        "typography lost:\n{text}"
    );
    assert!(
        squash(&text).contains("Jean-Édouard D’Alembert-Lefèvre"),
        "{text}"
    );
    assert!(text.contains(&format!("Page {n} / {n}")));
    assert_inside_page(&pdf);
}

#[test]
fn documents_are_byte_identical_whatever_was_generated_before() {
    let project = project_with(None);
    let a = project.path().join("a.pdf");
    let b = project.path().join("b.pdf");
    // Within one process (the library), in two different orders.
    let checked = segurdoc::check_project(project.path()).unwrap();
    let p = &checked.project;
    let index = segurdoc::model::EquivalenceIndex::new(&p.equivalences);
    let date = chrono::NaiveDate::from_ymd_opt(2026, 9, 21).unwrap();
    let outcome = |id: &str| {
        segurdoc::rules::evaluate(
            p.candidature(id).unwrap(),
            p,
            &index,
            date.and_hms_opt(0, 0, 0).unwrap(),
        )
        .unwrap()
    };
    let mut diags = segurdoc::diag::Diagnostics::new();
    let templates = segurdoc::render::Templates::compile(&[], &mut diags).unwrap();
    let first =
        segurdoc::render::attestation::attestation(&templates, &outcome("cas3"), Some(date))
            .unwrap();
    let _ = segurdoc::render::attestation::attestation(&templates, &outcome("cas2"), Some(date))
        .unwrap();
    let _ = segurdoc::render::attestation::attestation(
        &templates,
        &outcome("1a-monlps-psf"),
        Some(date),
    )
    .unwrap();
    let again =
        segurdoc::render::attestation::attestation(&templates, &outcome("cas3"), Some(date))
            .unwrap();
    assert!(first == again, "attestation differs after other documents");
    // And across processes.
    run_binary(
        project.path(),
        &["attestation", "cas3", "-o", a.to_str().unwrap()],
    );
    run_binary(
        project.path(),
        &["attestation", "cas3", "-o", b.to_str().unwrap()],
    );
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
}

#[test]
fn convention_draft_in_three_formats() {
    let project = project_with(Some((
        "extreme",
        &extreme_candidature().replace("<", "&lt;"),
    )));
    for ext in ["md", "html", "pdf"] {
        let out = project.path().join(format!("convention.{ext}"));
        let (code, _, stderr) = run_binary(
            project.path(),
            &["convention", "cas3", "-o", out.to_str().unwrap()],
        );
        assert_eq!(code, 0, "{ext}: {stderr}");
        let text = match ext {
            "pdf" => pdftotext(&out),
            _ => std::fs::read_to_string(&out).unwrap(),
        };
        let text = squash(&text.replace("\\-", "-"));
        for expected in [
            "PROJET",
            "Alpha Santé SAS",
            "790 456 123 00013",
            "MS-DUI",
            "Alpha Enfance",
            "L0002",
            "NRU-V2-DPI-0001",
            "compatibilité ascendante",
            "COMPLÉTER PAR L'ANS",
        ] {
            assert!(text.contains(expected), "{ext}: missing {expected:?}");
        }
    }
    let pdf = project.path().join("convention.pdf");
    assert!(pages(&pdf) >= 2);
    assert_inside_page(&pdf);
    let (code, _, stderr) = run_binary(
        project.path(),
        &["convention", "cas3", "-o", "convention.odt"],
    );
    assert_eq!(code, 2, "{stderr}");
}

/// pandoc's plain-text reading of a Word document.
fn pandoc(docx: &Path) -> String {
    let out = Command::new("pandoc")
        .args(["-t", "plain", "--wrap=none"])
        .arg(docx)
        .output()
        .expect("pandoc is missing: install Debian's pandoc (apt-get install pandoc)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Both documents as Word files, read back by a tool that is not ours
/// (pandoc): the same content as the PDF, in Word's lists and tables.
#[test]
fn documents_as_word_files_read_back() {
    let project = project_with(None);
    let att = project.path().join("attestation.docx");
    let (code, _, stderr) = run_binary(
        project.path(),
        &["attestation", "cas3", "-o", att.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{stderr}");
    let text = pandoc(&att);
    for expected in [
        "Je soussignée, Mme Claire Martin, agissant en qualité de Présidente de la société Alpha Santé SAS",
        "-   que les noms commerciaux ci-dessous désignent une seule et même Solution logicielle",
        "Alpha Enfance",
        "L0002",
        "IdentiPlus (Composant additionnel)",
        "L9000",
        "Cachet de l'entreprise",
        "article 441-7 du Code pénal",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    let conv = project.path().join("convention.docx");
    let (code, _, stderr) = run_binary(
        project.path(),
        &["convention", "cas3", "-o", conv.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{stderr}");
    let text = pandoc(&conv);
    for expected in [
        "Article 9 — Signature électronique",
        "1.  L'Éditeur s'engage à documenter",
        "2.  Si la modification",
        "Signature pour l'Éditeur",
        "Signature pour l'ANS",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    assert!(!text.contains("• 1."), "{text}");
    // Word's own styles: headings are « heading 2 », lists are numbered.
    let xml = Command::new("unzip")
        .args(["-p"])
        .arg(&conv)
        .arg("word/styles.xml")
        .output()
        .unwrap();
    let styles = String::from_utf8_lossy(&xml.stdout);
    assert!(styles.contains("w:styleId=\"Heading2\""), "{styles}");
}

#[test]
fn hostile_data_stays_text_in_the_convention() {
    let hostile = extreme_candidature().replace(
        TYPOGRAPHY,
        "Evil <script>alert(1)</script> | **gras** [lien](javascript:alert(2))",
    );
    let project = project_with(Some(("hostile", &hostile)));
    let out = project.path().join("convention.html");
    let (code, _, stderr) = run_binary(
        project.path(),
        &["convention", "hostile", "-o", out.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{stderr}");
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains("href=\"javascript"));
    assert!(
        html.contains("Evil &lt;script&gt;alert(1)&lt;/script&gt; | **gras** [lien](javascript"),
        "data not kept as text"
    );
}

/// Characters printed only in the footer (outside the shared French
/// repertoire) are embedded too: they once came out as other glyphs,
/// "/ttestation sur l'/onneur", because the font subset was made from the
/// body text alone.
#[test]
fn footer_characters_are_in_the_embedded_font() {
    use segurdoc::render::pdf::{Document, Meta, Span};
    let meta = Meta {
        title: "t".to_owned(),
        author: "a".to_owned(),
        subject: "s".to_owned(),
    };
    let mut doc = Document::new(meta, "Ωméga ŝ — pied de page").unwrap();
    doc.paragraph(&[Span::plain("corps")], 10.0);
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("footer.pdf");
    std::fs::write(&pdf, doc.finish(None).unwrap()).unwrap();
    let text = squash(&pdftotext(&pdf));
    assert!(text.contains("Ωméga ŝ — pied de page Page 1 / 1"), "{text}");
}

/// Every PDF of a built site is well formed for qpdf (cross-reference
/// table, objects, streams, fonts), and two documents using the same font
/// subset embed it identically.
#[test]
fn every_pdf_of_a_build_passes_qpdf_check() {
    let project = project_with(None);
    let (code, _, stderr) = run_binary(project.path(), &["build"]);
    assert_eq!(code, 0, "{stderr}");
    let mut pdfs = Vec::new();
    for entry in walkdir::WalkDir::new(project.path().join("output")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "pdf") {
            pdfs.push(entry.path().to_path_buf());
        }
    }
    assert!(pdfs.len() >= 10, "{pdfs:?}");
    for pdf in &pdfs {
        let out = Command::new(tool("qpdf"))
            .arg("--check")
            .arg(pdf)
            .output()
            .unwrap();
        let report = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && report.contains("No syntax or stream encoding errors"),
            "{}: {report}{}",
            pdf.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // Poppler renders every page without a complaint (a font it cannot
    // load is reported on stderr, and the text drawn with a fallback).
    for pdf in &pdfs {
        let out = Command::new(tool("pdftoppm"))
            .args(["-r", "20"])
            .arg(pdf)
            .arg(pdf.with_extension("render"))
            .output()
            .unwrap();
        assert!(
            out.status.success() && out.stderr.is_empty(),
            "{}: {}",
            pdf.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // A 1.7 file (PDF/A-2) with a classic cross-reference table.
    let first = std::fs::read(&pdfs[0]).unwrap();
    assert!(first.starts_with(b"%PDF-1.7"));
    assert!(first.windows(6).any(|w| w == b"\nxref\n"), "no xref table");
    // The regular font program (deflated once per subset).
    let program = |pdf: &Path| -> Vec<u8> {
        let bytes = std::fs::read(pdf).unwrap();
        let at = bytes.windows(8).position(|w| w == b"/Length1").unwrap();
        let start = at
            + bytes[at..]
                .windows(7)
                .position(|w| w == b"stream\n")
                .unwrap()
            + 7;
        let end = start
            + bytes[start..]
                .windows(9)
                .position(|w| w == b"endstream")
                .unwrap();
        bytes[start..end].to_vec()
    };
    let conventions: Vec<_> = pdfs
        .iter()
        .filter(|p| p.ends_with("convention.pdf"))
        .collect();
    assert!(program(conventions[0]).len() > 5_000);
    assert_eq!(program(conventions[0]), program(conventions[1]));
}

/// What makes a document acceptable to an administration (issue #16),
/// checked on its bytes with lopdf and poppler: tagged (structure tree,
/// marked contents, the footer an artefact, table header cells), French,
/// its title shown, PDF/A-2 identified with an sRGB output intent and
/// every font embedded, an empty signature field with an appearance, in
/// the structure. Returns what is missing.
fn acceptability_problems(pdf: &Path) -> Vec<String> {
    use lopdf::Object;
    let mut problems = Vec::new();
    let mut say = |p: &str| problems.push(p.to_owned());
    let doc = match lopdf::Document::load(pdf) {
        Ok(d) => d,
        Err(e) => return vec![format!("unreadable: {e}")],
    };
    let Ok(catalog) = doc.catalog() else {
        return vec!["no catalog".to_owned()];
    };
    let get = |dict: &lopdf::Dictionary, key: &[u8]| -> Option<Object> {
        let value = dict.get(key).ok()?.clone();
        match value {
            Object::Reference(id) => doc.get_object(id).ok().cloned(),
            v => Some(v),
        }
    };
    if !matches!(get(catalog, b"Lang"), Some(Object::String(ref s, _)) if s == b"fr-FR") {
        say("catalog /Lang is not fr-FR");
    }
    let marked = get(catalog, b"MarkInfo").and_then(|m| {
        m.as_dict()
            .ok()
            .and_then(|d| d.get(b"Marked").ok().cloned())
    });
    if !matches!(marked, Some(Object::Boolean(true))) {
        say("not marked (/MarkInfo /Marked true)");
    }
    let shows_title = get(catalog, b"ViewerPreferences").and_then(|v| {
        v.as_dict()
            .ok()
            .and_then(|d| d.get(b"DisplayDocTitle").ok().cloned())
    });
    if !matches!(shows_title, Some(Object::Boolean(true))) {
        say("title not shown in the window (/DisplayDocTitle)");
    }
    if get(catalog, b"StructTreeRoot").is_none() {
        say("no structure tree");
    }
    let xmp = get(catalog, b"Metadata")
        .and_then(|m| {
            m.as_stream()
                .ok()
                .map(|s| String::from_utf8_lossy(&s.content).into_owned())
        })
        .unwrap_or_default();
    if !(xmp.contains("<pdfaid:part>2</pdfaid:part>")
        && xmp.contains("<pdfaid:conformance>A</pdfaid:conformance>"))
    {
        say("no PDF/A-2a identification in the XMP metadata");
    }
    let intent_profile = get(catalog, b"OutputIntents").and_then(|o| {
        let first = o.as_array().ok()?.first()?.clone();
        let first = match first {
            Object::Reference(id) => doc.get_object(id).ok()?.clone(),
            v => v,
        };
        let dict = first.as_dict().ok()?;
        let s = dict.get(b"S").ok()?.as_name().ok()?.to_vec();
        let profile = dict.get(b"DestOutputProfile").ok()?.as_reference().ok()?;
        let stream = doc.get_object(profile).ok()?.as_stream().ok()?.clone();
        (s == b"GTS_PDFA1").then_some(stream)
    });
    match intent_profile {
        Some(mut stream) => {
            let _ = stream.decompress();
            if stream.content.len() < 128 || &stream.content[36..40] != b"acsp" {
                say("the output intent's profile is not an ICC profile");
            }
        }
        None => say("no PDF/A output intent"),
    }
    // Every font embedded.
    for object in doc.objects.values() {
        if let Ok(dict) = object.as_dict() {
            if dict.get(b"Type").and_then(|t| t.as_name()).ok()
                == Some(b"FontDescriptor".as_slice())
                && !["FontFile", "FontFile2", "FontFile3"]
                    .iter()
                    .any(|k| dict.get(k.as_bytes()).is_ok())
            {
                say("a font is not embedded");
            }
        }
    }
    // The signature field.
    let fields = get(catalog, b"AcroForm")
        .and_then(|a| {
            a.as_dict()
                .ok()
                .and_then(|d| d.get(b"Fields").ok().cloned())
        })
        .and_then(|f| f.as_array().ok().cloned())
        .unwrap_or_default();
    let sig = fields.iter().find_map(|f| {
        let dict = doc
            .get_object(f.as_reference().ok()?)
            .ok()?
            .as_dict()
            .ok()?
            .clone();
        (dict.get(b"FT").ok()?.as_name().ok()? == b"Sig").then_some(dict)
    });
    match sig {
        None => say("no signature field"),
        Some(sig) => {
            if sig.get(b"V").is_ok() {
                say("the signature field is already signed");
            }
            if sig.get(b"AP").is_err() {
                say("the signature field has no appearance");
            }
            if sig.get(b"F").and_then(|f| f.as_i64()).ok() != Some(4) {
                say("the signature field is not printed (/F 4)");
            }
            if sig.get(b"TU").is_err() || sig.get(b"StructParent").is_err() {
                say("the signature field has no name for assistive tools or is out of the structure");
            }
        }
    }
    // As poppler reads the structure: the footer is not in it, tables have
    // header cells.
    let out = Command::new(tool("pdfinfo"))
        .arg("-struct-text")
        .arg(pdf)
        .output()
        .unwrap();
    let tree = String::from_utf8_lossy(&out.stdout);
    if !tree.starts_with("Document") {
        say("poppler finds no structure");
    }
    if tree.contains("Page 1 /") {
        say("the page number is in the structure, not an artefact");
    }
    if tree.contains("TR") && !tree.contains("/Scope /Column") {
        say("a table without header cells");
    }
    problems
}

#[test]
fn documents_are_tagged_pdf_a_with_a_signature_field_and_each_check_can_fail() {
    let project = project_with(None);
    let pdf = project.path().join("cas3.pdf");
    let (code, _, stderr) = run_binary(
        project.path(),
        &["attestation", "cas3", "-o", pdf.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(acceptability_problems(&pdf), Vec::<String>::new());
    let info = pdfinfo(&pdf);
    assert!(info.contains("Tagged:          yes"), "{info}");
    assert!(info.contains("Form:            AcroForm"), "{info}");
    // poppler's signature tool sees the field, unsigned.
    let out = Command::new(tool("pdfsig")).arg(&pdf).output().unwrap();
    let sigs = String::from_utf8_lossy(&out.stdout);
    assert!(
        sigs.contains("Signature Field Name: Signature1") && sigs.contains("not signed"),
        "{sigs}"
    );
    let convention = project.path().join("convention.pdf");
    let (code, _, stderr) = run_binary(
        project.path(),
        &["convention", "cas3", "-o", convention.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(acceptability_problems(&convention), Vec::<String>::new());
    // A numbered item has its number as its label, no bullet before it.
    let text = squash(&pdftotext(&convention));
    assert!(
        text.contains("1. L'Éditeur s'engage à documenter"),
        "{text}"
    );
    assert!(!text.contains("• 1.") && !text.contains("• 2."), "{text}");

    // Each property broken once, on a copy: the check says so.
    use lopdf::{Dictionary, Object};
    let break_with = |name: &str, change: &dyn Fn(&mut lopdf::Document)| -> Vec<String> {
        let mut doc = lopdf::Document::load(&pdf).unwrap();
        change(&mut doc);
        let broken = project.path().join(format!("broken-{name}.pdf"));
        doc.save(&broken).unwrap();
        acceptability_problems(&broken)
    };
    fn catalog(doc: &mut lopdf::Document) -> &mut Dictionary {
        let id = doc.trailer.get(b"Root").unwrap().as_reference().unwrap();
        doc.get_object_mut(id).unwrap().as_dict_mut().unwrap()
    }
    for (name, key, expected) in [
        ("lang", "Lang", "catalog /Lang is not fr-FR"),
        ("marked", "MarkInfo", "not marked (/MarkInfo /Marked true)"),
        (
            "title",
            "ViewerPreferences",
            "title not shown in the window (/DisplayDocTitle)",
        ),
        ("tree", "StructTreeRoot", "no structure tree"),
        (
            "xmp",
            "Metadata",
            "no PDF/A-2a identification in the XMP metadata",
        ),
        ("intent", "OutputIntents", "no PDF/A output intent"),
        ("form", "AcroForm", "no signature field"),
    ] {
        let problems = break_with(name, &|doc| {
            catalog(doc).remove(key.as_bytes());
        });
        assert!(
            problems.iter().any(|p| p == expected),
            "{name}: {problems:?}"
        );
    }
    let fonts = break_with("font", &|doc| {
        for object in doc.objects.values_mut() {
            if let Ok(dict) = object.as_dict_mut() {
                dict.remove(b"FontFile2");
            }
        }
    });
    assert!(
        fonts.iter().any(|p| p == "a font is not embedded"),
        "{fonts:?}"
    );
    fn field(doc: &mut lopdf::Document) -> &mut Dictionary {
        let id = doc
            .objects
            .iter()
            .find(|(_, o)| o.as_dict().is_ok_and(|d| d.get(b"FT").is_ok()))
            .map(|(id, _)| *id)
            .unwrap();
        doc.get_object_mut(id).unwrap().as_dict_mut().unwrap()
    }
    for (name, change, expected) in [
        (
            "ap",
            &(|d: &mut Dictionary| {
                d.remove(b"AP");
            }) as &dyn Fn(&mut Dictionary),
            "the signature field has no appearance",
        ),
        (
            "print",
            &|d: &mut Dictionary| d.set("F", Object::Integer(0)),
            "the signature field is not printed (/F 4)",
        ),
        (
            "signed",
            &|d: &mut Dictionary| d.set("V", Object::Null),
            "the signature field is already signed",
        ),
        (
            "tu",
            &|d: &mut Dictionary| {
                d.remove(b"TU");
            },
            "the signature field has no name for assistive tools or is out of the structure",
        ),
    ] {
        let problems = break_with(name, &|doc| change(field(doc)));
        assert!(
            problems.iter().any(|p| p == expected),
            "{name}: {problems:?}"
        );
    }
}

/// Every dotted line left to fill says what goes on it.
#[test]
fn attestation_blanks_are_labelled() {
    let text = std::fs::read_to_string(fixture().join("data/candidatures/cas3.yaml")).unwrap();
    let text: String = text
        .lines()
        .filter(|l| !l.contains("representant_legal") && !l.starts_with("signature:"))
        .map(|l| format!("{l}\n"))
        .collect();
    let project = project_with(Some(("cas3", &text)));
    let pdf = project.path().join("cas3.pdf");
    let (code, _, stderr) = run_binary(
        project.path(),
        &["attestation", "cas3", "-o", pdf.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{stderr}");
    let text = squash(&pdftotext(&pdf));
    for label in ["(prénom et nom)", "(qualité)", "(lieu)", "(date)"] {
        assert!(
            text.contains(&format!("…………………………… {label}")),
            "{label}: {text}"
        );
    }
    let dots = text.matches("……………………………").count();
    let labelled = text.matches("…………………………… (").count();
    assert_eq!(dots, labelled, "{text}");
}

/// The ANS's own wording: a project's `templates/attestation.md.tera`
/// replaces the built-in text; the signature field goes where it says.
#[test]
fn the_attestation_text_is_a_template_a_project_overrides() {
    let project = project_with(None);
    std::fs::create_dir_all(project.path().join("templates")).unwrap();
    std::fs::write(
        project.path().join("templates/attestation.md.tera"),
        "# ATTESTATION (MODÈLE ANS)\n\nTexte officiel signé par {{ nom }} pour {{ solution.nom }}.\n\n[[signature]]\n\nFin du modèle.\n",
    )
    .unwrap();
    let pdf = project.path().join("cas3.pdf");
    let (code, _, stderr) = run_binary(
        project.path(),
        &["attestation", "cas3", "-o", pdf.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{stderr}");
    let text = squash(&pdftotext(&pdf));
    assert!(text.contains("ATTESTATION (MODÈLE ANS)"), "{text}");
    assert!(
        text.contains("Texte officiel signé par Mme Claire Martin pour Alpha DUI."),
        "{text}"
    );
    assert!(
        text.contains("Cachet de l'entreprise Signature Fin du modèle."),
        "{text}"
    );
    assert!(!text.contains("atteste sur l'honneur"), "{text}");
    assert_eq!(acceptability_problems(&pdf), Vec::<String>::new());
}

/// A value is inline text: a multi-line company name cannot add a heading,
/// a rule, a list or a code block to the legal drafts.
#[test]
fn a_multi_line_value_adds_no_structure_to_the_drafts() {
    let text = std::fs::read_to_string(fixture().join("data/candidatures/cas3.yaml")).unwrap();
    let hostile = "raison_sociale: \"Alpha\\n\\nArticle 99 — Clause ajoutée\\n==========\\n\\n- puce\\n\\n    code\\n\\n1. liste\"";
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("raison_sociale:"))
        .unwrap();
    let indent = &line[..line.len() - line.trim_start().len()];
    let text = text.replacen(line, &format!("{indent}{hostile}"), 1);
    let project = project_with(Some(("cas3", &text)));
    let md = project.path().join("convention.md");
    let (code, _, stderr) = run_binary(
        project.path(),
        &["convention", "cas3", "-o", md.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{stderr}");
    let markdown = std::fs::read_to_string(&md).unwrap();
    let html = segurdoc::render::markdown::document_html(&markdown);
    assert!(html.contains("Article 99 — Clause ajoutée"), "{html}");
    for tag in [
        "<h1>Article 99",
        "<h2>Article 99",
        "<pre>",
        "<li>puce",
        "<li>liste",
    ] {
        assert!(!html.contains(tag), "{tag} in {html}");
    }
    assert!(
        !markdown.lines().any(|l| l.starts_with("==========")),
        "{markdown}"
    );
    let pdf = project.path().join("attestation.pdf");
    let (code, _, stderr) = run_binary(
        project.path(),
        &["attestation", "cas3", "-o", pdf.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{stderr}");
    let tree = String::from_utf8_lossy(
        &Command::new(tool("pdfinfo"))
            .arg("-struct-text")
            .arg(&pdf)
            .output()
            .unwrap()
            .stdout,
    )
    .into_owned();
    assert!(!tree.contains("H1 (block)\n    \"Article 99"), "{tree}");
    assert_eq!(tree.matches("H1 (block)").count(), 1, "{tree}");
}
