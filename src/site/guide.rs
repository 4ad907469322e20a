//! The guide of a dispositif: its DSR, the current REM's requirements,
//! scenarios and proofs, its guichets.

use super::*;

impl Plan<'_> {
    pub(super) fn dsr_view(d: &Dispositif) -> DsrView {
        DsrView {
            code: d.code.to_string(),
            couloir: d.couloir.clone(),
            vague: d.vague.to_string(),
            version_dsr: d.version_dsr.as_ref().map(ToString::to_string),
            profils: d
                .profils
                .iter()
                .map(|p| ProfileView {
                    name: p.as_str().to_owned(),
                    hors_edc_psc: d.profils_hors_edc_psc.contains(p),
                })
                .collect(),
            hors_edc_psc: crate::model::Profile::list(&d.profils_hors_edc_psc),
            heritage: d
                .heritage_vague1
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            heritage_count: d.heritage_vague1.len(),
            ouverture: d.ouverture.map(french::date),
            deadlines: d.deadlines.as_ref().map(|x| DeadlinesView {
                date1: french::datetime(x.date1),
                date2: french::datetime(x.date2),
                date3: french::datetime(x.date3),
            }),
        }
    }

    /// The REM of a guide page, chapter → requirement → scenario → proof.
    /// A REM release, chapter → requirement → scenario → proof, laid out
    /// as `pages` says.
    pub(super) fn rem_view(&self, rem: &Rem, pages: &Pages<'_>, current: bool) -> RemView {
        let anchors = &pages.anchors;
        let mut used = pages.used.clone();
        // What changed since the previous release, marked on the current one.
        let mut marks: HashMap<&str, (&'static str, String)> = HashMap::new();
        if let Some(d) = self
            .changelogs
            .get(&rem.dispositif)
            .and_then(|v| v.last())
            .filter(|_| current)
        {
            for e in &d.added {
                marks.insert(&e.id, ("new", format!("nouvelle en {}", d.new)));
            }
            for r in &d.renamed {
                marks.insert(
                    &r.to,
                    (
                        "changed",
                        format!("renumérotée en {} (ex {})", d.new, r.from),
                    ),
                );
            }
            for m in d.modified.iter().filter(|m| !m.whitespace_only) {
                marks.insert(
                    &m.id,
                    (
                        "changed",
                        format!("modifiée en {} ({})", d.new, m.fields.join(", ")),
                    ),
                );
            }
        }
        let folder = &pages.folder;
        let mut chapters: Vec<ChapterView> = pages
            .chapters
            .iter()
            .enumerate()
            .map(|(i, (title, stem))| ChapterView {
                title: (*title).to_owned(),
                number: i + 1,
                url: format!("{folder}/{stem}.html"),
                requirements: Vec::new(),
                proof_count: 0,
                changes: 0,
                profils: Vec::new(),
                perimetres: Vec::new(),
                natures: Vec::new(),
            })
            .collect();
        let mut natures: Vec<Vec<Option<crate::model::Nature>>> = vec![Vec::new(); chapters.len()];
        for (id, rows) in rem.requirements() {
            let first = rows[0];
            let Some(&number) = pages.chapter_of.get(id) else {
                continue;
            };
            let chapter = &mut chapters[number];
            let nature = rows.iter().find_map(|r| r.nature);
            natures[number].push(nature);
            let profil_key = crate::text::fold_key(first.profil.as_str());
            if !chapter.profils.iter().any(|p| p.key == profil_key) {
                chapter.profils.push(FilterValue {
                    key: profil_key.clone(),
                    name: first.profil.as_str().to_owned(),
                });
            }
            let perimetre = first.perimetre.as_str();
            if !chapter.perimetres.iter().any(|p| p == perimetre) {
                chapter.perimetres.push(perimetre.to_owned());
            }
            chapter.proof_count += rows.len();
            let mut scenarios: Vec<ScenarioView> = Vec::new();
            for row in &rows {
                if scenarios.last().is_none_or(|s| s.id != row.scenario_id) {
                    scenarios.push(ScenarioView {
                        id: row.scenario_id.clone(),
                        anchor: unique(&mut used, &format!("scenario-{}", row.scenario_id)),
                        text_html: markdown::cell_html(&row.scenario),
                        proofs: Vec::new(),
                    });
                }
                if let Some(s) = scenarios.last_mut() {
                    s.proofs.push(ProofView {
                        id: row.preuve_id.clone(),
                        anchor: anchors
                            .get(row.preuve_id.as_str())
                            .cloned()
                            .unwrap_or_else(|| row.preuve_id.clone()),
                        text_html: markdown::cell_html(&row.preuve),
                        source: row.source.as_str(),
                        source_inferred: row.source_inferred,
                        profil_historique: row.profil_historique.clone(),
                    });
                }
            }
            let equivalents = if current {
                self.index
                    .equivalents(&rem.dispositif, id)
                    .map(|(code, other)| EquivalentView {
                        code: code.to_string(),
                        id: other.clone(),
                        url: self.requirement_url(code, other, "dispositifs/X/chapitres/X.html"),
                    })
                    .collect()
            } else {
                Vec::new()
            };
            let requirement = RequirementView {
                change: marks.get(id).map(|(kind, label)| ChangeMark {
                    kind,
                    label: label.clone(),
                }),
                id: id.to_owned(),
                anchor: anchors.get(id).cloned().unwrap_or_else(|| id.to_owned()),
                fonction: first.fonction.clone(),
                text_html: markdown::cell_html(&first.exigence),
                commentaire_html: first.commentaire.as_deref().map(markdown::cell_html),
                profil: first.profil.as_str().to_owned(),
                profil_key,
                perimetre: first.perimetre.as_str().to_owned(),
                nature: nature_label(nature),
                nature_key: nature_key(nature),
                criticite: rows
                    .iter()
                    .find_map(|r| r.criticite)
                    .map(|c| c.as_str().to_owned()),
                equivalents,
                scenarios,
            };
            chapter.changes += usize::from(requirement.change.is_some());
            chapter.requirements.push(requirement);
        }
        for (chapter, natures) in chapters.iter_mut().zip(natures) {
            chapter.perimetres.sort();
            chapter.natures = nature_filter(natures.into_iter());
        }
        RemView {
            version: rem.version.to_string(),
            requirement_count: chapters.iter().map(|c| c.requirements.len()).sum(),
            proof_count: rem.rows.len(),
            chapters,
        }
    }

    pub(super) fn guichets(rem: Option<&Rem>) -> (Vec<GuichetView>, DerogatoryView) {
        let count =
            |s: Source| rem.map_or(0, |r| r.rows.iter().filter(|row| row.source == s).count());
        let guichets = vec![
            GuichetView { name: "Convergence", role: "Plateforme de l'ANS : dépôt direct des preuves (documents, captures, vidéos) et instruction de la candidature.", count: count(Source::Convergence) },
            GuichetView { name: "CNDA", role: "Centre National de Dépôt et d'Agrément (Assurance Maladie) : certificats d'homologation, une demande de conformité par NIL.", count: count(Source::Cnda) },
            GuichetView { name: "EDC PSC", role: "Espace de Confiance Pro Santé Connect : habilitations « Éditeur de logiciel utilisateur » et « Éditeur de Proxy e-santé ».", count: count(Source::EdcPsc) },
            GuichetView { name: "Gazelle", role: "Plateforme de tests d'interopérabilité : rapports de tests.", count: count(Source::Gazelle) },
            GuichetView { name: "MOTCO2", role: "Plateforme de tests MSSanté : rapports de tests.", count: count(Source::Motco2) },
        ];
        let derogatory = DerogatoryView {
            cnda: count(Source::Cnda),
            edc_psc: count(Source::EdcPsc),
        };
        (guichets, derogatory)
    }

    pub(super) fn guide_title(guide: &Guide<'_>) -> String {
        match guide.dsr {
            Some(d) => format!("{} — {}", d.code, d.nom),
            None => format!("{} — référentiel d'exigences", guide.code),
        }
    }

    pub(super) fn guide(&self, guide: &Guide<'_>) -> Result<Vec<OutputFile>, Diagnostic> {
        let path = guide.url();
        let dir = format!("dispositifs/{}/", guide.code);
        let prose = self.prose.get(guide.code.as_str()).copied();
        let (guichets, derogatory) = Self::guichets(guide.current());
        let releases = guide.rems[..guide.rems.len().saturating_sub(1)]
            .iter()
            .rev()
            .map(|r| Link {
                title: format!("REM {}", r.version),
                url: format!("rem-{}.html", r.version),
            })
            .collect();
        let title = Self::guide_title(guide);
        let description = prose.and_then(|p| p.front.description.clone()).or_else(|| {
            Some(format!(
                "Guide de candidature au référencement Ségur pour le dispositif {}",
                guide.code
            ))
        });
        let rem = guide
            .current()
            .map(|r| self.rem_view(r, &guide.pages, true));
        let view = GuideView {
            layout: self.layout(
                &path,
                &title,
                description.as_deref(),
                vec![Self::home_crumb()],
            ),
            archived: false,
            current_version: guide.current().map(|r| r.version.to_string()),
            dsr: guide.dsr.map(Self::dsr_view),
            prose_html: prose.map(|p| {
                markdown::page_html(&p.body, &ContentLinks::new(p, &path))
                    .replace("<h2", "<h3")
                    .replace("</h2>", "</h3>")
            }),
            guichets,
            derogatory,
            rem,
            csv_url: "exigences.csv".to_owned(),
            releases,
            changelogs: self.changelog_links(&guide.code, &path),
        };
        let mut files = vec![self.html("guide.html", path.clone(), &view)?];
        if let Some(rem) = &view.rem {
            let index = Link {
                title: Self::guide_title(guide),
                url: path,
            };
            files.extend(self.chapter_pages(guide, rem, &index, false)?);
        }
        if let Some(rem) = guide.current() {
            files.push(OutputFile {
                path: format!("{dir}exigences.csv"),
                bytes: render::csv::rem(&rem.rows),
            });
        }
        Ok(files)
    }
}
