//! fundstelle: full-text search for German news articles.
//!
//! Data flows one way through the modules:
//!
//! ```text
//! ingest ──▶ analysis ──▶ index ──▶ search ──▶ output
//! files →    German        tantivy   queries,    text, JSON,
//! articles,  words and     schema,   hits,       JSON Lines,
//! paragraphs stems         builds    snippets    CSV
//! ```
//!
//! - [`ingest`] turns files into [`ingest::Article`]s made of paragraphs
//!   with metadata; it knows nothing of tantivy.
//! - [`analysis`] is the German analysis chain, registered with tantivy and
//!   used unchanged at index and query time.
//! - [`index`] owns the schema and the index folder (atomic rebuilds).
//! - [`search`] parses queries, runs them and builds hits with highlights.
//! - [`output`] prints hits and other records as text or tables; it knows
//!   nothing of files or terminals.
//! - [`export`] writes a result file atomically (temporary file, rename).
//!
//! The command-line interface lives in the binary (`src/main.rs`,
//! `src/cli/`) and only wires these together, so the library has no
//! dependency on clap and can be used on its own.

pub mod analysis;
pub mod export;
pub mod index;
pub mod ingest;
pub mod output;
pub mod search;
