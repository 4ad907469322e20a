//! Text helpers shared by every stage: decoding the bytes users' tools write,
//! folding names for comparison, locating byte offsets.

use encoding_rs::{UTF_16BE, UTF_16LE, WINDOWS_1252};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// The text of a file and how it was encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, without byte-order mark.
    pub text: String,
    /// `UTF-8`, `UTF-8 (BOM)`, `UTF-16` or `Windows-1252`.
    pub encoding: &'static str,
}

/// Why bytes could not be read as text, with the 1-based position of the first offending byte.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// Line of the offending byte.
    pub line: u32,
    /// Column of the offending byte (characters before it on its line, plus one).
    pub column: u32,
    /// The French message.
    pub message: String,
}

/// Decodes a text file as French users produce them: UTF-8 with or without
/// BOM, UTF-16 with BOM ("Texte Unicode" exports), or Windows-1252 (Excel's
/// "CSV (séparateur : point-virgule)" on Windows).
///
/// Never guesses where guessing would corrupt data: a file that mixes valid
/// UTF-8 accents with invalid bytes, and binary content, are errors.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return decode_utf8(rest, "UTF-8 (BOM)");
    }
    for (bom, encoding) in [(b"\xFF\xFE", UTF_16LE), (b"\xFE\xFF", UTF_16BE)] {
        if bytes.starts_with(bom) {
            let (text, _, had_errors) = encoding.decode(bytes);
            if had_errors {
                return Err(DecodeError {
                    line: 1,
                    column: 1,
                    message: "fichier UTF-16 mal formé".to_owned(),
                });
            }
            let text = text.into_owned();
            check_controls(&text)?;
            return Ok(Decoded {
                text,
                encoding: "UTF-16",
            });
        }
    }
    if let Some(nul) = bytes.iter().position(|&b| b == 0) {
        let (line, column) = byte_line_col(bytes, nul);
        return Err(DecodeError {
            line,
            column,
            message:
                "fichier binaire (octet nul) : un fichier texte CSV, YAML ou Markdown est attendu"
                    .to_owned(),
        });
    }
    match std::str::from_utf8(bytes) {
        Ok(_) => decode_utf8(bytes, "UTF-8"),
        Err(err) => {
            let bad = err.valid_up_to();
            let (valid, invalid) = utf8_evidence(bytes);
            if valid >= invalid {
                let (line, column) = byte_line_col(bytes, bad);
                return Err(DecodeError {
                    line,
                    column,
                    message: format!(
                        "octet 0x{:02X} invalide en UTF-8 alors que le reste du fichier est en UTF-8 : le fichier mélange deux encodages ; réenregistrez-le en UTF-8",
                        bytes[bad]
                    ),
                });
            }
            let (text, _, _) = WINDOWS_1252.decode(bytes);
            let text = text.into_owned();
            check_controls(&text)?;
            Ok(Decoded {
                text,
                encoding: "Windows-1252",
            })
        }
    }
}

fn decode_utf8(bytes: &[u8], encoding: &'static str) -> Result<Decoded, DecodeError> {
    match std::str::from_utf8(bytes) {
        Ok(text) => {
            check_controls(text)?;
            Ok(Decoded {
                text: text.to_owned(),
                encoding,
            })
        }
        Err(err) => {
            let bad = err.valid_up_to();
            let (line, column) = byte_line_col(bytes, bad);
            Err(DecodeError {
                line,
                column,
                message: format!(
                    "octet 0x{:02X} invalide en UTF-8 (le fichier commence par une marque UTF-8)",
                    bytes[bad]
                ),
            })
        }
    }
}

/// Control characters other than tab and line ends mean binary garbage or a
/// wrongly guessed encoding: refuse rather than publish them.
fn check_controls(text: &str) -> Result<(), DecodeError> {
    match text
        .char_indices()
        .find(|(_, c)| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        None => Ok(()),
        Some((offset, c)) => {
            let (line, column) = line_col(text, offset);
            Err(DecodeError {
                line,
                column,
                message: format!(
                    "caractère de contrôle U+{:04X} inattendu : le fichier est binaire ou son encodage n'est ni UTF-8 ni Windows-1252",
                    u32::from(c)
                ),
            })
        }
    }
}

