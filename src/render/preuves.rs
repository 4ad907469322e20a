//! The proof engine's answer as JSON (FORMATS.md), CSV and a readable
//! checklist.

use std::fmt::Write as _;

use chrono::NaiveDateTime;
use serde::Serialize;

use crate::model::{DispositifCode, RemRow};
use crate::render::french;
use crate::rules::{Mask, Motif, Outcome};

/// `preuves --format json`.
#[derive(Debug, Serialize)]
pub struct PreuvesJson<'a> {
    /// Candidature id.
    pub candidature: &'a str,
    /// Dispositif code.
    pub dispositif: &'a str,
    /// Current REM release.
    pub rem_version: String,
    /// `Général` then the selected profiles.
    pub profils: Vec<&'a str>,
    /// Proofs to deposit.
    pub a_deposer: Vec<EntryJson<'a>>,
    /// Proofs not asked.
    pub masquees: Vec<MaskedJson<'a>>,
    /// Documents required.
    pub documents: Vec<&'static str>,
    /// Deadlines.
    pub echeances: Option<EcheancesJson>,
    /// Alerts.
    pub alertes: Vec<String>,
}

/// One proof to deposit.
#[derive(Debug, Serialize)]
pub struct EntryJson<'a> {
    /// Proof number.
    pub preuve: &'a str,
    /// Requirement ID.
    pub exigence: &'a str,
    /// Chapter.
    pub chapitre: &'a str,
    /// Profile.
    pub profil: &'a str,
    /// Périmètre.
    pub perimetre: &'static str,
    /// Guichet.
    pub source: &'static str,
    /// `true` when the guichet was inferred from the proof's text (the
    /// REM has no `Source`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub source_deduite: bool,
    /// `Obligatoire` or `Préconisée`, when the REM says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nature: Option<&'static str>,
    /// The requirement's text, as a reader sees it (no markup).
    pub texte_exigence: String,
    /// Scenario number.
    pub scenario: &'a str,
    /// The scenario's text, as a reader sees it.
    pub texte_scenario: String,
    /// The expected proof, as a reader sees it.
    pub texte_preuve: String,
    /// NIL, on CNDA-sourced entries.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nil: Option<&'a str>,
    /// `nominal` or `composant:<name>`.
    #[serde(serialize_with = "display")]
    pub motif: &'a Motif,
    /// Why it is due, in one French sentence.
    pub explication: String,
    /// Last instant a derogatory proof is accepted instead (CNDA
    /// homologation, EDC PSC habilitation; none after Date 3).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub derogatoire_jusqu_au: Option<Stamp>,
    /// What that derogatory proof must show at the next deadline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preuve_derogatoire: Option<&'static str>,
}

/// One proof not asked.
#[derive(Debug, Serialize)]
pub struct MaskedJson<'a> {
    /// Proof number.
    pub preuve: &'a str,
    /// Requirement ID.
    pub exigence: &'a str,
    /// Chapter.
    pub chapitre: &'a str,
    /// Profile.
    pub profil: &'a str,
    /// Périmètre.
    pub perimetre: &'static str,
    /// Guichet.
    pub source: &'static str,
    /// `true` when the guichet was inferred from the proof's text (the
    /// REM has no `Source`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub source_deduite: bool,
    /// `Obligatoire` or `Préconisée`, when the REM says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nature: Option<&'static str>,
    /// The requirement's text, as a reader sees it (no markup).
    pub texte_exigence: String,
    /// Scenario number.
    pub scenario: &'a str,
    /// The scenario's text, as a reader sees it.
    pub texte_scenario: String,
    /// The expected proof, as a reader sees it.
    pub texte_preuve: String,
    /// `heritage:<NRU>`, `equivalence:<NRU>` or `hors-edc-psc`.
    #[serde(serialize_with = "display")]
    pub motif: &'a Mask,
    /// Why it is not asked again, in one French sentence.
    pub explication: String,
    /// For a CNDA row: the NILs whose homologation is not asked again (R5b).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub nils: Vec<&'a str>,
    /// For équivalence: the common requirement, `CODE:ID`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exigence_commune: Option<Common<'a>>,
}

