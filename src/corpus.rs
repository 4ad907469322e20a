//! A generator of large, valid projects, for benchmarks and for trying the
//! tool at national scale: N dispositifs × M proofs per REM × R releases, one
//! equivalence list covering every pair, a registry, K candidatures and P
//! Markdown pages. Valid by construction: `check` reports nothing on it.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

/// How big a corpus to generate.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    /// Vague 2 dispositifs (each with a vague 1 dispositif to inherit from).
    pub dispositifs: usize,
    /// Proof rows per REM release.
    pub proofs: usize,
    /// Releases per REM (the last is current).
    pub releases: usize,
    /// Candidatures.
    pub candidatures: usize,
    /// Markdown pages in `content/`.
    pub pages: usize,
}

const CHAPTERS: [&str; 10] = [
    "Gestion de l'Identité Nationale de Santé (INS)",
    "Dossier Médical Partagé (DMP)",
    "Messagerie sécurisée de santé (MSSanté)",
    "Pro Santé Connect (PSC)",
    "Sécurité des systèmes d'information (SSI)",
    "Prérequis maturité technique",
    "Ordonnance numérique",
    "Appli carte Vitale (ApCV)",
    "Annuaire Santé",
    "Réversibilité et portabilité des données",
];

fn code(i: usize) -> String {
    format!("DSP-{:02}", i + 1)
}

fn prefix(i: usize) -> String {
    format!("D{:02}", i + 1)
}

/// Requirements per REM: three proofs each (two scenarios).
fn requirements(proofs: usize) -> usize {
    proofs.div_ceil(3)
}

/// Requirement `k` of dispositif `i`: ID, chapter, profile, Périmètre.
fn requirement(i: usize, k: usize) -> (String, usize, &'static str, &'static str) {
    let chapter = k % CHAPTERS.len();
    let profile = match k % 10 {
        7 => "P1",
        8 => "P2",
        9 => "P3",
        _ => "Général",
    };
    let perimetre = if k.is_multiple_of(3) {
        "Vague 1"
    } else {
        "Vague 2"
    };
    (
        format!("{}.C{:02}.{:04}", prefix(i), chapter + 1, k),
        chapter,
        profile,
        perimetre,
    )
}

fn write(path: &Path, text: &str) -> io::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(path, text)
}

