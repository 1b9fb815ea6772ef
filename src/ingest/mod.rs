//! Ingest: files on disk become [`Article`]s made of [`Paragraph`]s.
//!
//! The stages run in order and each is a plain function of what the previous
//! one produced, so each can be tested without files:
//!
//! 1. [`files`]: which files to read (folders recursively, sorted).
//! 2. [`decode`]: bytes to normalised text (BOM, line endings, NFC).
//! 3. [`segment`]: text to raw paragraphs (one per line, or one per block
//!    when the text is hard-wrapped), each with the line it starts on.
//! 4. [`metadata`]: date and title from the top of the article, and the
//!    `kind` and `heading` of every paragraph.
//! 5. [`lang`]: the language of the article and of each paragraph.
//!
//! Ingest knows nothing of tantivy; the index module consumes [`Article`]s.

pub mod decode;
pub mod files;
pub mod lang;
pub mod metadata;
pub mod segment;

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

pub use files::{FileList, IgnoredFile, collect_files};

/// What a paragraph is within its article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// The article's headline.
    Title,
    /// A section heading inside the article.
    Heading,
    /// Running text.
    Body,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Title, Kind::Heading, Kind::Body];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Title => "title",
            Kind::Heading => "heading",
            Kind::Body => "body",
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    /// 1-based ordinal within the article.
    pub para: u32,
    /// 1-based line of the file where the paragraph starts.
    pub line: u32,
    pub kind: Kind,
    /// The section heading the paragraph stands under, if any.
    pub heading: Option<String>,
    /// ISO 639-3 code from whatlang (e.g. `deu`), or the article's.
    pub lang: String,
    pub text: String,
}

/// One article: a file's metadata and its paragraphs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// Identifier: the file stem.
    pub doc: String,
    pub path: PathBuf,
    pub title: Option<String>,
    /// ISO date `YYYY-MM-DD`, only when the text states one.
    pub date: Option<String>,
    pub lang: String,
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
}

/// Reads, decodes and segments one file.
pub fn read_article(path: &Path, doc: &str) -> Result<Article, SkipReason> {
    let bytes = std::fs::read(path).map_err(|e| SkipReason::Unreadable(e.to_string()))?;
    let text = decode::decode(&bytes)?;
    parse_article(doc, path, &text).ok_or(SkipReason::Empty)
}

/// Turns decoded text into an article; `None` when it has no paragraph.
pub fn parse_article(doc: &str, path: &Path, text: &str) -> Option<Article> {
    let raw = segment::paragraphs(text);
    if raw.is_empty() {
        return None;
    }
    let meta = metadata::analyse(&raw);
    let article_lang = lang::article_language(raw.iter().map(|p| p.text.as_str()));
    let paragraphs = raw
        .into_iter()
        .zip(meta.paragraphs)
        .enumerate()
        .map(|(i, (raw, pm))| {
            let text = pm.text.unwrap_or(raw.text);
            Paragraph {
                para: i as u32 + 1,
                line: raw.line,
                kind: pm.kind,
                heading: pm.heading,
                lang: lang::paragraph_language(&text, &article_lang),
                text,
            }
        })
        .collect();
    Some(Article {
        doc: doc.to_string(),
        path: path.to_path_buf(),
        title: meta.title,
        date: meta.date,
        lang: article_lang,
        paragraphs,
    })
}