/// Serialises a value as its `Display` text, without an intermediate
/// `String` (2,000 checklists of 1,500 entries each in a national build).
fn display<T: std::fmt::Display, S: serde::Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(v)
}

/// A date and time written `YYYY-MM-DDTHH:MM`.
#[derive(Debug, Clone, Copy)]
pub struct Stamp(pub NaiveDateTime);

impl std::fmt::Display for Stamp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use chrono::{Datelike, Timelike};
        let d = self.0;
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}",
            d.year(),
            d.month(),
            d.day(),
            d.hour(),
            d.minute()
        )
    }
}

impl Serialize for Stamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The common requirement of an équivalence, written `CODE:ID`.
#[derive(Debug, Clone, Copy)]
pub struct Common<'a>(pub &'a DispositifCode, pub &'a str);

impl std::fmt::Display for Common<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.0, self.1)
    }
}

impl Serialize for Common<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Date 1–3 and the reference date.
#[derive(Debug, Serialize)]
pub struct EcheancesJson {
    /// Date 1.
    pub date1: String,
    /// Date 2.
    pub date2: String,
    /// Date 3.
    pub date3: String,
    /// The date they were evaluated against.
    pub date_reference: String,
}

/// The sentence explaining a motif.
fn explanation(o: &Outcome<'_>, motif: &Motif) -> String {
    motif.explain(o.candidature, o.racine)
}

/// The JSON view of an outcome.
pub fn json_view<'a>(o: &'a Outcome<'a>) -> PreuvesJson<'a> {
    let derogation = |row: &RemRow| o.echeances.and_then(|e| e.derogation(row));
    PreuvesJson {
        candidature: o.candidature.id.as_str(),
        dispositif: o.dispositif.code.as_str(),
        rem_version: o.rem.version.to_string(),
        profils: o.profils.iter().map(|p| p.as_str()).collect(),
        a_deposer: o
            .a_deposer
            .iter()
            .map(|e| EntryJson {
                preuve: &e.row.preuve_id,
                exigence: &e.row.exigence_id,
                chapitre: &e.row.chapitre,
                profil: e.row.profil.as_str(),
                perimetre: e.row.perimetre.as_str(),
                source: e.row.source.as_str(),
                source_deduite: e.row.source_inferred,
                nature: e.row.nature.map(|n| n.as_str()),
                texte_exigence: visible(&e.row.exigence),
                scenario: &e.row.scenario_id,
                texte_scenario: visible(&e.row.scenario),
                texte_preuve: visible(&e.row.preuve),
                nil: e.nil,
                motif: &e.motif,
                explication: explanation(o, &e.motif),
                derogatoire_jusqu_au: derogation(e.row).map(|d| Stamp(d.until)),
                preuve_derogatoire: derogation(e.row).map(|d| d.content_now()),
            })
            .collect(),
        masquees: o
            .masquees
            .iter()
            .map(|m| MaskedJson {
                preuve: &m.row.preuve_id,
                exigence: &m.row.exigence_id,
                chapitre: &m.row.chapitre,
                profil: m.row.profil.as_str(),
                perimetre: m.row.perimetre.as_str(),
                source: m.row.source.as_str(),
                source_deduite: m.row.source_inferred,
                nature: m.row.nature.map(|n| n.as_str()),
                texte_exigence: visible(&m.row.exigence),
                scenario: &m.row.scenario_id,
                texte_scenario: visible(&m.row.scenario),
                texte_preuve: visible(&m.row.preuve),
                motif: &m.mask,
                explication: m.mask.explain(&m.nils),
                nils: m.nils.clone(),
                exigence_commune: match &m.mask {
                    Mask::Equivalence { requirement, .. } => {
                        Some(Common(&requirement.0, &requirement.1))
                    }
                    _ => None,
                },
            })
            .collect(),
        documents: o.documents(),
        echeances: o.echeances.map(|e| EcheancesJson {
            date1: Stamp(e.date1).to_string(),
            date2: Stamp(e.date2).to_string(),
            date3: Stamp(e.date3).to_string(),
            date_reference: e.reference.format("%Y-%m-%d").to_string(),
        }),
        alertes: o.alertes.clone(),
    }
}

