//! The archive benchmark: index throughput, peak memory, index size,
//! incremental re-indexing, query latency in-process and as a whole
//! process, and where indexing time goes, each set against ripgrep (and
//! SQLite FTS5 where `sqlite3` is installed, tantivy-cli where `tantivy` is)
//! measured in the same run.
//!
//! ```sh
//! benches/corpus.sh 200                       # build the corpus (once)
//! cargo bench --bench archive                 # benches/data/corpus
//! cargo bench --bench archive -- DIR          # another corpus
//! cargo bench --bench archive -- --queries INDEX [DIR]   # only the queries, on a built index
//! ```
//!
//! Not a test: nothing here fails on a slow machine. Results go to stdout
//! as Markdown, ready for BENCHMARKS.md.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use fundstelle::index::IndexDir;
use fundstelle::ingest::{self, Kind, Rules, classify, decode, lang, segment};
use fundstelle::output::{self, Format};
use fundstelle::search::{Limit, Query, Request, Searcher, Sort};
use tantivy::tokenizer::TokenStream;

const BIN: &str = env!("CARGO_BIN_EXE_fundstelle");

/// The fixed query mix: (kind, fundstelle query, ripgrep pattern and flags).
const QUERIES: &[(&str, &str, &[&str])] = &[
    ("term", "Datei", &["-i", "-w", "Datei"]),
    ("term", "Verzeichnis", &["-i", "-w", "Verzeichnis"]),
    ("term", "Tabelle", &["-i", "-w", "Tabelle"]),
    ("term", "Benutzer", &["-i", "-w", "Benutzer"]),
    ("phrase", "\"in der Datei\"", &["-i", "-F", "in der Datei"]),
    ("phrase", "\"die Datei\"", &["-i", "-F", "die Datei"]),
    ("phrase", "\"in der\"", &["-i", "-F", "in der"]),
    ("phrase", "\"der Benutzer\"", &["-i", "-F", "der Benutzer"]),
    ("prefix", "Einstellung*", &["-i", "-w", "Einstellung\\w*"]),
    ("fuzzy", "Verzeichnis~1", &[]),
    ("boolean", "Datei AND Verzeichnis", &[]),
    ("boolean", "Tabelle OR Diagramm", &[]),
    ("boolean", "Paket -Debian", &[]),
    ("filtered", "lang:deu kind:heading Datei", &[]),
    ("filtered", "Datei lang:eng", &[]),
    ("filtered", "kind:heading Optionen", &[]),
];

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    // `--queries INDEX`: only the query measurements, on an index built
    // before (e.g. while comparing two versions of the query code).
    let built = args
        .iter()
        .position(|a| a == "--queries")
        .map(|i| {
            let index = args.get(i + 1).map(PathBuf::from);
            args.drain(i..(i + 2).min(args.len()));
            index
        })
        .map(|index| index.expect("--queries needs the index folder"));
    args.retain(|a| !a.starts_with("--"));
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = args
        .first()
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("benches/data/corpus"));
    if !corpus.is_dir() {
        eprintln!(
            "no corpus at {}: build one with benches/corpus.sh (see BENCHMARKS.md)",
            corpus.display()
        );
        return;
    }
    if let Some(index) = built {
        println!("# fundstelle query benchmark\n");
        println!("{}\n", machine());
        println!("index: {}, corpus: {}\n", index.display(), corpus.display());
        let corpus_arg = corpus.to_str().unwrap();
        let rg_scan = median(3, || {
            run(&["rg", "-c", "-i", "-w", "Datei", corpus_arg]).wall
        });
        queries(&index, &corpus, rg_scan);
        return;
    }
    let work = root.join("benches/data/run");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).unwrap();
    let index = work.join("index");

    let files: Vec<PathBuf> = ingest::collect_files(std::slice::from_ref(&corpus))
        .unwrap()
        .iter()
        .collect();
    let text_bytes: u64 = files
        .iter()
        .map(|p| std::fs::metadata(p).map_or(0, |m| m.len()))
        .sum();
    let mb = text_bytes as f64 / 1e6;
    println!("# fundstelle archive benchmark\n");
    println!("{}\n", machine());
    println!(
        "corpus: {} ({} files, {:.1} MB of text)\n",
        corpus.display(),
        files.len(),
        mb
    );

    // ------------------------------------------------------------ indexing
    let idx = index.to_str().unwrap();
    let corpus_arg = corpus.to_str().unwrap();
    let build = run(&[BIN, "--index", idx, "index", "--rebuild", corpus_arg]);
    let size = du(&index);
    let unchanged = run(&[BIN, "--index", idx, "index", corpus_arg]);
    let touched = touch_one_percent(&files);
    let incremental = run(&[BIN, "--index", idx, "index", corpus_arg]);
    // The corpus as it was, and the index with it: every run measures the
    // same text.
    restore(&touched);
    run(&[BIN, "--index", idx, "index", corpus_arg]);
    let touched = touched.len();
    let rg_scan = median(3, || {
        run(&["rg", "-c", "-i", "-w", "Datei", corpus_arg]).wall
    });
    let fts = sqlite_fts(&corpus, &work);
    let plain = tantivy_cli(&files, &work);

    println!("## Indexing\n");
    println!("| | time | CPU time | throughput | peak RSS | index size |");
    println!("|---|---|---|---|---|---|");
    // A build's row: time, CPU, throughput, peak, index size.
    let build_row = |label: &str, m: &Measured, size: u64| {
        println!(
            "| {label} | {:.1} s | {:.1} s | {:.1} MB/s | {} MB | {:.1} MB ({:.2} x text) |",
            secs(m.wall),
            secs(m.cpu),
            mb / secs(m.wall),
            m.max_rss_kb / 1024,
            size as f64 / 1e6,
            size as f64 / text_bytes as f64
        )
    };
    build_row("fundstelle full build", &build, size);
    println!(
        "| fundstelle re-index, nothing changed | {:.2} s | {:.2} s | | {} MB | |",
        secs(unchanged.wall),
        secs(unchanged.cpu),
        unchanged.max_rss_kb / 1024
    );
    println!(
        "| fundstelle re-index, {touched} files (1%) changed | {:.2} s ({:.1}% of the full build) | {:.2} s | | {} MB | |",
        secs(incremental.wall),
        100.0 * secs(incremental.wall) / secs(build.wall),
        secs(incremental.cpu),
        incremental.max_rss_kb / 1024
    );
    if let Some(fts) = &fts {
        build_row(
            "SQLite FTS5 (one row per file, unicode61, no stemming)",
            &fts.build,
            fts.size,
        );
    }
    if let Some(plain) = &plain {
        let label = format!(
            "tantivy-cli {} (one document per non-empty line, one field, default tokenizer, {} threads)",
            plain.version, plain.threads
        );
        build_row(&label, &plain.build, plain.size);
    }
    println!(
        "| ripgrep, one scan of the corpus (no index) | {:.2} s | | {:.1} MB/s | | |\n",
        secs(rg_scan),
        mb / secs(rg_scan)
    );
    if let Some(plain) = &plain {
        println!(
            "fundstelle's build throughput against tantivy-cli's: {:.2} (the goal of issue 6: at least 0.67); CPU time {:.1} x tantivy-cli's\n",
            secs(plain.build.wall) / secs(build.wall),
            secs(build.cpu) / secs(plain.build.cpu)
        );
    }

    // ------------------------------------------------------------- queries
    queries(&index, &corpus, rg_scan);
    if let Some(fts) = &fts {
        let q = median(7, || {
            run(&[
                "sqlite3",
                fts.db.to_str().unwrap(),
                "SELECT path, snippet(t, 1, '<mark>', '</mark>', '…', 30) FROM t \
                 WHERE t MATCH '\"in der Datei\"' ORDER BY rank LIMIT 10",
            ])
            .wall
        });
        println!(
            "SQLite FTS5 whole process, phrase `\"in der Datei\"`, top 10 with snippets: {:.1} ms\n",
            ms(q)
        );
    }

    // ------------------------------------------------------------- profile
    profile(&files);
}

