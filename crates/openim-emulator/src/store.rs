//! The emulator's state: the user table and the token-status hashes OpenIM keeps in Redis (§2.2).

use std::collections::BTreeMap;

use foldhash::{HashMap, HashMapExt};

use openim_protocol::platform::platform_name;
use openim_protocol::user::UserInfo;
use openim_protocol::ApiVersion;

/// The user table. v3.4.0 keeps users in MySQL with a case-insensitive primary key on userID
/// and lists them in key order (§3.2, §3.4); v3.8 keeps them in Mongo, case-sensitive, listed in
/// insertion order (§4.3, §4.5).
pub enum Users {
    /// Keyed by the lower-cased userID, which stands in for `utf8mb4_unicode_ci`.
    Mysql(BTreeMap<String, UserInfo>),
    Mongo {
        rows: Vec<UserInfo>,
        index: HashMap<String, usize>,
    },
}

impl Users {
    pub fn new(version: ApiVersion) -> Users {
        match version {
            ApiVersion::V3_4 => Users::Mysql(BTreeMap::new()),
            ApiVersion::V3_8 => Users::Mongo {
                rows: Vec::new(),
                index: HashMap::new(),
            },
        }
    }

    fn mysql_key(id: &str) -> String {
        id.to_lowercase()
    }

    /// The stored row the database would find for `id` (case-insensitively in v3.4).
    pub fn find(&self, id: &str) -> Option<&UserInfo> {
        match self {
            Users::Mysql(map) => map.get(&Self::mysql_key(id)),
            Users::Mongo { rows, index } => index.get(id).map(|&i| &rows[i]),
        }
    }

    pub fn find_mut(&mut self, id: &str) -> Option<&mut UserInfo> {
        match self {
            Users::Mysql(map) => map.get_mut(&Self::mysql_key(id)),
            Users::Mongo { rows, index } => index.get(id).map(|&i| &mut rows[i]),
        }
    }

    /// Inserts rows the caller has checked are new.
    pub fn insert_all(&mut self, users: impl IntoIterator<Item = UserInfo>) {
        match self {
            Users::Mysql(map) => {
                for u in users {
                    map.insert(Self::mysql_key(&u.user_id), u);
                }
            }
            Users::Mongo { rows, index } => {
                for u in users {
                    index.insert(u.user_id.clone(), rows.len());
                    rows.push(u);
                }
            }
        }
    }

    pub fn len(&self) -> usize {
        match self {
            Users::Mysql(map) => map.len(),
            Users::Mongo { rows, .. } => rows.len(),
        }
    }

    /// Every row in storage order.
    pub fn iter(&self) -> Box<dyn Iterator<Item = &UserInfo> + '_> {
        match self {
            Users::Mysql(map) => Box::new(map.values()),
            Users::Mongo { rows, .. } => Box::new(rows.iter()),
        }
    }
}

/// Redis token statuses (§2.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenStatus {
    Normal = 0,
    Kicked = 2,
}

/// Redis `HSET hash token 0`: a token issued twice within one second is the same string, and
/// the second write overwrites the first's status.
fn hset(entries: &mut Vec<(String, TokenStatus)>, token: String) {
    entries.retain(|(t, _)| *t != token);
    entries.push((token, TokenStatus::Normal));
}

/// `UID_PID_TOKEN_STATUS:<userID>:<PlatformName>` hashes, each in insertion order.
#[derive(Default)]
pub struct Tokens {
    map: HashMap<(String, &'static str), Vec<(String, TokenStatus)>>,
}

impl Tokens {
    fn key(user_id: &str, platform_id: i64) -> (String, &'static str) {
        (user_id.to_string(), platform_name(platform_id))
    }

    /// The stored status, `None` when the hash is empty or lacks the token (both are 1507).
    pub fn status(&self, user_id: &str, platform_id: i64, token: &str) -> Option<TokenStatus> {
        self.map
            .get(&Self::key(user_id, platform_id))?
            .iter()
            .find(|(t, _)| t == token)
            .map(|(_, s)| *s)
    }

    /// v3.4 `CreateToken`: drop entries of this user+platform that are no longer Normal or no
    /// longer parse, then add the new one. Other valid tokens stay valid.
    pub fn add_v34(
        &mut self,
        user_id: &str,
        platform_id: i64,
        token: String,
        still_parses: impl Fn(&str) -> bool,
    ) {
        let entry = self.map.entry(Self::key(user_id, platform_id)).or_default();
        entry.retain(|(t, s)| *s == TokenStatus::Normal && still_parses(t));
        hset(entry, token);
    }

    /// v3.8 `CreateToken` with multiLogin policy 1 (AllLoginButSameTermKick): every token of the
    /// same platform is kicked, every other platform keeps at most one Normal token (§2.2).
    pub fn add_v38(&mut self, user_id: &str, platform_id: i64, token: String) {
        let this = Self::key(user_id, platform_id);
        for (key, entries) in self.map.iter_mut().filter(|((u, _), _)| u == user_id) {
            if *key == this {
                entries
                    .iter_mut()
                    .for_each(|(_, s)| *s = TokenStatus::Kicked);
            } else {
                let mut kept = false;
                for (_, s) in entries.iter_mut().rev() {
                    if *s == TokenStatus::Normal {
                        if kept {
                            *s = TokenStatus::Kicked;
                        }
                        kept = true;
                    }
                }
            }
        }
        hset(self.map.entry(this).or_default(), token);
    }