/// The fixed part of one REM row in the JSON and CSV lists (proof,
/// requirement, chapter, profile, périmètre, guichet, texts), escaped once per REM
/// and shared by every candidature's lists: a national build writes 2,000
/// lists of 1,500 entries from the same 1,500 rows.
#[derive(Debug, Clone)]
pub struct RowText {
    /// `    {` and the fixed fields, each line ended by `,\n`.
    json: String,
    /// The fixed fields, `;`-separated and quoted as the csv crate does.
    csv: String,
    /// The last columns but the explanation (nature, source inferred, the
    /// texts), `;`-separated, no line end.
    csv_tail: String,
    /// The requirement's, scenario's and expected proof's texts as a reader
    /// sees them (no markup), for the workbook.
    pub(crate) visible: [String; 3],
}

impl RowText {
    /// The fixed part of `row`.
    pub fn of(row: &RemRow) -> RowText {
        let mut json = String::from("    {\n");
        for (key, value) in [
            ("preuve", row.preuve_id.as_str()),
            ("exigence", row.exigence_id.as_str()),
            ("chapitre", row.chapitre.as_str()),
            ("profil", row.profil.as_str()),
            ("perimetre", row.perimetre.as_str()),
            ("source", row.source.as_str()),
        ] {
            field(&mut json, 6, key, value);
            json.push_str(",\n");
        }
        if row.source_inferred {
            json.push_str("      \"source_deduite\": true,\n");
        }
        if let Some(n) = row.nature {
            field(&mut json, 6, "nature", n.as_str());
            json.push_str(",\n");
        }
        let (exigence, scenario, preuve) = (
            visible(&row.exigence),
            visible(&row.scenario),
            visible(&row.preuve),
        );
        for (key, value) in [
            ("texte_exigence", exigence.as_str()),
            ("scenario", row.scenario_id.as_str()),
            ("texte_scenario", scenario.as_str()),
            ("texte_preuve", preuve.as_str()),
        ] {
            field(&mut json, 6, key, value);
            json.push_str(",\n");
        }
        let mut csv = csv_fields(&[
            &row.preuve_id,
            &row.exigence_id,
            &row.chapitre,
            row.profil.as_str(),
            row.perimetre.as_str(),
            row.source.as_str(),
        ]);
        csv.truncate(csv.trim_end_matches("\r\n").len());
        let mut csv_tail = csv_fields(&[
            row.nature.map_or("", |n| n.as_str()),
            if row.source_inferred { "oui" } else { "" },
            &exigence,
            &row.scenario_id,
            &scenario,
            &preuve,
        ]);
        csv_tail.truncate(csv_tail.trim_end_matches("\r\n").len());
        RowText {
            json,
            csv,
            csv_tail,
            visible: [exigence, scenario, preuve],
        }
    }
}

/// The fixed parts of a REM's rows.
pub type RowTexts<'a> = crate::model::PerRow<'a, RowText>;

/// The fixed parts of every row of `rem`.
pub fn row_texts(rem: &crate::model::Rem) -> RowTexts<'_> {
    crate::model::PerRow::new(rem, RowText::of)
}

/// A JSON string (quoted, escaped as serde_json escapes it), written
/// into `out` without an intermediate string.
fn string(out: &mut String, value: &str) {
    out.push('"');
    let mut start = 0;
    for (i, b) in value.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&value[start..i]);
        if escape.is_empty() {
            let _ = write!(out, "\\u{b:04x}");
        } else {
            out.push_str(escape);
        }
        start = i + 1;
    }
    out.push_str(&value[start..]);
    out.push('"');
}

