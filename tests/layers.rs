//! The module graph points down (see the crate docs): a module uses only modules of its
//! own layer or below; `plot` uses no simulation or training code; nothing below `lab`
//! uses `lab`; no two files import each other, directly or through others (inside a module
//! too). Checked on the source text: every `crate::<module>` outside comments (unit tests
//! included), and every `use` and inline `crate::`/`super::`/`self::` path resolved to the
//! file that defines it, through `pub use` re-exports.

#[path = "support/source_files.rs"]
mod source_files;

use source_files::rust_files;
use std::path::Path;

/// Layer of each top-level module (higher = closer to the user).
const LAYERS: [(&str, usize); 15] = [
    ("error", 0),
    ("math", 0),
    ("rng", 0),
    ("kernels", 1),
    ("model", 2),
    ("tasks", 3),
    ("train", 4),
    ("learning", 5),
    ("analysis", 6),
    ("plot", 7),
    ("budget", 8),
    ("lab", 9),
    ("persist", 9),
    ("wasm", 10),
    ("bin", 11),
];

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().find(|(m, _)| *m == module).map(|(_, l)| *l)
}

/// `(file, its module, modules it names as crate::<module>)` for every source file.
fn uses() -> Vec<(String, String, Vec<String>)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut result = Vec::new();
    for file in files {
        let relative = file
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .to_string();
        let module = relative
            .split(['/', '.'])
            .next()
            .unwrap_or_default()
            .to_string();
        if module == "lib" {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let mut named = Vec::new();
        // the library code and its unit tests (inline `#[cfg(test)]` modules and `tests.rs`
        // files alike): a test of a lower layer builds its fixtures without upper layers
        for line in text.lines() {
            let code = line.split("//").next().unwrap_or_default();
            for (i, _) in code.match_indices("crate::") {
                if code[..i].ends_with("_lab::") || code[..i].ends_with('$') {
                    continue;
                }
                let rest = &code[i + "crate::".len()..];
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if layer(&name).is_some() {
                    named.push(name);
                }
            }
        }
        result.push((relative, module, named));
    }
    result
}

#[test]
fn every_module_uses_only_its_layer_or_below() {
    let mut wrong = Vec::new();
    let mut checked = 0;
    for (file, module, named) in uses() {
        let Some(own) = layer(&module) else {
            wrong.push(format!("{file}: module `{module}` has no layer in LAYERS"));
            continue;
        };
        for name in named {
            checked += 1;
            if layer(&name).unwrap() > own {
                wrong.push(format!("{file} ({module}) uses crate::{name}"));
            }
        }
    }
    assert!(
        checked > 100,
        "found only {checked} uses: is the scan broken?"
    );
    assert!(wrong.is_empty(), "upward uses:\n{}", wrong.join("\n"));
}

#[test]
fn plot_draws_records_and_imports_no_simulation() {
    for (file, module, named) in uses() {
        if module == "plot" {
            for name in &named {
                assert!(
                    // records only: the analyses' result types, the model's matrices
                    ["error", "math", "model", "analysis"].contains(&name.as_str()),
                    "{file} uses crate::{name}: plot must only draw the records it is given"
                );
            }
        }
    }
}

/// The library's and the `srnn` binary's source files as `(file, module path)`.
fn module_files() -> Vec<(std::path::PathBuf, Vec<String>, bool)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files
        .into_iter()
        .map(|file| {
            let relative = file
                .strip_prefix(&src)
                .unwrap()
                .to_string_lossy()
                .to_string();
            let (bin, rest) = match relative.strip_prefix("bin/srnn/") {
                Some(rest) => (true, rest.to_string()),
                None => (false, relative.clone()),
            };
            let mut parts: Vec<String> = rest
                .trim_end_matches(".rs")
                .split('/')
                .map(String::from)
                .collect();
            if matches!(
                parts.last().map(String::as_str),
                Some("mod" | "lib" | "main")
            ) {
                parts.pop();
            }
            (file, parts, bin)
        })
        .collect()
}

