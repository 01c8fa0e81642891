//! Staging of the output: everything is written to a temporary file, which becomes the output
//! (renamed into place, or copied to stdout) only when the whole operation succeeded.

use std::fs::File;
use std::io::{BufWriter, Seek, Write};
use std::path::PathBuf;

use tempfile::NamedTempFile;

use crate::common::{io_reason, Failure};

/// Output that appears only on success: a temporary file renamed into place, or copied to
/// stdout.
pub(crate) struct Output {
    target: Option<PathBuf>,
    pub(super) writer: BufWriter<NamedTempFile>,
}

impl Output {
    pub(crate) fn create(name: &str) -> Result<Self, Failure> {
        let (target, temp) = if name == "-" {
            (None, NamedTempFile::new())
        } else {
            let path = PathBuf::from(name);
            let dir = match path.parent() {
                Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
                _ => PathBuf::from("."),
            };
            let temp = NamedTempFile::new_in(&dir);
            (Some(path), temp)
        };
        let temp = temp.map_err(|e| {
            Failure::usage(format!(
                "{name}: cannot create a temporary file: {}",
                io_reason(&e)
            ))
        })?;
        Ok(Output {
            target,
            writer: BufWriter::new(temp),
        })
    }

    pub(crate) fn write(&mut self, data: &[u8]) -> Result<(), Failure> {
        self.writer
            .write_all(data)
            .map_err(|e| Failure::usage(format!("writing the output: {}", io_reason(&e))))
    }

    /// Makes the output visible. Until this runs, dropping `self` deletes everything written.
    pub(crate) fn commit(self) -> Result<(), Failure> {
        let fail =
            |e: std::io::Error| Failure::usage(format!("writing the output: {}", io_reason(&e)));
        let mut temp = self.writer.into_inner().map_err(|e| fail(e.into_error()))?;
        match self.target {
            Some(path) => {
                temp.as_file_mut().sync_all().map_err(fail)?;
                temp.persist(&path).map_err(|e| {
                    Failure::usage(format!("{}: {}", path.display(), io_reason(&e.error)))
                })?;
            }
            None => {
                let file: &mut File = temp.as_file_mut();
                file.rewind().map_err(fail)?;
                let mut stdout = std::io::stdout().lock();
                std::io::copy(file, &mut stdout).map_err(fail)?;
                stdout.flush().map_err(fail)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_is_dropped_unless_committed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.bin");
        let mut output = Output::create(path.to_str().unwrap()).unwrap();
        output.write(b"secret").unwrap();
        drop(output);
        assert!(!path.exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        let mut output = Output::create(path.to_str().unwrap()).unwrap();
        output.write(b"kept").unwrap();
        output.commit().unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"kept");
    }
}
