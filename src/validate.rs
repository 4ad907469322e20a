//! Cross-file validation: what no single file can tell on its own — a REM
//! profile unknown to its DSR, an equivalence naming a requirement that the
//! current REM lacks, a candidature naming an unknown dispositif, profile,
//! chapter or NRU, two candidatures breaking R8.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use crate::diag::{did_you_mean, Diagnostic, Diagnostics};
use crate::model::{Candidature, Dispositif, Project, Vague};

/// Runs every cross-file check on a loaded project, the proof engine
/// included (candidatures in parallel).
pub fn validate(project: &Project, diags: &mut Diagnostics) {
    validate_with(project, true, diags);
}

/// [`validate`] without running the proof engine: `build` runs it as it
/// writes each checklist (once per candidature, its answer dropped once
/// written, so that memory does not grow with candidatures × proofs) and
/// reports its errors then.
pub fn validate_for_build(project: &Project, diags: &mut Diagnostics) {
    validate_with(project, false, diags);
}

fn validate_with(project: &Project, engine: bool, diags: &mut Diagnostics) {
    validate_data(project, diags);
    candidatures_with(project, engine, diags);
}

/// The checks of the candidatures a build makes (what they name, their
/// eligibility, duplicates, R8), without the data they depend on: for a
/// build whose documentation was already checked and written.
pub fn candidatures_for_build(project: &Project, diags: &mut Diagnostics) {
    candidatures_with(project, false, diags);
}

fn candidatures_with(project: &Project, engine: bool, diags: &mut Diagnostics) {
    use rayon::prelude::*;
    let index = crate::model::EquivalenceIndex::new(&project.equivalences);
    let checked: Vec<Diagnostics> = project
        .candidatures
        .par_iter()
        .map(|c| {
            let mut local = Diagnostics::new();
            if engine {
                self::candidature(project, &index, c, &mut local);
            } else {
                names(project, c, &mut local);
                for w in crate::rules::eligibility_warnings(c, project) {
                    local.push(w);
                }
            }
            local
        })
        .collect();
    for local in checked {
        diags.extend(local);
    }
    duplicate_candidature_ids(project, diags);
    multiple_candidatures(project, diags);
}

/// The checks of the data every candidature depends on (DSR, REMs,
/// equivalence lists, registry), without the candidatures themselves.
pub fn validate_data(project: &Project, diags: &mut Diagnostics) {
    catalogue(project, diags);
    rems(project, diags);
    equivalences(project, diags);
    registry(project, diags);
}

/// [`validate_data`] on a project loaded for one candidature: the lists are
/// not checked, since only the REMs that candidature needs were read.
pub fn validate_scoped(project: &Project, diags: &mut Diagnostics) {
    catalogue(project, diags);
    rems(project, diags);
    registry(project, diags);
}

/// An error for an unknown dispositif code, with a "did you mean" hint.
fn unknown_dispositif(
    project: &Project,
    code: &str,
    location: crate::diag::Location,
    what: &str,
) -> Diagnostic {
    let d = Diagnostic::error(
        location,
        format!("{what} : dispositif « {code} » absent de data/dsr.csv"),
    );
    match did_you_mean(code, project.catalogue.codes()) {
        Some(best) => d.with_hint(format!("vouliez-vous dire « {best} » ?")),
        None => d,
    }
}

/// `Général` then the dispositif's optional profiles.
fn profile_names(dispositif: &Dispositif) -> Vec<&str> {
    let mut names = vec![crate::model::GENERAL];
    names.extend(dispositif.profils.iter().map(|p| p.as_str()));
    names
}

fn profile_list(dispositif: &Dispositif) -> String {
    profile_names(dispositif).join(", ")
}

fn catalogue(project: &Project, diags: &mut Diagnostics) {
    for d in &project.catalogue.dispositifs {
        for code in &d.heritage_vague1 {
            match project.catalogue.get(code.as_str()) {
                None if !project.catalogue.is_unknown(code.as_str()) => {}
                None => diags.push(unknown_dispositif(
                    project,
                    code.as_str(),
                    d.location.clone(),
                    "Héritage vague 1",
                )),
                Some(h) if h.vague != Vague::Un => diags.error(
                    d.location.clone(),
                    format!(
                        "Héritage vague 1 de {} : {} est un dispositif de vague {}",
                        d.code, code, h.vague
                    ),
                ),
                Some(_) => {}
            }
        }
    }
}

