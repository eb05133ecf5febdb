//! The response envelope every endpoint answers with (§1.3).

use serde::{Deserialize, Serialize};

use crate::ErrCode;

/// `{"errCode","errMsg","errDlt","data"?}`. `data` is absent on errors and on responses whose
/// message has no fields (§1.3), so it is optional here.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Envelope<T> {
    #[serde(rename = "errCode")]
    pub err_code: i32,
    #[serde(rename = "errMsg", default)]
    pub err_msg: String,
    #[serde(rename = "errDlt", default)]
    pub err_dlt: String,
    #[serde(default = "Option::default", skip_serializing_if = "Option::is_none")]
    pub data: Option<T>,
}

impl<T> Envelope<T> {
    pub fn code(&self) -> ErrCode {
        ErrCode(self.err_code)
    }

    pub fn is_ok(&self) -> bool {
        self.err_code == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn decodes_success_without_data() {
        let e: Envelope<Value> =
            serde_json::from_str(r#"{"errCode":0,"errMsg":"","errDlt":""}"#).unwrap();
        assert!(e.is_ok());
        assert_eq!(e.data, None);
    }

    #[test]
    fn decodes_error() {
        let e: Envelope<Value> = serde_json::from_str(
            r#"{"errCode":1002,"errMsg":"NoPermissionError","errDlt":"secret invalid: 1002 NoPermissionError"}"#,
        )
        .unwrap();
        assert_eq!(e.code(), ErrCode::NO_PERMISSION);
        assert_eq!(e.err_dlt, "secret invalid: 1002 NoPermissionError");
    }
}
