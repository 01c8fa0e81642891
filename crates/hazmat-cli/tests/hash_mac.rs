//! `hazmat hash` and `hazmat mac` run as real processes, against GNU coreutils (`sha256sum`
//! and friends) and the `openssl` binary on the same files.

mod support;

use std::path::Path;
use std::process::Output;

use support::{assert_any_usage_error, run_in, stderr, stdout, HAZMAT};
use tempfile::TempDir;

/// The backends every command is run on.
/// The backends compiled into this build (the tests run each command on every one).
const BACKENDS: &[&str] = &[
    #[cfg(feature = "openssl")]
    "openssl",
    #[cfg(feature = "rust")]
    "rust",
];

/// The file names of [`fixture`], in the order `ls` would sort them (byte order).
const NAMES: [&str; 7] = [
    "back\\slash",
    "big.bin",
    "carriage\rreturn",
    "empty",
    "new\nline",
    "small.txt",
    "with space.txt",
];

/// Pairs of our algorithm name and the coreutils tool computing it.
const TOOLS: [(&str, &str); 7] = [
    ("sha256", "sha256sum"),
    ("sha1", "sha1sum"),
    ("sha224", "sha224sum"),
    ("sha384", "sha384sum"),
    ("sha512", "sha512sum"),
    ("md5", "md5sum"),
    ("blake2b", "b2sum"),
];

/// A directory of files: empty, small text, 1 MiB + a bit of varied bytes, and names with a
/// space, a backslash, a newline and a carriage return.
fn fixture() -> TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let big: Vec<u8> = (0..(1 << 20) + 12_345)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state.to_le_bytes()[3]
        })
        .collect();
    let contents: [&[u8]; 7] = [
        b"back slash\n",
        &big,
        b"carriage return\n",
        b"",
        b"new line\n",
        b"The quick brown fox jumps over the lazy dog\n",
        b"spaces\n",
    ];
    for (name, content) in NAMES.iter().zip(contents) {
        std::fs::write(dir.path().join(name), content).expect("a fixture file");
    }
    dir
}

/// `hazmat args` in `dir`, stdin empty.
fn hazmat(dir: &Path, args: &[&str]) -> Output {
    run_in(dir, HAZMAT, args, b"")
}

/// `hazmat --backend BACKEND args` in `dir`.
fn hazmat_on(backend: &str, dir: &Path, args: &[&str]) -> Output {
    let mut all = vec!["--backend", backend];
    all.extend_from_slice(args);
    hazmat(dir, &all)
}

/// `program args` in `dir` (a coreutils tool or `openssl`).
fn tool(dir: &Path, program: &str, args: &[&str]) -> Output {
    run_in(dir, program, args, b"")
}

/// The exit code.
fn code(out: &Output) -> i32 {
    out.status.code().expect("an exit code, not a signal")
}

/// Asserts success and returns stdout.
fn ok(out: &Output) -> Vec<u8> {
    assert_eq!(code(out), 0, "stderr: {}", stderr(out));
    out.stdout.clone()
}

/// A sum file in `dir` with `content`.
fn write(dir: &Path, name: &str, content: &[u8]) {
    std::fs::write(dir.join(name), content).expect("a file written");
}

/// `hazmat hash ALG FILE...` is byte for byte the coreutils tool's output, escapes included.
#[test]
fn output_is_byte_identical_to_coreutils() {
    let dir = fixture();
    for (alg, program) in TOOLS {
        let theirs = ok(&tool(dir.path(), program, &NAMES));
        for &backend in BACKENDS {
            let mut args = vec!["hash", alg];
            args.extend(NAMES);
            let ours = ok(&hazmat_on(backend, dir.path(), &args));
            assert_eq!(
                String::from_utf8_lossy(&ours),
                String::from_utf8_lossy(&theirs),
                "{alg} on {backend}"
            );
        }
    }
}

/// `--tag` is byte for byte the coreutils tool's `--tag`.
#[test]
fn tag_output_is_byte_identical_to_coreutils() {
    let dir = fixture();
    for (alg, program) in TOOLS {
        let mut theirs_args = vec!["--tag"];
        theirs_args.extend(NAMES);
        let theirs = ok(&tool(dir.path(), program, &theirs_args));
        for &backend in BACKENDS {
            let mut args = vec!["hash", alg, "--tag"];
            args.extend(NAMES);
            let ours = ok(&hazmat_on(backend, dir.path(), &args));
            assert_eq!(
                String::from_utf8_lossy(&ours),
                String::from_utf8_lossy(&theirs),
                "{alg} --tag on {backend}"
            );
        }
    }
}

