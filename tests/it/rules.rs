//! The proof engine on the worked examples of the ANS webinars (DOMAIN.md),
//! on the fixture project `tests/fixtures/rules`: a small REM per dispositif
//! whose every row was chosen to tell one rule from another, so that each
//! expected set below can be checked by hand.

use std::collections::BTreeSet;
use std::path::Path;

use chrono::NaiveDate;
use proptest::prelude::*;
use segurdoc::model::{EquivalenceIndex, Nru, Profile, Project};
use segurdoc::rules::{evaluate, Outcome};

fn fixture() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/rules"))
}

fn project() -> Project {
    let checked = segurdoc::check_project(fixture()).unwrap();
    assert!(
        !checked.diagnostics.has_errors(),
        "{}",
        checked.diagnostics.render()
    );
    checked.project
}

fn reference() -> chrono::NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 6, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap()
}

fn run<'a>(project: &'a Project, index: &EquivalenceIndex, id: &str) -> Outcome<'a> {
    let c = project
        .candidature(id)
        .unwrap_or_else(|| panic!("no candidature {id}"));
    evaluate(c, project, index, reference()).unwrap_or_else(|e| panic!("{id}: {e:?}"))
}

/// `PROOF`, `PROOF@NIL`, each with `:motif` unless nominal.
fn deposits(o: &Outcome<'_>) -> Vec<String> {
    o.a_deposer
        .iter()
        .map(|e| {
            let mut s = e.row.preuve_id.clone();
            if let Some(nil) = e.nil {
                s = format!("{s}@{nil}");
            }
            match e.motif.to_string().as_str() {
                "nominal" => s,
                m => format!("{s} {m}"),
            }
        })
        .collect()
}

fn masked(o: &Outcome<'_>) -> Vec<String> {
    o.masquees
        .iter()
        .map(|m| format!("{} {}", m.row.preuve_id, m.mask))
        .collect()
}

/// The worked example: exact lists, in REM order.
fn assert_outcome(
    id: &str,
    expected_deposits: &[&str],
    expected_masked: &[&str],
    attestation: bool,
) {
    let p = project();
    let index = EquivalenceIndex::new(&p.equivalences);
    let o = run(&p, &index, id);
    assert_eq!(deposits(&o), expected_deposits, "{id}: à déposer");
    assert_eq!(masked(&o), expected_masked, "{id}: masquées");
    assert_eq!(
        !o.attestation.is_empty(),
        attestation,
        "{id}: attestation {:?}",
        o.attestation
    );
}

#[test]
fn nominal_deposits_general_and_pa_of_both_perimetres() {
    assert_outcome(
        "nominal",
        &[
            "DUI.INS.01.01.01@L0001",
            "DUI.INS.01.01.02",
            "DUI.INS.02.01.01",
            "DUI.DMP.01.01.01@L0001",
            "DUI.PSC.01.01.01",
            "DUI.SSI.01.01.01",
            "DUI.ANN.01.01.01",
            "DUI.PA.01.01.01",
            "DUI.PA.02.01.01",
        ],
        &[],
        false,
    );
}

#[test]
fn cas_1_general_rows_common_with_dpi_are_masked_pa_rows_all_deposited() {
    // DUI.PA.02 is common with DPI.IAM.01, but the root did not cover IAM.
    assert_outcome(
        "cas1",
        &[
            "DUI.INS.01.01.01@L0001 cnda:L0001",
            "DUI.INS.02.01.01",
            "DUI.DMP.01.01.01@L0001",
            "DUI.ANN.01.01.01",
            "DUI.PA.01.01.01",
            "DUI.PA.02.01.01",
        ],
        &[
            "DUI.INS.01.01.02 equivalence:NRU-V2-DPI-0001",
            "DUI.PSC.01.01.01 equivalence:NRU-V2-DPI-0001",
            "DUI.SSI.01.01.01 equivalence:NRU-V2-DPI-0001",
        ],
        false,
    );
}

#[test]
fn cas_2_new_ins_component_and_three_names_reopen_ins_with_one_cnda_entry_per_nil() {
    assert_outcome(
        "cas2",
        &[
            "DUI.INS.01.01.01@L0001 composant:IdentiPlus",
            "DUI.INS.01.01.01@L0002 composant:IdentiPlus",
            "DUI.INS.01.01.01@L0003 composant:IdentiPlus",
            "DUI.INS.01.01.02 composant:IdentiPlus",
            "DUI.INS.02.01.01 composant:IdentiPlus",
            "DUI.DMP.01.01.01@L0001",
            "DUI.DMP.01.01.01@L0002",
            "DUI.DMP.01.01.01@L0003",
            "DUI.PSC.01.01.01 edc-psc:noms",
            "DUI.ANN.01.01.01",
            "DUI.PA.01.01.01",
            "DUI.PA.02.01.01",
        ],
        &["DUI.SSI.01.01.01 equivalence:NRU-V2-DPI-0001"],
        true,
    );
}

#[test]
fn cas_3_heritage_and_equivalence_add_up_ins_reopened() {
    // Général and PDE vague 1 rows are inherited from MS2; Général vague 2
    // rows common with DPI are masked; INS is reopened by the component.
    assert_outcome(
        "cas3",
        &[
            "DUI.INS.01.01.01@L0001 composant:IdentiPlus",
            "DUI.INS.01.01.01@L0002 composant:IdentiPlus",
            "DUI.INS.01.01.01@L0003 composant:IdentiPlus",
            "DUI.INS.01.01.02 composant:IdentiPlus",
            "DUI.INS.02.01.01 composant:IdentiPlus",
            "DUI.DMP.01.01.01@L0001 cnda:L0001",
            "DUI.DMP.01.01.01@L0002 cnda:L0002",
            "DUI.DMP.01.01.01@L0003 cnda:L0003",
            "DUI.PSC.01.01.01 edc-psc:noms",
            "DUI.ANN.01.01.01",
            "DUI.PDE.02.01.01",
        ],
        &[
            "DUI.SSI.01.01.01 equivalence:NRU-V2-DPI-0001",
            "DUI.PDE.01.01.01 heritage:NRU-V1-MS2-0001",
        ],
        true,
    );
}

