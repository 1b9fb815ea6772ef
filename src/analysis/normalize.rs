//! German normalisation steps that run between lowercasing and stemming.
//! Each is a plain function, tested on its own; [`GERMAN_NORMALIZER`]
//! applies both.
//!
//! - [`fold_digraphs`]: people without umlaut keys write `Laender`,
//!   `Praesident`, `Oesterreich`; these become `länder`, `präsident`,
//!   `österreich` (as Snowball's "german2" variant does). `ß` needs no step:
//!   the stemmer already turns it into `ss`, so `Grossbritannien` and
//!   `Großbritannien` meet.
//! - [`strip_feminine`]: `Ministerin`, `Ministerinnen`, `Politikerin`,
//!   `Vertreter*innen` become `minister`, `minister`, `politiker`,
//!   `vertreter`, so the person nouns meet their masculine and plural forms
//!   (current Snowball German does this; the version in rust-stemmers does
//!   not).

use super::map::MapText;

/// `ae`, `oe`, `ue` → `ä`, `ö`, `ü`. `ue` stays after a vowel or `q`
/// ("neue", "Quelle"), as in Lucene's German normalisation.
pub fn fold_digraphs(word: &str) -> String {
    // Most words have no digraph to fold.
    let digraph = |pair: &[u8]| pair[1] == b'e' && matches!(pair[0], b'a' | b'o' | b'u');
    if !word.as_bytes().windows(2).any(digraph) {
        return word.to_string();
    }
    let chars: Vec<char> = word.chars().collect();
    let mut out = String::with_capacity(word.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let folded = match (c, next) {
            ('a', Some('e')) => Some('ä'),
            ('o', Some('e')) => Some('ö'),
            ('u', Some('e')) if !prev.is_some_and(|p| "aeiouäöüq".contains(p)) => Some('ü'),
            _ => None,
        };
        match folded {
            Some(f) => {
                out.push(f);
                i += 2;
            }
            None => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// Endings of person nouns that take the feminine `-in`/`-innen`:
/// Politik-er, Präsid-ent, Demonstr-ant, Aut-or, Redakt-eur, Journal-ist,
/// Kandid-at, Soziol-og, Pil-ot.
const PERSON_ENDINGS: &[&str] = &[
    "er", "ent", "ant", "or", "eur", "ist", "at", "og", "ot", "ar", "är", "ör",
];

/// `…erin`/`…erinnen` (and the other person endings) → the masculine form;
/// a gender star, colon or underscore before `in`/`innen` goes too.
/// Words like "Berlin", "Termin", "Putin" or "Benzin" are left alone: what
/// precedes their `in` is no person ending.
pub fn strip_feminine(word: &str) -> String {
    for suffix in ["innen", "in"] {
        let Some(base) = word.strip_suffix(suffix) else {
            continue;
        };
        let base = base.trim_end_matches(['*', ':', '_', '/']);
        if base.chars().count() >= 4 && PERSON_ENDINGS.iter().any(|e| base.ends_with(e)) {
            return base.to_string();
        }
    }
    word.to_string()
}

/// Both steps, in order.
pub fn normalize(word: &str) -> String {
    strip_feminine(&fold_digraphs(word))
}

/// tantivy filter applying [`normalize`] to lowercased tokens.
pub const GERMAN_NORMALIZER: MapText = MapText::new(|word, out| out.push_str(&normalize(word)));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digraphs_become_umlauts() {
        assert_eq!(fold_digraphs("laender"), "länder");
        assert_eq!(fold_digraphs("praesident"), "präsident");
        assert_eq!(fold_digraphs("oesterreich"), "österreich");
        assert_eq!(fold_digraphs("muenchen"), "münchen");
        assert_eq!(fold_digraphs("neue"), "neue", "ue after a vowel stays");
        assert_eq!(fold_digraphs("quelle"), "quelle", "ue after q stays");
        assert_eq!(fold_digraphs("länder"), "länder");
    }

    #[test]
    fn feminine_and_plural_person_forms_become_masculine() {
        assert_eq!(strip_feminine("ministerin"), "minister");
        assert_eq!(strip_feminine("ministerinnen"), "minister");
        assert_eq!(strip_feminine("politikerin"), "politiker");
        assert_eq!(
            strip_feminine("verteidigungsministerin"),
            "verteidigungsminister"
        );
        assert_eq!(strip_feminine("präsidentin"), "präsident");
        assert_eq!(strip_feminine("journalistinnen"), "journalist");
        assert_eq!(strip_feminine("vertreter*innen"), "vertreter");
        assert_eq!(strip_feminine("kandidat:innen"), "kandidat");
    }

    #[test]
    fn words_that_merely_end_in_in_are_left_alone() {
        for word in [
            "berlin",
            "termin",
            "putin",
            "benzin",
            "medizin",
            "magazin",
            "disziplin",
            "protein",
            "kamin",
            "vitamin",
            "in",
            "innen",
        ] {
            assert_eq!(strip_feminine(word), word);
        }
    }
}
