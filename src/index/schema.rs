//! The index schema: every field name and option, in this one place.
//!
//! One tantivy document is one paragraph. Article metadata (doc, path, date,
//! the title and heading as shown) is stored and indexed on each of its
//! paragraphs, so a hit carries everything needed to print it; only the
//! searchable title and heading are indexed once per article and section
//! (search::join carries their matches to the other paragraphs).

use anyhow::{Context, Result};
use tantivy::schema::{
    FAST, Field, IndexRecordOption, STORED, Schema, TextFieldIndexing, TextOptions,
};

use tantivy::IndexSettings;
use tantivy::store::{Compressor, ZstdCompressor};

use crate::analysis;

/// Bumped whenever a change to the schema or to the analysis chain makes old
/// indexes give wrong answers.
pub const SCHEMA_VERSION: u32 = 9;

/// Field names, as users type them in `field:value` and as stored.
pub mod name {
    pub const DOC: &str = "doc";
    pub const PATH: &str = "path";
    pub const TITLE: &str = "title";
    pub const TITLE_EXACT: &str = "title_exact";
    pub const TITLE_SHOWN: &str = "title_shown";
    pub const DATE: &str = "date";
    pub const LANG: &str = "lang";
    pub const ARTICLE_LANG: &str = "article_lang";
    pub const KIND: &str = "kind";
    pub const PARA: &str = "para";
    pub const LINE: &str = "line";
    pub const HEADING: &str = "heading";
    pub const HEADING_EXACT: &str = "heading_exact";
    pub const HEADING_SHOWN: &str = "heading_shown";
    pub const TEXT: &str = "text";
    pub const TEXT_EXACT: &str = "text_exact";
    pub const TEXT_REVERSED: &str = "text_reversed";
    pub const AGENCY: &str = "agency";
    pub const ARTICLE_AGENCY: &str = "article_agency";
    pub const LANG_CONFIDENCE: &str = "lang_confidence";
    pub const COMMENT_AUTHOR: &str = "comment_author";
    pub const COMMENT_DATE: &str = "comment_date";
    pub const URL: &str = "url";
    pub const SOURCE: &str = "source";
    pub const AUTHOR: &str = "author";
    pub const FILE_HASH: &str = "file_hash";
    pub const FILE_STAT: &str = "file_stat";
    pub const SECTION_OFFSET: &str = "section_offset";
    pub const START: &str = "start";
}

/// The value of [`name::START`] on the first paragraph of every article.
pub const ARTICLE_START: &str = "article";

/// What hits can be counted by (`count --by`), in the order they are listed
/// to users. Each is a fast string field of the same name, except `month`,
/// which is the first seven characters of `date`.
pub const GROUPINGS: &[&str] = &["date", "month", "doc", "agency", "lang", "kind"];

