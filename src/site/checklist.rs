//! The two long tables of a candidature's checklist page (proofs to deposit,
//! proofs not asked), written straight into a string. A national
//! candidature lists about 1,500 proofs: through Tera, each cell is a
//! variable looked up in a JSON copy of the page, and those tables were a
//! quarter of a national build; written here they cost a few hundred
//! microseconds. The page around them stays a template
//! (`candidature.html`), which places them with `| safe`.

/// Appends `text` escaped as Tera escapes it (`& < > " ' /`), so that what
/// is written here reads exactly like what the templates write.
pub fn escape_into(out: &mut String, text: &str) {
    escape(out, text, true);
}

/// Appends `text` escaped for a double-quoted attribute value (`& < > " '`;
/// a URL's slashes stay as they are, which keeps 1,500-row pages smaller).
pub fn attr_into(out: &mut String, text: &str) {
    escape(out, text, false);
}

fn escape(out: &mut String, text: &str, slash: bool) {
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#x27;",
            b'/' if slash => "&#x2F;",
            _ => continue,
        };
        out.push_str(&text[start..i]);
        out.push_str(rep);
        start = i + 1;
    }
    out.push_str(&text[start..]);
}

/// `<a href="guide#anchor">text</a>`, `guide` already escaped.
fn link(out: &mut String, dir: &str, target: &str, text: &str) {
    out.push_str("<a href=\"");
    out.push_str(dir);
    attr_into(out, target);
    out.push_str("\">");
    escape_into(out, text);
    out.push_str("</a>");
}

/// One proof to deposit.
pub struct DepositRow<'a> {
    /// Proof number.
    pub preuve: &'a str,
    /// Its page and anchor, from the guide's folder.
    pub target: std::borrow::Cow<'a, str>,
    /// Expected proof, already HTML.
    pub text_html: &'a str,
    /// Guichet.
    pub source: &'a str,
    /// The guichet was inferred from the proof's text (the REM has no `Source`).
    pub source_inferred: bool,
    /// Nature of its requirement, for the filter.
    pub nature: Option<crate::model::Nature>,
    /// NIL (CNDA).
    pub nil: Option<&'a str>,
    /// Why it is asked, in one sentence; `None` for the nominal case.
    pub motif: Option<&'a str>,
    /// Derogatory proof accepted until (French date), and what it must show.
    pub derogation: Option<(&'a str, &'a str)>,
}

/// The `<tr>` rows of one chapter's table of proofs to deposit; `dir` is
/// the URL of the dispositif's guide folder, which the proof targets complete.
pub fn deposit_rows(out: &mut String, dir: &str, rows: &[DepositRow<'_>]) {
    let mut escaped = String::new();
    attr_into(&mut escaped, dir);
    for r in rows {
        out.push_str("<tr data-nature=\"");
        out.push_str(super::nature_key(r.nature));
        out.push_str("\"><th scope=\"row\">");
        link(out, &escaped, &r.target, r.preuve);
        out.push_str("</th><td>");
        out.push_str(r.text_html);
        if let Some((until, content)) = r.derogation {
            out.push_str("<p class=\"meta\">Preuve dérogatoire acceptée jusqu'au ");
            escape_into(out, until);
            out.push_str(" : ");
            escape_into(out, content);
            out.push_str(" (l'attestation réelle reste exigée avant le collège)</p>");
        }
        out.push_str("</td><td>");
        escape_into(out, r.source);
        if r.source_inferred {
            out.push_str(" <small class=\"inferred\">(déduite du texte)</small>");
        }
        out.push_str("</td><td>");
        if let Some(nil) = r.nil {
            escape_into(out, nil);
        }
        out.push_str("</td><td>");
        match r.motif {
            // The nominal case: nothing spares it.
            None => out.push_str("exigée par le REM"),
            Some(why) => escape_into(out, why),
        }
        out.push_str("</td></tr>");
    }
}

/// A link.
#[derive(Clone)]
pub struct Anchor<'a> {
    /// Shown text.
    pub text: &'a str,
    /// Page and anchor, from the guide's folder.
    pub target: std::borrow::Cow<'a, str>,
}

/// One requirement whose proofs are not asked.
#[derive(Clone)]
pub struct MaskedRow<'a> {
    /// The requirement.
    pub exigence: Anchor<'a>,
    /// Its proofs not asked.
    pub proofs: Vec<Anchor<'a>>,
    /// Chapter.
    pub chapitre: &'a str,
    /// Reason, in words.
    pub reason: String,
    /// The common requirement of the equivalence: (dispositif, ID, URL).
    pub common: Option<(&'a str, &'a str, Option<String>)>,
}

/// The `<tr>` rows of the table of proofs not asked.
pub fn masked_rows(out: &mut String, dir: &str, rows: &[MaskedRow<'_>]) {
    let mut escaped = String::new();
    attr_into(&mut escaped, dir);
    let link = |out: &mut String, a: &Anchor<'_>| link(out, &escaped, &a.target, a.text);
    for r in rows {
        out.push_str("<tr><th scope=\"row\">");
        link(out, &r.exigence);
        out.push_str("</th><td>");
        for (i, p) in r.proofs.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            link(out, p);
        }
        out.push_str("</td><td>");
        escape_into(out, r.chapitre);
        out.push_str("</td><td>");
        escape_into(out, &r.reason);
        if let Some((code, id, url)) = &r.common {
            out.push_str(" — exigence commune ");
            match url {
                Some(url) => {
                    out.push_str("<a href=\"");
                    attr_into(out, url);
                    out.push_str("\">");
                    escape_into(out, id);
                    out.push_str("</a>");
                }
                None => escape_into(out, id),
            }
            out.push_str(" (");
            escape_into(out, code);
            out.push(')');
        }
        out.push_str("</td></tr>");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_values_keep_slashes_and_escape_quotes() {
        let mut out = String::new();
        attr_into(&mut out, "../a/b.html#x\"y'z&<>");
        assert_eq!(out, "../a/b.html#x&quot;y&#x27;z&amp;&lt;&gt;");
    }

    #[test]
    fn escapes_like_tera() {
        for s in ["a&b<c>d\"e'f/g", "", "é/", "plain", "//"] {
            let mut out = String::new();
            escape_into(&mut out, s);
            assert_eq!(out, tera::escape_html(s), "{s}");
        }
    }
}
