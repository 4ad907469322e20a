//! The search: an index split so that a query loads only what it needs,
//! and a page listing every dispositif's numbers for readers without
//! JavaScript.
//!
//! `search-index.json` keeps the whole index (for tools). The pages load
//! `search/` instead, as scripts (a `file://` page can load a script, not
//! fetch a file):
//!
//! - `search/manifest.js`: the groups (general pages, then each
//!   dispositif) and where each group's entries start;
//! - `search/t/<xy>.js`: the words starting with `xy`, each with the
//!   entries holding it (`w`) and those whose title holds it (`t`), as
//!   delta-encoded entry numbers; a file above 48 KB keeps only the word
//!   `xy` itself and names the files one character longer (`xy0`, `xya`…)
//!   that hold the others;
//! - `search/d/<n>.js`: entries `CHUNK * n ..`, never across two groups.
//!
//! A query loads the manifest, one word file per word typed, then the
//! chunks of the results it shows. Words are folded (case and accents) and
//! cut as [`tokens`] says; `site.js` cuts a query the same way.

use super::*;

/// An entry of the search index; short keys keep the file small.
#[derive(Serialize)]
struct SearchEntry {
    /// Title (an ID for requirements and proofs).
    t: String,
    /// URL from the site root.
    u: String,
    /// Kind.
    k: &'static str,
    /// Dispositif.
    #[serde(skip_serializing_if = "Option::is_none")]
    d: Option<String>,
    /// Excerpt.
    x: String,
}

/// Entries per chunk file: a chunk of REM proofs is about 25 KB.
const CHUNK: usize = 128;

/// Words too common to find anything: a query ignores them too.
const STOP_WORDS: &[&str] = &[
    "au", "aux", "avec", "ce", "ces", "cette", "dans", "de", "des", "du", "elle", "en", "est",
    "et", "il", "la", "le", "les", "leur", "leurs", "ne", "ou", "par", "pas", "pour", "qu", "que",
    "qui", "sa", "se", "ses", "son", "sont", "sur", "un", "une",
];

/// The words of `text` as the search knows them: folded (lower case, no
/// accent), cut at every character that is neither a letter, a digit, nor
/// one of `. - _` inside a word. A word with those separators (an ID such as
/// `DUI.INS.01.01`, `MS-DUI`) is kept whole, and also gives its parts and
/// its tails that start with a letter (`ins.01.01`), so that a reader
/// typing part of an ID finds it. Words of one character, stop words and
/// parts made of digits only are left out.
pub(crate) fn tokens(text: &str) -> Vec<String> {
    let folded = crate::text::fold_key(text);
    let mut out: Vec<String> = Vec::new();
    let push = |w: &str, out: &mut Vec<String>| {
        if w.chars().count() >= 2 && !STOP_WORDS.contains(&w) && !out.iter().any(|o| o == w) {
            out.push(w.to_owned());
        }
    };
    let is_sep = |c: char| matches!(c, '.' | '-' | '_');
    for word in folded.split(|c: char| !(c.is_alphanumeric() || is_sep(c))) {
        let word = word.trim_matches(is_sep);
        if word.is_empty() {
            continue;
        }
        push(word, &mut out);
        if word.contains(is_sep) {
            for part in word.split(is_sep) {
                if !part.chars().all(|c| c.is_ascii_digit()) {
                    push(part, &mut out);
                }
            }
            for (i, c) in word.char_indices() {
                if is_sep(c) {
                    let tail = word[i + 1..].trim_start_matches(is_sep);
                    if tail.starts_with(char::is_alphabetic) {
                        push(tail, &mut out);
                    }
                }
            }
        }
    }
    out
}

/// A character of a word file's name: itself when an ASCII letter or
/// digit, `_` otherwise.
fn file_char(c: char) -> char {
    if c.is_ascii_alphanumeric() {
        c
    } else {
        '_'
    }
}

/// The file name of the words starting with the `n` first characters of
/// `word`.
pub(crate) fn shard_of(word: &str, n: usize) -> String {
    word.chars().take(n).map(file_char).collect()
}

