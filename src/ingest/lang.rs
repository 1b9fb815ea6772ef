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

use whatlang::{Detector, Lang};

/// ISO 639 code for "undetermined".
pub const UNDETERMINED: &str = "und";

/// Paragraphs shorter than this (in characters) are not detected on their own.
const MIN_DETECT_CHARS: usize = 60;
/// How much of an article is enough to tell its language.
const ARTICLE_SAMPLE_BYTES: usize = 2000;
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

/// Latin-script languages a paragraph is first compared with, besides its
/// article's own language. Comparing every paragraph with all 37
/// Latin-script languages whatlang knows was most of the indexing time
/// (BENCHMARKS.md): the cost is one profile comparison per candidate
/// language. So a paragraph is first compared with its article's language
/// and these; when that says "the article's language", that is the answer
/// (with the confidence of this comparison); anything else (another
/// language, or unsure) is decided among all languages, as before. Most
/// paragraphs are in their article's language, so the full comparison is
/// rare. Articles themselves are detected among all languages.
const PARAGRAPH_LATIN: &[Lang] = &[
    Lang::Deu,
    Lang::Eng,
    Lang::Fra,
    Lang::Ita,
    Lang::Spa,
    Lang::Por,
    Lang::Nld,
    Lang::Pol,
    Lang::Tur,
    Lang::Swe,
    Lang::Dan,
];

/// The languages whatlang 0.18 tells apart by Latin-script trigram
/// profiles; the ones not in [`PARAGRAPH_LATIN`] are not considered for
/// paragraphs (other scripts cost little: only the languages of the
/// paragraph's script are compared).
const LATIN: &[Lang] = &[
    Lang::Spa,
    Lang::Eng,
    Lang::Por,
    Lang::Ind,
    Lang::Fra,
    Lang::Deu,
    Lang::Jav,
    Lang::Vie,
    Lang::Ita,
    Lang::Tur,
    Lang::Pol,
    Lang::Ron,
    Lang::Hrv,
    Lang::Nld,
    Lang::Uzb,
    Lang::Tgl,
    Lang::Hun,
    Lang::Aze,
    Lang::Ces,
    Lang::Zul,
    Lang::Swe,
    Lang::Aka,
    Lang::Sna,
    Lang::Afr,
    Lang::Fin,
    Lang::Slk,
    Lang::Tuk,
    Lang::Dan,
    Lang::Nob,
    Lang::Cat,
    Lang::Lit,
    Lang::Slv,
    Lang::Epo,
    Lang::Lav,
    Lang::Est,
    Lang::Lat,
    Lang::Cym,
];

/// The language of (the start of) `text` among all languages, when whatlang
/// is sure of it.
fn detect_all(text: &str) -> Option<Lang> {
    whatlang::detect(cut(text, ARTICLE_SAMPLE_BYTES))
        .filter(whatlang::Info::is_reliable)
        .map(|info| info.lang())
}

/// whatlang with every language it knows.
static FULL: std::sync::LazyLock<Detector> = std::sync::LazyLock::new(Detector::new);

fn detect_with(detector: &Detector, text: &str) -> Option<(&'static str, f64)> {
    detector
        .detect(text)
        .filter(whatlang::Info::is_reliable)
        .map(|info| (info.lang().code(), info.confidence()))
}

/// True when `text` has several distinct Luxembourgish function words.
pub fn looks_luxembourgish(text: &str) -> bool {
    function_words(text).luxembourgish >= LUXEMBOURGISH_MIN_WORDS
}

