//! The claims exports in Node.js (`cargo test --target wasm32-unknown-unknown --test
//! wasm_claims`): the registry lists the papers, `runClaim` runs a cheap group (the clock
//! is `performance.now`, wasm has no `Instant`) and bad ids are errors, not traps.
#![cfg(target_arch = "wasm32")]

use js_sys::JSON;
use serde_json::Value;
use sparse_rnn_lab::wasm::{claim_ids_js, claim_papers, run_claim_js};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

/// An export's record (a plain object, not JSON text) read back as JSON.
fn json(record: JsValue) -> Value {
    assert!(record.is_object(), "{record:?}");
    let text: String = JSON::stringify(&record).unwrap().into();
    serde_json::from_str(&text).unwrap()
}

#[wasm_bindgen_test]
fn claims_run_one_group_at_a_time() {
    let papers: Value = json(claim_papers().unwrap());
    assert!(papers
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["id"] == "turcu"));
    let groups: Vec<String> = serde_json::from_value(json(claim_ids_js("rules").unwrap())).unwrap();
    assert_eq!(groups, ["pc-vs-bptt", "feedback-alignment"]);
    let claims = json(run_claim_js("rules", "pc-vs-bptt", true).unwrap());
    let first = &claims[0];
    assert_eq!(first["paper"], "rules");
    assert_eq!(first["holds"], true, "FPA = BPTT: {first}");
    // The clock is `performance.now` (installed by `runClaim`): real work takes time.
    assert!(first["seconds"].as_f64().unwrap() > 0.0, "{first}");
    assert!(first["chart"]["series"].as_array().unwrap().len() >= 8);
    let all = json(run_claim_js("all", "rules/feedback-alignment", true).unwrap());
    assert_eq!(all.as_array().unwrap().len(), 2);
    assert!(claim_ids_js("nope").is_err());
    assert!(run_claim_js("turcu", "nope", true).is_err());
}