/// The file's code without comments and without its inline `#[cfg(test)]` module.
fn code_of(text: &str) -> String {
    text.lines()
        .take_while(|l| !l.starts_with("#[cfg(test)]"))
        .map(|l| l.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n")
}

/// A module path from the crate root, e.g. `["lab", "claims"]`.
type ModulePath = Vec<String>;

/// Expand a `use` tree (`a::{b, c::{d, e}}`) into paths.
fn expand_use(tree: &str, prefix: &[String], out: &mut Vec<Vec<String>>) {
    let tree = tree.trim();
    if let Some(open) = tree.find('{') {
        let head: Vec<String> = tree[..open]
            .split("::")
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
        let mut depth = 0;
        let mut start = 0;
        let mut items = Vec::new();
        for (i, c) in inner.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    items.push(&inner[start..i]);
                    start = i + 1;
                }
                _ => {}
            }
        }
        items.push(&inner[start..]);
        let mut base = prefix.to_vec();
        base.extend(head);
        for item in items.into_iter().filter(|i| !i.trim().is_empty()) {
            expand_use(item, &base, out);
        }
    } else {
        let mut path = prefix.to_vec();
        let name = tree.split(" as ").next().unwrap_or_default();
        path.extend(name.split("::").map(|s| s.trim().to_string()));
        out.push(path);
    }
}