#[test]
fn a_row_both_rules_would_mask_is_reported_as_heritage() {
    assert_outcome(
        "heritage-et-equivalence",
        &[
            "DUI.INS.01.01.01@L0001 cnda:L0001",
            "DUI.INS.02.01.01",
            "DUI.DMP.01.01.01@L0001 cnda:L0001",
            "DUI.ANN.01.01.01",
            "DUI.PDE.02.01.01",
        ],
        &[
            "DUI.INS.01.01.02 heritage:NRU-V1-MS2-0001",
            "DUI.PSC.01.01.01 equivalence:NRU-V2-DPI-0001",
            "DUI.SSI.01.01.01 equivalence:NRU-V2-DPI-0001",
            "DUI.PDE.01.01.01 heritage:NRU-V1-MS2-0001",
        ],
        false,
    );
}

#[test]
fn equivalence_masks_a_profile_row_only_when_the_root_covered_that_profile() {
    assert_outcome(
        "couverture-profil-racine",
        &[
            "DUI.INS.01.01.01@L0001 cnda:L0001",
            "DUI.INS.02.01.01",
            "DUI.DMP.01.01.01@L0001",
            "DUI.ANN.01.01.01",
            "DUI.PA.01.01.01",
        ],
        &[
            "DUI.INS.01.01.02 equivalence:NRU-V2-DPI-0002",
            "DUI.PSC.01.01.01 equivalence:NRU-V2-DPI-0002",
            "DUI.SSI.01.01.01 equivalence:NRU-V2-DPI-0002",
            "DUI.PA.02.01.01 equivalence:NRU-V2-DPI-0002",
        ],
        false,
    );
}

#[test]
fn ms_heritage_exception_three_vague_1_nrus() {
    // Général and PA vague 1 rows from MS1 (cited first), PDE from MS2.
    assert_outcome(
        "exception-ms",
        &[
            "DUI.INS.01.01.01@L0001 cnda:L0001",
            "DUI.INS.02.01.01",
            "DUI.DMP.01.01.01@L0001 cnda:L0001",
            "DUI.PSC.01.01.01",
            "DUI.SSI.01.01.01",
            "DUI.ANN.01.01.01",
            "DUI.PA.02.01.01",
            "DUI.PDE.02.01.01",
        ],
        &[
            "DUI.INS.01.01.02 heritage:NRU-V1-MS1-0001",
            "DUI.PA.01.01.01 heritage:NRU-V1-MS1-0001",
            "DUI.PDE.01.01.01 heritage:NRU-V1-MS2-0001",
        ],
        false,
    );
}

#[test]
fn ahi_alone_is_exempt_from_edc_psc_but_not_with_pa() {
    assert_outcome(
        "ahi",
        &[
            "DUI.INS.01.01.01@L0001",
            "DUI.INS.01.01.02",
            "DUI.INS.02.01.01",
            "DUI.DMP.01.01.01@L0001",
            "DUI.SSI.01.01.01",
            "DUI.ANN.01.01.01",
            "DUI.AHI.01.01.01",
        ],
        &["DUI.PSC.01.01.01 hors-edc-psc"],
        false,
    );
    let p = project();
    let index = EquivalenceIndex::new(&p.equivalences);
    let o = run(&p, &index, "ahi-pa");
    assert!(deposits(&o).contains(&"DUI.PSC.01.01.01".to_owned()));
    assert!(o.masquees.is_empty());
}

#[test]
fn case_1a_monlpsmedecin_to_sdv_psf_two_names_two_nils() {
    assert_outcome(
        "1a-monlps-psf",
        &[
            "PSF.INS.01.01.01@L0101 cnda:L0101",
            "PSF.INS.01.01.01@L0102 cnda:L0102",
            "PSF.PSC.01.01.01 edc-psc:noms",
            "PSF.ORD.01.01.01@L0101 cnda:L0101",
            "PSF.ORD.01.01.01@L0102 cnda:L0102",
            "PSF.SF.01.01.01",
            "PSF.KINE.01.01.01",
        ],
        &[],
        true,
    );
}

#[test]
fn case_3a_same_main_component_other_additional_component() {
    assert_outcome(
        "3a-autre-composant",
        &[
            "PSF.INS.01.01.01@L0103 cnda:L0103",
            "PSF.PSC.01.01.01 edc-psc:noms",
            "PSF.ORD.01.01.01@L0103 composant:OrdoPlus",
        ],
        &[],
        true,
    );
}

#[test]
fn case_1b_new_version_on_the_same_dispositif_masks_every_covered_row() {
    assert_outcome(
        "1b-medi10",
        &[
            "DUI.INS.01.01.01@L0201 cnda:L0201",
            "DUI.DMP.01.01.01@L0201 cnda:L0201",
        ],
        &[
            "DUI.INS.01.01.02 equivalence:NRU-V2-DUI-0001",
            "DUI.INS.02.01.01 equivalence:NRU-V2-DUI-0001",
            "DUI.PSC.01.01.01 equivalence:NRU-V2-DUI-0001",
            "DUI.SSI.01.01.01 equivalence:NRU-V2-DUI-0001",
            "DUI.ANN.01.01.01 equivalence:NRU-V2-DUI-0001",
            "DUI.PA.01.01.01 equivalence:NRU-V2-DUI-0001",
            "DUI.PA.02.01.01 equivalence:NRU-V2-DUI-0001",
        ],
        false,
    );
}