/// A word file larger than this is split by the next character.
const SHARD_LIMIT: usize = 48 * 1024;

/// One word file: the words of its prefix, and the prefixes one character
/// longer that have their own file.
#[derive(Serialize)]
struct WordFile<'a> {
    w: &'a BTreeMap<String, Postings>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    c: Vec<String>,
}

/// Writes the word file `key` (the words starting with it); above
/// [`SHARD_LIMIT`] the words longer than `key` go to one file per next
/// character, named in `c`, recursively. A prefix shorter than every file
/// below it (a reader typing « d1 » when thousands of IDs start so) finds
/// only the words of that file: `site.js` says so.
fn word_files(key: String, words: BTreeMap<String, Postings>, files: &mut Vec<OutputFile>) {
    let depth = key.chars().count();
    let whole = json(&WordFile {
        w: &words,
        c: Vec::new(),
    });
    if whole.len() <= SHARD_LIMIT || !words.keys().any(|w| w.chars().count() > depth) {
        files.push(OutputFile {
            path: format!("search/t/{key}.js"),
            bytes: script("t", &key, &whole),
        });
        return;
    }
    let mut here = BTreeMap::new();
    let mut below: BTreeMap<String, BTreeMap<String, Postings>> = BTreeMap::new();
    for (w, p) in words {
        match w.chars().nth(depth) {
            None => {
                here.insert(w, p);
            }
            Some(c) => {
                below
                    .entry(format!("{key}{}", file_char(c)))
                    .or_default()
                    .insert(w, p);
            }
        }
    }
    let body = json(&WordFile {
        w: &here,
        c: below.keys().cloned().collect(),
    });
    files.push(OutputFile {
        path: format!("search/t/{key}.js"),
        bytes: script("t", &key, &body),
    });
    for (k, w) in below {
        word_files(k, w, files);
    }
}

/// Postings of one word: entry numbers, ascending, delta-encoded.
#[derive(Default, Serialize)]
struct Postings {
    /// Entries holding the word.
    w: Vec<usize>,
    /// Entries whose title holds it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    t: Vec<usize>,
}

fn push_posting(list: &mut Vec<usize>, entry: usize) {
    if list.last() != Some(&entry) {
        list.push(entry);
    }
}

fn delta(list: &mut [usize]) {
    for i in (1..list.len()).rev() {
        list[i] -= list[i - 1];
    }
}

/// A group of entries: the general pages (`code` empty), or a dispositif.
#[derive(Serialize)]
struct ManifestGroup {
    /// Dispositif code, empty for the general pages.
    c: String,
    /// Label shown above its results.
    n: String,
    /// First entry.
    s: usize,
}

#[derive(Serialize)]
struct Manifest<'a> {
    groups: &'a [ManifestGroup],
    /// Entries in all.
    total: usize,
    chunk: usize,
}

fn script(kind: &str, key: &str, json: &str) -> Vec<u8> {
    // A key is ASCII letters, digits and `_`: nothing to escape.
    format!("segurdocSearch({kind:?},{key:?},{json});\n").into_bytes()
}