/// A text as a reader sees it: markup removed, lines kept.
fn visible(raw: &str) -> String {
    crate::diff::visible_lines(raw)
}

/// `<indent>"key": "value"` (no line end).
fn field(out: &mut String, indent: usize, key: &str, value: &str) {
    out.extend(std::iter::repeat_n(' ', indent));
    string(out, key);
    out.push_str(": ");
    string(out, value);
}

/// One record of `fields`, `;`-separated, CRLF-terminated, quoted where
/// needed, by the csv crate.
fn csv_fields(fields: &[&str]) -> String {
    let mut bytes = Vec::new();
    {
        let mut w = csv_writer(&mut bytes);
        let _ = super::csv::record(&mut w, fields);
        let _ = w.flush();
    }
    String::from_utf8(bytes).unwrap_or_default()
}

fn csv_writer<W: std::io::Write>(out: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer(out)
}

/// The fixed part of `row`: from `texts` when given, else made now.
pub(crate) fn row_text<'t>(
    texts: Option<&'t RowTexts<'_>>,
    row: &RemRow,
    made: &'t mut Option<RowText>,
) -> &'t RowText {
    match texts.and_then(|t| t.get(row)) {
        Some(text) => text,
        None => made.insert(RowText::of(row)),
    }
}

/// About how many bytes the lists of `o` take, from the rows' fixed
/// parts in `texts` (`size` of each, with the rest of its entry), so that
/// the output is allocated once.
fn capacity(o: &Outcome<'_>, texts: Option<&RowTexts<'_>>, size: fn(&RowText) -> usize) -> usize {
    let rows = o
        .a_deposer
        .iter()
        .map(|e| e.row)
        .chain(o.masquees.iter().map(|m| m.row));
    rows.map(|row| texts.and_then(|t| t.get(row)).map_or(700, size))
        .sum()
}

/// `preuves --format json`, pretty-printed, with a final newline: exactly
/// serde_json's pretty output of [`json_view`] (a test holds it to that),
/// written directly.
pub fn json(o: &Outcome<'_>) -> String {
    json_with(o, None)
}