/// Query latency in-process (p50, p99 over 55 runs) and as a whole
/// `search` process (median of 7), each query against ripgrep's scan for
/// it. In-process runs what `search` runs: the default scope, with the
/// matches it leaves out counted, the best 10 with snippets as JSON Lines.
fn queries(index: &Path, corpus: &Path, rg_scan: Duration) {
    let idx = index.to_str().unwrap();
    let corpus_arg = corpus.to_str().unwrap();
    let searcher = Searcher::open(&IndexDir::new(index)).unwrap();
    let segments = IndexDir::new(index)
        .open()
        .and_then(|open| Ok(open.index.searchable_segment_ids()?.len()))
        .unwrap_or(0);
    println!("## Queries (top 10 with snippets)\n");
    println!("index: {segments} segments (after the full build and the updates above)\n");
    println!(
        "| kind | query | hits | in-process p50 | p99 | `search` process | ripgrep | ripgrep / process |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    let mut by_kind: Vec<(&str, Vec<Duration>)> = Vec::new();
    let mut process_all = Vec::new();
    for &(kind, text, rg) in QUERIES {
        let scoped = Query::parse(text).unwrap().in_scope(&Kind::DEFAULT_SCOPE);
        let request = Request {
            limit: Limit::Top(10),
            sort: Sort::Score,
            per_article: None,
        };
        let mut total = 0;
        let mut times = Vec::new();
        for i in 0..60 {
            let started = Instant::now();
            let mut sink = Vec::new();
            {
                let mut printer = output::printer(Format::Jsonl, Box::new(&mut sink), false);
                let totals = searcher
                    .run_scoped(&scoped, &request, &mut |hit| Ok(printer.hit(&hit)?))
                    .unwrap();
                total = totals.paragraphs;
            }
            if i >= 5 {
                times.push(started.elapsed());
            }
        }
        times.sort();
        let process = median(7, || {
            run(&[
                BIN, "--index", idx, "search", "-n", "10", "--format", "jsonl", text,
            ])
            .wall
        });
        process_all.push(process);
        let rg_time = (!rg.is_empty()).then(|| {
            let mut cmd = vec!["rg", "-c"];
            cmd.extend_from_slice(rg);
            cmd.push(corpus_arg);
            median(3, || run(&cmd).wall)
        });
        println!(
            "| {kind} | `{text}` | {total} | {:.2} ms | {:.2} ms | {:.1} ms | {} | {} |",
            ms(percentile(&times, 50)),
            ms(percentile(&times, 99)),
            ms(process),
            rg_time.map_or("-".into(), |t| format!("{:.0} ms", ms(t))),
            rg_time.map_or("-".into(), |t| format!("{:.0} x", secs(t) / secs(process))),
        );
        match by_kind.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, all)) => all.extend(times),
            None => by_kind.push((kind, times)),
        }
    }
    println!();
    println!("| kind | in-process p50 | p99 |");
    println!("|---|---|---|");
    for (kind, mut times) in by_kind {
        times.sort();
        println!(
            "| {kind} | {:.2} ms | {:.2} ms |",
            ms(percentile(&times, 50)),
            ms(percentile(&times, 99))
        );
    }
    process_all.sort();
    println!(
        "\nwhole `search` process, median over the mix: {:.1} ms; ripgrep scan: {:.0} ms ({:.1} x)\n",
        ms(percentile(&process_all, 50)),
        ms(rg_scan),
        secs(rg_scan) / secs(percentile(&process_all, 50))
    );
}

