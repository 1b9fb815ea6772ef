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
/// How much of a paragraph whatlang sees (cut at a word boundary). Its
/// trigram statistics are settled by then; beyond it, detection only costs
/// time (it was most of the indexing time, see BENCHMARKS.md), and a 20 MB
/// paragraph would cost seconds. On the benchmark corpus, 400 bytes and
/// 1000 bytes gave the same languages but for one paragraph in 266,631.
const PARAGRAPH_SAMPLE_BYTES: usize = 400;
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
    let paragraphs: Vec<&str> = paragraphs.collect();
    let detections: Vec<Detection> = paragraphs.iter().map(|p| detect_paragraph(p)).collect();
    article_language_from(paragraphs.into_iter().zip(&detections))
}

/// What whatlang makes of one paragraph on its own.
#[derive(Debug, Clone, PartialEq)]
pub enum Detection {
    /// Too short to tell.
    Short,
    /// Luxembourgish words: never called German.
    Luxembourgish,
    /// whatlang is not sure.
    Unreliable,
    Found(&'static str, f64),
}

/// Detects the language of one paragraph (on its first 400 bytes).
pub fn detect_paragraph(text: &str) -> Detection {
    if text.chars().count() < MIN_DETECT_CHARS {
        return Detection::Short;
    }
    if looks_luxembourgish(text) {
        return Detection::Luxembourgish;
    }
    match detect(sample(text, PARAGRAPH_SAMPLE_BYTES)) {
        Some((code, confidence)) => Detection::Found(code, confidence),
        None => Detection::Unreliable,
    }
}

/// The language of an article from its paragraphs' detections: the
/// language most of the text of its first 4000 characters was detected as.
/// Only when none of them could be detected on its own (all short) is the
/// sample detected as one text. (Detecting every paragraph and then the
/// article's text again cost a third more time than voting.)
pub fn article_language_from<'a>(
    paragraphs: impl Iterator<Item = (&'a str, &'a Detection)>,
) -> String {
    let mut sample = String::new();
    let mut votes: Vec<(&'static str, usize)> = Vec::new();
    for (text, detection) in paragraphs {
        if sample.len() >= ARTICLE_SAMPLE_CHARS {
            break;
        }
        sample.push_str(text);
        sample.push('\n');
        if let Detection::Found(code, _) = detection {
            match votes.iter_mut().find(|(c, _)| c == code) {
                Some((_, weight)) => *weight += text.len(),
                None => votes.push((code, text.len())),
            }
        }
    }
    if looks_luxembourgish(&sample) {
        return UNDETERMINED.to_string();
    }
    // The first of equal weights wins: deterministic.
    let best = votes
        .iter()
        .fold(None::<(&str, usize)>, |best, &(code, weight)| match best {
            Some((_, w)) if w >= weight => best,
            _ => Some((code, weight)),
        });
    match best {
        Some((code, _)) => code.to_string(),
        None => detect(&sample).map_or(UNDETERMINED.to_string(), |(code, _)| code.to_string()),
    }
}

/// The language of one paragraph and the confidence of its detection.
pub fn paragraph_language(text: &str, article: &str, is_comment: bool) -> (String, f64) {
    paragraph_language_from(&detect_paragraph(text), article, is_comment)
}

/// [`paragraph_language`] from a detection already made.
pub fn paragraph_language_from(
    detection: &Detection,
    article: &str,
    is_comment: bool,
) -> (String, f64) {
    let fallback = if is_comment { UNDETERMINED } else { article };
    match detection {
        Detection::Found(code, confidence) => (code.to_string(), *confidence),
        Detection::Luxembourgish => (UNDETERMINED.to_string(), 0.0),
        Detection::Short | Detection::Unreliable => (fallback.to_string(), 0.0),
    }
}

/// The first `max` bytes of `text` (fewer, to end on a whole word).
fn sample(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    match text[..end].rfind(char::is_whitespace) {
        Some(space) if space > max / 2 => &text[..space],
        _ => &text[..end],
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
