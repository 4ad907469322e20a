//! The equivalence lists: the index and one page per pair of REMs.

use super::*;

impl Plan<'_> {
    pub(super) fn equivalences(&self) -> Result<Vec<OutputFile>, Diagnostic> {
        let path = "equivalences/index.html";
        let codes: Vec<&DispositifCode> = self.index.codes().iter().collect();
        let max = self
            .index
            .pairs()
            .values()
            .map(Vec::len)
            .max()
            .unwrap_or(0)
            .max(1);
        let count = |a: &DispositifCode, b: &DispositifCode| {
            let key = if a < b {
                (a.clone(), b.clone())
            } else {
                (b.clone(), a.clone())
            };
            self.index.pairs().get(&key).map_or(0, Vec::len)
        };
        let matrix = codes
            .iter()
            .map(|a| MatrixRow {
                code: a.to_string(),
                cells: codes
                    .iter()
                    .map(|b| {
                        let n = if a == b { 0 } else { count(a, b) };
                        MatrixCell {
                            code: b.to_string(),
                            count: n,
                            level: if n == 0 {
                                0
                            } else {
                                (n * 4).div_ceil(max).clamp(1, 4)
                            },
                            url: (n > 0).then(|| pair_file(a, b, "html")),
                            diagonal: a == b,
                        }
                    })
                    .collect(),
            })
            .collect();
        let pairs = self
            .index
            .pairs()
            .iter()
            .map(|((a, b), rows)| PairSummary {
                a: a.to_string(),
                b: b.to_string(),
                count: rows.len(),
                url: pair_file(a, b, "html"),
                csv_url: pair_file(a, b, "csv"),
            })
            .collect();
        let lists = self
            .project
            .equivalences
            .iter()
            .map(|l| ListSummary {
                name: l.name.clone(),
                groups: l.groups.len(),
                codes: l
                    .columns
                    .iter()
                    .map(|(c, _)| c.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
            .collect();
        let view = EquivalencesView {
            layout: self.layout(
                path,
                "Équivalences entre dispositifs",
                Some("Matrice des exigences communes entre dispositifs du référencement Ségur"),
                vec![Self::home_crumb()],
            ),
            codes: codes.iter().map(ToString::to_string).collect(),
            matrix,
            pairs,
            lists,
        };
        Ok(vec![self.html(
            "equivalences.html",
            path.to_owned(),
            &view,
        )?])
    }

    pub(super) fn pair(
        &self,
        key: &(DispositifCode, DispositifCode),
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        let (a, b) = key;
        let rows = &self.index.pairs()[key];
        let path = format!("equivalences/{}", pair_file(a, b, "html"));
        let text = |code: &DispositifCode, id: &str| {
            self.guides
                .get(code)
                .and_then(|g| g.requirements.get(id))
                .map(|r| markdown::plain_text(&r.exigence, 140))
        };
        let side = |code: &DispositifCode| PairSide {
            code: code.to_string(),
            nom: self
                .project
                .catalogue
                .get(code.as_str())
                .map(|d| d.nom.clone()),
        };
        let view = PairView {
            layout: self.layout(
                &path,
                &format!("Équivalences entre {a} et {b}"),
                None,
                vec![
                    Self::home_crumb(),
                    Link {
                        title: "Équivalences".to_owned(),
                        url: "equivalences/index.html".to_owned(),
                    },
                ],
            ),
            a: side(a),
            b: side(b),
            csv_url: pair_file(a, b, "csv"),
            rows: rows
                .iter()
                .map(|r| PairRowView {
                    a: r.a.clone(),
                    a_url: self.requirement_url(a, &r.a, &path),
                    a_text: text(a, &r.a),
                    b: r.b.clone(),
                    b_url: self.requirement_url(b, &r.b, &path),
                    b_text: text(b, &r.b),
                    commentaire: r.commentaires.join(" ; "),
                    lists: r.lists.iter().cloned().collect::<Vec<_>>().join(", "),
                })
                .collect(),
        };
        Ok(vec![
            self.html("equivalence-pair.html", path, &view)?,
            OutputFile {
                path: format!("equivalences/{}", pair_file(a, b, "csv")),
                bytes: render::csv::pair(a, b, rows),
            },
        ])
    }
}
