//! Benchmark of REM ingestion: one release of 30,000 proofs (10,000
//! requirements) read from the long layout (CSV), and from the published
//! layout (one row per scenario, Squash HTML with entities, no `Source`, so
//! every proof's guichet is inferred) in CSV and XLSX.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use segurdoc::corpus::{generate, Spec};
use segurdoc::diag::Diagnostics;
use segurdoc::ingest::rem::{parse_rem, Layout};
use segurdoc::render::rem_file;

fn ingest(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let spec = Spec {
        dispositifs: 1,
        proofs: 30_000,
        releases: 1,
        candidatures: 0,
        pages: 0,
    };
    generate(dir.path(), &spec).unwrap();
    let rem_dir = walkdir::WalkDir::new(dir.path().join("data/rem"))
        .into_iter()
        .filter_map(Result::ok)
        .find(|e| e.file_type().is_file())
        .unwrap();
    let path = rem_dir.path().to_owned();
    let long = std::fs::read(&path).unwrap();
    let file: Arc<str> = Arc::from(path.to_string_lossy().as_ref());
    let read = |bytes: &[u8], path: &Path| {
        let mut diags = Diagnostics::new();
        let rem = parse_rem(&file, path, bytes, &mut diags).unwrap();
        assert!(!diags.has_errors(), "{}", diags.render());
        rem
    };
    let rem = read(&long, &path);
    assert!(rem.rows.len() >= 29_000);
    // The published layout without Source: strip the stated sources first.
    let mut rows = rem.rows.clone();
    for r in &mut rows {
        r.source = segurdoc::model::Source::Convergence;
        r.source_inferred = false;
    }
    let published = rem_file::records(&rows, Layout::Publiee);
    let csv_path = path.with_extension("csv");
    let published_csv = rem_file::csv(&published, rem_file::Encoding::Utf8);
    let xlsx_path = path.with_extension("xlsx");
    let published_xlsx = rem_file::xlsx(&published).unwrap();
    assert_eq!(read(&published_csv, &csv_path).rows.len(), rem.rows.len());
    assert_eq!(read(&published_xlsx, &xlsx_path).rows.len(), rem.rows.len());

    let mut group = c.benchmark_group("REM ingestion (30,000 proofs)");
    group.sample_size(20);
    group.throughput(Throughput::Elements(rem.rows.len() as u64));
    group.bench_function("long layout, CSV", |b| {
        b.iter(|| read(&long, &path).rows.len())
    });
    group.bench_function("published layout, CSV", |b| {
        b.iter(|| read(&published_csv, &csv_path).rows.len())
    });
    group.bench_function("published layout, XLSX", |b| {
        b.iter(|| read(&published_xlsx, &xlsx_path).rows.len())
    });
    group.finish();
}

criterion_group!(benches, ingest);
criterion_main!(benches);