/// [`json`], with the fixed part of each REM row from `texts`.
pub fn json_with(o: &Outcome<'_>, texts: Option<&RowTexts<'_>>) -> String {
    let mut out = String::with_capacity(capacity(o, texts, |t| t.json.len() + 250) + 1024);
    out.push_str("{\n");
    field(&mut out, 2, "candidature", o.candidature.id.as_str());
    out.push_str(",\n");
    field(&mut out, 2, "dispositif", o.dispositif.code.as_str());
    out.push_str(",\n");
    field(&mut out, 2, "rem_version", &o.rem.version.to_string());
    out.push_str(",\n");
    let strings = |out: &mut String, key: &str, values: &mut dyn Iterator<Item = &str>| {
        out.push_str("  ");
        string(out, key);
        out.push_str(": [");
        let mut any = false;
        for v in values {
            out.push_str(if any { ",\n    " } else { "\n    " });
            string(out, v);
            any = true;
        }
        out.push_str(if any { "\n  ]" } else { "]" });
    };
    strings(
        &mut out,
        "profils",
        &mut o.profils.iter().map(|p| p.as_str()),
    );
    out.push_str(",\n");
    let mut scratch = String::new();
    // Motifs repeat across entries (one component, one root): explain each once.
    let mut explained: Vec<(&Motif, String)> = Vec::new();
    out.push_str("  \"a_deposer\": [");
    for (i, e) in o.a_deposer.iter().enumerate() {
        out.push_str(if i > 0 { ",\n" } else { "\n" });
        let mut made = None;
        out.push_str(&row_text(texts, e.row, &mut made).json);
        if let Some(nil) = e.nil {
            field(&mut out, 6, "nil", nil);
            out.push_str(",\n");
        }
        scratch.clear();
        let _ = write!(scratch, "{}", e.motif);
        field(&mut out, 6, "motif", &scratch);
        let why = match explained.iter().position(|(m, _)| **m == e.motif) {
            Some(i) => i,
            None => {
                explained.push((&e.motif, explanation(o, &e.motif)));
                explained.len() - 1
            }
        };
        out.push_str(",\n");
        field(&mut out, 6, "explication", &explained[why].1);
        if let Some(d) = o.echeances.and_then(|x| x.derogation(e.row)) {
            scratch.clear();
            let _ = write!(scratch, "{}", Stamp(d.until));
            out.push_str(",\n");
            field(&mut out, 6, "derogatoire_jusqu_au", &scratch);
            out.push_str(",\n");
            field(&mut out, 6, "preuve_derogatoire", d.content_now());
        }
        out.push_str("\n    }");
    }
    out.push_str(if o.a_deposer.is_empty() {
        "],\n"
    } else {
        "\n  ],\n"
    });
    out.push_str("  \"masquees\": [");
    for (i, m) in o.masquees.iter().enumerate() {
        out.push_str(if i > 0 { ",\n" } else { "\n" });
        let mut made = None;
        out.push_str(&row_text(texts, m.row, &mut made).json);
        scratch.clear();
        let _ = write!(scratch, "{}", m.mask);
        field(&mut out, 6, "motif", &scratch);
        out.push_str(",\n");
        field(&mut out, 6, "explication", &m.mask.explain(&m.nils));
        if !m.nils.is_empty() {
            out.push_str(",\n      \"nils\": [");
            for (j, nil) in m.nils.iter().enumerate() {
                out.push_str(if j > 0 { ",\n        " } else { "\n        " });
                string(&mut out, nil);
            }
            out.push_str("\n      ]");
        }
        if let Mask::Equivalence { requirement, .. } = &m.mask {
            scratch.clear();
            let _ = write!(scratch, "{}", Common(&requirement.0, &requirement.1));
            out.push_str(",\n");
            field(&mut out, 6, "exigence_commune", &scratch);
        }
        out.push_str("\n    }");
    }
    out.push_str(if o.masquees.is_empty() {
        "],\n"
    } else {
        "\n  ],\n"
    });
    strings(&mut out, "documents", &mut o.documents().into_iter());
    out.push_str(",\n");
    match o.echeances {
        Some(e) => {
            out.push_str("  \"echeances\": {\n");
            for (key, value) in [
                ("date1", Stamp(e.date1).to_string()),
                ("date2", Stamp(e.date2).to_string()),
                ("date3", Stamp(e.date3).to_string()),
                ("date_reference", e.reference.format("%Y-%m-%d").to_string()),
            ] {
                if key != "date1" {
                    out.push_str(",\n");
                }
                field(&mut out, 4, key, &value);
            }
            out.push_str("\n  },\n");
        }
        None => out.push_str("  \"echeances\": null,\n"),
    }
    strings(
        &mut out,
        "alertes",
        &mut o.alertes.iter().map(String::as_str),
    );
    out.push_str("\n}\n");
    out
}

/// The columns of `preuves --format csv`.
pub const CSV_HEADER: [&str; 18] = [
    "Statut",
    "N° preuve",
    "ID",
    "Chapitre",
    "Profil",
    "Périmètre",
    "Source",
    "NIL",
    "Motif",
    "Exigence commune",
    "Preuve dérogatoire jusqu'au",
    "Nature",
    "Source déduite",
    "Texte de l'exigence",
    "N° scénario",
    "Scénario",
    "Preuve attendue",
    "Explication",
];

/// `preuves --format csv`: one row per entry, to deposit first; `;` and a
/// BOM for French Excel.
pub fn csv(o: &Outcome<'_>) -> Vec<u8> {
    csv_with(o, None)
}

