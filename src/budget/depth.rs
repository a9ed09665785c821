//! Bounds on nested and oversized JSON: configurations are small, so anything nested
//! deeper than [`MAX_JSON_DEPTH`] levels, with more than [`MAX_JSON_VALUES`] values, or a
//! text longer than [`MAX_JSON_TEXT_BYTES`], is refused with an error naming the field
//! (recursion on a 5000-deep value would otherwise overflow the stack, which in wasm is
//! "memory access out of bounds").

use crate::error::{Error, Result};
use serde_json::Value;

/// Deepest nesting accepted in a configuration (objects and arrays), in levels.
pub const MAX_JSON_DEPTH: usize = 64;
/// Most values (numbers, strings, ... and containers) accepted in one configuration.
pub const MAX_JSON_VALUES: usize = 1_000_000;
/// Longest JSON text accepted for a configuration or sweep point (bytes); model files
/// have their own limit ([`crate::persist::MAX_MODEL_BYTES`]).
pub const MAX_JSON_TEXT_BYTES: usize = 4 * 1024 * 1024;

/// The error for a value nested deeper than [`MAX_JSON_DEPTH`] at `path`.
pub fn too_deep(path: &str) -> Error {
    Error::Parse {
        what: "config",
        reason: format!(
            "`{}` is nested more than {MAX_JSON_DEPTH} levels deep",
            if path.is_empty() { "config" } else { path }
        ),
    }
}

/// The error for a configuration with more than [`MAX_JSON_VALUES`] values, found at `path`.
pub fn too_many_values(path: &str) -> Error {
    Error::Parse {
        what: "config",
        reason: format!(
            "`{}` makes the configuration hold more than {MAX_JSON_VALUES} values",
            if path.is_empty() { "config" } else { path }
        ),
    }
}

/// Most points one sweep may have.
pub const MAX_SWEEP_POINTS: f64 = 100_000.0;

/// Refuse a sweep of more than [`MAX_SWEEP_POINTS`] points (the product of its lists).
pub fn check_sweep_size(points: f64) -> Result<()> {
    if points > MAX_SWEEP_POINTS {
        return Err(Error::field(
            "sweep",
            format!("{points} points"),
            "must have <= 100000 points (the product of its lists and trials)",
        ));
    }
    Ok(())
}

/// Refuse a JSON text longer than [`MAX_JSON_TEXT_BYTES`] (`what` names it).
pub fn check_text(text: &str, what: &str) -> Result<()> {
    if text.len() > MAX_JSON_TEXT_BYTES {
        return Err(Error::Parse {
            what: "config",
            reason: format!(
                "{what} is {} bytes, more than the {MAX_JSON_TEXT_BYTES} byte limit",
                text.len()
            ),
        });
    }
    Ok(())
}

/// The object key nearest before `line`:`column` (1-based, as serde_json reports errors)
/// in the JSON `text`, e.g. `n_inputs` for an error inside `"n_inputs": -1`, so a parse
/// error can name the field. `None` if there is no key before that point.
pub fn key_near(text: &str, line: usize, column: usize) -> Option<String> {
    let mut offset = 0usize;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            offset += column.min(l.len());
            break;
        }
        offset += l.len();
    }
    let before = text.get(..offset.min(text.len()))?;
    // the last `"key":` before the offset (keys written by serde_json have no escapes)
    let colon = before.rfind("\":")?;
    let start = before[..colon].rfind('"')? + 1;
    let key = &before[start..colon];
    (!key.is_empty() && key.len() <= 64).then(|| key.to_string())
}

/// Check `value`'s depth (without recursion) and size; the error names the path of the
/// first value found too deep, e.g. `task.options[0][0]…`.
pub fn check_value(value: &Value) -> Result<()> {
    let mut stack: Vec<(&Value, usize, String)> = vec![(value, 0, String::new())];
    let mut count = 0usize;
    while let Some((value, depth, path)) = stack.pop() {
        count += 1;
        if count > MAX_JSON_VALUES {
            return Err(too_many_values(&path));
        }
        let children: Vec<(&Value, String)> = match value {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (v, format!("{path}[{i}]")))
                .collect(),
            Value::Object(map) => map
                .iter()
                .map(|(k, v)| {
                    let child = if path.is_empty() {
                        k.clone()
                    } else {
                        format!("{path}.{k}")
                    };
                    (v, child)
                })
                .collect(),
            _ => continue,
        };
        if depth >= MAX_JSON_DEPTH && !children.is_empty() {
            return Err(too_deep(&path));
        }
        stack.extend(children.into_iter().map(|(v, p)| (v, depth + 1, p)));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn deep_and_huge_values_are_refused_with_their_path() {
        let mut deep = json!(1);
        for _ in 0..5000 {
            deep = Value::Array(vec![deep]);
        }
        let config = json!({"task": {"id": "jl-xor", "tasks": deep}});
        let e = check_value(&config).unwrap_err().to_string();
        assert!(
            e.contains("`task.tasks[0]") && e.contains("64 levels"),
            "{e}"
        );
        // dropping a 5000-deep value recurses too; do it on a big stack
        std::thread::Builder::new()
            .stack_size(64 << 20)
            .spawn(move || drop(config))
            .unwrap()
            .join()
            .unwrap();
        let mut ok = json!(1);
        for _ in 0..60 {
            ok = json!({ "a": ok });
        }
        assert!(check_value(&ok).is_ok());
        assert!(
            check_text(&"x".repeat(MAX_JSON_TEXT_BYTES + 1), "the sweep point")
                .unwrap_err()
                .to_string()
                .contains("the sweep point")
        );
    }
}
