//! Compound words: which indexed words contain a searched word as a part.
//!
//! German glues nouns together: "Sicherheits|garantien", "Luft|verteidigung",
//! "Truppen|präsenz". fundstelle finds such compounds at query time, from the
//! index's own vocabulary, so the index needs no guesses about splitting:
//!
//! - **as the last part** (the head): indexed stems that *end* with the
//!   word's stem ("sicherheitsgarant" for `Garantien`), found through a field
//!   of reversed stems;
//! - **as the first part** (the modifier): indexed stems that *start* with
//!   the word ("truppenprasenz" for `Truppen`).
//!
//! A candidate is accepted only when the rest is a word of its own, after
//! removing a linking element (Fugen-s, -es, -n, -en, -er, -e, -ens): known
//! from the index (the corpus's own vocabulary) or from the shipped
//! dictionary (the Snowball German vocabulary plus a short list of current
//! news words). The rest must have at least [`MIN_PART_CHARS`] letters, so
//! "Be|rater" is not a "Rat". Words that contain a part without meaning it —
//! country names like "Russ|land", "Deutsch|land", "Vor|rat" — are listed
//! in `dict/lexicalized.txt` and never split.

use std::collections::HashSet;
use std::sync::OnceLock;

use super::{fold_umlauts, stem_word};

/// The fewest letters a part of a compound may have.
pub const MIN_PART_CHARS: usize = 3;
/// Linking elements between the parts, longest first.
pub const LINKING: &[&str] = &["ens", "es", "en", "er", "s", "n", "e", ""];

/// What the compound search needs to know about the indexed vocabulary.
pub trait Lexicon {
    /// True when `stem` is indexed as a word of its own.
    fn has_stem(&self, stem: &str) -> bool;
    /// Indexed stems starting with `prefix`.
    fn stems_with_prefix(&self, prefix: &str) -> Vec<String>;
    /// Indexed stems ending with `suffix`.
    fn stems_with_suffix(&self, suffix: &str) -> Vec<String>;
    /// True when some indexed stem starts with `prefix` (or is it).
    fn has_stem_with_prefix(&self, prefix: &str) -> bool {
        !self.stems_with_prefix(prefix).is_empty()
    }
    /// Another lexicon with the same answers that a second thread can
    /// ask, when there is one: the candidates of a word with many are then
    /// checked on two threads.
    fn fork(&self) -> Option<Box<dyn Lexicon + Send + '_>> {
        None
    }
}

/// Candidates to check before the check is shared with a second thread:
/// below this, starting the thread costs more than it saves.
const FORK_MIN_CANDIDATES: usize = 32;

/// The word lists of the shipped dictionary.
const WORD_LISTS: [&str; 2] = [
    include_str!("dict/snowball-voc.txt"),
    include_str!("dict/extra-words.txt"),
];

/// The stems of [`WORD_LISTS`], sorted, one per line: computed once and
/// checked in (`dict/stems.txt`), so that a search process needs no time to
/// build it. A test keeps it in step with the word lists and the analysis.
const SHIPPED_STEMS: &str = include_str!("dict/stems.txt");

/// Computes what `dict/stems.txt` must contain.
pub fn compute_shipped_stems() -> String {
    let mut stems: Vec<String> = WORD_LISTS
        .iter()
        .flat_map(|l| l.lines())
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(stem_word)
        .collect();
    stems.sort();
    stems.dedup();
    let mut out = stems.join("\n");
    out.push('\n');
    out
}

fn lexicalized() -> &'static HashSet<String> {
    static STEMS: OnceLock<HashSet<String>> = OnceLock::new();
    STEMS.get_or_init(|| {
        include_str!("dict/lexicalized.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(stem_word)
            .collect()
    })
}

/// True when the shipped dictionary knows `stem`: a binary search of the
/// sorted text itself, through where its lines begin (computed when
/// fundstelle is compiled), so that a search process spends no time
/// reading the 22,000 stems into a table first.
pub fn in_dictionary(stem: &str) -> bool {
    first_shipped_stem_from(stem) == Some(stem)
}

