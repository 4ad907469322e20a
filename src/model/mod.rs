//! The domain model: dispositifs, REM releases, equivalence lists, the
//! registry of référencements, candidatures and prose pages — typed, validated,
//! and each carrying the location it was read from.

mod candidature;
pub mod equivalence;
mod types;

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

pub(crate) use candidature::locate_key;
pub use candidature::{
    Candidature, ComponentSlot, Composant, Contact, Distributeur, EdcPsc, Editeur,
    MembreGroupement, MotifObsolescence, NomCommercial, Personne, Signature, Solution,
    VersionObsolete,
};
pub use equivalence::EquivalenceIndex;
pub use types::{
    CandidatureId, Criticite, DispositifCode, Nature, Nru, Perimetre, Profile, Siret, Source,
    Statut, StatutPublication, Vague, Version, GENERAL,
};

use crate::diag::Location;

/// A whole project, as loaded from its folder.
#[derive(Debug, Clone, Default)]
pub struct Project {
    /// The project folder.
    pub root: PathBuf,
    /// `data/site.yaml`.
    pub site: SiteConfig,
    /// `data/dsr.csv`.
    pub catalogue: Catalogue,
    /// `data/rem/<CODE>/<VERSION>.*`: every release of every dispositif, oldest first.
    pub rems: BTreeMap<DispositifCode, Vec<Rem>>,
    /// Dispositifs with a REM file that could not be read at all (already
    /// reported): their requirements are unknown, not missing.
    pub unreadable_rems: std::collections::BTreeSet<DispositifCode>,
    /// `data/equivalences/*.csv`, in file-name order.
    pub equivalences: Vec<EquivalenceList>,
    /// `data/referencements.csv`.
    pub registry: Registry,
    /// `data/candidatures/*.yaml`, in file-name order.
    pub candidatures: Vec<Candidature>,
    /// `content/**/*.md`, in path order.
    pub pages: Vec<ContentPage>,
    /// `templates/**/*.html|*.tera`, overriding the embedded defaults.
    pub templates: Vec<TemplateSource>,
    /// `templates/assets/**`, overriding or adding to the default assets.
    pub assets: Vec<AssetSource>,
    /// Modification time of the newest input file.
    pub newest_input: Option<std::time::SystemTime>,
}

/// A template file of the project.
#[derive(Debug, Clone)]
pub struct TemplateSource {
    /// Name relative to `templates/` (`guide.html`), as templates refer to it.
    pub name: String,
    /// The template text.
    pub text: String,
    /// The file, as shown in diagnostics.
    pub file: std::sync::Arc<str>,
}

/// A static file of the project's `templates/assets/`.
#[derive(Debug, Clone)]
pub struct AssetSource {
    /// Path relative to `templates/assets/`.
    pub name: String,
    /// The bytes, copied as they are.
    pub bytes: Vec<u8>,
}

impl Project {
    /// The current (highest-numbered) release of a dispositif's REM.
    pub fn current_rem(&self, code: &DispositifCode) -> Option<&Rem> {
        self.rems.get(code).and_then(|releases| releases.last())
    }

    /// A candidature by id.
    pub fn candidature(&self, id: &str) -> Option<&Candidature> {
        self.candidatures.iter().find(|c| c.id.as_str() == id)
    }
}

/// `data/site.yaml`: how the site presents itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SiteConfig {
    /// Site title.
    pub title: String,
    /// One-sentence description (home page, meta description).
    pub description: Option<String>,
    /// Public URL the site is published at, for the sitemap.
    pub base_url: Option<String>,
    /// Language of the pages; `fr`.
    pub language: String,
    /// `public: true`: the build publishes the documentation alone, as
    /// `build --public` does.
    pub public: bool,
    /// Who publishes the site (the accessibility statement names it).
    pub publisher: String,
    /// What the accessibility statement says.
    pub accessibility: Accessibility,
    /// Links of the footer after « Accessibilité » (mentions légales…).
    pub footer_links: Vec<FooterLink>,
}

