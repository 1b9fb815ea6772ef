//! An index whose files are damaged or missing: told apart from other
//! failures to read it (permissions, resources), because it has one
//! remedy, a rebuild. `search` says so; `index` rebuilds from the sources
//! (the damaged index stays in use until the new one is complete).

use std::io::ErrorKind;
use std::path::Path;

use tantivy::TantivyError;
use tantivy::directory::error::OpenReadError;

/// What to do about an index that cannot be read.
pub const REBUILD_HINT: &str = "rebuild it with `fundstelle index --rebuild`";

/// What is wrong with the index, when `err` says its files are damaged,
/// missing or of another tantivy format; `None` for other failures.
pub(crate) fn damage(err: &TantivyError) -> Option<String> {
    let file = |path: &Path| {
        path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    };
    match err {
        TantivyError::OpenReadError(OpenReadError::FileDoesNotExist(path)) => {
            Some(format!("its file {} is missing", file(path)))
        }
        TantivyError::OpenReadError(OpenReadError::IoError { io_error, filepath })
            if matches!(
                io_error.kind(),
                ErrorKind::InvalidData | ErrorKind::UnexpectedEof
            ) =>
        {
            Some(format!(
                "its file {} is damaged ({io_error})",
                file(filepath)
            ))
        }
        TantivyError::OpenReadError(OpenReadError::IncompatibleIndex(what))
        | TantivyError::IncompatibleIndex(what) => Some(format!(
            "it was written by another tantivy version ({what:?})"
        )),
        TantivyError::DataCorruption(what) => Some(format!("{what:?}")),
        _ => None,
    }
}

/// The error for an index at `root` that tantivy could not read.
pub(crate) fn read_error(root: &Path, err: TantivyError) -> anyhow::Error {
    match damage(&err) {
        Some(what) => anyhow::anyhow!(
            "the index at {} is damaged: {what}; {REBUILD_HINT}",
            root.display()
        ),
        None => {
            anyhow::Error::new(err).context(format!("cannot read the index at {}", root.display()))
        }
    }
}

/// `message` without the advice to rebuild, for a run that rebuilds.
pub(crate) fn without_hint(message: &str) -> String {
    message.replace(&format!("; {REBUILD_HINT}"), "")
}
