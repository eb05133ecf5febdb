//! The import planner: a pure state machine that turns input rows into registration batches and
//! account checks and accounts for every row exactly once. The page runs its work items a few at
//! a time and reports back; this module decides what happens next.
//!
//! Why it works this way: most imports are of new users, so rows are registered in batches of up
//! to [`BATCH`] without looking them up first. OpenIM registers a batch all or nothing and one
//! existing ID fails the whole batch with 1102 (§3.2, §4.3), so only a batch answered 1102 costs
//! an account_check: its registered rows already existed, and the rest are sent again as one
//! batch. A checked batch that still gets 1102 (someone registered an ID meanwhile, or on v3.4 an
//! ID that differs only in case from a stored one, which account_check calls unregistered, §3.3)
//! is split in halves and resent until the row to blame stands alone; that row is then checked:
//! registered means it already existed, unregistered means it cannot be registered.
//!
//! A batch whose answer never came may or may not have been created. Its rows are checked
//! together before anything is sent again: all registered means it went through, any unregistered
//! means it did not (all or nothing), so the registered ones were there before. That reading needs
//! one row of the batch to have been unregistered when it was sent, which is why, before the
//! first sending, one account_check looks up the first row of every batch (one request for the
//! whole file): a batch whose first row already exists is checked in full instead, as it would
//! only meet 1102. A row is sent again only after a check has found it unregistered, never after
//! it may have been created.

use std::collections::VecDeque;

use foldhash::{HashMap, HashMapExt};

use openim_protocol::rules::{row_problems, RowProblem};
use openim_protocol::user::UserInfo;
use openim_protocol::ApiVersion;

use crate::bulk::csv::{InputRow, RowError};
use crate::i18n::Lang;

/// OpenIM caps request arrays at 1,000 entries on these endpoints.
pub const BATCH: usize = 1000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RowOutcome {
    Pending,
    Created,
    Existed,
    Invalid(InvalidReason),
    Failed(FailReason),
}

/// Why a row is not sent. Kept as data, and put in words (crate::i18n::import) in the
/// operator's language wherever it is shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InvalidReason {
    /// The line is not a user record at all.
    Unreadable(RowError),
    UserIdEmpty,
    UserIdColon,
    /// v3.8: a character other than a letter, digit or `_`.
    UserIdIllegal,
    /// v3.8: no nickname.
    NicknameEmpty,
    /// The same user ID as the row on input line `line`.
    DuplicateOf {
        line: usize,
    },
    /// v3.4: longer than its database column.
    TooLong {
        field: &'static str,
        max: usize,
    },
    /// v3.8: longer than the console's bound.
    OverConsoleLimit {
        field: &'static str,
        max: usize,
    },
    /// A control character in a text field.
    ControlCharacter {
        field: &'static str,
    },
    /// v3.4: the same user ID as line `line` apart from letter case.
    CaseDuplicateOf {
        line: usize,
    },
}

/// Why a row failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FailReason {
    /// OpenIM's errCode, with its errMsg and errDlt.
    OpenIm { code: i32, message: String },
    /// errCode 1102 for this row sent alone, while account_check reports the ID unregistered
    /// (v3.4: a stored ID differs only in letter case).
    EndlessConflict,
}

impl FailReason {
    pub fn code(&self) -> i32 {
        match self {
            FailReason::OpenIm { code, .. } => *code,
            FailReason::EndlessConflict => 1102,
        }
    }
}

/// Counts that always add up to `total`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub total: usize,
    pub created: usize,
    pub existed: usize,
    pub invalid: usize,
    pub failed: usize,
    pub pending: usize,
}

impl Counts {
    pub fn done(&self) -> usize {
        self.total - self.pending
    }

    pub fn adds_up(&self) -> bool {
        self.created + self.existed + self.invalid + self.failed + self.pending == self.total
    }
}

/// One request for the page to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Work {
    /// `account_check` these rows' IDs.
    Check(Vec<usize>),
    /// `user_register` these rows.
    Register(Vec<usize>),
}

/// What a registration batch got.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RegisterAnswer {
    Created,
    /// errCode 1102: one of the IDs exists; none were created.
    Conflict,
    /// Any other OpenIM error: the rows failed with it.
    Failed {
        code: i32,
        message: String,
    },
}