/// `accessibility` in `site.yaml`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Accessibility {
    /// How to reach the publisher about accessibility: an e-mail address
    /// or a URL (a contact form).
    pub contact: Option<String>,
    /// The last RGAA audit, when there was one.
    pub audit: Option<Audit>,
}

impl Accessibility {
    /// The conformity level the site declares: its audit's, else « non
    /// conforme », as the RGAA rules for a site without a valid audit.
    pub fn level(&self) -> &'static str {
        self.audit.as_ref().map_or("non conforme", Audit::level)
    }
}

/// An RGAA audit of the site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Audit {
    /// When (AAAA-MM-JJ).
    pub date: NaiveDate,
    /// Who audited.
    pub auditor: Option<String>,
    /// Share of the applicable RGAA criteria met, in tenths of a percent
    /// (875 for 87,5 %).
    pub rate_tenths: u16,
}

impl Audit {
    /// The RGAA's conformity level: total at 100 %, partial from 50 %.
    pub fn level(&self) -> &'static str {
        if self.rate_tenths >= 1000 {
            "totalement conforme"
        } else if self.rate_tenths >= 500 {
            "partiellement conforme"
        } else {
            "non conforme"
        }
    }

    /// The rate as French writes it: « 87,5 % ».
    pub fn rate(&self) -> String {
        let (whole, tenth) = (self.rate_tenths / 10, self.rate_tenths % 10);
        if tenth == 0 {
            format!("{whole}\u{a0}%")
        } else {
            format!("{whole},{tenth}\u{a0}%")
        }
    }
}

/// A link of the footer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FooterLink {
    /// Label.
    pub title: String,
    /// An absolute URL, or a path from the site root (`mentions-legales/index.html`).
    pub url: String,
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            title: "Référencement Ségur du numérique en santé".to_owned(),
            description: None,
            base_url: None,
            language: "fr".to_owned(),
            public: false,
            publisher: "Agence du Numérique en Santé".to_owned(),
            accessibility: Accessibility::default(),
            footer_links: Vec::new(),
        }
    }
}

/// The three regulatory deadlines of a vague 2 dispositif (Europe/Paris).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Deadlines {
    /// Date 1: administrative file and eligibility submitted at least once.
    pub date1: NaiveDateTime,
    /// Date 2: complete proof file submitted at least once; root NRU declared.
    pub date2: NaiveDateTime,
    /// Date 3: end of exchanges with the ANS on proofs.
    pub date3: NaiveDateTime,
}

/// One dispositif of the DSR catalogue.
#[derive(Debug, Clone)]
pub struct Dispositif {
    /// `MS-DUI`.
    pub code: DispositifCode,
    /// `Dossier Usager Informatisé`.
    pub nom: String,
    /// `Médico-social`.
    pub couloir: String,
    /// Vague 1 or 2.
    pub vague: Vague,
    /// Version of the DSR document.
    pub version_dsr: Option<Version>,
    /// Optional profiles (Général is implicit and not listed).
    pub profils: Vec<Profile>,
    /// Profiles exempt from EDC PSC (R6), a subset of `profils`.
    pub profils_hors_edc_psc: Vec<Profile>,
    /// Vague 1 dispositifs a candidate may inherit from (R2).
    pub heritage_vague1: Vec<DispositifCode>,
    /// Opening of the guichet.
    pub ouverture: Option<NaiveDate>,
    /// Date 1, 2, 3 (vague 2 only).
    pub deadlines: Option<Deadlines>,
    /// Where the row is.
    pub location: Location,
}

impl Dispositif {
    /// The profile of this dispositif matching `profile`, `Général` included.
    pub fn profile(&self, profile: &Profile) -> Option<&Profile> {
        self.profils.iter().find(|p| *p == profile)
    }

    /// True when `profile` is `Général` or one of the dispositif's optional profiles.
    pub fn knows_profile(&self, profile: &Profile) -> bool {
        profile.is_general() || self.profile(profile).is_some()
    }
}