fn rems(project: &Project, diags: &mut Diagnostics) {
    // Without a DSR catalogue, REMs stand alone (a project may only publish
    // or diff REMs): there is nothing to check them against.
    if project.catalogue.dispositifs.is_empty() {
        return;
    }
    for (code, releases) in &project.rems {
        let Some(first) = releases.first() else {
            continue;
        };
        let Some(dispositif) = project.catalogue.get(code.as_str()) else {
            if !project.catalogue.is_unknown(code.as_str()) {
                continue;
            }
            diags.push(unknown_dispositif(
                project,
                code.as_str(),
                crate::diag::Location::file(&first.file),
                "dossier data/rem",
            ));
            continue;
        };
        if dispositif.vague == Vague::Un {
            diags.warning(
                crate::diag::Location::file(&first.file),
                format!("{code} est un dispositif de vague 1 : son REM n'est utilisé ni par les guides ni par le moteur de preuves"),
            );
        }
        for rem in releases {
            // One error per unknown profile and file, not one per row.
            let mut reported: BTreeMap<String, usize> = BTreeMap::new();
            let mut first_rows = Vec::new();
            for row in &rem.rows {
                if dispositif.knows_profile(&row.profil) {
                    continue;
                }
                let count = reported.entry(row.profil.as_str().to_owned()).or_insert(0);
                if *count == 0 {
                    first_rows.push(row);
                }
                *count += 1;
            }
            for row in first_rows {
                let count = reported[row.profil.as_str()];
                let mut d = Diagnostic::error(
                    row.profil_location.clone(),
                    format!(
                        "profil « {} » inconnu du dispositif {code} ({count} ligne{}) ; profils du DSR : {}",
                        row.profil,
                        if count > 1 { "s" } else { "" },
                        profile_list(dispositif)
                    ),
                );
                if let Some(best) = did_you_mean(row.profil.as_str(), profile_names(dispositif)) {
                    d = d.with_hint(format!("vouliez-vous dire « {best} » ?"));
                }
                diags.push(d);
            }
        }
    }
}

fn equivalences(project: &Project, diags: &mut Diagnostics) {
    for list in &project.equivalences {
        let mut usable = HashSet::new();
        for (code, location) in &list.columns {
            if project.catalogue.is_unknown(code.as_str()) {
                diags.push(unknown_dispositif(
                    project,
                    code.as_str(),
                    location.clone(),
                    "colonne d'équivalence",
                ));
            } else if project.unreadable_rems.contains(code) {
                // Its REM could not be read: already reported.
            } else if project.current_rem(code).is_none() {
                diags.error(
                    location.clone(),
                    format!("colonne {code} : aucun REM dans data/rem/{code}/, ses exigences ne peuvent être vérifiées"),
                );
            } else {
                usable.insert(code.clone());
            }
        }
        for group in &list.groups {
            for member in &group.members {
                if !usable.contains(&member.dispositif) {
                    continue;
                }
                let Some(rem) = project.current_rem(&member.dispositif) else {
                    continue;
                };
                if rem.mentions_requirement(&member.exigence_id) {
                    continue;
                }
                let mut d = Diagnostic::error(
                    member.location.clone(),
                    format!(
                        "exigence « {} » absente du REM {} {} (version courante)",
                        member.exigence_id, member.dispositif, rem.version
                    ),
                );
                let ids: BTreeSet<&str> = rem.rows.iter().map(|r| r.exigence_id.as_str()).collect();
                if let Some(best) = did_you_mean(&member.exigence_id, ids) {
                    d = d.with_hint(format!("vouliez-vous dire « {best} » ?"));
                }
                diags.push(d);
            }
        }
    }
}

fn registry(project: &Project, diags: &mut Diagnostics) {
    for r in &project.registry.referencements {
        let Some(dispositif) = project.catalogue.get(r.dispositif.as_str()) else {
            if project.catalogue.is_unknown(r.dispositif.as_str()) {
                diags.push(unknown_dispositif(
                    project,
                    r.dispositif.as_str(),
                    r.location.clone(),
                    &format!("référencement {}", r.nru),
                ));
            }
            continue;
        };
        if dispositif.vague != r.vague {
            diags.error(
                r.location.clone(),
                format!(
                    "référencement {} : vague {} mais le dispositif {} est de vague {}",
                    r.nru, r.vague, r.dispositif, dispositif.vague
                ),
            );
        }
        for p in &r.profils {
            if !dispositif.knows_profile(p) {
                diags.error(
                    r.location.clone(),
                    format!(
                        "référencement {} : profil « {p} » inconnu du dispositif {} ; profils du DSR : {}",
                        r.nru,
                        r.dispositif,
                        profile_list(dispositif)
                    ),
                );
            }
        }
    }
}

