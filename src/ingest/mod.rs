//! Ingest: files on disk become [`Article`]s made of [`Paragraph`]s.
//!
//! The stages run in order and each is a plain function of what the previous
//! one produced, so each can be tested without files:
//!
//! 1. [`files`]: which files to read (folders recursively, sorted).
//! 2. [`decode`]: bytes to normalised text (encoding, BOM, line endings, NFC).
//! 3. [`formats`]: the file's format (plain text, JSON Lines, HTML) turned
//!    into raw paragraphs with what the source states (title, date, kinds);
//!    for plain text [`segment`] finds the paragraphs (one per line, or one
//!    per block when the text is hard-wrapped).
//! 4. [`classify`]: date, title and agency of the article; kind, heading,
//!    agency and comment metadata of every paragraph, by the rules of
//!    [`rules`] (data, extensible by the user).
//! 5. [`lang`]: the language of the article and of each paragraph.
//!
//! Ingest knows nothing of tantivy; the index module consumes [`Article`]s.

pub mod classify;
pub mod decode;
pub mod files;
pub mod formats;
pub mod lang;
pub mod metadata;
pub mod packed;
pub mod rules;
pub mod segment;

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

pub use files::{FileList, IgnoredFile, collect_files, doc_id};
pub use rules::Rules;

/// What a paragraph is within its article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// The article's headline.
    Title,
    /// A section heading inside the article.
    Heading,
    /// Running text.
    Body,
    /// A pull quote and its attribution lines.
    Quote,
    /// A photo caption or credit.
    Caption,
    /// Page furniture: paywall and subscription prompts, teasers for other
    /// articles, site names, share and login prompts, credit lines.
    Boilerplate,
    /// A reader comment after the article.
    Comment,
}

/// A set of kinds: a bit for each of [`Kind::ALL`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KindSet(u8);

impl KindSet {
    pub fn of(kinds: impl IntoIterator<Item = Kind>) -> KindSet {
        KindSet(kinds.into_iter().fold(0, |bits, k| bits | k.bit()))
    }

    /// The kinds not in this set.
    pub fn others(self) -> KindSet {
        KindSet(!self.0 & KindSet::of(Kind::ALL).0)
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The kinds of the set, in the order of [`Kind::ALL`].
    pub fn iter(self) -> impl DoubleEndedIterator<Item = Kind> {
        Kind::ALL.into_iter().filter(move |k| self.0 & k.bit() != 0)
    }
}

impl Kind {
    /// Its bit in a [`KindSet`]: the kinds are declared in the order of
    /// [`Kind::ALL`].
    fn bit(self) -> u8 {
        1 << self as u8
    }

    /// How a note names paragraphs of this kind ("3 more in comments").
    pub fn plural(self) -> &'static str {
        match self {
            Kind::Title => "titles",
            Kind::Heading => "headings",
            Kind::Body => "body text",
            Kind::Quote => "quotes",
            Kind::Caption => "captions",
            Kind::Boilerplate => "boilerplate",
            Kind::Comment => "comments",
        }
    }

    pub const ALL: [Kind; 7] = [
        Kind::Title,
        Kind::Heading,
        Kind::Body,
        Kind::Quote,
        Kind::Caption,
        Kind::Boilerplate,
        Kind::Comment,
    ];

    /// The kinds searched unless the user asks for others.
    pub const DEFAULT_SCOPE: [Kind; 5] = [
        Kind::Title,
        Kind::Heading,
        Kind::Body,
        Kind::Quote,
        Kind::Caption,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Title => "title",
            Kind::Heading => "heading",
            Kind::Body => "body",
            Kind::Quote => "quote",
            Kind::Caption => "caption",
            Kind::Boilerplate => "boilerplate",
            Kind::Comment => "comment",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Kind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        Kind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                let names: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
                format!("unknown kind '{s}' (kinds are: {})", names.join(", "))
            })
    }
}

/// One paragraph of an article, as it will be indexed and returned.
#[derive(Debug, Clone, PartialEq)]
pub struct Paragraph {
    /// 1-based ordinal within the article.
    pub para: u32,
    /// 1-based line of the file where the paragraph starts.
    pub line: u32,
    pub kind: Kind,
    /// The section heading the paragraph stands under, if any.
    pub heading: Option<String>,
    /// ISO 639-3 code from whatlang (e.g. `deu`), the article's, or `und`.
    pub lang: String,
    /// whatlang's confidence (0-1) for `lang`; 0 when not measured: inherited,
    /// `und`, or German told by its function words (see `lang`).
    pub lang_confidence: f64,
    /// Agency credits covering this paragraph (`dpa`, `mit dpa`, …).
    pub agency: Vec<String>,
    pub comment_author: Option<String>,
    /// `YYYY-MM-DDTHH:MM`.
    pub comment_date: Option<String>,
    pub text: String,
}

/// One article: its metadata and its paragraphs.
#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    /// Identifier: the file stem, a JSON Lines `id`, or `FILE#LINE`.
    pub doc: String,
    pub path: PathBuf,
    pub title: Option<String>,
    /// ISO date `YYYY-MM-DD`, only when the source states one.
    pub date: Option<String>,
    pub lang: String,
    /// Every agency credited in the article.
    pub agency: Vec<String>,
    /// From JSON Lines or HTML sources, when stated.
    pub url: Option<String>,
    pub source: Option<String>,
    pub author: Option<String>,
    pub paragraphs: Vec<Paragraph>,
}