pub struct Import {
    pub version: ApiVersion,
    pub rows: Vec<InputRow>,
    pub outcomes: Vec<RowOutcome>,
    /// Batches never sent whose first row has not been looked up yet.
    unprobed: VecDeque<Vec<usize>>,
    /// The batches whose first row is being looked up, by that row.
    probing: HashMap<usize, Vec<usize>>,
    /// Batches to register: never sent (their first row was unregistered), and ahead of them,
    /// so that a batch begun is finished first, rows a check found unregistered and halves of
    /// such batches that met 1102.
    to_send: VecDeque<Vec<usize>>,
    /// Rows to look up with account_check before anything else happens to them.
    to_check: VecDeque<usize>,
    /// Batches sent without an answer, each to be checked as a whole.
    lost: VecDeque<Vec<usize>>,
    /// Rows a check found unregistered since they were last sent: 1102 for a batch of these
    /// splits it instead of checking it again.
    checked: Vec<bool>,
    /// Rows of a batch whose answer never came, until that batch has been checked.
    unconfirmed: Vec<bool>,
    /// Rows that met 1102 sent alone: if a check then calls them unregistered, they fail.
    conflicted: Vec<bool>,
}

/// A rule's verdict on a row; `lines` maps the checked rows' positions to input lines.
fn problem_reason(p: &RowProblem, lines: &[usize]) -> InvalidReason {
    match p {
        RowProblem::UserIdEmpty => InvalidReason::UserIdEmpty,
        RowProblem::UserIdColon => InvalidReason::UserIdColon,
        RowProblem::UserIdIllegal => InvalidReason::UserIdIllegal,
        RowProblem::NicknameEmpty => InvalidReason::NicknameEmpty,
        RowProblem::DuplicateOf(i) => InvalidReason::DuplicateOf { line: lines[*i] },
        RowProblem::TooLong { field, max } => InvalidReason::TooLong { field, max: *max },
        RowProblem::OverConsoleLimit { field, max } => {
            InvalidReason::OverConsoleLimit { field, max: *max }
        }
        RowProblem::ControlCharacter { field } => InvalidReason::ControlCharacter { field },
    }
}

impl Import {
    /// Checks every row against the generation's rules and the other rows; the valid ones
    /// wait to be registered.
    pub fn new(version: ApiVersion, rows: Vec<InputRow>) -> Import {
        let mut outcomes = vec![RowOutcome::Pending; rows.len()];
        let valid: Vec<usize> = rows
            .iter()
            .enumerate()
            .filter_map(|(i, r)| match &r.user {
                Ok(_) => Some(i),
                Err(error) => {
                    outcomes[i] = RowOutcome::Invalid(InvalidReason::Unreadable(error.clone()));
                    None
                }
            })
            .collect();
        let users: Vec<&UserInfo> = valid
            .iter()
            .filter_map(|&i| rows[i].user.as_ref().ok())
            .collect();
        let lines: Vec<usize> = valid.iter().map(|&i| rows[i].line).collect();
        let mut first_folded: HashMap<String, usize> = HashMap::new();
        for (k, problem) in row_problems(version, &users).into_iter().enumerate() {
            let i = valid[k];
            if let Some(p) = problem {
                outcomes[i] = RowOutcome::Invalid(problem_reason(&p, &lines));
            } else if version == ApiVersion::V3_4 {
                // v3.4.0 stores IDs under a case-insensitive key: `Alice` and `alice` collide.
                match first_folded.get(&users[k].user_id.to_lowercase()) {
                    Some(&j) => {
                        outcomes[i] =
                            RowOutcome::Invalid(InvalidReason::CaseDuplicateOf { line: lines[j] })
                    }
                    None => {
                        first_folded.insert(users[k].user_id.to_lowercase(), k);
                    }
                }
            }
        }
        let pending: Vec<usize> = (0..rows.len())
            .filter(|&i| outcomes[i] == RowOutcome::Pending)
            .collect();
        Import {
            version,
            checked: vec![false; rows.len()],
            unconfirmed: vec![false; rows.len()],
            conflicted: vec![false; rows.len()],
            unprobed: pending.chunks(BATCH).map(<[usize]>::to_vec).collect(),
            probing: HashMap::new(),
            to_send: VecDeque::new(),
            to_check: VecDeque::new(),
            lost: VecDeque::new(),
            rows,
            outcomes,
        }
    }