#[test]
fn case_2b_medi20_new_profile_and_two_new_components() {
    // PH avec DO was not covered by Medi10 (PA): its rows are deposited;
    // SSI is reopened by SecuLog; OrientaLink's chapter (Accompagnement,
    // PA rows) is out of scope for PH avec DO, which an alert says.
    let p = project();
    let index = EquivalenceIndex::new(&p.equivalences);
    let o = run(&p, &index, "2b-medi20");
    assert_eq!(
        deposits(&o),
        [
            "DUI.INS.01.01.01@L0202 cnda:L0202",
            "DUI.DMP.01.01.01@L0202 cnda:L0202",
            "DUI.PSC.01.01.01 edc-psc:noms",
            "DUI.SSI.01.01.01 composant:SecuLog",
            "DUI.PH.01.01.01",
        ]
    );
    assert_eq!(
        masked(&o),
        [
            "DUI.INS.01.01.02 equivalence:NRU-V2-DUI-0001",
            "DUI.INS.02.01.01 equivalence:NRU-V2-DUI-0001",
            "DUI.ANN.01.01.01 equivalence:NRU-V2-DUI-0001",
        ]
    );
    assert_eq!(
        o.attestation,
        [
            "le nom commercial « Medi20 » diffère du nom de la solution racine NRU-V2-DUI-0001 « Medi10 »",
            "nouveaux composants : OrientaLink, SecuLog",
        ]
    );
    assert_eq!(
        o.alertes,
        ["le composant « OrientaLink » impacte un chapitre dont aucune preuve ne concerne les profils demandés"]
    );
}

#[test]
fn deadlines_and_alerts_follow_the_reference_date() {
    let p = project();
    let index = EquivalenceIndex::new(&p.equivalences);
    let c = p.candidature("cas1").unwrap();
    let at = |y, m, d| {
        evaluate(
            c,
            &p,
            &index,
            NaiveDate::from_ymd_opt(y, m, d)
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap(),
        )
        .unwrap()
        .alertes
    };
    assert!(at(2026, 9, 30).is_empty());
    assert_eq!(at(2026, 10, 2).len(), 1);
    assert!(at(2027, 10, 2)
        .iter()
        .any(|a| a.contains("NRU de la solution racine devait être déclaré avant la Date 2")));
    assert!(at(2028, 3, 16)[0].starts_with("Date 3 dépassée"));
    let o = evaluate(c, &p, &index, reference()).unwrap();
    let json = segurdoc::render::preuves::json(&o);
    assert!(json.contains("\"date3\": \"2028-03-15T12:00\""), "{json}");
    assert!(
        json.contains("\"derogatoire_jusqu_au\": \"2028-03-15T12:00\""),
        "CNDA row of cas1: {json}"
    );
}

// ---- Errors (R2, R3, R9) -------------------------------------------------

/// The fixture with one more candidature; `check`'s diagnostics for it.
fn check_with(yaml: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    crate::check::copy_tree(&fixture().join("data"), &dir.path().join("data"));
    std::fs::write(dir.path().join("data/candidatures/zz-erreur.yaml"), yaml).unwrap();
    let checked = segurdoc::check_project(dir.path()).unwrap();
    let prefix = format!("{}/", dir.path().display());
    // The fixture holds many candidatures of one solution on one dispositif,
    // each a case of its own: their R8 warnings are tested in check.rs.
    checked
        .diagnostics
        .render()
        .replace(&prefix, "")
        .lines()
        .filter(|l| !(l.contains(": warning: ") && l.ends_with("(R8)")))
        .map(|l| format!("{l}\n"))
        .collect()
}

fn candidature_yaml(
    profils: &str,
    version: &str,
    composant: &str,
    heritage: &str,
    equivalence: &str,
) -> String {
    format!(
        "dispositif: MS-DUI\nprofils: [{profils}]\nediteur:\n  raison_sociale: Alpha Santé SAS\n  siret: \"79045612300013\"\nsolution:\n  nom: Alpha Erreur\n  version: \"{version}\"\n  composant_principal: {composant}\nnoms_commerciaux:\n  - {{ nom: Alpha Erreur, nil: L0999, version: \"{version}\" }}\nheritage: [{heritage}]\nequivalence: {equivalence}\n"
    )
}

#[test]
fn rule_violations_are_errors_naming_the_file_and_key() {
    let cases = [
        (
            "heritage-vague-2",
            candidature_yaml("PA", "9.0", "ALPHA-CORE", "NRU-V2-DPI-0001", "null"),
        ),
        (
            "heritage-hors-dsr",
            candidature_yaml("PA", "9.0", "ALPHA-CORE", "NRU-V1-DPI-0001", "null"),
        ),
        (
            "heritage-deux-ms2",
            candidature_yaml(
                "PDE",
                "9.0",
                "ALPHA-CORE",
                "NRU-V1-MS2-0001, NRU-V1-MS2-0002",
                "null",
            ),
        ),
        (
            "heritage-inconnu",
            candidature_yaml("PA", "9.0", "ALPHA-CORE", "NRU-V1-MS9-0001", "null"),
        ),
        (
            "racine-vague-1",
            candidature_yaml("PA", "9.0", "ALPHA-CORE", "", "NRU-V1-MS1-0001"),
        ),
        (
            "racine-en-cours",
            candidature_yaml("PA", "9.0", "ALPHA-CORE", "", "NRU-V2-DPI-0003"),
        ),
        (
            "racine-autre-composant",
            candidature_yaml("PA", "9.0", "ALPHA-CORE", "", "NRU-V2-DPI-0004"),
        ),
        (
            "racine-version-superieure",
            candidature_yaml("PA", "5.9", "ALPHA-CORE", "", "NRU-V2-DPI-0005"),
        ),
        (
            "deux-racines",
            candidature_yaml(
                "PA",
                "9.0",
                "ALPHA-CORE",
                "",
                "[NRU-V2-DPI-0001, NRU-V2-DPI-0002]",
            ),
        ),
        (
            "profil-inconnu",
            candidature_yaml("PX", "9.0", "ALPHA-CORE", "", "null"),
        ),
    ];
    let mut all = String::new();
    for (name, yaml) in cases {
        let out = check_with(&yaml);
        assert!(out.contains("zz-erreur.yaml:"), "{name}: {out}");
        all.push_str(&format!("--- {name}\n{out}"));
    }
    insta::assert_snapshot!(all);
}