/// Where each line of [`SHIPPED_STEMS`] begins.
static SHIPPED_STEM_STARTS: [u32; line_count(SHIPPED_STEMS)] = line_starts(SHIPPED_STEMS);

/// The number of lines of `text` (the last one need not end in a newline).
const fn line_count(text: &str) -> usize {
    let bytes = text.as_bytes();
    let (mut lines, mut i) = (0, 0);
    while i < bytes.len() {
        if i == 0 || bytes[i - 1] == b'\n' {
            lines += 1;
        }
        i += 1;
    }
    lines
}

/// Where each of the `N` lines of `text` begins.
const fn line_starts<const N: usize>(text: &str) -> [u32; N] {
    let bytes = text.as_bytes();
    let mut starts = [0; N];
    let (mut line, mut i) = (0, 0);
    while i < bytes.len() {
        if i == 0 || bytes[i - 1] == b'\n' {
            starts[line] = i as u32;
            line += 1;
        }
        i += 1;
    }
    starts
}

/// The first stem of the shipped dictionary that is not less than `key`.
fn first_shipped_stem_from(key: &str) -> Option<&'static str> {
    first_line_from(SHIPPED_STEMS, &SHIPPED_STEM_STARTS, key)
}

/// The first line of `text` (its lines beginning at `starts`) that is not
/// less than `key`, when the lines are sorted (bytewise, as `str`
/// compares).
fn first_line_from<'t>(text: &'t str, starts: &[u32], key: &str) -> Option<&'t str> {
    let line = |i: usize| {
        let start = starts[i] as usize;
        let end = starts.get(i + 1).map_or(text.len(), |&next| next as usize);
        text[start..end]
            .strip_suffix('\n')
            .unwrap_or(&text[start..end])
    };
    let (mut lo, mut hi) = (0, starts.len());
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if line(mid) < key {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    (lo < starts.len()).then(|| line(lo))
}

/// True for words that must not be taken apart ("Russland").
pub fn is_lexicalized(stem: &str) -> bool {
    lexicalized().contains(stem)
}

/// Function words: a search for one finds it and its forms, never a
/// compound ("der" is not a part of "Forderungen", "über" not of
/// "Überblick", "vor" not of "Vorschlag").
const FUNCTION_WORDS: &[&str] = &[
    "aber", "als", "auch", "auf", "aus", "bei", "bis", "das", "dass", "dem", "den", "der", "des",
    "die", "dies", "durch", "ein", "eine", "einem", "einen", "einer", "eines", "für", "gegen",
    "hat", "ich", "ihr", "ist", "man", "mehr", "mit", "nach", "nicht", "noch", "nur", "oder",
    "ohne", "sein", "sich", "sie", "um", "und", "uns", "unter", "vom", "von", "vor", "was", "wer",
    "wie", "wir", "wird", "zum", "zur", "über",
];

/// Derivational suffixes: what is left of a word after one of them is its
/// stem, not a compound ("Tag" + "lich" is "täglich", not a compound of
/// "Tag" and a word "lich").
const SUFFIX_RESTS: &[&str] = &[
    "bar", "chen", "haft", "heit", "ig", "isch", "keit", "lein", "lich", "ling", "nis", "sam",
    "schaft", "tum", "ung",
];

/// The prepositions among [`FUNCTION_WORDS`], "mehr" and "nicht": they do
/// begin compounds ("Über|blick", "Vor|schlag", "Mehr|wert",
/// "Nicht|raucher"); the
/// other function words never do ("der|zeit", "des|wegen", "ein|mal").
const PREPOSITIONS: &[&str] = &[
    "auf", "aus", "bei", "bis", "durch", "für", "gegen", "mit", "nach", "ohne", "um", "unter",
    "vom", "von", "vor", "zum", "zur", "über", "mehr", "nicht",
];

/// Verb prefixes that are also the stem of a short word ("ent" of "Ente"):
/// such a word is the first part of a compound only with a linking
/// element of two letters ("Ent|en|braten"), never without one
/// ("ent|decken") or with one letter of the rest taken for one
/// ("ent|s|tand").
const VERB_PREFIXES: &[&str] = &["emp", "ent", "ver", "zer"];

