//! Tables (CSV and XLSX) read into rows of located cells.
//!
//! Every tabular input goes through here, so that encodings, delimiters,
//! header matching and positions are handled once. A cell knows the line and
//! column where it starts in the file as written (for XLSX: the sheet row and
//! column number).

use std::io::Cursor;
use std::sync::Arc;

use calamine::{open_workbook_auto_from_rs, Data, Reader};

use crate::diag::{Diagnostics, Location};
use crate::text::{self, fold_key, line_col, to_u32};

/// One cell: its trimmed text and where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// The text, trimmed of spaces (non-breaking ones included).
    pub value: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
}

/// One data row.
#[derive(Debug, Clone)]
pub struct Row {
    /// The line the row starts on.
    pub line: u32,
    /// Its cells, in file order.
    pub cells: Vec<Cell>,
}

/// A whole table: a header row and data rows.
#[derive(Debug, Clone)]
pub struct Table {
    /// The file, as shown in diagnostics.
    pub file: Arc<str>,
    /// The header cells.
    pub headers: Vec<Cell>,
    /// The data rows; rows whose cells are all empty are dropped.
    pub rows: Vec<Row>,
    /// The worksheet read, for a workbook: positions then render as `Exigences!M17`.
    pub sheet: Option<Arc<str>>,
}

impl Table {
    /// A location in this table's file.
    pub fn at(&self, line: u32, column: u32) -> Location {
        match &self.sheet {
            Some(sheet) => Location::in_sheet(&self.file, sheet, line, column),
            None => Location::new(&self.file, line, column),
        }
    }

    /// The location of a cell.
    pub fn cell_location(&self, cell: &Cell) -> Location {
        self.at(cell.line, cell.column)
    }

    /// The `|`-separated items of a cell, each with its own location.
    pub fn list_items(&self, cell: &Cell) -> Vec<(String, Location)> {
        split_list(&cell.value)
            .map(|(offset, item)| {
                // Items of a one-line cell can be located exactly; inside a
                // multi-line cell we point at the cell.
                let column = if cell.value[..offset].contains('\n') {
                    cell.column
                } else {
                    cell.column + to_u32(cell.value[..offset].chars().count())
                };
                (item.to_owned(), self.at(cell.line, column))
            })
            .collect()
    }

    /// Reads a table from the bytes of a file: XLSX when `is_xlsx`, CSV otherwise.
    /// Problems are reported into `diags`; `None` when nothing usable was read.
    pub fn read(
        file: &Arc<str>,
        bytes: &[u8],
        is_xlsx: bool,
        diags: &mut Diagnostics,
    ) -> Option<Table> {
        if is_xlsx {
            read_xlsx(file, bytes, diags)
        } else {
            read_csv(file, bytes, diags)
        }
    }

    /// Finds the columns of a schema by name (ignoring case, accents and
    /// spacing). Reports each missing required column and returns `None` if
    /// any is missing, so that rows are not reported cell by cell.
    pub fn columns(&self, schema: &[Column], diags: &mut Diagnostics) -> Option<ColumnMap> {
        let folded: Vec<String> = self.headers.iter().map(|h| fold_key(&h.value)).collect();
        let mut indexes = Vec::with_capacity(schema.len());
        let mut complete = true;
        for column in schema {
            let wanted = fold_key(column.name);
            let found = folded.iter().position(|h| *h == wanted);
            if found.is_none() && column.required {
                complete = false;
                let header_line = self.headers.first().map_or(1, |h| h.line);
                diags.error(
                    self.at(header_line, 1),
                    format!(
                        "colonne obligatoire « {} » absente de l'en-tête",
                        column.name
                    ),
                );
            }
            indexes.push(found);
        }
        // Two headers that fold to the same name make the choice ambiguous.
        for (i, name) in folded.iter().enumerate() {
            if !name.is_empty() && folded[..i].contains(name) {
                let h = &self.headers[i];
                diags.error(
                    self.cell_location(h),
                    format!("colonne « {} » présente deux fois dans l'en-tête", h.value),
                );
                complete = false;
            }
        }
        complete.then(|| ColumnMap {
            names: schema.iter().map(|c| c.name).collect(),
            indexes,
        })
    }
}

/// A column of a schema.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// The column's name as FORMATS.md writes it.
    pub name: &'static str,
    /// Whether the column must be present.
    pub required: bool,
}

