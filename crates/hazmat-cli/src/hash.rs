//! `hazmat hash`: digests in the coreutils `sha256sum` formats, and `-c` verification.
//!
//! The line formats live in [`crate::checksum`]; this module streams the inputs through the
//! library's [`Hash`] on the chosen backend and keeps coreutils' counting and messages.

use std::io::Write;
use std::sync::Arc;

use clap::Args;
use pluggable_crypto::hazmat::backends::Backend;
use pluggable_crypto::hazmat::primitives::hashes::{algorithm_by_name, Hash, HashAlgorithm};

use crate::checksum::{
    format_line, format_status_line, format_tag_line, parse_line, tag_for, tag_matches, LineError,
    LineFormat, SumLine,
};
use crate::common::{io_reason, Failure, Input, Options};

/// Arguments of `hazmat hash`.
#[derive(Args)]
#[command(after_help = "\
Output is byte-for-byte that of coreutils `sha256sum` (`HEX  NAME`, `-` for standard input; a \
name holding `\\`, a newline or a carriage return is escaped and its line starts with `\\`). \
--tag writes BSD lines, `TAG (NAME) = HEX`, with coreutils' tag (SHA256, MD5, BLAKE2b, ...) or \
else the uppercase name.

--check reads lists in any of those forms (also `HEX *NAME`, and `TAG(NAME)= HEX` as written \
by `openssl dgst`), prints `NAME: OK`, `NAME: FAILED` or `NAME: FAILED open or read` per line \
(--quiet: no OK lines) and coreutils' warnings on stderr.

Exit status: 0 success; 1 with --check, a digest did not match, a listed file could not be \
read, or a list had no properly formatted line; 2 usage error, or an input that could not be \
read (a FILE, or with --check a list). Unreadable FILEs are reported and the others still \
processed; coreutils exits 1 there, hazmat 2, as for any input error.")]
pub(crate) struct HashArgs {
    /// The hash: sha1, sha224, sha256, sha384, sha512, sha512-224, sha512-256, sha3-224,
    /// sha3-256, sha3-384, sha3-512, shake128, shake256 (need --length), blake2b, blake2s,
    /// md5, ripemd160, sm3.
    #[arg(value_name = "ALG")]
    algorithm: String,

    /// The files to hash (with --check: the checksum lists to verify); none or `-` is
    /// standard input.
    #[arg(value_name = "FILE")]
    files: Vec<String>,

    /// Read checksum lists from the FILEs and verify them.
    #[arg(short = 'c', long)]
    check: bool,

    /// Print BSD-style lines, `TAG (NAME) = HEX`.
    #[arg(long, conflicts_with = "check")]
    tag: bool,

    /// The output length in bytes of shake128/shake256 (required for them, refused for
    /// the fixed-size hashes). With --check, optional: by default each line's hex length.
    #[arg(long, value_name = "BYTES")]
    length: Option<usize>,
}

/// The algorithm of a run: one fixed algorithm, or SHAKE whose length each checksum line
/// gives.
enum Algorithm {
    /// A fixed-size hash, or SHAKE with `--length`.
    Fixed(Arc<dyn HashAlgorithm>),
    /// SHAKE under `--check` without `--length` (an instance of some length: its name).
    XofPerLine(Arc<dyn HashAlgorithm>),
}

impl Algorithm {
    /// Resolves the command-line name (and `--length`); SHAKE without `--length` is
    /// [`Algorithm::XofPerLine`], which only `--check` accepts.
    fn resolve(args: &HashArgs) -> Result<Self, Failure> {
        match algorithm_by_name(&args.algorithm, args.length) {
            Ok(algorithm) => Ok(Algorithm::Fixed(algorithm)),
            Err(error) => match algorithm_by_name(&args.algorithm, Some(1)) {
                Ok(xof) if xof.is_xof() && args.length.is_none() => Ok(Algorithm::XofPerLine(xof)),
                _ => Err(error.into()),
            },
        }
    }

    /// The library name.
    fn name(&self) -> &'static str {
        match self {
            Algorithm::Fixed(algorithm) | Algorithm::XofPerLine(algorithm) => algorithm.name(),
        }
    }

    /// An instance to ask the backend about.
    fn probe(&self) -> Arc<dyn HashAlgorithm> {
        match self {
            Algorithm::Fixed(algorithm) | Algorithm::XofPerLine(algorithm) => algorithm.clone(),
        }
    }

    /// The algorithm for a checksum line whose digest is `digest_len` bytes; `None` if that
    /// length is wrong for it.
    fn for_digest(&self, digest_len: usize) -> Option<Arc<dyn HashAlgorithm>> {
        match self {
            Algorithm::Fixed(algorithm) => {
                (algorithm.digest_size() == digest_len).then(|| algorithm.clone())
            }
            Algorithm::XofPerLine(xof) => algorithm_by_name(xof.name(), Some(digest_len)).ok(),
        }
    }
}