    pub fn user(&self, row: usize) -> &UserInfo {
        self.rows[row]
            .user
            .as_ref()
            .expect("only valid rows are planned")
    }

    pub fn ids(&self, rows: &[usize]) -> Vec<String> {
        rows.iter().map(|&r| self.user(r).user_id.clone()).collect()
    }

    pub fn users(&self, rows: &[usize]) -> Vec<UserInfo> {
        rows.iter().map(|&r| self.user(r).clone()).collect()
    }

    /// The next request to send: checks of lost batches, other checks, the look-up of batches'
    /// first rows, then registrations; `None` when nothing is waiting (work may still be in
    /// flight).
    pub fn next_work(&mut self) -> Option<Work> {
        if let Some(batch) = self.lost.pop_front() {
            return Some(Work::Check(batch));
        }
        if !self.to_check.is_empty() {
            let n = self.to_check.len().min(BATCH);
            return Some(Work::Check(self.to_check.drain(..n).collect()));
        }
        if !self.unprobed.is_empty() {
            let n = self.unprobed.len().min(BATCH);
            let probes = self
                .unprobed
                .drain(..n)
                .map(|batch| {
                    let first = batch[0];
                    self.probing.insert(first, batch);
                    first
                })
                .collect();
            return Some(Work::Check(probes));
        }
        self.to_send.pop_front().map(Work::Register)
    }

    /// The answer to a check: `registered[k]` for `rows[k]`. The unregistered rows are sent
    /// again together, as one batch.
    pub fn checked(&mut self, rows: &[usize], registered: &[bool]) {
        if rows.first().is_some_and(|&r| self.unconfirmed[r]) {
            return self.lost_batch_checked(rows, registered);
        }
        let mut again = Vec::new();
        for (&r, &is) in rows.iter().zip(registered) {
            if let Some(batch) = self.probing.remove(&r) {
                if is {
                    // The batch would only meet 1102: look all of it up first.
                    self.outcomes[r] = RowOutcome::Existed;
                    self.to_check.extend(&batch[1..]);
                } else {
                    self.to_send.push_back(batch);
                }
            } else if is {
                self.outcomes[r] = RowOutcome::Existed;
            } else if self.conflicted[r] {
                self.outcomes[r] = RowOutcome::Failed(FailReason::EndlessConflict);
            } else {
                self.checked[r] = true;
                again.push(r);
            }
        }
        if !again.is_empty() {
            self.to_send.push_front(again);
        }
    }

    /// A batch whose answer never came, checked as a whole: all registered, it went through;
    /// any unregistered, it did not, and the registered rows were there before.
    fn lost_batch_checked(&mut self, rows: &[usize], registered: &[bool]) {
        let went_through = registered.iter().all(|&is| is);
        let mut again = Vec::new();
        for (&r, &is) in rows.iter().zip(registered) {
            self.unconfirmed[r] = false;
            if went_through {
                self.outcomes[r] = RowOutcome::Created;
            } else if is {
                self.outcomes[r] = RowOutcome::Existed;
            } else {
                self.checked[r] = true;
                again.push(r);
            }
        }
        if !again.is_empty() {
            self.to_send.push_front(again);
        }
    }

    pub fn registered(&mut self, rows: &[usize], answer: RegisterAnswer) {
        match answer {
            RegisterAnswer::Created => rows
                .iter()
                .for_each(|&r| self.outcomes[r] = RowOutcome::Created),
            // Rows not checked since they were last sent: one check finds the existing ones.
            RegisterAnswer::Conflict
                if rows.len() > 1 && rows.iter().any(|&r| !self.checked[r]) =>
            {
                self.to_check.extend(rows)
            }
            RegisterAnswer::Conflict if rows.len() > 1 => {
                let (a, b) = rows.split_at(rows.len() / 2);
                self.to_send.push_front(b.to_vec());
                self.to_send.push_front(a.to_vec());
            }
            RegisterAnswer::Conflict => {
                for &r in rows {
                    self.conflicted[r] = true;
                    self.to_check.push_back(r);
                }
            }
            RegisterAnswer::Failed { code, message } => {
                for &r in rows {
                    self.outcomes[r] = RowOutcome::Failed(FailReason::OpenIm {
                        code,
                        message: message.clone(),
                    });
                }
            }
        }
    }