#[test]
fn a_new_component_must_name_a_chapter_of_the_rem() {
    let mut yaml = candidature_yaml("PA", "9.0", "ALPHA-CORE", "", "null");
    yaml = yaml.replace(
        "  composant_principal: ALPHA-CORE\n",
        "  composant_principal: ALPHA-CORE\n  composants_additionnels:\n    - { nom: X, nouveau: true, chapitres: [INSS] }\n    - { nom: Y, nouveau: true }\n",
    );
    insta::assert_snapshot!(check_with(&yaml), @r"
    data/candidatures/zz-erreur.yaml:11:44: error: chapitre « INSS » absent du REM MS-DUI 1.0 (composant « X »)
      = aide : vouliez-vous dire « INS » ?
    data/candidatures/zz-erreur.yaml:12:26: warning: composant nouveau « Y » sans « chapitres » : aucun chapitre ne sera redemandé à cause de lui (R4)
    ");
}

// ---- Laws -----------------------------------------------------------------

fn profiles_strategy() -> impl Strategy<Value = Vec<&'static str>> {
    proptest::sample::subsequence(vec!["PA", "PH avec DO", "PDE", "AHI"], 0..=4)
}

fn chapters_strategy() -> impl Strategy<Value = Vec<&'static str>> {
    proptest::sample::subsequence(
        vec![
            "INS",
            "DMP",
            "PSC",
            "SSI",
            "Annuaire",
            "Accompagnement",
            "Enfance",
        ],
        0..=3,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// R4: a row of an impacted chapter is never masked by héritage or
    /// équivalence (only R6 takes it out: an exempt profile is not concerned
    /// by EDC PSC, whatever the components).
    #[test]
    fn rows_of_impacted_chapters_are_never_masked(
        profils in profiles_strategy(),
        chapters in chapters_strategy(),
        root in proptest::sample::select(vec!["NRU-V2-DPI-0001", "NRU-V2-DPI-0002"]),
        heritage in proptest::bool::ANY,
    ) {
        let p = project();
        let index = EquivalenceIndex::new(&p.equivalences);
        let mut c = p.candidature("cas2").unwrap().clone();
        c.profils = profils.iter().map(|s| Profile::new(s)).collect();
        c.solution.composants_additionnels[0].chapitres = chapters.iter().map(|s| (*s).to_owned()).collect();
        c.solution.composants_additionnels[0].nouveau = !chapters.is_empty();
        c.equivalence = Some(Nru::parse(root).unwrap());
        c.heritage = if heritage { vec![Nru::parse("NRU-V1-MS2-0001").unwrap()] } else { vec![] };
        let o = evaluate(&c, &p, &index, reference()).unwrap();
        for m in &o.masquees {
            prop_assert!(
                !chapters.contains(&m.row.chapitre.as_str()) || m.mask == segurdoc::rules::Mask::HorsEdcPsc,
                "{} masked ({}) though its chapter is impacted", m.row.preuve_id, m.mask
            );
        }
    }

    /// Citing a root NRU never adds a proof to deposit.
    #[test]
    fn a_root_nru_never_adds_a_proof(
        profils in profiles_strategy(),
        chapters in chapters_strategy(),
        root in proptest::sample::select(vec!["NRU-V2-DPI-0001", "NRU-V2-DPI-0002"]),
    ) {
        let p = project();
        let index = EquivalenceIndex::new(&p.equivalences);
        let mut c = p.candidature("cas2").unwrap().clone();
        c.profils = profils.iter().map(|s| Profile::new(s)).collect();
        c.solution.composants_additionnels[0].chapitres = chapters.iter().map(|s| (*s).to_owned()).collect();
        c.solution.composants_additionnels[0].nouveau = !chapters.is_empty();
        c.equivalence = None;
        let without: BTreeSet<(String, Option<String>)> = evaluate(&c, &p, &index, reference()).unwrap()
            .a_deposer.iter().map(|e| (e.row.preuve_id.clone(), e.nil.map(str::to_owned))).collect();
        c.equivalence = Some(Nru::parse(root).unwrap());
        let with: BTreeSet<(String, Option<String>)> = evaluate(&c, &p, &index, reference()).unwrap()
            .a_deposer.iter().map(|e| (e.row.preuve_id.clone(), e.nil.map(str::to_owned))).collect();
        prop_assert!(with.is_subset(&without), "added: {:?}", with.difference(&without).collect::<Vec<_>>());
    }

    /// Reordering the equivalence groups, their members and the registry
    /// changes nothing.
    #[test]
    fn results_do_not_depend_on_file_order(seed in proptest::num::u64::ANY) {
        let p = project();
        let mut shuffled = p.clone();
        let mut state = seed | 1;
        let mut next = move |n: usize| { state ^= state << 13; state ^= state >> 7; state ^= state << 17; (state % n as u64) as usize };
        for list in &mut shuffled.equivalences {
            for i in (1..list.groups.len()).rev() { let j = next(i + 1); list.groups.swap(i, j); }
            for g in &mut list.groups {
                for i in (1..g.members.len()).rev() { let j = next(i + 1); g.members.swap(i, j); }
            }
        }
        let refs = &mut shuffled.registry.referencements;
        for i in (1..refs.len()).rev() { let j = next(i + 1); refs.swap(i, j); }
        let a_index = EquivalenceIndex::new(&p.equivalences);
        let b_index = EquivalenceIndex::new(&shuffled.equivalences);
        for c in &p.candidatures {
            let a = evaluate(c, &p, &a_index, reference()).unwrap();
            let b = evaluate(c, &shuffled, &b_index, reference()).unwrap();
            prop_assert_eq!(segurdoc::render::preuves::json(&a), segurdoc::render::preuves::json(&b));
        }
    }
}

