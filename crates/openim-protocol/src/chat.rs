//! The OpenIM chat server's admin sign-in (../shared/chat-admin-api.md): how the official admin
//! front gets an OpenIM admin token (`imToken`) without the secret.

use serde::{Deserialize, Serialize};

/// `POST /account/login` on the chat admin API (port 10009; `/complete_admin/` behind nginx).
pub const LOGIN_PATH: &str = "/account/login";

/// The request: the password travels as the lowercase md5 hex of the plaintext.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LoginReq {
    pub account: String,
    pub password: String,
}

impl LoginReq {
    pub fn new(account: &str, plaintext_password: &str) -> LoginReq {
        LoginReq {
            account: account.to_string(),
            password: md5_hex(plaintext_password.as_bytes()),
        }
    }
}

/// The answer's `data`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct LoginResp {
    #[serde(rename = "adminAccount", default)]
    pub admin_account: String,
    #[serde(rename = "adminToken", default)]
    pub admin_token: String,
    #[serde(default)]
    pub nickname: String,
    #[serde(rename = "faceURL", default)]
    pub face_url: String,
    #[serde(default)]
    pub level: i32,
    #[serde(rename = "adminUserID", default)]
    pub admin_user_id: String,
    /// The OpenIM admin this chat admin acts as.
    #[serde(rename = "imUserID")]
    pub im_user_id: String,
    /// An OpenIM admin token for `im_user_id`.
    #[serde(rename = "imToken")]
    pub im_token: String,
}

/// Chat's own errCodes for the sign-in.
pub const PASSWORD_ERROR: i32 = 20001;
pub const ACCOUNT_NOT_FOUND: i32 = 20002;

/// MD5 (RFC 1321) as lowercase hex.
pub fn md5_hex(input: &[u8]) -> String {
    const S: [u32; 64] = [
        7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5,
        9, 14, 20, 5, 9, 14, 20, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10,
        15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
    ];
    let k: Vec<u32> = (0..64)
        .map(|i| ((i as f64 + 1.0).sin().abs() * 4_294_967_296.0) as u32)
        .collect();
    let mut msg = input.to_vec();
    let bit_len = (input.len() as u64).wrapping_mul(8);
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&bit_len.to_le_bytes());
    let (mut a0, mut b0, mut c0, mut d0) = (
        0x6745_2301u32,
        0xefcd_ab89u32,
        0x98ba_dcfeu32,
        0x1032_5476u32,
    );
    for chunk in msg.chunks(64) {
        let m: Vec<u32> = chunk
            .chunks(4)
            .map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]]))
            .collect();
        let (mut a, mut b, mut c, mut d) = (a0, b0, c0, d0);
        for i in 0..64 {
            let (f, g) = match i / 16 {
                0 => ((b & c) | (!b & d), i),
                1 => ((d & b) | (!d & c), (5 * i + 1) % 16),
                2 => (b ^ c ^ d, (3 * i + 5) % 16),
                _ => (c ^ (b | !d), (7 * i) % 16),
            };
            let f = f.wrapping_add(a).wrapping_add(k[i]).wrapping_add(m[g]);
            a = d;
            d = c;
            c = b;
            b = b.wrapping_add(f.rotate_left(S[i]));
        }
        a0 = a0.wrapping_add(a);
        b0 = b0.wrapping_add(b);
        c0 = c0.wrapping_add(c);
        d0 = d0.wrapping_add(d);
    }
    [a0, b0, c0, d0]
        .iter()
        .flat_map(|w| w.to_le_bytes())
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn md5_matches_rfc_1321_and_the_chat_defaults() {
        assert_eq!(md5_hex(b""), "d41d8cd98f00b204e9800998ecf8427e");
        assert_eq!(md5_hex(b"abc"), "900150983cd24fb0d6963f7d28e17f72");
        assert_eq!(
            md5_hex(
                b"12345678901234567890123456789012345678901234567890123456789012345678901234567890"
            ),
            "57edf4a22be3c955ac49da2e2107b67a"
        );
        // chat-admin-api.md §1: the default passwords are md5(account).
        assert_eq!(md5_hex(b"admin1"), "e00cf25ad42683b3df678c61f42c6bda");
        assert_eq!(md5_hex(b"chatAdmin"), "625031fc4e4f2de6b187e6bfa3697784");
    }

    #[test]
    fn login_request_and_answer() {
        let req = LoginReq::new("chatAdmin", "chatAdmin");
        assert_eq!(
            serde_json::to_string(&req).unwrap(),
            r#"{"account":"chatAdmin","password":"625031fc4e4f2de6b187e6bfa3697784"}"#
        );
        let resp: LoginResp = serde_json::from_str(
            r#"{"adminAccount":"chatAdmin","adminToken":"a.b.c","nickname":"","faceURL":"","level":100,"adminUserID":"imAdmin","imUserID":"imAdmin","imToken":"x.y.z"}"#,
        )
        .unwrap();
        assert_eq!(
            (resp.im_user_id.as_str(), resp.im_token.as_str(), resp.level),
            ("imAdmin", "x.y.z", 100)
        );
    }
}
