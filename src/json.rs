//! JSON text in and out of the console. In the browser the text is parsed and written by the
//! browser's own `JSON.parse` and `JSON.stringify`, and serde maps the values to and from Rust
//! types through serde-wasm-bindgen: the wasm binary then carries no JSON parser or printer of
//! its own. Native builds (the unit tests) use serde_json, which reads and writes the same text.

use openim_protocol::claims::{claims_payload, ClaimsError, TokenClaims};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// A JSON value read but not yet decoded into a type: an envelope's `data`, whose type
/// depends on the envelope's errCode.
#[cfg(target_arch = "wasm32")]
#[derive(serde::Deserialize)]
pub struct Raw(#[serde(with = "serde_wasm_bindgen::preserve")] wasm_bindgen::JsValue);

/// A JSON value read but not yet decoded into a type: an envelope's `data`, whose type
/// depends on the envelope's errCode.
#[cfg(not(target_arch = "wasm32"))]
pub type Raw = serde_json::Value;

/// The value `text` holds, as a `T`; the error says why it is not one.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    from_raw(parse(text)?)
}

/// The JSON text of `value`, compact, fields in declaration order (as serde_json writes it).
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> Result<String, String> {
    #[cfg(target_arch = "wasm32")]
    {
        let value = value
            .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
            .map_err(|e| e.to_string())?;
        js_sys::JSON::stringify(&value)
            .map(String::from)
            .map_err(|_| "not JSON".to_string())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        serde_json::to_string(value).map_err(|e| e.to_string())
    }
}

#[cfg(target_arch = "wasm32")]
fn parse(text: &str) -> Result<Raw, String> {
    use wasm_bindgen::JsCast;
    js_sys::JSON::parse(text)
        .map(Raw)
        .map_err(|e| e.unchecked_into::<js_sys::Error>().message().into())
}

#[cfg(not(target_arch = "wasm32"))]
fn parse(text: &str) -> Result<Raw, String> {
    serde_json::from_str(text).map_err(|e| e.to_string())
}

/// A value [`from_str`] or an envelope read, as a `T`.
pub fn from_raw<T: DeserializeOwned>(raw: Raw) -> Result<T, String> {
    #[cfg(target_arch = "wasm32")]
    {
        serde_wasm_bindgen::from_value(raw.0).map_err(|e| e.to_string())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        serde_json::from_value(raw).map_err(|e| e.to_string())
    }
}

/// The claims in a token's payload (§2.1), read as
/// [`openim_protocol::claims::decode_claims`] reads them.
pub fn decode_claims(token: &str) -> Result<TokenClaims, ClaimsError> {
    let bytes = claims_payload(token)?;
    let text = std::str::from_utf8(&bytes).map_err(|e| ClaimsError::BadJson(e.to_string()))?;
    from_str(text).map_err(ClaimsError::BadJson)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    struct Sample {
        #[serde(rename = "userID")]
        user_id: String,
        n: i64,
        #[serde(skip_serializing_if = "Option::is_none")]
        skipped: Option<String>,
        nothing: Option<String>,
    }

    #[test]
    fn round_trips_in_declaration_order() {
        let s = Sample {
            user_id: "a\"b\n\u{1}张".into(),
            n: 1_699_600_000_000,
            skipped: None,
            nothing: None,
        };
        let text = to_string(&s).unwrap();
        assert_eq!(
            text,
            r#"{"userID":"a\"b\n\u0001张","n":1699600000000,"nothing":null}"#
        );
        assert_eq!(from_str::<Sample>(&text).unwrap(), s);
        assert!(from_str::<Sample>("not json").is_err());
        assert!(from_str::<Sample>(r#"{"userID":1,"n":1}"#).is_err());
    }
}
