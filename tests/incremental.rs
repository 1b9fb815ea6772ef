//! Incremental indexing, rebuilds, locking and version safety, with the
//! real binary. The reference for an updated index is always a clean build
//! of the same files in another folder.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{TestEnv, dump, generate_corpus};

fn index(env: &TestEnv, args: &[&str]) -> (i32, String, String) {
    run_in(env, env.path(), &[&["index"], args].concat())
}

/// Runs the binary with `args` in folder `dir`: exit code, stdout, stderr.
fn run_in(env: &TestEnv, dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = env.cmd().current_dir(dir).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Copies folder `from` to `to`, recursively.
fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The copied seed files, sorted.
fn seed_paths(env: &TestEnv) -> Vec<PathBuf> {
    let mut names: Vec<_> = fs::read_dir(env.path().join("seeds"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    names
}

fn generations(index: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(index)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("gen-"))
        .collect();
    names.sort();
    names
}

#[test]
fn an_update_reads_only_what_changed_and_equals_a_clean_build() {
    let env = TestEnv::with_seeds();
    let (code, stdout, _) = index(&env, &["seeds"]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("5 added, 0 updated, 0 removed, 0 unchanged"),
        "{stdout}"
    );
    let first_generation = generations(&env.path().join("index"));

    // Unchanged corpus: nothing is read again.
    let (code, stdout, _) = index(&env, &["seeds"]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("0 added, 0 updated, 0 removed, 5 unchanged"),
        "{stdout}"
    );

    // One file changed, one new, one gone.
    let names = seed_paths(&env);
    let mut changed = fs::read_to_string(&names[1]).unwrap();
    changed.push_str("\nDie Rindfleischetikettierung beschäftigt jetzt auch Brüssel.\n");
    fs::write(&names[1], changed).unwrap();
    fs::remove_file(&names[4]).unwrap();
    env.write(
        "seeds/neu.txt",
        "Ein neuer Artikel über Rindfleischetikettierung.\n",
    );
    let (code, stdout, _) = index(&env, &["seeds"]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("1 added, 1 updated, 1 removed, 3 unchanged"),
        "{stdout}"
    );
    // Updated in place: the same generation.
    assert_eq!(generations(&env.path().join("index")), first_generation);
    assert_eq!(env.hit_lines(&["Rindfleischetikettierung"]).len(), 2);

    // Exactly what a clean build of the same files gives.
    env.cmd()
        .args(["--index", "clean", "index", "seeds"])
        .assert()
        .success();
    assert_eq!(dump(&env, "index"), dump(&env, "clean"));
}

#[test]
fn updates_merge_their_small_segments_and_never_rewrite_a_large_one() {
    // With the default threshold every segment of the seeds is small: each
    // update leaves one segment, and the same hits as a clean build.
    let env = TestEnv::indexed_seeds();
    for i in 0..3 {
        env.write(
            &format!("seeds/neu{i}.txt"),
            format!("Neuer Artikel {i}\n\nDie Rindfleischetikettierung, Teil {i}.\n"),
        );
        assert_eq!(index(&env, &["seeds"]).0, 0);
        assert_eq!(common::segments(&env), 1, "after update {i}");
    }
    assert_eq!(env.hit_lines(&["Rindfleischetikettierung"]).len(), 3);
    env.cmd()
        .args(["--index", "clean", "index", "seeds"])
        .assert()
        .success();
    assert_eq!(dump(&env, "index"), dump(&env, "clean"));

    // A segment at the threshold is not small: updates merge only their
    // own segments, and the large one keeps its id (it is never rewritten).
    let env = TestEnv::empty();
    generate_corpus(&env, "corpus", 30, 12);
    env.index_through_library("index", &["corpus"], usize::MAX);
    let large = env.segment_ids("index");
    assert_eq!(large.len(), 1);
    let paragraphs = fundstelle::index::IndexDir::new(env.path().join("index"))
        .open()
        .unwrap()
        .index
        .reader()
        .unwrap()
        .searcher()
        .num_docs() as usize;
    for i in 0..3 {
        env.write(
            &format!("corpus/neu{i}.txt"),
            format!("Neuer Artikel {i}\n\nDie Rindfleischetikettierung, Teil {i}.\n"),
        );
        env.index_through_library("index", &["corpus"], paragraphs);
        let ids = env.segment_ids("index");
        assert_eq!(ids.len(), 2, "after update {i}: {ids:?}");
        assert!(ids.contains(&large[0]), "the large segment was rewritten");
    }
    env.index_through_library("clean", &["corpus"], paragraphs);
    assert_eq!(dump(&env, "index"), dump(&env, "clean"));

    // Small segments a run left unmerged (killed, or a full disk while it
    // merged) are merged by the next run, even when nothing changed.
    let env = TestEnv::with_seeds();
    env.index_keeping_segments(&["seeds"]);
    env.write(
        "seeds/neu.txt",
        "Neuer Artikel\n\nDie Rindfleischetikettierung.\n",
    );
    env.index_keeping_segments(&["seeds"]);
    assert_eq!(common::segments(&env), 2);
    let before = dump(&env, "index");
    let seeds = env.path().join("seeds");
    let (code, stdout, _) = index(&env, &[seeds.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("0 added, 0 updated, 0 removed, 6 unchanged"),
        "{stdout}"
    );
    assert_eq!(common::segments(&env), 1);
    assert_eq!(dump(&env, "index"), before);
}

/// A large segment that has lost more than a quarter of its paragraphs to
/// removed files is rewritten without them by the next update; one that
/// lost fewer keeps its id. Either way the hits are those of a clean build.
#[test]
fn a_segment_mostly_deleted_is_rewritten() {
    for (removed, rewritten) in [(3, false), (12, true)] {
        let env = TestEnv::empty();
        generate_corpus(&env, "corpus", 30, 12);
        env.index_through_library("index", &["corpus"], usize::MAX);
        let large = env.segment_ids("index");
        assert_eq!(large.len(), 1);
        for i in 0..removed {
            fs::remove_file(env.path().join(format!("corpus/a{i:04}.txt"))).unwrap();
        }
        // Only segments below 10 paragraphs count as small here.
        env.index_through_library("index", &["corpus"], 10);
        let ids = env.segment_ids("index");
        assert_eq!(ids.len(), 1, "{removed} removed: {ids:?}");
        assert_eq!(ids != large, rewritten, "{removed} of 30 files removed");
        let open = fundstelle::index::IndexDir::new(env.path().join("index"))
            .open()
            .unwrap();
        let deleted: u32 = open
            .index
            .searchable_segment_metas()
            .unwrap()
            .iter()
            .map(|m| m.num_deleted_docs())
            .sum();
        assert_eq!(
            deleted == 0,
            rewritten,
            "{removed} removed: {deleted} deleted"
        );
        env.index_through_library("clean", &["corpus"], 10);
        assert_eq!(dump(&env, "index"), dump(&env, "clean"));
    }
}

#[test]
fn the_content_hash_decides_not_the_modification_time() {
    let env = TestEnv::empty();
    let path = env.write(
        "docs/artikel.txt",
        "Der Bundestag berät über die Wehrpflicht.\n",
    );
    env.cmd().args(["index", "docs"]).assert().success();
    let stamp = fs::metadata(&path).unwrap().modified().unwrap();

    // Same size, same modification time, other content.
    fs::write(&path, "Der Bundesrat berät über die Wehrpflicht.\n").unwrap();
    fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(stamp)
        .unwrap();
    let (_, stdout, _) = index(&env, &["docs"]);
    assert!(stdout.contains("0 added, 1 updated"), "{stdout}");
    assert_eq!(env.hit_lines(&["Bundesrat"]).len(), 1);
    assert!(env.hit_lines(&["Bundestag"]).is_empty());

    // A new modification time with the same content changes nothing.
    fs::write(&path, "Der Bundesrat berät über die Wehrpflicht.\n").unwrap();
    let (_, stdout, _) = index(&env, &["docs"]);
    assert!(stdout.contains("1 unchanged"), "{stdout}");
}

/// Waits until the stamps of files written before are old enough to be
/// recorded: fundstelle trusts them when their second is more than two
/// seconds before the second a run starts in, which is at most three
/// seconds after the write.
fn wait_until_stamps_are_trusted() {
    std::thread::sleep(std::time::Duration::from_millis(3100));
}

/// Sets the modification time of `path` (its change time becomes now).
fn set_mtime(path: &Path, time: std::time::SystemTime) {
    fs::File::options()
        .append(true)
        .open(path)
        .unwrap()
        .set_modified(time)
        .unwrap();
}

/// Sets the modification times of `paths` an hour ahead, which keeps their
/// stamps untrusted however slow the machine; returns the times they had.
fn set_an_hour_ahead(paths: &[PathBuf]) -> Vec<std::time::SystemTime> {
    let originals = paths
        .iter()
        .map(|n| fs::metadata(n).unwrap().modified().unwrap())
        .collect();
    let hour_ahead = std::time::SystemTime::now() + std::time::Duration::from_secs(3600);
    paths.iter().for_each(|n| set_mtime(n, hour_ahead));
    originals
}

/// Sets the modification times of `paths` back to `times`.
fn set_back(paths: &[PathBuf], times: &[std::time::SystemTime]) {
    for (path, time) in paths.iter().zip(times) {
        set_mtime(path, *time);
    }
}

/// Rewrites `path` with `from` replaced by `to` (of the same length), and
/// sets its modification time back: only its change time tells.
fn change_keeping_size_and_mtime(path: &Path, from: &str, to: &str) {
    assert_eq!(from.len(), to.len());
    let stamp = fs::metadata(path).unwrap().modified().unwrap();
    let text = fs::read_to_string(path).unwrap();
    let changed = text.replacen(from, to, 1);
    assert_ne!(changed, text, "the fixture contains {from}");
    fs::write(path, &changed).unwrap();
    fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(stamp)
        .unwrap();
    assert_eq!(fs::metadata(path).unwrap().modified().unwrap(), stamp);
}

/// The stat keys kept for files read and found unchanged: written again
/// only when they change, and without the files that are gone.
#[cfg(unix)]
#[test]
fn kept_stamps_are_rewritten_only_when_they_change() {
    use std::os::unix::fs::MetadataExt;
    let env = TestEnv::with_seeds();
    let names = seed_paths(&env);
    let stamps = || {
        let generation = generations(&env.path().join("index")).pop().unwrap();
        env.path().join("index").join(generation).join("stamps")
    };
    let holds = |bytes: &[u8], path: &Path| {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        bytes.windows(name.len()).any(|w| w == name.as_bytes())
    };
    // Indexed with stamps too young to record (set an hour ahead, so they
    // stay young however slow the machine); read again once they are set
    // back and old enough, found unchanged, and their keys kept.
    let originals = set_an_hour_ahead(&names);
    assert!(index(&env, &["seeds"]).1.contains("5 added"));
    assert!(!stamps().exists());
    set_back(&names, &originals);
    wait_until_stamps_are_trusted();
    assert!(index(&env, &["seeds"]).1.contains("5 unchanged"));
    let kept = fs::read(stamps()).unwrap();
    assert!(names.iter().all(|n| holds(&kept, n)));
    let inode = fs::metadata(stamps()).unwrap().ino();

    // A new file changes no kept key: the file is not written again.
    env.write(
        "seeds/neu.txt",
        "Der Bundesrat berät über die Wehrpflicht.\n",
    );
    assert!(index(&env, &["seeds"]).1.contains("1 added"));
    assert_eq!(fs::metadata(stamps()).unwrap().ino(), inode);
    assert_eq!(fs::read(stamps()).unwrap(), kept);
    // Nor does a changed file that had none.
    env.write(
        "seeds/neu.txt",
        "Der Bundestag berät über die Wehrpflicht.\n",
    );
    assert!(index(&env, &["seeds"]).1.contains("1 updated"));
    assert_eq!(fs::metadata(stamps()).unwrap().ino(), inode);

    // A file gone, and a file indexed anew, take their keys along; the
    // others stay.
    fs::remove_file(&names[0]).unwrap();
    fs::write(&names[1], "Ein ganz anderer Artikel.\n").unwrap();
    assert!(
        index(&env, &["seeds"])
            .1
            .contains("0 added, 1 updated, 1 removed")
    );
    let kept = fs::read(stamps()).unwrap();
    assert!(!holds(&kept, &names[0]));
    assert!(!holds(&kept, &names[1]));
    assert!(names[2..].iter().all(|n| holds(&kept, n)));
}

/// An update does not read a file whose size, times and inode are as when
/// it was indexed, or as when a later run read it and found it unchanged;
/// any other file is read and its content hash decides. Even a change that
/// keeps the size and the modification time is found (the change time
/// cannot be set back).
#[test]
fn files_with_the_same_stamps_are_not_read_and_changes_are_still_found() {
    let env = TestEnv::with_seeds();
    let names = seed_paths(&env);
    // An update with `-v`: its summary must contain `summary` and say that
    // `not_read` unchanged files were not read; gives its stderr.
    let update = |summary: &str, not_read: usize| -> String {
        let out = env.cmd().args(["-v", "index", "seeds"]).output().unwrap();
        assert_eq!(out.status.code(), Some(0));
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(stdout.contains(summary), "{stdout}");
        assert!(
            stderr.contains(&format!("{not_read} of the unchanged files not read again")),
            "{stderr}"
        );
        stderr
    };
    let learnt = |n: usize| {
        format!(
            "{n} unchanged files were read because their stamps changed; their new stamps are kept"
        )
    };
    // Time stamps younger than two seconds are not trusted (nor any in the
    // future, which is how this test keeps them young however slow the
    // machine): the files are indexed without them, and read again.
    let originals = set_an_hour_ahead(&names);
    let out = env.cmd().args(["index", "seeds"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("5 added"));
    let stderr = update("5 unchanged", 0);
    assert!(!stderr.contains("stamps are kept"), "{stderr}");
    set_back(&names, &originals);
    wait_until_stamps_are_trusted();
    // Read once more now that they are old enough: found unchanged, and
    // their stamps are kept from now on.
    let stderr = update("5 unchanged", 0);
    assert!(stderr.contains(&learnt(5)), "{stderr}");
    update("5 unchanged", 5);

    // Rewritten with the same bytes, and only touched: read, unchanged.
    fs::write(&names[0], fs::read(&names[0]).unwrap()).unwrap();
    set_mtime(&names[1], std::time::SystemTime::now());
    // Other bytes of the same size under the old modification time.
    change_keeping_size_and_mtime(&names[2], "Ukraine", "Ukrainx");
    // Old enough again: the changed file now differs from its recorded
    // key in its change time only, so that is what must find it.
    wait_until_stamps_are_trusted();
    let stderr = update("0 added, 1 updated, 0 removed, 4 unchanged", 2);
    assert!(stderr.contains(&learnt(2)), "{stderr}");

    // A kept key does not hide a later change either.
    change_keeping_size_and_mtime(&names[0], "Ukraine", "Ukrainy");
    wait_until_stamps_are_trusted();
    update("0 added, 1 updated, 0 removed, 4 unchanged", 4);
    env.cmd()
        .args(["--index", "clean", "index", "seeds"])
        .assert()
        .success();
    assert_eq!(dump(&env, "index"), dump(&env, "clean"));
}

#[test]
fn a_parallel_build_is_the_same_index_as_a_sequential_one() {
    let env = TestEnv::empty();
    generate_corpus(&env, "corpus", 40, 12);
    for (name, threads) in [("one", "1"), ("four", "4")] {
        env.cmd()
            .args(["--index", name, "index", "-j", threads, "corpus"])
            .assert()
            .success();
    }
    assert_eq!(dump(&env, "one"), dump(&env, "four"));
    // Same scores too: both are clean builds of the same documents. (Every
    // hit, not the top n: ties at the cut are broken by index order.)
    let top = |index: &str| {
        let out = env
            .cmd()
            .args(["--index", index, "search", "--format", "jsonl", "--all"])
            .arg("Ukraine Sicherheitsgarantien")
            .output()
            .unwrap();
        let mut hits: Vec<(String, u64, String)> = String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).unwrap();
                (
                    v["doc"].as_str().unwrap().to_string(),
                    v["para"].as_u64().unwrap(),
                    format!("{:.4}", v["score"].as_f64().unwrap()),
                )
            })
            .collect();
        hits.sort();
        hits
    };
    assert_eq!(top("one"), top("four"));
}

#[test]
fn an_article_id_taken_by_another_file_is_reported_not_duplicated() {
    // Which file keeps an id two files claim does not depend on which came
    // first: the one first in path order has it, in an update as in a
    // clean build. Here "docs/bericht.txt" comes before "docs/dump.jsonl",
    // and "docs/a.jsonl" before both.
    let env = TestEnv::empty();
    env.write(
        "docs/dump.jsonl",
        "{\"id\": \"bericht\", \"text\": \"Der erste Bericht über Wasserstoff.\"}\n",
    );
    env.cmd().args(["index", "docs"]).assert().success();
    let only = |env: &TestEnv| -> Vec<String> {
        env.hits(&["Wasserstoff"])
            .iter()
            .map(|h| h["path"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(only(&env), ["docs/dump.jsonl"]);
    let clean_build = |env: &TestEnv| {
        let (code, _, _) = index(env, &["--index", "clean", "docs"]);
        assert_eq!(code, 2);
        let clean = dump(env, "clean");
        fs::remove_dir_all(env.path().join("clean")).unwrap();
        clean
    };

    env.write(
        "docs/bericht.txt",
        "Ein zweiter Bericht über Wasserstoff.\n",
    );
    let (code, stdout, stderr) = index(&env, &["docs"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains(
            "docs/dump.jsonl:1: article id 'bericht' is already used by docs/bericht.txt"
        ),
        "{stderr}"
    );
    assert!(stdout.contains("1 added, 0 updated, 1 removed"), "{stdout}");
    assert_eq!(only(&env), ["docs/bericht.txt"]);
    assert_eq!(dump(&env, "index"), clean_build(&env));

    // Earlier still: the text file gives the id up, and has nothing left.
    env.write(
        "docs/a.jsonl",
        "{\"id\": \"bericht\", \"text\": \"Ein dritter Bericht über Wasserstoff.\"}\n",
    );
    let (code, _, stderr) = index(&env, &["docs"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("docs/bericht.txt:1: article id 'bericht' is already used by docs/a.jsonl"),
        "{stderr}"
    );
    assert_eq!(only(&env), ["docs/a.jsonl"]);
    assert_eq!(dump(&env, "index"), clean_build(&env));

    // Once the first is gone, the next in path order has it again.
    fs::remove_file(env.path().join("docs/a.jsonl")).unwrap();
    let (code, _, _) = index(&env, &["docs"]);
    assert_eq!(code, 2, "dump.jsonl still clashes");
    assert_eq!(only(&env), ["docs/bericht.txt"]);
    assert_eq!(dump(&env, "index"), clean_build(&env));
}

/// One folder named twice in a run (`seeds ./seeds`, or a folder and a
/// file in it) is one set of files: no id clash, nothing skipped.
#[test]
fn a_file_named_twice_in_one_run_is_indexed_once() {
    let env = TestEnv::with_seeds();
    let seeds = seed_paths(&env);
    let one = format!("seeds/{}", seeds[0].file_name().unwrap().to_str().unwrap());
    for args in [vec!["seeds", "./seeds"], vec!["./seeds", one.as_str()]] {
        let (code, stdout, stderr) = index(&env, &[&["--rebuild"], args.as_slice()].concat());
        assert_eq!(code, 0, "{args:?}: {stderr}");
        assert!(
            stdout.contains(&format!("{} added", seeds.len())),
            "{args:?}: {stdout}"
        );
        assert!(!stderr.contains("already used"), "{args:?}: {stderr}");
    }
}

#[test]
fn two_files_with_one_id_cost_the_later_one_only_until_the_clash_is_gone() {
    let env = TestEnv::empty();
    env.write(
        "docs/a/bericht.txt",
        "Ein Bericht über Wasserstoff aus Kiel.\n",
    );
    env.write(
        "docs/b/bericht.txt",
        "Ein Bericht über Wasserstoff aus Bonn.\n",
    );
    env.write("docs/c.txt", "Etwas ganz anderes über Windkraft.\n");
    let (code, stdout, stderr) = index(&env, &["docs"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("docs/b/bericht.txt")
            && stderr.contains("article id 'bericht' is already used by docs/a/bericht.txt"),
        "{stderr}"
    );
    // The rest is indexed: the first file in path order has the id.
    assert!(stdout.contains("2 added"), "{stdout}");
    let paths = |word: &str| -> Vec<String> {
        env.hits(&[word])
            .iter()
            .map(|h| h["path"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(paths("Wasserstoff"), ["docs/a/bericht.txt"]);
    assert_eq!(paths("Windkraft"), ["docs/c.txt"]);

    // Once the first is gone, the second is indexed, as a clean build would.
    fs::remove_file(env.path().join("docs/a/bericht.txt")).unwrap();
    let (code, _, stderr) = index(&env, &["docs"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(paths("Wasserstoff"), ["docs/b/bericht.txt"]);
    env.cmd()
        .args(["--index", "clean", "index", "docs"])
        .assert()
        .success();
    assert_eq!(dump(&env, "index"), dump(&env, "clean"));
}

#[test]
fn a_file_indexed_in_part_is_read_again_until_all_of_it_is_indexed() {
    let env = TestEnv::empty();
    env.write(
        "docs/a.jsonl",
        "{\"id\": \"x\", \"text\": \"Der erste Bericht aus Kiel.\"}\n",
    );
    // Three records: one with the id a.jsonl has, one good, one bad.
    env.write(
        "docs/b.jsonl",
        concat!(
            "{\"id\": \"x\", \"text\": \"Der zweite Bericht aus Bonn.\"}\n",
            "{\"id\": \"y\", \"text\": \"Der dritte Bericht aus Trier.\"}\n",
            "{\"id\": \"z\"}\n",
        ),
    );
    for run in ["first", "second"] {
        let (code, _, stderr) = index(&env, &["docs"]);
        assert_eq!(code, 2, "{run}: {stderr}");
        // Every run says what is still wrong, not only the first.
        assert!(
            stderr.contains("docs/b.jsonl:1: article id 'x' is already used by docs/a.jsonl")
                && stderr.contains("docs/b.jsonl:3: not an article record: missing field `text`"),
            "{run}: {stderr}"
        );
        // Each line is parsed alone: no serde "line 1" against line 3.
        assert!(!stderr.contains("line 1 column"), "{run}: {stderr}");
        assert_eq!(env.hits(&["Trier"]).len(), 1, "{run}");
        assert!(env.hits(&["Bonn"]).is_empty(), "{run}");
    }
    // The id is given up: b.jsonl, unchanged, now adds its first record.
    fs::remove_file(env.path().join("docs/a.jsonl")).unwrap();
    let (code, _, stderr) = index(&env, &["docs"]);
    assert_eq!(code, 2, "the bad record is still there: {stderr}");
    assert!(!stderr.contains("already used"), "{stderr}");
    let bonn = env.hits(&["Bonn"]);
    assert_eq!(bonn.len(), 1, "{bonn:?}");
    assert_eq!(
        (&bonn[0]["doc"], &bonn[0]["line"]),
        (&"x".into(), &1.into())
    );
    env.cmd()
        .args(["--index", "clean", "index", "docs"])
        .assert()
        .code(2);
    assert_eq!(dump(&env, "index"), dump(&env, "clean"));

    // Fixed, the file is whole and counts as unchanged from then on.
    env.write(
        "docs/b.jsonl",
        concat!(
            "{\"id\": \"x\", \"text\": \"Der zweite Bericht aus Bonn.\"}\n",
            "{\"id\": \"y\", \"text\": \"Der dritte Bericht aus Trier.\"}\n",
        ),
    );
    let (code, _, stderr) = index(&env, &["docs"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, stdout, _) = index(&env, &["docs"]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("0 updated, 0 removed, 1 unchanged"),
        "{stdout}"
    );
}

#[test]
fn rebuild_writes_a_new_generation_and_indexing_other_paths_replaces_the_old() {
    let env = TestEnv::indexed_seeds();
    let before = generations(&env.path().join("index"));
    let (code, stdout, _) = index(&env, &["--rebuild", "seeds"]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("5 added") && stdout.contains("(new index)"),
        "{stdout}"
    );
    let after = generations(&env.path().join("index"));
    assert_eq!(after.len(), 1);
    assert_ne!(before, after);

    // The index holds exactly the files under the given paths.
    env.write("neu/artikel.txt", "Die Ukraine und die Koalition.\n");
    let (_, stdout, _) = index(&env, &["neu"]);
    assert!(stdout.contains("1 added, 0 updated, 5 removed"), "{stdout}");
    assert_eq!(env.hits(&["Ukraine"]).len(), 1);
}

/// The same folder spelt another way (`./seeds`, its absolute path) is
/// indexed as the index recorded it: nothing looks new, and the note says
/// which spelling was used (`seeds/` is `seeds` already). A folder that is
/// another one is still another one.
#[test]
fn the_same_folder_spelt_another_way_is_not_indexed_anew() {
    let env = TestEnv::indexed_seeds();
    let absolute = env.path().join("seeds").canonicalize().unwrap();
    for spelling in ["./seeds", absolute.to_str().unwrap()] {
        let (code, stdout, stderr) = index(&env, &[spelling]);
        assert_eq!(code, 0, "{stderr}");
        assert!(
            stdout.contains("0 added, 0 updated, 0 removed, 5 unchanged"),
            "{spelling}: {stdout}"
        );
        assert!(
            stderr.contains(&format!("indexing {spelling} as seeds,")),
            "{spelling}: {stderr}"
        );
    }
    // As given, or with a trailing slash, there is nothing to say.
    for spelling in ["seeds", "seeds/"] {
        let (_, stdout, stderr) = index(&env, &[spelling]);
        assert!(stdout.contains("5 unchanged"), "{stdout}");
        assert!(!stderr.contains("indexing seeds"), "{stderr}");
    }
    // --rebuild takes the paths as given, and records them so.
    let (_, stdout, _) = index(&env, &["--rebuild", absolute.to_str().unwrap()]);
    assert!(stdout.contains("5 added"), "{stdout}");
    let (_, stdout, stderr) = index(&env, &["seeds"]);
    assert!(
        stdout.contains("0 added, 0 updated, 0 removed, 5 unchanged"),
        "{stdout}"
    );
    assert!(
        stderr.contains(&format!("indexing seeds as {},", absolute.display())),
        "{stderr}"
    );
    // A copy of the folder is not the folder.
    fs::create_dir(env.path().join("copy")).unwrap();
    for path in seed_paths(&env) {
        fs::copy(
            &path,
            env.path().join("copy").join(path.file_name().unwrap()),
        )
        .unwrap();
    }
    let (_, stdout, _) = index(&env, &["copy"]);
    assert!(stdout.contains("5 added, 0 updated, 5 removed"), "{stdout}");
}

/// Without PATHs, `index` brings an index up to date with what it was
/// built from, read in the folder it was built in, wherever it is run: it
/// neither reads the seeds/ of the folder it is run in nor removes what the
/// index holds. A new index without PATHs is the seeds.
#[test]
fn without_paths_an_index_is_updated_from_what_it_was_built_from() {
    let env = TestEnv::with_seeds();
    let seeds = seed_paths(&env);
    let copy = |seed: &Path, folder: &str| {
        fs::create_dir_all(env.path().join(folder)).unwrap();
        fs::copy(
            seed,
            env.path().join(folder).join(seed.file_name().unwrap()),
        )
        .unwrap();
    };
    copy(&seeds[0], "archiv");
    copy(&seeds[1], "archiv");
    copy(&seeds[2], "elsewhere/seeds");
    let run = |folder: &str, args: &[&str]| run_in(&env, &env.path().join(folder), args);
    let (code, stdout, _) = run(".", &["--index", "idx", "index", "archiv"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("2 added"), "{stdout}");

    let (code, stdout, stderr) = run("elsewhere", &["--index", "../idx", "index"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("0 added, 0 updated, 0 removed, 2 unchanged"),
        "{stdout}"
    );
    let built_in = env.path().canonicalize().unwrap();
    assert!(
        stderr.contains(&format!(
            "reading archiv in {}, the folder that holds it and the files this index has",
            built_in.display()
        )),
        "{stderr}"
    );
    // A file new in the archive is found from there too.
    copy(&seeds[3], "archiv");
    let (_, stdout, _) = run("elsewhere", &["--index", "../idx", "index"]);
    assert!(
        stdout.contains("1 added, 0 updated, 0 removed, 2 unchanged"),
        "{stdout}"
    );
    // Where it was built, the note only says what is read.
    let (_, stdout, stderr) = run(".", &["--index", "idx", "index"]);
    assert!(stdout.contains("3 unchanged"), "{stdout}");
    assert!(
        stderr.contains("reading archiv, what this index was built from"),
        "{stderr}"
    );
    // --rebuild without PATHs rebuilds from the same.
    let (_, stdout, _) = run("elsewhere", &["--index", "../idx", "index", "--rebuild"]);
    assert!(
        stdout.contains("3 added, 0 updated, 0 removed, 0 unchanged"),
        "{stdout}"
    );
    // A new index without PATHs is the seeds of the folder it is run in.
    let (_, stdout, _) = run("elsewhere", &["--index", "new", "index"]);
    assert!(stdout.contains("1 added"), "{stdout}");
    // A copy of the whole folder, index and all: the copy's index finds
    // the sources beside it and where they were, and cannot tell which are
    // meant; named once, they are recorded, and the copy reads its own.
    let copy = PathBuf::from(format!("{}-copy", env.path().display()));
    copy_dir(env.path(), &copy);
    fs::remove_file(copy.join("archiv").join(seeds[3].file_name().unwrap())).unwrap();
    let in_copy = |args: &[&str]| run_in(&env, &copy.join("elsewhere"), args);
    let (code, _, stderr) = in_copy(&["--index", "../idx", "index"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("hold them (a copy?)"), "{stderr}");
    let (code, stdout, _) = in_copy(&["--index", "../idx", "index", "../archiv"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("2 added, 0 updated, 3 removed"), "{stdout}");
    let (code, stdout, _) = in_copy(&["--index", "../idx", "index"]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("0 added, 0 updated, 0 removed, 2 unchanged"),
        "{stdout}"
    );
    fs::remove_dir_all(&copy).unwrap();
    // The original still reads its own three.
    let (_, stdout, _) = run("elsewhere", &["--index", "../idx", "index"]);
    assert!(stdout.contains("3 unchanged"), "{stdout}");
    // Moved (the old place gone), the folder is found from the index.
    let moved = PathBuf::from(format!("{}-moved", env.path().display()));
    copy_dir(env.path(), &moved);
    let (code, stdout, stderr) = {
        // The original is the old place: out of the way for this run.
        let aside = PathBuf::from(format!("{}-aside", env.path().display()));
        fs::rename(env.path().join("archiv"), &aside).unwrap();
        let result = run_in(&env, &moved, &["--index", "idx", "index"]);
        fs::rename(&aside, env.path().join("archiv")).unwrap();
        result
    };
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("3 unchanged"), "{stdout}");
    fs::remove_dir_all(&moved).unwrap();

    // An index that cannot say what it was built from is not rebuilt from
    // the seeds: without PATHs that is an error, and nothing changes.
    fs::write(env.path().join("idx/CURRENT"), "gen-0-0\n").unwrap();
    let before = fs::read_dir(env.path().join("idx")).unwrap().count();
    let (code, _, stderr) = run("elsewhere", &["--index", "../idx", "index", "--rebuild"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("cannot read what the index at ../idx was built from"),
        "{stderr}"
    );
    assert_eq!(
        fs::read_dir(env.path().join("idx")).unwrap().count(),
        before
    );
    assert_eq!(
        fs::read_to_string(env.path().join("idx/CURRENT")).unwrap(),
        "gen-0-0\n"
    );
    // Nor does a search build the default index from the seeds over a
    // damaged one.
    env.cmd().args(["index", "seeds"]).assert().success();
    let generations_before = generations(&env.path().join("index"));
    fs::write(env.path().join("index/CURRENT"), "garbage\n").unwrap();
    let out = env.cmd().args(["search", "Ukraine"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("damaged pointer file"), "{stderr}");
    assert_eq!(generations(&env.path().join("index")), generations_before);
}

/// An index moved on its own, its folder gone, next to a folder of the
/// same name with other files: that is not its archive, so the run is
/// refused and the index keeps what it had.
#[test]
fn a_folder_of_the_same_name_is_not_taken_for_the_archive() {
    let env = TestEnv::with_seeds();
    let seeds = seed_paths(&env);
    fs::create_dir_all(env.path().join("p/arts")).unwrap();
    fs::create_dir_all(env.path().join("other/arts")).unwrap();
    for seed in &seeds[..3] {
        fs::copy(
            seed,
            env.path().join("p/arts").join(seed.file_name().unwrap()),
        )
        .unwrap();
    }
    fs::copy(
        &seeds[4],
        env.path()
            .join("other/arts")
            .join(seeds[4].file_name().unwrap()),
    )
    .unwrap();
    let in_folder = |folder: &str, args: &[&str]| {
        env.cmd()
            .current_dir(env.path().join(folder))
            .args(args)
            .output()
            .unwrap()
    };
    assert!(in_folder("p", &["index", "arts"]).status.success());
    fs::rename(env.path().join("p/index"), env.path().join("other/index")).unwrap();
    fs::remove_dir_all(env.path().join("p")).unwrap();
    let before = dump(&env, "other/index");
    assert!(!before.is_empty());
    let out = in_folder("other", &["index"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no folder holds them with the files"),
        "{stderr}"
    );
    assert_eq!(dump(&env, "other/index"), before);
}

/// Where nothing moved, the folder is the archive even when its files are
/// gone (all of them removed, or names that are not UTF-8): the update
/// removes what went and keeps the rest.
#[test]
fn in_its_own_folder_an_index_is_updated_whatever_its_files_are_called() {
    use std::os::unix::ffi::OsStrExt;
    let env = TestEnv::with_seeds();
    let name = std::ffi::OsStr::from_bytes(b"caf\xE9.txt");
    fs::write(
        env.path().join("seeds").join(name),
        "Ein Text über das Café an der Ecke.\n",
    )
    .unwrap();
    let (code, stdout, stderr) = index(&env, &["seeds"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("6 added"), "{stdout}");
    let (code, stdout, stderr) = index(&env, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("6 unchanged"), "{stdout}");
    // From another folder the name is looked up as the bytes it stands for.
    fs::create_dir(env.path().join("elsewhere")).unwrap();
    let (code, stdout, stderr) = run_in(
        &env,
        &env.path().join("elsewhere"),
        &["--index", "../index", "index"],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("6 unchanged"), "{stdout}");
    for path in seed_paths(&env) {
        fs::remove_file(path).unwrap();
    }
    let (code, stdout, stderr) = index(&env, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("0 added, 0 updated, 6 removed"), "{stdout}");
}

/// Run from a folder reached through a symbolic link, with `--index ../x`:
/// the index is the real parent's `x`, and the folder is recorded from it,
/// so the project moved with its index is still found.
#[test]
fn a_symlinked_working_folder_records_the_folder_from_the_real_index() {
    let env = TestEnv::with_seeds();
    let real = env.path().join("real/proj");
    fs::create_dir_all(&real).unwrap();
    copy_dir(&env.path().join("seeds"), &real.join("arch"));
    let link = env.path().join("link");
    std::os::unix::fs::symlink("real/proj", &link).unwrap();
    let out = env
        .cmd()
        .current_dir(&link)
        .env("PWD", &link)
        .args(["--index", "../x", "index", "arch"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(env.path().join("real/x/CURRENT").exists());
    fs::rename(env.path().join("real"), env.path().join("moved")).unwrap();
    let (code, stdout, stderr) = run_in(
        &env,
        &env.path().join("moved/proj"),
        &["--index", "../x", "index"],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("0 added, 0 updated, 0 removed, 5 unchanged"),
        "{stdout}"
    );
}

/// A first build killed before its first commit leaves a generation and no
/// pointer: that is no index, so `index` without PATHs builds the seeds and
/// removes the abandoned generation.
#[test]
fn an_abandoned_first_build_is_no_index() {
    let env = TestEnv::with_seeds();
    env.write("index/gen-1-2/meta.json", "{");
    let (code, stdout, stderr) = index(&env, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("5 added"), "{stdout}");
    assert!(!env.path().join("index/gen-1-2").exists());
}

#[test]
fn an_index_of_another_format_says_how_to_rebuild_and_index_rebuilds_it() {
    let env = TestEnv::indexed_seeds();
    let generation = generations(&env.path().join("index")).remove(0);
    let meta = env
        .path()
        .join("index")
        .join(&generation)
        .join("fundstelle.json");
    let text = fs::read_to_string(&meta).unwrap();
    let old = text.replace(
        &format!("\"schema_version\": {}", fundstelle::index::SCHEMA_VERSION),
        "\"schema_version\": 1",
    );
    assert_ne!(text, old, "{text}");
    fs::write(&meta, old).unwrap();

    let out = env.cmd().args(["search", "Ukraine"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("index format 1") && stderr.contains("`fundstelle index --rebuild`"),
        "{stderr}"
    );

    // Without PATHs, from what it was built from (read from its last
    // commit, which an index of another format still has).
    let (code, stdout, stderr) = index(&env, &[]);
    assert_eq!(code, 0);
    assert!(stdout.contains("5 added"), "{stdout}");
    assert!(stderr.contains("rebuilding the index"), "{stderr}");
    assert!(!env.hits(&["Ukraine"]).is_empty());
}

/// A damaged or missing file of the index: `search` names it and says to
/// rebuild; `index` rebuilds from the sources, to the hits of a clean build.
#[test]
fn a_damaged_index_is_named_by_search_and_rebuilt_by_index() {
    let clean = TestEnv::indexed_seeds();
    let expected = clean.hits(&["--sort", "score", "Ukraine OR Koalition"]);
    assert!(!expected.is_empty());
    // Each damage, and the file the message must name.
    type Damage = fn(&Path) -> String;
    let damages: [(&str, Damage); 4] = [
        ("a segment file removed", |generation| {
            let store = files_ending(generation, ".store").remove(0);
            fs::remove_file(generation.join(&store)).unwrap();
            store
        }),
        ("a segment file cut short", |generation| {
            let terms = files_ending(generation, ".term").remove(0);
            let file = fs::OpenOptions::new()
                .write(true)
                .open(generation.join(&terms))
                .unwrap();
            file.set_len(100).unwrap();
            terms
        }),
        ("tantivy's meta.json garbled", |generation| {
            fs::write(generation.join("meta.json"), "{kaputt").unwrap();
            "meta.json".into()
        }),
        ("tantivy's meta.json removed", |generation| {
            fs::remove_file(generation.join("meta.json")).unwrap();
            "meta.json".into()
        }),
    ];
    for (what, damage) in damages {
        let env = TestEnv::indexed_seeds();
        let root = env.path().join("index");
        let file = damage(&root.join(generations(&root).remove(0)));

        let out = env.cmd().args(["search", "Ukraine"]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{what}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("is damaged")
                && stderr.contains(&file)
                && stderr.contains("`fundstelle index --rebuild`"),
            "{what}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{what}: {stderr}");

        let (code, stdout, stderr) = index(&env, &["seeds"]);
        assert_eq!(code, 0, "{what}: {stderr}");
        assert!(
            stderr.contains("rebuilding the index") && stderr.contains(&file),
            "{what}: {stderr}"
        );
        assert!(!stderr.contains("--rebuild"), "{what}: {stderr}");
        assert!(stdout.contains("(new index)"), "{what}: {stdout}");
        assert_eq!(generations(&root).len(), 1, "{what}");
        assert_eq!(
            env.hits(&["--sort", "score", "Ukraine OR Koalition"]),
            expected,
            "{what}"
        );
    }
}

/// Damage inside a file, found only when a search reads it (stored
/// paragraphs that do not decompress): the error is followed by the advice
/// to rebuild.
#[test]
fn damage_found_while_searching_comes_with_the_advice_to_rebuild() {
    let env = TestEnv::indexed_seeds();
    let root = env.path().join("index");
    let generation = root.join(generations(&root).remove(0));
    let store = generation.join(files_ending(&generation, ".store").remove(0));
    let mut bytes = fs::read(&store).unwrap();
    assert!(bytes.len() > 4096, "{} bytes", bytes.len());
    // The footer (the last bytes) stays intact: the index still opens.
    for b in &mut bytes[64..4096] {
        *b ^= 0x5a;
    }
    fs::write(&store, bytes).unwrap();
    let out = env.cmd().args(["search", "Ukraine"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("the index may be damaged")
            && stderr.contains("`fundstelle index --rebuild`"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// Damage that makes tantivy panic instead of returning an error (postings
/// or columns that point past the end of their data): a search that reads
/// it and an update whose merge does say that the index is damaged and how
/// to rebuild, exit 2, with neither a panic message nor a backtrace; the
/// rebuild then gives the index of the seeds again.
#[test]
fn damage_that_makes_tantivy_panic_is_an_error_with_the_advice_to_rebuild() {
    for ext in [".idx", ".pos", ".fast"] {
        let env = TestEnv::indexed_seeds();
        let expected = dump(&env, "index");
        let root = env.path().join("index");
        let generation = root.join(generations(&root).remove(0));
        let file = generation.join(files_ending(&generation, ext).remove(0));
        let mut bytes = fs::read(&file).unwrap();
        // Everything but the header and the footer (where tantivy finds
        // its way into the file): the index still opens.
        let end = bytes.len().saturating_sub(256).max(bytes.len() / 4);
        for b in &mut bytes[64.min(end)..end] {
            *b ^= 0x5a;
        }
        fs::write(&file, bytes).unwrap();
        // (tantivy's own error for a stopped merge may say that its
        // thread panicked; Rust's report of a panic says where.)
        let quiet = |stderr: &str| {
            assert!(
                !stderr.contains("panicked at") && !stderr.contains("backtrace"),
                "{ext}: {stderr}"
            );
        };

        let out = env
            .cmd()
            .env("RUST_BACKTRACE", "1")
            .args(["search", "Ukraine"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        quiet(&stderr);
        // A term query reads no positions: a damaged .pos file may not
        // be noticed.
        match out.status.code() {
            Some(0) => assert_eq!(ext, ".pos", "{stderr}"),
            Some(2) => assert!(
                stderr.contains("rebuild it with `fundstelle index --rebuild`"),
                "{ext}: {stderr}"
            ),
            code => panic!("{ext}: exit {code:?}: {stderr}"),
        }

        // An update's merge reads every file of the segments it merges.
        env.write(
            "seeds/zz-neu.txt",
            "Neu\n\nDie Ukraine verlangt Sicherheitsgarantien.\n",
        );
        let (code, _, stderr) = index(&env, &["seeds"]);
        assert_eq!(code, 2, "{ext}: {stderr}");
        quiet(&stderr);
        assert!(
            stderr.contains("damaged") && stderr.contains("`fundstelle index --rebuild`"),
            "{ext}: {stderr}"
        );
        fs::remove_file(env.path().join("seeds/zz-neu.txt")).unwrap();
        let (code, _, stderr) = index(&env, &["--rebuild", "seeds"]);
        assert_eq!(code, 0, "{ext}: {stderr}");
        assert!(dump(&env, "index") == expected, "{ext}");
    }
}

/// Positions are decoded by the `bitpacking` crate, whose panic on a
/// damaged block is raised outside tantivy's files (the seeds' index is too
/// small to have such blocks): it is damage too, found by the stack.
#[test]
fn a_panic_in_a_crate_tantivy_decodes_with_is_damage_too() {
    let env = TestEnv::empty();
    let words = ["Regierung", "Bahn", "Auto", "Stadt", "Zeitung", "Schule"];
    for f in 0..40 {
        let mut text = format!("Titel Nummer {f}\n");
        for p in 0..60 {
            let tail: Vec<&str> = (0..12).map(|w| words[(f * 7 + p * 3 + w) % 6]).collect();
            text.push_str(&format!("\nDas Haus {} Wort{f}x{p}.\n", tail.join(" ")));
        }
        env.write(&format!("c/a{f:04}.txt"), text);
    }
    env.cmd().args(["index", "c"]).assert().success();
    let root = env.path().join("index");
    let generation = root.join(generations(&root).remove(0));
    let file = generation.join(files_ending(&generation, ".pos").remove(0));
    let mut bytes = fs::read(&file).unwrap();
    let end = bytes.len().saturating_sub(256).max(bytes.len() / 4);
    for b in &mut bytes[64.min(end)..end] {
        *b ^= 0x5a;
    }
    fs::write(&file, bytes).unwrap();
    let out = env
        .cmd()
        .env("RUST_BACKTRACE", "1")
        .args(["search", "\"Das Haus\""])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("the index is damaged")
            && stderr.contains("rebuild it with `fundstelle index --rebuild`"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("panicked at") && !stderr.contains("backtrace"),
        "{stderr}"
    );
}

/// The names of the files in `dir` ending with `suffix`.
fn files_ending(dir: &Path, suffix: &str) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(suffix))
        .collect();
    names.sort();
    assert!(!names.is_empty(), "no {suffix} file in {}", dir.display());
    names
}

/// Files with nothing to index (empty, binary) are read and reported on
/// every run, but a run that finds nothing else changed commits nothing:
/// tantivy's meta.json (its opstamp) stays as it was.
#[test]
fn files_with_nothing_to_index_do_not_make_a_commit() {
    let env = TestEnv::indexed_seeds();
    env.write("seeds/leer.txt", "");
    env.write("seeds/bild.txt", b"\x00\x01\x02PNG");
    let (code, _, stderr) = index(&env, &["seeds"]);
    assert_eq!(code, 2, "{stderr}");
    let root = env.path().join("index");
    let meta = root.join(generations(&root).remove(0)).join("meta.json");
    let before = fs::read(&meta).unwrap();
    let written = || fs::metadata(&meta).unwrap().modified().unwrap();
    let written_before = written();
    for _ in 0..2 {
        let (code, stdout, stderr) = index(&env, &["seeds"]);
        assert_eq!(code, 2, "{stderr}");
        assert!(
            stdout.contains("0 added, 0 updated, 0 removed, 5 unchanged"),
            "{stdout}"
        );
        assert!(stdout.contains("1 empty file"), "{stdout}");
        assert!(stderr.contains("bild.txt"), "{stderr}");
        assert_eq!(fs::read(&meta).unwrap(), before, "a commit was made");
        assert_eq!(written(), written_before, "a commit was made");
    }
    // A file that had paragraphs and now has none is a change.
    let first = seed_paths(&env).remove(0);
    fs::write(&first, "").unwrap();
    let (_, stdout, _) = index(&env, &["seeds"]);
    assert!(stdout.contains("1 removed"), "{stdout}");
    assert_ne!(written(), written_before);
}

#[test]
fn other_rules_mean_a_rebuild() {
    let env = TestEnv::indexed_seeds();
    let rules = env.write(
        "regeln.toml",
        "[[kind]]\nkind = \"boilerplate\"\npattern = '(?i)^moskau'\nreason = \"test\"\n",
    );
    let (code, stdout, stderr) = index(&env, &["--rules", rules.to_str().unwrap(), "seeds"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("rules changed"), "{stderr}");
    assert!(stdout.contains("(new index)"), "{stdout}");
    // Without PATHs (and without --rules), the index is updated with the
    // rules it was built with: nothing to rebuild, nothing changed.
    let (code, stdout, stderr) = index(&env, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("rules changed"), "{stderr}");
    assert!(stderr.contains("with the rules in"), "{stderr}");
    assert!(stdout.contains("5 unchanged"), "{stdout}");
    // Gone, the file is asked for, and nothing is rebuilt.
    fs::remove_file(&rules).unwrap();
    let (code, _, stderr) = index(&env, &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("give --rules FILE"), "{stderr}");
}

#[test]
fn a_second_index_run_while_one_holds_the_lock_exits_2_and_touches_nothing() {
    let env = TestEnv::indexed_seeds();
    let root = env.path().join("index");
    let before = generations(&root);
    let current = fs::read_to_string(root.join("CURRENT")).unwrap();
    // Hold the lock the way a running `fundstelle index` does.
    let lock = fs::File::options()
        .write(true)
        .open(root.join(".lock"))
        .unwrap();
    lock.try_lock().unwrap();

    env.write("seeds/neu.txt", "Ein neuer Artikel.\n");
    let (code, _, stderr) = index(&env, &["seeds"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("is being updated by another process"),
        "{stderr}"
    );
    assert_eq!(generations(&root), before);
    assert_eq!(fs::read_to_string(root.join("CURRENT")).unwrap(), current);
    // Searching is not blocked by the lock.
    assert!(!env.hits(&["Ukraine"]).is_empty());

    drop(lock);
    let (code, stdout, _) = index(&env, &["seeds"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("1 added"), "{stdout}");
}

/// A lock released a moment after a run starts (as a lock just dropped
/// can still be held by a process another thread is starting) is waited
/// for: the build lock of the folder and tantivy's lock on the generation.
#[test]
fn a_lock_held_for_a_moment_is_waited_for() {
    let env = TestEnv::indexed_seeds();
    let root = env.path().join("index");
    let current = fs::read_to_string(root.join("CURRENT")).unwrap();
    let generation = root.join(current.trim());
    for (i, lock_file) in [root.join(".lock"), generation.join(".tantivy-writer.lock")]
        .into_iter()
        .enumerate()
    {
        let lock = fs::File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_file)
            .unwrap();
        lock.try_lock().unwrap();
        let release = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(200));
            drop(lock);
        });
        env.write(&format!("seeds/neu{i}.txt"), "Ein neuer Artikel.\n");
        let (code, stdout, stderr) = index(&env, &["seeds"]);
        release.join().unwrap();
        assert_eq!(code, 0, "{}: {stderr}", lock_file.display());
        assert!(stdout.contains("1 added"), "{stdout}");
    }
}

#[test]
fn memory_and_threads_are_checked() {
    let env = TestEnv::with_seeds();
    let (code, _, stderr) = index(&env, &["--memory", "10", "seeds"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--memory"), "{stderr}");
    // The smallest budget works, with one indexing thread.
    let (code, _, stderr) = index(&env, &["--memory", "15", "-j", "3", "seeds"]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn a_folder_that_is_not_an_index_is_refused_and_left_as_it_was() {
    let env = TestEnv::with_seeds();
    // A user's files where the index would go, one of them in a folder
    // named like a generation (but not the way fundstelle names them), one
    // named exactly so but holding a subfolder (no tantivy index does).
    env.write("index/notes.txt", "Meine Notizen\n");
    env.write("index/gen-notes/a.txt", "Entwurf\n");
    env.write("index/gen-1-2/sub/b.txt", "Anhang\n");
    let (code, _, stderr) = index(&env, &["--index", "index", "seeds"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("is not empty and holds no fundstelle index")
            && stderr.contains("notes.txt")
            && stderr.contains("--index"),
        "{stderr}"
    );
    let root = env.path().join("index");
    let mut left: Vec<String> = fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["gen-1-2", "gen-notes", "notes.txt"]);
    assert!(root.join("gen-notes/a.txt").exists());
    assert!(root.join("gen-1-2/sub/b.txt").exists());

    // A file where the folder would go.
    env.write("afile", "x");
    let (code, _, stderr) = index(&env, &["--index", "afile", "seeds"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("afile is a file, not a folder"), "{stderr}");
    assert_eq!(fs::read_to_string(env.path().join("afile")).unwrap(), "x");
    let out = env
        .cmd()
        .args(["--index", "afile", "search", "Paris"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("afile is a file, not an index folder") && !stderr.contains("os error"),
        "{stderr}"
    );
}

#[test]
fn a_users_folders_inside_an_index_survive_rebuilds() {
    let env = TestEnv::indexed_seeds();
    env.write("index/gen-notes/a.txt", "Entwurf\n");
    env.write("index/gen-1-2/sub/b.txt", "Anhang\n");
    // Named like a generation and holding files only, but not an index's.
    env.write("index/gen-5-6/notizen.txt", "Termine\n");
    // What a killed build of fundstelle leaves: removed.
    env.write("index/gen-3-4/meta.json", "{");
    let (code, _, stderr) = index(&env, &["--rebuild", "seeds"]);
    assert_eq!(code, 0, "{stderr}");
    let root = env.path().join("index");
    assert!(root.join("gen-notes/a.txt").exists());
    assert!(root.join("gen-1-2/sub/b.txt").exists());
    assert!(root.join("gen-5-6/notizen.txt").exists());
    assert!(!root.join("gen-3-4").exists());
    // The index itself is one generation besides the user's three.
    assert_eq!(generations(&root).len(), 4, "{:?}", generations(&root));
}