/// [`csv`], with the fixed part of each REM row from `texts`.
pub fn csv_with(o: &Outcome<'_>, texts: Option<&RowTexts<'_>>) -> Vec<u8> {
    let mut out =
        String::with_capacity(capacity(o, texts, |t| t.csv.len() + t.csv_tail.len() + 150) + 256);
    out.push('\u{feff}');
    out.push_str(&csv_fields(&CSV_HEADER));
    // Each record: its status, the row's fixed fields, then the rest, each
    // field quoted by the csv crate on its own, as it quotes a whole record.
    // One writer for all the rest, cut at each record's end.
    let mut rest = csv_writer(Vec::with_capacity(
        64 * (o.a_deposer.len() + o.masquees.len()),
    ));
    let mut ends = Vec::with_capacity(o.a_deposer.len() + o.masquees.len());
    // The explanations, the last column, one record each.
    let mut whys = csv_writer(Vec::with_capacity(
        100 * (o.a_deposer.len() + o.masquees.len()),
    ));
    let mut why_ends = Vec::with_capacity(o.a_deposer.len() + o.masquees.len());
    let mut explained: Vec<(&Motif, String)> = Vec::new();
    let mut motif = String::new();
    let mut common = String::new();
    let mut stamp = String::new();
    for e in &o.a_deposer {
        motif.clear();
        let _ = write!(motif, "{}", e.motif);
        stamp.clear();
        if let Some(d) = o.echeances.and_then(|x| x.derogation(e.row)) {
            let _ = write!(stamp, "{}", Stamp(d.until));
        }
        let _ = super::csv::record(&mut rest, [e.nil.unwrap_or(""), &motif, "", &stamp]);
        let _ = rest.flush();
        ends.push(rest.get_ref().len());
        let why = match explained.iter().position(|(m, _)| **m == e.motif) {
            Some(i) => i,
            None => {
                explained.push((&e.motif, explanation(o, &e.motif)));
                explained.len() - 1
            }
        };
        let _ = super::csv::record(&mut whys, [&explained[why].1]);
        let _ = whys.flush();
        why_ends.push(whys.get_ref().len());
    }
    for m in &o.masquees {
        motif.clear();
        let _ = write!(motif, "{}", m.mask);
        common.clear();
        if let Mask::Equivalence { requirement, .. } = &m.mask {
            let _ = write!(common, "{}", Common(&requirement.0, &requirement.1));
        }
        let nils = m.nils.join("|");
        let _ = super::csv::record(&mut rest, [nils.as_str(), &motif, &common, ""]);
        let _ = rest.flush();
        ends.push(rest.get_ref().len());
        let _ = super::csv::record(&mut whys, [m.mask.explain(&m.nils)]);
        let _ = whys.flush();
        why_ends.push(whys.get_ref().len());
    }
    let rest = rest.get_ref();
    let whys = whys.get_ref();
    let rows = o
        .a_deposer
        .iter()
        .map(|e| ("à déposer;", e.row))
        .chain(o.masquees.iter().map(|m| ("masquée;", m.row)));
    let (mut start, mut why_start) = (0, 0);
    for (((status, row), end), why_end) in rows.zip(ends).zip(why_ends) {
        let mut made = None;
        let text = row_text(texts, row, &mut made);
        out.push_str(status);
        out.push_str(&text.csv);
        out.push(';');
        let record = std::str::from_utf8(&rest[start..end]).unwrap_or_default();
        out.push_str(record.trim_end_matches("\r\n"));
        out.push(';');
        out.push_str(&text.csv_tail);
        out.push(';');
        let why = std::str::from_utf8(&whys[why_start..why_end]).unwrap_or_default();
        out.push_str(why.trim_end_matches("\r\n"));
        out.push_str("\r\n");
        start = end;
        why_start = why_end;
    }
    out.into_bytes()
}

