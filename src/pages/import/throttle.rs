//! Drawing at most once per interval. An import answers a batch every few milliseconds; drawing
//! each answer at once has the browser style, lay out and paint the page for every one. The
//! first change draws at once, later ones within the interval are drawn together when it ends.
//! The decision is pure and tested natively; [`after`] is the timer.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// What to do about a change.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Next {
    /// Draw now.
    Now,
    /// Draw in this many milliseconds (start a timer, then call [`Throttle::fired`]).
    Later(f64),
    /// A drawing is already due: nothing to do.
    Due,
}

#[derive(Clone, Debug)]
pub struct Throttle {
    interval_ms: f64,
    drawn_ms: f64,
    due: bool,
}

impl Throttle {
    pub fn new(interval_ms: f64) -> Throttle {
        Throttle {
            interval_ms,
            drawn_ms: f64::NEG_INFINITY,
            due: false,
        }
    }

    /// Something changed at `now_ms`.
    pub fn changed(&mut self, now_ms: f64) -> Next {
        if self.due {
            return Next::Due;
        }
        let wait = self.drawn_ms + self.interval_ms - now_ms;
        if wait <= 0.0 {
            self.drawn_ms = now_ms;
            Next::Now
        } else {
            self.due = true;
            Next::Later(wait)
        }
    }

    /// The timer of a [`Next::Later`] went off at `now_ms`: draw.
    pub fn fired(&mut self, now_ms: f64) {
        self.due = false;
        self.drawn_ms = now_ms;
    }

    /// Drawn for another reason at `now_ms` (a button, say): the interval starts again.
    pub fn drawn(&mut self, now_ms: f64) {
        self.drawn_ms = now_ms;
    }
}

/// Runs `f` once, after `ms` milliseconds.
pub fn after(ms: f64, f: impl FnOnce() + 'static) {
    let f = Closure::once_into_js(f);
    if let Some(w) = web_sys::window() {
        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(
            f.unchecked_ref(),
            ms.ceil() as i32,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_the_first_change_at_once_and_the_rest_together() {
        let mut t = Throttle::new(100.0);
        assert_eq!(t.changed(1000.0), Next::Now);
        assert_eq!(t.changed(1030.0), Next::Later(70.0));
        assert_eq!(t.changed(1060.0), Next::Due, "one timer for both");
        t.fired(1100.0);
        assert_eq!(t.changed(1150.0), Next::Later(50.0));
        t.fired(1200.0);
        assert_eq!(t.changed(1400.0), Next::Now, "quiet for an interval");
        t.drawn(1450.0);
        assert_eq!(t.changed(1460.0), Next::Later(90.0));
    }
}
