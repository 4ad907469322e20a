#!/usr/bin/env bash
# Times whole segurdoc commands (and Hugo on the same Markdown pages) with
# /usr/bin/time -v, output on tmpfs, runs alternated, medians of RUNS runs,
# and prints a Markdown table (paste it into BENCHMARKS.md).
#
#   scripts/bench.sh              # needs hugo (apt-get install hugo) for the head-to-head
#   RUNS=7 WORK=/dev/shm/x scripts/bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
WORK=${WORK:-/dev/shm/segurdoc-bench}
BIN=$PWD/target/release/segurdoc
cargo build --release --quiet
rm -rf "$WORK"
mkdir -p "$WORK"

# Corpora, valid by construction.
"$BIN" corpus "$WORK/pages" --dispositifs 0 --candidatures 0 --pages 5000
"$BIN" corpus "$WORK/national" --dispositifs 20 --preuves 1500 --publications 2 --candidatures 2000
"$BIN" corpus "$WORK/diff" --dispositifs 1 --preuves 30000 --publications 2 --candidatures 0
# The national corpus with fewer candidatures, for how memory grows.
for k in 500 1000; do
    "$BIN" corpus "$WORK/national-$k" --dispositifs 20 --preuves 1500 --publications 2 --candidatures "$k"
done

# The same 5,000 pages as a Hugo site, with minimal layouts.
HUGO_SITE="$WORK/hugo"
mkdir -p "$HUGO_SITE/layouts/_default"
cp -r "$WORK/pages/content" "$HUGO_SITE/content"
cat > "$HUGO_SITE/config.toml" <<'TOML'
baseURL = "https://corpus.exemple.fr/"
languageCode = "fr"
title = "Corpus"
disableKinds = ["taxonomy", "term", "RSS"]
TOML
cat > "$HUGO_SITE/layouts/_default/baseof.html" <<'HTML'
<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><nav>{{ range .Site.Sections }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ end }}</nav><main>{{ block "main" . }}{{ end }}</main></body></html>
HTML
cat > "$HUGO_SITE/layouts/_default/single.html" <<'HTML'
{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}
HTML
cat > "$HUGO_SITE/layouts/_default/list.html" <<'HTML'
{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
HTML

# measure NAME COMMAND...: one run, appends "name wall user sys rss_kb" to $WORK/runs.
measure() {
    local name=$1; shift
    /usr/bin/time -v -o "$WORK/time.txt" "$@" >/dev/null 2>"$WORK/err.txt" || true
    awk -v n="$name" '
        /Elapsed \(wall clock\)/ { split($NF, t, ":"); w = (length(t) == 3) ? t[1]*3600 + t[2]*60 + t[3] : t[1]*60 + t[2] }
        /User time/ { u = $NF } /System time/ { s = $NF } /Maximum resident/ { r = $NF }
        END { printf "%s %.3f %.2f %.2f %d\n", n, w, u, s, r }' "$WORK/time.txt" >> "$WORK/runs"
}

: > "$WORK/runs"
for i in $(seq "$RUNS"); do
    rm -rf "$WORK/out-pages" "$WORK/hugo/public"
    measure "segurdoc build, 5,000 Markdown pages" "$BIN" build --project "$WORK/pages" --output "$WORK/out-pages"
    if command -v hugo >/dev/null; then
        measure "hugo, the same 5,000 pages" hugo --quiet --source "$HUGO_SITE" --destination "$WORK/hugo/public"
    fi
    rm -rf "$WORK/out-national"
    measure "segurdoc build, national corpus" "$BIN" build --project "$WORK/national" --output "$WORK/out-national"
    rm -rf "$WORK/copy"
    measure "cp -r of that output tree" cp -r "$WORK/out-national" "$WORK/copy"
    measure "segurdoc build, national corpus, over its previous output" "$BIN" build --project "$WORK/national" --output "$WORK/out-national"
    measure "segurdoc check, national corpus" "$BIN" check --project "$WORK/national"
    measure "segurdoc preuves, one candidature of it" "$BIN" preuves cand-00007 --project "$WORK/national" --format json
    measure "segurdoc diff, two 30,000-row releases" "$BIN" diff "$WORK/diff/data/rem/DSP-01/1.0.csv" "$WORK/diff/data/rem/DSP-01/2.0.csv" --format json
done

# Peak memory against the number of candidatures (one run each).
for k in 500 1000; do
    rm -rf "$WORK/out-$k"
    measure "segurdoc build, national corpus with $k candidatures" "$BIN" build --project "$WORK/national-$k" --output "$WORK/out-$k"
    rm -rf "$WORK/out-$k"
done

echo "| command | median wall (s) | user (s) | sys (s) | peak RSS (MB) |"
echo "|---|---:|---:|---:|---:|"
python3 - "$WORK/runs" <<'PY'
import sys, statistics, collections
runs = collections.OrderedDict()
for line in open(sys.argv[1]):
    *name, w, u, s, r = line.split()
    runs.setdefault(" ".join(name), []).append((float(w), float(u), float(s), int(r)))
for name, rs in runs.items():
    med = lambda i: statistics.median(x[i] for x in rs)
    print(f"| {name} | {med(0):.3f} | {med(1):.2f} | {med(2):.2f} | {med(3) / 1024:.0f} |")
PY
