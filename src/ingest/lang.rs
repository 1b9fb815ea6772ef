//! Language of articles and paragraphs, by whatlang.
//!
//! Codes are whatlang's ISO 639-3 codes (`deu`, `eng`, `fra`, …). A
//! paragraph too short for a reliable guess inherits its article's language;
//! an article whose language cannot be told gets `und` (undetermined), never
//! a guess.

/// ISO 639 code for "undetermined".
pub const UNDETERMINED: &str = "und";

/// Paragraphs shorter than this (in characters) inherit the article language.
const MIN_DETECT_CHARS: usize = 60;
/// How much of an article is enough to tell its language.
const ARTICLE_SAMPLE_CHARS: usize = 4000;

fn detect(text: &str) -> Option<&'static str> {
    whatlang::detect(text)
        .filter(whatlang::Info::is_reliable)
        .map(|info| info.lang().code())
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
    detect(&sample).unwrap_or(UNDETERMINED).to_string()
}

/// The language of one paragraph; short or unclear ones inherit `article`.
pub fn paragraph_language(text: &str, article: &str) -> String {
    if text.chars().count() < MIN_DETECT_CHARS {
        return article.to_string();
    }
    detect(text).unwrap_or(article).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const GERMAN: &str = "Die Bundesregierung will beim Treffen der sogenannten Koalition der Willigen am Donnerstag in Paris konkrete Vorschläge für einen deutschen Beitrag zu Sicherheitsgarantien für die Ukraine unterbreiten.";
    const ENGLISH: &str = "The government wants to present concrete proposals for a German contribution to security guarantees for Ukraine at the meeting in Paris on Thursday.";

    #[test]
    fn detects_german_and_english() {
        assert_eq!(article_language([GERMAN].into_iter()), "deu");
        assert_eq!(paragraph_language(ENGLISH, "deu"), "eng");
    }

    #[test]
    fn short_paragraphs_inherit() {
        assert_eq!(paragraph_language("Hello world", "deu"), "deu");
    }

    #[test]
    fn nothing_to_tell_is_undetermined() {
        assert_eq!(article_language(["26"].into_iter()), UNDETERMINED);
    }
}