/// `sha256sum -c` (and friends) accept our lists, both forms, and catch a changed file.
#[test]
fn coreutils_accepts_our_lists_and_flags_a_tampered_file() {
    for (alg, program) in TOOLS {
        let dir = fixture();
        for tag in [false, true] {
            let mut args = vec!["hash", alg];
            if tag {
                args.push("--tag");
            }
            args.extend(NAMES);
            write(dir.path(), "SUMS", &ok(&hazmat(dir.path(), &args)));
            let checked = tool(dir.path(), program, &["-c", "SUMS"]);
            ok(&checked);
            assert_eq!(stdout(&checked).matches(": OK\n").count(), NAMES.len());
        }
        write(
            dir.path(),
            "small.txt",
            b"The quick brown fox jumps over the lazy cat\n",
        );
        let checked = tool(dir.path(), program, &["-c", "SUMS"]);
        assert_eq!(code(&checked), 1, "{alg}");
        assert!(stdout(&checked).contains("small.txt: FAILED\n"));
    }
}

/// `hazmat hash -c` reads coreutils' text, `--binary` and `--tag` lists, from a file or stdin, and prints what `sha256sum -c` prints.
#[test]
fn we_accept_coreutils_lists_text_binary_and_tag() {
    let dir = fixture();
    for (alg, program) in TOOLS {
        for form in [None, Some("--binary"), Some("--tag")] {
            let mut args: Vec<&str> = form.into_iter().collect();
            args.extend(NAMES);
            write(dir.path(), "SUMS", &ok(&tool(dir.path(), program, &args)));
            let theirs = ok(&tool(dir.path(), program, &["-c", "SUMS"]));
            for &backend in BACKENDS {
                let ours = hazmat_on(backend, dir.path(), &["hash", alg, "-c", "SUMS"]);
                assert_eq!(
                    String::from_utf8_lossy(&ok(&ours)),
                    String::from_utf8_lossy(&theirs),
                    "{alg} {form:?} on {backend}"
                );
                assert_eq!(stdout(&ours).matches(": OK\n").count(), NAMES.len());
                // The list on standard input, and `--check` spelled out.
                let sums = std::fs::read(dir.path().join("SUMS")).expect("SUMS");
                let piped = run_in(
                    dir.path(),
                    HAZMAT,
                    &["--backend", backend, "hash", alg, "--check"],
                    &sums,
                );
                assert_eq!(ok(&piped), theirs);
            }
        }
    }
}

/// Changed and missing files, a malformed line, a comment, `--quiet`: stdout and stderr as `sha256sum -c`.
#[test]
fn check_reports_tampered_and_missing_files_like_coreutils() {
    let dir = fixture();
    let mut args = vec!["--tag"];
    args.extend(NAMES);
    let mut sums = ok(&tool(dir.path(), "sha256sum", &NAMES[..]));
    sums.extend(ok(&tool(dir.path(), "sha256sum", &args)));
    sums.extend_from_slice(b"not a checksum line\n# a comment\n\n");
    write(dir.path(), "SUMS", &sums);
    write(dir.path(), "small.txt", b"tampered\n");
    std::fs::remove_file(dir.path().join("empty")).expect("removed");

    for quiet in [false, true] {
        let q: &[&str] = if quiet { &["--quiet"] } else { &[] };
        let theirs = tool(dir.path(), "sha256sum", &[q, &["-c", "SUMS"]].concat());
        assert_eq!(code(&theirs), 1);
        for &backend in BACKENDS {
            let ours = hazmat_on(
                backend,
                dir.path(),
                &[q, &["hash", "sha256", "-c", "SUMS"]].concat(),
            );
            assert_eq!(code(&ours), 1, "{}", stderr(&ours));
            assert_eq!(stdout(&ours), stdout(&theirs), "quiet={quiet} on {backend}");
            assert_eq!(
                stderr(&ours),
                stderr(&theirs).replace("sha256sum: ", "hazmat: ")
            );
            let out = stdout(&ours);
            assert_eq!(out.matches("small.txt: FAILED\n").count(), 2);
            assert_eq!(out.matches("empty: FAILED open or read\n").count(), 2);
            assert_eq!(out.contains(": OK\n"), !quiet);
            let err = stderr(&ours);
            assert!(err.contains("hazmat: empty: No such file or directory\n"));
            assert!(err.contains("hazmat: WARNING: 1 line is improperly formatted\n"));
            assert!(err.contains("hazmat: WARNING: 2 listed files could not be read\n"));
            assert!(err.contains("hazmat: WARNING: 2 computed checksums did NOT match\n"));
        }
    }
}