/// Counts of masked proofs by kind of reason: (héritage, équivalence, hors EDC PSC).
pub fn masked_counts(o: &Outcome<'_>) -> (usize, usize, usize) {
    let mut counts = (0, 0, 0);
    for m in &o.masquees {
        match m.mask {
            Mask::Heritage(_) => counts.0 += 1,
            Mask::Equivalence { .. } => counts.1 += 1,
            Mask::HorsEdcPsc => counts.2 += 1,
        }
    }
    counts
}

/// How far `date` is from `reference`, in French: « dans 12 jours »,
/// « demain », « passée depuis 3 jours ».
pub(crate) fn relative(reference: NaiveDateTime, date: NaiveDateTime) -> String {
    if date <= reference {
        let d = (reference.date() - date.date()).num_days();
        return if d == 0 {
            "passée aujourd'hui".to_owned()
        } else {
            format!("passée depuis {d} jour{}", if d > 1 { "s" } else { "" })
        };
    }
    let days = (date.date() - reference.date()).num_days();
    match days {
        d if d < 0 => format!("passée depuis {} jour{}", -d, if d < -1 { "s" } else { "" }),
        0 => "aujourd'hui".to_owned(),
        1 => "demain".to_owned(),
        d => format!("dans {d} jours"),
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n > 1 { many } else { one })
}