    /// The work got no answer (connection lost, timeout, token gone): its rows wait again, and a
    /// registration's rows are checked, together, before anything is sent again.
    pub fn interrupted(&mut self, work: Work) {
        match work {
            Work::Check(rows) if rows.first().is_some_and(|&r| self.unconfirmed[r]) => {
                self.lost.push_front(rows)
            }
            Work::Check(rows) => {
                let mut probes = Vec::new();
                for r in rows {
                    match self.probing.remove(&r) {
                        Some(batch) => probes.push(batch),
                        None => self.to_check.push_back(r),
                    }
                }
                for batch in probes.into_iter().rev() {
                    self.unprobed.push_front(batch);
                }
            }
            Work::Register(rows) => {
                for &r in &rows {
                    self.unconfirmed[r] = true;
                    self.checked[r] = false;
                }
                self.lost.push_back(rows);
            }
        }
    }

    /// Sends the failed rows again (they are checked first).
    pub fn retry_failed(&mut self) -> usize {
        let failed: Vec<usize> = (0..self.rows.len())
            .filter(|&i| matches!(self.outcomes[i], RowOutcome::Failed(_)))
            .collect();
        for &r in &failed {
            self.outcomes[r] = RowOutcome::Pending;
            self.conflicted[r] = false;
            self.checked[r] = false;
            self.to_check.push_back(r);
        }
        failed.len()
    }

    pub fn counts(&self) -> Counts {
        let mut c = Counts {
            total: self.rows.len(),
            ..Counts::default()
        };
        for o in &self.outcomes {
            match o {
                RowOutcome::Pending => c.pending += 1,
                RowOutcome::Created => c.created += 1,
                RowOutcome::Existed => c.existed += 1,
                RowOutcome::Invalid(_) => c.invalid += 1,
                RowOutcome::Failed(_) => c.failed += 1,
            }
        }
        c
    }