/// Wall time and peak resident memory of a child process.
struct Measured {
    wall: Duration,
    /// User and system time of the child.
    cpu: Duration,
    max_rss_kb: u64,
}

/// Runs a command with output discarded; waits with `wait4` for its rusage.
fn run(cmd: &[&str]) -> Measured {
    let started = Instant::now();
    #[allow(clippy::zombie_processes)] // reaped by wait4 below
    let child = Command::new(cmd[0])
        .args(&cmd[1..])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{}: {e}", cmd[0]));
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid value; wait4 fills it in for our
    // own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    let time = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    Measured {
        wall: started.elapsed(),
        cpu: time(usage.ru_utime) + time(usage.ru_stime),
        max_rss_kb: usage.ru_maxrss as u64,
    }
}

fn median(n: usize, mut f: impl FnMut() -> Duration) -> Duration {
    let _ = f(); // warm the page cache
    let mut t: Vec<Duration> = (0..n).map(|_| f()).collect();
    t.sort();
    t[n / 2]
}

fn percentile(sorted: &[Duration], p: usize) -> Duration {
    sorted[((sorted.len() - 1) * p).div_ceil(100)]
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn du(path: &Path) -> u64 {
    walk_size(path)
}

fn walk_size(path: &Path) -> u64 {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return 0;
    };
    if meta.is_dir() {
        std::fs::read_dir(path)
            .map(|entries| entries.flatten().map(|e| walk_size(&e.path())).sum())
            .unwrap_or(0)
    } else {
        meta.len()
    }
}