impl Column {
    /// A column that must be present.
    pub const fn required(name: &'static str) -> Self {
        Column {
            name,
            required: true,
        }
    }

    /// A column that may be absent.
    pub const fn optional(name: &'static str) -> Self {
        Column {
            name,
            required: false,
        }
    }
}

/// Where each column of a schema stands in a table.
#[derive(Debug, Clone)]
pub struct ColumnMap {
    names: Vec<&'static str>,
    indexes: Vec<Option<usize>>,
}

impl ColumnMap {
    /// A view of one row through this map; `col` arguments are indexes into the schema.
    pub fn row<'a>(&'a self, table: &'a Table, row: &'a Row) -> RowView<'a> {
        RowView {
            table,
            row,
            map: self,
        }
    }
}

/// One row seen through a schema.
#[derive(Debug, Clone, Copy)]
pub struct RowView<'a> {
    table: &'a Table,
    row: &'a Row,
    map: &'a ColumnMap,
}

impl<'a> RowView<'a> {
    /// The line where the row starts.
    pub fn line(&self) -> u32 {
        self.row.line
    }

    /// The location of the row's first cell.
    pub fn location(&self) -> Location {
        self.table.at(self.row.line, 1)
    }

    /// The cell of schema column `col`, when the column exists and the cell is not empty.
    pub fn get(&self, col: usize) -> Option<&'a Cell> {
        self.cell(col).filter(|c| !c.value.is_empty())
    }

    /// The text of schema column `col`, or "" when absent or empty.
    pub fn text(&self, col: usize) -> &'a str {
        self.get(col).map_or("", |c| c.value.as_str())
    }

    /// The cell of column `col`, reporting an error when it is empty.
    pub fn required(&self, col: usize, diags: &mut Diagnostics) -> Option<&'a Cell> {
        let cell = self.get(col);
        if cell.is_none() {
            diags.error(
                self.location_of(col),
                format!(
                    "cellule « {} » vide : une valeur est obligatoire",
                    self.map.names[col]
                ),
            );
        }
        cell
    }

    /// The location of column `col` in this row (the row start when the row is short).
    pub fn location_of(&self, col: usize) -> Location {
        match self.cell(col) {
            Some(c) => self.table.cell_location(c),
            None => self.location(),
        }
    }

    /// Parses the cell of column `col` when present; a parse failure is reported at the cell.
    pub fn parse<T>(
        &self,
        col: usize,
        parse: impl FnOnce(&str) -> Result<T, String>,
        diags: &mut Diagnostics,
    ) -> Option<T> {
        let cell = self.get(col)?;
        match parse(&cell.value) {
            Ok(v) => Some(v),
            Err(message) => {
                diags.error(self.table.cell_location(cell), message);
                None
            }
        }
    }

    /// Like [`RowView::parse`], but an empty cell is an error too.
    pub fn parse_required<T>(
        &self,
        col: usize,
        parse: impl FnOnce(&str) -> Result<T, String>,
        diags: &mut Diagnostics,
    ) -> Option<T> {
        self.required(col, diags)?;
        self.parse(col, parse, diags)
    }

    /// The `|`-separated items of column `col`, each with its own location.
    pub fn list(&self, col: usize) -> Vec<(String, Location)> {
        self.get(col)
            .map(|cell| self.table.list_items(cell))
            .unwrap_or_default()
    }

    fn cell(&self, col: usize) -> Option<&'a Cell> {
        let index = (*self.map.indexes.get(col)?)?;
        self.row.cells.get(index)
    }
}

/// Splits a `|`-separated list into trimmed, non-empty items with their byte offsets.
pub fn split_list(value: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut start = 0;
    value.split('|').filter_map(move |part| {
        let part_start = start;
        start += part.len() + 1;
        let trimmed = text::trim(part);
        if trimmed.is_empty() {
            None
        } else {
            let lead = part.len() - part.trim_start_matches(text::is_space).len();
            Some((part_start + lead, trimmed))
        }
    })
}