impl Plan<'_> {
    /// The search index files and the page `recherche/index.html`.
    pub(super) fn search(&self) -> Result<Vec<OutputFile>, Diagnostic> {
        let (groups, entries) = self.search_entries();
        let mut words: BTreeMap<String, Postings> = BTreeMap::new();
        for (n, e) in entries.iter().enumerate() {
            for w in tokens(&e.t) {
                let p = words.entry(w).or_default();
                push_posting(&mut p.w, n);
                push_posting(&mut p.t, n);
            }
            for w in tokens(&e.x) {
                push_posting(&mut words.entry(w).or_default().w, n);
            }
        }
        let mut shards: BTreeMap<String, BTreeMap<String, Postings>> = BTreeMap::new();
        for (w, mut p) in words {
            delta(&mut p.w);
            delta(&mut p.t);
            shards.entry(shard_of(&w, 2)).or_default().insert(w, p);
        }

        let mut files = Vec::new();
        let manifest = Manifest {
            groups: &groups,
            total: entries.len(),
            chunk: CHUNK,
        };
        files.push(OutputFile {
            path: "search/manifest.js".to_owned(),
            bytes: script("m", "manifest", &json(&manifest)),
        });
        for (key, words) in shards {
            word_files(key, words, &mut files);
        }
        for (n, chunk) in entries.chunks(CHUNK).enumerate() {
            // The padding before the next group is not written.
            let end = chunk
                .iter()
                .rposition(|e| !e.k.is_empty())
                .map_or(0, |i| i + 1);
            files.push(OutputFile {
                path: format!("search/d/{n}.js"),
                bytes: script("d", &n.to_string(), &json(&chunk[..end])),
            });
        }
        let whole: Vec<&SearchEntry> = entries.iter().filter(|e| !e.k.is_empty()).collect();
        files.push(OutputFile {
            path: "search-index.json".to_owned(),
            bytes: json(&whole).into_bytes(),
        });
        files.push(self.search_page(&groups)?);
        Ok(files)
    }

    /// The entries, general pages first, then each dispositif's, with the
    /// groups they form. Chunks never straddle two groups: each group is
    /// padded to a multiple of [`CHUNK`] by starting the next one there.
    fn search_entries(&self) -> (Vec<ManifestGroup>, Vec<SearchEntry>) {
        let mut general = Vec::new();
        for g in self.guides.values() {
            general.push(SearchEntry {
                t: Self::guide_title(g),
                u: g.url(),
                k: "dispositif",
                d: None,
                x: g.dsr.map(|d| d.couloir.clone()).unwrap_or_default(),
            });
        }
        for (a, b) in self.index.pairs().keys() {
            general.push(SearchEntry {
                t: format!("Équivalences {a} et {b}"),
                u: format!("equivalences/{}", pair_file(a, b, "html")),
                k: "equivalence",
                d: None,
                x: String::new(),
            });
        }
        for p in &self.pages {
            general.push(SearchEntry {
                t: p.title.clone(),
                u: p.href.clone(),
                k: "page",
                d: None,
                x: p.page
                    .front
                    .description
                    .clone()
                    .unwrap_or_else(|| markdown::plain_text(&p.page.body, 160)),
            });
        }
        let mut groups = vec![ManifestGroup {
            c: String::new(),
            n: "Pages et dispositifs".to_owned(),
            s: 0,
        }];
        let mut entries = general;
        for g in self.guides.values() {
            let Some(rem) = g.current() else { continue };
            // Start the group on a chunk boundary.
            let start = entries.len().div_ceil(CHUNK) * CHUNK;
            let mut group = Vec::new();
            let dir = g.dir();
            let mut seen: BTreeSet<&str> = BTreeSet::new();
            for row in &rem.rows {
                if seen.insert(&row.exigence_id) {
                    group.push(SearchEntry {
                        t: row.exigence_id.clone(),
                        u: format!("{dir}{}", g.target(&row.exigence_id)),
                        k: "exigence",
                        d: Some(g.code.to_string()),
                        x: markdown::plain_text(&row.exigence, 160),
                    });
                }
                group.push(SearchEntry {
                    t: row.preuve_id.clone(),
                    u: format!("{dir}{}", g.target(&row.preuve_id)),
                    k: "preuve",
                    d: Some(g.code.to_string()),
                    x: markdown::plain_text(&row.preuve, 120),
                });
            }
            if group.is_empty() {
                continue;
            }
            // Padding entries are never a posting: an empty title and no
            // excerpt give no word.
            while entries.len() < start {
                entries.push(SearchEntry {
                    t: String::new(),
                    u: String::new(),
                    k: "",
                    d: None,
                    x: String::new(),
                });
            }
            groups.push(ManifestGroup {
                c: g.code.to_string(),
                n: Self::guide_title(g),
                s: start,
            });
            entries.extend(group);
        }
        (groups, entries)
    }

    /// `recherche/index.html`: the search box's page, and for readers
    /// without JavaScript, each dispositif's chapters and index of numbers.
    fn search_page(&self, groups: &[ManifestGroup]) -> Result<OutputFile, Diagnostic> {
        let path = "recherche/index.html";
        let root = root_of(path);
        let dispositifs = self
            .guides
            .values()
            .map(|g| SearchGuideView {
                code: g.code.to_string(),
                title: Self::guide_title(g),
                url: format!("{root}{}", g.url()),
                numbers_url: g.current().map(|_| format!("{root}{}#numeros", g.url())),
                chapters: g
                    .pages
                    .chapters
                    .iter()
                    .map(|(title, stem)| Link {
                        title: (*title).to_owned(),
                        url: format!("{root}{}{}/{stem}.html", g.dir(), g.pages.folder),
                    })
                    .collect(),
            })
            .collect();
        let pages = self
            .pages
            .iter()
            .map(|p| Link {
                title: p.title.clone(),
                url: format!("{root}{}", p.href),
            })
            .collect();
        let view = SearchPageView {
            layout: self.layout(
                path,
                "Rechercher",
                Some("Rechercher une exigence, une preuve ou une page de la documentation"),
                vec![Self::home_crumb()],
            ),
            dispositifs,
            pages,
            has_equivalences: !self.index.pairs().is_empty(),
            groups: groups.len(),
        };
        self.html("search.html", path.to_owned(), &view)
    }
}

