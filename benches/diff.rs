//! Benchmark of the REM diff: two releases of 30,000 rows (10,000
//! requirements; one in 50 added and one in 10 reworded between them).
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use criterion::{criterion_group, criterion_main, Criterion};
use segurdoc::corpus::{generate, Spec};

fn diff(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let spec = Spec {
        dispositifs: 1,
        proofs: 30_000,
        releases: 2,
        candidatures: 0,
        pages: 0,
    };
    generate(dir.path(), &spec).unwrap();
    let project = segurdoc::check_project(dir.path()).unwrap().project;
    let releases = project.rems.values().next().unwrap();
    let (old, new) = (&releases[0], &releases[1]);
    assert!(old.rows.len() > 29_000 && new.rows.len() > 29_000);
    let d = segurdoc::diff::diff_releases(old, new);
    assert!(!d.modified.is_empty() && !d.added.is_empty());

    let mut group = c.benchmark_group("diff (30,000 rows)");
    group.sample_size(20);
    group.bench_function("diff two releases", |b| {
        b.iter(|| segurdoc::diff::diff_releases(old, new))
    });
    group.bench_function("diff + JSON", |b| {
        b.iter(|| segurdoc::render::diff::json(&segurdoc::diff::diff_releases(old, new)).len())
    });
    group.finish();
}

criterion_group!(benches, diff);
criterion_main!(benches);
