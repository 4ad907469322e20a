//! Benchmarks of the documents on one core: attestation sur l'honneur and
//! convention PDFs per second, on the candidatures of a generated project
//! (two commercial names each, a new component for one in three).
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use segurdoc::corpus::{generate, Spec};
use segurdoc::model::EquivalenceIndex;

fn documents(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let spec = Spec {
        dispositifs: 4,
        proofs: 300,
        releases: 1,
        candidatures: 12,
        pages: 0,
    };
    generate(dir.path(), &spec).unwrap();
    let project = segurdoc::check_project(dir.path()).unwrap().project;
    let index = EquivalenceIndex::new(&project.equivalences);
    let date = NaiveDate::from_ymd_opt(2026, 9, 21).unwrap();
    let outcomes: Vec<_> = project
        .candidatures
        .iter()
        .map(|c| {
            segurdoc::rules::evaluate(c, &project, &index, date.and_hms_opt(0, 0, 0).unwrap())
                .unwrap()
        })
        .collect();
    let mut diags = segurdoc::diag::Diagnostics::new();
    let templates = segurdoc::render::Templates::compile(&[], &mut diags).unwrap();
    // Warm the shared fonts (parsed and subset once per process).
    let _ =
        segurdoc::render::attestation::attestation(&templates, &outcomes[0], Some(date)).unwrap();

    let mut group = c.benchmark_group("documents (one core)");
    group.throughput(Throughput::Elements(outcomes.len() as u64));
    group.bench_function("attestation PDF", |b| {
        b.iter(|| {
            outcomes
                .iter()
                .map(|o| {
                    segurdoc::render::attestation::attestation(&templates, o, Some(date))
                        .unwrap()
                        .len()
                })
                .sum::<usize>()
        })
    });
    let drafts: Vec<String> = outcomes
        .iter()
        .map(|o| segurdoc::render::convention::markdown(&templates, o, date).unwrap())
        .collect();
    group.bench_function("convention PDF (from its Markdown)", |b| {
        b.iter(|| {
            outcomes
                .iter()
                .zip(&drafts)
                .map(|(o, md)| {
                    segurdoc::render::convention::pdf(md, o, date)
                        .unwrap()
                        .len()
                })
                .sum::<usize>()
        })
    });
    group.bench_function("convention Markdown + HTML", |b| {
        b.iter(|| {
            outcomes
                .iter()
                .map(|o| {
                    let md = segurdoc::render::convention::markdown(&templates, o, date).unwrap();
                    segurdoc::render::convention::html(&templates, &md, o)
                        .unwrap()
                        .len()
                })
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, documents);
criterion_main!(benches);