/// The DSR catalogue.
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    /// The dispositifs, in file order.
    pub dispositifs: Vec<Dispositif>,
    /// Codes whose row was present but rejected (already reported): not to
    /// be reported again as unknown wherever they are named.
    pub rejected: Vec<DispositifCode>,
    /// True when `data/dsr.csv` exists but could not be read as a table: no
    /// code can then be said to be unknown.
    pub unreadable: bool,
}

impl Catalogue {
    /// True when `code` is certainly not in the catalogue: not defined, not
    /// rejected for another error, and the catalogue was read. An absent
    /// catalogue (a project of REMs alone) knows no code but reports none.
    pub fn is_unknown(&self, code: &str) -> bool {
        !self.unreadable
            && !self.dispositifs.is_empty()
            && self.get(code).is_none()
            && !self.rejected.iter().any(|c| c.as_str() == code)
    }

    /// The dispositif with this code.
    pub fn get(&self, code: &str) -> Option<&Dispositif> {
        self.dispositifs.iter().find(|d| d.code.as_str() == code)
    }

    /// The codes, for "did you mean" hints.
    pub fn codes(&self) -> impl Iterator<Item = &str> {
        self.dispositifs.iter().map(|d| d.code.as_str())
    }
}

/// One row of a REM: one expected proof of one scenario of one requirement.
#[derive(Debug, Clone, Serialize)]
pub struct RemRow {
    /// Vague 1 (restated) or Vague 2 (new).
    pub perimetre: Perimetre,
    /// Requirement ID (`DUI.INS.01`).
    pub exigence_id: String,
    /// Chapter title.
    pub chapitre: String,
    /// Function inside the chapter.
    pub fonction: Option<String>,
    /// Requirement text (Markdown, inline HTML to be sanitised).
    pub exigence: String,
    /// Comment on the requirement.
    pub commentaire: Option<String>,
    /// `Général` or an optional profile.
    pub profil: Profile,
    /// Scenario number (`DUI.INS.01.01`).
    pub scenario_id: String,
    /// Conformity scenario.
    pub scenario: String,
    /// Proof number (`DUI.INS.01.01.01`), unique within the release.
    pub preuve_id: String,
    /// Expected proof.
    pub preuve: String,
    /// Vague 1 profile, shown only.
    pub profil_historique: Option<String>,
    /// Majeure or Mineure.
    pub criticite: Option<Criticite>,
    /// Sort key; rows sort by it, then by file order.
    pub ordre: Option<i64>,
    /// Where the proof comes from.
    pub source: Source,
    /// True when `source` was inferred from the proof's text (no `Source`
    /// stated): shown as such, and never enough to spare a proof (R6).
    pub source_inferred: bool,
    /// `Obligatoire` or `Préconisée`, when the REM says.
    pub nature: Option<Nature>,
    /// The ANS's label of the requirement against the previous release.
    pub statut_publication: Option<StatutPublication>,
    /// The published REM's `VA N-1` column, kept as written.
    pub va_n_1: Option<String>,
    /// Where the row is.
    #[serde(skip)]
    pub location: Location,
    /// Where its `Profil` cell is (profiles are checked against the DSR after loading).
    #[serde(skip)]
    pub profil_location: Location,
}

/// One release of a dispositif's REM.
#[derive(Debug, Clone)]
pub struct Rem {
    /// The dispositif (from the folder name).
    pub dispositif: DispositifCode,
    /// The release (from the file name).
    pub version: Version,
    /// The file, as shown in diagnostics.
    pub file: std::sync::Arc<str>,
    /// The rows, sorted by `Ordre` then file order.
    pub rows: Vec<RemRow>,
    /// The layout the file was written in.
    pub layout: crate::ingest::rem::Layout,
    /// Requirement IDs of rows rejected for errors (already reported).
    pub rejected_ids: std::collections::BTreeSet<String>,
    /// Requirement ID → index of its first row, built on first use.
    pub requirement_index: std::sync::OnceLock<std::collections::HashMap<String, usize>>,
}

