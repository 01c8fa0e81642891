//! The library's imports run one way: descriptors and rules, then backend interfaces and
//! backends, then user-facing objects. This test reads every source file's `use` declarations
//! and `crate::`/`super::` paths, resolves each to the file that defines the named item (through
//! `pub use` façades, so `hashes::Sha256` counts as an import of the file that defines it), and
//! fails on any cycle between files, printing it.
//!
//! `#[cfg(test)]` modules are left out: unit tests may import anything.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// One source file, as a module.
struct Module {
    /// Path segments below the crate root, e.g. `["hazmat", "primitives", "hashes"]`.
    path: Vec<String>,
    /// The code with comments, strings and `#[cfg(test)]` modules removed.
    code: String,
}

fn main_src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .expect("read src")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a file: `src/lib.rs` is the root, `a/mod.rs` and `a.rs` are `a`.
fn module_path(file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(main_src()).expect("under src");
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().expect("a file name");
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" && stem != "lib" {
        parts.push(stem.to_owned());
    }
    parts
}

/// Removes comments, string and char literals (their text could look like paths).
fn strip_comments_and_strings(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    while i < b.len() {
        if b[i..].starts_with(b"//") {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if b[i..].starts_with(b"/*") {
            let mut depth = 0;
            while i < b.len() {
                if b[i..].starts_with(b"/*") {
                    depth += 1;
                    i += 2;
                } else if b[i..].starts_with(b"*/") {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if b[i] == b'r' && (b[i..].starts_with(b"r\"") || b[i..].starts_with(b"r#")) {
            // Raw string: r"..." or r#"..."#.
            let mut j = i + 1;
            let mut hashes = 0;
            while j < b.len() && b[j] == b'#' {
                hashes += 1;
                j += 1;
            }
            if j < b.len() && b[j] == b'"' {
                let close: Vec<u8> = std::iter::once(b'"')
                    .chain(std::iter::repeat_n(b'#', hashes))
                    .collect();
                j += 1;
                while j < b.len() && !b[j..].starts_with(&close) {
                    j += 1;
                }
                i = j + close.len();
                out.push_str("\"\"");
            } else {
                out.push('r');
                i += 1;
            }
        } else if b[i] == b'"' {
            i += 1;
            while i < b.len() && b[i] != b'"' {
                if b[i] == b'\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push_str("\"\"");
        } else if b[i] == b'\'' && i + 2 < b.len() && (b[i + 2] == b'\'' || b[i + 1] == b'\\') {
            // A char literal ('a', '\n', '\''); lifetimes ('a) have no closing quote.
            i += 1;
            while i < b.len() && b[i] != b'\'' {
                if b[i] == b'\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push_str("' '");
        } else {
            let ch = src[i..].chars().next().expect("in bounds");
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

/// Removes `#[cfg(test)] mod name { ... }` blocks.
fn strip_test_modules(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let after = rest[at + "#[cfg(test)]".len()..].trim_start();
        if after.starts_with("mod ") {
            if let Some(open) = after.find(['{', ';']) {
                if after.as_bytes()[open] == b'{' {
                    let mut depth = 0;
                    let mut end = open;
                    for (k, c) in after[open..].char_indices() {
                        match c {
                            '{' => depth += 1,
                            '}' => {
                                depth -= 1;
                                if depth == 0 {
                                    end = open + k + 1;
                                    break;
                                }
                            }
                            _ => {}
                        }
                    }
                    rest = &after[end..];
                    continue;
                }
                rest = &after[open + 1..];
                continue;
            }
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Expands a use tree (`a::{b, c::{d as e}}`) into full paths.
fn expand_use_tree(prefix: &[String], tree: &str, out: &mut Vec<Vec<String>>) {
    let tree = tree.trim();
    if tree.is_empty() {
        return;
    }
    if let Some(open) = tree.find('{') {
        let head: Vec<String> = tree[..open]
            .split("::")
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
        let mut base = prefix.to_vec();
        base.extend(head);
        let mut depth = 0;
        let mut start = 0;
        for (k, c) in inner.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    expand_use_tree(&base, &inner[start..k], out);
                    start = k + 1;
                }
                _ => {}
            }
        }
        expand_use_tree(&base, &inner[start..], out);
    } else {
        let plain = tree.split(" as ").next().unwrap_or(tree);
        let mut path = prefix.to_vec();
        for seg in plain.split("::").map(str::trim).filter(|s| !s.is_empty()) {
            if seg != "self" {
                path.push(seg.to_owned());
            }
        }
        out.push(path);
    }
}

/// Every `use` declaration's paths, whether it is a `pub use` (a façade re-export), and where it
/// stands in `code`.
fn use_declarations(code: &str) -> Vec<(bool, Vec<Vec<String>>, std::ops::Range<usize>)> {
    let mut found = Vec::new();
    let bytes = code.as_bytes();
    let mut i = 0;
    while let Some(off) = code[i..].find("use ") {
        let at = i + off;
        i = at + 4;
        let boundary = at == 0 || !(bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_');
        if !boundary {
            continue;
        }
        let line_start = code[..at].rfind(['\n', ';', '{', '}']).map_or(0, |p| p + 1);
        let before = code[line_start..at].trim();
        let is_pub = before.starts_with("pub");
        let allowed = before.is_empty()
            || before.starts_with("pub")
            || before.starts_with("#[")
            || before.ends_with(']');
        if !allowed {
            continue;
        }
        let Some(end) = code[at..].find(';') else {
            break;
        };
        let tree = &code[at + 4..at + end];
        let mut paths = Vec::new();
        expand_use_tree(&[], tree, &mut paths);
        found.push((is_pub, paths, at..at + end));
        i = at + end;
    }
    found
}

/// Inline paths in code: `crate::a::b::item` and `super::a::item`.
fn inline_paths(code: &str) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    for start_word in ["crate::", "super::"] {
        let mut i = 0;
        while let Some(off) = code[i..].find(start_word) {
            let at = i + off;
            i = at + start_word.len();
            if at > 0 {
                let prev = code.as_bytes()[at - 1];
                if prev.is_ascii_alphanumeric() || prev == b'_' || prev == b':' {
                    continue;
                }
            }
            let tail: String = code[at..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            found.push(
                tail.split("::")
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect(),
            );
        }
    }
    found
}

struct Graph {
    modules: BTreeMap<Vec<String>, Module>,
    /// Per module: names re-exported by `pub use`, to the absolute path they name.
    reexports: BTreeMap<Vec<String>, BTreeMap<String, Vec<String>>>,
}

impl Graph {
    fn load() -> Graph {
        let mut files = Vec::new();
        collect(&main_src(), &mut files);
        let mut modules = BTreeMap::new();
        for file in files {
            let src = fs::read_to_string(&file).expect("read source");
            let code = strip_test_modules(&strip_comments_and_strings(&src));
            let path = module_path(&file);
            modules.insert(path.clone(), Module { path, code });
        }
        let mut graph = Graph {
            modules,
            reexports: BTreeMap::new(),
        };
        let mut reexports = BTreeMap::new();
        for module in graph.modules.values() {
            let mut names = BTreeMap::new();
            for (is_pub, paths, _) in use_declarations(&module.code) {
                if !is_pub {
                    continue;
                }
                for path in paths {
                    if let (Some(last), Some(abs)) = (path.last(), graph.absolute(module, &path)) {
                        names.insert(last.clone(), abs);
                    }
                }
            }
            reexports.insert(module.path.clone(), names);
        }
        graph.reexports = reexports;
        graph
    }

    /// The absolute path (below the crate root) a path in `module` names; `None` for paths into
    /// other crates.
    fn absolute(&self, module: &Module, path: &[String]) -> Option<Vec<String>> {
        let first = path.first()?;
        let mut abs: Vec<String> = match first.as_str() {
            "crate" => Vec::new(),
            "self" => module.path.clone(),
            "super" => {
                let mut base = module.path.clone();
                let mut rest = path;
                while rest.first().is_some_and(|s| s == "super") {
                    base.pop();
                    rest = &rest[1..];
                }
                base.extend(rest.iter().cloned());
                return Some(base);
            }
            _ => {
                let mut child = module.path.clone();
                child.push(first.clone());
                if self.modules.contains_key(&child) {
                    child.pop();
                    child
                } else {
                    return None;
                }
            }
        };
        let skip = usize::from(first == "crate" || first == "self");
        abs.extend(path[skip..].iter().cloned());
        Some(abs)
    }

    /// The file (module) that defines what `abs` names, following `pub use` façades.
    fn defining_module(&self, abs: &[String], depth: usize) -> Option<Vec<String>> {
        // The longest prefix that is a module.
        let mut k = abs.len();
        while k > 0 && !self.modules.contains_key(&abs[..k]) {
            k -= 1;
        }
        let module = abs[..k].to_vec();
        if depth < 8 && k < abs.len() {
            if let Some(target) = self.reexports.get(&module).and_then(|r| r.get(&abs[k])) {
                if target.as_slice() != abs {
                    let mut next = target.clone();
                    next.extend(abs[k + 1..].iter().cloned());
                    return self.defining_module(&next, depth + 1);
                }
            }
        }
        Some(module)
    }

    /// File-level import edges (façade `pub use` lines are not edges of their own: an import
    /// through a façade is an edge to the file the item comes from).
    fn edges(&self) -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
        let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
        for module in self.modules.values() {
            let mut targets = BTreeSet::new();
            let declarations = use_declarations(&module.code);
            // Inline paths are read from the code without its `use` declarations.
            let mut rest = module.code.clone();
            for (_, _, span) in &declarations {
                rest.replace_range(span.clone(), &" ".repeat(span.len()));
            }
            let mut paths: Vec<Vec<String>> = declarations
                .into_iter()
                .filter(|(is_pub, _, _)| !is_pub)
                .flat_map(|(_, p, _)| p)
                .collect();
            paths.extend(inline_paths(&rest));
            for path in paths {
                let Some(abs) = self.absolute(module, &path) else {
                    continue;
                };
                if let Some(target) = self.defining_module(&abs, 0) {
                    // A module's own children and ancestors are its structure, not imports.
                    let is_ancestor = module.path.starts_with(&target);
                    if target != module.path && !is_ancestor {
                        targets.insert(target);
                    }
                }
            }
            edges.insert(module.path.clone(), targets);
        }
        edges
    }
}

fn name(path: &[String]) -> String {
    if path.is_empty() {
        "crate".to_owned()
    } else {
        path.join("::")
    }
}

/// A cycle in `edges`, if any (depth-first search with an explicit stack of the current path).
fn find_cycle(edges: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> Option<Vec<Vec<String>>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Active,
        Done,
    }
    let mut marks: BTreeMap<&Vec<String>, Mark> = edges.keys().map(|k| (k, Mark::New)).collect();
    fn visit<'a>(
        node: &'a Vec<String>,
        edges: &'a BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        marks: &mut BTreeMap<&'a Vec<String>, Mark>,
        stack: &mut Vec<&'a Vec<String>>,
    ) -> Option<Vec<Vec<String>>> {
        marks.insert(node, Mark::Active);
        stack.push(node);
        for next in edges.get(node).into_iter().flatten() {
            match marks.get(next).copied().unwrap_or(Mark::Done) {
                Mark::Active => {
                    let from = stack.iter().position(|n| *n == next).unwrap_or(0);
                    let mut cycle: Vec<Vec<String>> =
                        stack[from..].iter().map(|n| (*n).clone()).collect();
                    cycle.push(next.clone());
                    return Some(cycle);
                }
                Mark::New => {
                    if let Some(c) = visit(next, edges, marks, stack) {
                        return Some(c);
                    }
                }
                Mark::Done => {}
            }
        }
        stack.pop();
        marks.insert(node, Mark::Done);
        None
    }
    let keys: Vec<&Vec<String>> = edges.keys().collect();
    for key in keys {
        if marks[key] == Mark::New {
            let mut stack = Vec::new();
            if let Some(c) = visit(key, edges, &mut marks, &mut stack) {
                return Some(c);
            }
        }
    }
    None
}

#[test]
fn no_import_cycle_between_source_files() {
    let graph = Graph::load();
    let edges = graph.edges();
    let edge_count: usize = edges.values().map(BTreeSet::len).sum();
    // MODULE_GRAPH_EDGES=1 prints every file's imports.
    if std::env::var_os("MODULE_GRAPH_EDGES").is_some() {
        for (from, to) in &edges {
            let to: Vec<String> = to.iter().map(|t| name(t)).collect();
            println!("{} -> {}", name(from), to.join(", "));
        }
    }
    println!(
        "module graph: {} files, {} import edges",
        edges.len(),
        edge_count
    );
    if let Some(cycle) = find_cycle(&edges) {
        let names: Vec<String> = cycle.iter().map(|p| name(p)).collect();
        panic!("import cycle: {}", names.join(" -> "));
    }
    println!("no import cycle");
}

#[test]
fn descriptors_import_nothing_from_backends() {
    let graph = Graph::load();
    let edges = graph.edges();
    // What each descriptor file reaches, directly or not.
    let descriptor_files = [
        "hazmat::primitives::ciphers::algorithms",
        "hazmat::primitives::ciphers::modes",
        "hazmat::primitives::aead::algorithm",
        "hazmat::primitives::kdf::argon2::params",
        "hazmat::primitives::unsupported",
        "hazmat::primitives::asymmetric::hash_id",
        "hazmat::primitives::asymmetric::curves",
        "hazmat::primitives::asymmetric::scheme",
        "hazmat::primitives::asymmetric::components",
        "hazmat::primitives::asymmetric::integer",
    ];
    for file in descriptor_files {
        let start: Vec<String> = file.split("::").map(str::to_owned).collect();
        assert!(
            edges.contains_key(&start),
            "{file} is not a source file any more; update this list"
        );
        let mut seen = BTreeSet::new();
        let mut todo = vec![start.clone()];
        while let Some(node) = todo.pop() {
            if !seen.insert(node.clone()) {
                continue;
            }
            assert!(
                !(node.len() >= 2 && node[0] == "hazmat" && node[1] == "backends"),
                "{file} reaches {} (descriptors must not depend on backends)",
                name(&node)
            );
            todo.extend(edges.get(&node).into_iter().flatten().cloned());
        }
    }
}

#[test]
fn the_reader_sees_real_imports() {
    // Positive control: the graph finds edges known to exist, so "no cycle" is not the result
    // of reading nothing.
    let graph = Graph::load();
    let edges = graph.edges();
    let has = |from: &str, to: &str| {
        let f: Vec<String> = from.split("::").map(str::to_owned).collect();
        let t: Vec<String> = to.split("::").map(str::to_owned).collect();
        edges.get(&f).is_some_and(|s| s.contains(&t))
    };
    assert!(has(
        "hazmat::primitives::ciphers::modes",
        "hazmat::primitives::ciphers::algorithms"
    ));
    assert!(has("hazmat::primitives::ciphers", "hazmat::backends"));
    assert!(has("hazmat::primitives::ciphers::modes", "exceptions"));
    // A deliberate cycle is found.
    let mut with_cycle = edges.clone();
    with_cycle
        .entry(vec!["exceptions".to_owned()])
        .or_default()
        .insert(vec![
            "hazmat".to_owned(),
            "primitives".to_owned(),
            "ciphers".to_owned(),
            "modes".to_owned(),
        ]);
    assert!(find_cycle(&with_cycle).is_some());
}
