//! Benchmarks of `segurdoc build`: rendering the sample site, the whole
//! build (load, validate, render, write) of the sample, and of a project of
//! 5,000 Markdown pages in `content/`.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

const EPOCH: &str = "1790000000";

/// A scratch folder on tmpfs when the machine has one (the targets of
/// BENCHMARKS.md are measured with the output on tmpfs: on this machine's
/// virtual disk, removing the previous 5,000-page output alone varies
/// from 1 to 4 s from one run to the next).
fn scratch() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        if let Ok(dir) = tempfile::tempdir_in(shm) {
            return dir;
        }
    }
    tempfile::tempdir().unwrap()
}

/// A project of `sections` × `per_section` Markdown pages, like a large
/// documentation set: headings, lists, a table, links between pages.
pub fn markdown_project(dir: &Path, sections: usize, per_section: usize) {
    for s in 0..sections {
        let section = dir.join(format!("content/rubrique-{s:02}"));
        std::fs::create_dir_all(&section).unwrap();
        std::fs::write(
            section.join("_index.md"),
            format!("---\ntitle: Rubrique {s}\nweight: {s}\n---\nLes pages de la rubrique {s}.\n"),
        )
        .unwrap();
        for p in 0..per_section {
            let next = (p + 1) % per_section;
            std::fs::write(
                section.join(format!("page-{p:03}.md")),
                format!(
                    "---\ntitle: Page {p} de la rubrique {s}\ndescription: Une page de documentation.\nweight: {p}\n---\n\
# Exigences du chapitre {p}\n\nLe logiciel **DOIT** permettre l'alimentation du DMP ; voir la [page suivante](page-{next:03}.md).\n\n\
## Scénario de conformité\n\n1. Créer un usager avec une identité qualifiée (INS).\n2. Produire un document CDA R2 N1.\n3. Vérifier l'envoi au DMP.\n\n\
| Preuve | Source |\n|---|---|\n| Capture d'écran | Convergence |\n| Certificat d'homologation | CNDA |\n\n\
> Les preuves dérogatoires sont acceptées jusqu'à la Date 3.\n\n\
Texte courant : la solution logicielle, composée d'un composant principal et de composants additionnels, \
est référencée sous plusieurs noms commerciaux. {}\n",
                    "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(8)
                ),
            )
            .unwrap();
        }
    }
}

fn copy_sample(to: &Path) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for sub in ["data", "content"] {
        for entry in walkdir::WalkDir::new(repo.join(sub)) {
            let entry = entry.unwrap();
            let target = to.join(entry.path().strip_prefix(repo).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&target).unwrap();
            } else {
                std::fs::copy(entry.path(), &target).unwrap();
            }
        }
    }
}

fn sample(c: &mut Criterion) {
    let dir = scratch();
    copy_sample(dir.path());
    let checked = segurdoc::check_project(dir.path()).unwrap();
    let date = segurdoc::site::build_date(&checked.project, Some(EPOCH)).unwrap();
    let mut diags = segurdoc::diag::Diagnostics::new();
    let pages = segurdoc::site::render(&checked.project, date, &mut diags)
        .unwrap()
        .page_count();

    let mut group = c.benchmark_group("sample");
    group.throughput(Throughput::Elements(pages as u64));
    group.bench_function("render", |b| {
        b.iter(|| {
            let mut diags = segurdoc::diag::Diagnostics::new();
            segurdoc::site::render(&checked.project, date, &mut diags).unwrap()
        })
    });
    let out = dir.path().join("output");
    group.bench_function("build (load, validate, render, write)", |b| {
        b.iter(|| segurdoc::build_project(dir.path(), &out, Some(EPOCH)).unwrap())
    });
    group.finish();
}

fn markdown_5000(c: &mut Criterion) {
    let dir = scratch();
    markdown_project(dir.path(), 50, 100);
    let out = dir.path().join("output");
    let pages = segurdoc::build_project(dir.path(), &out, Some(EPOCH))
        .unwrap()
        .site
        .page_count();
    let mut group = c.benchmark_group("markdown-5000");
    group.sample_size(10);
    group.throughput(Throughput::Elements(pages as u64));
    group.bench_function("build (load, validate, render, write)", |b| {
        b.iter(|| segurdoc::build_project(dir.path(), &out, Some(EPOCH)).unwrap())
    });
    group.finish();
}

criterion_group!(benches, sample, markdown_5000);
criterion_main!(benches);