/// `preuves --format text`: a checklist grouped by chapter.
pub fn text(o: &Outcome<'_>) -> String {
    let c = o.candidature;
    let mut t = String::new();
    let _ = writeln!(
        t,
        "Candidature {} — {} ({}), REM {}",
        c.id, o.dispositif.code, o.dispositif.nom, o.rem.version
    );
    let _ = writeln!(
        t,
        "Solution {} {} — composant principal {} — profils : {}",
        c.solution.nom,
        c.solution.version,
        c.solution.composant_principal,
        crate::model::Profile::list(&o.profils)
    );
    for r in &o.heritage {
        let _ = writeln!(
            t,
            "Héritage : {} ({} {}, {})",
            r.nru, r.dispositif, r.solution, r.version
        );
    }
    if let Some(r) = o.racine {
        let _ = writeln!(
            t,
            "Équivalence : solution racine {} ({} {}, {})",
            r.nru, r.dispositif, r.solution, r.version
        );
    }
    let new: Vec<String> = c
        .solution
        .components()
        .filter(|k| k.nouveau)
        .map(|k| format!("{} ({})", k.nom, k.chapitres.join(" ; ")))
        .collect();
    if !new.is_empty() {
        let _ = writeln!(t, "Nouveaux composants : {}", new.join(", "));
    }
    let nils: Vec<String> = c
        .noms_commerciaux
        .iter()
        .map(|n| format!("{} (NIL {})", n.nom, n.nil))
        .collect();
    let _ = writeln!(t, "Noms commerciaux : {}", nils.join(", "));
    let (h, e, x) = masked_counts(o);
    let _ = writeln!(
        t,
        "\nÀ déposer : {} — masquées : {} (héritage {h}, équivalence {e}, hors EDC PSC {x})",
        plural(o.a_deposer.len(), "preuve", "preuves"),
        o.masquees.len()
    );

    let ordre = o.ordre_conseille();
    if !ordre.is_empty() {
        let _ = writeln!(t, "\nOrdre conseillé :");
        for (i, step) in ordre.iter().enumerate() {
            let _ = writeln!(t, "  {}. {step}", i + 1);
        }
    }

    let mut chapters: Vec<&str> = Vec::new();
    for row in o
        .a_deposer
        .iter()
        .map(|e| e.row)
        .chain(o.masquees.iter().map(|m| m.row))
    {
        if !chapters.contains(&row.chapitre.as_str()) {
            chapters.push(&row.chapitre);
        }
    }
    // Chapters in REM order.
    chapters.sort_by_key(|ch| o.rem.rows.iter().position(|r| r.chapitre == *ch));
    for ch in chapters {
        let todo: Vec<_> = o
            .a_deposer
            .iter()
            .filter(|e| e.row.chapitre == ch)
            .collect();
        let masked: Vec<_> = o.masquees.iter().filter(|m| m.row.chapitre == ch).collect();
        let _ = writeln!(
            t,
            "\n{ch} — {} à déposer, {} masquée{}",
            todo.len(),
            masked.len(),
            if masked.len() > 1 { "s" } else { "" }
        );
        for e in todo {
            let mut line = format!(
                "  [ ] {:<20} {:<11}",
                e.row.preuve_id,
                e.row.source.as_str()
            );
            if let Some(nil) = e.nil {
                let _ = write!(line, " NIL {nil}");
            }
            if e.motif != crate::rules::Motif::Nominal {
                let _ = write!(line, " ({})", e.motif);
            }
            if e.row.source_inferred {
                line.push_str(" — source déduite du texte de la preuve");
            }
            let _ = writeln!(t, "{}", line.trim_end());
            let _ = writeln!(
                t,
                "        {}",
                crate::render::markdown::plain_text(&e.row.preuve, 100)
            );
        }
        for m in masked {
            let why = match &m.mask {
                Mask::Heritage(nru) => format!("héritage {nru}"),
                Mask::Equivalence { nru, requirement } => {
                    format!("équivalence {nru} ({} {})", requirement.0, requirement.1)
                }
                Mask::HorsEdcPsc => "hors EDC PSC".to_owned(),
            };
            let _ = writeln!(t, "   –  {:<20} masquée : {why}", m.row.preuve_id);
        }
    }
    if !o.attestation.is_empty() {
        let _ = writeln!(
            t,
            "\nDocuments : attestation sur l'honneur ({})",
            o.attestation.join(" ; ")
        );
    }
    if let Some(e) = o.echeances {
        let _ = writeln!(t, "\nÉchéances au {} :", french::datetime(e.reference));
        for (name, date, what) in [
            ("Date 1", e.date1, "dossier administratif et éligibilité"),
            (
                "Date 2",
                e.date2,
                "dossier de preuves complet, NRU racine déclaré",
            ),
            (
                "Date 3",
                e.date3,
                "fin des échanges et des preuves dérogatoires",
            ),
        ] {
            let _ = writeln!(
                t,
                "  {name} — {} ({}) : {what}",
                french::datetime(date),
                relative(e.reference, date)
            );
        }
        let derogations: Vec<crate::rules::Derogation> = o
            .a_deposer
            .iter()
            .filter_map(|x| e.derogation(x.row))
            .collect();
        if !derogations.is_empty() {
            let _ = writeln!(
                t,
                "  {} (homologation CNDA, habilitation EDC PSC) acceptent une preuve dérogatoire jusqu'au {} ; les attestations réelles restent exigées avant le collège :",
                plural(derogations.len(), "preuve à déposer", "preuves à déposer"),
                french::datetime(e.date3)
            );
            for source in [crate::model::Source::Cnda, crate::model::Source::EdcPsc] {
                if let Some(d) = derogations.iter().find(|d| d.source == source) {
                    if d.before_date2 {
                        let _ = writeln!(
                            t,
                            "    {} à la Date 2 : {}",
                            source.as_str(),
                            d.content_date2()
                        );
                    }
                    let _ = writeln!(
                        t,
                        "    {} à la Date 3 : {}",
                        source.as_str(),
                        d.content_date3()
                    );
                }
            }
        } else if e.reference >= e.date3 {
            let _ = writeln!(
                t,
                "  Date 3 passée : aucune preuve dérogatoire n'est plus acceptée"
            );
        }
    }
    if !o.alertes.is_empty() {
        let _ = writeln!(t, "\nAlertes :");
        for a in &o.alertes {
            let _ = writeln!(t, "  ! {a}");
        }
    }
    t
}