/// Appends a paragraph to every 100th file; returns each with its length
/// before.
fn touch_one_percent(files: &[PathBuf]) -> Vec<(PathBuf, u64)> {
    let mut touched = Vec::new();
    for path in files.iter().step_by(100) {
        let before = std::fs::metadata(path).unwrap().len();
        let mut f = std::fs::File::options().append(true).open(path).unwrap();
        writeln!(f, "\nEin neuer Absatz für die Messung der Aktualisierung.").unwrap();
        touched.push((path.clone(), before));
    }
    touched
}

/// Cuts the touched files back to their lengths before.
fn restore(touched: &[(PathBuf, u64)]) {
    for (path, len) in touched {
        let f = std::fs::File::options().write(true).open(path).unwrap();
        f.set_len(*len).unwrap();
    }
}

struct Fts {
    build: Measured,
    size: u64,
    db: PathBuf,
}

/// SQLite FTS5 over the same files (one row per file), if sqlite3 exists.
fn sqlite_fts(corpus: &Path, work: &Path) -> Option<Fts> {
    let ok = Command::new("sqlite3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        println!("(sqlite3 not installed: no FTS5 comparison)\n");
        return None;
    }
    let db = work.join("fts.db");
    let sql = format!(
        "CREATE VIRTUAL TABLE t USING fts5(path, body); \
         INSERT INTO t SELECT name, CAST(data AS TEXT) FROM fsdir('{}') WHERE name LIKE '%.txt';",
        corpus.display()
    );
    let build = run(&["sqlite3", db.to_str()?, &sql]);
    Some(Fts {
        build,
        size: du(&db),
        db,
    })
}

struct Plain {
    version: String,
    threads: usize,
    build: Measured,
    size: u64,
}

/// tantivy-cli (`cargo install tantivy-cli`; the binary is `tantivy`, or
/// the path in `$TANTIVY_CLI`) over the same text, if installed: one JSON
/// document per non-empty line (the corpus has one paragraph per line but
/// for the hard-wrapped manual pages, so this is more documents than
/// fundstelle's paragraphs), one stored text field with positions and the
/// default tokenizer, on all cores with tantivy-cli's default writer budget.
/// Only the indexing is timed; writing the JSON is not. Its `search`
/// prints every match unranked, so no query is compared.
fn tantivy_cli(files: &[PathBuf], work: &Path) -> Option<Plain> {
    let bin = std::env::var("TANTIVY_CLI").unwrap_or_else(|_| "tantivy".into());
    let version = Command::new(&bin)
        .arg("--version")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .trim()
                .replace("Tantivy ", "")
        });
    let Some(version) = version else {
        println!(
            "(tantivy-cli not installed: no comparison with plain tantivy; `cargo install tantivy-cli`)\n"
        );
        return None;
    };
    let docs = work.join("tantivy-cli.jsonl");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&docs).ok()?);
    for path in files {
        let Ok(bytes) = std::fs::read(path) else {
            continue;
        };
        for line in String::from_utf8_lossy(&bytes).lines() {
            if !line.trim().is_empty() {
                let doc = serde_json::json!({ "body": line });
                writeln!(out, "{doc}").ok()?;
            }
        }
    }
    out.flush().ok()?;
    drop(out);
    let index = work.join("tantivy-cli");
    std::fs::create_dir_all(&index).ok()?;
    let schema = serde_json::json!({
        "index_settings": { "docstore_compression": "lz4", "docstore_blocksize": 16384 },
        "segments": [],
        "schema": [{
            "name": "body",
            "type": "text",
            "options": {
                "indexing": { "record": "position", "fieldnorms": true, "tokenizer": "default" },
                "stored": true,
                "fast": false
            }
        }],
        "opstamp": 0
    });
    std::fs::write(index.join("meta.json"), schema.to_string()).ok()?;
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let build = run(&[
        &bin,
        "index",
        "-i",
        index.to_str()?,
        "-f",
        docs.to_str()?,
        "-t",
        &threads.to_string(),
    ]);
    let _ = std::fs::remove_file(&docs);
    Some(Plain {
        version,
        threads,
        build,
        size: du(&index),
    })
}

