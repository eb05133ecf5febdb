//! The two API generations this project speaks (§0).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// An OpenIM API generation. The wire format differs in token issuance, registration auth,
/// account-check statuses and user listing (§0).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum ApiVersion {
    /// v3.3.x/v3.4.0: secret in the body, `/auth/user_token` (§3).
    #[default]
    #[serde(rename = "v3.4")]
    V3_4,
    /// v3.8.1+: `/auth/get_admin_token`, admin-token registration (§4).
    #[serde(rename = "v3.8")]
    V3_8,
}

impl ApiVersion {
    pub const ALL: [ApiVersion; 2] = [ApiVersion::V3_4, ApiVersion::V3_8];

    pub fn as_str(self) -> &'static str {
        match self {
            ApiVersion::V3_4 => "v3.4",
            ApiVersion::V3_8 => "v3.8",
        }
    }

    /// The administrator user IDs a default installation has (§2.4).
    pub fn default_admin_ids(self) -> &'static [&'static str] {
        match self {
            ApiVersion::V3_4 => &["openIM123456", "openIM654321", "openIMAdmin"],
            ApiVersion::V3_8 => &["imAdmin"],
        }
    }

    /// The admin ID a console should offer first.
    pub fn default_admin_id(self) -> &'static str {
        self.default_admin_ids()[0]
    }

    /// The path that issues an admin token in this generation.
    pub fn admin_token_path(self) -> &'static str {
        match self {
            ApiVersion::V3_4 => "/auth/user_token",
            ApiVersion::V3_8 => "/auth/get_admin_token",
        }
    }
}

impl fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ApiVersion {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().trim_start_matches(['v', 'V']) {
            "3.4" | "3.3" => Ok(ApiVersion::V3_4),
            "3.8" => Ok(ApiVersion::V3_8),
            _ => Err(format!("unknown API generation {s:?}: use v3.4 or v3.8")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_spellings() {
        assert_eq!("v3.4".parse::<ApiVersion>().unwrap(), ApiVersion::V3_4);
        assert_eq!("3.8".parse::<ApiVersion>().unwrap(), ApiVersion::V3_8);
        assert!("v3.6"
            .parse::<ApiVersion>()
            .unwrap_err()
            .contains("v3.4 or v3.8"));
    }

    #[test]
    fn admin_defaults() {
        assert_eq!(ApiVersion::V3_4.default_admin_id(), "openIM123456");
        assert_eq!(ApiVersion::V3_8.default_admin_id(), "imAdmin");
    }
}
