//! OpenIM's HS256 tokens (§2.1): signing, and parsing with golang-jwt v4's rules and error
//! classes, which decide the errCode a bad token gets (§2.2).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Sha256, Sha384, Sha512};

/// The claims OpenIM signs, in its field order: `UserID`, `PlatformID`, `exp`, `nbf` (v3.4 only), `iat`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    #[serde(rename = "UserID")]
    pub user_id: String,
    #[serde(rename = "PlatformID")]
    pub platform_id: i64,
    pub exp: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nbf: Option<i64>,
    pub iat: i64,
}

pub fn sign(claims: &Claims, secret: &str) -> String {
    sign_claims(claims, secret)
}

/// HS256 over any claims struct, serialised in its field order (golang-jwt v4 `SignedString`);
/// the chat server's admin tokens carry a `UserType` claim OpenIM's lack.
pub fn sign_claims<C: Serialize>(claims: &C, secret: &str) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).expect("claims serialise"));
    let signing_input = format!("{header}.{payload}");
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(signing_input.as_bytes());
    format!(
        "{signing_input}.{}",
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    )
}

/// golang-jwt v4 `ValidationError` classes, in the order OpenIM's `GetClaimFromToken` tests them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JwtError {
    Malformed(String),
    Expired(String),
    NotValidYet(String),
    /// Signature, unknown algorithm, or `iat` in the future: the jwt library's text.
    Other(String),
}

impl JwtError {
    /// The jwt library's error text (v3.8 uses it as errMsg for 1505, §1.5).
    pub fn text(&self) -> &str {
        match self {
            JwtError::Malformed(t)
            | JwtError::Expired(t)
            | JwtError::NotValidYet(t)
            | JwtError::Other(t) => t,
        }
    }
}

fn hmac_ok(alg: &str, secret: &[u8], input: &[u8], sig: &[u8]) -> Option<bool> {
    fn check<M: Mac + hmac::digest::KeyInit>(secret: &[u8], input: &[u8], sig: &[u8]) -> bool {
        let mut mac = <M as Mac>::new_from_slice(secret).expect("any key length");
        mac.update(input);
        mac.verify_slice(sig).is_ok()
    }
    Some(match alg {
        "HS256" => check::<Hmac<Sha256>>(secret, input, sig),
        "HS384" => check::<Hmac<Sha384>>(secret, input, sig),
        "HS512" => check::<Hmac<Sha512>>(secret, input, sig),
        _ => return None,
    })
}

/// golang-jwt's segment decoding: raw URL base64 (no padding).
fn segment(s: &str) -> Result<Vec<u8>, JwtError> {
    URL_SAFE_NO_PAD
        .decode(s)
        .map_err(|_| JwtError::Malformed("illegal base64 data".into()))
}

/// A JSON number claim as Go's `NumericDate` reads it (whole seconds, fractions truncated).
fn numeric_date(v: Option<&Value>) -> Result<Option<i64>, JwtError> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => Ok(n.as_f64().map(|f| f as i64)),
        Some(_) => Err(JwtError::Malformed("could not JSON decode claim".into())),
    }
}

