//! The emulator's state: the user table and the token-status hashes OpenIM keeps in Redis (§2.2).

use std::collections::{BTreeMap, HashMap};

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
}