/// Runs `hazmat hash`.
pub(crate) fn run(args: &HashArgs, options: &Options) -> Result<(), Failure> {
    let algorithm = Algorithm::resolve(args)?;
    if let (Algorithm::XofPerLine(xof), false) = (&algorithm, args.check) {
        return Err(Failure::usage(format!(
            "{} is an extendable-output function: give --length BYTES",
            xof.name()
        )));
    }
    let backend = options.backend()?;
    // Refuse an algorithm the backend lacks before any output.
    Hash::from_shared(algorithm.probe(), backend.clone())?;
    let files: Vec<&str> = if args.files.is_empty() {
        vec!["-"]
    } else {
        args.files.iter().map(String::as_str).collect()
    };
    match &algorithm {
        Algorithm::Fixed(fixed) if !args.check => {
            hash_files(&files, fixed, args.tag, &backend, options)
        }
        _ => check(&files, &algorithm, &backend, options),
    }
}

/// The digest of one input (a file name or `-`) with `algorithm` on `backend`.
pub(crate) fn digest_of(
    name: &str,
    algorithm: &Arc<dyn HashAlgorithm>,
    backend: &Arc<dyn Backend>,
    quiet: bool,
) -> Result<Vec<u8>, Failure> {
    let input = Input::open(name)?;
    let mut hash = Hash::from_shared(algorithm.clone(), backend.clone())?;
    input.for_each_chunk(quiet, |chunk| hash.update(chunk).map_err(Failure::from))?;
    Ok(hash.finalize()?)
}

/// Writes one line (and its line break) to standard output.
pub(crate) fn print_line(out: &mut impl Write, line: &str) -> Result<(), Failure> {
    out.write_all(line.as_bytes())
        .and_then(|()| out.write_all(b"\n"))
        .map_err(|e| {
            Failure::usage(format!(
                "cannot write to standard output: {}",
                io_reason(&e)
            ))
        })
}

/// Reports a failure on stderr, `hazmat: MESSAGE`, and goes on.
pub(crate) fn report(failure: &Failure) {
    if !failure.message.is_empty() {
        // Nothing better to do if stderr itself is gone.
        let _ = writeln!(std::io::stderr(), "hazmat: {}", failure.message);
    }
}

/// The failure once every input was tried and some could not be read: exit 2, the messages
/// already printed.
pub(crate) fn inputs_failed() -> Failure {
    Failure {
        code: 2,
        message: String::new(),
    }
}

/// `hazmat hash ALG [FILE...]`: one line per input, unreadable inputs reported and skipped.
fn hash_files(
    files: &[&str],
    algorithm: &Arc<dyn HashAlgorithm>,
    tag: bool,
    backend: &Arc<dyn Backend>,
    options: &Options,
) -> Result<(), Failure> {
    let tag_name = tag_for(algorithm.name());
    let mut out = std::io::stdout().lock();
    let mut failed = false;
    for &name in files {
        match digest_of(name, algorithm, backend, options.quiet) {
            Ok(digest) => {
                let line = if tag {
                    format_tag_line(&tag_name, &digest, name)
                } else {
                    format_line(&digest, name)
                };
                print_line(&mut out, &line)?;
            }
            Err(failure) => {
                report(&failure);
                failed = true;
            }
        }
    }
    if failed {
        Err(inputs_failed())
    } else {
        Ok(())
    }
}

/// What one checksum list gave.
#[derive(Default)]
struct Tally {
    /// Lines that parsed, with the right tag and digest length.
    formatted: u64,
    /// Lines that did not (blank lines and comments excepted).
    misformatted: u64,
    /// Listed files that could not be read.
    unreadable: u64,
    /// Listed files whose digest did not match.
    mismatched: u64,
    /// Standard output failed: stop everything with this.
    write_error: Option<Failure>,
}