/// Why a file was not indexed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SkipReason {
    #[error("cannot read: {0}")]
    Unreadable(String),
    #[error(transparent)]
    Decode(#[from] decode::DecodeError),
    #[error("contains no text")]
    Empty,
    /// fundstelle failed on the file: a bug, reported instead of ending the
    /// whole run.
    #[error("fundstelle failed on this file (a bug; please report it): {0}")]
    Internal(String),
}

/// What one file yielded: its articles, and problems with parts of it (a
/// malformed JSON line) that did not stop the rest.
#[derive(Debug, Default)]
pub struct FileArticles {
    pub articles: Vec<Article>,
    /// `(line, reason)`.
    pub problems: Vec<(usize, String)>,
    /// Parts of records that were dropped while the record was indexed (a
    /// date that is not one): `(line, what)`.
    pub warnings: Vec<(usize, String)>,
}

/// Reads, decodes and segments one file into its articles.
pub fn read_file(path: &Path, doc: &str, rules: &Rules) -> Result<FileArticles, SkipReason> {
    let bytes = std::fs::read(path).map_err(|e| SkipReason::Unreadable(e.to_string()))?;
    parse_file(path, doc, &bytes, rules)
}

/// Decodes and segments the bytes of the file at `path` (its extension gives
/// the format) into its articles. Any bytes at all are either articles or a
/// [`SkipReason`]; this never panics (a property test feeds it random bytes).
pub fn parse_file(
    path: &Path,
    doc: &str,
    bytes: &[u8],
    rules: &Rules,
) -> Result<FileArticles, SkipReason> {
    let text = decode::decode(bytes)?.text;
    let result = formats::parse(formats::Format::of(path), doc, path, &text, rules);
    if result.articles.is_empty() && result.problems.is_empty() {
        return Err(SkipReason::Empty);
    }
    Ok(result)
}

/// Turns a plain-text article into an [`Article`] (none when it has no
/// paragraph), with what of its header could not be used.
pub fn parse_article(doc: &str, path: &Path, text: &str, rules: &Rules) -> FileArticles {
    let mut out = FileArticles::default();
    out.articles.extend(build_article(
        doc,
        path,
        segment::paragraphs(text),
        rules,
        &classify::Given::default(),
        &mut out.warnings,
    ));
    out
}

/// Classifies raw paragraphs and detects languages: the part shared by all
/// input formats.
pub(crate) fn build_article(
    doc: &str,
    path: &Path,
    raw: Vec<segment::RawParagraph>,
    rules: &Rules,
    given: &classify::Given,
    warnings: &mut Vec<(usize, String)>,
) -> Option<Article> {
    if raw.is_empty() {
        return None;
    }
    let lines: Vec<u32> = raw.iter().map(|r| r.line).collect();
    let meta = classify::classify(&raw, rules, given);
    warnings.extend(
        meta.warnings
            .iter()
            .map(|(line, what)| (*line as usize, what.clone())),
    );
    let texts: Vec<String> = raw
        .into_iter()
        .zip(&meta.paragraphs)
        .map(|(r, m)| m.text.clone().unwrap_or(r.text))
        .collect();
    // The article's language first (among all languages), then each
    // paragraph against it and the languages articles commonly quote.
    let article_lang = lang::ArticleLanguage::detect(
        texts
            .iter()
            .zip(&meta.paragraphs)
            .filter(|(_, m)| !matches!(m.kind, Kind::Comment | Kind::Boilerplate))
            .map(|(t, _)| t.as_str()),
    );
    let paragraphs = texts
        .into_iter()
        .zip(meta.paragraphs)
        .enumerate()
        .map(|(i, (text, pm))| {
            let (lang, lang_confidence) = article_lang.paragraph(&text, pm.kind == Kind::Comment);
            Paragraph {
                para: i as u32 + 1,
                line: lines[i],
                kind: pm.kind,
                heading: pm.heading,
                lang,
                lang_confidence,
                agency: pm.agency,
                comment_author: pm.comment_author,
                comment_date: pm.comment_date,
                text,
            }
        })
        .collect();
    Some(Article {
        doc: doc.to_string(),
        path: path.to_path_buf(),
        title: meta.title,
        date: meta.date,
        lang: article_lang.code,
        agency: meta.agency,
        url: None,
        source: None,
        author: None,
        paragraphs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A kind's bit follows its place in `Kind::ALL`: every kind has its
    /// own, and a set gives back exactly its kinds, in that order.
    #[test]
    fn kind_sets_hold_exactly_their_kinds() {
        let all = KindSet::of(Kind::ALL);
        assert_eq!(all.iter().collect::<Vec<_>>(), Kind::ALL);
        assert!(all.others().is_empty());
        for (i, kind) in Kind::ALL.into_iter().enumerate() {
            let one = KindSet::of([kind]);
            assert_eq!(one.iter().collect::<Vec<_>>(), [kind]);
            let rest: Vec<Kind> = one.others().iter().collect();
            let expected: Vec<Kind> = Kind::ALL
                .into_iter()
                .enumerate()
                .filter(|&(j, _)| j != i)
                .map(|(_, k)| k)
                .collect();
            assert_eq!(rest, expected);
        }
        let scope = KindSet::of(Kind::DEFAULT_SCOPE);
        assert_eq!(
            scope.others().iter().collect::<Vec<_>>(),
            [Kind::Boilerplate, Kind::Comment]
        );
    }
}