/// A list without a usable line is exit 1 and coreutils' message; an unreadable list exit 2.
#[test]
fn check_of_garbage_finds_no_line() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    write(dir.path(), "SUMS", b"garbage\nmore garbage\n");
    let out = hazmat(dir.path(), &["hash", "sha256", "-c", "SUMS"]);
    assert_eq!(code(&out), 1);
    assert!(out.stdout.is_empty());
    assert_eq!(
        stderr(&out),
        "hazmat: SUMS: no properly formatted checksum lines found\n"
    );
    let piped = run_in(
        dir.path(),
        HAZMAT,
        &["hash", "sha256", "-c", "-"],
        b"garbage\n",
    );
    assert_eq!(code(&piped), 1);
    assert_eq!(
        stderr(&piped),
        "hazmat: 'standard input': no properly formatted checksum lines found\n"
    );
    // A sha1 list is not a sha256 list: wrong digest length, wrong tag.
    write(dir.path(), "f", b"x");
    write(
        dir.path(),
        "SUMS",
        &ok(&tool(dir.path(), "sha1sum", &["f"])),
    );
    assert_eq!(
        code(&hazmat(dir.path(), &["hash", "sha256", "-c", "SUMS"])),
        1
    );
    write(
        dir.path(),
        "SUMS",
        &ok(&tool(dir.path(), "sha1sum", &["--tag", "f"])),
    );
    assert_eq!(
        code(&hazmat(dir.path(), &["hash", "sha256", "-c", "SUMS"])),
        1
    );
    // A list that cannot be read is an input error.
    let missing = hazmat(dir.path(), &["hash", "sha256", "-c", "NOPE"]);
    assert_any_usage_error(&missing);
    assert_eq!(
        stderr(&missing),
        "hazmat: NOPE: No such file or directory\n"
    );
}

/// No FILE or `-` hashes standard input, named `-`.
#[test]
fn standard_input() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    for &backend in BACKENDS {
        for args in [&["hash", "sha256"][..], &["hash", "sha256", "-"]] {
            let mut all = vec!["--backend", backend];
            all.extend_from_slice(args);
            let out = run_in(dir.path(), HAZMAT, &all, b"abc");
            assert_eq!(stdout(&out), format!("{abc}  -\n"));
            assert_eq!(code(&out), 0);
        }
        let out = run_in(
            dir.path(),
            HAZMAT,
            &["--backend", backend, "hash", "sha256", "--tag"],
            b"abc",
        );
        assert_eq!(stdout(&out), format!("SHA256 (-) = {abc}\n"));
    }
}

/// An unreadable FILE is reported, the others hashed, exit 2.
#[test]
fn missing_inputs_are_reported_and_the_rest_hashed() {
    let dir = fixture();
    let out = hazmat(
        dir.path(),
        &["hash", "sha256", "small.txt", "nope", "empty"],
    );
    assert_eq!(code(&out), 2);
    assert_eq!(stderr(&out), "hazmat: nope: No such file or directory\n");
    let theirs = ok(&tool(dir.path(), "sha256sum", &["small.txt", "empty"]));
    assert_eq!(out.stdout, theirs);
}

/// The hex of `openssl dgst ... FILE` (`NAME(FILE)= HEX`).
fn openssl_hex(dir: &Path, args: &[&str]) -> String {
    let out = ok(&tool(dir, "openssl", args));
    let text = String::from_utf8(out).expect("UTF-8");
    text.trim_end()
        .rsplit_once("= ")
        .map(|(_, hex)| hex.to_owned())
        .unwrap_or_else(|| panic!("unexpected openssl output {text:?}"))
}