// ---- The command --------------------------------------------------------

fn preuves(args: &[&str]) -> (i32, String, String) {
    crate::check::run_binary(fixture(), &[&["preuves"], args].concat())
}

#[test]
fn preuves_text_is_a_checklist_by_chapter() {
    let (code, stdout, stderr) = preuves(&["cas2", "--date", "2026-10-15"]);
    assert_eq!(code, 0, "{stderr}");
    insta::assert_snapshot!(stdout);
}

#[test]
fn preuves_json_has_the_shape_of_formats_md() {
    let (code, stdout, _) = preuves(&["cas3", "--format", "json", "--date", "2026-06-01"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    // Top-level keys in the order FORMATS.md writes them.
    let positions: Vec<usize> = [
        "candidature",
        "dispositif",
        "rem_version",
        "profils",
        "a_deposer",
        "masquees",
        "documents",
        "echeances",
        "alertes",
    ]
    .iter()
    .map(|k| {
        stdout
            .find(&format!("\n  \"{k}\":"))
            .unwrap_or_else(|| panic!("no key {k}"))
    })
    .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
    assert_eq!(v.as_object().unwrap().len(), 9);
    assert_eq!(v["candidature"], "cas3");
    assert_eq!(v["profils"], serde_json::json!(["Général", "PDE"]));
    assert_eq!(
        v["documents"],
        serde_json::json!(["attestation_sur_l_honneur"])
    );
    let first = &v["a_deposer"][0];
    assert_eq!(first["preuve"], "DUI.INS.01.01.01");
    assert_eq!(first["nil"], "L0001");
    assert_eq!(first["source"], "CNDA");
    assert_eq!(first["motif"], "composant:IdentiPlus");
    assert_eq!(first["perimetre"], "Vague 1");
    // The vague 1 homologation does not name this NIL at 5.3 (R5b): one
    // entry per NIL, with its reason in French.
    let dmp: Vec<&serde_json::Value> = v["a_deposer"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["preuve"] == "DUI.DMP.01.01.01")
        .collect();
    assert_eq!(dmp.len(), 3);
    assert_eq!(dmp[0]["motif"], "cnda:L0001");
    assert!(dmp[0]["explication"]
        .as_str()
        .unwrap()
        .starts_with("nouvelle demande de conformité CNDA : NIL L0001 (version 5.3)"));
    assert!(dmp[0]["preuve_derogatoire"]
        .as_str()
        .unwrap()
        .contains("Pré-examen"));
    let psc = v["masquees"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["preuve"] == "DUI.SSI.01.01.01")
        .unwrap();
    assert_eq!(psc["exigence_commune"], "HOP-DPI:DPI.SSI.01");
    assert_eq!(v["echeances"]["date2"], "2027-10-01T12:00");
}

#[test]
fn preuves_csv_lists_deposits_then_masked() {
    let (code, stdout, _) = preuves(&["ahi", "--format", "csv", "--date", "2026-06-01"]);
    assert_eq!(code, 0);
    let lines: Vec<&str> = stdout.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], "Statut;N° preuve;ID;Chapitre;Profil;Périmètre;Source;NIL;Motif;Exigence commune;Preuve dérogatoire jusqu'au;Nature;Source déduite;Texte de l'exigence;N° scénario;Scénario;Preuve attendue;Explication");
    assert_eq!(lines[1], "à déposer;DUI.INS.01.01.01;DUI.INS.01;INS;Général;Vague 1;CNDA;L0001;nominal;;2028-03-15T12:00;;;Interroger INSi;DUI.INS.01.01;Scénario;Homologation INSi;exigée par le REM : aucun référencement antérieur ne la couvre");
    assert_eq!(
        lines.last().unwrap(),
        &"masquée;DUI.PSC.01.01.01;DUI.PSC.01;PSC;Général;Vague 2;EDC PSC;;hors-edc-psc;;;;;Authentification PSC;DUI.PSC.01.01;Scénario;Habilitation EDC PSC;non redemandée : les profils choisis sont hors EDC PSC (DSR)"
    );
    assert_eq!(lines.len(), 1 + 7 + 1);
}