/// A value for each row of one REM release, found from the row itself (a
/// `&RemRow` the proof engine returned) by its position, not by hashing
/// its proof number: what the 2,000 checklists of a build look up 1,500
/// times each.
#[derive(Debug)]
pub struct PerRow<'a, T> {
    rows: &'a [RemRow],
    values: Vec<T>,
}

impl<'a, T> PerRow<'a, T> {
    /// `make` of every row of `rem`.
    pub fn new(rem: &'a Rem, make: impl Fn(&RemRow) -> T) -> Self {
        PerRow {
            rows: &rem.rows,
            values: rem.rows.iter().map(make).collect(),
        }
    }

    /// The value of `row`, when it is one of this release's rows.
    pub fn get(&self, row: &RemRow) -> Option<&T> {
        let size = std::mem::size_of::<RemRow>().max(1);
        let offset = (row as *const RemRow as usize).checked_sub(self.rows.as_ptr() as usize)?;
        let index = offset / size;
        let candidate = self.rows.get(index)?;
        (offset % size == 0 && std::ptr::eq(candidate, row)).then(|| &self.values[index])
    }
}

impl Rem {
    /// True when the release has a requirement with this ID.
    pub fn has_requirement(&self, id: &str) -> bool {
        self.requirement(id).is_some()
    }

    /// The first row of requirement `id` (its text, chapter, profile and
    /// Périmètre are those of all its rows). O(1) after the first call.
    pub fn requirement(&self, id: &str) -> Option<&RemRow> {
        let index = self.requirement_index.get_or_init(|| {
            let mut map = std::collections::HashMap::with_capacity(self.rows.len() / 2);
            for (i, row) in self.rows.iter().enumerate() {
                map.entry(row.exigence_id.clone()).or_insert(i);
            }
            map
        });
        index.get(id).map(|&i| &self.rows[i])
    }

    /// True when the file names this requirement, even on rows rejected for
    /// other errors: such an ID is not to be reported again as missing.
    pub fn mentions_requirement(&self, id: &str) -> bool {
        self.has_requirement(id) || self.rejected_ids.contains(id)
    }

    /// The distinct chapters, in REM order.
    pub fn chapters(&self) -> Vec<&str> {
        let mut seen = Vec::new();
        for row in &self.rows {
            if !seen.contains(&row.chapitre.as_str()) {
                seen.push(row.chapitre.as_str());
            }
        }
        seen
    }

    /// The requirements, in REM order, each with its rows.
    pub fn requirements(&self) -> Vec<(&str, Vec<&RemRow>)> {
        let mut order: Vec<&str> = Vec::new();
        let mut rows: BTreeMap<&str, Vec<&RemRow>> = BTreeMap::new();
        for row in &self.rows {
            let entry = rows.entry(row.exigence_id.as_str()).or_default();
            if entry.is_empty() {
                order.push(row.exigence_id.as_str());
            }
            entry.push(row);
        }
        order
            .into_iter()
            .map(|id| (id, rows.remove(id).unwrap_or_default()))
            .collect()
    }
}

/// One equivalence list: groups of requirements common to several dispositifs.
#[derive(Debug, Clone)]
pub struct EquivalenceList {
    /// The file stem (`socle`).
    pub name: String,
    /// The file, as shown in diagnostics.
    pub file: std::sync::Arc<str>,
    /// The dispositif columns, in file order, with the location of their header.
    pub columns: Vec<(DispositifCode, Location)>,
    /// The groups, one per row.
    pub groups: Vec<EquivalenceGroup>,
}

/// One row of an equivalence list: requirement IDs equivalent to each other.
#[derive(Debug, Clone)]
pub struct EquivalenceGroup {
    /// `(dispositif, requirement ID, location of the ID)`.
    pub members: Vec<EquivalenceMember>,
    /// The `Commentaire` cell.
    pub commentaire: Option<String>,
    /// Where the row is.
    pub location: Location,
}

