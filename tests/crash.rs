//! Crash safety: `fundstelle index` killed with SIGKILL early, during a
//! commit and mid-way leaves an index that searches the last commit (whole
//! files only, never half a file), and the next run ends with exactly the
//! hits of a clean build. Searches during a run see the last commit.
//!
//! Where exactly a kill lands depends on timing; no assertion does. Every
//! state a kill can leave must pass the same checks.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::{TestEnv, assert_equals_clean_build, dump, generate_corpus};

/// Starts `fundstelle index -v --commit-every 0.02 ARGS` (a commit every
/// few files) with stderr piped, so the test can follow its commits.
fn spawn_index(env: &TestEnv, args: &[&str]) -> Child {
    Command::new(assert_cmd::cargo::cargo_bin!("fundstelle"))
        .current_dir(env.path())
        .env_remove("FUNDSTELLE_INDEX")
        .args(["index", "-v", "--commit-every", "0.02"])
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Kills `child` (SIGKILL) once `pattern` appeared `nth` times on its
/// stderr, calling `meanwhile` at each appearance before that; or lets it
/// finish if it never does.
fn kill_after(mut child: Child, pattern: &str, nth: usize, mut meanwhile: impl FnMut()) {
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let mut seen = 0;
    for line in stderr.lines() {
        let Ok(line) = line else { break };
        if line.contains(pattern) {
            seen += 1;
            if seen >= nth {
                break;
            }
            meanwhile();
        }
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// The dump lines of each article.
fn by_doc(lines: &[String]) -> BTreeMap<String, BTreeSet<String>> {
    let mut docs: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for line in lines {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        docs.entry(v["doc"].as_str().unwrap().to_string())
            .or_default()
            .insert(line.clone());
    }
    docs
}

/// The index searches, and holds every article it holds whole, in one of
/// the versions in `allowed`.
fn assert_consistent(env: &TestEnv, allowed: &[&BTreeMap<String, BTreeSet<String>>], when: &str) {
    if !env.path().join("index/CURRENT").exists() {
        // Killed before the first commit of a first build: no index yet,
        // and search says so.
        let out = env.cmd().args(["search", "Ukraine"]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{when}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("no index"),
            "{when}"
        );
        return;
    }
    let out = env.cmd().args(["search", "Ukraine"]).output().unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{when}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let held = by_doc(&dump(env, "index"));
    eprintln!("{when}: the index holds {} articles", held.len());
    for (doc, lines) in held {
        assert!(
            allowed
                .iter()
                .any(|version| version.get(&doc) == Some(&lines)),
            "{when}: article {doc} is not whole ({} paragraphs)",
            lines.len()
        );
    }
}

#[test]
fn killed_index_runs_lose_at_most_the_last_interval_and_resume_to_a_clean_build() {
    let env = TestEnv::empty();
    generate_corpus(&env, "corpus", 120, 12);
    env.cmd()
        .args(["--index", "clean", "index", "corpus"])
        .assert()
        .success();
    let clean = dump(&env, "clean");
    let reference = by_doc(&clean);
    assert_eq!(reference.len(), 120);

    // Early: killed almost at once.
    let child = spawn_index(&env, &["corpus"]);
    std::thread::sleep(Duration::from_millis(30));
    kill_after(child, "committing", 1, || {});
    assert_consistent(&env, &[&reference], "killed early");

    // During a commit: right after it was announced. Searches while the
    // run goes on see whole files.
    let child = spawn_index(&env, &["corpus"]);
    kill_after(child, "committing", 3, || {
        assert_consistent(&env, &[&reference], "while indexing");
    });
    assert_consistent(&env, &[&reference], "killed during a commit");

    // Mid-way: after some commits.
    let child = spawn_index(&env, &["corpus"]);
    kill_after(child, "committed", 4, || {});
    assert_consistent(&env, &[&reference], "killed mid-way");

    // The next run completes it: exactly the clean build.
    env.cmd().args(["index", "corpus"]).assert().success();
    assert_eq!(dump(&env, "index"), clean);

    // An update killed half-way holds each file in its old or new version;
    // the next run ends with exactly a clean build of the new files.
    for i in (0..120).step_by(4) {
        let path = env.path().join(format!("corpus/a{i:04}.txt"));
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str("\nDie Rindfleischetikettierung ist wieder Thema.\n");
        std::fs::write(&path, text).unwrap();
    }
    for i in (1..120).step_by(10) {
        std::fs::remove_file(env.path().join(format!("corpus/a{i:04}.txt"))).unwrap();
    }
    env.cmd()
        .args(["--index", "clean2", "index", "corpus"])
        .assert()
        .success();
    let clean2 = dump(&env, "clean2");
    let updated = by_doc(&clean2);
    let child = spawn_index(&env, &["corpus"]);
    kill_after(child, "committing", 2, || {});
    assert_consistent(&env, &[&reference, &updated], "update killed");
    env.cmd().args(["index", "corpus"]).assert().success();
    assert_eq!(dump(&env, "index"), clean2);

    // Killed later in an update, the run leaves several small committed
    // segments and a commit that applied deletes, the kind of state in
    // which a resumed run once kept a changed file's old paragraphs next
    // to its new ones (the exact timing is reproduced by the unit test of
    // `open_writer` in src/index/writer.rs). Every resumed run must end
    // with exactly a clean build.
    for (round, commits) in [(1, 7), (2, 14)] {
        for i in (round..120).step_by(3) {
            let path = env.path().join(format!("corpus/a{i:04}.txt"));
            if let Ok(mut text) = std::fs::read_to_string(&path) {
                text.push_str(&format!(
                    "\nNachtrag {round}: die Lage bleibt angespannt.\n"
                ));
                std::fs::write(&path, text).unwrap();
            }
        }
        let clean = format!("clean-{round}");
        env.cmd()
            .args(["--index", clean.as_str(), "index", "corpus"])
            .assert()
            .success();
        let child = spawn_index(&env, &["-j1", "corpus"]);
        kill_after(child, "committed", commits, || {});
        env.cmd().args(["index", "corpus"]).assert().success();
        assert_eq!(
            dump(&env, "index"),
            dump(&env, &clean),
            "resumed after {commits} commits"
        );
    }
}

/// The commit an interrupted run leaves behind, made exactly: the current
/// generation's last commit with the payload of an intermediate one
/// (`complete: false` after `files` files). Editing tantivy's `meta.json`
/// gives the state a kill between two commits gives, without its timing.
fn mark_incomplete(env: &TestEnv, files: u64) {
    let root = env.path().join("index");
    let generation = std::fs::read_to_string(root.join("CURRENT")).unwrap();
    let meta_path = root.join(generation.trim()).join("meta.json");
    let mut meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&meta_path).unwrap()).unwrap();
    let mut state: serde_json::Value =
        serde_json::from_str(meta["payload"].as_str().unwrap()).unwrap();
    assert_eq!(state["complete"], true);
    state["complete"] = false.into();
    state["files"] = files.into();
    meta["payload"] = state.to_string().into();
    std::fs::write(&meta_path, meta.to_string()).unwrap();
}

#[test]
fn an_interrupted_run_is_reported_by_search_and_stats_until_the_next_completes_it() {
    let env = TestEnv::indexed_seeds();
    let note = "is incomplete: an `index` run is under way or was stopped after 2 files";
    let search = |args: &[&str]| {
        let out = env.cmd().arg("search").args(args).output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    // What `stats --format json` says of it.
    let complete = || {
        let stats = env
            .cmd()
            .args(["stats", "--format", "json"])
            .output()
            .unwrap();
        let json: serde_json::Value = serde_json::from_slice(&stats.stdout).unwrap();
        json["complete"].as_bool()
    };
    let (code, stderr) = search(&["Ukraine"]);
    assert_eq!(code, Some(0));
    assert!(!stderr.contains("incomplete"), "{stderr}");

    mark_incomplete(&env, 2);
    let (code, stderr) = search(&["Ukraine"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains(note), "{stderr}");
    assert!(
        stderr.contains("(`fundstelle index` completes it, reading seeds again)"),
        "{stderr}"
    );
    // Not with --quiet.
    let (_, stderr) = search(&["-q", "Ukraine"]);
    assert!(!stderr.contains("incomplete"), "{stderr}");
    let stats = env.cmd().arg("stats").output().unwrap();
    let text = String::from_utf8_lossy(&stats.stdout);
    assert!(
        text.lines()
            .any(|l| l.starts_with("state") && l.contains("stopped after 2 files")),
        "{text}"
    );
    assert_eq!(complete(), Some(false));

    // The next run finds nothing changed, and completes the index all the same.
    env.cmd().args(["index", "seeds"]).assert().success();
    let (_, stderr) = search(&["Ukraine"]);
    assert!(!stderr.contains("incomplete"), "{stderr}");
    assert_eq!(complete(), Some(true));
}

/// A kill after tantivy wrote a segment's deletes for the next commit
/// (`<segment>.<opstamp>.del`) but before that commit's `meta.json`: the
/// next run would write a file of the same name, and every later update
/// failed on it. The kill lands exactly there with strace's fault
/// injection (the rename that publishes `meta.json`); where strace is not
/// installed the test says so and passes.
#[test]
fn a_kill_between_a_segments_deletes_and_their_commit_is_resumed() {
    if Command::new("strace").arg("-V").output().is_err() {
        eprintln!("skipped: strace is not installed");
        return;
    }
    let env = TestEnv::indexed_seeds();
    let seed = std::fs::read_dir(env.path().join("seeds"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .min()
        .unwrap();
    let mut text = std::fs::read_to_string(&seed).unwrap();
    text.push_str("\nEin neuer Absatz über Paris und die Koalition.\n");
    std::fs::write(&seed, text).unwrap();
    let generation = std::fs::read_to_string(env.path().join("index/CURRENT")).unwrap();
    let meta = env
        .path()
        .join("index")
        .join(generation.trim())
        .join("meta.json");
    let killed = Command::new("strace")
        .current_dir(env.path())
        .args(["-f", "-o", "/dev/null", "-P"])
        .arg(&meta)
        .args(["-e", "trace=rename,renameat,renameat2"])
        .args(["-e", "inject=rename,renameat,renameat2:signal=KILL:when=1"])
        .arg(assert_cmd::cargo::cargo_bin!("fundstelle"))
        .args(["index", "seeds"])
        .output()
        .unwrap();
    if killed.status.success() {
        eprintln!("skipped: strace could not stop the run at its commit");
        return;
    }
    let deletes = std::fs::read_dir(meta.parent().unwrap())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".del")
        })
        .count();
    assert!(deletes > 0, "the killed run left its deletes");
    // The next run completes the update, and the index is a clean build's.
    let out = env.cmd().args(["index", "seeds"]).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_equals_clean_build(&env, "index", &["seeds"]);
}

/// With a damaged pointer file the rebuild keeps every generation until
/// the new one is complete: killed mid-way, the old generation (whole, the
/// pointer aside) is still there; the next run completes, and only then
/// are the old generations removed.
#[test]
fn a_rebuild_over_a_damaged_pointer_keeps_the_old_generation_until_it_is_complete() {
    let env = TestEnv::empty();
    generate_corpus(&env, "corpus", 120, 12);
    env.cmd().args(["index", "corpus"]).assert().success();
    let root = env.path().join("index");
    let old = std::fs::read_to_string(root.join("CURRENT")).unwrap();
    let old = old.trim().to_string();
    std::fs::write(root.join("CURRENT"), "garbage\n").unwrap();
    let child = spawn_index(&env, &["corpus"]);
    kill_after(child, "committed", 2, || {});
    assert!(
        root.join(&old).join("meta.json").exists(),
        "the old generation is kept"
    );
    env.cmd().args(["index", "corpus"]).assert().success();
    let current = std::fs::read_to_string(root.join("CURRENT")).unwrap();
    assert_ne!(current.trim(), old);
    assert!(
        !root.join(&old).exists(),
        "removed once the new one is complete"
    );
    assert_equals_clean_build(&env, "index", &["corpus"]);
}

/// A first build killed mid-way leaves the segments of its commits; the
/// run that completes it merges them as the build would have, although it
/// adds little. That run (through the library) merges no segment for being
/// small (`small_segment` 1) and writes one segment (one thread), so only
/// the merge the build owed can join them.
#[test]
fn the_run_that_completes_a_killed_build_merges_it() {
    let env = TestEnv::empty();
    generate_corpus(&env, "corpus", 120, 12);
    // Absolute, as the library run below gives its folders.
    let corpus = env.path().join("corpus");
    let update = || {
        let files = fundstelle::ingest::collect_files(std::slice::from_ref(&corpus)).unwrap();
        let options = fundstelle::index::BuildOptions {
            small_segment: 1,
            threads: 1,
            ..Default::default()
        };
        fundstelle::index::IndexDir::new(env.path().join("index"))
            .build(
                &files,
                std::slice::from_ref(&corpus),
                &fundstelle::ingest::Rules::built_in(),
                &options,
                &mut |_| {},
            )
            .unwrap()
    };
    // About 23 commits in all: killed near the end, so that the run that
    // completes it adds too little to merge for its own sake.
    let child = spawn_index(&env, &["-j1", corpus.to_str().unwrap()]);
    kill_after(child, "committed", 20, || {});
    let left = common::segments_in(&env, "index");
    assert!(left > 1, "the killed build left {left} segment(s)");
    let stats = |env: &TestEnv| -> serde_json::Value {
        let out = env
            .cmd()
            .args(["stats", "--format", "json"])
            .output()
            .unwrap();
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let before = stats(&env);
    assert_eq!(before["merge_pending"], true);
    assert_eq!(before["segments"].as_array().unwrap().len(), left);

    let report = update();
    assert!(report.added > 0 && report.added < 30, "{report:?}");
    assert_eq!(common::segments_in(&env, "index"), 1);
    let after = stats(&env);
    assert_eq!(after["merge_pending"], false);
    assert_eq!(after["segments"], serde_json::json!([after["paragraphs"]]));
    env.cmd()
        .args(["--index", "clean", "index", corpus.to_str().unwrap()])
        .assert()
        .success();
    assert_eq!(dump(&env, "index"), dump(&env, "clean"));

    // The merge is recorded as done: an update that changes nothing keeps
    // the segment, and one that adds a file adds a segment of its own.
    let segment = env.segment_ids("index");
    update();
    assert_eq!(env.segment_ids("index"), segment);
    std::fs::copy(corpus.join("a0000.txt"), corpus.join("b0000.txt")).unwrap();
    update();
    assert_eq!(common::segments_in(&env, "index"), 2);
}