fn read_csv(file: &Arc<str>, bytes: &[u8], diags: &mut Diagnostics) -> Option<Table> {
    let decoded = match text::decode(bytes) {
        Ok(d) => d,
        Err(e) => {
            diags.error(Location::new(file, e.line, e.column), e.message);
            return None;
        }
    };
    let text = decoded.text;
    if text.trim_matches(text::is_space).is_empty() {
        diags.error(
            Location::file(file),
            "fichier vide : une ligne d'en-tête est attendue",
        );
        return None;
    }
    let delimiter = detect_delimiter(&text);
    let spans = match scan_fields(&text, delimiter) {
        Ok(spans) => spans,
        Err(open_quote) => {
            let (line, column) = line_col(&text, open_quote);
            diags.error(
                Location::new(file, line, column),
                "guillemet ouvert jamais refermé : la cellule s'étend jusqu'à la fin du fichier",
            );
            return None;
        }
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut records = Vec::new();
    for result in reader.records() {
        match result {
            Ok(record) => records.push(record),
            Err(err) => {
                let (line, column) = err.position().map_or((1, 1), |p| {
                    line_col(&text, usize::try_from(p.byte()).unwrap_or(0))
                });
                diags.error(
                    Location::new(file, line, column),
                    format!("CSV illisible : {err}"),
                );
                return None;
            }
        }
    }
    // The csv crate's record positions drift after blank lines; our scan
    // skips the same blank lines, so records align by index.
    let lines = text::LineIndex::new(&text);
    let mut rows = Vec::with_capacity(records.len());
    for (index, record) in records.iter().enumerate() {
        let starts = spans.get(index).filter(|s| s.len() == record.len());
        let (line, column) = starts.map_or((1, 1), |s| lines.line_col(s[0]));
        let cells = record
            .iter()
            .enumerate()
            .map(|(i, value)| {
                let (line, column) = starts
                    .and_then(|s| s.get(i))
                    .map_or((line, column), |&offset| {
                        lines.line_col(content_start(&text, offset))
                    });
                // What segurdoc's own CSVs neutralised (`'=…`) reads back as it was.
                Cell {
                    value: text::restore(text::trim(value)).to_owned(),
                    line,
                    column,
                }
            })
            .collect();
        rows.push(Row { line, cells });
    }
    Some(into_table(file, rows))
}

/// Where the content of a field starting at `offset` begins: after an
/// opening quote and leading spaces, so that positions point at the value
/// itself and items of a list cell can be located from it.
fn content_start(text: &str, offset: usize) -> usize {
    let mut offset = offset;
    if text[offset..].starts_with('"') {
        offset += 1;
    }
    let rest = &text[offset..];
    let skipped = rest.len()
        - rest
            .trim_start_matches(|c: char| text::is_space(c) && c != '\n' && c != '\r')
            .len();
    offset + skipped
}

/// The header row is the first row; fully empty rows (Excel leaves `;;;;`
/// lines at the end of exports) are dropped.
fn into_table(file: &Arc<str>, rows: Vec<Row>) -> Table {
    let mut rows = rows
        .into_iter()
        .filter(|r| r.cells.iter().any(|c| !c.value.is_empty()));
    let headers = rows.next().map(|r| r.cells).unwrap_or_default();
    Table {
        file: Arc::clone(file),
        headers,
        rows: rows.collect(),
        sheet: None,
    }
}

/// Picks the delimiter French users' tools write: `;` (Excel in French), `,`
/// or tab, whichever occurs most in the header line outside quotes.
fn detect_delimiter(text: &str) -> u8 {
    let mut counts = [0usize; 3];
    let mut in_quotes = false;
    for c in text.chars() {
        match c {
            '"' => in_quotes = !in_quotes,
            '\n' if !in_quotes => break,
            ';' if !in_quotes => counts[0] += 1,
            ',' if !in_quotes => counts[1] += 1,
            '\t' if !in_quotes => counts[2] += 1,
            _ => {}
        }
    }
    let delimiters = [b';', b',', b'\t'];
    let best = (0..3).max_by_key(|&i| (counts[i], 3 - i)).unwrap_or(1);
    if counts[best] == 0 {
        b','
    } else {
        delimiters[best]
    }
}

/// Byte offsets of every field start, record by record, following the
/// quoting rules of the csv crate. An unterminated quote is returned as the
/// offset of the quote that opened it.
fn scan_fields(text: &str, delimiter: u8) -> Result<Vec<Vec<usize>>, usize> {
    let bytes = text.as_bytes();
    let mut records = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        // Blank lines hold no record (the csv crate skips them too).
        if bytes[i] == b'\n' || bytes[i] == b'\r' {
            i += 1;
            continue;
        }
        let mut fields = vec![i];
        loop {
            if i < bytes.len() && bytes[i] == b'"' {
                let open = i;
                i += 1;
                loop {
                    match bytes.get(i) {
                        None => return Err(open),
                        Some(b'"') if bytes.get(i + 1) == Some(&b'"') => i += 2,
                        Some(b'"') => {
                            i += 1;
                            break;
                        }
                        Some(_) => i += 1,
                    }
                }
            }
            while i < bytes.len() && bytes[i] != delimiter && bytes[i] != b'\n' && bytes[i] != b'\r'
            {
                i += 1;
            }
            if i < bytes.len() && bytes[i] == delimiter {
                i += 1;
                fields.push(i);
                continue;
            }
            break;
        }
        records.push(fields);
    }
    Ok(records)
}