/// Stems of short words that are also word endings: "end" (Ende) ends
/// every participle ("wahr|end", "trenn|end"), "ent" (Ente) Latin nouns
/// ("Stud|ent", "Mom|ent"). As a head such a stem needs a linking element
/// before it, after a rest that is not a word's stem as it is ("Kriegs|ende";
/// "trenn" + "end" is "trennend"). So "Dateiende" is not
/// found from `Ende`: without a linking element it cannot be told from a
/// participle.
const SUFFIX_HEADS: &[&str] = &["end", "ent"];

/// Where the rest of a candidate lies: before the searched word (which is
/// then the head), or after it (the word is the modifier).
#[derive(Clone, Copy)]
enum Rest<'a> {
    /// Before `head`, the searched word's stem as it ends the candidate.
    BeforeHead { head: &'a str },
    /// After `modifier`, the searched word as it begins the candidate.
    AfterModifier { modifier: &'a str },
}

/// True when `part` (a piece of a compound stem, perhaps with a linking
/// element) is a word: it, or it without its linking element, is known,
/// and the division is not one German words only seem to have:
///
/// - a function word other than a preposition as the first part
///   ("der|zeit" is not a Zeit);
/// - a head that is also a word ending ([`SUFFIX_HEADS`]) after the rest
///   with no linking element, or after a rest that is a stem as it is: a
///   participle ("wahr|end", "trenn|end"), not an end ("Kriegs|ende");
/// - two parts of the fewest letters joined by a linking element
///   ("Tau|s|end", "Ent|s|endung");
/// - a verb prefix as the word, followed by the rest without a linking
///   element ("ent|decken" is not a compound of Ente).
fn is_part(part: &str, lexicon: &dyn Lexicon, place: Rest) -> bool {
    if SUFFIX_RESTS.contains(&part) {
        return false;
    }
    let short = |s: &str| s.chars().count() == MIN_PART_CHARS;
    LINKING.iter().any(|link| {
        let core = match place {
            Rest::BeforeHead { .. } => part.strip_suffix(link),
            Rest::AfterModifier { .. } => part.strip_prefix(link),
        };
        let Some(core) = core else {
            return false;
        };
        let seeming = match place {
            Rest::BeforeHead { head } => {
                (SUFFIX_HEADS.contains(&head) && (link.is_empty() || is_stem_as_is(part, lexicon)))
                    || (short(head) && short(core) && !link.is_empty())
            }
            Rest::AfterModifier { modifier } => VERB_PREFIXES.contains(&modifier) && link.len() < 2,
        };
        !seeming
            && core.chars().count() >= MIN_PART_CHARS
            && !SUFFIX_RESTS.contains(&core)
            && !(is_unbound_function_word(core, place, lexicon))
            && is_word(core, lexicon)
    })
}

/// True when a compound ending in `stem` after `rest` divides better
/// elsewhere: the rest is a word only with a linking element, while the
/// rest's last letters and `stem` make a word, and what comes before them
/// is a word with no linking element ("Maß|stab", not "Maß|s|tab" for
/// `Tab`; "Stadt|rat" stays a compound of `Rat`, "stad" is no word).
fn divides_elsewhere(rest: &str, stem: &str, lexicon: &dyn Lexicon) -> bool {
    if rest.chars().count() >= MIN_PART_CHARS && is_word(rest, lexicon) {
        return false;
    }
    rest.char_indices().rev().take(2).any(|(at, _)| {
        let (before, moved) = rest.split_at(at);
        before.chars().count() >= MIN_PART_CHARS
            && is_word(before, lexicon)
            && is_word(&format!("{moved}{stem}"), lexicon)
    })
}

/// True when `core` is a function word that is no part of a compound where
/// it stands: any but [`PREPOSITIONS`] before the head ("der|zeit"), any
/// after the modifier ("art|ist") unless it is what the stemmer left of a
/// longer word ("zeit|ein" is the stem of "Zeit|einheit").
fn is_unbound_function_word(core: &str, place: Rest, lexicon: &dyn Lexicon) -> bool {
    if !FUNCTION_WORDS.contains(&core) {
        return false;
    }
    match place {
        Rest::BeforeHead { .. } => !PREPOSITIONS.contains(&core),
        Rest::AfterModifier { .. } => !LATE_SUFFIXES
            .iter()
            .any(|suffix| is_word(&format!("{core}{suffix}"), lexicon)),
    }
}

/// True when `s` is, unchanged, the stem of a word known from the shipped
/// dictionary or the index ("trenn" of "trennen"; not "kriegs", which
/// stems to "krieg").
fn is_stem_as_is(s: &str, lexicon: &dyn Lexicon) -> bool {
    in_dictionary(s) || lexicon.has_stem(s)
}

/// Suffixes the Snowball stemmer removes only far enough into a word (its
/// "R2" region): inside a long compound it strips them from the last part,
/// while the same word on its own keeps them ("Verteidigungsfähigkeit" →
/// `…fah`, "Fähigkeit" → `fahig`).
const LATE_SUFFIXES: &[&str] = &["ig", "isch", "lich", "ung", "heit", "keit", "end", "ik"];

/// True when `core`, its stem, or `core` with one of [`LATE_SUFFIXES`] is
/// known, from the shipped dictionary or from the index.
fn is_word(core: &str, lexicon: &dyn Lexicon) -> bool {
    let late = || LATE_SUFFIXES.iter().map(|s| format!("{core}{s}"));
    // The shipped dictionary first: it is in memory, the index is not. In
    // the index, one look for stems starting with `core` answers for `core`
    // and all its suffixed forms when there are none (most pieces tried);
    // the same in the dictionary for the suffixed forms.
    // One search of the dictionary tells whether it has `core`, and
    // whether it has any stem starting with it.
    let from_core = first_shipped_stem_from(core);
    if from_core == Some(core) {
        return true;
    }
    let stem = stem_word(core);
    in_dictionary(&stem)
        || (from_core.is_some_and(|line| line.starts_with(core))
            && late().any(|w| in_dictionary(&w)))
        || lexicon.has_stem(&stem)
        || (lexicon.has_stem_with_prefix(core)
            && (lexicon.has_stem(core) || late().any(|w| lexicon.has_stem(&w))))
}

/// Stems of indexed compounds that contain `word` as their first or last
/// part, excluding the word's own stem: those with it as the head (the
/// last part: "sicherheits" + "garant"), then those with it as the
/// modifier (the first part: "trupp"/"truppen" + "en" + "prasenz"), each
/// once. Checking that the rest of a candidate is a word is most of the
/// time of a query with hundreds of compounds; with many candidates, and a
/// lexicon that can [`fork`](Lexicon::fork), half are checked on a second
/// thread (the same answers, in the same order).
pub fn compounds_containing(word: &str, lexicon: &dyn Lexicon) -> Vec<String> {
    compounds_checked(word, lexicon, true)
}

fn compounds_checked(word: &str, lexicon: &dyn Lexicon, may_fork: bool) -> Vec<String> {
    let candidates = candidates(word, lexicon);
    let fork = (may_fork && candidates.len() >= FORK_MIN_CANDIDATES)
        .then(|| lexicon.fork())
        .flatten();
    let accepted = match fork {
        Some(other) => check_on_two_threads(&candidates, lexicon, other),
        None => candidates.iter().map(|c| c.accepted(lexicon)).collect(),
    };
    let mut seen = HashSet::new();
    candidates
        .into_iter()
        .zip(accepted)
        .filter(|(_, accepted)| *accepted)
        .map(|(c, _)| c.stem)
        .filter(|c| seen.insert(c.clone()))
        .collect()
}

/// The answers of [`Candidate::accepted`] for `candidates`: the even ones
/// checked here, the odd ones on a second thread with `other` (or here too
/// when no thread can be started).
fn check_on_two_threads(
    candidates: &[Candidate],
    lexicon: &dyn Lexicon,
    other: Box<dyn Lexicon + Send + '_>,
) -> Vec<bool> {
    // Every second candidate from `first` on.
    let half = |first: usize, lexicon: &dyn Lexicon| -> Vec<bool> {
        candidates
            .iter()
            .skip(first)
            .step_by(2)
            .map(|c| c.accepted(lexicon))
            .collect()
    };
    std::thread::scope(|scope| {
        let odd = std::thread::Builder::new().spawn_scoped(scope, move || half(1, other.as_ref()));
        let even = half(0, lexicon);
        let odd = odd
            .ok()
            .and_then(|handle| handle.join().ok())
            .unwrap_or_else(|| half(1, lexicon));
        let mut all = Vec::with_capacity(candidates.len());
        for i in 0..candidates.len() {
            all.push(if i % 2 == 0 { even[i / 2] } else { odd[i / 2] });
        }
        all
    })
}

/// An indexed stem that may be a compound containing the searched word
/// (not the word itself, not a lexicalized word).
struct Candidate {
    stem: String,
    /// Where the rest of the compound (besides the word) lies in `stem`.
    rest: std::ops::Range<usize>,
    /// True when the rest comes first (the word is the head), so that a
    /// linking element ends it; false when it follows the word.
    rest_first: bool,
}

impl Candidate {
    /// True when the candidate is listed: its rest is a word, and (with the
    /// word as the head) the compound does not divide better elsewhere.
    fn accepted(&self, lexicon: &dyn Lexicon) -> bool {
        let rest = &self.stem[self.rest.clone()];
        let place = if self.rest_first {
            Rest::BeforeHead {
                head: &self.stem[self.rest.end..],
            }
        } else {
            Rest::AfterModifier {
                modifier: &self.stem[..self.rest.start],
            }
        };
        is_part(rest, lexicon, place)
            && !(self.rest_first && divides_elsewhere(rest, &self.stem[self.rest.end..], lexicon))
    }
}

/// The stem of `word`, when it is long enough to be a part of a compound.
fn part_stem(word: &str) -> Option<String> {
    let stem = stem_word(word);
    (stem.chars().count() >= MIN_PART_CHARS).then_some(stem)
}

/// True for a compound that may be listed for the word of stem `stem`.
fn may_list(candidate: &str, stem: &str) -> bool {
    candidate != stem && !is_lexicalized(candidate)
}

/// The candidates for `word`, in the order they are listed: indexed stems
/// ending with the word's stem (the word as the head), then those starting
/// with its stem or its surface form (as the modifier: the compound's
/// first part is not stemmed, so the surface form, umlauts folded as the
/// stemmer does, is looked for as well).
fn candidates(word: &str, lexicon: &dyn Lexicon) -> Vec<Candidate> {
    if FUNCTION_WORDS.contains(&super::lowercase(word).as_str()) {
        return Vec::new();
    }
    let Some(stem) = part_stem(word) else {
        return Vec::new();
    };
    let mut found: Vec<Candidate> = lexicon
        .stems_with_suffix(&stem)
        .into_iter()
        .map(|candidate| Candidate {
            rest: 0..candidate.len() - stem.len(),
            stem: candidate,
            rest_first: true,
        })
        .collect();
    let surface = fold_umlauts(&super::normalize::normalize(&super::lowercase(word)));
    let mut prefixes = vec![stem.clone()];
    if surface != stem {
        prefixes.push(surface);
    }
    for prefix in &prefixes {
        for candidate in lexicon.stems_with_prefix(prefix) {
            found.push(Candidate {
                rest: prefix.len()..candidate.len(),
                stem: candidate,
                rest_first: false,
            });
        }
    }
    found.retain(|c| may_list(&c.stem, &stem));
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A vocabulary as an index of German news would have it.
    struct Words(Vec<String>);

    impl Words {
        fn of(words: &[&str]) -> Words {
            Words(words.iter().map(|w| stem_word(w)).collect())
        }
    }

    impl Lexicon for Words {
        fn fork(&self) -> Option<Box<dyn Lexicon + Send + '_>> {
            Some(Box::new(Words(self.0.clone())))
        }
        fn has_stem(&self, stem: &str) -> bool {
            self.0.iter().any(|s| s == stem)
        }
        fn stems_with_prefix(&self, prefix: &str) -> Vec<String> {
            self.0
                .iter()
                .filter(|s| s.starts_with(prefix))
                .cloned()
                .collect()
        }
        fn stems_with_suffix(&self, suffix: &str) -> Vec<String> {
            self.0
                .iter()
                .filter(|s| s.ends_with(suffix))
                .cloned()
                .collect()
        }
    }

    /// The binary search of the dictionary's text finds each of its lines
    /// and nothing between or around them.
    #[test]
    fn dictionary_search_finds_every_line_and_nothing_else() {
        let lines: Vec<&str> = SHIPPED_STEMS.lines().collect();
        assert!(lines.len() > 20_000);
        for line in &lines {
            assert!(in_dictionary(line), "{line}");
            assert!(!in_dictionary(&format!("{line}\u{1}")), "{line}");
            assert!(!in_dictionary(&format!("\u{1}{line}")), "{line}");
        }
        for absent in ["", "\u{1}", "\u{10ffff}", "zzzzzzzz", "sicherheitsgarantx"] {
            assert!(!in_dictionary(absent), "{absent:?}");
        }
        /// `key`'s line in `text`, through its line starts as computed
        /// for the shipped dictionary.
        fn from(text: &'static str, key: &str) -> Option<&'static str> {
            let bytes = text.as_bytes();
            let starts: Vec<u32> = (0..bytes.len())
                .filter(|&i| i == 0 || bytes[i - 1] == b'\n')
                .map(|i| i as u32)
                .collect();
            first_line_from(text, &starts, key)
        }
        assert_eq!(from("", "a"), None);
        assert_eq!(from("a\nb\nc", "c"), Some("c"));
        assert_eq!(from("a\nb\nc", "a"), Some("a"));
        assert_eq!(from("a\nb\nc\n", ""), Some("a"));
        assert_eq!(from("a\nc\ne\n", "b"), Some("c"));
        assert_eq!(from("a\nc\ne\n", "f"), None);
        assert_eq!(from("a\nc\ne", "e"), Some("e"));
        // The starts computed when compiling are those of the lines.
        let mut at = 0;
        for (i, line) in SHIPPED_STEMS.lines().enumerate() {
            assert_eq!(SHIPPED_STEM_STARTS[i] as usize, at, "{line}");
            at += line.len() + 1;
        }
        assert_eq!(SHIPPED_STEM_STARTS.len(), SHIPPED_STEMS.lines().count());
        const SMALL: &str = "a\nbc\nd";
        assert_eq!(line_starts::<{ line_count(SMALL) }>(SMALL), [0, 2, 5]);
        assert_eq!(line_count("a\n"), 1);
        assert_eq!(line_count(""), 0);
    }

    /// Prefixes of the dictionary's stems are found, and nothing else.
    #[test]
    fn dictionary_prefixes_are_those_of_its_lines() {
        let dictionary_has_prefix = |prefix: &str| {
            first_shipped_stem_from(prefix).is_some_and(|line| line.starts_with(prefix))
        };
        let lines: Vec<&str> = SHIPPED_STEMS.lines().collect();
        for line in lines.iter().step_by(7) {
            let chars: Vec<char> = line.chars().collect();
            for n in 0..=chars.len() {
                let prefix: String = chars[..n].iter().collect();
                assert!(dictionary_has_prefix(&prefix), "{prefix}");
            }
            let past = format!("{line}\u{1}");
            assert_eq!(
                dictionary_has_prefix(&past),
                lines.iter().any(|l| l.starts_with(&past))
            );
        }
        for absent in ["\u{1}", "\u{10ffff}", "zzzzzzzz", "qqq"] {
            assert_eq!(
                dictionary_has_prefix(absent),
                lines.iter().any(|l| l.starts_with(absent)),
                "{absent:?}"
            );
        }
    }

    fn vocabulary() -> Words {
        Words::of(&[
            "Sicherheitsgarantien",
            "Garantien",
            "Sicherheit",
            "Luftverteidigung",
            "Luft",
            "Verteidigungsministerium",
            "Verteidigungsministerin",
            "Ministerin",
            "Bodentruppen",
            "Truppenpräsenz",
            "Präsenz",
            "Truppen",
            "Kriegsanstrengungen",
            "Weltkriegs",
            "Krieg",
            "Sicherheitsrat",
            "Berater",
            "Rat",
            "Russland",
            "Russen",
            "Deutschland",
            "deutschen",
            "Finnland",
            "Niederlande",
            "Land",
            "Länder",
            "Unterstützerländer",
            "Vorrat",
        ])
    }

    /// A word with more candidates than one thread checks gets the same
    /// compounds, in the same order, when half are checked on a second
    /// thread; and some of each kind are accepted and rejected.
    #[test]
    fn checking_on_two_threads_gives_the_same_compounds() {
        // Real words from the shipped list before "Garantien" and "Land"
        // (accepted compounds), and made-up rests (rejected ones).
        let rests: Vec<&str> = WORD_LISTS[0]
            .lines()
            .filter(|w| w.chars().count() >= 5 && w.chars().all(|c| c.is_alphabetic()))
            .step_by(97)
            .take(60)
            .collect();
        let mut words: Vec<String> = Vec::new();
        for (i, rest) in rests.iter().enumerate() {
            words.push(format!("{rest}garantien"));
            words.push(format!("Landes{}", rest.to_lowercase()));
            words.push(format!("qx{i}zgarantien"));
            words.push(format!("Landqx{i}z"));
        }
        words.extend(["Garantien", "Land"].map(String::from));
        let refs: Vec<&str> = words.iter().map(String::as_str).collect();
        let lexicon = Words::of(&refs);
        for word in ["Garantien", "Land"] {
            assert!(
                candidates(word, &lexicon).len() >= FORK_MIN_CANDIDATES,
                "{word}"
            );
            let one = compounds_checked(word, &lexicon, false);
            let two = compounds_checked(word, &lexicon, true);
            assert_eq!(one, two, "{word}");
            assert!(one.len() >= 10, "{word}: {one:?}");
            // The made-up rests (one per real one) are rejected.
            assert!(
                one.len() + rests.len() <= candidates(word, &lexicon).len(),
                "{word}: {one:?}"
            );
        }
    }

    fn surfaces(word: &str) -> Vec<String> {
        let mut found = compounds_containing(word, &vocabulary());
        found.sort();
        found
    }

    fn stems(words: &[&str]) -> Vec<String> {
        let mut s: Vec<String> = words.iter().map(|w| stem_word(w)).collect();
        s.sort();
        s
    }

    #[test]
    fn checked_in_stems_match_the_word_lists_and_the_analysis() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/analysis/dict/stems.txt");
        if std::env::var_os("FUNDSTELLE_WRITE_STEMS").is_some() {
            std::fs::write(path, compute_shipped_stems()).unwrap();
        }
        assert!(
            SHIPPED_STEMS == compute_shipped_stems(),
            "src/analysis/dict/stems.txt is out of date: run \
             FUNDSTELLE_WRITE_STEMS=1 cargo test --lib checked_in_stems"
        );
        let sorted: Vec<&str> = SHIPPED_STEMS.lines().collect();
        assert!(
            sorted.windows(2).all(|w| w[0] < w[1]),
            "sorted for binary search"
        );
    }

    #[test]
    fn finds_the_word_as_head_or_modifier() {
        assert_eq!(surfaces("Garantien"), stems(&["Sicherheitsgarantien"]));
        assert_eq!(
            surfaces("Verteidigung"),
            stems(&[
                "Luftverteidigung",
                "Verteidigungsministerium",
                "Verteidigungsministerin"
            ])
        );
        assert_eq!(
            surfaces("Truppen"),
            stems(&["Bodentruppen", "Truppenpräsenz"])
        );
        assert_eq!(
            surfaces("Krieg"),
            stems(&["Kriegsanstrengungen", "Weltkriegs"])
        );
        assert_eq!(surfaces("Rat"), stems(&["Sicherheitsrat"]));
    }

    #[test]
    fn function_words_suffixes_weekdays_and_better_divisions_are_not_compounds() {
        let words = Words::of(&[
            "Forderungen",
            "derzeit",
            "Überblick",
            "Blick",
            "Maßstab",
            "Maß",
            "Stab",
            "Stadtrat",
            "Stadt",
            "Rat",
            "täglich",
            "Donnerstag",
            "Jahrestag",
            "Jahr",
            "Tag",
            "Tab",
        ]);
        let found = |w: &str| compounds_containing(w, &words);
        // Function words: no compounds at all.
        assert!(found("der").is_empty(), "{:?}", found("der"));
        assert!(found("über").is_empty(), "{:?}", found("über"));
        // "Maß|stab", not "Maß|s|tab"; but "Stab" finds it.
        assert!(found("Tab").is_empty(), "{:?}", found("Tab"));
        assert_eq!(found("Stab"), [stem_word("Maßstab")]);
        // "Stadt|rat": "stad" is no word, so the division stands.
        assert_eq!(found("Rat"), [stem_word("Stadtrat")]);
        // "täglich" is Tag + a suffix; a weekday is lexicalized; the
        // anniversary is a compound of Tag.
        assert_eq!(found("Tag"), [stem_word("Jahrestag")]);
        // The words those rules leave out of others' lists still find
        // their own compounds.
        assert_eq!(found("Blick"), [stem_word("Überblick")]);
    }

    #[test]
    fn participles_latin_endings_short_pairs_and_function_words_are_not_compounds() {
        let words = Words::of(&[
            "Ende",
            "Kriegsende",
            "Krieg",
            "während",
            "wahr",
            "trennend",
            "trennen",
            "tausend",
            "Tau",
            "Entsendung",
            "senden",
            "Ente",
            "Entenbraten",
            "Braten",
            "entdecken",
            "decken",
            "Student",
            "Studium",
            "derzeit",
            "Zeit",
            "Arbeitszeit",
            "Arbeit",
            "Nichtraucher",
            "Raucher",
            "Mehrwert",
            "Wert",
            "Artist",
            "Art",
            "Zeiteinheit",
            "Einheit",
        ]);
        let found = |w: &str| compounds_containing(w, &words);
        // An end with a linking element; participles ("wahr|end",
        // "trenn|end"), "Tau|s|end" and "Ent|s|endung" are not ends.
        // (Most compounds of Ende lose the "end" to the stemmer:
        // "Jahresende" stems to `jahres`.)
        assert_eq!(found("Ende"), [stem_word("Kriegsende")]);
        // A duck with the linking element "en"; "ent|decken" and "Stud|ent"
        // are no ducks.
        assert_eq!(found("Ente"), [stem_word("Entenbraten")]);
        // "der" does not begin a compound, "nicht" and "mehr" do.
        assert_eq!(
            found("Zeit"),
            [stem_word("Arbeitszeit"), stem_word("Zeiteinheit")]
        );
        assert_eq!(found("Raucher"), [stem_word("Nichtraucher")]);
        assert_eq!(found("Wert"), [stem_word("Mehrwert")]);
        // A function word does not end one either ("Art|ist").
        assert!(found("Art").is_empty(), "{:?}", found("Art"));
    }

    #[test]
    fn does_not_take_apart_what_is_not_a_compound_of_the_word() {
        // Countries, "Be|rater", "Vor|rat".
        assert_eq!(surfaces("Land"), stems(&["Unterstützerländer"]));
        assert!(!surfaces("Rat").contains(&stem_word("Berater")));
        assert!(!surfaces("Rat").contains(&stem_word("Vorrat")));
        assert!(surfaces("EU").is_empty(), "too short to be a part");
    }
}
