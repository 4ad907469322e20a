//! `segurdoc candidature nouvelle`: the YAML skeleton of a candidature on
//! one dispositif, every key commented in French, with the dispositif's
//! real profiles and the registry's référencements it could cite. `check`
//! on it then lists what is left to fill.

use std::fmt::Write;

use crate::model::{Dispositif, Project, Statut, Vague};

/// A YAML double-quoted scalar.
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_owned())
}

/// The skeleton for `dispositif`, in `project`.
pub fn candidature(project: &Project, d: &Dispositif) -> String {
    let mut y = String::new();
    let _ = writeln!(
        y,
        "# Candidature au référencement Ségur vague 2 — {} ({})",
        d.code, d.nom
    );
    y.push_str(
        "# Complétez chaque valeur vide, puis « segurdoc check » liste ce qui manque encore.\n\
         # Format complet : docs/formats.md (data/candidatures/*.yaml).\n\n",
    );
    let _ = writeln!(y, "dispositif: {}", d.code);
    let optional: Vec<String> = d
        .profils
        .iter()
        .filter(|p| !p.is_general())
        .map(|p| {
            if d.profils_hors_edc_psc.contains(p) {
                format!("{p} (hors EDC PSC)")
            } else {
                p.to_string()
            }
        })
        .collect();
    let _ = writeln!(
        y,
        "# Profils optionnels demandés (Général est toujours évalué) : {}",
        if optional.is_empty() {
            "ce dispositif n'en a pas".to_owned()
        } else {
            optional.join(", ")
        }
    );
    y.push_str("profils: []\n\n");
    y.push_str(
        "editeur:\n\
         \x20 raison_sociale: \"\"\n\
         \x20 siret: \"\"              # 14 chiffres (espaces permis)\n\
         \x20 nie: \"\"                # numéro d'identification éditeur (ANS)\n\
         \x20 adresse: \"\"\n\
         \x20 representant_legal: { civilite: \"\", prenom: \"\", nom: \"\", qualite: \"\" }\n\
         contact: { nom: \"\", email: \"\" }   # facultatif ; telephone: aussi\n\n\
         solution:\n\
         \x20 nom: \"\"\n\
         \x20 version: \"\"            # entre guillemets : YAML lirait 4.10 comme 4.1\n\
         \x20 composant_principal: \"\"\n\
         \x20 # Le Proxy e-santé ; nouveau: true s'il n'était pas dans le référencement cité.\n\
         \x20 proxy_esante: { nom: \"\", editeur: \"\", nouveau: false, chapitres: [] }\n\
         \x20 # Composants additionnels : { nom, editeur, nil, version, nouveau, chapitres }.\n\
         \x20 # Un nouveau composant rend dus les chapitres qu'il touche (noms du REM).\n\
         \x20 composants_additionnels: []\n\n\
         # Au moins un nom commercial, chacun avec son NIL et sa version technique.\n\
         noms_commerciaux:\n\
         \x20 - { nom: \"\", nil: \"\", version: \"\" }\n\n",
    );
    // What the registry holds that this candidature could cite.
    let heritable: Vec<_> = project
        .registry
        .referencements
        .iter()
        .filter(|r| {
            r.vague == Vague::Un
                && r.statut == Statut::Reference
                && d.heritage_vague1.contains(&r.dispositif)
        })
        .collect();
    y.push_str("# Héritage : NRU de vague 1 de la solution, sur ");
    if d.heritage_vague1.is_empty() {
        y.push_str("aucun dispositif (ce dispositif n'hérite de rien).\n");
    } else {
        let codes: Vec<&str> = d.heritage_vague1.iter().map(|c| c.as_str()).collect();
        let _ = writeln!(y, "{}.", codes.join(", "));
    }
    for r in &heritable {
        let _ = writeln!(
            y,
            "#   {} — {} {} ({}, profils {})",
            r.nru,
            r.solution,
            r.version,
            r.dispositif,
            crate::model::Profile::list(&r.profils)
        );
    }
    y.push_str("heritage: []\n\n");
    let roots: Vec<_> = project
        .registry
        .referencements
        .iter()
        .filter(|r| r.vague == Vague::Deux && r.dispositif != d.code)
        .collect();
    y.push_str(
        "# Équivalence : le NRU de la solution racine, référencée en vague 2 sur un autre dispositif.\n",
    );
    for r in &roots {
        let _ = writeln!(
            y,
            "#   {} — {} {} ({}, {})",
            r.nru, r.solution, r.version, r.dispositif, r.statut
        );
    }
    y.push_str("equivalence: null\n\n");
    y.push_str(
        "# Habilitations EDC PSC (NRU du LPS et du Proxy ; le même pour un proxy propre).\n\
         edc_psc: { nru_lps: \"\", nru_proxy: \"\" }\n\
         groupement: []             # { raison_sociale, siret, role }\n\
         distributeurs: []          # { raison_sociale, siret }\n\
         # Versions obsolètes : { version, motif: arret-maintenance|arret-commercialisation, date } ;\n\
         # [] déclare qu'aucune n'est concernée.\n\
         versions_obsoletes: []\n",
    );
    let _ = writeln!(
        y,
        "signature: {{ lieu: {}, date: {} }}   # date AAAA-MM-JJ",
        quoted(""),
        quoted("")
    );
    y
}