    /// v3.8 `force_logout`: every token of the user on that platform becomes Kicked.
    pub fn kick_all(&mut self, user_id: &str, platform_id: i64) {
        if let Some(entries) = self.map.get_mut(&Self::key(user_id, platform_id)) {
            entries
                .iter_mut()
                .for_each(|(_, s)| *s = TokenStatus::Kicked);
        }
    }
}

/// One row of the chat server's admin table: `admins` in MySQL for chat v1.4, the Mongo `admin`
/// collection for v1.8 (chat-admin-api.md §3.3, §4.3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChatAdmin {
    pub account: String,
    /// Compared byte for byte at sign-in; seeded as the lowercase md5 hex of the account.
    pub password: String,
    pub nickname: String,
    pub face_url: String,
    pub level: i32,
    pub user_id: String,
}

/// The chat server's admin accounts. v1.4 finds them by a MySQL `varchar` primary key, taken
/// as case-insensitive like the v3.4 user table beside it; v1.8 by an exact Mongo match
/// (chat-admin-api.md §9.2, §10).
pub struct ChatAdmins {
    rows: Vec<ChatAdmin>,
    case_insensitive: bool,
}

impl ChatAdmins {
    pub fn new(version: ApiVersion) -> ChatAdmins {
        ChatAdmins {
            rows: Vec::new(),
            case_insensitive: version == ApiVersion::V3_4,
        }
    }

    fn same(&self, a: &str, b: &str) -> bool {
        if self.case_insensitive {
            a.to_lowercase() == b.to_lowercase()
        } else {
            a == b
        }
    }

    /// Seeds an account unless one with that name exists: chat never overwrites a stored admin.
    pub fn seed(&mut self, admin: ChatAdmin) {
        if self.find(&admin.account).is_none() {
            self.rows.push(admin);
        }
    }

    pub fn find(&self, account: &str) -> Option<&ChatAdmin> {
        self.rows.iter().find(|a| self.same(&a.account, account))
    }
}

/// chat's Redis hashes `CHAT_UID_TOKEN_STATUS:<userID>` of admin tokens, each field a token with
/// status 0 (chat-admin-api.md §3.5, §4.5). Sign-in writes them; no route the emulator serves
/// reads them yet.
#[derive(Default)]
pub struct ChatTokens {
    map: HashMap<String, ChatTokenHash>,
}

#[derive(Default)]
struct ChatTokenHash {
    /// In insertion order.
    tokens: Vec<String>,
    /// The key's TTL as an absolute time in seconds; `None` for no TTL.
    expires_at: Option<i64>,
}

impl ChatTokens {
    /// Most tokens chat v1.8.3+ keeps per admin userID (§4.5).
    pub const V18_CAP: usize = 10;

    /// v1.4 (§3.5): `HSET key token 0`, no TTL and no cap, so older tokens stay valid.
    pub fn add_v14(&mut self, user_id: &str, token: String) {
        let hash = self.map.entry(user_id.to_string()).or_default();
        hash.tokens.retain(|t| *t != token);
        hash.tokens.push(token);
    }

    /// v1.8.3+ (§4.5): `HSET key token "0"`, `EXPIRE key ttl`, drop every other token whose
    /// `exp` has passed or cannot be read, then keep at most ten, dropping the earliest `exp`
    /// first. The new token is always kept.
    pub fn add_v18(
        &mut self,
        user_id: &str,
        token: String,
        now: i64,
        ttl_secs: i64,
        exp_of: impl Fn(&str) -> Option<i64>,
    ) {
        let hash = self.map.entry(user_id.to_string()).or_default();
        if hash.expires_at.is_some_and(|at| at <= now) {
            hash.tokens.clear();
        }
        hash.expires_at = Some(now + ttl_secs);
        let mut others: Vec<(i64, String)> = std::mem::take(&mut hash.tokens)
            .into_iter()
            .filter(|t| *t != token)
            .filter_map(|t| exp_of(&t).filter(|&exp| exp > now).map(|exp| (exp, t)))
            .collect();
        if others.len() >= Self::V18_CAP {
            // Stable, so tokens with the same expiry leave in the order they came.
            others.sort_by_key(|(exp, _)| *exp);
            others.drain(..others.len() + 1 - Self::V18_CAP);
        }
        hash.tokens = others.into_iter().map(|(_, t)| t).collect();
        hash.tokens.push(token);
    }

