//! Segmentation rules as data: patterns that give paragraphs a kind, find
//! agency credits, recognise comment time stamps and quote attributions.
//!
//! The built-in rules are `rules.toml` beside this file (compiled in); a
//! user's file in the same format is tried before them. Structural rules
//! (what stands above the headline, where the comments begin, which line
//! belongs to a pull quote) live in `classify.rs` and use these patterns.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use anyhow::{Context, Result, bail};
use regex::Regex;
use regex_syntax::hir::literal::Extractor;
use regex_syntax::hir::{Class, Hir, HirKind, Look};
use serde::Deserialize;

use super::Kind;

const BUILT_IN: &str = include_str!("rules.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    #[serde(default)]
    kind: Vec<KindRuleSpec>,
    #[serde(default)]
    agency: Vec<AgencyRuleSpec>,
    #[serde(default)]
    comments: Option<CommentSpec>,
    #[serde(default)]
    quotes: Option<QuoteSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct KindRuleSpec {
    kind: String,
    pattern: String,
    reason: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AgencyRuleSpec {
    pattern: String,
    reason: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CommentSpec {
    timestamp: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct QuoteSpec {
    attribution: String,
}

/// A pattern that gives a paragraph its kind.
#[derive(Debug, Clone)]
pub struct KindRule {
    pub kind: Kind,
    pub pattern: Pattern,
    pub reason: String,
}

/// A pattern that finds an agency credit (group `agency`).
#[derive(Debug, Clone)]
pub struct AgencyRule {
    pub pattern: Regex,
    pub reason: String,
}

/// The compiled patterns of a rule set.
#[derive(Debug, Clone)]
pub struct RuleSet {
    pub kinds: Vec<KindRule>,
    pub agencies: Vec<AgencyRule>,
    pub comment_timestamps: Vec<Regex>,
    pub quote_attribution: Option<Pattern>,
}

/// A rule set and the fingerprint the index records for it.
///
/// The built-in rules are compiled when they are first used, not when the
/// set is made: compiling their patterns takes about 20 ms, which was half
/// of an `index` run that finds nothing to read (the shipped seeds
/// unchanged) and is spent now only by runs that read a file. A user's
/// file is compiled at once, so that its errors are reported before any
/// work is done.
#[derive(Debug, Clone)]
pub struct Rules {
    set: OnceLock<RuleSet>,
    /// xxh3-64 of the rule text(s) this set was made from. An index records
    /// it: documents classified by other rules are rebuilt, not mixed.
    pub fingerprint: u64,
    /// The user's rule file these rules were made with (absolute).
    pub file: Option<PathBuf>,
}

/// The lazy DFA cache of each rule's regex.
const DFA_CACHE_BYTES: usize = 8 << 20;

impl Rules {
    /// The built-in rules.
    pub fn built_in() -> Rules {
        Rules {
            set: OnceLock::new(),
            fingerprint: xxhash_rust::xxh3::xxh3_64(BUILT_IN.as_bytes()),
            file: None,
        }
    }

    /// The compiled patterns (for the built-in rules compiled now, if
    /// this is their first use).
    pub fn set(&self) -> &RuleSet {
        // Only the built-in rules are made without their patterns; their
        // file is part of the program and covered by tests.
        self.set.get_or_init(|| {
            RuleSet::parse(BUILT_IN, "built-in rules.toml").expect("built-in rules are valid")
        })
    }

    /// The built-in rules with a user's file tried first.
    pub fn with_user_file(path: &Path) -> Result<Rules> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read rule file {}", path.display()))?;
        let user = RuleSet::parse(&text, &path.display().to_string())?;
        let mut rules = Rules::built_in().set().clone();
        rules.kinds.splice(0..0, user.kinds);
        rules.agencies.splice(0..0, user.agencies);
        rules
            .comment_timestamps
            .splice(0..0, user.comment_timestamps);
        if user.quote_attribution.is_some() {
            rules.quote_attribution = user.quote_attribution;
        }
        Ok(Rules {
            set: OnceLock::from(rules),
            fingerprint: xxhash_rust::xxh3::xxh3_64(format!("{BUILT_IN}\0{text}").as_bytes()),
            file: Some(std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())),
        })
    }

    /// Parses and compiles a rule file; errors name the file and the rule.
    pub fn parse(text: &str, origin: &str) -> Result<Rules> {
        Ok(Rules {
            set: OnceLock::from(RuleSet::parse(text, origin)?),
            fingerprint: xxhash_rust::xxh3::xxh3_64(text.as_bytes()),
            file: None,
        })
    }

    /// The first kind rule matching `text`.
    pub fn kind_of(&self, text: &str) -> Option<&KindRule> {
        self.set().kinds.iter().find(|r| r.pattern.is_match(text))
    }

    /// Every agency credited in `text`, lowercased, in order.
    pub fn agencies_in(&self, text: &str) -> Vec<String> {
        let mut found: Vec<String> = Vec::new();
        for rule in &self.set().agencies {
            for caps in rule.pattern.captures_iter(text) {
                if let Some(m) = caps.name("agency") {
                    let agency = m.as_str().to_lowercase();
                    if !found.contains(&agency) {
                        found.push(agency);
                    }
                }
            }
        }
        found
    }

    pub fn is_quote_attribution(&self, text: &str) -> bool {
        self.set()
            .quote_attribution
            .as_ref()
            .is_some_and(|p| p.is_match(text))
    }
}

impl RuleSet {
    /// Parses and compiles a rule file; errors name the file and the rule.
    fn parse(text: &str, origin: &str) -> Result<RuleSet> {
        let file: RuleFile =
            toml::from_str(text).with_context(|| format!("{origin}: not a valid rule file"))?;
        let compile = |what: &str, n: usize, pattern: &str| {
            // Bounded repetitions of Unicode classes (`.{0,40}`) make large
            // automata; with regex's default cache the fast lazy DFA gave up
            // on them and every paragraph went through the slow engines
            // (a fifth of ingest time, BENCHMARKS.md).
            regex::RegexBuilder::new(pattern)
                .dfa_size_limit(DFA_CACHE_BYTES)
                .build()
                .with_context(|| format!("{origin}: {what} rule {n}: bad pattern '{pattern}'"))
        };
        let pattern = |what: &str, n: usize, pattern: &str| {
            compile(what, n, pattern).map(|regex| Pattern::new(regex, pattern))
        };
        let mut kinds = Vec::new();
        for (i, spec) in file.kind.iter().enumerate() {
            let kind: Kind = spec
                .kind
                .parse()
                .map_err(|e: String| anyhow::anyhow!("{origin}: kind rule {}: {e}", i + 1))?;
            if kind == Kind::Title {
                bail!(
                    "{origin}: kind rule {}: the title is found from the article's top, not by a rule",
                    i + 1
                );
            }
            kinds.push(KindRule {
                kind,
                pattern: pattern("kind", i + 1, &spec.pattern)?,
                reason: spec.reason.clone(),
            });
        }
        let mut agencies = Vec::new();
        for (i, spec) in file.agency.iter().enumerate() {
            let pattern = compile("agency", i + 1, &spec.pattern)?;
            if !pattern.capture_names().any(|n| n == Some("agency")) {
                bail!(
                    "{origin}: agency rule {}: the pattern needs a group named 'agency', as in (?P<agency>dpa)",
                    i + 1
                );
            }
            agencies.push(AgencyRule {
                pattern,
                reason: spec.reason.clone(),
            });
        }
        let comment_timestamps = file
            .comments
            .map(|c| c.timestamp)
            .unwrap_or_default()
            .iter()
            .enumerate()
            .map(|(i, p)| compile("comment timestamp", i + 1, p))
            .collect::<Result<Vec<_>>>()?;
        let quote_attribution = file
            .quotes
            .map(|q| pattern("quote attribution", 1, &q.attribution))
            .transpose()?;
        Ok(RuleSet {
            kinds,
            agencies,
            comment_timestamps,
            quote_attribution,
        })
    }
}

/// A rule's pattern, for yes-or-no questions. When every match of it must
/// span the whole text (`^…$`) and its matches are at most so long, a
/// longer text is answered without running the regex: most paragraphs are
/// longer than the short lines such rules describe ("Jetzt weiterlesen",
/// "Artikel teilen", an "Abo" offer), and the lazy DFA of a bounded
/// repetition like `.{0,40}` was the costliest part of classifying them.
///
/// And when every match must contain one of a few words (`abo`, `foto`,
/// `bild`, …) but the pattern does not start with them (`^.{0,40}\b(abo|…)`,
/// `(^|\s)(foto|…)\s*:…$`), so that regex cannot skip ahead to them, a
/// text without any of them is answered by a search for those words alone,
/// which regex runs as a fast literal scan; the two built-in rules of that
/// shape were most of the rules' time (BENCHMARKS.md).
#[derive(Debug, Clone)]
pub struct Pattern {
    regex: Regex,
    /// The longest text (in bytes) the pattern can match, when it must
    /// match the whole text.
    whole_text_max: Option<usize>,
    /// A part every match contains, as a pattern of its own (see above).
    required: Option<Regex>,
}

impl Pattern {
    fn new(regex: Regex, pattern: &str) -> Pattern {
        let hir = regex_syntax::parse(pattern).ok();
        let whole_text_max = hir.as_ref().and_then(|hir| {
            let props = hir.properties();
            let whole = props.look_set_prefix().contains(Look::Start)
                && props.look_set_suffix().contains(Look::End);
            whole.then(|| props.maximum_len()).flatten()
        });
        let required = hir.as_ref().and_then(required_part);
        Pattern {
            regex,
            whole_text_max,
            required,
        }
    }

    pub fn is_match(&self, text: &str) -> bool {
        if self.whole_text_max.is_some_and(|max| text.len() > max) {
            return false;
        }
        if self.required.as_ref().is_some_and(|r| !r.is_match(text)) {
            return false;
        }
        self.regex.is_match(text)
    }

    pub fn as_str(&self) -> &str {
        self.regex.as_str()
    }
}

/// A pattern every match of `hir` contains a match of, and that regex
/// can search for quickly: `hir` from the element of its top-level
/// sequence that is a short list of words (literals of at least two
/// characters; the one with the longest shortest word) up to the next
/// element that can run long (`.{0,40}`, `[\p{L} ]{1,80}`: these made
/// the search as slow as the whole pattern), or to its end. Only
/// where regex cannot do as well on its own: not when the pattern starts
/// with such words (regex skips ahead to them already), nor when it must
/// start at the start of the text and nothing before those words can run
/// long (its automaton then gives up after a few bytes).
fn required_part(hir: &Hir) -> Option<Regex> {
    let words = |hir: &Hir| {
        let seq = Extractor::new().extract(hir);
        seq.min_literal_len()
            .filter(|&len| seq.is_finite() && len >= 2)
    };
    if words(hir).is_some() {
        return None;
    }
    let HirKind::Concat(parts) = hir.kind() else {
        return None;
    };
    let (start, _) = parts
        .iter()
        .enumerate()
        .filter(|(_, part)| part.properties().minimum_len().is_some_and(|len| len > 0))
        .filter_map(|(i, part)| words(part).map(|len| (i, len)))
        .max_by_key(|&(i, len)| (len, std::cmp::Reverse(i)))?;
    let anchored = hir.properties().look_set_prefix().contains(Look::Start);
    if anchored && !parts[..start].iter().any(runs_long) {
        return None;
    }
    let end = (start + 1..parts.len())
        .find(|&i| runs_long(&parts[i]))
        .unwrap_or(parts.len());
    let rest = Hir::concat(parts[start..end].to_vec());
    regex::RegexBuilder::new(&rest.to_string())
        .dfa_size_limit(DFA_CACHE_BYTES)
        .build()
        .ok()
}

/// True when `hir` repeats a class of almost any character (`.{0,40}`):
/// it can match a long stretch of any text.
fn runs_long(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Repetition(rep) => {
            rep.max.is_none_or(|max| max > 1)
                && match rep.sub.kind() {
                    HirKind::Class(Class::Unicode(class)) => {
                        class.ranges().iter().map(|r| r.len()).sum::<usize>() > 1000
                    }
                    HirKind::Class(Class::Bytes(class)) => {
                        class.ranges().iter().map(|r| r.len()).sum::<usize>() > 128
                    }
                    _ => runs_long(&rep.sub),
                }
        }
        HirKind::Capture(capture) => runs_long(&capture.sub),
        HirKind::Concat(parts) | HirKind::Alternation(parts) => parts.iter().any(runs_long),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The length check answers as the regex would: on the seeds' lines,
    /// on short lines each rule matches, and on those lines padded past
    /// the longest match. It is used by the bounded whole-text rules only.
    #[test]
    fn long_texts_are_answered_as_the_regex_would() {
        let rules = Rules::built_in();
        let bounded: Vec<&Pattern> = rules
            .set()
            .kinds
            .iter()
            .map(|r| &r.pattern)
            .filter(|p| p.whole_text_max.is_some())
            .collect();
        assert!(bounded.len() >= 3, "{}", bounded.len());
        // Unanchored or unbounded patterns are never cut short.
        for unbounded in ["abo", "^abo", "abo$", "^[0-9]+$", "(?m)^abo$"] {
            let regex = Regex::new(unbounded).unwrap();
            assert_eq!(Pattern::new(regex, unbounded).whole_text_max, None);
        }
        let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
        let mut texts: Vec<String> = [
            "Jetzt weiterlesen",
            "Artikel teilen",
            "Werbung",
            "Mit dpa",
            "Lesen Sie mit dem Abo alles",
            "12,5 %",
        ]
        .iter()
        .map(|t| t.to_string())
        .collect();
        for entry in std::fs::read_dir(seeds).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            texts.extend(text.lines().map(|l| l.trim().to_string()));
        }
        let padded: Vec<String> = texts
            .iter()
            .map(|t| format!("{t}{}", " x".repeat(200)))
            .collect();
        texts.extend(padded);
        let mut matched = 0;
        for rule in &rules.set().kinds {
            let reference = Regex::new(rule.pattern.as_str()).unwrap();
            for text in &texts {
                let expected = reference.is_match(text);
                matched += usize::from(expected);
                assert_eq!(
                    rule.pattern.is_match(text),
                    expected,
                    "{} on {text}",
                    rule.pattern.as_str()
                );
            }
        }
        assert!(matched >= 6, "{matched}");
    }

    /// The search for required words is set up where it pays (a rule that
    /// must contain one of a few words it does not start with) and nowhere
    /// else, and it answers as the regex would on texts with and without
    /// those words, near the start, the end and deep in long paragraphs.
    #[test]
    fn required_words_are_searched_first_only_where_they_must_occur() {
        let pattern = |p: &str| Pattern::new(Regex::new(p).unwrap(), p);
        let required = |p: &str| pattern(p).required.map(|r| r.as_str().to_string());
        let rules = Rules::built_in();
        let rule = |reason: &str| {
            &rules
                .set()
                .kinds
                .iter()
                .find(|r| r.reason.starts_with(reason))
                .unwrap()
                .pattern
        };
        assert!(rule("subscription prompt").required.is_some());
        assert!(rule("photo credit").required.is_some());
        // Starts with its words: regex skips ahead to them on its own.
        assert!(rule("paywall: buy").required.is_none());
        assert_eq!(required("(?i)foto: .*"), None);
        // Anchored, and nothing before the words runs long: the automaton
        // gives up after a few bytes.
        assert!(rule("paywall: read-on").required.is_none());
        assert!(rule("login prompt").required.is_none());
        assert_eq!(required("^(sie )?abo"), None);
        // No words every match contains.
        assert_eq!(required(".{0,40}[0-9]+$"), None);
        assert_eq!(required("(x|abo).{0,9}$"), None);
        // Words after a long stretch: the search starts at the words.
        let part = required("^.{0,40}(newsletter|werbung)x$").unwrap();
        assert!(
            part.contains("newsletter") && !part.contains("{0,40}"),
            "{part}"
        );
        // … and stops before the next long stretch.
        let part = required("\\s*(newsletter|werbung):[\\p{L} ]{1,80}q$").unwrap();
        assert!(part.contains("werbung") && !part.contains('q'), "{part}");

        let mut patterns: Vec<&Pattern> = rules.set().kinds.iter().map(|r| &r.pattern).collect();
        let user = pattern("(?i)^.{0,20}\\b(newsletter|werbung)\\b.{0,10}$");
        patterns.push(&user);
        let long = "Die Regierung hat am Montag in Berlin beschlossen, ".repeat(8);
        let mut texts = vec![
            "Foto: dpa/Max Muster".to_string(),
            "Die Koalition in Paris Foto: AFP/Ludovic Marin".to_string(),
            "Bild: AFP".to_string(),
            "Bilder:".to_string(),
            "SYMBOLFOTO: Imago".to_string(),
            "Lesen Sie mit dem Abo alles".to_string(),
            "Jetzt ein Probeabo abschließen".to_string(),
            "Abonnieren".to_string(),
            "Hier den Newsletter abonnieren".to_string(),
            "Werbung".to_string(),
            "ein Abonnement für 40 Euro im Jahr, das es seit 2019 gibt und das viele nutzen"
                .to_string(),
        ];
        for word in ["Bild: dpa", "Abo", "Foto", "Newsletter", "Werbung"] {
            texts.push(format!("{long}{word}"));
            texts.push(format!("{word} {long}"));
            texts.push(format!("{long}{word} {long}"));
        }
        texts.push(long);
        let mut matched = 0;
        for p in patterns {
            let reference = Regex::new(p.as_str()).unwrap();
            for text in &texts {
                let expected = reference.is_match(text);
                matched += usize::from(expected);
                assert_eq!(p.is_match(text), expected, "{} on {text}", p.as_str());
            }
        }
        assert!(matched >= 10, "{matched}");
    }

    /// The built-in rules compile on first use, and their fingerprint is
    /// the one an eagerly parsed set of the same text has (so indexes
    /// built before are not taken for indexes of other rules).
    #[test]
    fn built_in_rules_compile_when_first_used() {
        let rules = Rules::built_in();
        assert!(rules.set.get().is_none());
        let eager = Rules::parse(BUILT_IN, "built-in").unwrap();
        assert_eq!(rules.fingerprint, eager.fingerprint);
        assert!(rules.kind_of("Jetzt weiterlesen").is_some());
        assert!(rules.set.get().is_some());
        assert_eq!(rules.set().kinds.len(), eager.set().kinds.len());
    }

    #[test]
    fn built_in_rules_compile_and_give_reasons() {
        let rules = Rules::built_in();
        assert!(rules.set().kinds.len() >= 10);
        assert!(rules.set().kinds.iter().all(|r| !r.reason.is_empty()));
        assert!(!rules.set().comment_timestamps.is_empty());
    }

    #[test]
    fn built_in_patterns_classify_typical_lines() {
        let rules = Rules::built_in();
        let kind = |t: &str| rules.kind_of(t).map(|r| r.kind);
        assert_eq!(kind("Jetzt weiterlesen!"), Some(Kind::Boilerplate));
        assert_eq!(
            kind("Für 0,99 € können Sie diesen Artikel erwerben:"),
            Some(Kind::Boilerplate)
        );
        assert_eq!(kind("ZU DEN ABOS"), Some(Kind::Boilerplate));
        assert_eq!(kind("Sie sind bereits Kunde?"), Some(Kind::Boilerplate));
        assert_eq!(
            kind("Lesen Sie auch:Luxemburger Armee will mehr Frauen rekrutieren"),
            Some(Kind::Boilerplate)
        );
        assert_eq!(
            kind("Die Koalition in Paris Foto: AFP/Ludovic Marin"),
            Some(Kind::Caption)
        );
        assert_eq!(kind("/mit dpa"), Some(Kind::Boilerplate));
        // Running text that mentions the same words is left alone.
        assert_eq!(
            kind(
                "Der Verlag bietet ein Abo für Studenten an, das deutlich günstiger ist als das normale Angebot und monatlich kündbar."
            ),
            None
        );
        assert_eq!(
            kind(
                "Das Foto: ein Dokument der Zeit, sagte er, und es zeigt die Lage in der Stadt im Jahr 1945 sehr genau."
            ),
            None
        );
    }

    #[test]
    fn agency_credits_are_found_in_their_forms() {
        let rules = Rules::built_in();
        assert_eq!(rules.agencies_in("Paris (dpa) - 26 Länder …"), ["dpa"]);
        assert_eq!(
            rules.agencies_in("… nicht explizit gegeben. (rtr)"),
            ["rtr"]
        );
        assert_eq!(rules.agencies_in("/mit dpa"), ["mit dpa"]);
        assert!(
            rules
                .agencies_in("sagte er der Nachrichtenagentur AFP in Berlin.")
                .is_empty()
        );
        assert!(rules.agencies_in("Foto: AFP/Ludovic Marin").is_empty());
    }

    #[test]
    fn user_rules_come_first_and_errors_name_the_rule() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("meine.toml");
        std::fs::write(
            &path,
            "[[kind]]\nkind = \"boilerplate\"\npattern = '^Newsletter'\nreason = \"newsletter\"\n",
        )
        .unwrap();
        let rules = Rules::with_user_file(&path).unwrap();
        assert_eq!(rules.set().kinds[0].reason, "newsletter");
        assert!(rules.set().kinds.len() > 1);

        std::fs::write(
            &path,
            "[[kind]]\nkind = \"tabelle\"\npattern = 'x'\nreason = \"r\"\n",
        )
        .unwrap();
        let err = format!("{:#}", Rules::with_user_file(&path).unwrap_err());
        assert!(
            err.contains("meine.toml") && err.contains("kind rule 1") && err.contains("tabelle"),
            "{err}"
        );
        std::fs::write(
            &path,
            "[[kind]]\nkind = \"body\"\npattern = '('\nreason = \"r\"\n",
        )
        .unwrap();
        let err = format!("{:#}", Rules::with_user_file(&path).unwrap_err());
        assert!(err.contains("bad pattern"), "{err}");
    }
}
