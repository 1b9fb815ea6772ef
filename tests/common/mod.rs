//! Test harness: a throwaway directory with a copy of the seeds, and the real
//! `fundstelle` binary run inside it. Nothing here writes into the project.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

/// The project's seed folder (read only).
pub fn project_seeds() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds")
}

/// A fixture file from `tests/fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The seed files as `(doc id, text)`, sorted by name.
pub fn seed_files() -> Vec<(String, String)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(project_seeds())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let doc = p.file_stem().unwrap().to_string_lossy().into_owned();
            (doc, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

/// Lowercased words of a line, split on everything that is not a letter or
/// digit: an independent, deliberately simple reference for what a line says.
pub fn words(line: &str) -> Vec<String> {
    line.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// `(doc, line)` of every seed line that satisfies `pred`.
pub fn seed_lines_where(pred: impl Fn(&str) -> bool) -> BTreeSet<(String, u64)> {
    let mut out = BTreeSet::new();
    for (doc, text) in seed_files() {
        for (i, line) in text.lines().enumerate() {
            if !line.trim().is_empty() && pred(line) {
                out.insert((doc.clone(), i as u64 + 1));
            }
        }
    }
    out
}

pub struct TestEnv {
    pub dir: TempDir,
}

impl TestEnv {
    /// An empty working directory.
    pub fn empty() -> TestEnv {
        TestEnv {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// A working directory with `seeds/` copied in (no index yet).
    pub fn with_seeds() -> TestEnv {
        let env = TestEnv::empty();
        let target = env.path().join("seeds");
        std::fs::create_dir(&target).unwrap();
        for entry in std::fs::read_dir(project_seeds()).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), target.join(entry.file_name())).unwrap();
        }
        env
    }

    /// A working directory with the seeds indexed into `index/`.
    pub fn indexed_seeds() -> TestEnv {
        let env = TestEnv::with_seeds();
        env.cmd().args(["index", "seeds"]).assert().success();
        env
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Builds or updates `index/` from `folders` through the library, as
    /// `fundstelle index` would but without merging the small segments an
    /// update leaves: for tests that need an index of several segments.
    /// (Paths are stored absolute, so every run of one test goes this way.)
    pub fn index_keeping_segments(&self, folders: &[&str]) {
        self.index_through_library("index", folders, 0);
    }

    /// Builds or updates the index in `index` (relative to the working
    /// directory) from `folders` through the library, merging after an
    /// update the segments of fewer than `small_segment` paragraphs.
    pub fn index_through_library(&self, index: &str, folders: &[&str], small_segment: usize) {
        let folders: Vec<PathBuf> = folders.iter().map(|f| self.path().join(f)).collect();
        let files = fundstelle::ingest::collect_files(&folders).unwrap();
        let options = fundstelle::index::BuildOptions {
            small_segment,
            ..Default::default()
        };
        fundstelle::index::IndexDir::new(self.path().join(index))
            .build(
                &files,
                &folders,
                &fundstelle::ingest::Rules::built_in(),
                &options,
                &mut |_| {},
            )
            .unwrap();
    }

    /// The ids of the segments of the index in `index`, sorted.
    pub fn segment_ids(&self, index: &str) -> Vec<String> {
        let open = fundstelle::index::IndexDir::new(self.path().join(index))
            .open()
            .unwrap();
        let mut ids: Vec<String> = open
            .index
            .searchable_segment_ids()
            .unwrap()
            .iter()
            .map(|id| id.uuid_string())
            .collect();
        ids.sort();
        ids
    }

    pub fn write(&self, relative: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path().join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&path, content).unwrap();
        path
    }

    /// The binary, run in this directory with a clean environment.
    pub fn cmd(&self) -> Command {
        let mut cmd = Command::cargo_bin("fundstelle").unwrap();
        cmd.current_dir(self.path())
            .env_remove("FUNDSTELLE_INDEX")
            .env_remove("NO_COLOR")
            .env_remove("PAGER");
        cmd
    }

    /// Runs `search --all --include all --format jsonl ARGS` (every kind of
    /// paragraph, like a plain scan of the files) and parses every line.
    pub fn hits(&self, args: &[&str]) -> Vec<Value> {
        self.hits_with(&["--include", "all"], args)
    }

    /// Like [`hits`](Self::hits), in the default scope (no comments, no
    /// boilerplate).
    pub fn hits_in_scope(&self, args: &[&str]) -> Vec<Value> {
        self.hits_with(&[], args)
    }

    fn hits_with(&self, options: &[&str], args: &[&str]) -> Vec<Value> {
        let mut all = vec!["search", "--all", "--format", "jsonl"];
        all.extend(options);
        all.extend(args);
        self.jsonl(&all)
    }

    /// Runs the binary with `args` (which ask for JSON Lines) and parses
    /// every line; the run must exit 0 or 1.
    pub fn jsonl(&self, args: &[&str]) -> Vec<Value> {
        let out = self.cmd().args(args).output().unwrap();
        let code = out.status.code();
        assert!(
            code == Some(0) || code == Some(1),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect()
    }

    /// `show --format json DOC`: an article as the indexer understood it.
    pub fn show(&self, doc: &str) -> Value {
        let out = self
            .cmd()
            .args(["show", "--format", "json", doc])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }

    /// `(doc, line)` of the hits of a query.
    pub fn hit_lines(&self, args: &[&str]) -> BTreeSet<(String, u64)> {
        self.hits(args).iter().map(doc_line).collect()
    }
}

pub fn doc_line(hit: &Value) -> (String, u64) {
    (
        hit["doc"].as_str().unwrap().to_string(),
        hit["line"].as_u64().unwrap(),
    )
}

/// The highlighted parts of a hit's text.
pub fn highlighted(hit: &Value) -> Vec<String> {
    let text = hit["text"].as_str().unwrap();
    hit["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let r = r.as_array().unwrap();
            let (a, b) = (
                r[0].as_u64().unwrap() as usize,
                r[1].as_u64().unwrap() as usize,
            );
            text[a..b].to_string()
        })
        .collect()
}

/// Writes `files` generated German articles into `dir` (relative to the
/// environment), each of `paragraphs` lines drawn from the seeds'
/// paragraphs by a fixed pseudo-random sequence: the same corpus on every
/// run, big enough to make an index run take a while.
pub fn generate_corpus(env: &TestEnv, dir: &str, files: usize, paragraphs: usize) {
    let lines: Vec<String> = seed_files()
        .iter()
        .flat_map(|(_, text)| text.lines().map(str::to_string).collect::<Vec<_>>())
        .filter(|l| l.chars().count() > 60)
        .collect();
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize
    };
    for i in 0..files {
        let mut text = format!(
            " date 2025-09-{:02} Artikel Nummer {i} über Europa\n",
            1 + i % 28
        );
        for _ in 0..paragraphs {
            text.push('\n');
            text.push_str(&lines[next() % lines.len()]);
            text.push('\n');
        }
        env.write(&format!("{dir}/a{i:04}.txt"), text);
    }
}

