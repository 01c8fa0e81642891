//! Writing key files. A private key goes to a temporary file created in the target's
//! directory with mode 0600 (tempfile opens it with `OpenOptions::mode(0o600)` on unix), is
//! written and synced, and only then renamed into place, so a partly written key never
//! appears and no other user can read it at any moment; an existing file is never replaced
//! unless `--force` (and the no-clobber rename refuses a file that appeared meanwhile). A
//! public key goes the same way with mode 0644 (less the umask), replacing any file.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::common::{io_reason, write_stdout, Failure};

/// Who may read the file written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Secrecy {
    /// Mode 0600, and an existing file is kept unless forced.
    Private,
    /// Mode 0644 less the umask; an existing file is replaced.
    Public,
}

/// Refuses, before any work, to write a private key over an existing `path` without `force`.
pub(crate) fn check_target(path: &str, secrecy: Secrecy, force: bool) -> Result<(), Failure> {
    if path != "-" && secrecy == Secrecy::Private && !force && Path::new(path).exists() {
        return Err(exists(path));
    }
    Ok(())
}

fn exists(path: &str) -> Failure {
    Failure::usage(format!(
        "{path} already exists: a key file is not overwritten without --force"
    ))
}

/// Writes `bytes` to `path` (`-`: stdout) as described in the module documentation.
pub(crate) fn write_file(
    path: &str,
    bytes: &[u8],
    secrecy: Secrecy,
    force: bool,
) -> Result<(), Failure> {
    if path == "-" {
        return write_stdout(bytes);
    }
    check_target(path, secrecy, force)?;
    let target = PathBuf::from(path);
    let dir = match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let fail = |e: std::io::Error| Failure::usage(format!("{path}: {}", io_reason(&e)));
    let mut builder = tempfile::Builder::new();
    builder.prefix(".hazmat-key-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = match secrecy {
            Secrecy::Private => 0o600,
            Secrecy::Public => 0o644,
        };
        builder.permissions(std::fs::Permissions::from_mode(mode));
    }
    let mut temp = builder.tempfile_in(&dir).map_err(|e| {
        Failure::usage(format!(
            "{path}: cannot create a temporary file: {}",
            io_reason(&e)
        ))
    })?;
    temp.write_all(bytes)
        .and_then(|()| temp.as_file().sync_all())
        .map_err(fail)?;
    let persisted = if secrecy == Secrecy::Private && !force {
        temp.persist_noclobber(&target)
    } else {
        temp.persist(&target)
    };
    match persisted {
        Ok(_) => Ok(()),
        Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => Err(exists(path)),
        Err(e) => Err(fail(e.error)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_files_are_0600_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("key.pem");
        let name = path.to_str().unwrap();
        write_file(name, b"one", Secrecy::Private, false).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let refused = write_file(name, b"two", Secrecy::Private, false).unwrap_err();
        assert!(refused.message.contains("--force"), "{}", refused.message);
        assert_eq!(std::fs::read(&path).unwrap(), b"one");
        write_file(name, b"three", Secrecy::Private, true).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"three");
        write_file(name, b"four", Secrecy::Public, false).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"four");
        // No temporary file is left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