fn read_xlsx(file: &Arc<str>, bytes: &[u8], diags: &mut Diagnostics) -> Option<Table> {
    let mut workbook = match open_workbook_auto_from_rs(Cursor::new(bytes)) {
        Ok(w) => w,
        Err(err) => {
            diags.error(
                Location::file(file),
                format!("classeur XLSX illisible : {err}"),
            );
            return None;
        }
    };
    // The ANS's published REMs keep their rows in sheet `Exigences`, not
    // always the first one; other workbooks are read from their first sheet.
    let names = workbook.sheet_names();
    let index = names
        .iter()
        .position(|n| fold_key(n) == "exigences")
        .unwrap_or(0);
    let sheet_name: Arc<str> = Arc::from(names.get(index).map_or("", String::as_str));
    let range = match workbook.worksheet_range_at(index) {
        Some(Ok(range)) => range,
        Some(Err(err)) => {
            diags.error(
                Location::file(file),
                format!("première feuille illisible : {err}"),
            );
            return None;
        }
        None => {
            diags.error(Location::file(file), "classeur sans feuille");
            return None;
        }
    };
    let (row0, col0) = range.start().unwrap_or((0, 0));
    let mut rows = Vec::new();
    for (r, cells) in range.rows().enumerate() {
        let line = row0 + to_u32(r) + 1;
        let cells = cells
            .iter()
            .enumerate()
            .map(|(c, data)| {
                let column = col0 + to_u32(c) + 1;
                let value = match xlsx_text(data) {
                    Ok(v) => v,
                    Err(message) => {
                        diags.error(Location::in_sheet(file, &sheet_name, line, column), message);
                        String::new()
                    }
                };
                Cell {
                    value: text::trim(&value).to_owned(),
                    line,
                    column,
                }
            })
            .collect();
        rows.push(Row { line, cells });
    }
    let mut table = into_table(file, rows);
    table.sheet = Some(sheet_name);
    if table.headers.is_empty() {
        diags.error(
            Location::file(file),
            "première feuille vide : une ligne d'en-tête est attendue",
        );
        return None;
    }
    Some(table)
}