/// A query that matches every paragraph of every kind.
pub const EVERYTHING: &str = "kind:title OR kind:heading OR kind:body OR kind:quote OR \
     kind:caption OR kind:boilerplate OR kind:comment";

/// Every paragraph in the index, without rank and score (which depend on
/// segment layout and deletions), sorted: two indexes with the same dump
/// give the same hits for every query.
pub fn dump(env: &TestEnv, index: &str) -> Vec<String> {
    let out = env
        .cmd()
        .args(["--index", index, "search", "--all", "--include", "all"])
        .args(["--format", "jsonl", EVERYTHING])
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "dump of {index}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut lines: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let mut v: Value = serde_json::from_str(l).unwrap();
            let object = v.as_object_mut().unwrap();
            object.remove("rank");
            object.remove("score");
            v.to_string()
        })
        .collect();
    lines.sort();
    lines
}

/// Asserts that the index `index` holds what a clean build of `sources`
/// (into `clean/`, removed after) holds.
pub fn assert_equals_clean_build(env: &TestEnv, index: &str, sources: &[&str]) {
    env.cmd()
        .args(["--index", "clean", "index"])
        .args(sources)
        .assert()
        .success();
    assert_eq!(dump(env, index), dump(env, "clean"));
    std::fs::remove_dir_all(env.path().join("clean")).unwrap();
}

/// How many segments the index in use under `env` has (one `.store` file
/// each).
pub fn segments(env: &TestEnv) -> usize {
    segments_in(env, "index")
}

/// [`segments`] of the index at `index` (relative to `env`).
pub fn segments_in(env: &TestEnv, index: &str) -> usize {
    let index = env.path().join(index);
    let current = std::fs::read_to_string(index.join("CURRENT")).unwrap();
    std::fs::read_dir(index.join(current.trim()))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "store")
        })
        .count()
}