/// SHAKE with `--length` is `openssl dgst -shakeN -xoflen`; `--length` rules.
#[test]
fn shake_matches_openssl() {
    let dir = fixture();
    for (alg, length) in [
        ("shake256", 64),
        ("shake128", 16),
        ("shake256", 200),
        ("shake128", 1),
    ] {
        for file in ["small.txt", "big.bin", "empty"] {
            let xoflen = length.to_string();
            let expected = openssl_hex(
                dir.path(),
                &["dgst", &format!("-{alg}"), "-xoflen", &xoflen, file],
            );
            for &backend in BACKENDS {
                let ours = hazmat_on(
                    backend,
                    dir.path(),
                    &["hash", alg, "--length", &xoflen, file],
                );
                assert_eq!(
                    stdout(&ours),
                    format!("{expected}  {file}\n"),
                    "{alg} {length}"
                );
            }
        }
        // Our list checks back, the length taken from the hex.
        let xoflen = length.to_string();
        let list = ok(&hazmat(
            dir.path(),
            &["hash", alg, "--length", &xoflen, "small.txt"],
        ));
        write(dir.path(), "SUMS", &list);
        let checked = hazmat(dir.path(), &["hash", alg, "-c", "SUMS"]);
        assert_eq!(stdout(&checked), "small.txt: OK\n");
        let wrong_length = (length + 1).to_string();
        let checked = hazmat(
            dir.path(),
            &["hash", alg, "--length", &wrong_length, "-c", "SUMS"],
        );
        assert_eq!(code(&checked), 1);
    }
    assert_any_usage_error(&hazmat(dir.path(), &["hash", "shake256", "small.txt"]));
    assert_any_usage_error(&hazmat(
        dir.path(),
        &["hash", "shake128", "--length", "0", "small.txt"],
    ));
    assert_any_usage_error(&hazmat(
        dir.path(),
        &["hash", "sha256", "--length", "32", "small.txt"],
    ));
}

/// HMAC is `openssl dgst -mac HMAC` for keys shorter and longer than a block.
#[test]
fn hmac_matches_openssl() {
    let dir = fixture();
    for key_len in [1usize, 16, 32, 64, 65, 131] {
        let key: String = (0..key_len)
            .map(|i| format!("{:02x}", (i * 37 + 11) % 256))
            .collect();
        for alg in ["sha256", "sha1", "sha512", "sha3-256", "md5"] {
            for file in ["small.txt", "big.bin", "empty"] {
                let expected = openssl_hex(
                    dir.path(),
                    &[
                        "dgst",
                        &format!("-{alg}"),
                        "-mac",
                        "HMAC",
                        "-macopt",
                        &format!("hexkey:{key}"),
                        file,
                    ],
                );
                for &backend in BACKENDS {
                    let ours = hazmat_on(
                        backend,
                        dir.path(),
                        &["mac", "hmac", alg, "--key-hex", &key, file],
                    );
                    assert_eq!(
                        stdout(&ours),
                        format!("{expected}  {file}\n"),
                        "{alg} key {key_len} on {backend}"
                    );
                }
            }
        }
    }
}

/// `--key-file` equals `--key-hex`; `--verify` right, wrong, truncated, on stdin, misused.
#[test]
fn hmac_key_file_and_verify() {
    let dir = fixture();
    let key = b"a key file\n with bytes \x00\xff";
    write(dir.path(), "KEY", key);
    let key_hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
    let from_hex = ok(&hazmat(
        dir.path(),
        &[
            "mac",
            "hmac",
            "sha256",
            "--key-hex",
            &key_hex,
            "small.txt",
            "with space.txt",
        ],
    ));
    let from_file = ok(&hazmat(
        dir.path(),
        &[
            "mac",
            "hmac",
            "sha256",
            "--key-file",
            "KEY",
            "small.txt",
            "with space.txt",
        ],
    ));
    assert_eq!(from_hex, from_file);
    let text = String::from_utf8(from_file).expect("UTF-8");
    assert_eq!(text.lines().count(), 2);
    let tag = text.split_once("  ").expect("HEX  NAME").0;

    for &backend in BACKENDS {
        let right = hazmat_on(
            backend,
            dir.path(),
            &[
                "mac",
                "hmac",
                "sha256",
                "--key-file",
                "KEY",
                "small.txt",
                "--verify",
                tag,
            ],
        );
        assert_eq!(code(&right), 0, "{}", stderr(&right));
        assert_eq!(stdout(&right), "small.txt: OK\n");
        let quiet = hazmat_on(
            backend,
            dir.path(),
            &[
                "--quiet",
                "mac",
                "hmac",
                "sha256",
                "--key-file",
                "KEY",
                "small.txt",
                "--verify",
                tag,
            ],
        );
        assert_eq!(code(&quiet), 0);
        assert!(quiet.stdout.is_empty() && quiet.stderr.is_empty());

        let mut wrong_tag = tag.to_owned();
        wrong_tag.replace_range(0..1, if tag.starts_with('0') { "1" } else { "0" });
        for wrong in [wrong_tag.as_str(), &tag[..tag.len() - 2]] {
            let out = hazmat_on(
                backend,
                dir.path(),
                &[
                    "mac",
                    "hmac",
                    "sha256",
                    "--key-file",
                    "KEY",
                    "small.txt",
                    "--verify",
                    wrong,
                ],
            );
            assert_eq!(code(&out), 1);
            assert_eq!(stdout(&out), "small.txt: FAILED\n");
        }
        // The tag of the other file does not verify this one.
        let other = hazmat_on(
            backend,
            dir.path(),
            &[
                "mac",
                "hmac",
                "sha256",
                "--key-file",
                "KEY",
                "with space.txt",
                "--verify",
                tag,
            ],
        );
        assert_eq!(code(&other), 1);
    }
    // From standard input.
    let piped = run_in(
        dir.path(),
        HAZMAT,
        &[
            "mac",
            "hmac",
            "sha256",
            "--key-file",
            "KEY",
            "--verify",
            tag,
        ],
        b"The quick brown fox jumps over the lazy dog\n",
    );
    assert_eq!(stdout(&piped), "-: OK\n");
    // --verify takes exactly one input; its hex must be hex.
    assert_any_usage_error(&hazmat(
        dir.path(),
        &[
            "mac",
            "hmac",
            "sha256",
            "--key-file",
            "KEY",
            "small.txt",
            "empty",
            "--verify",
            tag,
        ],
    ));
    assert_any_usage_error(&hazmat(
        dir.path(),
        &[
            "mac",
            "hmac",
            "sha256",
            "--key-file",
            "KEY",
            "small.txt",
            "--verify",
            "xyz",
        ],
    ));
}

