//! Language of articles and paragraphs, by whatlang.
//!
//! Codes are whatlang's ISO 639-3 codes (`deu`, `eng`, `fra`, …), with
//! whatlang's confidence. Where a guess would be unreliable the answer is
//! `und` (undetermined), never a wrong code:
//!
//! - a short or unclear article paragraph inherits the article's language
//!   (with confidence 0: it was not detected);
//! - a reader comment does not inherit (readers write in their own
//!   language), so a short or unclear comment is `und`;
//! - whatlang does not know Luxembourgish and calls it German or Dutch, often
//!   with full confidence; a paragraph with several unmistakably
//!   Luxembourgish function words is therefore `und`.

/// ISO 639 code for "undetermined".
pub const UNDETERMINED: &str = "und";

/// Paragraphs shorter than this (in characters) are not detected on their own.
const MIN_DETECT_CHARS: usize = 60;
/// How much of an article is enough to tell its language.
const ARTICLE_SAMPLE_CHARS: usize = 4000;
/// Luxembourgish words that are not German (nor, mostly, Dutch) words.
const LUXEMBOURGISH: &[&str] = &[
    "vun",
    "och",
    "hun",
    "ass",
    "net",
    "fir",
    "ze",
    "nemmen",
    "dono",
    "hien",
    "wierklech",
    "daat",
    "mengt",
    "ech",
    "awer",
    "elo",
    "gëtt",
    "ginn",
    "kee",
    "keng",
    "dës",
    "wéi",
    "mat",
    "gesinn",
    "geliwert",
    "een",
];
/// How many distinct such words make a paragraph Luxembourgish.
const LUXEMBOURGISH_MIN_WORDS: usize = 3;

fn detect(text: &str) -> Option<(&'static str, f64)> {
    whatlang::detect(text)
        .filter(whatlang::Info::is_reliable)
        .map(|info| (info.lang().code(), info.confidence()))
}

/// True when `text` has several distinct Luxembourgish function words.
pub fn looks_luxembourgish(text: &str) -> bool {
    let mut seen: Vec<&str> = Vec::new();
    for word in text.split(|c: char| !c.is_alphanumeric()) {
        let word = word.to_lowercase();
        if let Some(lux) = LUXEMBOURGISH
            .iter()
            .find(|l| **l == word && !seen.contains(l))
        {
            seen.push(lux);
        }
    }
    seen.len() >= LUXEMBOURGISH_MIN_WORDS
}

/// The language of an article, from (the start of) its paragraphs.
pub fn article_language<'a>(paragraphs: impl Iterator<Item = &'a str>) -> String {
    let mut sample = String::new();
    for p in paragraphs {
        if sample.len() >= ARTICLE_SAMPLE_CHARS {
            break;
        }
        sample.push_str(p);
        sample.push('\n');
    }
    match detect(&sample) {
        Some(_) if looks_luxembourgish(&sample) => UNDETERMINED.to_string(),
        Some((code, _)) => code.to_string(),
        None => UNDETERMINED.to_string(),
    }
}

/// The language of one paragraph and the confidence of its detection.
pub fn paragraph_language(text: &str, article: &str, is_comment: bool) -> (String, f64) {
    let fallback = if is_comment { UNDETERMINED } else { article };
    if text.chars().count() < MIN_DETECT_CHARS {
        return (fallback.to_string(), 0.0);
    }
    if looks_luxembourgish(text) {
        return (UNDETERMINED.to_string(), 0.0);
    }
    match detect(text) {
        Some((code, confidence)) => (code.to_string(), confidence),
        None => (fallback.to_string(), 0.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GERMAN: &str = "Die Bundesregierung will beim Treffen der sogenannten Koalition der Willigen am Donnerstag in Paris konkrete Vorschläge für einen deutschen Beitrag zu Sicherheitsgarantien für die Ukraine unterbreiten.";
    const ENGLISH: &str = "The government wants to present concrete proposals for a German contribution to security guarantees for Ukraine at the meeting in Paris on Thursday.";
    // Invented Luxembourgish in the style of reader comments.
    const LUXEMBOURGISH_TEXT: &str = "Ech mengen dat ass net gutt, mir hun dat och schon gesot, an dono ass et ze spéit fir eppes ze maachen.";

    #[test]
    fn detects_german_and_english_with_confidence() {
        assert_eq!(article_language([GERMAN].into_iter()), "deu");
        let (lang, confidence) = paragraph_language(ENGLISH, "deu", false);
        assert_eq!(lang, "eng");
        assert!(confidence > 0.5);
    }

    #[test]
    fn short_paragraphs_inherit_but_comments_do_not() {
        assert_eq!(
            paragraph_language("Hello world", "deu", false),
            ("deu".into(), 0.0)
        );
        assert_eq!(
            paragraph_language("Hello world", "deu", true),
            ("und".into(), 0.0)
        );
    }

    #[test]
    fn luxembourgish_is_never_called_german() {
        assert!(looks_luxembourgish(LUXEMBOURGISH_TEXT));
        assert!(!looks_luxembourgish(GERMAN));
        assert_eq!(paragraph_language(LUXEMBOURGISH_TEXT, "deu", true).0, "und");
        assert_eq!(
            paragraph_language(LUXEMBOURGISH_TEXT, "deu", false).0,
            "und"
        );
    }

    #[test]
    fn nothing_to_tell_is_undetermined() {
        assert_eq!(article_language(["26"].into_iter()), UNDETERMINED);
    }
}