/// Handles to every field of the schema.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Article id (file stem); raw, stored, fast (for counting articles).
    pub doc: Field,
    /// The file the paragraph comes from, as given to `index`; raw, stored
    /// and fast: the key of the index's own file manifest (incremental
    /// updates delete a file's paragraphs by this term).
    pub path: Field,
    /// Article title, stemmed; indexed on the article's first paragraph
    /// only (search::join carries a match to all of its paragraphs).
    pub title: Field,
    /// Article title, surface forms (for quoted `title:"…"`); first
    /// paragraph only.
    pub title_exact: Field,
    /// Article title as shown; stored only.
    pub title_shown: Field,
    /// `YYYY-MM-DD`, raw so that ranges compare as text; absent when
    /// unknown. Fast (column) for sorting and counting by date.
    pub date: Field,
    /// Paragraph language; fast, for counting by language.
    pub lang: Field,
    pub article_lang: Field,
    /// Paragraph kind; fast, for counting by kind.
    pub kind: Field,
    /// 1-based paragraph number; fast, for reading order (`--sort doc`)
    /// and for finding an article's first paragraph.
    pub para: Field,
    pub line: Field,
    /// Section heading, stemmed and surface forms; indexed on the first
    /// paragraph of each section only (a section: the consecutive
    /// paragraphs under one heading).
    pub heading: Field,
    pub heading_exact: Field,
    /// A paragraph's distance from the first paragraph of its section;
    /// fast, absent outside sections. With `para` (the distance from the
    /// article's first paragraph, plus one), this finds the paragraph a
    /// title or heading is indexed on.
    pub section_offset: Field,
    /// Section heading as shown; stored only.
    pub heading_shown: Field,
    /// [`ARTICLE_START`] on the first paragraph of each article, nothing
    /// on the others: its postings are where the articles of a segment
    /// begin, which counting articles and joining titles read instead of a
    /// column value per paragraph. Not searchable by users.
    pub start: Field,
    /// Paragraph text, stemmed, with positions; stored (the only copy).
    pub text: Field,
    /// Paragraph text, surface forms, with positions (quoted queries).
    pub text_exact: Field,
    /// Stems written backwards, for finding compounds by their last part.
    /// Only its terms are used, never its postings, so it is indexed once
    /// per article (on its first paragraph, from the article's distinct
    /// words), without positions, frequencies or norms.
    pub text_reversed: Field,
    /// Agency credits covering the paragraph; raw, one value each.
    pub agency: Field,
    /// Every agency credited in the article; stored.
    pub article_agency: Field,
    pub lang_confidence: Field,
    pub comment_author: Field,
    pub comment_date: Field,
    /// Article metadata stated by JSON Lines and HTML sources; stored.
    pub url: Field,
    pub source: Field,
    pub author: Field,
    /// xxh3-64 of the file's bytes when it was indexed; fast, on the file's
    /// first paragraph only. With `path` this makes the index its own
    /// manifest: which files it holds, in which version, committed
    /// atomically with the paragraphs themselves.
    pub file_hash: Field,
    /// The file's [`crate::ingest::files::stat_key`] when it was read (0:
    /// none), also on its first paragraph: an update does not read a file
    /// again whose key is the same.
    pub file_stat: Field,
}

/// A text field analysed by `analyzer`, with frequencies, positions and
/// norms (it is scored and may be searched for phrases).
fn analysed(analyzer: &str) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analyzer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    )
}

/// A title or heading field: indexed on one paragraph per article or
/// section, so a norm byte on every paragraph would be mostly waste; titles
/// and headings are short, and their matches are scored without regard to
/// their length.
fn block_field(analyzer: &str) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analyzer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions)
            .set_fieldnorms(false),
    )
}

/// A field matched as one whole value (`doc:`, `kind:`, …): never scored,
/// so without norms (one byte per paragraph and field saved).
fn raw() -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("raw")
            .set_index_option(IndexRecordOption::Basic)
            .set_fieldnorms(false),
    )
}

/// How the stored fields are kept: zstd-compressed blocks. Every paragraph
/// stores its article's path, id and title, so neighbouring paragraphs
/// repeat most of their stored bytes; zstd over blocks of a few dozen
/// paragraphs keeps that at a fraction of lz4's size (BENCHMARKS.md), and
/// a hit costs one block's decompression.
///
/// Level 1 over 64 KB rather than level 3 over 32 KB: the store is 5%
/// smaller, a block decompresses in the same time (about 65 µs), and
/// tantivy's fresh compression context for each block needs 297 KB of
/// tables instead of 529 KB: a build took 70% fewer page faults
/// (BENCHMARKS.md, seventh round). An index keeps the settings it was
/// created with.
pub fn settings() -> IndexSettings {
    IndexSettings {
        docstore_compression: Compressor::Zstd(ZstdCompressor {
            compression_level: Some(DOCSTORE_ZSTD_LEVEL),
        }),
        docstore_blocksize: DOCSTORE_BLOCK_BYTES,
        ..IndexSettings::default()
    }
}

const DOCSTORE_ZSTD_LEVEL: i32 = 1;
const DOCSTORE_BLOCK_BYTES: usize = 64 * 1024;

