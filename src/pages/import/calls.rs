//! The import's calls on their way to the request log. A run makes a call every few
//! milliseconds, and each drawn on its own would have the browser lay out and paint the page for
//! it: the run calls OpenIM through a client of its own whose calls wait here and reach the log
//! together, when the progress is drawn (at most every [`super::PROGRESS_MS`]) and when the run
//! stops or pauses. Calls made anywhere else reach the log at once.

use std::cell::RefCell;
use std::rc::Rc;

use yew::Callback;

use crate::api::{Client, LogEntry};
use crate::session::Admin;

pub struct CallQueue {
    calls: Vec<LogEntry>,
    log: Callback<LogEntry>,
}

pub type Calls = Rc<RefCell<CallQueue>>;

/// A queue into `admin`'s request log.
pub fn call_queue(admin: &Admin) -> Calls {
    Rc::new(RefCell::new(CallQueue {
        calls: Vec::new(),
        log: admin.client.log_callback(),
    }))
}

/// `admin`, calling through a client whose calls wait in `calls`.
pub fn run_admin(admin: &Admin, calls: &Calls) -> Admin {
    let calls = calls.clone();
    let log = Callback::from(move |entry: LogEntry| calls.borrow_mut().calls.push(entry));
    Admin {
        session: admin.session.clone(),
        client: Rc::new(Client::new(admin.client.base.clone(), log)),
    }
}

/// Hands the waiting calls to the request log, in one go.
pub fn send_calls(calls: &Calls) {
    let (waiting, log) = {
        let mut q = calls.borrow_mut();
        (std::mem::take(&mut q.calls), q.log.clone())
    };
    for entry in waiting {
        log.emit(entry);
    }
}
