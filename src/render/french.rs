//! Dates and numbers written the French way.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};

const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// `1er octobre 2026`, `15 mars 2028`.
pub fn date(d: NaiveDate) -> String {
    let day = if d.day() == 1 {
        "1er".to_owned()
    } else {
        d.day().to_string()
    };
    format!("{day} {} {}", MONTHS[d.month0() as usize], d.year())
}

/// `1er octobre 2026 à 12h00`.
pub fn datetime(d: NaiveDateTime) -> String {
    format!("{} à {}h{:02}", date(d.date()), d.hour(), d.minute())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_dates() {
        let d = NaiveDate::from_ymd_opt(2026, 10, 1).unwrap();
        assert_eq!(date(d), "1er octobre 2026");
        assert_eq!(
            date(NaiveDate::from_ymd_opt(2028, 8, 15).unwrap()),
            "15 août 2028"
        );
        assert_eq!(
            datetime(d.and_hms_opt(12, 5, 0).unwrap()),
            "1er octobre 2026 à 12h05"
        );
    }
}