/// Every path the code names from the crate root (`crate::…`), its parent (`super::…`) or
/// itself (`self::…`), in `use` statements and inline, resolved to absolute module paths;
/// `pub use` re-exports as `(name, absolute path)`.
fn named_paths(
    code: &str,
    own: &[String],
    is_mod_file: bool,
) -> (Vec<ModulePath>, Vec<(String, ModulePath)>) {
    let mut raw = Vec::new();
    let mut reexports = Vec::new();
    // use statements
    let mut rest = code;
    while let Some(i) = rest.find("use ") {
        let before = &rest[..i];
        let is_stmt = before
            .chars()
            .last()
            .is_none_or(|c| c.is_whitespace() || c == ';' || c == '{' || c == '}');
        let after = &rest[i + 4..];
        let end = after.find(';').unwrap_or(after.len());
        if is_stmt {
            let public = before.trim_end().ends_with("pub") || before.trim_end().ends_with(')');
            let mut paths = Vec::new();
            expand_use(&after[..end], &[], &mut paths);
            for p in paths {
                if public {
                    if let Some(name) = p.last() {
                        reexports.push((name.clone(), p.clone()));
                    }
                }
                raw.push(p);
            }
        }
        rest = &after[end.min(after.len())..];
    }
    // inline paths
    let bytes: Vec<char> = code.chars().collect();
    let text: String = bytes.iter().collect();
    for start in ["crate::", "super::", "self::"] {
        for (i, _) in text.match_indices(start) {
            if i > 0 {
                let prev = text[..i].chars().last().unwrap_or(' ');
                if prev.is_ascii_alphanumeric() || prev == '_' || prev == ':' {
                    continue;
                }
            }
            let path: String = text[i..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            raw.push(
                path.split("::")
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect(),
            );
        }
    }
    // the module whose `super` is the parent: for mod.rs / x.rs files alike, `self` is
    // `own` and `super` is `own` minus its last segment
    let _ = is_mod_file;
    let resolve = |p: &Vec<String>| -> Option<Vec<String>> {
        let mut base: Vec<String>;
        let mut segs = p.as_slice();
        match segs.first().map(String::as_str) {
            Some("crate") => {
                base = Vec::new();
                segs = &segs[1..];
            }
            Some("self") => {
                base = own.to_vec();
                segs = &segs[1..];
            }
            Some("super") => {
                base = own.to_vec();
                while segs.first().map(String::as_str) == Some("super") {
                    base.pop();
                    segs = &segs[1..];
                }
            }
            _ => {
                // `use child::x` inside a module: a child module (resolved below if a file)
                base = own.to_vec();
            }
        }
        base.extend(segs.iter().cloned());
        Some(base)
    };
    let paths = raw.iter().filter_map(resolve).collect();
    let reexports = reexports
        .iter()
        .filter_map(|(n, p)| resolve(p).map(|r| (n.clone(), r)))
        .collect();
    (paths, reexports)
}

#[test]
fn no_cycles_between_files() {
    let files = module_files();
    let index = |bin: bool, path: &[String]| -> Option<usize> {
        files
            .iter()
            .position(|(_, m, b)| *b == bin && m.as_slice() == path)
    };
    let mut parsed = Vec::new();
    for (file, module, _) in &files {
        let code = code_of(&std::fs::read_to_string(file).unwrap());
        let is_mod = file.ends_with("mod.rs");
        parsed.push(named_paths(&code, module, is_mod));
    }
    // the file a path lands in: its longest prefix that is a file, then through re-exports
    let target = |bin: bool, path: &[String]| -> Option<usize> {
        let mut path = path.to_vec();
        for _ in 0..8 {
            let (mut found, mut len) = (None, 0);
            for l in (0..=path.len()).rev() {
                if let Some(i) = index(bin, &path[..l]) {
                    found = Some(i);
                    len = l;
                    break;
                }
            }
            let i = found?;
            let Some(name) = path.get(len) else {
                return Some(i);
            };
            match parsed[i]
                .1
                .iter()
                .find(|(n, p)| n == name && p.len() > len && p[..len] == path[..len])
            {
                Some((_, to)) if to != &path => {
                    let mut next = to.clone();
                    next.extend(path[len + 1..].iter().cloned());
                    path = next;
                }
                _ => return Some(i),
            }
        }
        None
    };
    let n = files.len();
    let mut edges = vec![Vec::new(); n];
    for (i, (paths, _)) in parsed.iter().enumerate() {
        let bin = files[i].2;
        for p in paths {
            if let Some(j) = target(bin, p) {
                // A file may use the root of a module that encloses it (`mod.rs`, `lib.rs`:
                // the module's shared definitions), which in turn declares and uses it;
                // every other cycle is reported.
                let (own, other) = (&files[i].1, &files[j].1);
                let encloses = other.len() < own.len() && own[..other.len()] == other[..];
                let root = files[j]
                    .0
                    .file_name()
                    .is_some_and(|n| n == "mod.rs" || n == "lib.rs" || n == "main.rs");
                if encloses && (root || other.len() + 1 == own.len()) {
                    continue;
                }
                if j != i && !edges[i].contains(&j) {
                    edges[i].push(j);
                }
            }
        }
    }
    // Tarjan's strongly connected components.
    struct Tarjan<'a> {
        edges: &'a [Vec<usize>],
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on: Vec<bool>,
        stack: Vec<usize>,
        next: usize,
        out: Vec<Vec<usize>>,
    }
    fn visit(t: &mut Tarjan, v: usize) {
        t.index[v] = Some(t.next);
        t.low[v] = t.next;
        t.next += 1;
        t.stack.push(v);
        t.on[v] = true;
        for k in 0..t.edges[v].len() {
            let w = t.edges[v][k];
            match t.index[w] {
                None => {
                    visit(t, w);
                    t.low[v] = t.low[v].min(t.low[w]);
                }
                Some(iw) if t.on[w] => t.low[v] = t.low[v].min(iw),
                _ => {}
            }
        }
        if Some(t.low[v]) == t.index[v] {
            let mut component = Vec::new();
            while let Some(w) = t.stack.pop() {
                t.on[w] = false;
                component.push(w);
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                t.out.push(component);
            }
        }
    }
    let mut t = Tarjan {
        edges: &edges,
        index: vec![None; n],
        low: vec![0; n],
        on: vec![false; n],
        stack: Vec::new(),
        next: 0,
        out: Vec::new(),
    };
    for v in 0..n {
        if t.index[v].is_none() {
            visit(&mut t, v);
        }
    }
    let total: usize = edges.iter().map(Vec::len).sum();
    assert!(
        total > 200,
        "found only {total} file-to-file uses: is the scan broken?"
    );
    let cycles: Vec<String> = t
        .out
        .iter()
        .map(|c| {
            c.iter()
                .map(|&i| {
                    files[i]
                        .0
                        .strip_prefix(env!("CARGO_MANIFEST_DIR"))
                        .unwrap()
                        .display()
                        .to_string()
                })
                .collect::<Vec<_>>()
                .join(" ↔ ")
        })
        .collect();
    assert!(
        cycles.is_empty(),
        "import cycles between files:\n{}",
        cycles.join("\n")
    );
}