/// German function words that Dutch, English, French, Spanish, the
/// Scandinavian languages and Luxembourgish do not use (so not `die`,
/// `den`, `der`, `in`, `an`, `wie`, `mat`), sorted.
const GERMAN_ONLY: &[&str] = &[
    "auch", "auf", "aus", "bei", "diese", "dieser", "dieses", "durch", "ein", "eine", "einem",
    "einen", "einer", "für", "haben", "hat", "ist", "kann", "keine", "können", "nach", "nicht",
    "noch", "nur", "oder", "schon", "sich", "sind", "und", "wenn", "werden", "wird", "wurde",
    "zum", "zur", "über",
];
/// More German function words, which other languages have too, sorted.
const GERMAN_SHARED: &[&str] = &[
    "als", "am", "das", "dem", "den", "der", "des", "die", "es", "im", "mit", "sie", "vom", "von",
    "zu",
];
/// A paragraph of a German article with this many distinct German function
/// words, at least one of them [`GERMAN_ONLY`], is German without asking
/// whatlang.
const GERMAN_MIN_WORDS: usize = 3;

/// English function words that are not German function words (so not
/// `was`, `will`, `an`, `in`), sorted: a paragraph with one of them is not
/// taken for German by a few German function words.
const ENGLISH: &[&str] = &[
    "and", "are", "as", "at", "be", "by", "can", "for", "from", "has", "have", "if", "is", "it",
    "not", "of", "on", "or", "that", "the", "this", "to", "were", "which", "with", "you", "your",
];

/// How many distinct German function words make an article's sample
/// German without asking whatlang.
const ARTICLE_GERMAN_MIN_WORDS: usize = 8;

/// Distinct function words of `text`.
struct FunctionWords {
    luxembourgish: usize,
    german: usize,
    german_only: usize,
    english: usize,
}

/// Which lists a function word is on (bits of [`WordTable`]'s flags).
const IS_LUXEMBOURGISH: u8 = 1;
const IS_GERMAN_ONLY: u8 = 2;
const IS_GERMAN_SHARED: u8 = 4;
const IS_ENGLISH: u8 = 8;

/// Every listed function word once, sorted, with the lists it is on; at
/// most 128, so that the words seen in a text are the bits of a `u128`.
struct WordTable {
    /// Each word's bytes packed into an integer ([`pack`]), sorted, with
    /// the word's position in the sorted list of words (its bit): a
    /// look-up compares integers, not strings (the string search was a
    /// third of this count's time).
    keys: Vec<(u128, u8)>,
    /// For each flag bit, the table positions of the words that have it.
    masks: [u128; 4],
}

/// The bytes of a word of at most 16 bytes as one integer. No listed word
/// has a NUL byte, so words of different lengths never share a key.
fn pack(bytes: &[u8]) -> Option<u128> {
    (bytes.len() <= 16).then(|| bytes.iter().fold(0u128, |k, &b| (k << 8) | u128::from(b)))
}

static WORDS: std::sync::LazyLock<WordTable> = std::sync::LazyLock::new(|| {
    let mut words: Vec<(&'static str, u8)> = Vec::new();
    for (list, flag) in [
        (LUXEMBOURGISH, IS_LUXEMBOURGISH),
        (GERMAN_ONLY, IS_GERMAN_ONLY),
        (GERMAN_SHARED, IS_GERMAN_SHARED),
        (ENGLISH, IS_ENGLISH),
    ] {
        for &word in list {
            match words.iter_mut().find(|(w, _)| *w == word) {
                Some((_, flags)) => *flags |= flag,
                None => words.push((word, flag)),
            }
        }
    }
    words.sort_unstable();
    assert!(words.len() <= 128, "the function word lists outgrew a u128");
    let mut masks = [0u128; 4];
    for (i, (_, flags)) in words.iter().enumerate() {
        for (bit, mask) in masks.iter_mut().enumerate() {
            if flags & (1 << bit) != 0 {
                *mask |= 1 << i;
            }
        }
    }
    let mut keys: Vec<(u128, u8)> = words
        .iter()
        .enumerate()
        .filter_map(|(i, (w, _))| Some((pack(w.as_bytes())?, i as u8)))
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys.len(),
        words.len(),
        "a function word longer than 16 bytes"
    );
    WordTable { keys, masks }
});