/// One requirement named in an equivalence group.
#[derive(Debug, Clone)]
pub struct EquivalenceMember {
    /// The column's dispositif.
    pub dispositif: DispositifCode,
    /// The requirement ID.
    pub exigence_id: String,
    /// Where the ID is written.
    pub location: Location,
}

/// One référencement of the registry (vague 1 or 2).
#[derive(Debug, Clone)]
pub struct Referencement {
    /// Its unique number.
    pub nru: Nru,
    /// Vague 1 or 2.
    pub vague: Vague,
    /// The dispositif it was granted (or applied) on.
    pub dispositif: DispositifCode,
    /// Solution name.
    pub solution: String,
    /// Referenced version.
    pub version: Version,
    /// Optional profiles covered.
    pub profils: Vec<Profile>,
    /// Identifier of the composant principal.
    pub composant_principal: String,
    /// Référencé, En cours, Non attribué.
    pub statut: Statut,
    /// Date of the decision.
    pub date: Option<NaiveDate>,
    /// The NILs it covers (R5b); empty when the registry does not say.
    pub nils: Vec<String>,
    /// The commercial names it covers (default: the solution's name).
    pub noms: Vec<String>,
    /// Where the row is.
    pub location: Location,
}

/// The registry of référencements.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    /// In file order.
    pub referencements: Vec<Referencement>,
}

impl Registry {
    /// The référencement with this NRU.
    pub fn get(&self, nru: &Nru) -> Option<&Referencement> {
        self.referencements.iter().find(|r| r.nru == *nru)
    }
}

/// The front matter of a prose page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FrontMatter {
    /// Page title.
    pub title: Option<String>,
    /// Summary for lists and meta description.
    pub description: Option<String>,
    /// Ordering among siblings (lower first).
    pub weight: Option<i64>,
    /// Publication date.
    pub date: Option<NaiveDate>,
    /// Template to render the page with.
    pub template: Option<String>,
    /// Drafts are not published.
    pub draft: bool,
}

/// One page of `content/`.
#[derive(Debug, Clone)]
pub struct ContentPage {
    /// Path relative to `content/`, with `/` separators (`guides/depot.md`).
    pub path: String,
    /// The front matter.
    pub front: FrontMatter,
    /// The Markdown body, front matter removed.
    pub body: String,
    /// Line of the body's first line in the file (for diagnostics in the body).
    pub body_line: u32,
    /// The file, as shown in diagnostics.
    pub file: std::sync::Arc<str>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rem() -> Rem {
        let csv = "Périmètre;ID;Chapitre;Exigence;Profil;N° scénario;Scénario de conformité;N° preuve;Preuve;Source\n\
                   Vague 2;A.01;INS;E;Général;A.01.01;S;A.01.01.01;P1;CNDA\n\
                   Vague 2;A.01;INS;E;Général;A.01.01;S;A.01.01.02;P2;\n\
                   Vague 2;B.01;DMP;E;Général;B.01.01;S;B.01.01.01;P3;\n";
        let mut diags = crate::diag::Diagnostics::new();
        let file: std::sync::Arc<str> = std::sync::Arc::from("X/1.0.csv");
        crate::ingest::parse_rem(
            &file,
            std::path::Path::new("X/1.0.csv"),
            csv.as_bytes(),
            &mut diags,
        )
        .unwrap_or_else(|| panic!("{}", diags.render()))
    }

    #[test]
    fn per_row_finds_each_row_of_its_release_and_no_other() {
        let a = rem();
        let b = rem();
        let map = PerRow::new(&a, |r| r.preuve_id.clone());
        for row in &a.rows {
            assert_eq!(map.get(row), Some(&row.preuve_id));
        }
        // The same rows in another release (or a copy) are not its rows.
        for row in &b.rows {
            assert_eq!(map.get(row), None);
        }
        let copy = a.rows[1].clone();
        assert_eq!(map.get(&copy), None);
    }
}
