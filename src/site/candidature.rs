//! The candidatures: the index, and per candidature its checklist page,
//! its proof lists, attestation and convention draft.

use super::*;

/// Above this many rows (proofs to deposit, and proofs not asked again) a
/// checklist is split: its index keeps the summary, documents and
/// deadlines, and each chapter's proofs go to a page of their own. A row
/// is about 300 bytes: no page passes about 200 KB.
const CHECKLIST_SPLIT: usize = 600;

/// Above this many candidatures the index has one page per dispositif.
const INDEX_SPLIT: usize = 300;

impl Plan<'_> {
    /// The index of candidatures, from one row per checklist; above
    /// [`INDEX_SPLIT`] candidatures, one page per dispositif
    /// (`candidatures/dispositif-<CODE>.html`) and the index lists them.
    pub(super) fn candidatures(
        &self,
        rows: Vec<CandidatureRow>,
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        let path = "candidatures/index.html";
        let crumbs = || vec![Self::home_crumb()];
        let layout = |path: &str, title: &str, crumbs: Vec<Link>| {
            self.layout(
                path,
                title,
                Some("Les preuves à déposer par candidature"),
                crumbs,
            )
        };
        if rows.len() <= INDEX_SPLIT {
            let view = CandidaturesView {
                layout: layout(path, "Candidatures", crumbs()),
                rows,
                groups: Vec::new(),
                total: 0,
            };
            return Ok(vec![self.html(
                "candidatures.html",
                path.to_owned(),
                &view,
            )?]);
        }
        let total = rows.len();
        let mut by_code: BTreeMap<String, Vec<CandidatureRow>> = BTreeMap::new();
        for r in rows {
            by_code.entry(r.dispositif.clone()).or_default().push(r);
        }
        let mut files = Vec::with_capacity(by_code.len() + 1);
        let mut groups = Vec::with_capacity(by_code.len());
        for (code, rows) in by_code {
            let file = format!("dispositif-{}.html", markdown::slug(&code));
            groups.push(CandidatureGroup {
                code: code.clone(),
                count: rows.len(),
                url: file.clone(),
            });
            let mut crumbs = crumbs();
            crumbs.push(Link {
                title: "Candidatures".to_owned(),
                url: path.to_owned(),
            });
            let page = format!("candidatures/{file}");
            let view = CandidaturesView {
                layout: layout(&page, &format!("Candidatures — {code}"), crumbs),
                rows,
                groups: Vec::new(),
                total: 0,
            };
            files.push(self.html("candidatures.html", page, &view)?);
        }
        let view = CandidaturesView {
            layout: layout(path, "Candidatures", crumbs()),
            rows: Vec::new(),
            groups,
            total,
        };
        files.push(self.html("candidatures.html", path.to_owned(), &view)?);
        Ok(files)
    }

    /// A candidature's checklist page, its lists and documents, with its
    /// row of the index. The proof engine runs here, once; its answer is
    /// dropped once the files are made.
    pub(super) fn candidature(
        &self,
        c: &crate::model::Candidature,
    ) -> Result<(Vec<OutputFile>, CandidatureRow), Vec<Diagnostic>> {
        let o = crate::rules::evaluate(
            c,
            self.project,
            &self.index,
            self.date.and_time(chrono::NaiveTime::MIN),
        )?;
        let row = CandidatureRow {
            url: format!("{}/index.html", c.id),
            id: c.id.to_string(),
            dispositif: o.dispositif.code.to_string(),
            solution: format!("{} {}", c.solution.nom, c.solution.version),
            profils: crate::model::Profile::list(&o.profils),
            a_deposer: o.a_deposer.len(),
            masquees: o.masquees.len(),
            attestation: !o.attestation.is_empty(),
        };
        let impact = self.evolution(&o);
        let files = self
            .candidature_files(&o, impact.as_ref())
            .map_err(|d| vec![d])?;
        Ok((files, row))
    }

    /// What the current REM release of `o`'s dispositif changes for its
    /// candidature, against the previous release: `None` when there is
    /// only one, or when the candidature cannot be evaluated under the
    /// previous one (a profile it did not have): nothing to compare.
    fn evolution(&self, o: &crate::rules::Outcome<'_>) -> Option<crate::impact::Impact> {
        let rems = self.project.rems.get(&o.dispositif.code)?;
        let previous = rems.len().checked_sub(2).map(|i| &rems[i])?;
        let diff = self.changelogs.get(&o.dispositif.code)?.last()?;
        if diff.old != previous.version.to_string() || diff.new != o.rem.version.to_string() {
            return None;
        }
        let old = crate::rules::evaluate_under(
            o.candidature,
            self.project,
            &self.index,
            self.date.and_time(chrono::NaiveTime::MIN),
            Some(previous),
        )
        .ok()?;
        Some(crate::impact::impact(&old, o, diff))
    }

    /// The page's view of `impact`, with links from the page at `from`.
    fn evolution_view(
        &self,
        o: &crate::rules::Outcome<'_>,
        impact: &crate::impact::Impact,
        from: &str,
    ) -> super::views::EvolutionView {
        use super::views::{EvolutionRow, RewrittenView};
        let code = &o.dispositif.code;
        let url = |exigence: &str| self.requirement_url(code, exigence, from);
        let mut rows = Vec::new();
        for (kind, list) in [
            ("nouvellement due", &impact.nouvellement_dues),
            ("plus due", &impact.plus_dues),
            ("due pour un autre motif", &impact.autre_motif),
        ] {
            rows.extend(list.iter().map(|c| EvolutionRow {
                kind,
                preuve: c.preuve.clone(),
                url: url(&c.exigence),
                avant: c.avant.clone(),
                apres: c.apres.clone(),
            }));
        }
        rows.extend(impact.renumerotees.iter().map(|(from, to)| EvolutionRow {
            kind: "renumérotée",
            preuve: to.clone(),
            url: None,
            avant: from.clone(),
            apres: to.clone(),
        }));
        let rewritten = impact
            .textes_modifies
            .iter()
            .map(|r| RewrittenView {
                preuve: r.preuve.clone(),
                url: url(&r.exigence),
                changes: r.changes.clone(),
            })
            .collect();
        super::views::EvolutionView {
            depuis: impact.depuis.clone(),
            version: impact.version.clone(),
            changelog_url: self.link(
                from,
                &format!(
                    "changelog/{code}/{}--{}.html",
                    impact.depuis, impact.version
                ),
            ),
            rows,
            rewritten,
            counts: [
                impact.nouvellement_dues.len(),
                impact.plus_dues.len(),
                impact.autre_motif.len(),
                impact.textes_modifies.len(),
                impact.renumerotees.len(),
            ],
        }
    }

    pub(super) fn candidature_files(
        &self,
        o: &crate::rules::Outcome<'_>,
        impact: Option<&crate::impact::Impact>,
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        use crate::rules::Mask;
        let c = o.candidature;
        let dir = format!("candidatures/{}/", c.id);
        let path = format!("{dir}index.html");
        let guide_dir = self.link(&path, &format!("dispositifs/{}/", o.dispositif.code));
        let guide = format!("{guide_dir}index.html");
        // The tables' rows are written for the page that shows them: the
        // checklist, or its chapter pages (one folder deeper) when split.
        let split = o.a_deposer.len() + o.masquees.len() > CHECKLIST_SPLIT;
        let rows_from = if split {
            format!("{dir}chapitres/index.html")
        } else {
            path.clone()
        };
        let rows_dir = self.link(&rows_from, &format!("dispositifs/{}/", o.dispositif.code));
        let refs = |r: &crate::model::Referencement| RefView {
            nru: r.nru.to_string(),
            dispositif: r.dispositif.to_string(),
            solution: r.solution.clone(),
            version: r.version.to_string(),
            profils: crate::model::Profile::list(&r.profils),
        };
        let mut chapters: Vec<ChapterCounts> = Vec::new();
        for title in o.rem.chapters() {
            let mut counts = CountsView {
                a_deposer: o
                    .a_deposer
                    .iter()
                    .filter(|e| e.row.chapitre == title)
                    .count(),
                ..CountsView::default()
            };
            for m in o.masquees.iter().filter(|m| m.row.chapitre == title) {
                match m.mask {
                    Mask::Heritage(_) => counts.heritage += 1,
                    Mask::Equivalence { .. } => counts.equivalence += 1,
                    Mask::HorsEdcPsc => counts.hors_edc_psc += 1,
                }
            }
            if counts.a_deposer + counts.heritage + counts.equivalence + counts.hors_edc_psc > 0 {
                let anchor =
                    (counts.a_deposer > 0).then(|| format!("deposer-{}", markdown::slug(title)));
                chapters.push(ChapterCounts {
                    url: anchor.as_ref().map(|a| format!("#{a}")),
                    anchor,
                    title: title.to_owned(),
                    counts,
                });
            }
        }
        let (h, e, x) = crate::render::preuves::masked_counts(o);
        let totals = CountsView {
            a_deposer: o.a_deposer.len(),
            heritage: h,
            equivalence: e,
            hors_edc_psc: x,
        };
        let code = &o.dispositif.code;
        let proof_html = self.proof_html.get(code);
        let guide_of_code = self.guides.get(code);
        fn target_in<'s>(guide: Option<&'s Guide<'_>>, id: &'s str) -> std::borrow::Cow<'s, str> {
            guide.map_or_else(|| format!("index.html#{id}").into(), |g| g.target(id))
        }
        let until = o.echeances.map(|d| french::datetime(d.date3));
        let deposit_groups = chapters
            .iter()
            .filter_map(|ch| {
                let anchor = ch.anchor.clone()?;
                let entries: Vec<_> = o
                    .a_deposer
                    .iter()
                    .filter(|e| e.row.chapitre == ch.title)
                    .collect();
                // Motifs repeat (one component, one root): explain each once.
                let mut explained: Vec<(&crate::rules::Motif, String)> = Vec::new();
                for e in &entries {
                    if e.motif != crate::rules::Motif::Nominal
                        && !explained.iter().any(|(m, _)| **m == e.motif)
                    {
                        explained.push((&e.motif, e.motif.explain(c, o.racine)));
                    }
                }
                let motifs: Vec<Option<&str>> = entries
                    .iter()
                    .map(|e| {
                        explained
                            .iter()
                            .find(|(m, _)| **m == e.motif)
                            .map(|(_, s)| s.as_str())
                    })
                    .collect();
                // Proof texts are rendered once per REM; render the others here.
                let fresh: Vec<Option<String>> = entries
                    .iter()
                    .map(|e| {
                        let cached = proof_html.is_some_and(|m| m.get(e.row).is_some());
                        (!cached).then(|| markdown::cell_html(&e.row.preuve))
                    })
                    .collect();
                let rows: Vec<checklist::DepositRow<'_>> = entries
                    .iter()
                    .zip(&fresh)
                    .zip(&motifs)
                    .map(|((e, fresh), motif)| checklist::DepositRow {
                        preuve: &e.row.preuve_id,
                        target: target_in(guide_of_code, &e.row.preuve_id),
                        text_html: proof_html
                            .and_then(|m| m.get(e.row))
                            .or(fresh.as_ref())
                            .map_or("", String::as_str),
                        source: e.row.source.as_str(),
                        source_inferred: e.row.source_inferred,
                        nature: e.row.nature,
                        nil: e.nil,
                        motif: *motif,
                        derogation: o
                            .echeances
                            .and_then(|d| d.derogation(e.row))
                            .zip(until.as_deref())
                            .map(|(d, until)| (until, d.content_now())),
                    })
                    .collect();
                let mut rows_html = String::with_capacity(rows.len() * 400);
                checklist::deposit_rows(&mut rows_html, &rows_dir, &rows);
                Some(DepositGroup {
                    title: ch.title.clone(),
                    anchor,
                    rows_html,
                    count: rows.len(),
                    url: None,
                })
            })
            .collect::<Vec<_>>();
        // One row per requirement (its proofs share the reason), not per proof.
        let mut masked: Vec<checklist::MaskedRow<'_>> = Vec::new();
        let mut last: Option<(&str, &Mask, &Vec<&str>)> = None;
        // By chapter in REM order, as the tables above (stable within one).
        let chapter_order = o.rem.chapters();
        let mut spared: Vec<&crate::rules::Masked<'_>> = o.masquees.iter().collect();
        spared.sort_by_key(|m| chapter_order.iter().position(|t| *t == m.row.chapitre));
        for m in spared {
            let key = (m.row.exigence_id.as_str(), &m.mask, &m.nils);
            let link = checklist::Anchor {
                text: &m.row.preuve_id,
                target: target_in(guide_of_code, &m.row.preuve_id),
            };
            if last == Some(key) {
                if let Some(row) = masked.last_mut() {
                    row.proofs.push(link);
                }
                continue;
            }
            last = Some(key);
            masked.push(checklist::MaskedRow {
                exigence: checklist::Anchor {
                    text: &m.row.exigence_id,
                    target: target_in(guide_of_code, &m.row.exigence_id),
                },
                proofs: vec![link],
                chapitre: &m.row.chapitre,
                reason: crate::render::checklist_xlsx::masked_reason(&m.mask, &m.nils),
                common: match &m.mask {
                    Mask::Equivalence {
                        requirement: (code, id),
                        ..
                    } => Some((
                        code.as_str(),
                        id.as_str(),
                        self.requirement_url(code, id, &rows_from),
                    )),
                    _ => None,
                },
            });
        }
        let mut masked_html = String::new();
        let mut deposit_groups = deposit_groups;
        let chapter_pages = if split {
            self.checklist_chapters(
                o,
                &dir,
                &rows_dir,
                &mut chapters,
                &mut deposit_groups,
                &masked,
            )?
        } else {
            masked_html.reserve(masked.len() * 300);
            checklist::masked_rows(&mut masked_html, &rows_dir, &masked);
            Vec::new()
        };
        let deadlines = o
            .echeances
            .map(|e| {
                [
                    (
                        "Date 1",
                        e.date1,
                        "dossier administratif et éligibilité soumis",
                    ),
                    (
                        "Date 2",
                        e.date2,
                        "dossier de preuves complet soumis ; NRU de la solution racine déclaré",
                    ),
                    (
                        "Date 3",
                        e.date3,
                        "fin des échanges et des preuves dérogatoires",
                    ),
                ]
                .into_iter()
                .map(|(name, date, what)| DeadlineView {
                    name,
                    date: french::datetime(date),
                    what,
                    passed: date <= e.reference,
                    relative: crate::render::preuves::relative(e.reference, date),
                })
                .collect()
            })
            .unwrap_or_default();
        let composants = c
            .solution
            .component_slots()
            .map(|slot| (slot.kind, slot.composant))
            .map(|(kind, k)| ComponentView {
                kind,
                nom: k.nom.clone(),
                editeur: k.editeur.clone(),
                nouveau: k.nouveau,
                chapitres: k.chapitres.join(" ; "),
            })
            .collect();
        let title = format!("Candidature {} — {}", c.id, c.solution.nom);
        let view = CandidatureView {
            layout: self.layout(
                &path,
                &title,
                Some("Preuves à déposer, preuves non redemandées, documents et échéances"),
                vec![
                    Self::home_crumb(),
                    Link {
                        title: "Candidatures".to_owned(),
                        url: "candidatures/index.html".to_owned(),
                    },
                ],
            ),
            id: c.id.to_string(),
            dispositif: format!("{} — {}", o.dispositif.code, o.dispositif.nom),
            guide_url: guide.clone(),
            rem_version: o.rem.version.to_string(),
            editeur: c.editeur.raison_sociale.clone(),
            solution: c.solution.nom.clone(),
            version: c.solution.version.to_string(),
            composant_principal: c.solution.composant_principal.clone(),
            profils: crate::model::Profile::list(&o.profils),
            composants,
            noms: c
                .noms_commerciaux
                .iter()
                .map(|n| NameView {
                    nom: n.nom.clone(),
                    nil: n.nil.clone(),
                    version: n.version.to_string(),
                })
                .collect(),
            racine: o.racine.map(refs),
            heritage: o.heritage.iter().map(|r| refs(r)).collect(),
            totals,
            chapters,
            deposit_natures: nature_filter(o.a_deposer.iter().map(|e| e.row.nature)),
            deposit_groups,
            masked_html,
            masked_count: masked.len(),
            split,
            attestation: o.attestation.clone(),
            deadlines,
            reference: o
                .echeances
                .map(|e| french::date(e.reference.date()))
                .unwrap_or_default(),
            alertes: o.alertes.clone(),
            ordre: o.ordre_conseille(),
            evolution: impact.map(|i| self.evolution_view(o, i, &path)),
        };
        let document_error = |message: String| Diagnostic::error(Location::file(&c.file), message);
        let texts = self.row_texts.get(&o.dispositif.code);
        let mut files = chapter_pages;
        files.extend([
            self.html("candidature.html", path, &view)?,
            OutputFile {
                path: format!("{dir}preuves.json"),
                bytes: crate::render::preuves::json_with(o, texts).into_bytes(),
            },
            OutputFile {
                path: format!("{dir}preuves.csv"),
                bytes: crate::render::preuves::csv_with(o, texts),
            },
        ]);
        if let Some(impact) = impact {
            files.push(OutputFile {
                path: format!("{dir}impact.csv"),
                bytes: crate::impact::csv(impact),
            });
        }
        files.extend([OutputFile {
            path: format!("{dir}preuves.xlsx"),
            bytes: crate::render::checklist_xlsx::checklist_with(
                o,
                texts,
                self.date.and_time(chrono::NaiveTime::MIN),
            )
            .map_err(document_error)?,
        }]);
        if !o.attestation.is_empty() {
            let bytes =
                crate::render::attestation::attestation(&self.templates, o, Some(self.date))
                    .map_err(|e| document_error(format!("attestation : {}", e.0)))?;
            files.push(OutputFile {
                path: format!("{dir}attestation.pdf"),
                bytes,
            });
            files.push(OutputFile {
                path: format!("{dir}attestation.docx"),
                bytes: crate::render::attestation::docx(&self.templates, o, Some(self.date))
                    .map_err(document_error)?,
            });
        }
        let markdown = crate::render::convention::markdown(&self.templates, o, self.date)
            .map_err(document_error)?;
        let html = crate::render::convention::html(&self.templates, &markdown, o)
            .map_err(document_error)?;
        let pdf = crate::render::convention::pdf(&markdown, o, self.date)
            .map_err(|e| document_error(format!("convention : {}", e.0)))?;
        files.push(OutputFile {
            path: format!("{dir}convention.html"),
            bytes: html.into_bytes(),
        });
        files.push(OutputFile {
            path: format!("{dir}convention.pdf"),
            bytes: pdf,
        });
        files.push(OutputFile {
            path: format!("{dir}convention.docx"),
            bytes: crate::render::convention::docx(&markdown, o, self.date)
                .map_err(document_error)?,
        });
        Ok(files)
    }

    /// The chapter pages of a split checklist, `<dir>chapitres/<slug>.html`:
    /// each chapter's proofs to deposit (the rows of `groups`, emptied
    /// there) and proofs not asked again. The summary's links and the
    /// groups then lead to these pages.
    fn checklist_chapters(
        &self,
        o: &crate::rules::Outcome<'_>,
        dir: &str,
        rows_dir: &str,
        chapters: &mut [ChapterCounts],
        groups: &mut [DepositGroup],
        masked: &[checklist::MaskedRow<'_>],
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        let c = o.candidature;
        let mut stems = BTreeSet::new();
        let pages: Vec<(String, String)> = chapters
            .iter()
            .map(|ch| {
                let stem = unique(&mut stems, &markdown::slug(&ch.title));
                (
                    format!("{dir}chapitres/{stem}.html"),
                    format!("chapitres/{stem}.html"),
                )
            })
            .collect();
        let index_path = format!("{dir}index.html");
        let mut files = Vec::with_capacity(chapters.len());
        for (i, ch) in chapters.iter().enumerate() {
            let path = &pages[i].0;
            // The rows move to the chapter's page.
            let rows_html = groups
                .iter_mut()
                .find(|g| Some(&g.anchor) == ch.anchor.as_ref())
                .map(|g| std::mem::take(&mut g.rows_html))
                .unwrap_or_default();
            let rows: Vec<_> = masked
                .iter()
                .filter(|m| m.chapitre == ch.title)
                .cloned()
                .collect();
            let mut masked_html = String::new();
            checklist::masked_rows(&mut masked_html, rows_dir, &rows);
            let link = |j: usize| Link {
                title: chapters[j].title.clone(),
                url: format!("../{}", pages[j].1),
            };
            let view = CandidatureChapterView {
                layout: self.layout(
                    path,
                    &format!("Candidature {} — {}", c.id, ch.title),
                    Some("Preuves à déposer et preuves non redemandées d'un chapitre"),
                    vec![
                        Self::home_crumb(),
                        Link {
                            title: "Candidatures".to_owned(),
                            url: "candidatures/index.html".to_owned(),
                        },
                        Link {
                            title: format!("Candidature {}", c.id),
                            url: index_path.clone(),
                        },
                    ],
                ),
                index_url: "../index.html".to_owned(),
                id: c.id.to_string(),
                title: ch.title.clone(),
                number: i + 1,
                count: chapters.len(),
                previous: i.checked_sub(1).map(link),
                next: (i + 1 < chapters.len()).then(|| link(i + 1)),
                counts: ch.counts.clone(),
                deposit_natures: nature_filter(
                    o.a_deposer
                        .iter()
                        .filter(|e| e.row.chapitre == ch.title)
                        .map(|e| e.row.nature),
                ),
                rows_html,
                masked_html,
                masked_count: rows.len(),
            };
            files.push(self.html("candidature-chapter.html", path.clone(), &view)?);
        }
        for (ch, (_, url)) in chapters.iter_mut().zip(&pages) {
            ch.url = Some(url.clone());
        }
        for g in groups.iter_mut() {
            if let Some(i) = chapters
                .iter()
                .position(|ch| ch.anchor.as_ref() == Some(&g.anchor))
            {
                g.url = Some(pages[i].1.clone());
            }
        }
        Ok(files)
    }
}