/// Counts the distinct Luxembourgish, German and English function words
/// of `text`, in one pass without allocating per word: one binary search
/// of [`WordTable`]'s integer keys per word of up to nine bytes.
fn function_words(text: &str) -> FunctionWords {
    let table = &*WORDS;
    let mut seen: u128 = 0;
    let mut note = |key: u128| {
        if let Ok(i) = table.keys.binary_search_by(|(k, _)| k.cmp(&key)) {
            seen |= 1 << table.keys[i].1;
        }
    };
    // The words are those of `text.split(|c| !c.is_alphanumeric())`. The
    // text is first cut at ASCII bytes other than letters and digits
    // (never inside a UTF-8 sequence); runs of ASCII take a fast path,
    // runs with other characters the general one. No listed word is
    // shorter than two or longer than nine bytes.
    const LONGEST: usize = 9;
    let mut lower = String::new();
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let start = at;
        let mut is_ascii = true;
        while at < bytes.len() && (bytes[at] >= 0x80 || bytes[at].is_ascii_alphanumeric()) {
            is_ascii &= bytes[at] < 0x80;
            at += 1;
        }
        let run = &text[start..at];
        at += 1;
        if is_ascii {
            if run.len() < 2 || run.len() > LONGEST {
                continue;
            }
            note(
                run.bytes()
                    .fold(0u128, |k, b| (k << 8) | u128::from(b.to_ascii_lowercase())),
            );
            continue;
        }
        for word in run.split(|c: char| !c.is_alphanumeric()) {
            if word.len() < 2 || word.len() > LONGEST {
                continue;
            }
            lower.clear();
            lower.extend(word.chars().flat_map(char::to_lowercase));
            if let Some(key) = pack(lower.as_bytes()) {
                note(key);
            }
        }
    }
    let count =
        |flag: u8| (seen & table.masks[flag.trailing_zeros() as usize]).count_ones() as usize;
    FunctionWords {
        luxembourgish: count(IS_LUXEMBOURGISH),
        german: (seen & (table.masks[1] | table.masks[2])).count_ones() as usize,
        german_only: count(IS_GERMAN_ONLY),
        english: count(IS_ENGLISH),
    }
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
    /// Recognised by its function words, without whatlang (no confidence).
    Words(&'static str),
}

/// Detects languages within one article: knows the article's language and
/// tells its paragraphs apart from it and from [`PARAGRAPH_LATIN`].
pub struct ArticleLanguage {
    /// ISO 639-3 code, or `und`.
    pub code: String,
    paragraphs: Detector,
}