/// Counts well-formed multi-byte UTF-8 sequences and invalid bytes. A
/// Windows-1252 file has many invalid bytes (every accent) and, by accident,
/// a few valid sequences (`É…`); a UTF-8 file with one pasted Windows-1252
/// cell has the opposite profile.
fn utf8_evidence(bytes: &[u8]) -> (usize, usize) {
    let multibyte = |s: &str| s.chars().filter(|c| c.len_utf8() > 1).count();
    let (mut valid, mut invalid) = (0, 0);
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => return (valid + multibyte(s), invalid),
            Err(err) => {
                let (good, bad) = rest.split_at(err.valid_up_to());
                valid += multibyte(std::str::from_utf8(good).unwrap_or_default());
                invalid += 1;
                rest = &bad[err.error_len().unwrap_or(bad.len()).min(bad.len())..];
            }
        }
    }
}

/// 1-based line and column of a byte offset in text (column in characters).
pub fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (to_u32(line), to_u32(column))
}

/// Line starts of a text, for many [`line_col`] look-ups in one file
/// without rescanning it from the start each time.
#[derive(Debug)]
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// Indexes the line starts of `text`.
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { text, starts }
    }

    /// The same as [`line_col`], in O(log lines + line length).
    pub fn line_col(&self, offset: usize) -> (u32, u32) {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let column = self.text[start..offset].chars().count() + 1;
        (to_u32(line), to_u32(column))
    }
}

/// 1-based line and column of a byte offset in bytes that are not valid text
/// (column in bytes).
fn byte_line_col(bytes: &[u8], offset: usize) -> (u32, u32) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    (to_u32(line), to_u32(offset - line_start + 1))
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Saturating conversion for line and column numbers.
pub fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// True for the spaces French text carries around values: ordinary white
/// space, non-breaking space and narrow non-breaking space.
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{a0}' || c == '\u{202f}' || c == '\u{feff}'
}

/// Trims white space including non-breaking spaces.
pub fn trim(s: &str) -> &str {
    s.trim_matches(is_space)
}

