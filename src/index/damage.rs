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

/// The advice to rebuild for an error that tantivy raised while reading
/// the index (a block that does not decompress, a file it cannot read):
/// damage found only when a search reaches it. `None` when the error says
/// so already or is of another kind.
pub fn advice(err: &anyhow::Error) -> Option<String> {
    if format!("{err:#}").contains(REBUILD_HINT) {
        return None;
    }
    // A full disk, a read-only folder or missing permissions are not
    // damage, and a rebuild would not help.
    let not_damage = |e: &std::io::Error| {
        matches!(
            e.kind(),
            ErrorKind::StorageFull
                | ErrorKind::QuotaExceeded
                | ErrorKind::PermissionDenied
                | ErrorKind::ReadOnlyFilesystem
                | ErrorKind::OutOfMemory
                | ErrorKind::Interrupted
        )
    };
    err.chain()
        .filter_map(|cause| cause.downcast_ref::<TantivyError>())
        .any(|e| match e {
            TantivyError::IoError(io) => !not_damage(io),
            TantivyError::OpenReadError(OpenReadError::IoError { io_error, .. }) => {
                !not_damage(io_error)
            }
            TantivyError::DataCorruption(_) | TantivyError::OpenReadError(_) => true,
            _ => false,
        })
        .then(|| format!("the index may be damaged; {REBUILD_HINT}"))
}

/// True when `err` comes from a full disk or an exceeded quota.
pub(crate) fn disk_full(err: &anyhow::Error) -> bool {
    fn full(e: &std::io::Error) -> bool {
        matches!(e.kind(), ErrorKind::StorageFull | ErrorKind::QuotaExceeded)
            || names_full(&e.to_string())
    }
    // tantivy passes some I/O errors on as text.
    fn names_full(text: &str) -> bool {
        #[cfg(unix)]
        {
            [libc::ENOSPC, libc::EDQUOT]
                .iter()
                .any(|code| text.contains(&format!("(os error {code})")))
        }
        #[cfg(not(unix))]
        {
            let _ = text;
            false
        }
    }
    err.chain().any(|cause| {
        if let Some(e) = cause.downcast_ref::<std::io::Error>() {
            return full(e);
        }
        match cause.downcast_ref::<TantivyError>() {
            Some(TantivyError::IoError(e)) => full(e),
            Some(other) => names_full(&other.to_string()),
            None => false,
        }
    })
}

/// `message` without the advice to rebuild, for a run that rebuilds.
pub(crate) fn without_hint(message: &str) -> String {
    message.replace(&format!("; {REBUILD_HINT}"), "")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io;
    use std::sync::Arc;

    fn tantivy_io(kind: ErrorKind) -> anyhow::Error {
        anyhow::Error::new(TantivyError::IoError(Arc::new(io::Error::new(kind, "x"))))
            .context("cannot search")
    }

    /// Damage found while reading is advised a rebuild; a full disk, a
    /// read-only folder, errors that say so already, and errors that are
    /// not tantivy's are not.
    #[test]
    fn only_a_full_disk_makes_a_failed_merge_a_warning() {
        use std::io::{Error, ErrorKind};
        use std::sync::Arc;
        let io = |e: Error| anyhow::Error::new(tantivy::TantivyError::IoError(Arc::new(e)));
        assert!(disk_full(&anyhow::Error::new(Error::from(
            ErrorKind::StorageFull
        ))));
        assert!(disk_full(&io(Error::from_raw_os_error(libc::ENOSPC))));
        assert!(disk_full(&io(Error::from_raw_os_error(libc::EDQUOT))));
        // As tantivy passes a failed commit on, with context around it.
        let text = format!("{}", Error::from_raw_os_error(libc::ENOSPC));
        let internal = anyhow::Error::new(tantivy::TantivyError::InternalError(text))
            .context("cannot merge the index");
        assert!(disk_full(&internal));
        // A damaged segment panics tantivy's merge thread: an error.
        let panicked = tantivy::TantivyError::ErrorInThread("Merge thread panicked".into());
        assert!(!disk_full(&anyhow::Error::new(panicked)));
        assert!(!disk_full(&io(Error::from(ErrorKind::PermissionDenied))));
        assert!(!disk_full(&io(Error::from_raw_os_error(libc::EIO))));
    }

    #[test]
    fn advice_is_for_damage_only() {
        assert!(advice(&tantivy_io(ErrorKind::Other)).is_some());
        assert!(advice(&tantivy_io(ErrorKind::InvalidData)).is_some());
        for kind in [
            ErrorKind::StorageFull,
            ErrorKind::PermissionDenied,
            ErrorKind::ReadOnlyFilesystem,
        ] {
            assert!(advice(&tantivy_io(kind)).is_none(), "{kind:?}");
        }
        let missing = TantivyError::OpenReadError(OpenReadError::FileDoesNotExist("a.idx".into()));
        assert!(advice(&anyhow::Error::new(missing.clone())).is_some());
        let hinted = read_error(Path::new("index"), missing);
        assert!(advice(&hinted).is_none());
        assert!(advice(&anyhow::Error::new(io::Error::other("not tantivy"))).is_none());
    }
}
