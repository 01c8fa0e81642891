//! `hazmat genkey`, `key public|convert|show|fingerprint`, `sign`, `verify`, `derive` and RSA-OAEP
//! `encrypt`/`decrypt --rsa-oaep`, run as real processes and compared with the `openssl` and
//! `ssh-keygen` binaries: generated and converted keys load in `openssl pkey -check` and
//! `ssh-keygen -y`; fingerprints are byte for byte `ssh-keygen -l`'s; RSA PKCS #1 v1.5
//! signatures are byte for byte `openssl dgst -sign`'s and every other signature verifies both
//! ways; shared secrets equal `openssl pkeyutl -derive`'s; RSA-OAEP round-trips with `openssl
//! pkeyutl` both ways. Key files are mode 0600 and never overwritten without --force; bad
//! input exits 2 and a bad signature 1, with one line on stderr.

mod support;

use std::path::Path;
use std::process::{Command, Output};

use support::{
    assert_one_line_failure, assert_usage_error, data, default_openssl_rust, flip, hazmat, stderr,
    stdout, tool_available, Dir,
};

fn openssl_available() -> bool {
    tool_available("openssl", &["version"])
}

fn ssh_keygen_available() -> bool {
    tool_available("ssh-keygen", &["-?"])
}

/// `hazmat args`, which must succeed; its stdout.
fn ok(args: &[&str]) -> Vec<u8> {
    let out = hazmat(args);
    assert!(out.status.success(), "hazmat {args:?}: {}", stderr(&out));
    out.stdout
}

/// `hazmat args` as text.
fn ok_text(args: &[&str]) -> String {
    String::from_utf8(ok(args)).expect("utf-8")
}

/// `program args`, which must succeed; its output.
fn tool(program: &str, args: &[&str]) -> Output {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// `openssl args`, which must succeed; its stdout.
fn openssl(args: &[&str]) -> Vec<u8> {
    tool("openssl", args).stdout
}

/// `ssh-keygen args`, which must succeed; its stdout as text.
fn ssh_keygen(args: &[&str]) -> String {
    String::from_utf8(tool("ssh-keygen", args).stdout).expect("utf-8")
}

fn read(path: &str) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn read_text(path: &str) -> String {
    String::from_utf8(read(path)).expect("utf-8")
}

#[cfg(unix)]
fn mode(path: &str) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .expect("metadata")
        .permissions()
        .mode()
        & 0o777
}

#[cfg(not(unix))]
fn mode(_path: &str) -> u32 {
    0o600
}