/// Key options exclusive and required, bad hex never echoed, XOF refused by the library.
#[test]
fn hmac_key_options_and_algorithms() {
    let dir = fixture();
    write(dir.path(), "KEY", b"k");
    let both = hazmat(
        dir.path(),
        &[
            "mac",
            "hmac",
            "sha256",
            "--key-hex",
            "00",
            "--key-file",
            "KEY",
            "small.txt",
        ],
    );
    assert_eq!(code(&both), 2);
    let neither = hazmat(dir.path(), &["mac", "hmac", "sha256", "small.txt"]);
    assert_eq!(code(&neither), 2);
    for (bad, secret) in [
        ("s3cr3tpassw0rd!", "s3cr3tpassw0rd!"),
        (
            "00112233445566778899aabbccddeef",
            "00112233445566778899aabbccddeef",
        ),
        ("deadbeefcafebabeZZ", "deadbeefcafebabe"),
    ] {
        let out = hazmat(
            dir.path(),
            &["mac", "hmac", "sha256", "--key-hex", bad, "small.txt"],
        );
        assert_any_usage_error(&out);
        assert!(!stderr(&out).contains(secret), "{}", stderr(&out));
        assert!(out.stdout.is_empty());
    }
    let missing_key = hazmat(
        dir.path(),
        &["mac", "hmac", "sha256", "--key-file", "NOKEY", "small.txt"],
    );
    assert_any_usage_error(&missing_key);
    for xof in ["shake128", "shake256"] {
        let out = hazmat(
            dir.path(),
            &["mac", "hmac", xof, "--key-hex", "00", "small.txt"],
        );
        assert_any_usage_error(&out);
        assert!(
            stderr(&out).starts_with("hazmat: unsupported MAC: "),
            "{}",
            stderr(&out)
        );
        assert!(out.stdout.is_empty());
    }
    let unknown = hazmat(
        dir.path(),
        &["mac", "hmac", "whirlpool", "--key-hex", "00", "small.txt"],
    );
    assert_any_usage_error(&unknown);
    // A missing input among others: reported, the others printed, exit 2.
    let out = hazmat(
        dir.path(),
        &[
            "mac",
            "hmac",
            "sha256",
            "--key-file",
            "KEY",
            "small.txt",
            "nope",
        ],
    );
    assert_eq!(code(&out), 2);
    assert_eq!(stderr(&out), "hazmat: nope: No such file or directory\n");
    assert!(stdout(&out).ends_with("  small.txt\n"));
}