impl ArticleLanguage {
    /// The language of an article from (the start of) its paragraphs: the
    /// language of its first 2000 bytes of prose (paragraphs long enough to
    /// be detected on their own), among every language whatlang knows. When
    /// that sample is mixed (code, English debug lines in a German help
    /// page) and whatlang is unsure, the paragraphs of the sample vote, each
    /// detected on its own and weighted by its length.
    pub fn detect<'a>(paragraphs: impl Iterator<Item = &'a str>) -> ArticleLanguage {
        let paragraphs: Vec<&str> = paragraphs.collect();
        let mut prose: Vec<&str> = Vec::new();
        let mut bytes = 0;
        for text in paragraphs.iter().filter(|t| !is_short(t)) {
            if bytes >= ARTICLE_SAMPLE_BYTES {
                break;
            }
            bytes += text.len() + 1;
            prose.push(text);
        }
        let article = ArticleLanguage::with(None);
        let everything = head(&paragraphs, 2 * ARTICLE_SAMPLE_BYTES);
        if looks_luxembourgish(&everything) {
            return article;
        }
        let sample = head(&prose, ARTICLE_SAMPLE_BYTES);
        // Plainly German prose (many German function words, several of
        // them German-only) is German without asking whatlang.
        let words = function_words(&sample);
        if words.german >= ARTICLE_GERMAN_MIN_WORDS && words.german_only >= GERMAN_MIN_WORDS {
            return ArticleLanguage::with(Some(Lang::Deu));
        }
        let found = detect_all(&sample)
            .or_else(|| article.vote(&prose))
            .or_else(|| detect_all(&everything));
        match found {
            Some(lang) => ArticleLanguage::with(Some(lang)),
            None => article,
        }
    }

    fn with(lang: Option<Lang>) -> ArticleLanguage {
        let denied: Vec<Lang> = LATIN
            .iter()
            .copied()
            .filter(|l| Some(*l) != lang && !PARAGRAPH_LATIN.contains(l))
            .collect();
        ArticleLanguage {
            code: lang.map_or(UNDETERMINED, |l| l.code()).to_string(),
            paragraphs: Detector::with_denylist(denied),
        }
    }

    /// The language most of `paragraphs`' text is detected as, each on its
    /// own (the first of equal weights wins: deterministic).
    fn vote(&self, paragraphs: &[&str]) -> Option<Lang> {
        let mut votes: Vec<(Lang, usize)> = Vec::new();
        for text in paragraphs {
            if let Detection::Found(code, _) = self.detect_paragraph(text) {
                let Some(lang) = Lang::from_code(code) else {
                    continue;
                };
                match votes.iter_mut().find(|(l, _)| *l == lang) {
                    Some((_, weight)) => *weight += text.len(),
                    None => votes.push((lang, text.len())),
                }
            }
        }
        votes
            .iter()
            .fold(None::<(Lang, usize)>, |best, &(lang, weight)| match best {
                Some((_, w)) if w >= weight => best,
                _ => Some((lang, weight)),
            })
            .map(|(lang, _)| lang)
    }

    /// Detects the language of one paragraph (on its first 400 bytes).
    pub fn detect_paragraph(&self, text: &str) -> Detection {
        if is_short(text) {
            return Detection::Short;
        }
        let text = cut(text, PARAGRAPH_SAMPLE_BYTES);
        let words = function_words(text);
        if words.luxembourgish >= LUXEMBOURGISH_MIN_WORDS {
            return Detection::Luxembourgish;
        }
        // In a German article, a paragraph with several German function
        // words is German, without the cost of whatlang (a third of all
        // indexing time). On one copy of the benchmark corpus (266,593
        // paragraphs) this and the article-level shortcut changed 531
        // labels: 515 lines of one German help page listing Basic routines
        // (the vote of its lines had said English), and 16 German
        // paragraphs mixed with English or code that whatlang had called
        // English, French, Latin or undetermined.
        //
        // So is a paragraph with fewer of them but no English function
        // word, when one of them is German-only, or two of them are German
        // and the text has an umlaut or ß (wrapped lines of manual pages,
        // terse help texts; one shared word and an umlaut would take
        // Swedish "den här" for German).
        if self.code == "deu"
            && ((words.german >= GERMAN_MIN_WORDS && words.german_only >= 1)
                || (words.english == 0
                    && (words.german_only >= 1 || (words.german >= 2 && has_umlaut(text)))))
        {
            return Detection::Words("deu");
        }
        // The short comparison first. Its answer "the article's language"
        // is the answer; another language is checked among all languages.
        // When it is unsure, the comparison among all languages is asked
        // only for text with a letter none of the short comparison's
        // languages writes (Czech ř, Hungarian ő, Romanian ș, …): those
        // languages are not in it. Otherwise it was as unsure (on one copy
        // of the benchmark corpus: 9,709 of 9,721 paragraphs, the other 12
        // German lines and code it called Latin, Estonian or Welsh), and
        // asking it was two thirds of whatlang's time.
        let found = match self.paragraphs.detect(text) {
            Some(info) if info.is_reliable() && info.lang().code() == self.code => {
                Some((info.lang().code(), info.confidence()))
            }
            Some(info) if info.is_reliable() => detect_with(&FULL, text),
            _ if has_letter_outside_paragraph_languages(text) => detect_with(&FULL, text),
            _ => None,
        };
        match found {
            Some((code, confidence)) => Detection::Found(code, confidence),
            None => Detection::Unreliable,
        }
    }

    /// The language of one paragraph and the confidence of its detection.
    pub fn paragraph(&self, text: &str, is_comment: bool) -> (String, f64) {
        paragraph_language_from(&self.detect_paragraph(text), &self.code, is_comment)
    }
}

