//! Reading the claims of an OpenIM JWT without verifying it, for display (§2.1). Verification
//! needs the secret and is the server's business.

use serde::Deserialize;

/// OpenIM's token claims: Go field names `UserID`, `PlatformID`, plus registered claims in whole
/// seconds. v3.4 tokens carry `nbf` (issue time − 5 min); v3.8 tokens do not.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct TokenClaims {
    #[serde(rename = "UserID", default)]
    pub user_id: String,
    #[serde(rename = "PlatformID", default)]
    pub platform_id: i64,
    #[serde(default)]
    pub exp: Option<i64>,
    #[serde(default)]
    pub nbf: Option<i64>,
    #[serde(default)]
    pub iat: Option<i64>,
}

/// Why a token's claims could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClaimsError {
    NotThreeSegments,
    BadBase64,
    BadJson(String),
}

impl std::fmt::Display for ClaimsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ClaimsError::NotThreeSegments => f.write_str("a JWT has three dot-separated parts"),
            ClaimsError::BadBase64 => f.write_str("the payload is not base64url"),
            ClaimsError::BadJson(e) => write!(f, "the payload is not JSON claims: {e}"),
        }
    }
}

/// Decodes base64url with or without padding.
pub fn base64url_decode(input: &str) -> Option<Vec<u8>> {
    let input = input.trim_end_matches('=');
    let mut out = Vec::with_capacity(input.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for b in input.bytes() {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return None,
        } as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    if bits >= 6 {
        return None; // one stray character cannot encode a byte
    }
    Some(out)
}

/// The JSON text of a token's payload, still to be parsed: for a caller that reads JSON with
/// another parser than serde_json (the console in the browser uses the browser's own).
pub fn claims_payload(token: &str) -> Result<Vec<u8>, ClaimsError> {
    let mut parts = token.trim().split('.');
    let (Some(_), Some(payload), Some(_), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(ClaimsError::NotThreeSegments);
    };
    base64url_decode(payload).ok_or(ClaimsError::BadBase64)
}

/// The claims in a token's payload.
pub fn decode_claims(token: &str) -> Result<TokenClaims, ClaimsError> {
    let bytes = claims_payload(token)?;
    serde_json::from_slice(&bytes).map_err(|e| ClaimsError::BadJson(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The token printed in the classic guide (openim-token-guide.zh.md).
    const GUIDE_TOKEN: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJVc2VySUQiOiIxMTExMTExMiIsIlBsYXRmb3JtSUQiOjEsImV4cCI6MTcwNjU5NTM0MCwibmJmIjoxNjk4ODE5MDQwLCJpYXQiOjE2OTg4MTkzNDB9.YOeKRSwvTF0_yRNB3XwOCIYaTC-swVzxRjnHidUo4xw";

    #[test]
    fn decodes_the_guide_token() {
        let c = decode_claims(GUIDE_TOKEN).unwrap();
        assert_eq!(c.user_id, "11111112");
        assert_eq!(c.platform_id, 1);
        assert_eq!(c.exp, Some(1706595340));
        assert_eq!(c.nbf, Some(1698819040));
        assert_eq!(c.iat, Some(1698819340));
        // 90 days between iat and exp, nbf five minutes before iat (§2.1).
        assert_eq!(c.exp.unwrap() - c.iat.unwrap(), 7_776_000);
        assert_eq!(c.iat.unwrap() - c.nbf.unwrap(), 300);
    }

    #[test]
    fn rejects_garbage() {
        assert_eq!(decode_claims("abc"), Err(ClaimsError::NotThreeSegments));
        assert_eq!(decode_claims("a.b.c.d"), Err(ClaimsError::NotThreeSegments));
        assert_eq!(decode_claims("a.@@.c"), Err(ClaimsError::BadBase64));
        assert!(matches!(
            decode_claims("a.bm90IGpzb24.c"),
            Err(ClaimsError::BadJson(_))
        ));
    }

    #[test]
    fn base64url_round_trip_values() {
        assert_eq!(base64url_decode("aGVsbG8").unwrap(), b"hello");
        assert_eq!(base64url_decode("aGVsbG8=").unwrap(), b"hello");
        assert_eq!(base64url_decode("_-8").unwrap(), vec![0xff, 0xef]);
        assert_eq!(base64url_decode("a"), None);
    }
}