    /// The tokens the hash of `user_id` holds at `now`; an expired key holds none.
    #[cfg(test)]
    pub fn tokens(&self, user_id: &str, now: i64) -> Vec<&str> {
        match self.map.get(user_id) {
            Some(h) if h.expires_at.is_none_or(|at| at > now) => {
                h.tokens.iter().map(String::as_str).collect()
            }
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(id: &str) -> UserInfo {
        UserInfo {
            user_id: id.into(),
            ..Default::default()
        }
    }

    #[test]
    fn mysql_is_case_insensitive_and_ordered() {
        let mut users = Users::new(ApiVersion::V3_4);
        users.insert_all([user("bob"), user("Alice"), user("carol")]);
        assert_eq!(users.find("ALICE").unwrap().user_id, "Alice");
        let order: Vec<_> = users.iter().map(|u| u.user_id.as_str()).collect();
        assert_eq!(order, ["Alice", "bob", "carol"]);
    }

    #[test]
    fn mongo_is_case_sensitive_and_in_insertion_order() {
        let mut users = Users::new(ApiVersion::V3_8);
        users.insert_all([user("bob"), user("Alice")]);
        assert!(users.find("alice").is_none());
        let order: Vec<_> = users.iter().map(|u| u.user_id.as_str()).collect();
        assert_eq!(order, ["bob", "Alice"]);
    }

    #[test]
    fn v38_new_token_kicks_same_platform() {
        let mut t = Tokens::default();
        t.add_v38("u", 1, "a".into());
        t.add_v38("u", 2, "b".into());
        t.add_v38("u", 1, "c".into());
        assert_eq!(t.status("u", 1, "a"), Some(TokenStatus::Kicked));
        assert_eq!(t.status("u", 1, "c"), Some(TokenStatus::Normal));
        assert_eq!(t.status("u", 2, "b"), Some(TokenStatus::Normal));
        // The same string issued again (same second, same claims) is Normal again.
        t.add_v38("u", 1, "c".into());
        assert_eq!(t.status("u", 1, "c"), Some(TokenStatus::Normal));
        t.kick_all("u", 2);
        assert_eq!(t.status("u", 2, "b"), Some(TokenStatus::Kicked));
        assert_eq!(t.status("u", 3, "b"), None);
    }

    #[test]
    fn v34_keeps_older_tokens() {
        let mut t = Tokens::default();
        t.add_v34("u", 1, "a".into(), |_| true);
        t.add_v34("u", 1, "b".into(), |_| true);
        assert_eq!(t.status("u", 1, "a"), Some(TokenStatus::Normal));
        t.add_v34("u", 1, "c".into(), |tok| tok != "a");
        assert_eq!(t.status("u", 1, "a"), None);
    }

    fn admin(account: &str) -> ChatAdmin {
        ChatAdmin {
            account: account.into(),
            password: "p".into(),
            nickname: String::new(),
            face_url: String::new(),
            level: 100,
            user_id: "u".into(),
        }
    }

    #[test]
    fn chat_admins_match_like_their_database() {
        let mut v14 = ChatAdmins::new(ApiVersion::V3_4);
        v14.seed(admin("admin1"));
        assert_eq!(v14.find("ADMIN1").unwrap().account, "admin1");
        let mut v18 = ChatAdmins::new(ApiVersion::V3_8);
        v18.seed(admin("chatAdmin"));
        assert!(v18.find("chatadmin").is_none());
        // Seeding never overwrites.
        v18.seed(ChatAdmin {
            password: "other".into(),
            ..admin("chatAdmin")
        });
        assert_eq!(v18.find("chatAdmin").unwrap().password, "p");
    }

    #[test]
    fn chat_v14_tokens_pile_up() {
        let mut t = ChatTokens::default();
        for n in 0..12 {
            t.add_v14("u", format!("t{n}"));
        }
        t.add_v14("u", "t3".into());
        assert_eq!(t.tokens("u", i64::MAX).len(), 12);
        assert_eq!(t.tokens("u", 0).last(), Some(&"t3"));
    }

    #[test]
    fn chat_v18_keeps_ten_and_drops_the_earliest_expiry() {
        let mut t = ChatTokens::default();
        // Token "tN" expires at 1000 + N.
        let exp = |tok: &str| {
            tok.strip_prefix('t')
                .and_then(|n| n.parse::<i64>().ok())
                .map(|n| 1000 + n)
        };
        for n in 0..12 {
            t.add_v18("u", format!("t{n}"), 10, 5000, exp);
        }
        let held = t.tokens("u", 10);
        assert_eq!(
            held,
            ["t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9", "t10", "t11"]
        );
        // Expired and unreadable tokens go first; the new one is kept even if it sorts first.
        t.add_v18("u", "t0".into(), 1004, 5000, exp);
        assert_eq!(
            t.tokens("u", 1004),
            ["t5", "t6", "t7", "t8", "t9", "t10", "t11", "t0"]
        );
        t.add_v18("u", "junk".into(), 1004, 5000, exp);
        t.add_v18("u", "t20".into(), 1004, 5000, exp);
        assert!(!t.tokens("u", 1004).contains(&"junk"));
        // The key's TTL: past it the hash is empty.
        assert!(t.tokens("u", 6004).is_empty());
        assert_eq!(t.tokens("u", 6003).len(), 8);
        assert!(t.tokens("nobody", 0).is_empty());
    }
}