    /// Every input line and what became of it, as CSV. The `outcome` column is machine-stable
    /// English (`created`, `already existed`, `invalid`, `failed`, `pending`); the `detail`
    /// column is for people, in `lang`.
    pub fn outcome_csv(&self, lang: Lang) -> String {
        use crate::bulk::csv::line;
        use crate::i18n::import::{fail_reason, invalid_reason};
        let mut out = line(&["line", "userID", "nickname", "outcome", "detail"]);
        for (row, o) in self.rows.iter().zip(&self.outcomes) {
            let (id, nick) = match &row.user {
                Ok(u) => (u.user_id.as_str(), u.nickname.as_str()),
                Err(_) => ("", ""),
            };
            let (outcome, detail) = match o {
                RowOutcome::Pending => ("pending", String::new()),
                RowOutcome::Created => ("created", String::new()),
                RowOutcome::Existed => ("already existed", String::new()),
                RowOutcome::Invalid(why) => ("invalid", invalid_reason(lang, why)),
                RowOutcome::Failed(why) => ("failed", fail_reason(lang, why)),
            };
            out.push_str(&line(&[
                row.line.to_string().as_str(),
                id,
                nick,
                outcome,
                &detail,
            ]));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bulk::csv::read_users;
    use std::collections::HashSet;

    /// A server with OpenIM's register semantics, for driving the planner to the end.
    #[derive(Default)]
    struct Server {
        users: HashSet<String>,
        registered_calls: usize,
        check_calls: usize,
        /// The IDs this server created, in order, and as a set.
        sent: Vec<String>,
        created: HashSet<String>,
        /// Registrations that carried a row this server had already created for the import.
        resent_created: usize,
        /// v3.4.0: registration compares IDs without case, account_check with it (§3.3).
        case_insensitive: bool,
    }

    impl Server {
        fn run(&mut self, import: &mut Import, interrupt_every: Option<usize>) {
            let mut n = 0;
            while let Some(work) = import.next_work() {
                n += 1;
                if interrupt_every.is_some_and(|k| n % k == 0) {
                    // The request went out, the answer was lost.
                    if let Work::Register(rows) = &work {
                        self.register(import.users(rows));
                    }
                    import.interrupted(work);
                    continue;
                }
                match work {
                    Work::Check(rows) => {
                        assert!(rows.len() <= BATCH);
                        self.check_calls += 1;
                        let ids = import.ids(&rows);
                        let reg: Vec<bool> = ids.iter().map(|i| self.users.contains(i)).collect();
                        import.checked(&rows, &reg);
                    }
                    Work::Register(rows) => {
                        let answer = self.register(import.users(&rows));
                        import.registered(&rows, answer);
                    }
                }
                assert!(n <= 10_000, "the planner does not finish");
            }
        }

        fn register(&mut self, users: Vec<UserInfo>) -> RegisterAnswer {
            assert!(users.len() <= BATCH);
            self.registered_calls += 1;
            if users.iter().any(|u| self.created.contains(&u.user_id)) {
                self.resent_created += 1;
            }
            let exists = |id: &str| {
                self.users.contains(id)
                    || self.case_insensitive
                        && self.users.iter().any(|u| u.eq_ignore_ascii_case(id))
            };
            if users.iter().any(|u| exists(&u.user_id)) {
                return RegisterAnswer::Conflict;
            }
            for u in users {
                self.sent.push(u.user_id.clone());
                self.created.insert(u.user_id.clone());
                self.users.insert(u.user_id);
            }
            RegisterAnswer::Created
        }
    }

    fn csv(n: usize) -> String {
        (0..n).map(|i| format!("u{i},User {i}\n")).collect()
    }

    /// What the page and the outcome CSV say about row `i`.
    fn reason(import: &Import, i: usize, lang: Lang) -> String {
        match &import.outcomes[i] {
            RowOutcome::Invalid(why) => crate::i18n::import::invalid_reason(lang, why),
            other => panic!("row {i} is {other:?}"),
        }
    }

    #[test]
    fn invalid_and_duplicate_rows_are_not_planned() {
        let rows = read_users("a,A\n,NoId\nb:c,Colon\na,Again\nAlice,x\nalice,y\nx,\"bad\n");
        let import = Import::new(ApiVersion::V3_4, rows);
        let o = &import.outcomes;
        assert_eq!(o[0], RowOutcome::Pending);
        assert_eq!(o[1], RowOutcome::Invalid(InvalidReason::UserIdEmpty));
        assert_eq!(o[2], RowOutcome::Invalid(InvalidReason::UserIdColon));
        assert_eq!(
            o[3],
            RowOutcome::Invalid(InvalidReason::DuplicateOf { line: 1 })
        );
        assert_eq!(o[4], RowOutcome::Pending);
        assert_eq!(
            o[5],
            RowOutcome::Invalid(InvalidReason::CaseDuplicateOf { line: 5 })
        );
        assert_eq!(
            o[6],
            RowOutcome::Invalid(InvalidReason::Unreadable(RowError::UnclosedQuote {
                line: 7
            }))
        );
        assert!(import.counts().adds_up());
        assert_eq!(reason(&import, 1, Lang::En), "user ID is empty");
        assert_eq!(reason(&import, 2, Lang::En), "user ID contains ':'");
        assert_eq!(reason(&import, 3, Lang::En), "same user ID as line 1");
        assert!(reason(&import, 5, Lang::En).contains("line 5 apart from case"));
        assert!(reason(&import, 6, Lang::En).contains("never closed"));
        assert_eq!(reason(&import, 3, Lang::Zh), "与第 1 行的用户ID 相同");
        let v38 = Import::new(ApiVersion::V3_8, read_users("a-b,x\nok,\n"));
        assert_eq!(
            v38.outcomes[0],
            RowOutcome::Invalid(InvalidReason::UserIdIllegal)
        );
        assert!(reason(&v38, 0, Lang::En).contains("letters, digits"));
        assert!(reason(&v38, 1, Lang::En).contains("nickname"));
        assert!(reason(&v38, 1, Lang::Zh).contains("昵称"));
    }

    #[test]
    fn an_all_new_file_of_10000_rows_takes_one_look_up_and_10_registrations() {
        let mut server = Server::default();
        let mut import = Import::new(ApiVersion::V3_8, read_users(&csv(10_000)));
        server.run(&mut import, None);
        let c = import.counts();
        assert_eq!((c.created, c.pending), (10_000, 0));
        assert_eq!(
            (server.registered_calls, server.check_calls),
            (10, 1),
            "the first rows of the ten batches are looked up in one request"
        );
    }

    #[test]
    fn the_first_request_looks_up_the_first_row_of_every_batch() {
        let mut import = Import::new(ApiVersion::V3_8, read_users(&csv(2500)));
        assert_eq!(import.next_work(), Some(Work::Check(vec![0, 1000, 2000])));
        assert_eq!(
            import.next_work(),
            None,
            "nothing is sent before the answer"
        );
        import.checked(&[0, 1000, 2000], &[false, false, false]);
        assert_eq!(
            import.next_work(),
            Some(Work::Register((0..1000).collect()))
        );
    }

    #[test]
    fn a_batch_with_an_existing_user_costs_one_check_and_one_resend() {
        let mut server = Server {
            users: ["u1500".to_string()].into(),
            ..Server::default()
        };
        let mut import = Import::new(ApiVersion::V3_8, read_users(&csv(3000)));
        server.run(&mut import, None);
        let c = import.counts();
        assert_eq!((c.created, c.existed, c.pending), (2999, 1, 0));
        assert_eq!(import.outcomes[1500], RowOutcome::Existed);
        assert_eq!(
            (server.registered_calls, server.check_calls),
            (3 + 1, 1 + 1),
            "three batches, one of them checked and sent again"
        );
    }

    #[test]
    fn existing_ids_are_found_and_batches_stay_within_the_cap() {
        let mut server = Server {
            users: (0..2500).step_by(2).map(|i| format!("u{i}")).collect(),
            ..Server::default()
        };
        let mut import = Import::new(ApiVersion::V3_8, read_users(&csv(2500)));
        server.run(&mut import, None);
        let c = import.counts();
        assert_eq!((c.created, c.existed, c.pending), (1250, 1250, 0));
        assert!(c.adds_up());
        assert_eq!(
            (server.registered_calls, server.check_calls),
            (3, 1 + 3),
            "every batch's first row exists: each batch is checked first, then sent once"
        );
    }

    #[test]
    fn a_checked_batch_that_meets_1102_is_split_until_the_row_to_blame_stands_alone() {
        let mut import = Import::new(ApiVersion::V3_8, read_users(&csv(1000)));
        assert_eq!(import.next_work(), Some(Work::Check(vec![0])));
        import.checked(&[0], &[false]);
        let Some(Work::Register(rows)) = import.next_work() else {
            panic!()
        };
        // Someone else's u7 made the first try fail; the check finds u7 registered.
        import.registered(&rows, RegisterAnswer::Conflict);
        let Some(Work::Check(rows)) = import.next_work() else {
            panic!()
        };
        assert_eq!(rows.len(), 1000);
        let mut registered = vec![false; 1000];
        registered[7] = true;
        import.checked(&rows, &registered);
        // Between the check and the second try someone registered u3.
        let mut server = Server {
            users: ["u3".to_string(), "u7".to_string()].into(),
            ..Server::default()
        };
        server.run(&mut import, None);
        let c = import.counts();
        assert_eq!((c.created, c.existed, c.failed, c.pending), (998, 2, 0, 0));
        assert_eq!(import.outcomes[3], RowOutcome::Existed);
        assert_eq!(import.outcomes[7], RowOutcome::Existed);
        // Halving 999 rows down to one: about two batches per level, not one per row.
        assert!(
            server.registered_calls <= 2 * 10 + 1,
            "{} calls",
            server.registered_calls
        );
        assert_eq!(server.check_calls, 1, "only the row to blame is checked");
    }

    #[test]
    fn a_lost_answer_is_read_from_a_check_of_its_whole_batch() {
        // The batch with the existing u5 was refused, but the answer was lost: u5 existed, the
        // others are sent again.
        let mut import = Import::new(ApiVersion::V3_8, read_users(&csv(10)));
        import.next_work();
        import.checked(&[0], &[false]);
        let Some(work) = import.next_work() else {
            panic!()
        };
        import.interrupted(work);
        let Some(Work::Check(rows)) = import.next_work() else {
            panic!()
        };
        assert_eq!(rows, (0..10).collect::<Vec<_>>());
        let mut registered = vec![false; 10];
        registered[5] = true;
        import.checked(&rows, &registered);
        assert_eq!(import.outcomes[5], RowOutcome::Existed);
        let again: Vec<usize> = (0..10).filter(|&r| r != 5).collect();
        assert_eq!(import.next_work(), Some(Work::Register(again.clone())));
        import.registered(&again, RegisterAnswer::Created);
        assert_eq!((import.counts().created, import.counts().existed), (9, 1));

        // The batch went through and the answer was lost: all of it is ours.
        let mut import = Import::new(ApiVersion::V3_8, read_users(&csv(10)));
        import.next_work();
        import.checked(&[0], &[false]);
        let work = import.next_work().unwrap();
        import.interrupted(work);
        let Some(Work::Check(rows)) = import.next_work() else {
            panic!()
        };
        import.checked(&rows, &[true; 10]);
        assert_eq!(import.counts().created, 10);
        assert_eq!(import.next_work(), None);
    }

    #[test]
    fn a_batch_that_exists_already_is_checked_not_sent() {
        // A file imported before, again: its first row exists, so the batch is checked, and no
        // lost answer could leave it unclear whether it went through.
        let mut server = Server {
            users: (0..1500).map(|i| format!("u{i}")).collect(),
            ..Server::default()
        };
        let mut import = Import::new(ApiVersion::V3_8, read_users(&csv(1500)));
        server.run(&mut import, Some(2));
        let c = import.counts();
        assert_eq!((c.existed, c.pending), (1500, 0));
        assert_eq!(server.registered_calls, 0);
    }

    #[test]
    fn lost_answers_never_resend_a_created_row_and_every_row_ends_once() {
        for every in [2, 3, 5] {
            let mut server = Server {
                users: ["u5".to_string(), "u2500".to_string()].into(),
                ..Server::default()
            };
            let mut import = Import::new(ApiVersion::V3_4, read_users(&csv(3000)));
            server.run(&mut import, Some(every));
            let c = import.counts();
            assert_eq!(
                (c.created, c.existed, c.pending, c.failed),
                (2998, 2, 0, 0),
                "every {every}th answer lost"
            );
            assert_eq!(import.outcomes[5], RowOutcome::Existed);
            assert_eq!(import.outcomes[2500], RowOutcome::Existed);
            assert_eq!(server.sent.len(), 2998);
            assert_eq!(
                server.resent_created, 0,
                "a row the server created was sent again"
            );
        }
    }

    #[test]
    fn a_v34_case_variant_fails_alone_and_can_be_retried() {
        // The server holds "mixedcase"; the file has "MixedCase" among 1,500 new rows.
        let mut text = csv(1500);
        text.push_str("MixedCase,x\n");
        let mut import = Import::new(ApiVersion::V3_4, read_users(&text));
        let mut server = Server {
            users: ["mixedcase".to_string()].into(),
            case_insensitive: true,
            ..Server::default()
        };
        server.run(&mut import, None);
        let c = import.counts();
        assert_eq!(
            (c.created, c.failed, c.pending),
            (1500, 1, 0),
            "only the case variant fails"
        );
        assert_eq!(
            import.outcomes[1500],
            RowOutcome::Failed(FailReason::EndlessConflict)
        );
        assert!(import
            .outcome_csv(Lang::En)
            .contains("failed,\"errCode 1102: OpenIM answered that this ID is registered"));
        assert_eq!(import.retry_failed(), 1);
        assert!(matches!(import.next_work(), Some(Work::Check(_))));
    }

    #[test]
    fn outcome_csv_has_a_line_per_input_row() {
        let mut import = Import::new(
            ApiVersion::V3_8,
            read_users("userID,nickname\na,A\nb-c,B\n"),
        );
        assert_eq!(import.next_work(), Some(Work::Check(vec![0])));
        import.checked(&[0], &[true]);
        assert_eq!(import.next_work(), None);
        let text = import.outcome_csv(Lang::En);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "line,userID,nickname,outcome,detail");
        assert_eq!(lines[1], "2,a,A,already existed,");
        assert_eq!(
            lines[2],
            "3,b-c,B,invalid,\"user ID may contain only letters, digits and _ on OpenIM v3.8\""
        );
        assert_eq!(lines.len(), 3);
        // In Chinese only the detail changes: the outcome column stays machine-readable.
        let zh = import.outcome_csv(Lang::Zh);
        let zh: Vec<&str> = zh.lines().collect();
        assert_eq!(zh[0], lines[0]);
        assert_eq!(zh[1], lines[1]);
        assert!(zh[2].starts_with("3,b-c,B,invalid,"), "{}", zh[2]);
        assert!(zh[2].contains("用户ID"), "{}", zh[2]);
    }
}
