//! Benchmarks of the proof engine on a generated project of 20 dispositifs ×
//! 1,500 proofs × 2 releases: the engine alone on one candidature, and what
//! `segurdoc preuves` does (load what the candidature needs, check it, run
//! the engine, write JSON).
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion};
use segurdoc::corpus::{generate, Spec};
use segurdoc::ingest::{load_scoped, Scope};
use segurdoc::model::EquivalenceIndex;

fn engine(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let spec = Spec {
        dispositifs: 20,
        proofs: 1500,
        releases: 2,
        candidatures: 60,
        pages: 0,
    };
    generate(dir.path(), &spec).unwrap();
    let reference = NaiveDate::from_ymd_opt(2026, 6, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    let project = segurdoc::check_project(dir.path()).unwrap().project;
    let index = EquivalenceIndex::new(&project.equivalences);
    // cand-00000: heritage, equivalence, a new component, two names.
    let candidature = project.candidature("cand-00000").unwrap();

    let mut group = c.benchmark_group("engine (20 × 1,500 proofs)");
    group.bench_function("evaluate one candidature", |b| {
        b.iter(|| segurdoc::rules::evaluate(candidature, &project, &index, reference).unwrap())
    });
    group.bench_function("evaluate all 60 candidatures", |b| {
        b.iter(|| {
            project
                .candidatures
                .iter()
                .map(|c| {
                    segurdoc::rules::evaluate(c, &project, &index, reference)
                        .unwrap()
                        .a_deposer
                        .len()
                })
                .sum::<usize>()
        })
    });
    let file = dir.path().join("data/candidatures/cand-00000.yaml");
    group.bench_function("preuves: load, check, evaluate, JSON", |b| {
        b.iter(|| {
            let loaded = load_scoped(dir.path(), &Scope::Candidature(file.clone())).unwrap();
            let mut diags = loaded.diagnostics;
            segurdoc::validate::validate_scoped(&loaded.project, &mut diags);
            let index = EquivalenceIndex::new(&loaded.project.equivalences);
            let c = &loaded.project.candidatures[0];
            segurdoc::validate::candidature(&loaded.project, &index, c, &mut diags);
            assert!(!diags.has_errors());
            let outcome = segurdoc::rules::evaluate(c, &loaded.project, &index, reference).unwrap();
            segurdoc::render::preuves::json(&outcome).len()
        })
    });
    group.finish();
}

criterion_group!(benches, engine);
criterion_main!(benches);
