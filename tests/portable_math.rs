//! Same numbers natively and in wasm: the core and the `lab` layer call no platform
//! transcendental function. `f64::exp`, `ln`, `tanh`, `sin`, … go to the platform's libm
//! (glibc natively, a Rust port of musl in wasm32), whose last bits differ; one ulp in a
//! membrane decay or a softmax flips a spike or a Hebbian threshold and the whole run
//! diverges (found by `tests/smoke/claims-parity.mjs`: the SpyTorch claim gave 0.875
//! natively and 0.852 in the page's wasm). The project's own `crate::math::{exp, ln, tanh,
//! sin, cos, …}` use only IEEE basic operations and are bit-identical everywhere.
//! Checked on the source text: every line outside comments and unit tests of every file
//! under `src/` except `src/math/` (which defines them), `src/plot/` (drawing only) and
//! `src/wasm/` / `src/python/` (bindings). A line may opt out with a comment `// libm ok:
//! <why>` when its result is only reported (an angle printed in degrees), never computed on.

#[path = "support/source_files.rs"]
mod source_files;

use source_files::rust_files;
use std::path::Path;

/// Method calls that reach the platform's libm.
const PLATFORM_CALLS: [&str; 21] = [
    ".exp()",
    ".exp2()",
    ".exp_m1()",
    ".ln()",
    ".ln_1p()",
    ".log(",
    ".log2()",
    ".log10()",
    ".powf(",
    ".tanh()",
    ".sinh()",
    ".cosh()",
    ".sin()",
    ".cos()",
    ".tan()",
    ".asin()",
    ".acos()",
    ".atan()",
    ".atan2(",
    ".cbrt()",
    ".hypot(",
];

/// The offending lines of one file's text: (line number, line), unit tests excluded (the
/// file's `#[cfg(test)]` module and everything after it).
fn platform_calls(text: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let (code, comment) = line.split_once("//").unwrap_or((line, ""));
        if line.trim_start().starts_with("#[cfg(test)]") {
            break;
        }
        if comment.contains("libm ok:") {
            continue;
        }
        if PLATFORM_CALLS.iter().any(|call| code.contains(call)) {
            found.push((i + 1, line.trim().to_string()));
        }
    }
    found
}

#[test]
fn the_scanner_finds_a_platform_call_and_skips_comments_and_tests() {
    let text = "fn a(x: f64) -> f64 {\n    // x.exp() in a comment\n    x.exp() + crate::math::ln(x)\n}\n#[cfg(test)]\nmod tests { fn b(x: f64) -> f64 { x.sin() } }\n";
    assert_eq!(
        platform_calls(text),
        vec![(3, "x.exp() + crate::math::ln(x)".to_string())]
    );
    assert!(platform_calls("let y = crate::math::exp(x) * x.sqrt();").is_empty());
    assert!(platform_calls("let a = c.acos(); // libm ok: reported only").is_empty());
}

#[test]
fn core_and_lab_use_only_the_portable_math() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let exempt = ["math", "plot", "wasm", "python"];
    let mut offences = Vec::new();
    for file in files {
        let relative = file.strip_prefix(&root).unwrap();
        let top = relative.components().next().unwrap().as_os_str();
        if exempt.iter().any(|e| top == *e) || relative.file_name().unwrap() == "tests.rs" {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for (line, code) in platform_calls(&text) {
            offences.push(format!("src/{}:{line}: {code}", relative.display()));
        }
    }
    assert!(
        offences.is_empty(),
        "platform libm calls (use crate::math::exp/ln/tanh/sin/cos instead, so native and wasm agree bit for bit):\n{}",
        offences.join("\n")
    );
}