/// JSON of a value that cannot fail to serialise (plain structs, strings,
/// numbers).
fn json<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_give_their_parts_and_tails() {
        assert_eq!(
            tokens("DUI.INS.01.01.02"),
            ["dui.ins.01.01.02", "dui", "ins", "ins.01.01.02"]
        );
        assert_eq!(tokens("MS-DUI"), ["ms-dui", "ms", "dui"]);
    }

    #[test]
    fn words_are_folded_and_stop_words_left_out() {
        assert_eq!(
            tokens("Récupération de l'INS, à partir de la carte Vitale."),
            ["recuperation", "ins", "partir", "carte", "vitale"]
        );
        assert_eq!(tokens("« Éditeur » — 2 x"), ["editeur"]);
    }

    #[test]
    fn shards_are_ascii_file_names() {
        assert_eq!(shard_of("dui.ins", 2), "du");
        assert_eq!(shard_of("œuvre", 2), "_u");
        assert_eq!(shard_of("a.", 2), "a_");
        assert_eq!(shard_of("d10.c02", 5), "d10_c");
    }

    #[test]
    fn large_word_files_split_by_the_next_character_until_small() {
        let mut words = BTreeMap::new();
        for n in 0..6000 {
            words.insert(
                format!("d10.c02.{n:04}.01.01"),
                Postings {
                    w: vec![n, 7],
                    t: vec![n],
                },
            );
        }
        words.insert("d1".to_owned(), Postings::default());
        let mut files = Vec::new();
        word_files("d1".to_owned(), words, &mut files);
        assert!(files.len() > 10, "{} files", files.len());
        let mut held = 0;
        for f in &files {
            let text = std::str::from_utf8(&f.bytes).unwrap();
            assert!(
                text.len() <= SHARD_LIMIT + 64,
                "{} is {} bytes",
                f.path,
                text.len()
            );
            let key = f
                .path
                .trim_start_matches("search/t/")
                .trim_end_matches(".js");
            let data: serde_json::Value = serde_json::from_str(
                &text[text.find(",{").unwrap() + 1..text.rfind(");").unwrap()],
            )
            .unwrap();
            for w in data["w"].as_object().unwrap().keys() {
                assert_eq!(shard_of(w, key.chars().count()), key, "{w} in {}", f.path);
                // Only the words of the file's own length stay above a split.
                if data.get("c").is_some() {
                    assert_eq!(w.chars().count(), key.chars().count());
                }
                held += 1;
            }
        }
        assert_eq!(held, 6001, "every word in exactly one file");
    }

    #[test]
    fn postings_are_delta_encoded() {
        let mut l = vec![3, 4, 9, 10];
        delta(&mut l);
        assert_eq!(l, [3, 1, 5, 1]);
    }
}