#[test]
fn preuves_takes_a_path_inside_or_outside_the_project() {
    let by_id = preuves(&["cas1", "--format", "json", "--date", "2026-06-01"]);
    let file = fixture().join("data/candidatures/cas1.yaml");
    let by_path = preuves(&[
        file.to_str().unwrap(),
        "--format",
        "json",
        "--date",
        "2026-06-01",
    ]);
    assert_eq!(by_id, by_path);
    // A draft kept elsewhere is checked against the project's data.
    let dir = tempfile::tempdir().unwrap();
    let draft = dir.path().join("brouillon.yaml");
    std::fs::write(
        &draft,
        std::fs::read_to_string(&file)
            .unwrap()
            .replace("NRU-V2-DPI-0001", "NRU-V2-DPI-0003"),
    )
    .unwrap();
    // A root still En cours is not an error (R3 timing): the common proofs
    // are due now, spared only if the root is referenced before Date 2.
    let (code, stdout, stderr) = preuves(&[draft.to_str().unwrap(), "--date", "2026-06-01"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("DUI.INS.01.01.02     Convergence (attente-racine:NRU-V2-DPI-0003)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("est encore en cours de référencement"),
        "{stdout}"
    );
    // After Date 2 it can spare nothing any more.
    let (code, stdout, _) = preuves(&[draft.to_str().unwrap(), "--date", "2027-10-01T12:00"]);
    assert_eq!(code, 0);
    assert!(!stdout.contains("attente-racine"), "{stdout}");
    assert!(
        stdout.contains("n'était pas référencée à la Date 2"),
        "{stdout}"
    );
    // A root at a higher version is an error at the key.
    std::fs::write(
        &draft,
        std::fs::read_to_string(&file)
            .unwrap()
            .replace("NRU-V2-DPI-0001", "NRU-V2-DPI-0005"),
    )
    .unwrap();
    let (code, stdout, stderr) = preuves(&[draft.to_str().unwrap()]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stderr
            .contains("brouillon.yaml:17:14: error: NRU-V2-DPI-0005 est référencé en version 9.0"),
        "{stderr}"
    );
}

#[test]
fn preuves_usage_errors() {
    let (code, _, stderr) = preuves(&["cas4"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("candidature « cas4 » introuvable"),
        "{stderr}"
    );
    assert!(
        stderr.contains("vouliez-vous dire « cas1 » ?")
            || stderr.contains("vouliez-vous dire « cas2 » ?")
            || stderr.contains("vouliez-vous dire « cas3 » ?"),
        "{stderr}"
    );
    let (code, _, stderr) = preuves(&["cas1", "--date", "15/13/2026"]);
    assert_eq!(code, 2, "{stderr}");
}

/// The JSON and CSV lists are written directly (with each REM row's fixed
/// part made once per build); they must be exactly what serde_json's pretty
/// printer and the csv crate make of the documented views, for every
/// candidature of the fixture and for values that need escaping or quoting
/// (`;`, quotes, a line break, a backslash in a component's name).
#[test]
fn direct_json_and_csv_equal_the_serde_and_csv_crate_output() {
    fn reference_csv(o: &Outcome<'_>) -> Vec<u8> {
        let view = segurdoc::render::preuves::json_view(o);
        let mut bytes = "\u{feff}".as_bytes().to_vec();
        let mut w = csv::WriterBuilder::new()
            .delimiter(b';')
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut bytes);
        segurdoc::render::csv::record(&mut w, segurdoc::render::preuves::CSV_HEADER).unwrap();
        for e in &view.a_deposer {
            let motif = e.motif.to_string();
            let d = e
                .derogatoire_jusqu_au
                .map(|d| d.to_string())
                .unwrap_or_default();
            segurdoc::render::csv::record(
                &mut w,
                [
                    "à déposer",
                    e.preuve,
                    e.exigence,
                    e.chapitre,
                    e.profil,
                    e.perimetre,
                    e.source,
                    e.nil.unwrap_or(""),
                    &motif,
                    "",
                    &d,
                    e.nature.unwrap_or(""),
                    if e.source_deduite { "oui" } else { "" },
                    &e.texte_exigence,
                    e.scenario,
                    &e.texte_scenario,
                    &e.texte_preuve,
                    &e.explication,
                ],
            )
            .unwrap();
        }
        for m in &view.masquees {
            let motif = m.motif.to_string();
            let common = m
                .exigence_commune
                .map(|c| c.to_string())
                .unwrap_or_default();
            segurdoc::render::csv::record(
                &mut w,
                [
                    "masquée",
                    m.preuve,
                    m.exigence,
                    m.chapitre,
                    m.profil,
                    m.perimetre,
                    m.source,
                    &m.nils.join("|"),
                    &motif,
                    &common,
                    "",
                    m.nature.unwrap_or(""),
                    if m.source_deduite { "oui" } else { "" },
                    &m.texte_exigence,
                    m.scenario,
                    &m.texte_scenario,
                    &m.texte_preuve,
                    &m.explication,
                ],
            )
            .unwrap();
        }
        w.flush().unwrap();
        drop(w);
        bytes
    }
    let dir = tempfile::tempdir().unwrap();
    crate::check::copy_tree(fixture(), dir.path());
    let cas3 = dir.path().join("data/candidatures/cas3.yaml");
    let text = std::fs::read_to_string(&cas3).unwrap();
    let hostile = "Identi;\\\"Plus\\\" \\\\ deux\\nlignes";
    assert!(text.contains("nom: IdentiPlus"), "{text}");
    std::fs::write(
        &cas3,
        text.replacen("nom: IdentiPlus", &format!("nom: \"{hostile}\""), 1),
    )
    .unwrap();
    // A REM text with quotes, a `;`, a tab, markup and two lines.
    let rem = dir.path().join("data/rem/MS-DUI/1.0.csv");
    let text = std::fs::read_to_string(&rem).unwrap();
    assert!(text.contains(";Interroger INSi;"), "{text}");
    std::fs::write(
        &rem,
        text.replace(
            ";Interroger INSi;",
            ";\"Interroger <b>INSi</b> ; \"\"vite\"\"\tpuis\nrelire\";",
        ),
    )
    .unwrap();
    let p = segurdoc::check_project(dir.path()).unwrap().project;
    let index = EquivalenceIndex::new(&p.equivalences);
    let mut checked = 0;
    for c in &p.candidatures {
        let Ok(o) = evaluate(c, &p, &index, reference()) else {
            continue;
        };
        let texts = segurdoc::render::preuves::row_texts(o.rem);
        let serde =
            serde_json::to_string_pretty(&segurdoc::render::preuves::json_view(&o)).unwrap() + "\n";
        assert_eq!(segurdoc::render::preuves::json(&o), serde, "{}", c.id);
        assert_eq!(
            segurdoc::render::preuves::json_with(&o, Some(&texts)),
            serde,
            "{}",
            c.id
        );
        let csv = reference_csv(&o);
        assert_eq!(segurdoc::render::preuves::csv(&o), csv, "{}", c.id);
        assert_eq!(
            segurdoc::render::preuves::csv_with(&o, Some(&texts)),
            csv,
            "{}",
            c.id
        );
        checked += 1;
    }
    assert!(checked >= 10, "{checked}");
    let c = p.candidature("cas3").unwrap();
    let csv = String::from_utf8(segurdoc::render::preuves::csv(
        &evaluate(c, &p, &index, reference()).unwrap(),
    ))
    .unwrap();
    assert!(
        csv.contains("\"composant:Identi;\"\"Plus\"\" \\ deux\nlignes\""),
        "{csv}"
    );
    // The text as a reader sees it: no markup, quotes doubled, white
    // space as the page shows it.
    assert!(
        csv.contains("\"Interroger INSi ; \"\"vite\"\" puis relire\""),
        "{csv}"
    );
    assert!(
        csv.contains("exigée par le REM : aucun référencement antérieur ne la couvre"),
        "{csv}"
    );
}

// ---- Second pass of the guichet rules (R3 timing, R5b, R7) --------------

#[test]
fn case_1a_identical_solution_same_nil_and_version_spares_its_homologations() {
    // Seed 001: a conformity request per NIL, « néanmoins requise si la
    // version du logiciel a évolué ». Same NIL at the same version: the
    // homologation is not asked again, with a reminder about referential
    // versions; the habilitation names the same name and NIL: not asked.
    let p = project();
    let index = EquivalenceIndex::new(&p.equivalences);
    let o = run(&p, &index, "1a-identique");
    let cnda: Vec<_> = o
        .masquees
        .iter()
        .filter(|m| m.row.source == segurdoc::model::Source::Cnda)
        .map(|m| (m.row.preuve_id.as_str(), m.nils.clone()))
        .collect();
    assert_eq!(cnda, [("DUI.INS.01.01.01", vec!["L0001"])]);
    assert!(
        deposits(&o).iter().all(|d| !d.contains("cnda:")),
        "{:?}",
        deposits(&o)
    );
    assert!(masked(&o).contains(&"DUI.PSC.01.01.01 equivalence:NRU-V2-DPI-0001".to_owned()));
    assert!(o.alertes.iter().any(|a| a.starts_with(
        "homologations CNDA non redemandées pour le NIL L0001 : seulement si les versions des référentiels applicables"
    )), "{:?}", o.alertes);
    // One version more: a new conformity request for that NIL.
    let mut c = p.candidature("1a-identique").unwrap().clone();
    c.noms_commerciaux[0].version = segurdoc::model::Version::parse("3.0.1").unwrap();
    c.solution.version = c.noms_commerciaux[0].version.clone();
    let o = evaluate(&c, &p, &index, reference()).unwrap();
    assert!(deposits(&o).contains(&"DUI.INS.01.01.01@L0001 cnda:L0001".to_owned()));
}

#[test]
fn faq_ms2_pde_in_vague_1_then_pa_in_vague_2_deposits_the_pa_vague_1_rows() {
    // FAQ of seed 001: référencée MS2 PDE en vague 1, candidate PA en
    // vague 2: héritage covers Général and PDE, not the PA rows of vague 1.
    let p = project();
    let index = EquivalenceIndex::new(&p.equivalences);
    let mut c = p.candidature("exception-ms").unwrap().clone();
    c.heritage = vec![Nru::parse("NRU-V1-MS2-0001").unwrap()];
    c.profils = vec![Profile::new("PA")];
    let o = evaluate(&c, &p, &index, reference()).unwrap();
    let due = deposits(&o);
    assert!(due.contains(&"DUI.PA.01.01.01".to_owned()), "{due:?}");
    assert!(masked(&o).contains(&"DUI.INS.01.01.02 heritage:NRU-V1-MS2-0001".to_owned()));
}

#[test]
fn deadlines_are_instants_at_12h00_and_no_derogation_after_date_3() {
    let at = |date: &str| preuves(&["cas2", "--format", "json", "--date", date]);
    let json = |date: &str| -> serde_json::Value { serde_json::from_str(&at(date).1).unwrap() };
    let alerts = |v: &serde_json::Value| v["alertes"].to_string();
    assert!(!alerts(&json("2027-10-01T11:59")).contains("Date 2 dépassée"));
    assert!(alerts(&json("2027-10-01T12:00")).contains("Date 2 dépassée"));
    let entry = crate::check::due_entry;
    // Before Date 2: the Date 2 content; between Date 2 and 3: the Date 3 one.
    let before = entry(&json("2027-01-01"), "DUI.PSC.01.01.01");
    assert!(!before["preuve_derogatoire"]
        .as_str()
        .unwrap()
        .contains("prérequis maturité technique"));
    let between = entry(&json("2027-12-01"), "DUI.PSC.01.01.01");
    assert!(between["preuve_derogatoire"]
        .as_str()
        .unwrap()
        .contains("prérequis maturité technique"));
    let after = json("2028-03-15T12:00");
    assert!(after["a_deposer"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e.get("preuve_derogatoire").is_none()));
    assert!(alerts(&after).contains("aucune preuve dérogatoire acceptée"));
}

#[test]
fn a_root_referenced_after_date_2_is_an_error_at_its_key() {
    let mut p = project();
    let root = p
        .registry
        .referencements
        .iter_mut()
        .find(|r| r.nru.as_str() == "NRU-V2-DPI-0001")
        .unwrap();
    root.date = NaiveDate::from_ymd_opt(2027, 10, 1);
    let index = EquivalenceIndex::new(&p.equivalences);
    let c = p.candidature("cas1").unwrap();
    let errors = evaluate(c, &p, &index, reference()).unwrap_err();
    assert!(
        errors[0]
            .message
            .contains("le jour même de la Date 2 de MS-DUI"),
        "{:?}",
        errors
    );
}

#[test]
fn only_homologations_and_habilitations_have_a_derogation() {
    let p = project();
    let mut row = p
        .current_rem(&segurdoc::model::DispositifCode::parse("MS-DUI").unwrap())
        .unwrap()
        .rows[0]
        .clone();
    for (source, text, expected) in [
        (
            segurdoc::model::Source::Cnda,
            "Attestation d'homologation CNDA du téléservice INSi",
            true,
        ),
        (
            segurdoc::model::Source::EdcPsc,
            "Habilitation EDC PSC « Éditeur de Proxy e-santé »",
            true,
        ),
        (
            segurdoc::model::Source::EdcPsc,
            "Autorisation d'accès aux environnements de test des acteurs de l'Espace de Confiance",
            false,
        ),
        (
            segurdoc::model::Source::EdcPsc,
            "Synthèse du rapport de test d'intrusion PASSI",
            false,
        ),
        (segurdoc::model::Source::Convergence, "Homologation", false),
    ] {
        row.source = source;
        row.preuve = text.to_owned();
        assert_eq!(segurdoc::rules::derogable(&row), expected, "{text}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// R5b: a CNDA homologation is never masked for a NIL that the masking
    /// référencement did not cover at the same version, and every NIL of
    /// the candidature is either masked or due, never lost.
    #[test]
    fn a_cnda_entry_is_masked_only_for_a_nil_covered_at_the_same_version(
        nils in proptest::sample::subsequence(vec!["L0001", "L0002", "L0003", "L0009"], 0..=4),
        root_version in proptest::sample::select(vec!["3.0", "5.2", "5.3"]),
        candidate in proptest::sample::select(vec!["cas2", "cas3", "heritage-et-equivalence", "1a-identique"]),
    ) {
        let mut p = project();
        for r in &mut p.registry.referencements {
            r.nils = nils.iter().map(|s| (*s).to_owned()).collect();
            if r.nru.as_str() == "NRU-V2-DPI-0001" || r.nru.as_str() == "NRU-V1-MS2-0001" {
                r.version = segurdoc::model::Version::parse(root_version).unwrap();
            }
        }
        let index = EquivalenceIndex::new(&p.equivalences);
        let c = p.candidature(candidate).unwrap();
        let Ok(o) = evaluate(c, &p, &index, reference()) else { return Ok(()); };
        for m in o.masquees.iter().filter(|m| m.row.source == segurdoc::model::Source::Cnda) {
            let by = match &m.mask {
                segurdoc::rules::Mask::Heritage(n) | segurdoc::rules::Mask::Equivalence { nru: n, .. } => p.registry.get(n).unwrap(),
                segurdoc::rules::Mask::HorsEdcPsc => continue,
            };
            for nil in &m.nils {
                let nom = c.noms_commerciaux.iter().find(|n| n.nil == *nil).unwrap();
                prop_assert!(by.nils.iter().any(|x| x == nil) && nom.version == by.version);
            }
        }
        for row in o.a_deposer.iter().map(|e| e.row).chain(o.masquees.iter().map(|m| m.row)).filter(|r| r.source == segurdoc::model::Source::Cnda) {
            for n in &c.noms_commerciaux {
                let due = o.a_deposer.iter().any(|e| std::ptr::eq(e.row, row) && e.nil == Some(n.nil.as_str()));
                let spared = o.masquees.iter().any(|m| std::ptr::eq(m.row, row) && m.nils.contains(&n.nil.as_str()));
                prop_assert!(due != spared, "{} NIL {}: due {due}, spared {spared}", row.preuve_id, n.nil);
            }
        }
    }

    /// R6: nothing EDC PSC is due when every optional profile is exempt,
    /// whatever the components.
    #[test]
    fn nothing_edc_psc_is_due_under_the_exemption(
        chapters in chapters_strategy(),
        new_proxy in proptest::bool::ANY,
    ) {
        let p = project();
        let index = EquivalenceIndex::new(&p.equivalences);
        let mut c = p.candidature("ahi").unwrap().clone();
        c.solution.composants_additionnels = p.candidature("cas2").unwrap().solution.composants_additionnels.clone();
        c.solution.composants_additionnels[0].chapitres = chapters.iter().map(|s| (*s).to_owned()).collect();
        c.solution.composants_additionnels[0].nouveau = !chapters.is_empty();
        if let Some(proxy) = &mut c.solution.proxy_esante { proxy.nouveau = new_proxy; }
        let o = evaluate(&c, &p, &index, reference()).unwrap();
        prop_assert!(o.a_deposer.iter().all(|e| e.row.source != segurdoc::model::Source::EdcPsc));
    }

    /// R3 timing: a root referenced on or after the candidate's Date 2
    /// masks nothing: the candidature is refused with an error.
    #[test]
    fn a_root_referenced_after_date_2_masks_nothing(offset in -400i64..400) {
        let mut p = project();
        let date2 = NaiveDate::from_ymd_opt(2027, 10, 1).unwrap();
        let day = date2 + chrono::Duration::days(offset);
        for r in &mut p.registry.referencements {
            if r.nru.as_str() == "NRU-V2-DPI-0001" { r.date = Some(day); }
        }
        let index = EquivalenceIndex::new(&p.equivalences);
        let c = p.candidature("cas1").unwrap();
        match evaluate(c, &p, &index, reference()) {
            Ok(o) => {
                prop_assert!(day < date2);
                let masks = o.masquees.iter().any(|m| matches!(m.mask, segurdoc::rules::Mask::Equivalence { .. }));
                prop_assert!(masks, "a root referenced before Date 2 masks");
            }
            Err(_) => prop_assert!(day >= date2),
        }
    }
}