/// Parses and verifies `token` as `jwt.ParseWithClaims` with a key func that returns `secret`
/// for every algorithm (the algorithm is not pinned, §2.1). Claims are validated before the
/// signature, and a claim failure wins over a bad signature, as in golang-jwt v4.
pub fn parse(token: &str, secret: &str, now: i64) -> Result<Claims, JwtError> {
    let parts: Vec<&str> = token.split('.').collect();
    if parts.len() != 3 {
        return Err(JwtError::Malformed(
            "token contains an invalid number of segments".into(),
        ));
    }
    let header: Value = serde_json::from_slice(&segment(parts[0])?)
        .map_err(|_| JwtError::Malformed("could not JSON decode header".into()))?;
    let claims: Value = serde_json::from_slice(&segment(parts[1])?)
        .map_err(|_| JwtError::Malformed("could not JSON decode claim".into()))?;
    let Value::Object(map) = &claims else {
        return Err(JwtError::Malformed("could not JSON decode claim".into()));
    };
    let user_id = match map.get("UserID") {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(_) => return Err(JwtError::Malformed("could not JSON decode claim".into())),
    };
    let platform_id = match map.get("PlatformID") {
        None | Some(Value::Null) => 0,
        Some(Value::Number(n)) if n.as_i64().is_some() => n.as_i64().unwrap_or_default(),
        Some(_) => return Err(JwtError::Malformed("could not JSON decode claim".into())),
    };
    let exp = numeric_date(map.get("exp"))?;
    let nbf = numeric_date(map.get("nbf"))?;
    let iat = numeric_date(map.get("iat"))?;

    let alg = header.get("alg").and_then(Value::as_str).unwrap_or("");
    let input = format!("{}.{}", parts[0], parts[1]);
    let sig = segment(parts[2]);
    let signature_error = match (
        hmac_ok(
            alg,
            secret.as_bytes(),
            input.as_bytes(),
            sig.as_deref().unwrap_or(&[]),
        ),
        &sig,
    ) {
        (None, _) if alg == "none" => Some("'none' signature type is not allowed".to_string()),
        (None, _)
            if alg.starts_with("RS")
                || alg.starts_with("ES")
                || alg.starts_with("PS")
                || alg == "EdDSA" =>
        {
            Some("key is of invalid type".to_string())
        }
        (None, _) => Some("signing method (alg) is unavailable.".to_string()),
        (Some(_), Err(_)) => Some("illegal base64 data".to_string()),
        (Some(true), Ok(_)) => None,
        (Some(false), Ok(_)) => Some("signature is invalid".to_string()),
    };

    if let Some(exp) = exp {
        if now >= exp {
            return Err(JwtError::Expired(format!(
                "token is expired by {}s",
                now - exp
            )));
        }
    }
    if let Some(iat) = iat {
        if now < iat {
            return Err(JwtError::Other("Token used before issued".into()));
        }
    }
    if let Some(nbf) = nbf {
        if now < nbf {
            return Err(JwtError::NotValidYet("token is not valid yet".into()));
        }
    }
    if let Some(text) = signature_error {
        return Err(JwtError::Other(text));
    }
    Ok(Claims {
        user_id,
        platform_id,
        exp: exp.unwrap_or(0),
        nbf,
        iat: iat.unwrap_or(0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(exp: i64) -> Claims {
        Claims {
            user_id: "u1".into(),
            platform_id: 1,
            exp,
            nbf: Some(1000 - 300),
            iat: 1000,
        }
    }

    #[test]
    fn signs_like_openim() {
        let t = sign(&claims(2000), "openIM123");
        let payload = URL_SAFE_NO_PAD
            .decode(t.split('.').nth(1).unwrap())
            .unwrap();
        assert_eq!(
            String::from_utf8(payload).unwrap(),
            r#"{"UserID":"u1","PlatformID":1,"exp":2000,"nbf":700,"iat":1000}"#
        );
        assert!(t.starts_with("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."));
        assert_eq!(parse(&t, "openIM123", 1500).unwrap(), claims(2000));
    }

    #[test]
    fn verifies_the_guide_token_signature_class() {
        // Signed with some other secret: a signature failure.
        let guide = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJVc2VySUQiOiIxMTExMTExMiIsIlBsYXRmb3JtSUQiOjEsImV4cCI6MTcwNjU5NTM0MCwibmJmIjoxNjk4ODE5MDQwLCJpYXQiOjE2OTg4MTkzNDB9.YOeKRSwvTF0_yRNB3XwOCIYaTC-swVzxRjnHidUo4xw";
        let at = 1_700_000_000;
        match parse(guide, "not-the-secret", at) {
            Err(JwtError::Other(t)) => assert_eq!(t, "signature is invalid"),
            other => panic!("{other:?}"),
        }
        // Long expired: expiry wins over the signature, as in golang-jwt v4.
        assert!(matches!(
            parse(guide, "x", 1_800_000_000),
            Err(JwtError::Expired(_))
        ));
    }

    #[test]
    fn classifies_failures() {
        assert!(matches!(parse("abc", "s", 0), Err(JwtError::Malformed(_))));
        assert!(matches!(
            parse("a.b.c", "s", 0),
            Err(JwtError::Malformed(_))
        ));
        let t = sign(&claims(2000), "s");
        assert!(matches!(parse(&t, "s", 600), Err(JwtError::Other(_)))); // before iat
        let mut c = claims(2000);
        c.iat = 0;
        let t = sign(&c, "s");
        assert!(matches!(parse(&t, "s", 600), Err(JwtError::NotValidYet(_))));
        assert!(matches!(parse(&t, "s", 2000), Err(JwtError::Expired(_))));
        let none = format!(
            "{}.{}.",
            URL_SAFE_NO_PAD.encode(br#"{"alg":"none"}"#),
            t.split('.').nth(1).unwrap()
        );
        assert_eq!(
            parse(&none, "s", 1500).unwrap_err().text(),
            "'none' signature type is not allowed"
        );
    }

    #[test]
    fn accepts_other_hmac_algorithms_with_the_same_secret() {
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS512","typ":"JWT"}"#);
        let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims(2000)).unwrap());
        let input = format!("{header}.{payload}");
        let mut mac = Hmac::<Sha512>::new_from_slice(b"s").unwrap();
        mac.update(input.as_bytes());
        let t = format!(
            "{input}.{}",
            URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
        );
        assert_eq!(parse(&t, "s", 1500).unwrap().user_id, "u1");
    }
}
