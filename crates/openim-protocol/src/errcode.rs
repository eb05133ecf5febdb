//! OpenIM errCodes used by the user and auth endpoints (§1.6).

/// A numeric OpenIM errCode. Unknown codes are kept as they are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ErrCode(pub i32);

impl ErrCode {
    pub const OK: ErrCode = ErrCode(0);
    pub const SERVER_INTERNAL: ErrCode = ErrCode(500);
    pub const ARGS: ErrCode = ErrCode(1001);
    pub const NO_PERMISSION: ErrCode = ErrCode(1002);
    pub const RECORD_NOT_FOUND: ErrCode = ErrCode(1004);
    pub const USER_ID_NOT_FOUND: ErrCode = ErrCode(1101);
    pub const REGISTERED_ALREADY: ErrCode = ErrCode(1102);
    pub const TOKEN_EXPIRED: ErrCode = ErrCode(1501);
    pub const TOKEN_INVALID: ErrCode = ErrCode(1502);
    pub const TOKEN_MALFORMED: ErrCode = ErrCode(1503);
    pub const TOKEN_NOT_VALID_YET: ErrCode = ErrCode(1504);
    pub const TOKEN_UNKNOWN: ErrCode = ErrCode(1505);
    pub const TOKEN_KICKED: ErrCode = ErrCode(1506);
    pub const TOKEN_NOT_EXIST: ErrCode = ErrCode(1507);

    /// OpenIM's error name, which is also the usual `errMsg` (§1.5).
    pub fn name(self) -> Option<&'static str> {
        Some(match self.0 {
            0 => "",
            500 => "ServerInternalError",
            1001 => "ArgsError",
            1002 => "NoPermissionError",
            1004 => "RecordNotFoundError",
            1101 => "UserIDNotFoundError",
            1102 => "RegisteredAlreadyError",
            1501 => "TokenExpiredError",
            1502 => "TokenInvalidError",
            1503 => "TokenMalformedError",
            1504 => "TokenNotValidYetError",
            1505 => "TokenUnknownError",
            1506 => "TokenKickedError",
            1507 => "TokenNotExistError",
            _ => return None,
        })
    }

    /// Codes after which a fresh token may help (issue: renew once and retry once).
    pub fn is_token_error(self) -> bool {
        matches!(self.0, 1501..=1507)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_openim() {
        assert_eq!(ErrCode::ARGS.name(), Some("ArgsError"));
        assert_eq!(
            ErrCode::REGISTERED_ALREADY.name(),
            Some("RegisteredAlreadyError")
        );
        assert_eq!(ErrCode(4242).name(), None);
        assert!(ErrCode::TOKEN_KICKED.is_token_error());
        assert!(!ErrCode::NO_PERMISSION.is_token_error());
    }
}
