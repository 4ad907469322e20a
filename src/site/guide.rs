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
    pub(super) fn rem_view(&self, guide: &Guide<'_>, rem: &Rem, current: bool) -> RemView {
        let owned;
        let anchors = if current {
            &guide.anchors
        } else {
            owned = anchors_of(rem).0;
            &owned
        };
        let mut used: BTreeSet<String> = anchors.values().cloned().collect();
        used.extend(GUIDE_IDS.iter().map(|s| (*s).to_owned()));
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
        let mut chapters: Vec<ChapterView> = Vec::new();
        let mut profils: Vec<FilterValue> = Vec::new();
        let mut perimetres: BTreeSet<String> = BTreeSet::new();
        let mut natures: Vec<Option<crate::model::Nature>> = Vec::new();
        for (id, rows) in rem.requirements() {
            let first = rows[0];
            let nature = rows.iter().find_map(|r| r.nature);
            natures.push(nature);
            let profil_key = crate::text::fold_key(first.profil.as_str());
            if !profils.iter().any(|p| p.key == profil_key) {
                profils.push(FilterValue {
                    key: profil_key.clone(),
                    name: first.profil.as_str().to_owned(),
                });
            }
            perimetres.insert(first.perimetre.as_str().to_owned());
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
                        url: self.requirement_url(code, other, "dispositifs/X/index.html"),
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
            match chapters.iter_mut().find(|c| c.title == first.chapitre) {
                Some(c) => c.requirements.push(requirement),
                None => {
                    let anchor = unique(
                        &mut used,
                        &format!("chapitre-{}", markdown::slug(&first.chapitre)),
                    );
                    chapters.push(ChapterView {
                        title: first.chapitre.clone(),
                        anchor,
                        requirements: vec![requirement],
                    });
                }
            }
        }
        RemView {
            version: rem.version.to_string(),
            requirement_count: chapters.iter().map(|c| c.requirements.len()).sum(),
            proof_count: rem.rows.len(),
            profils,
            perimetres: perimetres.into_iter().collect(),
            natures: nature_filter(natures.into_iter()),
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
            rem: guide.current().map(|r| self.rem_view(guide, r, true)),
            csv_url: "exigences.csv".to_owned(),
            releases,
            changelogs: self.changelog_links(&guide.code, &path),
        };
        let mut files = vec![self.html("guide.html", path, &view)?];
        if let Some(rem) = guide.current() {
            files.push(OutputFile {
                path: format!("{dir}exigences.csv"),
                bytes: render::csv::rem(&rem.rows),
            });
        }
        Ok(files)
    }
}