/// A spreadsheet cell as the text a CSV export would hold.
fn xlsx_text(data: &Data) -> Result<String, String> {
    Ok(match data {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        // Whole numbers typed in a cell (an `Ordre`, a version `2`) come back as floats.
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "VRAI" } else { "FAUX" }.to_owned(),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(dt) if dt.time() == chrono::NaiveTime::MIN => dt.format("%Y-%m-%d").to_string(),
            Some(dt) => dt.format("%Y-%m-%dT%H:%M").to_string(),
            None => return Err("date Excel hors limites".to_owned()),
        },
        Data::Error(e) => return Err(format!("cellule en erreur dans le classeur ({e})")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (Option<Table>, Diagnostics) {
        let mut diags = Diagnostics::new();
        let file: Arc<str> = Arc::from("t.csv");
        let t = Table::read(&file, text.as_bytes(), false, &mut diags);
        (t, diags)
    }

    fn values(t: &Table) -> Vec<Vec<&str>> {
        t.rows
            .iter()
            .map(|r| r.cells.iter().map(|c| c.value.as_str()).collect())
            .collect()
    }

    #[test]
    fn semicolon_crlf_and_multiline_cells_are_located() {
        let (t, d) = read("ID;Texte;X\r\n A1 ;\"deux\r\nlignes\";z\r\nB2;\"dit \"\"oui\"\"\";\r\n");
        assert!(d.is_empty(), "{}", d.render());
        let t = t.unwrap();
        assert_eq!(
            values(&t),
            [
                vec!["A1", "deux\r\nlignes", "z"],
                vec!["B2", "dit \"oui\"", ""]
            ]
        );
        let pos: Vec<_> = t
            .rows
            .iter()
            .flat_map(|r| r.cells.iter().map(|c| (c.line, c.column)))
            .collect();
        assert_eq!(pos, [(2, 2), (2, 7), (3, 9), (4, 1), (4, 5), (4, 18)]);
    }

    #[test]
    fn comma_delimiter_detected_and_blank_rows_dropped() {
        let (t, _) = read("a,b\n1,2\n\n,\n3,4");
        assert_eq!(values(&t.unwrap()), [vec!["1", "2"], vec!["3", "4"]]);
    }

    #[test]
    fn lines_stay_right_after_blank_lines() {
        let (t, _) = read("a,b\n1,2\n\n\n3,4\r\n\r\n5,\"x\ny\"\n6,7\n");
        let lines: Vec<_> = t
            .unwrap()
            .rows
            .iter()
            .map(|r| (r.line, r.cells[1].line))
            .collect();
        assert_eq!(lines, [(2, 2), (5, 5), (7, 7), (9, 9)]);
    }

    #[test]
    fn delimiter_inside_quoted_header_is_ignored() {
        assert_eq!(detect_delimiter("\"a;b\",c,d\n"), b',');
        assert_eq!(detect_delimiter("a;b,c;d\n"), b';');
        assert_eq!(detect_delimiter("seul\n"), b',');
    }

    #[test]
    fn unterminated_quote_is_located_at_its_opening() {
        let (t, d) = read("a;b\n1;\"ouvert\n2;3\n");
        assert!(t.is_none());
        assert_eq!(
            d.render(),
            "t.csv:2:3: error: guillemet ouvert jamais refermé : la cellule s'étend jusqu'à la fin du fichier\n"
        );
    }

    #[test]
    fn empty_file_is_an_error() {
        let (t, d) = read(" \n\u{a0}\n");
        assert!(t.is_none());
        assert_eq!(
            d.render(),
            "t.csv:1:1: error: fichier vide : une ligne d'en-tête est attendue\n"
        );
    }

    #[test]
    fn columns_match_ignoring_case_accents_spacing() {
        let (t, _) = read("N°  Preuve;perimetre\nX;Vague 1\n");
        let t = t.unwrap();
        let mut d = Diagnostics::new();
        let map = t
            .columns(
                &[
                    Column::required("Périmètre"),
                    Column::required("N° preuve"),
                    Column::optional("Source"),
                ],
                &mut d,
            )
            .unwrap();
        let row = map.row(&t, &t.rows[0]);
        assert_eq!(
            (row.text(0), row.text(1), row.text(2)),
            ("Vague 1", "X", "")
        );
    }

    #[test]
    fn missing_columns_and_cells_are_reported() {
        let (t, _) = read("ID;Nom\nA;\n");
        let t = t.unwrap();
        let mut d = Diagnostics::new();
        assert!(t.columns(&[Column::required("Code")], &mut d).is_none());
        let map = t.columns(&[Column::required("Nom")], &mut d).unwrap();
        map.row(&t, &t.rows[0]).required(0, &mut d);
        assert_eq!(
            d.render(),
            "t.csv:1:1: error: colonne obligatoire « Code » absente de l'en-tête\n\
             t.csv:2:3: error: cellule « Nom » vide : une valeur est obligatoire\n"
        );
    }

    #[test]
    fn list_items_are_located() {
        let (t, _) = read("P\n PA | PH avec DO|\n");
        let t = t.unwrap();
        let mut d = Diagnostics::new();
        let map = t.columns(&[Column::required("P")], &mut d).unwrap();
        let items: Vec<_> = map
            .row(&t, &t.rows[0])
            .list(0)
            .into_iter()
            .map(|(v, l)| (v, l.column))
            .collect();
        assert_eq!(items, [("PA".to_owned(), 2), ("PH avec DO".to_owned(), 7)]);
    }

    #[test]
    fn never_panics_on_arbitrary_bytes() {
        use proptest::prelude::*;
        proptest!(|(bytes in proptest::collection::vec(any::<u8>(), 0..200))| {
            let mut d = Diagnostics::new();
            let file: Arc<str> = Arc::from("f.csv");
            let _ = Table::read(&file, &bytes, false, &mut d);
            let _ = Table::read(&file, &bytes, true, &mut d);
        });
    }
}