/// Checks one candidature: what it names must exist, then the rules of the
/// proof engine (R2, R3, R4, R9) must hold. Used by `check` for every
/// candidature of the project and by `preuves` for a file given by path.
pub fn candidature(
    project: &Project,
    index: &crate::model::EquivalenceIndex,
    c: &Candidature,
    diags: &mut Diagnostics,
) {
    let mut local = Diagnostics::new();
    names(project, c, &mut local);
    let clean = !local.has_errors();
    diags.extend(local);
    if clean && project.current_rem(&c.dispositif).is_some() {
        // The reference date only matters for alerts, not for errors.
        match crate::rules::evaluate(c, project, index, chrono::NaiveDateTime::default()) {
            Ok(outcome) => {
                for w in outcome.warnings {
                    diags.push(w);
                }
            }
            Err(errors) => {
                for e in errors {
                    diags.push(e);
                }
            }
        }
    }
}

/// What a candidature names: dispositif, profiles, chapters, NRUs.
pub fn names(project: &Project, c: &Candidature, diags: &mut Diagnostics) {
    let Some(dispositif) = project.catalogue.get(c.dispositif.as_str()) else {
        // Unlike a REM, a candidature cannot stand without the DSR: with no
        // dsr.csv at all its dispositif is unknown too.
        let no_catalogue =
            project.catalogue.dispositifs.is_empty() && !project.catalogue.unreadable;
        if no_catalogue || project.catalogue.is_unknown(c.dispositif.as_str()) {
            diags.push(unknown_dispositif(
                project,
                c.dispositif.as_str(),
                c.locate("dispositif"),
                "candidature",
            ));
        }
        return;
    };
    if dispositif.vague != Vague::Deux {
        diags.error(
            c.locate("dispositif"),
            format!(
                "{} est un dispositif de vague 1 : on ne candidate qu'à un dispositif de vague 2",
                c.dispositif
            ),
        );
        return;
    }
    for (i, p) in c.profils.iter().enumerate() {
        if !dispositif.knows_profile(p) {
            let mut d = Diagnostic::error(
                c.locate(&format!("profils[{i}]")),
                format!(
                    "profil « {p} » inconnu du dispositif {} ; profils du DSR : {}",
                    c.dispositif,
                    profile_list(dispositif)
                ),
            );
            if let Some(best) = did_you_mean(p.as_str(), profile_names(dispositif)) {
                d = d.with_hint(format!("vouliez-vous dire « {best} » ?"));
            }
            diags.push(d);
        }
    }
    if let Some(rem) = project.current_rem(&c.dispositif) {
        let chapters = rem.chapters();
        let components = c
            .solution
            .component_slots()
            .map(|slot| (slot.path(), slot.composant));
        for (path, component) in components {
            for (j, chapter) in component.chapitres.iter().enumerate() {
                if chapters
                    .iter()
                    .any(|c| crate::text::fold_key(c) == crate::text::fold_key(chapter))
                {
                    continue;
                }
                let mut d = Diagnostic::error(
                    c.locate(&format!("{path}.chapitres[{j}]")),
                    format!(
                        "chapitre « {chapter} » absent du REM {} {} (composant « {} »)",
                        c.dispositif, rem.version, component.nom
                    ),
                );
                d = match did_you_mean(chapter, chapters.iter().copied()) {
                    Some(best) => d.with_hint(format!("vouliez-vous dire « {best} » ?")),
                    None if chapters.is_empty() => d,
                    None => d.with_hint(format!("chapitres du REM : {}", chapters.join(" ; "))),
                };
                diags.push(d);
            }
        }
    } else if !project.unreadable_rems.contains(&c.dispositif) {
        diags.warning(
            c.locate("dispositif"),
            format!(
                "aucun REM pour {} : les preuves de cette candidature ne peuvent être calculées",
                c.dispositif
            ),
        );
    }
    let nrus = c
        .heritage
        .iter()
        .enumerate()
        .map(|(i, n)| (format!("heritage[{i}]"), n))
        .chain(c.equivalence.iter().map(|n| ("equivalence".to_owned(), n)));
    for (path, nru) in nrus {
        if project.registry.get(nru).is_none() {
            diags.error(
                c.locate(&path),
                format!("NRU {nru} inconnu : absent du registre data/referencements.csv"),
            );
        }
    }
}