/// Builds the schema.
pub fn schema() -> Schema {
    let mut b = Schema::builder();
    b.add_text_field(name::DOC, raw() | STORED | FAST);
    b.add_text_field(name::PATH, raw() | STORED | FAST);
    b.add_text_field(name::TITLE, block_field(analysis::GERMAN));
    b.add_text_field(name::TITLE_EXACT, block_field(analysis::EXACT));
    b.add_text_field(name::TITLE_SHOWN, STORED);
    b.add_text_field(name::DATE, raw() | STORED | FAST);
    b.add_text_field(name::LANG, raw() | STORED | FAST);
    b.add_text_field(name::ARTICLE_LANG, raw() | STORED);
    b.add_text_field(name::KIND, raw() | STORED | FAST);
    b.add_u64_field(name::PARA, STORED | FAST);
    b.add_u64_field(name::LINE, STORED);
    b.add_text_field(name::HEADING, block_field(analysis::GERMAN));
    b.add_text_field(name::HEADING_EXACT, block_field(analysis::EXACT));
    b.add_u64_field(name::SECTION_OFFSET, FAST);
    b.add_text_field(name::HEADING_SHOWN, STORED);
    b.add_text_field(name::START, raw());
    b.add_text_field(name::TEXT, analysed(analysis::GERMAN) | STORED);
    b.add_text_field(name::TEXT_EXACT, analysed(analysis::EXACT));
    b.add_text_field(
        name::TEXT_REVERSED,
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(analysis::REVERSED)
                .set_index_option(IndexRecordOption::Basic)
                .set_fieldnorms(false),
        ),
    );
    b.add_text_field(name::AGENCY, raw() | STORED | FAST);
    b.add_text_field(name::ARTICLE_AGENCY, STORED);
    b.add_f64_field(name::LANG_CONFIDENCE, STORED);
    b.add_text_field(name::COMMENT_AUTHOR, STORED);
    b.add_text_field(name::COMMENT_DATE, STORED);
    b.add_text_field(name::URL, STORED);
    b.add_text_field(name::SOURCE, STORED);
    b.add_text_field(name::AUTHOR, STORED);
    b.add_u64_field(name::FILE_HASH, tantivy::schema::FAST);
    b.add_u64_field(name::FILE_STAT, tantivy::schema::FAST);
    b.build()
}

impl Fields {
    /// Looks up every field in `schema`; fails on an index of another layout.
    pub fn new(schema: &Schema) -> Result<Fields> {
        let f = |n: &str| {
            schema
                .get_field(n)
                .with_context(|| format!("the index has no field '{n}'"))
        };
        Ok(Fields {
            doc: f(name::DOC)?,
            path: f(name::PATH)?,
            title: f(name::TITLE)?,
            title_exact: f(name::TITLE_EXACT)?,
            title_shown: f(name::TITLE_SHOWN)?,
            date: f(name::DATE)?,
            lang: f(name::LANG)?,
            article_lang: f(name::ARTICLE_LANG)?,
            kind: f(name::KIND)?,
            para: f(name::PARA)?,
            line: f(name::LINE)?,
            heading: f(name::HEADING)?,
            heading_exact: f(name::HEADING_EXACT)?,
            heading_shown: f(name::HEADING_SHOWN)?,
            start: f(name::START)?,
            section_offset: f(name::SECTION_OFFSET)?,
            text: f(name::TEXT)?,
            text_exact: f(name::TEXT_EXACT)?,
            text_reversed: f(name::TEXT_REVERSED)?,
            agency: f(name::AGENCY)?,
            article_agency: f(name::ARTICLE_AGENCY)?,
            lang_confidence: f(name::LANG_CONFIDENCE)?,
            comment_author: f(name::COMMENT_AUTHOR)?,
            comment_date: f(name::COMMENT_DATE)?,
            url: f(name::URL)?,
            source: f(name::SOURCE)?,
            author: f(name::AUTHOR)?,
            file_hash: f(name::FILE_HASH)?,
            file_stat: f(name::FILE_STAT)?,
        })
    }
}
