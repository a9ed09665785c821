//! The module graph points down (see the crate docs): a module uses only modules of its
//! own layer or below; `plot` uses no simulation or training code; nothing below `lab`
//! uses `lab`. Checked on the source text: every `crate::<module>` outside comments and
//! unit-test modules.

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

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
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
        if module == "lib" || relative.ends_with("/tests.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let mut named = Vec::new();
        // the library code: unit-test modules may build their fixtures with upper layers
        for line in text.lines().take_while(|l| !l.starts_with("#[cfg(test)]")) {
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