/// Where indexing time goes, one thread, stage by stage, on up to 40 MB.
fn profile(files: &[PathBuf]) {
    let rules = Rules::built_in();
    let mut bytes_total = 0u64;
    let (mut t_read, mut t_decode, mut t_segment, mut t_classify, mut t_lang, mut t_analysis) = (
        Duration::ZERO,
        Duration::ZERO,
        Duration::ZERO,
        Duration::ZERO,
        Duration::ZERO,
        Duration::ZERO,
    );
    let mut german = fundstelle::analysis::german_analyzer();
    let mut exact = fundstelle::analysis::exact_analyzer();
    let mut sample = Vec::new();
    for path in files {
        if bytes_total > 40_000_000 {
            break;
        }
        sample.push(path.clone());
        let t = Instant::now();
        let bytes = std::fs::read(path).unwrap();
        t_read += t.elapsed();
        bytes_total += bytes.len() as u64;
        let t = Instant::now();
        let Ok(decoded) = decode::decode(&bytes) else {
            continue;
        };
        t_decode += t.elapsed();
        let t = Instant::now();
        let raw = segment::paragraphs(&decoded.text);
        t_segment += t.elapsed();
        let t = Instant::now();
        let meta = classify::classify(&raw, &rules, &classify::Given::default());
        t_classify += t.elapsed();
        let t = Instant::now();
        let article = lang::ArticleLanguage::detect(raw.iter().map(|r| r.text.as_str()));
        for (r, m) in raw.iter().zip(&meta.paragraphs) {
            let _ = article.paragraph(&r.text, m.kind == Kind::Comment);
        }
        t_lang += t.elapsed();
        let t = Instant::now();
        for r in &raw {
            for analyzer in [&mut german, &mut exact] {
                let mut stream = analyzer.token_stream(&r.text);
                while stream.advance() {}
            }
        }
        t_analysis += t.elapsed();
    }
    // The same files through the whole single-threaded build.
    let dir = tempfile_dir();
    let list = ingest::FileList::of(&sample);
    let options = fundstelle::index::BuildOptions {
        threads: 1,
        ..Default::default()
    };
    let t = Instant::now();
    IndexDir::new(&dir)
        .build(&list, &[], &rules, &options, &mut |_| {})
        .unwrap();
    let t_build = t.elapsed();
    let _ = std::fs::remove_dir_all(&dir);
    // tantivy analyses and indexes on its own thread, alongside the worker
    // that reads and segments: the stages overlap, so the stage times are
    // CPU time of each stage, and they need not add up to the build time.
    println!(
        "## Where indexing time goes (CPU time per stage, {:.1} MB, one thread)\n",
        bytes_total as f64 / 1e6
    );
    println!("| stage | time | share of the stages |");
    println!("|---|---|---|");
    let stages = [
        ("read files", t_read),
        ("decode (encoding, NFC)", t_decode),
        ("segment into paragraphs", t_segment),
        ("classify (kinds, headings, agencies)", t_classify),
        ("detect language (function words, whatlang)", t_lang),
        (
            "analyse (German + exact analyzers, inside tantivy)",
            t_analysis,
        ),
    ];
    let sum: f64 = stages.iter().map(|(_, t)| secs(*t)).sum();
    for (stage, t) in stages {
        println!(
            "| {stage} | {:.2} s | {:.0}% |",
            secs(t),
            100.0 * secs(t) / sum
        );
    }
    let total = secs(t_build);
    println!(
        "| whole build, `-j 1` (one ingest worker, one tantivy thread) | {total:.2} s ({:.1} MB/s) | |",
        bytes_total as f64 / 1e6 / total
    );
}

fn tempfile_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/data/run/profile-index");
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split(':').nth(1))
        .unwrap_or("unknown CPU")
        .trim()
        .to_string();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mem = std::fs::read_to_string("/proc/meminfo")
        .unwrap_or_default()
        .lines()
        .next()
        .unwrap_or("")
        .split_whitespace()
        .nth(1)
        .and_then(|kb| kb.parse::<u64>().ok())
        .map_or(0, |kb| kb / 1024 / 1024);
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    format!(
        "machine: {model}, {cores} cores, {mem} GB RAM, Linux {}",
        kernel.trim()
    )
}