/// The letters beyond ASCII that German and [`PARAGRAPH_LATIN`] write
/// (lowercase).
const PARAGRAPH_LETTERS: &str = "äöüßàâæçéèêëîïôœùûÿìíòóúáñãõĳąćęłńśźżğışåø";

/// True when `text` has a word in lower case with a Latin letter that
/// neither German nor any of [`PARAGRAPH_LATIN`] writes: a sign of a
/// language the short comparison does not know. Capitalised words do not
/// count: German news is full of names written in their own letters
/// ("Vučić", "Babiš"), and a line of them is no Croatian or Czech.
fn has_letter_outside_paragraph_languages(text: &str) -> bool {
    let outside = |c: char| {
        matches!(c, '\u{c0}'..='\u{24f}' | '\u{1e00}'..='\u{1eff}')
            && c.is_alphabetic()
            // (Turkish İ lowercases to i and a combining dot.)
            && !c
                .to_lowercase()
                .all(|l| l.is_ascii() || l == '\u{307}' || PARAGRAPH_LETTERS.contains(l))
    };
    text.split(|c: char| !c.is_alphabetic())
        .filter(|word| word.chars().next().is_some_and(char::is_lowercase))
        .any(|word| word.chars().any(outside))
}

/// True when `text` has an umlaut or ß, which German has and English,
/// French, Dutch and the Romance languages have not (Swedish, Finnish,
/// Estonian, Turkish and Hungarian have some of them).
fn has_umlaut(text: &str) -> bool {
    text.contains(['ä', 'ö', 'ü', 'ß', 'Ä', 'Ö', 'Ü'])
}

/// Too short to be detected on its own.
fn is_short(text: &str) -> bool {
    text.len() < MIN_DETECT_CHARS || text.chars().count() < MIN_DETECT_CHARS
}

/// A paragraph's language from its detection: its own when detected,
/// otherwise the article's (`article`) or, for a comment, `und`.
pub fn paragraph_language_from(
    detection: &Detection,
    article: &str,
    is_comment: bool,
) -> (String, f64) {
    let fallback = if is_comment { UNDETERMINED } else { article };
    match detection {
        Detection::Found(code, confidence) => (code.to_string(), *confidence),
        Detection::Words(code) => (code.to_string(), 0.0),
        Detection::Luxembourgish => (UNDETERMINED.to_string(), 0.0),
        Detection::Short | Detection::Unreliable => (fallback.to_string(), 0.0),
    }
}