/// Every command prints the same on the OpenSSL and the pure-Rust backend.
#[test]
fn backends_give_identical_output() {
    let dir = fixture();
    let names: Vec<&str> = NAMES.to_vec();
    write(dir.path(), "KEY", b"0123456789");
    let sums = ok(&hazmat(
        dir.path(),
        &[&["hash", "sha3-256"][..], &names].concat(),
    ));
    write(dir.path(), "SUMS", &sums);
    let mut commands: Vec<Vec<&str>> = Vec::new();
    for alg in [
        "sha1",
        "sha224",
        "sha256",
        "sha384",
        "sha512",
        "sha512-224",
        "sha512-256",
        "sha3-224",
        "sha3-256",
        "sha3-384",
        "sha3-512",
        "blake2b",
        "blake2s",
        "md5",
        "ripemd160",
        "sm3",
    ] {
        commands.push([&["hash", alg][..], &names].concat());
        commands.push([&["hash", alg, "--tag"][..], &names].concat());
        commands.push([&["mac", "hmac", alg, "--key-file", "KEY"][..], &names].concat());
    }
    for alg in ["shake128", "shake256"] {
        commands.push([&["hash", alg, "--length", "48"][..], &names].concat());
    }
    commands.push(vec!["hash", "sha3-256", "-c", "SUMS"]);
    for command in &commands {
        let outputs: Vec<_> = BACKENDS
            .iter()
            .map(|b| hazmat_on(b, dir.path(), command))
            .collect();
        for out in &outputs {
            assert_eq!(code(out), 0, "{command:?}: {}", stderr(out));
            assert_eq!(out.stdout, outputs[0].stdout, "{command:?}");
        }
    }
}

/// Bad usage is exit 2 without a panic; our own errors are one line.
#[test]
fn bad_usage_is_exit_2_without_panic() {
    let dir = fixture();
    let unknown = hazmat(dir.path(), &["hash", "whirlpool", "small.txt"]);
    assert_any_usage_error(&unknown);
    assert!(stderr(&unknown).contains("whirlpool"));
    for args in [
        &["hash", "sha256", "--frobnicate", "small.txt"][..],
        &["hash"],
        &["hash", "sha256", "--tag", "-c", "small.txt"],
        &["mac", "hmac", "sha256", "--key-hex", "00", "--bogus"],
        &["mac", "cmac"],
    ] {
        let out = hazmat(dir.path(), args);
        assert_eq!(code(&out), 2, "{args:?}");
        let err = stderr(&out);
        assert!(
            !err.contains("panicked") && !err.contains("backtrace"),
            "{err}"
        );
        assert!(out.stdout.is_empty());
    }
}

/// clap prints its own errors over several lines (`error: ...`, usage, a hint); one line
/// needs `lib.rs` to print them itself.
#[test]
fn unknown_flag_is_one_line() {
    let dir = fixture();
    assert_any_usage_error(&hazmat(
        dir.path(),
        &["hash", "sha256", "--frobnicate", "small.txt"],
    ));
    assert_any_usage_error(&hazmat(
        dir.path(),
        &[
            "mac",
            "hmac",
            "sha256",
            "--key-hex",
            "00",
            "--key-file",
            "K",
        ],
    ));
}

/// Where a MAC is served: every compiled-in backend, and the default.
fn mac_backends() -> Vec<&'static str> {
    let mut all = vec!["default"];
    all.extend_from_slice(BACKENDS);
    all
}

/// A backend that lacks a MAC says so: exit 2, one line naming it unsupported.
fn unsupported_mac(out: &Output) -> bool {
    code(out) == 2 && stderr(out).starts_with("hazmat: unsupported MAC: ")
}

/// The hex `openssl mac` prints (uppercase, maybe no newline), lowercased.
fn openssl_mac(dir: &Path, args: &[&str]) -> String {
    let out = ok(&tool(dir, "openssl", args));
    String::from_utf8(out)
        .expect("UTF-8")
        .trim()
        .to_ascii_lowercase()
}

/// CMAC is `openssl mac -cipher X-CBC -macopt hexkey:.. CMAC` for every block cipher OpenSSL
/// has, on every backend that serves it; the default serves them all.
#[test]
fn cmac_matches_openssl() {
    let dir = fixture();
    let cases: &[(&str, &str, usize)] = &[
        ("aes", "AES-128-CBC", 16),
        ("aes", "AES-192-CBC", 24),
        ("aes-256", "AES-256-CBC", 32),
        ("AES-128-CBC", "AES-128-CBC", 16),
        ("camellia", "CAMELLIA-128-CBC", 16),
        ("camellia-256", "CAMELLIA-256-CBC", 32),
        ("3des", "DES-EDE3-CBC", 24),
        ("des-ede3", "DES-EDE3-CBC", 24),
        ("sm4", "SM4-CBC", 16),
    ];
    for &(ours, theirs, key_len) in cases {
        let key: String = (0..key_len)
            .map(|i| format!("{:02x}", (i * 29 + 3) % 256))
            .collect();
        for file in ["small.txt", "big.bin", "empty"] {
            let expected = openssl_mac(
                dir.path(),
                &[
                    "mac",
                    "-cipher",
                    theirs,
                    "-macopt",
                    &format!("hexkey:{key}"),
                    "-in",
                    file,
                    "CMAC",
                ],
            );
            for backend in mac_backends() {
                let out = hazmat_on(
                    backend,
                    dir.path(),
                    &["mac", "cmac", "--cipher", ours, "--key-hex", &key, file],
                );
                if backend != "default" && unsupported_mac(&out) {
                    continue;
                }
                assert_eq!(
                    String::from_utf8(ok(&out)).expect("UTF-8"),
                    format!("{expected}  {file}\n"),
                    "{ours} on {backend}"
                );
            }
        }
    }
}