fn duplicate_candidature_ids(project: &Project, diags: &mut Diagnostics) {
    let mut seen: BTreeMap<&str, &Candidature> = BTreeMap::new();
    for c in &project.candidatures {
        if let Some(first) = seen.get(c.id.as_str()) {
            diags.error(
                c.locate("id"),
                format!(
                    "identifiant de candidature « {} » déjà utilisé par {}",
                    c.id, first.file
                ),
            );
        } else {
            seen.insert(c.id.as_str(), c);
        }
    }
}

/// R8: several candidatures on one dispositif for solutions sharing a
/// composant principal (ignoring case and accents) « sous réserve que les
/// profils et les numéros de versions soient différents » (seed 001): both
/// the same is an error, one of the two the same a warning. The same holds
/// against the registry's référencements (Référencé or En cours).
fn multiple_candidatures(project: &Project, diags: &mut Diagnostics) {
    use crate::text::fold_key;
    const SEED: &str = "« Il est possible de déposer plusieurs candidatures dans le même dispositif sous réserve que les profils et les numéros de versions soient différents »";
    let profile_set = |p: &[crate::model::Profile]| -> BTreeSet<String> {
        p.iter()
            .filter(|p| !p.is_general())
            .map(|p| fold_key(p.as_str()))
            .collect()
    };
    // Grouped by dispositif and folded composant principal: only the
    // candidatures of one group are compared (2,000 candidatures of a
    // national corpus are not 2 million comparisons).
    type Group<'p> = (Vec<&'p Candidature>, Vec<&'p crate::model::Referencement>);
    let mut groups: BTreeMap<(String, String), Group<'_>> = BTreeMap::new();
    for c in &project.candidatures {
        let key = (
            c.dispositif.to_string(),
            fold_key(&c.solution.composant_principal),
        );
        groups.entry(key).or_default().0.push(c);
    }
    for r in &project.registry.referencements {
        let key = (r.dispositif.to_string(), fold_key(&r.composant_principal));
        if matches!(
            r.statut,
            crate::model::Statut::Reference | crate::model::Statut::EnCours
        ) {
            if let Some(group) = groups.get_mut(&key) {
                group.1.push(r);
            }
        }
    }
    for (candidatures, registered) in groups.values() {
        for (i, c) in candidatures.iter().enumerate() {
            let profiles = profile_set(&c.profils);
            let others = candidatures[..i].iter().map(|o| {
                (
                    format!("la candidature « {} »", o.id),
                    profile_set(&o.profils) == profiles,
                    o.solution.version == c.solution.version,
                )
            });
            let referenced = registered.iter().map(|r| {
                (
                    format!("le référencement {} ({}, {})", r.nru, r.solution, r.statut),
                    profile_set(&r.profils) == profiles,
                    r.version == c.solution.version,
                )
            });
            // Every error; one warning per candidature (the first pair), not
            // one per pair: a warning is a hint, not an inventory.
            let mut warned = false;
            for (other, same_profiles, same_version) in others.chain(referenced) {
                let what = format!(
                    "« {} » et {other} : même dispositif {}, même composant principal « {} »",
                    c.id, c.dispositif, c.solution.composant_principal
                );
                match (same_profiles, same_version) {
                    (true, true) => diags.push(
                        Diagnostic::error(
                            c.locate("dispositif"),
                            format!(
                                "{what}, mêmes profils et même version {} (R8)",
                                c.solution.version
                            ),
                        )
                        .with_hint(format!("changez les profils ou la version : {SEED}")),
                    ),
                    (true, false) if !warned => {
                        warned = true;
                        diags.push(Diagnostic::warning(
                            c.locate("profils"),
                            format!("{what} et mêmes profils (versions différentes) : {SEED} (R8)"),
                        ));
                    }
                    (false, true) if !warned => {
                        warned = true;
                        diags.push(Diagnostic::warning(
                            c.locate("solution.version"),
                            format!(
                                "{what} et même version {} (profils différents) : {SEED} (R8)",
                                c.solution.version
                            ),
                        ));
                    }
                    _ => {}
                }
            }
        }
    }
}