/// Writes the corpus into `dir` (created if needed).
pub fn generate(dir: &Path, spec: &Spec) -> io::Result<()> {
    let data = dir.join("data");
    write(
        &data.join("site.yaml"),
        "title: Corpus de test segurdoc\nbase_url: https://corpus.exemple.fr\nlanguage: fr\n",
    )?;

    let mut dsr = String::from("Code;Nom;Couloir;Vague;Version DSR;Profils;Profils hors EDC PSC;Héritage vague 1;Ouverture;Date 1;Date 2;Date 3\n");
    for i in 0..spec.dispositifs {
        let _ = writeln!(
            dsr,
            "{c};Dispositif {n};Couloir {k};2;2.0;P1|P2|P3;P3;{c}-VA1;2026-01-05;2026-10-01T12:00;2027-10-01T12:00;2028-03-15T12:00",
            c = code(i),
            n = i + 1,
            k = i % 6 + 1
        );
    }
    for i in 0..spec.dispositifs {
        let _ = writeln!(
            dsr,
            "{}-VA1;Dispositif {} vague 1;Couloir {};1;;P1|P2|P3;;;;;;",
            code(i),
            i + 1,
            i % 6 + 1
        );
    }
    write(&data.join("dsr.csv"), &dsr)?;

    let reqs = requirements(spec.proofs);
    for i in 0..spec.dispositifs {
        for r in 0..spec.releases {
            let mut rem = String::with_capacity(spec.proofs * 300);
            rem.push_str("Périmètre;ID;Chapitre;Fonction;Exigence;Profil;N° scénario;Scénario de conformité;N° preuve;Preuve;Criticité;Source\n");
            let mut rows = 0;
            for k in 0..reqs {
                // Each release drops one requirement in 50 of the previous
                // one, adds as many, and rewords one in 20.
                let (id, chapter, profile, perimetre) = requirement(i, k);
                let shift = spec.releases - 1 - r;
                if k % 50 == 49 && shift > 0 {
                    continue;
                }
                let wording = if k % 20 == (r % 20) {
                    "DOIT désormais"
                } else {
                    "DOIT"
                };
                let text = format!("Le logiciel {wording} permettre la fonction {k} du chapitre {} dans le respect du référentiel applicable.", chapter + 1);
                for s in 1..=2 {
                    for p in 1..=(if s == 1 { 2 } else { 1 }) {
                        if rows >= spec.proofs {
                            break;
                        }
                        let source = match (k + s + p) % 20 {
                            0 => "CNDA",
                            1 => "EDC PSC",
                            2 => "Gazelle",
                            3 => "MOTCO2",
                            _ => "Convergence",
                        };
                        let _ = writeln!(
                            rem,
                            "{perimetre};{id};{chapter_name};Fonction {f};{text};{profile};{id}.{s:02};Vérifier le scénario {s} de l'exigence {k};{id}.{s:02}.{p:02};Démonstration (vidéo ou copies d'écran) du scénario {s}, preuve {p};{crit};{source}",
                            chapter_name = CHAPTERS[chapter],
                            f = k % 7 + 1,
                            crit = if k % 4 == 0 { "Majeure" } else { "Mineure" },
                        );
                        rows += 1;
                    }
                }
            }
            write(&data.join(format!("rem/{}/{}.0.csv", code(i), r + 1)), &rem)?;
        }
    }

    // One list: requirement k of every dispositif is common, for one k in 4
    // (requirements dropped from older releases excluded).
    let mut list = (0..spec.dispositifs)
        .map(code)
        .collect::<Vec<_>>()
        .join(";");
    list.push_str(";Commentaire\n");
    for k in (0..reqs).filter(|k| k % 4 == 0 && k % 50 != 49) {
        let ids: Vec<String> = (0..spec.dispositifs).map(|i| requirement(i, k).0).collect();
        let _ = writeln!(list, "{};Socle {k}", ids.join(";"));
    }
    if spec.dispositifs > 1 {
        write(&data.join("equivalences/socle.csv"), &list)?;
    }

    let mut registry = String::from(
        "NRU;Vague;Dispositif;Solution;Version;Profils;Composant principal;Statut;Date\n",
    );
    for i in 0..spec.dispositifs {
        let _ = writeln!(
            registry,
            "NRU-V2-{:02}-0001;2;{};Solution {};1.0;P1;CORE-{:02};Référencé;2026-03-01",
            i + 1,
            code(i),
            i + 1,
            i + 1
        );
        // The vague 1 solution of dispositif i shares its composant principal
        // with the vague 2 solution of dispositif i + 1: a candidature on i
        // can cite both.
        let next = (i + 1) % spec.dispositifs + 1;
        let _ = writeln!(registry, "NRU-V1-{:02}-0001;1;{}-VA1;Solution {next} V1;0.9;P2;CORE-{next:02};Référencé;2022-03-01", i + 1, code(i));
    }
    write(&data.join("referencements.csv"), &registry)?;

    for n in 0..spec.candidatures {
        let i = n % spec.dispositifs.max(1);
        // The root is the solution of the next dispositif: same composant principal.
        let root = (i + 1) % spec.dispositifs.max(1);
        let profils = ["P1", "P2", "P3", "P1, P2"][n % 4];
        let new_component = if n % 3 == 0 {
            format!(
                "  composants_additionnels:\n    - {{ nom: Module {n}, editeur: Tiers SA, nil: L9{n:05}, version: \"1.0\", nouveau: true, chapitres: [\"{}\"] }}\n",
                CHAPTERS[n % CHAPTERS.len()]
            )
        } else {
            String::new()
        };
        let heritage = if n % 2 == 0 {
            format!("NRU-V1-{:02}-0001", i + 1)
        } else {
            String::new()
        };
        let yaml = format!(
            "id: cand-{n:05}\ndispositif: {disp}\nprofils: [{profils}]\nediteur:\n  raison_sociale: Éditeur {n} SAS\n  siret: \"79045612300013\"\n  nie: E{n:05}\n  adresse: {n} rue de la Santé, 75013 Paris\n  representant_legal: {{ civilite: Mme, prenom: Claire, nom: Martin, qualite: Présidente }}\nsolution:\n  nom: Solution {r}\n  version: \"2.{n}\"\n  composant_principal: CORE-{r:02}\n{new_component}noms_commerciaux:\n  - {{ nom: Solution {r}, nil: L{n:05}1, version: \"2.{n}\" }}\n  - {{ nom: Solution {r} Pro, nil: L{n:05}2, version: \"2.{n}\" }}\nheritage: [{heritage}]\nequivalence: NRU-V2-{r:02}-0001\nedc_psc: {{ nru_lps: EDC-{n:05}, nru_proxy: EDC-{n:05} }}\nversions_obsoletes: []\nsignature: {{ lieu: Paris, date: 2026-09-30 }}\n",
            disp = code(i),
            r = root + 1,
        );
        write(&data.join(format!("candidatures/cand-{n:05}.yaml")), &yaml)?;
    }

    let sections = spec.pages.div_ceil(100).max(1);
    let mut written = 0;
    for s in 0..sections {
        if written >= spec.pages {
            break;
        }
        let section = dir.join(format!("content/rubrique-{s:03}"));
        write(
            &section.join("_index.md"),
            &format!("---\ntitle: Rubrique {s}\nweight: {s}\n---\nLes pages de la rubrique {s}.\n"),
        )?;
        written += 1;
        for p in 0..99 {
            if written >= spec.pages {
                break;
            }
            let next = (p + 1) % 99;
            write(
                &section.join(format!("page-{p:03}.md")),
                &format!(
                    "---\ntitle: Page {p} de la rubrique {s}\ndescription: Une page de documentation.\nweight: {p}\n---\n\
# Exigences du chapitre {p}\n\nLe logiciel **DOIT** permettre l'alimentation du DMP ; voir la [page suivante](page-{next:03}.md).\n\n\
## Scénario de conformité\n\n1. Créer un usager avec une identité qualifiée (INS).\n2. Produire un document CDA R2 N1.\n3. Vérifier l'envoi au DMP.\n\n\
| Preuve | Source |\n|---|---|\n| Capture d'écran | Convergence |\n| Certificat d'homologation | CNDA |\n\n\
> Les preuves dérogatoires sont acceptées jusqu'à la Date 3.\n\n{}\n",
                    "Texte courant de la documentation, avec des accents : é, è, à, ç, œ. ".repeat(8)
                ),
            )?;
            written += 1;
        }
    }
    Ok(())
}