/// RFC 4493, section 4: AES-128 CMAC of the empty string and of 16, 40 and 64 bytes.
#[test]
fn cmac_rfc4493_examples() {
    let dir = fixture();
    let message = hex_bytes(
        "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51\
         30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710",
    );
    let key = "2b7e151628aed2a6abf7158809cf4f3c";
    for (len, tag) in [
        (0, "bb1d6929e95937287fa37d129b756746"),
        (16, "070a16b46b4d4144f79bdd9dd04a287c"),
        (40, "dfa66747de9ae63030ca32611497c827"),
        (64, "51f0bebf7e3b9d92fc49741779363cfe"),
    ] {
        write(dir.path(), "m", &message[..len]);
        for backend in mac_backends() {
            let out = hazmat_on(
                backend,
                dir.path(),
                &["mac", "cmac", "--cipher", "aes", "--key-hex", key, "m"],
            );
            if backend != "default" && unsupported_mac(&out) {
                continue;
            }
            assert_eq!(stdout(&out), format!("{tag}  m\n"), "{len} on {backend}");
            let verified = hazmat_on(
                backend,
                dir.path(),
                &[
                    "mac",
                    "cmac",
                    "--cipher",
                    "aes",
                    "--key-hex",
                    key,
                    "m",
                    "--verify",
                    tag,
                ],
            );
            assert_eq!(stdout(&verified), "m: OK\n", "{len} on {backend}");
        }
    }
}

fn hex_bytes(hex: &str) -> Vec<u8> {
    hex::decode(hex).expect("hex")
}

/// RFC 8439, section 2.5.2, and `openssl mac ... POLY1305` on files of every size.
#[test]
fn poly1305_matches_rfc8439_and_openssl() {
    let dir = fixture();
    let key = "85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b";
    write(dir.path(), "rfc", b"Cryptographic Forum Research Group");
    let expected_rfc = "a8061dc1305136c6c22b8baf0c0127a9";
    for backend in mac_backends() {
        let out = hazmat_on(
            backend,
            dir.path(),
            &["mac", "poly1305", "--key-hex", key, "rfc"],
        );
        if backend != "default" && unsupported_mac(&out) {
            continue;
        }
        assert_eq!(stdout(&out), format!("{expected_rfc}  rfc\n"), "{backend}");
        for file in ["small.txt", "big.bin", "empty"] {
            let expected = openssl_mac(
                dir.path(),
                &[
                    "mac",
                    "-macopt",
                    &format!("hexkey:{key}"),
                    "-in",
                    file,
                    "POLY1305",
                ],
            );
            let out = hazmat_on(
                backend,
                dir.path(),
                &["mac", "poly1305", "--key-hex", key, file],
            );
            assert_eq!(stdout(&out), format!("{expected}  {file}\n"), "{backend}");
        }
    }
}

