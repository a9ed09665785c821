//! The wasm boundary's conversions. Out: [`to_js`], the one way every export returns a
//! record (JSON-compatible: maps as plain objects, `None` as `null`, so JS never converts
//! a `Map` back). In: JS value → `serde_json::Value`, rejecting what JSON cannot hold (NaN, ±Infinity,
//! functions, ...) with an error that names the path of the bad field. Nesting deeper than
//! [`MAX_JSON_DEPTH`] levels or more than [`MAX_JSON_VALUES`] values are refused (the
//! conversion recurses; a 5000-deep array would otherwise overflow the wasm stack).

use crate::budget::depth::{too_deep, too_many_values, MAX_JSON_DEPTH, MAX_JSON_VALUES};
use crate::error::bad;
use crate::error::Result;
use js_sys::{Array, Object};
use serde_json::{Map, Number, Value};
use wasm_bindgen::{JsCast, JsValue};

/// Largest integer a JS number represents exactly.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// `value` as a plain JS value (objects, arrays, numbers, strings, `null`): the one
/// conversion of every export's record.
pub fn to_js<T: serde::Serialize + ?Sized>(
    value: &T,
) -> std::result::Result<JsValue, serde_wasm_bindgen::Error> {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
}

/// Convert `value` (found at `path`, e.g. `network.dt_ms`) to JSON. Object keys whose
/// value is `undefined` are dropped (treated as absent); integral numbers become JSON
/// integers so they deserialize into `usize`/`u64` fields.
pub fn to_json(value: &JsValue, path: &str) -> Result<Value> {
    convert(value, path, 0, &mut 0)
}

/// [`to_json`] at nesting `depth`, with `count` values converted so far.
fn convert(value: &JsValue, path: &str, depth: usize, count: &mut usize) -> Result<Value> {
    *count += 1;
    if *count > MAX_JSON_VALUES {
        return Err(too_many_values(path));
    }
    if value.is_null() || value.is_undefined() {
        return Ok(Value::Null);
    }
    if let Some(flag) = value.as_bool() {
        return Ok(Value::Bool(flag));
    }
    if let Some(x) = value.as_f64() {
        return number(x, path).map(Value::Number);
    }
    if let Some(text) = value.as_string() {
        return Ok(Value::String(text));
    }
    let container = Array::is_array(value) || (value.is_object() && !value.is_function());
    if container && depth >= MAX_JSON_DEPTH {
        return Err(too_deep(path));
    }
    if Array::is_array(value) {
        let array: &Array = value.unchecked_ref();
        if array.length() as usize > MAX_JSON_VALUES {
            return Err(too_many_values(path));
        }
        let items = array
            .iter()
            .enumerate()
            .map(|(i, item)| convert(&item, &format!("{path}[{i}]"), depth + 1, count));
        return items.collect::<Result<Vec<_>>>().map(Value::Array);
    }
    if value.is_object() && !value.is_function() {
        let mut map = Map::new();
        for entry in Object::entries(value.unchecked_ref()).iter() {
            let pair: Array = entry.unchecked_into();
            let key = pair.get(0).as_string().unwrap_or_default();
            let item = pair.get(1);
            if item.is_undefined() {
                continue;
            }
            let child = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            map.insert(key, convert(&item, &child, depth + 1, count)?);
        }
        return Ok(Value::Object(map));
    }
    Err(bad(
        path,
        "must be a number, string, boolean, array or object",
        describe(value),
    ))
}

fn number(x: f64, path: &str) -> Result<Number> {
    if !x.is_finite() {
        return Err(bad(path, "must be a finite number", format!("{x}")));
    }
    if x.fract() == 0.0 && x.abs() <= MAX_SAFE_INTEGER {
        return Ok(if x >= 0.0 {
            Number::from(x as u64)
        } else {
            Number::from(x as i64)
        });
    }
    Number::from_f64(x).ok_or_else(|| bad(path, "must be a finite number", format!("{x}")))
}

fn describe(value: &JsValue) -> String {
    value
        .js_typeof()
        .as_string()
        .unwrap_or_else(|| "an unknown value".into())
}

/// A JS string holding JSON, or a JS object, as JSON (parse errors name `what`, field
/// errors start at `path`).
pub fn json_arg(value: &JsValue, what: &'static str, path: &str) -> Result<Value> {
    match value.as_string() {
        Some(text) => {
            crate::budget::depth::check_text(&text, what)?;
            serde_json::from_str(&text).map_err(|e| crate::Error::Parse {
                what,
                reason: e.to_string(),
            })
        }
        None => to_json(value, path),
    }
}