/// The first `max` bytes (or fewer, to end on a whole word) of `texts`
/// joined by line breaks, without copying more of a long article.
fn head(texts: &[&str], max: usize) -> String {
    let mut out = String::new();
    for text in texts {
        if out.len() >= max {
            break;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(cut(text, max - out.len().min(max)));
    }
    out
}

/// The first `max` bytes of `text` (fewer, to end on a whole word).
fn cut(text: &str, max: usize) -> &str {
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

    fn german_article() -> ArticleLanguage {
        ArticleLanguage::detect([GERMAN].into_iter())
    }

    /// The language whatlang measured for `text` (not inherited or told
    /// by function words: the confidence is above 0).
    fn measured(article: &ArticleLanguage, text: &str) -> String {
        let (lang, confidence) = article.paragraph(text, false);
        assert!(confidence > 0.0, "not measured: {text}");
        lang
    }

    #[test]
    fn detects_german_and_english_with_confidence() {
        let article = german_article();
        assert_eq!(article.code, "deu");
        let (lang, confidence) = article.paragraph(ENGLISH, false);
        assert_eq!(lang, "eng");
        assert!(confidence > 0.5);
        // German in a German article: told by its function words, not
        // measured by whatlang.
        assert_eq!(article.paragraph(GERMAN, false), ("deu".into(), 0.0));
        // Dutch has none of the German-only function words: whatlang.
        const DUTCH: &str = "De regering wil op de bijeenkomst van donderdag in Parijs concrete voorstellen doen voor een Duitse bijdrage aan veiligheidsgaranties voor Oekraïne.";
        let (lang, confidence) = article.paragraph(DUTCH, false);
        assert_eq!(lang, "nld");
        assert!(confidence > 0.5);
        // Terse German (few function words, one German-only, an umlaut,
        // nothing English) is told by its words too.
        const TERSE: &str = "Wählen Sie Daten – Gruppierung und Gliederung – AutoGliederung.";
        assert_eq!(article.paragraph(TERSE, false), ("deu".into(), 0.0));
        // With shared German words only and no umlaut, whatlang measures it.
        const SHARED_ONLY: &str = "Konfigurationsdatei der Anwendung im Verzeichnis /etc/anwendung, siehe Handbuch der Systemverwaltung im Abschnitt Netzwerkeinstellungen";
        assert_eq!(measured(&article, SHARED_ONLY), "deu");
        // An English function word sends a paragraph with a German-only
        // word and an umlaut to whatlang, too.
        const MIXED: &str = "The minister said that the plan is not ready for the summit in Brüssel und Paris, and that the talks will go on until the end of the week.";
        assert_eq!(measured(&article, MIXED), "eng");
        // Swedish has umlauts and `den`: one shared German word and an
        // umlaut do not make a paragraph German.
        const SWEDISH: &str = "Vi är redo att ta den här uppgiften och att göra det tillsammans med våra partner i Europa.";
        assert!(!matches!(
            article.detect_paragraph(SWEDISH),
            Detection::Words(_)
        ));
        assert_eq!(article.paragraph(SWEDISH, false).0, "swe");
    }

    #[test]
    fn articles_are_told_among_all_languages() {
        // Swedish is not among the languages paragraphs are first compared
        // with, but an article in Swedish is Swedish, and so are its
        // paragraphs; a Swedish paragraph in a German article is not German
        // for the short comparison, so it is checked among all languages.
        const SWEDISH: &str = "Regeringen vill vid mötet i Paris på torsdag lägga fram konkreta förslag om ett tyskt bidrag till säkerhetsgarantier för Ukraina.";
        let article = ArticleLanguage::detect([SWEDISH].into_iter());
        assert_eq!(article.code, "swe");
        assert!(!matches!(
            article.detect_paragraph(SWEDISH),
            Detection::Words(_)
        ));
        assert_eq!(article.paragraph(SWEDISH, false).0, "swe");
        assert_eq!(german_article().paragraph(SWEDISH, false).0, "swe");
    }

    #[test]
    fn plainly_german_articles_and_others() {
        // Enough German function words: German (by the words).
        let prose = [
            "Die Regierung hat am Donnerstag erklärt, dass sie sich an der Mission nicht beteiligen wird.",
            "Auch die Opposition ist über den Plan uneins, und eine Mehrheit ist noch nicht in Sicht.",
        ];
        assert_eq!(ArticleLanguage::detect(prose.into_iter()).code, "deu");
        // Dutch shares `die`, `den`, `in`, but none of the German-only
        // words: whatlang decides.
        let dutch = [
            "De regering heeft donderdag verklaard dat zij niet aan de missie zal deelnemen, zei de minister.",
            "Ook de oppositie is het niet eens over het plan, en een meerderheid is nog niet in zicht.",
        ];
        assert_eq!(ArticleLanguage::detect(dutch.into_iter()).code, "nld");
    }

    /// The one-pass count against a plain one: split, lowercase, look up
    /// each list, count distinct words, on every line of the seeds and on
    /// text with umlauts, digits, hyphens and capitals.
    #[test]
    fn function_words_are_counted_as_a_plain_count_would() {
        let lists = [LUXEMBOURGISH, GERMAN_ONLY, GERMAN_SHARED, super::ENGLISH];
        let words: usize = lists.iter().map(|l| l.len()).sum();
        assert!(WORDS.keys.len() <= 128 && WORDS.keys.len() + 10 > words / 2);
        for list in lists {
            assert!(list.iter().all(|w| {
                let key = pack(w.as_bytes());
                WORDS.keys.iter().any(|(k, _)| Some(*k) == key)
            }));
        }
        let plain = |text: &str| {
            let mut seen: Vec<String> = text
                .split(|c: char| !c.is_alphanumeric())
                .map(|w| w.chars().flat_map(char::to_lowercase).collect())
                .collect();
            seen.sort();
            seen.dedup();
            let on = |list: &[&str]| seen.iter().filter(|w| list.contains(&w.as_str())).count();
            (
                on(LUXEMBOURGISH),
                on(GERMAN_ONLY) + on(GERMAN_SHARED),
                on(GERMAN_ONLY),
                on(super::ENGLISH),
            )
        };
        let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
        let mut lines: Vec<String> = vec![
            "ÜBER Über-Größe für-die und/oder: DIE Die die, ist2 ist ASS ass vun Vun".into(),
            "The and THE of; Ech mengen dat ass net gutt – für Brüssel, über 3 Züge".into(),
            "wierklech gëtt dës wéi keng".into(),
        ];
        for entry in std::fs::read_dir(seeds).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            lines.extend(text.lines().map(String::from));
        }
        assert!(lines.len() > 100);
        for line in &lines {
            let counted = function_words(line);
            let got = (
                counted.luxembourgish,
                counted.german,
                counted.german_only,
                counted.english,
            );
            assert_eq!(got, plain(line), "{line}");
        }
    }

    #[test]
    fn short_paragraphs_inherit_but_comments_do_not() {
        let article = german_article();
        assert_eq!(article.paragraph("Hello world", false), ("deu".into(), 0.0));
        assert_eq!(article.paragraph("Hello world", true), ("und".into(), 0.0));
    }

    #[test]
    fn luxembourgish_is_never_called_german() {
        assert!(looks_luxembourgish(LUXEMBOURGISH_TEXT));
        assert!(!looks_luxembourgish(GERMAN));
        let article = german_article();
        assert_eq!(article.paragraph(LUXEMBOURGISH_TEXT, true).0, "und");
        assert_eq!(article.paragraph(LUXEMBOURGISH_TEXT, false).0, "und");
        let article = ArticleLanguage::detect([LUXEMBOURGISH_TEXT].into_iter());
        assert_eq!(article.code, UNDETERMINED);
    }

    #[test]
    fn nothing_to_tell_is_undetermined() {
        assert_eq!(
            ArticleLanguage::detect(["26"].into_iter()).code,
            UNDETERMINED
        );
    }

    #[test]
    fn an_unsure_first_comparison_is_not_asked_again_among_all_languages() {
        // Lines of C from a German manual page (st(4)): among the article's
        // language and the ten others whatlang is unsure; among all
        // languages it is sure of one that is not there.
        let code = "int ioctl(int fd, int request [, (void *)arg3]); \
                    int ioctl(int fd, MTIOCTOP, (struct mtop *)mt_cmd); \
                    int ioctl(int fd, MTIOCGET, (struct mtget *)mt_status);";
        let article = german_article();
        assert!(
            article
                .paragraphs
                .detect(code)
                .is_none_or(|i| !i.is_reliable()),
            "premise: the short comparison is unsure"
        );
        assert!(
            detect_with(&FULL, code).is_some_and(|(lang, _)| lang != "deu"),
            "premise: the comparison among all languages is sure of another language"
        );
        assert!(matches!(
            article.detect_paragraph(code),
            Detection::Unreliable
        ));
        assert_eq!(article.paragraph(code, false), ("deu".into(), 0.0));
        // A sure answer of another language is still checked and kept.
        assert_eq!(measured(&article, ENGLISH), "eng");
    }

    /// Quotes in Latin-script languages the short comparison does not know
    /// keep their own language: their letters send them to the comparison
    /// among all languages.
    #[test]
    fn languages_outside_the_short_comparison_are_found_by_their_letters() {
        let article = german_article();
        let quotes = [
            "Vláda v Praze ve středu schválila nový zákon o státním rozpočtu, který podle ministra financí sníží schodek.",
            "A kormány szerdán elfogadta az új törvényt, amely a választások előtt csökkenti a költségvetés hiányát.",
            "Guvernul de la București a aprobat miercuri o nouă lege a bugetului, care ar urma să reducă deficitul.",
            "Vyriausybė trečiadienį patvirtino naują biudžeto įstatymą, kuris, pasak finansų ministro, sumažins deficitą.",
            "Vlada u Zagrebu usvojila je u srijedu novi zakon o državnom proračunu, koji će prema riječima ministra smanjiti deficit.",
        ];
        let mut found = Vec::new();
        for quote in quotes {
            assert!(has_letter_outside_paragraph_languages(quote), "{quote}");
            // What whatlang says among all languages is the reference.
            let (expected, _) = detect_with(&FULL, quote).expect("premise: whatlang is sure");
            assert_ne!(expected, "deu", "premise: {quote}");
            let (lang, confidence) = article.paragraph(quote, false);
            assert_eq!(lang, expected, "{quote}");
            assert!(confidence > 0.0, "{quote}");
            found.push(lang);
        }
        found.dedup();
        assert!(found.len() >= 4, "{found:?}");
        // German, English and the other languages of the short comparison
        // have no such letters.
        for text in [
            "Die Sicherheitsgarantien für die Ukraine müssen größer werden.",
            "Le président a déclaré qu'il était prêt à négocier.",
            "Rząd przyjął w środę nową ustawę budżetową.",
            "Hükümet çarşamba günü yeni bütçe yasasını kabul etti.",
            "élysée, ça va, über ærø, são paulo, łódź, ñandú, çarşamba, ağır, ılık, dİyor, kærlighed, år",
            "Regeringen har besluttet at øge forsvarsbudgettet på grund af krigen.",
            // Estonian writes only letters of these languages (õ as in
            // Portuguese): an unsure Estonian line stays unsure.
            "Valitsus kiitis kolmapäeval heaks uue eelarveseaduse, mis sõnul vähendab puudujääki.",
            // Names in their own letters are no sign of their language.
            "Aleksandar Vučić, Ivica Dačić, Ana Brnabić, Miloš Vučević – Belgrad, Serbien",
            "Andrej Babiš (ANO), Petr Fiala (ODS), Tomáš Pojar, Jiří Pospíšil, Miloš Zeman",
            "int ioctl(int fd, MTIOCTOP, (struct mtop *)mt_cmd);",
        ] {
            assert!(!has_letter_outside_paragraph_languages(text), "{text}");
        }
        // A line of such names in a German article keeps the article's
        // language, as whatlang among all languages would not.
        for names in [
            "Aleksandar Vučić, Ivica Dačić, Ana Brnabić, Miloš Vučević – Belgrad, Serbien",
            "Andrej Babiš (ANO), Petr Fiala (ODS), Tomáš Pojar, Jiří Pospíšil, Miloš Zeman",
        ] {
            assert!(
                detect_with(&FULL, names).is_some_and(|(lang, _)| lang != "deu"),
                "premise: among all languages whatlang is sure of another: {names}"
            );
            assert_eq!(article.paragraph(names, false).0, "deu", "{names}");
        }
    }
}