/// `--verify` for CMAC and Poly1305: right, wrong, truncated, quiet, from stdin; a key file
/// equals the same key in hex.
#[test]
fn cmac_and_poly1305_verify() {
    let dir = fixture();
    let key: Vec<u8> = (0..32u8)
        .map(|i| i.wrapping_mul(53).wrapping_add(7))
        .collect();
    write(dir.path(), "KEY", &key);
    let key_hex = hex::encode(&key);
    for mac in [&["cmac", "--cipher", "aes"][..], &["poly1305"]] {
        let with = |extra: &[&str]| -> Vec<String> {
            let mut args = vec!["mac".to_owned()];
            args.extend(mac.iter().map(|s| (*s).to_owned()));
            args.extend(extra.iter().map(|s| (*s).to_owned()));
            args
        };
        let run = |backend: &str, extra: &[&str]| {
            let args = with(extra);
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            hazmat_on(backend, dir.path(), &args)
        };
        let from_hex = ok(&run("default", &["--key-hex", &key_hex, "small.txt"]));
        let from_file = ok(&run("default", &["--key-file", "KEY", "small.txt"]));
        assert_eq!(from_hex, from_file);
        let text = String::from_utf8(from_file).expect("UTF-8");
        let tag = text.split_once("  ").expect("HEX  NAME").0.to_owned();
        assert_eq!(tag.len(), 32, "{mac:?}: a 16-byte tag");

        for backend in mac_backends() {
            let right = run(
                backend,
                &["--key-file", "KEY", "small.txt", "--verify", &tag],
            );
            if backend != "default" && unsupported_mac(&right) {
                continue;
            }
            assert_eq!(stdout(&right), "small.txt: OK\n", "{mac:?} {backend}");
            assert_eq!(code(&right), 0);
            let quiet = run(
                backend,
                &[
                    "--quiet",
                    "--key-file",
                    "KEY",
                    "small.txt",
                    "--verify",
                    &tag,
                ],
            );
            assert_eq!(code(&quiet), 0);
            assert!(quiet.stdout.is_empty() && quiet.stderr.is_empty());
            let mut flipped = tag.clone();
            flipped.replace_range(31..32, if tag.ends_with('0') { "1" } else { "0" });
            for wrong in [flipped.as_str(), &tag[..30], ""] {
                let out = run(
                    backend,
                    &["--key-file", "KEY", "small.txt", "--verify", wrong],
                );
                assert_eq!(code(&out), 1, "{mac:?} {backend} {wrong:?}");
                assert_eq!(stdout(&out), "small.txt: FAILED\n");
                assert!(out.stderr.is_empty(), "{}", stderr(&out));
            }
        }
        let args = with(&["--key-file", "KEY", "--verify", &tag]);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let piped = run_in(
            dir.path(),
            HAZMAT,
            &args,
            b"The quick brown fox jumps over the lazy dog\n",
        );
        assert_eq!(stdout(&piped), "-: OK\n", "{mac:?}");
        assert_any_usage_error(&run(
            "default",
            &["--key-file", "KEY", "small.txt", "empty", "--verify", &tag],
        ));
    }
}

/// CMAC and Poly1305 usage errors: exit 2, one line, no key echoed, nothing on stdout.
#[test]
fn cmac_and_poly1305_usage_errors() {
    let dir = fixture();
    let key16 = "000102030405060708090a0b0c0d0e0f";
    let key32 = &format!("{key16}{key16}");
    for (args, needle) in [
        (
            &[
                "mac",
                "cmac",
                "--cipher",
                "aes-256",
                "--key-hex",
                key16,
                "small.txt",
            ][..],
            "32-byte key",
        ),
        (
            &[
                "mac",
                "cmac",
                "--cipher",
                "aes",
                "--key-hex",
                "0011",
                "small.txt",
            ],
            "key",
        ),
        (
            &[
                "mac",
                "cmac",
                "--cipher",
                "whirlpool",
                "--key-hex",
                key16,
                "small.txt",
            ],
            "unknown block cipher",
        ),
        (
            &[
                "mac",
                "cmac",
                "--cipher",
                "chacha20",
                "--key-hex",
                key32,
                "small.txt",
            ],
            "unknown block cipher",
        ),
        (
            &["mac", "cmac", "--key-hex", key16, "small.txt"],
            "--cipher",
        ),
        (
            &["mac", "poly1305", "--key-hex", key16, "small.txt"],
            "32 bytes",
        ),
        (
            &["mac", "poly1305", "--key-hex", key32, "small.txt", "empty"],
            "one-time",
        ),
        (&["mac", "poly1305", "small.txt"], "key"),
        (
            &["mac", "poly1305", "--key-hex", "0g", "small.txt"],
            "--key-hex",
        ),
    ] {
        let out = hazmat(dir.path(), args);
        assert_any_usage_error(&out);
        assert!(stderr(&out).contains(needle), "{args:?}: {}", stderr(&out));
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(!stderr(&out).contains(key16), "{args:?}: key echoed");
    }
    // A missing input among others is reported and the rest still printed.
    let out = hazmat(
        dir.path(),
        &[
            "mac",
            "cmac",
            "--cipher",
            "aes",
            "--key-hex",
            key16,
            "small.txt",
            "nope",
        ],
    );
    assert_eq!(code(&out), 2);
    assert_eq!(stderr(&out), "hazmat: nope: No such file or directory\n");
    assert!(stdout(&out).ends_with("  small.txt\n"));
}