/// Folds a name for comparison: lower case, accents removed, runs of spaces
/// (non-breaking included) collapsed, trimmed. `N°  Preuve` → `n° preuve`,
/// `Périmètre` → `perimetre`.
pub fn fold_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.nfd().filter(|c| !is_combining_mark(*c)) {
        if is_space(c) {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.extend(c.to_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_agrees_with_line_col() {
        let text = "a;b\nPérimètre;é\r\n\n\"x\ny\";z\n";
        let index = LineIndex::new(text);
        for offset in 0..=text.len() + 2 {
            assert_eq!(
                index.line_col(offset),
                line_col(text, offset),
                "offset {offset}"
            );
        }
    }

    #[test]
    fn utf8_with_and_without_bom() {
        let d = decode("Périmètre".as_bytes()).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), ("Périmètre", "UTF-8"));
        let d = decode(b"\xEF\xBB\xBFP\xC3\xA9rim\xC3\xA8tre").unwrap();
        assert_eq!((d.text.as_str(), d.encoding), ("Périmètre", "UTF-8 (BOM)"));
    }

    #[test]
    fn windows_1252_is_detected() {
        // "Périmètre;Œuvre €" as Excel writes it on Windows.
        let d = decode(b"P\xE9rim\xE8tre;\x8Cuvre \x80").unwrap();
        assert_eq!(
            (d.text.as_str(), d.encoding),
            ("Périmètre;Œuvre €", "Windows-1252")
        );
    }

    #[test]
    fn utf16_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "Élément".encode_utf16() {
            bytes.extend(u.to_le_bytes());
        }
        let d = decode(&bytes).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), ("Élément", "UTF-16"));
    }

    #[test]
    fn mixed_encodings_are_refused_at_the_bad_byte() {
        let e = decode(b"ID;Texte\nA;\xC3\xA9t\xE9\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 6));
        assert!(e.message.contains("0xE9"), "{}", e.message);
    }

    #[test]
    fn windows_1252_with_accidental_utf8_sequences_is_still_windows_1252() {
        // "É…" is C9 85 in Windows-1252, a valid UTF-8 sequence by accident.
        let d = decode(b"\xC9\x85 \xE9t\xE9 \xE0 l'\xE9cole").unwrap();
        assert_eq!(d.text, "É… été à l'école");
        assert_eq!(d.encoding, "Windows-1252");
    }

    #[test]
    fn binary_is_refused() {
        let e = decode(b"PK\x03\x04\x00\x00garbage").unwrap_err();
        assert_eq!((e.line, e.column), (1, 5));
        let e = decode(b"a\nb\x01c").unwrap_err();
        assert_eq!((e.line, e.column), (2, 2));
        assert!(e.message.contains("U+0001"));
    }

    #[test]
    fn undefined_windows_1252_bytes_are_refused() {
        // 0x81 is undefined in Windows-1252 and decodes to a C1 control.
        assert!(decode(b"abc\x81def").is_err());
    }

    #[test]
    fn fold_key_ignores_case_accents_and_spacing() {
        assert_eq!(fold_key("N°  Preuve"), "n° preuve");
        assert_eq!(fold_key(" n°\u{a0}preuve "), "n° preuve");
        assert_eq!(fold_key("Périmètre"), "perimetre");
        assert_eq!(fold_key("Héritage vague 1"), "heritage vague 1");
    }

    #[test]
    fn line_col_counts_characters() {
        let t = "ab\néçd";
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, 3), (2, 1));
        assert_eq!(line_col(t, 7), (2, 3));
    }

    #[test]
    fn trim_removes_non_breaking_spaces() {
        assert_eq!(trim("\u{a0} PA\u{202f}"), "PA");
    }
}

/// What a spreadsheet reads as the start of a formula (OWASP's CSV
/// injection list): `=`, `+`, `-`, `@`, a tab, a carriage return.
fn formula_start(value: &str) -> bool {
    value.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// A cell value as every CSV segurdoc writes it: one a spreadsheet would
/// run as a formula (`=HYPERLINK(…)` from a vendor's NIL or a REM text)
/// gets a leading `'`, which spreadsheets show as text; so does one made
/// of `'`s before such a character, so that reading the file back
/// ([`restore`]) gives the value exactly.
pub fn neutral(value: &str) -> std::borrow::Cow<'_, str> {
    if formula_start(value.trim_start_matches('\'')) {
        std::borrow::Cow::Owned(format!("'{value}"))
    } else {
        std::borrow::Cow::Borrowed(value)
    }
}

/// The value [`neutral`] was given: the `'` it added removed.
pub fn restore(value: &str) -> &str {
    match value.strip_prefix('\'') {
        Some(rest) if formula_start(rest.trim_start_matches('\'')) => rest,
        _ => value,
    }
}

#[cfg(test)]
mod neutral_tests {
    use super::{neutral, restore};

    #[test]
    fn formulas_are_neutralised_and_read_back_exactly() {
        for (value, written) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+33 1 23", "'+33 1 23"),
            ("- une puce", "'- une puce"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tcaché", "'\tcaché"),
            ("\rretour", "'\rretour"),
            ("'=déjà", "''=déjà"),
            ("''-deux", "'''-deux"),
            ("'apostrophe", "'apostrophe"),
            ("L0001", "L0001"),
            ("", ""),
            ("a=b", "a=b"),
        ] {
            assert_eq!(neutral(value), written, "{value:?}");
            assert_eq!(restore(&neutral(value)), value, "{value:?}");
        }
    }
}