/// `hazmat hash ALG -c [LIST...]`: every list verified; exit 2 if a list could not be read,
/// else 1 if anything failed.
fn check(
    lists: &[&str],
    algorithm: &Algorithm,
    backend: &Arc<dyn Backend>,
    options: &Options,
) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    let mut input_error = false;
    let mut verification_failed = false;
    for &list in lists {
        let mut tally = Tally::default();
        let listed = check_list(list, algorithm, backend, options, &mut out, &mut tally);
        if let Some(failure) = tally.write_error {
            return Err(failure);
        }
        if let Err(failure) = listed {
            report(&failure);
            input_error = true;
            continue;
        }
        if tally.formatted == 0 {
            let shown = if list == "-" {
                "'standard input'"
            } else {
                list
            };
            report(&Failure::verification(format!(
                "{shown}: no properly formatted checksum lines found"
            )));
            verification_failed = true;
            continue;
        }
        let warn = |count: u64, one: &str, many: &str| {
            if count > 0 {
                let what = if count == 1 { one } else { many };
                report(&Failure::verification(format!("WARNING: {count} {what}")));
            }
        };
        warn(
            tally.misformatted,
            "line is improperly formatted",
            "lines are improperly formatted",
        );
        warn(
            tally.unreadable,
            "listed file could not be read",
            "listed files could not be read",
        );
        warn(
            tally.mismatched,
            "computed checksum did NOT match",
            "computed checksums did NOT match",
        );
        verification_failed |= tally.unreadable > 0 || tally.mismatched > 0;
    }
    if input_error {
        Err(inputs_failed())
    } else if verification_failed {
        Err(Failure {
            code: 1,
            message: String::new(),
        })
    } else {
        Ok(())
    }
}

/// Streams one checksum list line by line, checking each line as it comes.
fn check_list(
    list: &str,
    algorithm: &Algorithm,
    backend: &Arc<dyn Backend>,
    options: &Options,
    out: &mut impl Write,
    tally: &mut Tally,
) -> Result<(), Failure> {
    let from_stdin = list == "-";
    let mut pending: Vec<u8> = Vec::new();
    let mut line_checker = |line: &[u8], tally: &mut Tally| -> Result<(), Failure> {
        let parsed = std::str::from_utf8(line)
            .map_err(|_| LineError::Malformed("not UTF-8"))
            .and_then(parse_line);
        match parsed {
            Err(LineError::Ignored) => Ok(()),
            Err(LineError::Malformed(_)) => {
                tally.misformatted += 1;
                Ok(())
            }
            Ok(line) => check_line(&line, from_stdin, algorithm, backend, options, out, tally),
        }
    };
    // The list itself gets no progress bar: the files it names may show theirs.
    Input::open(list)?.for_each_chunk(true, |chunk| {
        pending.extend_from_slice(chunk);
        let mut start = 0;
        while let Some(end) = pending[start..].iter().position(|&b| b == b'\n') {
            let line_end = start + end + 1;
            line_checker(&pending[start..line_end], tally)?;
            start = line_end;
        }
        pending.drain(..start);
        Ok(())
    })?;
    if !pending.is_empty() {
        line_checker(&pending, tally)?;
    }
    Ok(())
}

/// Checks one parsed line: tag and length, then the file's digest.
fn check_line(
    line: &SumLine,
    from_stdin: bool,
    algorithm: &Algorithm,
    backend: &Arc<dyn Backend>,
    options: &Options,
    out: &mut impl Write,
    tally: &mut Tally,
) -> Result<(), Failure> {
    let tag_ok = match &line.format {
        LineFormat::Tag(tag) => tag_matches(algorithm.name(), tag),
        LineFormat::Text | LineFormat::Binary => true,
    };
    // Like coreutils, a list read from stdin cannot name stdin.
    let usable = tag_ok && !(from_stdin && line.name == "-");
    let Some(line_algorithm) = algorithm.for_digest(line.digest.len()).filter(|_| usable) else {
        tally.misformatted += 1;
        return Ok(());
    };
    tally.formatted += 1;
    let status = match digest_of(&line.name, &line_algorithm, backend, options.quiet) {
        Ok(digest) if digest == line.digest => {
            if options.quiet {
                return Ok(());
            }
            "OK"
        }
        Ok(_) => {
            tally.mismatched += 1;
            "FAILED"
        }
        Err(failure) => {
            report(&failure);
            tally.unreadable += 1;
            "FAILED open or read"
        }
    };
    print_line(out, &format_status_line(&line.name, status)).map_err(|failure| {
        tally.write_error = Some(failure);
        // Stops the list; `check` reports the write error itself.
        inputs_failed()
    })
}
