//! Replacing a file so that a failed write leaves the old one intact.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Distinguishes the temporary files of concurrent writes within one process.
static COUNTER: AtomicU64 = AtomicU64::new(0);

/// Writes `path` atomically: `write` fills a temporary file in the same folder, which is
/// flushed to disk and then renamed over `path`. Readers see the old file or the new one,
/// never a part; when `write` fails (a full disk, a serialization error), the old file is
/// left as it was and the temporary file is removed.
///
/// A `path` that exists and is not a regular file (`/dev/null`, a named pipe) is written in
/// place: it cannot be replaced by a rename. An existing file's permissions are kept.
///
/// # Errors
/// The first I/O error of creating, writing, flushing or renaming, or the error of `write`.
///
/// # Examples
/// ```
/// use std::io::Write;
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("out.csv");
/// linmod_models::persist::write_atomically(&path, |w| w.write_all(b"a\n1\n"))?;
/// // a write that fails halfway leaves the old contents
/// let failed = linmod_models::persist::write_atomically(&path, |w| {
///     w.write_all(b"b\n")?;
///     Err(std::io::Error::other("disk full"))
/// });
/// assert!(failed.is_err());
/// assert_eq!(std::fs::read_to_string(&path)?, "a\n1\n");
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let existing = fs::metadata(path).ok();
    if existing.as_ref().is_some_and(|m| !m.is_file()) {
        let mut out = BufWriter::new(OpenOptions::new().write(true).open(path)?);
        write(&mut out)?;
        return out.flush();
    }
    let (tmp, file) = create_temporary(path)?;
    let result = fill(file, write, existing.as_ref()).and_then(|()| fs::rename(&tmp, path));
    if result.is_err() {
        // best effort: the error that matters is the one returned
        let _ = fs::remove_file(&tmp);
    }
    result
}

fn fill(
    file: File,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    existing: Option<&fs::Metadata>,
) -> io::Result<()> {
    let mut out = BufWriter::new(file);
    write(&mut out)?;
    let file = out.into_inner().map_err(io::IntoInnerError::into_error)?;
    if let Some(meta) = existing {
        file.set_permissions(meta.permissions())?;
    }
    file.sync_all()
}

/// A new file `.NAME.PID.COUNT.tmp` beside `path`.
fn create_temporary(path: &Path) -> io::Result<(PathBuf, File)> {
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "the path names no file"))?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(
            ".{}.{}.{n}.tmp",
            name.to_string_lossy(),
            std::process::id()
        ));
        match OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(file) => return Ok((tmp, file)),
            // left behind by a process that was killed: take the next number
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// A writer that fails after `budget` bytes, like a disk that fills up.
    struct FailingAfter<'a> {
        inner: &'a mut dyn Write,
        budget: usize,
    }

    impl Write for FailingAfter<'_> {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.budget == 0 {
                return Err(io::Error::new(io::ErrorKind::StorageFull, "no space left"));
            }
            let n = buf.len().min(self.budget);
            self.budget -= n;
            self.inner.write(&buf[..n])
        }

        fn flush(&mut self) -> io::Result<()> {
            self.inner.flush()
        }
    }

    #[test]
    fn a_write_that_fails_halfway_leaves_the_old_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("model.json");
        fs::write(&path, "old model").unwrap();
        let new = vec![b'x'; 100_000];
        let err = write_atomically(&path, |w| {
            let mut failing = FailingAfter {
                inner: w,
                budget: 50_000,
            };
            failing.write_all(&new)
        })
        .unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::StorageFull);
        assert_eq!(fs::read_to_string(&path).unwrap(), "old model");
        assert_eq!(files_in(dir.path()), vec!["model.json"]);
        write_atomically(&path, |w| w.write_all(&new)).unwrap();
        assert_eq!(fs::read(&path).unwrap(), new);
        assert_eq!(files_in(dir.path()), vec!["model.json"]);
    }

    #[test]
    fn a_missing_folder_is_an_error_and_devices_are_written_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let err = write_atomically(&dir.path().join("no/such/file"), |w| w.write_all(b"x"));
        assert_eq!(err.unwrap_err().kind(), io::ErrorKind::NotFound);
        #[cfg(unix)]
        write_atomically(Path::new("/dev/null"), |w| w.write_all(b"x")).unwrap();
    }
}