/// Asserts `openssl pkey -check` accepts the private key file (`password`: its password file).
fn assert_openssl_checks(path: &str, der: bool, password: Option<&str>) {
    let mut args = vec!["pkey", "-check", "-noout", "-in", path];
    if der {
        args.extend(["-inform", "DER"]);
    }
    let passin;
    if let Some(file) = password {
        passin = format!("file:{file}");
        args.extend(["-passin", &passin]);
    }
    let out = Command::new("openssl")
        .args(&args)
        .output()
        .expect("openssl runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && text.contains("valid"),
        "openssl pkey -check {path}: {text} {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `openssl pkey -pubout` of a private key file: its SPKI PEM.
fn openssl_public(path: &str, password: Option<&str>) -> Vec<u8> {
    let mut args = vec!["pkey", "-in", path, "-pubout"];
    let passin;
    if let Some(file) = password {
        passin = format!("file:{file}");
        args.extend(["-passin", &passin]);
    }
    openssl(&args)
}

/// The OpenSSH public key line of a private key file, as `ssh-keygen -y` prints it.
fn ssh_keygen_public(path: &str, passphrase: Option<&str>) -> String {
    let mut args = vec!["-y", "-f", path];
    if let Some(p) = passphrase {
        args.extend(["-P", p]);
    }
    ssh_keygen(&args)
}

/// The key types genkey offers: (algorithm, openssl can check it, formats it takes).
const ALGORITHMS: &[(&str, &[&str])] = &[
    ("rsa:2048", &["pkcs8", "traditional", "openssh"]),
    ("ec:p256", &["pkcs8", "traditional", "openssh"]),
    ("ec:p384", &["pkcs8", "traditional", "openssh"]),
    ("ec:p521", &["pkcs8", "traditional", "openssh"]),
    ("ec:secp256k1", &["pkcs8", "traditional"]),
    ("ec:brainpoolP256r1", &["pkcs8", "traditional"]),
    ("ed25519", &["pkcs8", "openssh"]),
    ("ed448", &["pkcs8"]),
    ("x25519", &["pkcs8"]),
    ("x448", &["pkcs8"]),
];

/// The `type:` line `key show` prints for a private key made by `genkey algorithm`.
fn show_type(algorithm: &str) -> &'static str {
    match algorithm.split(':').next() {
        Some("rsa") => "type: RSA private key",
        Some("ec") => "type: EC private key",
        Some("dsa") => "type: DSA private key",
        Some("ed25519") => "type: Ed25519 private key",
        Some("ed448") => "type: Ed448 private key",
        Some("x25519") => "type: X25519 private key",
        _ => "type: X448 private key",
    }
}

/// The `format:` line of a genkey output.
fn show_format(format: &str, encrypted: bool) -> String {
    let base = match format {
        "pkcs8" => "PKCS#8 PEM",
        "traditional" => "traditional OpenSSL PEM",
        _ => "OpenSSH",
    };
    if encrypted {
        format!("format: {base} (encrypted)")
    } else {
        format!("format: {base}")
    }
}

/// Every algorithm in every format it takes, with and without a password: the file is mode
/// 0600, `key show` describes it, `openssl pkey -check` accepts the PEM ones (with the password
/// through `-passin file:`, the newline after it removed on both sides), `ssh-keygen -y` reads
/// the OpenSSH ones; the public key is the one openssl derives.
#[test]
fn genkey_every_algorithm_and_format_with_and_without_password() {
    let (openssl_ok, ssh_ok) = (openssl_available(), ssh_keygen_available());
    let dir = Dir::new();
    let password = dir.file("pw", b"correct horse\n");
    let mut made = 0;
    for &(algorithm, formats) in ALGORITHMS {
        for &format in formats {
            for encrypted in [false, true] {
                let name = format!("{}-{format}-{encrypted}", algorithm.replace(':', "_"));
                let path = dir.path(&name);
                let mut args = vec!["genkey", algorithm, "--format", format, "-o", &path];
                if encrypted {
                    args.extend(["--password-file", &password]);
                }
                ok(&args);
                made += 1;
                assert_eq!(mode(&path), 0o600, "{name}");
                let mut show = vec!["key", "show", &path];
                if encrypted {
                    show.extend(["--password-file", &password]);
                }
                let shown = ok_text(&show);
                let lines: Vec<&str> = shown.lines().collect();
                assert_eq!(lines[0], show_type(algorithm), "{name}");
                assert_eq!(
                    lines.last().copied(),
                    Some(show_format(format, encrypted).as_str()),
                    "{name}"
                );
                if format == "openssh" {
                    if ssh_ok {
                        let theirs = ssh_keygen_public(&path, encrypted.then_some("correct horse"));
                        let mut public = vec!["key", "public", &path, "--format", "openssh"];
                        if encrypted {
                            public.extend(["--password-file", &password]);
                        }
                        let ours = ok_text(&public);
                        assert_eq!(theirs, ours, "{name}");
                    }
                } else if openssl_ok {
                    let pw = encrypted.then_some(password.as_str());
                    assert_openssl_checks(&path, false, pw);
                    let mut public = vec!["key", "public", &path];
                    if encrypted {
                        public.extend(["--password-file", &password]);
                    }
                    assert_eq!(ok(&public), openssl_public(&path, pw), "{name}");
                }
            }
        }
    }
    assert!(made >= 30, "only {made} keys");
}

/// DSA parameters take seconds to generate: one key, traditional and encrypted, then converted.
#[test]
fn genkey_dsa_in_both_formats() {
    let dir = Dir::new();
    let password = dir.file("pw", b"dsa pass");
    let key = dir.path("dsa.pem");
    ok(&[
        "genkey",
        "dsa:2048",
        "--format",
        "traditional",
        "--password-file",
        &password,
        "-o",
        &key,
    ]);
    assert_eq!(mode(&key), 0o600);
    assert_eq!(
        ok_text(&["key", "show", "--password-file", &password, &key]),
        "type: DSA private key\nsize: 2048 bits\nformat: traditional OpenSSL PEM (encrypted)\n"
    );
    let pkcs8 = dir.path("dsa8.pem");
    ok(&[
        "key",
        "convert",
        &key,
        "--password-file",
        &password,
        "--format",
        "pkcs8",
        "-o",
        &pkcs8,
    ]);
    assert!(read_text(&pkcs8).starts_with("-----BEGIN PRIVATE KEY-----"));
    if openssl_available() {
        assert_openssl_checks(&key, false, Some(&password));
        assert_openssl_checks(&pkcs8, false, None);
    }
    // DSA signatures, both ways with openssl.
    if openssl_available() {
        let file = dir.file("msg", &data(100_000));
        let public = dir.path("dsa.pub");
        ok(&["key", "public", &pkcs8, "-o", &public]);
        let sig = dir.path("sig");
        ok(&["sign", "--key", &pkcs8, &file, "-o", &sig]);
        openssl(&[
            "dgst",
            "-sha256",
            "-verify",
            &public,
            "-signature",
            &sig,
            &file,
        ]);
        let theirs = dir.path("theirs");
        openssl(&["dgst", "-sha256", "-sign", &pkcs8, "-out", &theirs, &file]);
        ok(&["verify", "--key", &public, "--signature", &theirs, &file]);
        flip(&file, 10);
        let out = hazmat(&["verify", "--key", &public, "--signature", &theirs, &file]);
        assert_eq!(out.status.code(), Some(1));
    }
}

/// Without -o the key goes to stdout; an existing file is refused without --force (exit 2, the
/// file untouched, no stray temporary file), replaced with it (and mode 0600 again).
#[test]
fn genkey_writes_stdout_and_never_overwrites_without_force() {
    let dir = Dir::new();
    let pem = ok_text(&["genkey", "ed25519"]);
    assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----\n"), "{pem}");
    let path = dir.file("key.pem", b"precious");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    let out = hazmat(&["genkey", "ed25519", "-o", &path]);
    assert_usage_error(&out, "--force");
    assert!(stderr(&out).contains("already exists"));
    assert_eq!(read(&path), b"precious");
    assert_eq!(dir.names(), ["key.pem"]);
    ok(&["genkey", "ed25519", "-o", &path, "--force"]);
    assert!(read_text(&path).starts_with("-----BEGIN PRIVATE KEY-----"));
    assert_eq!(mode(&path), 0o600);
    assert_eq!(dir.names(), ["key.pem"]);
    // key convert: private outputs keep the rule, public outputs replace.
    let out = hazmat(&["key", "convert", &path, "--format", "pkcs8", "-o", &path]);
    assert_usage_error(&out, "--force");
    let public = dir.file("pub.pem", b"old");
    ok(&["key", "convert", &path, "--format", "spki", "-o", &public]);
    assert!(read_text(&public).starts_with("-----BEGIN PUBLIC KEY-----"));
    ok(&["key", "public", &path, "-o", &public]);
    assert_eq!(dir.names(), ["key.pem", "pub.pem"]);
}

/// Unknown algorithms, sizes and curves, and formats that do not hold a key type, are usage
/// errors; nothing is written.
#[test]
fn genkey_refuses_what_it_cannot_make() {
    let dir = Dir::new();
    let out = dir.path("k");
    for (args, needle) in [
        (vec!["genkey", "rsa:1024", "-o", &out], "2048 to 16384"),
        (vec!["genkey", "rsa:32768", "-o", &out], "2048 to 16384"),
        (vec!["genkey", "ec:p999", "-o", &out], "unknown curve"),
        (vec!["genkey", "dsa:1000", "-o", &out], "DSA"),
        (vec!["genkey", "elgamal", "-o", &out], "unknown algorithm"),
        (
            vec!["genkey", "ed25519", "--format", "traditional", "-o", &out],
            "use pkcs8",
        ),
        (
            vec!["genkey", "x25519", "--format", "openssh", "-o", &out],
            "use pkcs8",
        ),
        (
            vec!["genkey", "ec:secp256k1", "--format", "openssh", "-o", &out],
            "secp256k1",
        ),
        (
            vec![
                "genkey",
                "ed25519",
                "--password-file",
                "/no/such",
                "-o",
                &out,
            ],
            "No such file",
        ),
    ] {
        assert_usage_error(&hazmat(&args), needle);
    }
    let empty = dir.file("empty", b"\n");
    assert_usage_error(
        &hazmat(&["genkey", "ed25519", "--password-file", &empty, "-o", &out]),
        "empty",
    );
    assert_eq!(dir.names(), ["empty"]);
}

/// `key show` of files made by openssl and ssh-keygen in every format: stable lines.
#[test]
fn key_show_describes_every_format() {
    if !openssl_available() || !ssh_keygen_available() {
        return;
    }
    let dir = Dir::new();
    let pw = dir.file("pw", b"pass\n");
    let rsa = dir.path("rsa.pem");
    openssl(&[
        "genpkey",
        "-algorithm",
        "RSA",
        "-pkeyopt",
        "rsa_keygen_bits:2048",
        "-out",
        &rsa,
    ]);
    let ec = dir.path("ec.pem");
    openssl(&[
        "genpkey",
        "-algorithm",
        "EC",
        "-pkeyopt",
        "ec_paramgen_curve:P-384",
        "-out",
        &ec,
    ]);
    let p = |name: &str| dir.path(name);
    let rsa_show = "type: RSA private key\nsize: 2048 bits\n";
    let ec_show = "type: EC private key\ncurve: secp384r1\nsize: 384 bits\n";
    let ec_pub = "type: EC public key\ncurve: secp384r1\nsize: 384 bits\n";
    openssl(&["pkey", "-in", &rsa, "-traditional", "-out", &p("rsa.trad")]);
    openssl(&[
        "pkey",
        "-in",
        &rsa,
        "-traditional",
        "-aes256",
        "-passout",
        "pass:pass",
        "-out",
        &p("rsa.trad.enc"),
    ]);
    openssl(&[
        "pkcs8",
        "-topk8",
        "-nocrypt",
        "-in",
        &ec,
        "-outform",
        "DER",
        "-out",
        &p("ec.der"),
    ]);
    openssl(&[
        "pkcs8",
        "-topk8",
        "-in",
        &ec,
        "-v2",
        "aes-256-cbc",
        "-passout",
        "pass:pass",
        "-out",
        &p("ec.p8.enc"),
    ]);
    openssl(&[
        "pkcs8",
        "-topk8",
        "-in",
        &ec,
        "-v2",
        "aes-128-cbc",
        "-passout",
        "pass:pass",
        "-outform",
        "DER",
        "-out",
        &p("ec.p8.enc.der"),
    ]);
    openssl(&["pkey", "-in", &ec, "-pubout", "-out", &p("ec.pub")]);
    openssl(&[
        "pkey",
        "-in",
        &ec,
        "-pubout",
        "-outform",
        "DER",
        "-out",
        &p("ec.pub.der"),
    ]);
    openssl(&[
        "rsa",
        "-in",
        &rsa,
        "-RSAPublicKey_out",
        "-out",
        &p("rsa.pkcs1"),
    ]);
    openssl(&[
        "ec",
        "-in",
        &ec,
        "-outform",
        "DER",
        "-out",
        &p("ec.trad.der"),
    ]);
    ssh_keygen(&[
        "-q",
        "-t",
        "ed25519",
        "-N",
        "",
        "-C",
        "me",
        "-f",
        &p("id_ed25519"),
    ]);
    ssh_keygen(&[
        "-q",
        "-t",
        "ed25519",
        "-N",
        "pass",
        "-C",
        "me",
        "-f",
        &p("id_enc"),
    ]);
    let cases: Vec<(String, bool, String)> = vec![
        (
            rsa.clone(),
            false,
            format!("{rsa_show}format: PKCS#8 PEM\n"),
        ),
        (
            p("rsa.trad"),
            false,
            format!("{rsa_show}format: traditional OpenSSL PEM\n"),
        ),
        (
            p("rsa.trad.enc"),
            true,
            format!("{rsa_show}format: traditional OpenSSL PEM (encrypted)\n"),
        ),
        (p("ec.der"), false, format!("{ec_show}format: PKCS#8 DER\n")),
        (
            p("ec.trad.der"),
            false,
            format!("{ec_show}format: traditional OpenSSL DER\n"),
        ),
        (
            p("ec.p8.enc"),
            true,
            format!("{ec_show}format: PKCS#8 PEM (encrypted)\n"),
        ),
        (
            p("ec.p8.enc.der"),
            true,
            format!("{ec_show}format: PKCS#8 DER (encrypted)\n"),
        ),
        (p("ec.pub"), false, format!("{ec_pub}format: SPKI PEM\n")),
        (
            p("ec.pub.der"),
            false,
            format!("{ec_pub}format: SPKI DER\n"),
        ),
        (
            p("rsa.pkcs1"),
            false,
            "type: RSA public key\nsize: 2048 bits\nformat: PKCS#1 PEM\n".into(),
        ),
        (
            p("id_ed25519"),
            false,
            "type: Ed25519 private key\nsize: 256 bits\nformat: OpenSSH\n".into(),
        ),
        (
            p("id_enc"),
            true,
            "type: Ed25519 private key\nsize: 256 bits\nformat: OpenSSH (encrypted)\n".into(),
        ),
        (
            p("id_ed25519.pub"),
            false,
            "type: Ed25519 public key\nsize: 256 bits\nformat: OpenSSH public key\n".into(),
        ),
    ];
    for (path, encrypted, expected) in &cases {
        let mut args = vec!["key", "show", path];
        if *encrypted {
            args.extend(["--password-file", &pw]);
        }
        assert_eq!(&ok_text(&args), expected, "{path}");
        // A public key file ignores a password; a private one refuses one it does not need,
        // and needs one it has.
        if expected.contains("public key") {
            ok(&["key", "show", path, "--password-file", &pw]);
        } else if *encrypted {
            assert_usage_error(&hazmat(&["key", "show", path]), "no password was given");
            let wrong = dir.file("wrong", b"wrong");
            assert_usage_error(
                &hazmat(&["key", "show", path, "--password-file", &wrong]),
                "password is incorrect",
            );
        } else {
            assert_usage_error(
                &hazmat(&["key", "show", path, "--password-file", &pw]),
                "not encrypted",
            );
        }
    }
    // Standard input, and files that hold no key.
    let pem = read(&p("ec.pub"));
    let out = support::hazmat_stdin(&["key", "show", "-"], &pem);
    assert!(out.status.success());
    assert_eq!(stdout(&out), format!("{ec_pub}format: SPKI PEM\n"));
    let text = dir.file("text", b"hello\n");
    assert_usage_error(&hazmat(&["key", "show", &text]), "not a key file");
    let cert = dir.file(
        "cert.pem",
        b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
    );
    assert_usage_error(&hazmat(&["key", "show", &cert]), "CERTIFICATE");
    let garbage = dir.file("garbage.der", &[0x30, 0x03, 0x02, 0x01, 0x00]);
    assert_usage_error(&hazmat(&["key", "show", &garbage]), "garbage.der");
}

/// The public key in each format equals what openssl and ssh-keygen derive.
#[test]
fn key_public_formats_match_openssl_and_ssh_keygen() {
    if !openssl_available() || !ssh_keygen_available() {
        return;
    }
    let dir = Dir::new();
    let rsa = dir.path("id_rsa");
    ssh_keygen(&[
        "-q", "-t", "rsa", "-b", "2048", "-N", "", "-m", "PKCS8", "-f", &rsa,
    ]);
    let spki = openssl(&["pkey", "-in", &rsa, "-pubout"]);
    assert_eq!(ok(&["key", "public", &rsa]), spki);
    let der = openssl(&["pkey", "-in", &rsa, "-pubout", "-outform", "DER"]);
    assert_eq!(ok(&["key", "public", &rsa, "--der"]), der);
    let pkcs1 = openssl(&["rsa", "-in", &rsa, "-RSAPublicKey_out"]);
    assert_eq!(ok(&["key", "public", &rsa, "--format", "pkcs1"]), pkcs1);
    let pkcs1_der = openssl(&["rsa", "-in", &rsa, "-RSAPublicKey_out", "-outform", "DER"]);
    assert_eq!(
        ok(&["key", "public", &rsa, "--format", "pkcs1", "--der"]),
        pkcs1_der
    );
    assert_eq!(
        ok_text(&["key", "public", &rsa, "--format", "openssh"]),
        ssh_keygen_public(&rsa, None)
    );
    // A public key file gives itself; -o writes it.
    let pub_path = dir.path("rsa.pub.pem");
    ok(&["key", "public", &rsa, "-o", &pub_path]);
    assert_eq!(ok(&["key", "public", &pub_path]), spki);
    assert_eq!(ok(&["key", "public", &format!("{rsa}.pub")]), spki);

    let ed = dir.path("ed.pem");
    ok(&["genkey", "ed25519", "-o", &ed]);
    let ed_der = openssl(&["pkey", "-in", &ed, "-pubout", "-outform", "DER"]);
    assert_eq!(
        ok(&["key", "public", &ed, "--format", "raw"]),
        ed_der[ed_der.len() - 32..]
    );
    assert_usage_error(
        &hazmat(&["key", "public", &ed, "--format", "pkcs1"]),
        "RSA keys",
    );
    assert_usage_error(&hazmat(&["key", "public", &rsa, "--format", "raw"]), "raw");
    assert_usage_error(
        &hazmat(&["key", "public", &ed, "--format", "openssh", "--der"]),
        "--der",
    );
    let x = dir.path("x.pem");
    ok(&["genkey", "x448", "-o", &x]);
    assert_usage_error(
        &hazmat(&["key", "public", &x, "--format", "openssh"]),
        "X448",
    );
}

/// `key convert` between every format: what comes out loads again with the same public key,
/// in openssl (`pkey -check`, `-passin file:` for encrypted outputs) and ssh-keygen (`-y`).
#[test]
fn key_convert_round_trips() {
    let (openssl_ok, ssh_ok) = (openssl_available(), ssh_keygen_available());
    let dir = Dir::new();
    let pw = dir.file("pw", b"old password\n");
    let new_pw = dir.file("new", b"new password\n");
    for algorithm in [
        "rsa:2048",
        "ec:p256",
        "ec:secp256k1",
        "ed25519",
        "x25519",
        "ed448",
    ] {
        let name = algorithm.replace(':', "_");
        let original = dir.path(&name);
        ok(&["genkey", algorithm, "--password-file", &pw, "-o", &original]);
        let spki = ok(&["key", "public", &original, "--password-file", &pw]);
        let fits = |format: &str| match format {
            "traditional" => algorithm.starts_with("rsa") || algorithm.starts_with("ec"),
            "openssh" => matches!(algorithm, "rsa:2048" | "ec:p256" | "ed25519"),
            "raw" => !algorithm.starts_with("rsa") && !algorithm.starts_with("ec"),
            _ => true,
        };
        for format in ["pkcs8", "traditional", "openssh", "raw"] {
            if !fits(format) {
                let out = hazmat(&[
                    "key",
                    "convert",
                    &original,
                    "--password-file",
                    &pw,
                    "--format",
                    format,
                    "-o",
                    &dir.path("refused"),
                ]);
                assert_usage_error(&out, "");
                continue;
            }
            for (der, encrypt) in [(false, false), (false, true), (true, false), (true, true)] {
                let der_ok = matches!(format, "pkcs8" | "traditional");
                let encrypt_ok = format != "raw" && !(der && format == "traditional");
                if (der && !der_ok) || (encrypt && !encrypt_ok) {
                    continue;
                }
                // The expensive encryptions once per key type and format.
                if encrypt && der && format != "pkcs8" {
                    continue;
                }
                let out_path = dir.path(&format!("{name}.{format}.{der}.{encrypt}"));
                let mut args = vec![
                    "key",
                    "convert",
                    &original,
                    "--password-file",
                    &pw,
                    "--format",
                    format,
                    "-o",
                    &out_path,
                ];
                if der {
                    args.push("--der");
                }
                if encrypt {
                    args.extend(["--new-password-file", &new_pw]);
                }
                ok(&args);
                assert_eq!(mode(&out_path), 0o600, "{out_path}");
                if format == "raw" {
                    let raw = read(&out_path);
                    assert!(matches!(raw.len(), 32 | 57), "{out_path}");
                    continue;
                }
                let mut public = vec!["key", "public", &out_path];
                if encrypt {
                    public.extend(["--password-file", &new_pw]);
                }
                assert_eq!(ok(&public), spki, "{out_path}");
                if format == "openssh" {
                    if ssh_ok {
                        let theirs =
                            ssh_keygen_public(&out_path, encrypt.then_some("new password"));
                        let ours = ok_text(&[
                            "key",
                            "public",
                            &original,
                            "--password-file",
                            &pw,
                            "--format",
                            "openssh",
                        ]);
                        assert_eq!(theirs, ours, "{out_path}");
                    }
                } else if openssl_ok {
                    assert_openssl_checks(&out_path, der, encrypt.then_some(new_pw.as_str()));
                }
            }
        }
        // Public outputs, from the private key (`key public` for the OpenSSH line: `key
        // convert --format openssh` writes the private key), and back from themselves.
        for (format, der) in [("spki", false), ("spki", true), ("openssh", false)] {
            if format == "openssh" && !fits("openssh") {
                continue;
            }
            let out_path = dir.path(&format!("{name}.pub.{format}.{der}"));
            let command = if format == "openssh" {
                "public"
            } else {
                "convert"
            };
            let mut args = vec![
                "key",
                command,
                &original,
                "--password-file",
                &pw,
                "--format",
                format,
                "-o",
                &out_path,
            ];
            if der {
                args.push("--der");
            }
            ok(&args);
            assert_eq!(ok(&["key", "public", &out_path]), spki, "{out_path}");
            let again = dir.path("again");
            ok(&[
                "key", "convert", &out_path, "--format", "spki", "-o", &again,
            ]);
            assert_eq!(read(&again), spki, "{out_path}");
            assert_usage_error(
                &hazmat(&[
                    "key",
                    "convert",
                    &out_path,
                    "--format",
                    "pkcs8",
                    "-o",
                    &dir.path("no"),
                ]),
                "public key",
            );
            assert_usage_error(
                &hazmat(&[
                    "key",
                    "convert",
                    &original,
                    "--password-file",
                    &pw,
                    "--format",
                    if format == "openssh" { "spki" } else { format },
                    "--new-password-file",
                    &new_pw,
                    "-o",
                    &dir.path("no"),
                ]),
                "public key",
            );
        }
    }
    // A missing or wrong password is a usage error naming the file; nothing is written.
    let key = dir.path("ec_p256");
    let out = dir.path("nothing");
    assert_usage_error(
        &hazmat(&["key", "convert", &key, "--format", "pkcs8", "-o", &out]),
        "no password was given",
    );
    assert_usage_error(
        &hazmat(&[
            "key",
            "convert",
            &key,
            "--password-file",
            &new_pw,
            "--format",
            "pkcs8",
            "-o",
            &out,
        ]),
        "incorrect",
    );
    assert!(!Path::new(&out).exists());
}

/// `key fingerprint` prints exactly what `ssh-keygen -l -f` prints, for keys ssh-keygen made
/// (RSA, ECDSA of each size, Ed25519, DSA; with comments, without, encrypted) given as `.pub`
/// files, as private files beside their `.pub`, and as private files alone; for files of
/// several key lines with options and host names; and for our own keys in the formats
/// ssh-keygen reads.
#[test]
fn key_fingerprint_matches_ssh_keygen() {
    if !ssh_keygen_available() {
        return;
    }
    let dir = Dir::new();
    let alone = Dir::new();
    let mut files = Vec::new();
    let mut made = Vec::new();
    for (kind, bits, comment, passphrase) in [
        ("rsa", "3072", "user@host", ""),
        ("rsa", "2048", "", "secret"),
        ("ecdsa", "256", "ecdsa key", ""),
        ("ecdsa", "384", "", ""),
        ("ecdsa", "521", "with  two  spaces", "secret"),
        ("ed25519", "256", "me@example.com", ""),
        ("ed25519", "256", "", ""),
        ("ed25519", "256", "locked", "secret"),
        ("dsa", "1024", "old dsa", ""),
    ] {
        let name = format!("id_{}_{kind}_{bits}", made.len());
        let path = dir.path(&name);
        made.push(format!("{path}.pub"));
        ssh_keygen(&[
            "-q", "-t", kind, "-b", bits, "-N", passphrase, "-C", comment, "-f", &path,
        ]);
        let lone = alone.path(&name);
        std::fs::copy(&path, &lone).expect("copy");
        files.push(path.clone());
        files.push(format!("{path}.pub"));
        files.push(lone);
    }
    // A .pub without comment beside its private key: the comment is the .pub's name.
    let bare = dir.path("bare");
    ssh_keygen(&["-q", "-t", "ed25519", "-N", "", "-C", "", "-f", &bare]);
    let line = read_text(&format!("{bare}.pub"));
    let key_only: String = line.split(' ').take(2).collect::<Vec<_>>().join(" ");
    std::fs::write(format!("{bare}.pub"), format!("{key_only}\n")).expect("write");
    files.push(bare.clone());
    files.push(format!("{bare}.pub"));
    // authorized_keys and known_hosts lines, comments, blank lines, CRLF.
    let ed = read_text(&made[5]);
    let rsa = read_text(&made[0]);
    let ecdsa = read_text(&made[2]);
    let rsa_key: String = rsa.split(' ').take(2).collect::<Vec<_>>().join(" ");
    let many = format!(
        "# keys\n\ncommand=\"echo hi there\",no-pty {}host.example,10.0.0.1 {rsa_key}\n  {}",
        ed,
        ecdsa.trim_end().to_owned() + "\r\n"
    );
    files.push(dir.file("authorized_keys", many.as_bytes()));
    // Our own keys, in formats ssh-keygen reads.
    for (algorithm, format) in [
        ("rsa:2048", "pkcs8"),
        ("rsa:2048", "traditional"),
        ("ec:p256", "pkcs8"),
        ("ec:p384", "traditional"),
        ("ed25519", "openssh"),
        ("ec:p521", "openssh"),
    ] {
        let path = alone.path(&format!("ours-{}-{format}", algorithm.replace(':', "_")));
        ok(&["genkey", algorithm, "--format", format, "-o", &path]);
        files.push(path.clone());
        let public = format!("{path}.pub");
        ok(&["key", "public", &path, "--format", "openssh", "-o", &public]);
        files.push(public);
    }
    for file in &files {
        let theirs = Command::new("ssh-keygen")
            .args(["-l", "-f", file])
            .stdin(std::process::Stdio::null())
            .output()
            .expect("ssh-keygen runs");
        assert!(
            theirs.status.success(),
            "ssh-keygen -l {file}: {}",
            stderr(&theirs)
        );
        let ours = hazmat(&["key", "fingerprint", file]);
        assert!(ours.status.success(), "{file}: {}", stderr(&ours));
        assert_eq!(
            stdout(&ours),
            String::from_utf8_lossy(&theirs.stdout),
            "{file}"
        );
    }
    assert_eq!(
        stdout(&hazmat(&[
            "key",
            "fingerprint",
            &dir.path("authorized_keys")
        ]))
        .lines()
        .count(),
        3
    );
    // Files ssh-keygen cannot read give the same fingerprint, with `no comment`: PKCS #8
    // Ed25519, DER, SPKI, X25519 refused.
    let ed = alone.path("ed.pem");
    ok(&["genkey", "ed25519", "-o", &ed]);
    let ssh = alone.path("ed.ssh");
    ok(&["key", "convert", &ed, "--format", "openssh", "-o", &ssh]);
    let expected = ssh_keygen(&["-l", "-f", &ssh]).replace("  (", " no comment (");
    assert_eq!(ok_text(&["key", "fingerprint", &ed]), expected);
    let der = alone.path("ed.der");
    ok(&[
        "key", "convert", &ed, "--format", "spki", "--der", "-o", &der,
    ]);
    assert_eq!(ok_text(&["key", "fingerprint", &der]), expected);
    let x = alone.path("x.pem");
    ok(&["genkey", "x25519", "-o", &x]);
    assert_usage_error(&hazmat(&["key", "fingerprint", &x]), "no SSH fingerprint");
    let text = dir.file("nokey", b"# nothing here\nnot a key\n");
    assert_usage_error(&hazmat(&["key", "fingerprint", &text]), "not a key file");
    // An encrypted PEM key needs its password (ssh-keygen cannot read it at all).
    let pw = dir.file("pw", b"pw\n");
    let enc = alone.path("enc.pem");
    ok(&["genkey", "ec:p256", "--password-file", &pw, "-o", &enc]);
    assert_usage_error(
        &hazmat(&["key", "fingerprint", &enc]),
        "no password was given",
    );
    let line = ok_text(&["key", "fingerprint", &enc, "--password-file", &pw]);
    assert!(line.starts_with("256 SHA256:") && line.ends_with(" no comment (ECDSA)\n"));
}

/// Every signature type: RSA PKCS #1 v1.5 is byte for byte openssl's; RSA-PSS, ECDSA, Ed25519
/// and Ed448 signatures verify in openssl, and openssl's verify here; on every backend with
/// RSA and EC, with several hashes, for an empty, a small and a multi-chunk file.
#[test]
fn sign_and_verify_interoperate_with_openssl() {
    if !openssl_available() {
        return;
    }
    let dir = Dir::new();
    let mut keys = Vec::new();
    for algorithm in [
        "rsa:2048",
        "ec:p256",
        "ec:p384",
        "ec:secp256k1",
        "ed25519",
        "ed448",
    ] {
        let key = dir.path(&algorithm.replace(':', "_"));
        ok(&["genkey", algorithm, "-o", &key]);
        let public = format!("{key}.pub");
        ok(&["key", "public", &key, "-o", &public]);
        keys.push((algorithm, key, public));
    }
    let sig = dir.path("sig");
    let theirs = dir.path("theirs");
    let mut checked = 0;
    for len in [0usize, 1000, 300_000] {
        let file = dir.file("msg", &data(len));
        for (algorithm, key, public) in &keys {
            if algorithm.starts_with("ed") {
                ok(&["sign", "--key", key, &file, "-o", &sig]);
                if len == 0 {
                    // openssl pkeyutl -rawin cannot read an empty file.
                    ok(&["verify", "--key", public, "--signature", &sig, &file]);
                    continue;
                }
                openssl(&[
                    "pkeyutl", "-verify", "-pubin", "-inkey", public, "-rawin", "-in", &file,
                    "-sigfile", &sig,
                ]);
                openssl(&[
                    "pkeyutl", "-sign", "-inkey", key, "-rawin", "-in", &file, "-out", &theirs,
                ]);
                // EdDSA is deterministic: the same bytes.
                assert_eq!(read(&sig), read(&theirs), "{algorithm}");
                assert_eq!(
                    ok_text(&["verify", "--key", public, "--signature", &theirs, &file]),
                    format!("{file}: OK\n")
                );
                checked += 1;
                continue;
            }
            let hashes: &[&str] = if len == 1000 {
                &["sha256", "sha384", "sha512", "sha3-256", "sha224"]
            } else {
                &["sha256"]
            };
            for hash in hashes {
                let dgst = format!("-{hash}");
                let backends = if algorithm.starts_with("rsa") || *algorithm == "ec:p256" {
                    default_openssl_rust()
                } else {
                    vec!["default"]
                };
                for backend in backends {
                    let mut args = vec![
                        "sign",
                        "--backend",
                        backend,
                        "--key",
                        key,
                        &file,
                        "-o",
                        &sig,
                    ];
                    if *hash != "sha256" {
                        args.extend(["--hash", hash]);
                    }
                    ok(&args);
                    openssl(&["dgst", &dgst, "-verify", public, "-signature", &sig, &file]);
                    if algorithm.starts_with("rsa") {
                        openssl(&["dgst", &dgst, "-sign", key, "-out", &theirs, &file]);
                        assert_eq!(read(&sig), read(&theirs), "{hash} {backend}");
                        // PSS both ways: ours verified by openssl, openssl's (with every salt
                        // length it makes) verified here.
                        let mut pss = args.clone();
                        pss.push("--pss");
                        ok(&pss);
                        openssl(&[
                            "dgst",
                            &dgst,
                            "-verify",
                            public,
                            "-sigopt",
                            "rsa_padding_mode:pss",
                            "-signature",
                            &sig,
                            &file,
                        ]);
                        for saltlen in ["digest", "max", "auto", "20"] {
                            let opt = format!("rsa_pss_saltlen:{saltlen}");
                            openssl(&[
                                "dgst",
                                &dgst,
                                "-sign",
                                key,
                                "-sigopt",
                                "rsa_padding_mode:pss",
                                "-sigopt",
                                &opt,
                                "-out",
                                &theirs,
                                &file,
                            ]);
                            ok(&[
                                "verify",
                                "--backend",
                                backend,
                                "--key",
                                public,
                                "--hash",
                                hash,
                                "--pss",
                                "--signature",
                                &theirs,
                                &file,
                            ]);
                        }
                    }
                    openssl(&["dgst", &dgst, "-sign", key, "-out", &theirs, &file]);
                    let verified = ok_text(&[
                        "verify",
                        "--backend",
                        backend,
                        "--key",
                        key,
                        "--hash",
                        hash,
                        "--signature",
                        &theirs,
                        &file,
                    ]);
                    assert_eq!(verified, format!("{file}: OK\n"));
                    checked += 1;
                }
            }
        }
    }
    assert!(checked >= 40, "only {checked} checks");
}

/// ring signs and verifies whole messages only: a file is read again whole for it, and the
/// signatures verify on the other backends; standard input is refused with a clear message.
#[test]
fn sign_on_a_message_only_backend() {
    if !cfg!(feature = "ring") {
        return;
    }
    let dir = Dir::new();
    let file = dir.file("msg", &data(200_000));
    for algorithm in ["rsa:2048", "ec:p256"] {
        let key = dir.path(&algorithm.replace(':', "_"));
        ok(&["genkey", algorithm, "-o", &key]);
        let sig = dir.path("sig");
        ok(&[
            "sign",
            "--backend",
            "ring",
            "--key",
            &key,
            &file,
            "-o",
            &sig,
        ]);
        ok(&["verify", "--key", &key, "--signature", &sig, &file]);
        ok(&["sign", "--key", &key, &file, "-o", &sig]);
        ok(&[
            "verify",
            "--backend",
            "ring",
            "--key",
            &key,
            "--signature",
            &sig,
            &file,
        ]);
        let out = support::hazmat_stdin(&["sign", "--backend", "ring", "--key", &key, "-"], b"m");
        assert_usage_error(&out, "standard input");
    }
}

/// A changed file, a changed or truncated signature, another key, or PKCS #1 v1.5 against a
/// PSS signature: exit 1 and `FILE: FAILED`; --quiet prints nothing when it verifies.
#[test]
fn verify_exits_1_on_a_changed_file_or_signature() {
    let dir = Dir::new();
    let file = dir.file("msg", &data(70_000));
    for algorithm in ["rsa:2048", "ec:p256", "ed25519", "ed448"] {
        let key = dir.path("key");
        let other = dir.path("other");
        ok(&["genkey", algorithm, "-o", &key, "--force"]);
        ok(&["genkey", algorithm, "-o", &other, "--force"]);
        let sig = dir.path("sig");
        ok(&["sign", "--key", &key, &file, "-o", &sig]);
        let quiet = hazmat(&["verify", "-q", "--key", &key, "--signature", &sig, &file]);
        assert!(
            quiet.status.success() && quiet.stdout.is_empty(),
            "{algorithm}"
        );
        let failed = |out: &Output, what: &str| {
            assert_eq!(
                out.status.code(),
                Some(1),
                "{algorithm} {what}: {}",
                stderr(out)
            );
            assert_eq!(
                stdout(out),
                format!("{file}: FAILED\n"),
                "{algorithm} {what}"
            );
        };
        failed(
            &hazmat(&["verify", "--key", &other, "--signature", &sig, &file]),
            "other key",
        );
        let sig_bytes = read(&sig);
        let bad_sig = dir.file("bad", &sig_bytes[..sig_bytes.len() - 1]);
        failed(
            &hazmat(&["verify", "--key", &key, "--signature", &bad_sig, &file]),
            "truncated",
        );
        flip(&sig, sig_bytes.len() / 2);
        failed(
            &hazmat(&["verify", "--key", &key, "--signature", &sig, &file]),
            "changed signature",
        );
        ok(&["sign", "--key", &key, &file, "-o", &sig]);
        flip(&file, 12_345);
        failed(
            &hazmat(&["verify", "--key", &key, "--signature", &sig, &file]),
            "changed file",
        );
        flip(&file, 12_345);
        if algorithm.starts_with("rsa") {
            ok(&["sign", "--key", &key, "--pss", &file, "-o", &sig]);
            failed(
                &hazmat(&["verify", "--key", &key, "--signature", &sig, &file]),
                "PSS read as PKCS #1 v1.5",
            );
            failed(
                &hazmat(&[
                    "verify",
                    "--key",
                    &key,
                    "--hash",
                    "sha384",
                    "--pss",
                    "--signature",
                    &sig,
                    &file,
                ]),
                "another hash",
            );
        }
    }
}

/// What sign and verify refuse, as usage errors (exit 2, one line).
#[test]
fn sign_refuses_bad_options_and_keys() {
    let dir = Dir::new();
    let file = dir.file("msg", b"message");
    let ed = dir.path("ed");
    ok(&["genkey", "ed25519", "-o", &ed]);
    let ec = dir.path("ec");
    ok(&["genkey", "ec:p256", "-o", &ec]);
    let ec_pub = dir.path("ec.pub");
    ok(&["key", "public", &ec, "-o", &ec_pub]);
    let x = dir.path("x");
    ok(&["genkey", "x25519", "-o", &x]);
    let pw = dir.file("pw", b"pw");
    let enc = dir.path("enc");
    ok(&[
        "genkey",
        "ec:p256",
        "--format",
        "traditional",
        "--password-file",
        &pw,
        "-o",
        &enc,
    ]);
    let sig = dir.path("sig");
    for (args, needle) in [
        (
            vec!["sign", "--key", &ed, "--hash", "sha256", &file],
            "no hash",
        ),
        (
            vec!["sign", "--key", &ed, "--pss", &file],
            "--pss is for RSA",
        ),
        (
            vec!["sign", "--key", &ec, "--pss", &file],
            "--pss is for RSA",
        ),
        (vec!["sign", "--key", &ec, "--hash", "md5", &file], "sha256"),
        (
            vec!["sign", "--key", &ec_pub, &file],
            "needs the private key",
        ),
        (vec!["sign", "--key", &x, &file], "do not sign"),
        (vec!["sign", "--key", &enc, &file], "no password was given"),
        (vec!["sign", "--key", &ec, "/no/such/file"], "No such file"),
        (vec!["sign", "--key", "/no/such/key", &file], "No such file"),
        (
            vec!["verify", "--key", &ec, "--signature", "/no/sig", &file],
            "No such file",
        ),
    ] {
        assert_usage_error(&hazmat(&args), needle);
    }
    ok(&[
        "sign",
        "--key",
        &enc,
        "--password-file",
        &pw,
        &file,
        "-o",
        &sig,
    ]);
    ok(&[
        "verify",
        "--key",
        &enc,
        "--password-file",
        &pw,
        "--signature",
        &sig,
        &file,
    ]);
    // A public key file ignores --password-file.
    ok(&["sign", "--key", &ec, &file, "-o", &sig]);
    ok(&[
        "verify",
        "--key",
        &ec_pub,
        "--password-file",
        &pw,
        "--signature",
        &sig,
        &file,
    ]);
    assert_usage_error(
        &hazmat(&["verify", "--key", &x, "--signature", &sig, &file]),
        "do not sign",
    );
}

/// ECDH, X25519, X448 and DH secrets equal `openssl pkeyutl -derive`, from both sides; with
/// --hkdf they equal `openssl kdf ... HKDF` over that secret.
#[test]
fn derive_equals_openssl_pkeyutl() {
    if !openssl_available() {
        return;
    }
    let dir = Dir::new();
    for algorithm in [
        "ec:p256",
        "ec:p384",
        "ec:p521",
        "ec:secp256k1",
        "x25519",
        "x448",
    ] {
        let name = algorithm.replace(':', "_");
        let (a, b) = (
            dir.path(&format!("{name}.a")),
            dir.path(&format!("{name}.b")),
        );
        ok(&["genkey", algorithm, "-o", &a]);
        ok(&["genkey", algorithm, "--format", "pkcs8", "-o", &b]);
        let (a_pub, b_pub) = (format!("{a}.pub"), format!("{b}.pub"));
        ok(&["key", "public", &a, "-o", &a_pub]);
        ok(&["key", "public", &b, "--der", "-o", &b_pub]);
        let b_pem_pub = format!("{b}.pem.pub");
        ok(&["key", "public", &b, "-o", &b_pem_pub]);
        let theirs = openssl(&["pkeyutl", "-derive", "-inkey", &a, "-peerkey", &b_pem_pub]);
        for backend in default_openssl_rust() {
            let ours = ok(&[
                "derive",
                "--backend",
                backend,
                "--key",
                &a,
                "--peer",
                &b_pub,
            ]);
            assert_eq!(ours, theirs, "{algorithm} {backend}");
        }
        let other_side = ok(&["derive", "--key", &b, "--peer", &a]);
        assert_eq!(other_side, theirs, "{algorithm}");
        let hex = ok_text(&["derive", "--key", &b, "--peer", &a_pub, "--hex"]);
        assert_eq!(hex, format!("{}\n", hex::encode(&theirs)));
        let out = dir.path("secret");
        ok(&["derive", "--key", &a, "--peer", &b_pub, "-o", &out]);
        assert_eq!(read(&out), theirs);
        assert_eq!(mode(&out), 0o600);
        // HKDF over the secret, as openssl kdf derives it.
        for (hash, length, info, salt) in [
            ("sha256", None, None, None),
            ("sha512", Some("42"), Some("0102"), Some("a0a1a2")),
        ] {
            let mut args = vec![
                "derive", "--key", &a, "--peer", &b_pub, "--hkdf", hash, "--hex",
            ];
            let mut opts = vec![
                format!("digest:{}", hash.to_uppercase()),
                format!("hexkey:{}", hex::encode(&theirs)),
            ];
            if let Some(length) = length {
                args.extend(["--length", length]);
            }
            if let Some(info) = info {
                args.extend(["--info-hex", info]);
                opts.push(format!("hexinfo:{info}"));
            }
            if let Some(salt) = salt {
                args.extend(["--salt-hex", salt]);
                opts.push(format!("hexsalt:{salt}"));
            }
            let keylen = length.unwrap_or(if hash == "sha256" { "32" } else { "64" });
            let mut kdf = vec!["kdf", "-binary", "-keylen", keylen];
            for opt in &opts {
                kdf.extend(["-kdfopt", opt]);
            }
            kdf.push("HKDF");
            let expected = hex::encode(openssl(&kdf));
            assert_eq!(
                ok_text(&args),
                format!("{expected}\n"),
                "{algorithm} {hash}"
            );
        }
    }
    // Finite-field DH keys (RFC 7919 ffdhe2048, as openssl makes them): both sides equal
    // openssl's secret. Only the OpenSSL backend has DH.
    let (dh1, dh2) = (dir.path("dh1.pem"), dir.path("dh2.pem"));
    for dh in [&dh1, &dh2]
        .into_iter()
        .filter(|_| cfg!(feature = "openssl"))
    {
        openssl(&[
            "genpkey",
            "-algorithm",
            "DH",
            "-pkeyopt",
            "group:ffdhe2048",
            "-out",
            dh,
        ]);
    }
    if cfg!(feature = "openssl") {
        let dh2_pub = dir.path("dh2.pub");
        ok(&["key", "public", &dh2, "-o", &dh2_pub]);
        let theirs = openssl(&["pkeyutl", "-derive", "-inkey", &dh1, "-peerkey", &dh2_pub]);
        assert_eq!(ok(&["derive", "--key", &dh1, "--peer", &dh2_pub]), theirs);
        assert_eq!(ok(&["derive", "--key", &dh2, "--peer", &dh1]), theirs);
    }
    // Keys that do not agree.
    let p256 = dir.path("ec_p256.a");
    let p384 = dir.path("ec_p384.a");
    let x25519 = dir.path("x25519.a");
    let rsa = dir.path("rsa");
    ok(&["genkey", "rsa:2048", "-o", &rsa]);
    assert_usage_error(
        &hazmat(&["derive", "--key", &p256, "--peer", &p384]),
        "another curve",
    );
    assert_usage_error(
        &hazmat(&["derive", "--key", &p256, "--peer", &x25519]),
        "must be an EC key too",
    );
    assert_usage_error(
        &hazmat(&["derive", "--key", &rsa, "--peer", &p256]),
        "do not agree",
    );
    assert_usage_error(
        &hazmat(&["derive", "--key", &p256, "--peer", &p256, "--length", "16"]),
        "--hkdf",
    );
}

const OAEP_OPTS: [&str; 6] = [
    "-pkeyopt",
    "rsa_padding_mode:oaep",
    "-pkeyopt",
    "rsa_oaep_md:sha256",
    "-pkeyopt",
    "rsa_mgf1_md:sha256",
];

/// RSA-OAEP both ways with `openssl pkeyutl`: ours decrypted there, theirs here; payloads up to
/// the maximum; a longer one refused naming the maximum; a tampered ciphertext exits 1 and
/// writes nothing.
#[test]
fn rsa_oaep_round_trips_with_openssl_pkeyutl() {
    if !openssl_available() {
        return;
    }
    let dir = Dir::new();
    let key = dir.path("rsa.pem");
    let pw = dir.file("pw", b"oaep\n");
    ok(&["genkey", "rsa:2048", "--password-file", &pw, "-o", &key]);
    let public = dir.path("rsa.pub");
    ok(&["key", "public", &key, "--password-file", &pw, "-o", &public]);
    let plain_key = dir.path("plain.pem");
    ok(&[
        "key",
        "convert",
        &key,
        "--password-file",
        &pw,
        "--format",
        "pkcs8",
        "-o",
        &plain_key,
    ]);
    let enc = dir.path("enc");
    let back = dir.path("back");
    for len in [0usize, 1, 32, 190] {
        let payload = dir.file("payload", &data(len));
        ok(&[
            "encrypt",
            "--rsa-oaep",
            "--key",
            &public,
            &payload,
            "-o",
            &enc,
        ]);
        assert_eq!(read(&enc).len(), 256);
        let mut args = vec!["pkeyutl", "-decrypt", "-inkey", &plain_key, "-in", &enc];
        args.extend(OAEP_OPTS);
        assert_eq!(openssl(&args), data(len), "{len}");
        let mut args = vec![
            "pkeyutl", "-encrypt", "-pubin", "-inkey", &public, "-in", &payload, "-out", &enc,
        ];
        args.extend(OAEP_OPTS);
        openssl(&args);
        ok(&[
            "decrypt",
            "--rsa-oaep",
            "--key",
            &key,
            "--password-file",
            &pw,
            &enc,
            "-o",
            &back,
        ]);
        assert_eq!(read(&back), data(len), "{len}");
    }
    // Another hash for OAEP and MGF1, each way.
    let payload = dir.file("payload", b"a key to wrap");
    for (hash, md) in [("sha512", "sha512"), ("sha1", "sha1")] {
        let (oaep_md, mgf1_md) = (format!("rsa_oaep_md:{md}"), format!("rsa_mgf1_md:{md}"));
        let opts = [
            "-pkeyopt",
            "rsa_padding_mode:oaep",
            "-pkeyopt",
            &oaep_md,
            "-pkeyopt",
            &mgf1_md,
        ];
        ok(&[
            "encrypt",
            "--rsa-oaep",
            "--hash",
            hash,
            "--key",
            &plain_key,
            &payload,
            "-o",
            &enc,
        ]);
        let mut args = vec!["pkeyutl", "-decrypt", "-inkey", &plain_key, "-in", &enc];
        args.extend(opts);
        assert_eq!(openssl(&args), b"a key to wrap");
        let mut args = vec![
            "pkeyutl", "-encrypt", "-pubin", "-inkey", &public, "-in", &payload, "-out", &enc,
        ];
        args.extend(opts);
        openssl(&args);
        let out = ok(&[
            "decrypt",
            "--rsa-oaep",
            "--hash",
            hash,
            "--key",
            &plain_key,
            &enc,
        ]);
        assert_eq!(out, b"a key to wrap");
    }
    // Too long: a usage error naming the maximum.
    let long = dir.file("long", &data(191));
    let out = hazmat(&["encrypt", "--rsa-oaep", "--key", &public, &long, "-o", &enc]);
    assert_usage_error(&out, "at most 190 bytes");
    let out = hazmat(&[
        "encrypt",
        "--rsa-oaep",
        "--hash",
        "sha512",
        "--key",
        &public,
        &payload,
    ]);
    assert!(out.status.success());
    let long = dir.file("long", &data(127));
    assert_usage_error(
        &hazmat(&[
            "encrypt",
            "--rsa-oaep",
            "--hash",
            "sha512",
            "--key",
            &public,
            &long,
        ]),
        "at most 126 bytes",
    );
    // Tampered, truncated, or under the wrong hash: exit 1, nothing written.
    ok(&[
        "encrypt",
        "--rsa-oaep",
        "--key",
        &public,
        &payload,
        "-o",
        &enc,
    ]);
    std::fs::remove_file(&back).ok();
    for (what, args) in [
        (
            "hash",
            vec![
                "decrypt",
                "--rsa-oaep",
                "--hash",
                "sha384",
                "--key",
                &plain_key,
                &enc,
                "-o",
                &back,
            ],
        ),
        (
            "key",
            vec![
                "decrypt",
                "--rsa-oaep",
                "--key",
                &plain_key,
                &payload,
                "-o",
                &back,
            ],
        ),
    ] {
        let out = hazmat(&args);
        assert_one_line_failure(&out, 1, "no output written");
        assert!(!Path::new(&back).exists(), "{what}");
    }
    flip(&enc, 100);
    let out = hazmat(&[
        "decrypt",
        "--rsa-oaep",
        "--key",
        &plain_key,
        &enc,
        "-o",
        &back,
    ]);
    assert_one_line_failure(&out, 1, "decryption failed");
    assert!(!Path::new(&back).exists());
    let out = hazmat(&["decrypt", "--rsa-oaep", "--key", &plain_key, &enc]);
    assert!(out.stdout.is_empty());
    // Usage errors: not RSA, no key file, a cipher too, a public key to decrypt with.
    let ec = dir.path("ec");
    ok(&["genkey", "ec:p256", "-o", &ec]);
    assert_usage_error(
        &hazmat(&["encrypt", "--rsa-oaep", "--key", &ec, &payload]),
        "RSA-OAEP takes RSA keys",
    );
    assert_usage_error(
        &hazmat(&["encrypt", "--rsa-oaep", "--key-hex", "00", &payload]),
        "--key",
    );
    assert_usage_error(
        &hazmat(&[
            "encrypt",
            "--rsa-oaep",
            "--cipher",
            "aes-128-cbc",
            "--key",
            &public,
            &payload,
        ]),
        "--cipher",
    );
    assert_usage_error(
        &hazmat(&["decrypt", "--rsa-oaep", "--key", &public, &enc]),
        "needs the private key",
    );
    assert_usage_error(
        &hazmat(&["decrypt", "--rsa-oaep", "--key", &key, &enc]),
        "no password was given",
    );
    // The cipher forms are unchanged, and --key belongs to --rsa-oaep.
    assert_usage_error(
        &hazmat(&[
            "encrypt",
            "--cipher",
            "aes-128-cbc",
            "--key",
            &public,
            &payload,
        ]),
        "",
    );
    let sealed = ok(&[
        "encrypt",
        "--cipher",
        "aes-128-gcm",
        "--key-hex",
        "000102030405060708090a0b0c0d0e0f",
        &payload,
    ]);
    assert!(sealed.starts_with(b"HZMT"));
}
