//! Telling the API generation from the server's own answers (§0, §1.3): v3.8 registers
//! `/auth/get_admin_token` and answers an empty body with an ArgsError envelope; v3.4 has no such
//! route and gin answers 404 with plain text.

use openim_protocol::ApiVersion;

use super::{ApiError, Client};

/// What one probe showed.
#[derive(Clone, Debug, PartialEq)]
pub enum Probe {
    Detected(ApiVersion),
    /// The server answered, but not as either generation would.
    Unrecognised(String),
}

/// Classifies the answer to `POST /auth/get_admin_token {}`. A proxy's 502/503/504 says
/// nothing about the generation, only that the server behind it is down, so it is an error.
pub fn classify(status: u16, body: &str) -> Result<Probe, ApiError> {
    if (502..=504).contains(&status) {
        return Err(ApiError::Http {
            status,
            body: super::error::snippet(body),
        });
    }
    let envelope = super::log::err_code(body);
    Ok(match (status, envelope) {
        (404, None) if body.contains("404 page not found") => Probe::Detected(ApiVersion::V3_4),
        (200, Some(_)) => Probe::Detected(ApiVersion::V3_8),
        _ => Probe::Unrecognised(format!("HTTP {status}: {}", super::error::snippet(body))),
    })
}

pub async fn detect(client: &Client) -> Result<Probe, ApiError> {
    let answer = client
        .post_raw(ApiVersion::V3_8.admin_token_path(), None, "{}".into())
        .await?;
    classify(answer.status, &answer.body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_the_generations_apart() {
        assert_eq!(
            classify(404, "404 page not found"),
            Ok(Probe::Detected(ApiVersion::V3_4))
        );
        assert_eq!(
            classify(200, r#"{"errCode":1001,"errMsg":"ArgsError","errDlt":""}"#),
            Ok(Probe::Detected(ApiVersion::V3_8))
        );
        assert!(matches!(
            classify(200, "<html>index</html>"),
            Ok(Probe::Unrecognised(_))
        ));
        assert!(matches!(
            classify(418, "teapot"),
            Ok(Probe::Unrecognised(_))
        ));
        // A proxy whose upstream is down: the address and generation may be fine.
        assert!(matches!(
            classify(502, "<html>bad gateway</html>"),
            Err(ApiError::Http { status: 502, .. })
        ));
    }
}
