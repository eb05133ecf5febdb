//! The table of one page of users, in a scroll container of its own with a sticky header. A page
//! of up to [`WHOLE_UP_TO`] rows is rendered whole; a larger one renders only the rows in the
//! container's viewport and [`OVERSCAN`] more on each side, between two empty blocks as tall as
//! the rows left out, so that the scrollbar measures the whole page and every user is a scroll
//! (or a Tab, or the End key in the focused container) away.
//!
//! Rows have one fixed height (static/style.css clips every cell to one line), so row `i` starts
//! `i` row heights below the header and the window follows from the scroll offset alone; the
//! height in use is measured from the rendered rows, not assumed. Screen readers learn the
//! page's size from `aria-rowcount` and each row's place from `aria-rowindex`.
//!
//! The spacers' heights are set through the CSS object model: deploy/nginx.conf's
//! Content-Security-Policy (`style-src 'self'`) refuses `style` attributes.

use std::cell::RefCell;
use std::ops::Range;
use std::rc::Rc;

use openim_protocol::user::{GetUsersResp, UserInfo};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;
use yew_router::prelude::*;

use super::{avatar, mark, measure, DATA_MARK, RENDERED_MARK, RENDER_MEASURE};
use crate::format::local_datetime;
use crate::i18n::{use_lang, users as t, Lang};
use crate::route::Route;

/// Pages of up to this many rows are rendered whole (the browser's find-in-page sees them all);
/// larger ones are windowed.
pub const WHOLE_UP_TO: usize = 100;
/// Rows rendered beyond each edge of the viewport: a short scroll, or a Tab to the next row's
/// link (which scrolls that link into view), finds its row already there.
pub const OVERSCAN: usize = 10;
/// The row height assumed until one is measured: 2.5rem at the default 16px, and a 1px border
/// (static/style.css).
const ROW_HEIGHT_GUESS: f64 = 41.0;

/// What the scroll container shows, in CSS pixels: how far its content is scrolled, how tall
/// its viewport is, and the height of one row.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Viewport {
    pub scroll_top: f64,
    pub height: f64,
    pub row_height: f64,
}

/// The rows of a page of `rows` that the viewport shows, at least in part. The header's height
/// is counted as rows would be, so the range may run one row long, never short.
pub fn visible_rows(rows: usize, v: Viewport) -> Range<usize> {
    let row = if v.row_height > 0.0 {
        v.row_height
    } else {
        ROW_HEIGHT_GUESS
    };
    let top = v.scroll_top.max(0.0);
    // `as usize` saturates: NaN is 0 and a huge offset is usize::MAX, clamped below.
    let first = ((top / row).floor() as usize).min(rows);
    let end = (((top + v.height.max(0.0)) / row).ceil() as usize).clamp(first, rows);
    first..end
}

/// The rows to render: all of a page of up to [`WHOLE_UP_TO`], else the visible ones and
/// [`OVERSCAN`] more on each side.
pub fn rows_to_render(rows: usize, v: Viewport) -> Range<usize> {
    if rows <= WHOLE_UP_TO {
        return 0..rows;
    }
    let seen = visible_rows(rows, v);
    seen.start.saturating_sub(OVERSCAN)..(seen.end + OVERSCAN).min(rows)
}

/// Whether the rendered rows include every row the viewport shows.
pub fn covers(rendered: &Range<usize>, seen: &Range<usize>) -> bool {
    seen.is_empty() || (rendered.start <= seen.start && seen.end <= rendered.end)
}

#[derive(Properties)]
pub struct Props {
    pub users: Rc<GetUsersResp>,
}

impl PartialEq for Props {
    /// One answer is one page: comparing a thousand users field by field would cost more than
    /// the render it might save.
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.users, &other.users)
    }
}

/// The viewport of the scroll container `el`, with rows `row_height` tall.
fn viewport_of(el: &Element, row_height: f64) -> Viewport {
    Viewport {
        scroll_top: f64::from(el.scroll_top()),
        height: f64::from(el.client_height()),
        row_height,
    }
}

/// Until the container is laid out, the window's height bounds its own (style.css: 70vh).
fn first_viewport() -> Viewport {
    let height = web_sys::window()
        .and_then(|w| w.inner_height().ok())
        .and_then(|h| h.as_f64())
        .unwrap_or(1000.0);
    Viewport {
        scroll_top: 0.0,
        height,
        row_height: ROW_HEIGHT_GUESS,
    }
}

/// The height of a row in CSS pixels, and whether it was measured since the last resize.
#[derive(Clone, Copy)]
struct RowHeight {
    px: f64,
    measured: bool,
}

/// The height of the rendered rows, from the second one's bottom to the last one's: the first
/// row's top border is shared with the header, so it is a little shorter than the rest.
fn measured_row_height(body: &NodeRef, rendered: usize) -> Option<f64> {
    let body = body.cast::<Element>()?;
    let last = body.last_element_child()?.get_bounding_client_rect();
    let height = if rendered >= 2 {
        let first = body.first_element_child()?.get_bounding_client_rect();
        (last.bottom() - first.bottom()) / (rendered - 1) as f64
    } else {
        last.height()
    };
    (height.is_finite() && height > 0.0).then_some(height)
}

fn set_height(el: &NodeRef, px: f64) {
    if let Some(el) = el.cast::<HtmlElement>() {
        let _ = el.style().set_property("height", &format!("{px}px"));
    }
}

/// Whether the rows of the answer `users` have yet to be marked (the answer marked last is in
/// `marked`).
fn unmarked(marked: &RefCell<Option<Rc<GetUsersResp>>>, users: &Rc<GetUsersResp>) -> bool {
    !marked
        .borrow()
        .as_ref()
        .is_some_and(|m| Rc::ptr_eq(m, users))
}

/// An answer's rows are in the DOM: RENDERED_MARK, and RENDER_MEASURE from its DATA_MARK.
fn mark_rows_rendered() {
    mark(RENDERED_MARK);
    measure(RENDER_MEASURE, DATA_MARK, RENDERED_MARK);
}

#[function_component(UserTable)]
pub fn user_table(props: &Props) -> Html {
    let lang = use_lang();
    let navigator = use_navigator();
    let rows = props.users.users.as_deref().unwrap_or(&[]);
    let count = rows.len();
    let windowed = count > WHOLE_UP_TO;
    let scroller = use_node_ref();
    let above = use_node_ref();
    let below = use_node_ref();
    let body = use_node_ref();
    // Measured from the first rows rendered, and again after a resize: measuring every window
    // could let one odd row move the window back and forth.
    let row_height = use_mut_ref(|| RowHeight {
        px: ROW_HEIGHT_GUESS,
        measured: false,
    });
    let window = use_state_eq(|| rows_to_render(count, first_viewport()));
    // The answer whose render has been marked: each new answer is marked once, when the rows
    // the viewport shows are in the DOM.
    let marked = use_mut_ref(|| None::<Rc<GetUsersResp>>);
    let shown = window.start.min(count)..window.end.min(count);

    let follow = {
        let (window, row_height) = (window.clone(), row_height.clone());
        Rc::new(move |el: &Element| {
            let h = row_height.borrow().px;
            window.set(rows_to_render(count, viewport_of(el, h)));
        })
    };
    let onscroll = {
        let follow = follow.clone();
        Callback::from(move |e: Event| {
            if let Some(el) = e.target_dyn_into::<Element>() {
                follow(&el);
            }
        })
    };
    {
        // A taller or shorter window changes the viewport without a scroll.
        let (scroller, follow, row_height) = (scroller.clone(), follow.clone(), row_height.clone());
        use_effect_with(count, move |_| {
            let listener = Closure::<dyn Fn()>::new(move || {
                row_height.borrow_mut().measured = false;
                if let Some(el) = scroller.cast::<Element>() {
                    follow(&el);
                }
            });
            let window = web_sys::window();
            if let Some(w) = &window {
                let _ =
                    w.add_event_listener_with_callback("resize", listener.as_ref().unchecked_ref());
            }
            move || {
                if let Some(w) = window {
                    let _ = w.remove_event_listener_with_callback(
                        "resize",
                        listener.as_ref().unchecked_ref(),
                    );
                }
            }
        });
    }
    {
        let (users, window, shown) = (props.users.clone(), window.clone(), shown.clone());
        let (scroller, above, below, body) =
            (scroller.clone(), above.clone(), below.clone(), body.clone());
        let (row_height, marked) = (row_height.clone(), marked.clone());
        // After every render: size the spacers (measuring the rows if due), mark a new answer
        // once its visible rows are in, and move the window if the viewport has moved from
        // under it.
        use_effect(move || {
            let seen_covered = match scroller.cast::<Element>() {
                Some(el) if windowed => {
                    // Spacers first: a layout read while they still fit the last render's rows
                    // could find the content shorter than it is, and pull the scroll offset up.
                    let size = |h: f64| {
                        set_height(&above, shown.start as f64 * h);
                        set_height(&below, (count - shown.end) as f64 * h);
                    };
                    let RowHeight {
                        px: mut h,
                        measured,
                    } = *row_height.borrow();
                    size(h);
                    if !measured {
                        if let Some(m) = measured_row_height(&body, shown.len()) {
                            if m != h {
                                h = m;
                                size(h);
                            }
                        }
                        *row_height.borrow_mut() = RowHeight {
                            px: h,
                            measured: true,
                        };
                    }
                    let viewport = viewport_of(&el, h);
                    let covered = covers(&shown, &visible_rows(count, viewport));
                    window.set(rows_to_render(count, viewport));
                    covered
                }
                _ => true,
            };
            if seen_covered && unmarked(&marked, &users) {
                // Effects run once the render is in the DOM: RENDER_MEASURE ends here.
                mark_rows_rendered();
                *marked.borrow_mut() = Some(users);
            }
        });
    }

    // A page that is not windowed has all its rows in the DOM once this render is applied:
    // it is marked then, from a task queued now, which runs as soon as the scheduler stops,
    // before the browser lays the page out (the effect above can come after that).
    if !windowed && unmarked(&marked, &props.users) {
        *marked.borrow_mut() = Some(props.users.clone());
        wasm_bindgen_futures::spawn_local(async { mark_rows_rendered() });
    }

    // One plain row per user, not a component each: a page's first render then creates no
    // component but the table, and a row left in the window is only compared, not redrawn.
    let base = navigator.as_ref().and_then(|n| n.basename()).unwrap_or("");
    let rows_html = shown
        .clone()
        .filter_map(|index| rows.get(index).map(|u| user_row(u, index, lang, base)));
    let onclick = {
        let (users, navigator) = (props.users.clone(), navigator.clone());
        Callback::from(move |e: MouseEvent| follow_user_link(&e, &users, navigator.as_ref()))
    };
    html! {
        <div class="table-scroll" ref={scroller} {onscroll} tabindex="0" role="region" aria-label={t::TABLE.get(lang)}>
            if windowed { <div ref={above} aria-hidden="true"></div> }
            <table class="users-table" aria-label={t::TABLE.get(lang)} aria-rowcount={(count + 1).to_string()}>
                <colgroup>
                    <col class="user-id" /><col class="nickname" /><col class="avatar" /><col class="ex" />
                    <col class="created" /><col class="level" /><col class="option" />
                </colgroup>
                <thead><tr aria-rowindex="1">
                    <th scope="col">{ t::USER_ID.get(lang) }</th><th scope="col">{ t::NICKNAME.get(lang) }</th>
                    <th scope="col">{ t::AVATAR.get(lang) }</th><th scope="col">{ t::EX.get(lang) }</th>
                    <th scope="col">{ t::CREATED.get(lang) }</th><th scope="col">{ t::MANAGER_LEVEL.get(lang) }</th>
                    <th scope="col">{ t::MESSAGE_OPTION.get(lang) }</th>
                </tr></thead>
                <tbody ref={body} {onclick}>{ for rows_html }</tbody>
            </table>
            if windowed { <div ref={below} aria-hidden="true"></div> }
        </div>
    }
}

/// One user's row. Its first cell links to the user's page, as `Link<Route>` would: the same
/// href, and a plain click handled by the table body's [`follow_user_link`].
fn user_row(u: &UserInfo, index: usize, lang: Lang, base: &str) -> Html {
    let href = format!(
        "{base}{}",
        Route::User {
            id: u.user_id.clone()
        }
        .to_path()
    );
    html! {
        <tr key={index} aria-rowindex={(index + 2).to_string()}>
            <td><a {href}>{ &u.user_id }</a></td>
            <td>{ &u.nickname }</td>
            <td>{ avatar(&u.face_url) }</td>
            <td>{ &u.ex }</td>
            <td>{ local_datetime(u.create_time) }</td>
            <td>{ t::manager_level(lang, u.app_manger_level) }</td>
            <td>{ t::message_option(lang, u.global_recv_msg_opt) }</td>
        </tr>
    }
}

/// A click in the table body: on a user's link, without a modifier key (which asks the browser
/// for a new tab or window), the console opens the user's page itself, as `Link<Route>` does.
/// The row is found by its `aria-rowindex`, which counts the header row as 1.
fn follow_user_link(e: &MouseEvent, users: &GetUsersResp, navigator: Option<&Navigator>) {
    if e.meta_key() || e.ctrl_key() || e.shift_key() || e.alt_key() {
        return;
    }
    let Some(link) = e
        .target_dyn_into::<Element>()
        .and_then(|t| t.closest("a[href]").ok().flatten())
    else {
        return;
    };
    let user = link
        .closest("tr[aria-rowindex]")
        .ok()
        .flatten()
        .and_then(|row| row.get_attribute("aria-rowindex"))
        .and_then(|i| i.parse::<usize>().ok())
        .and_then(|i| users.users.as_deref()?.get(i.checked_sub(2)?));
    if let (Some(user), Some(navigator)) = (user, navigator) {
        e.prevent_default();
        navigator.push(&Route::User {
            id: user.user_id.clone(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(scroll_top: f64, height: f64) -> Viewport {
        Viewport {
            scroll_top,
            height,
            row_height: 40.0,
        }
    }

    #[test]
    fn small_pages_render_whole() {
        assert_eq!(rows_to_render(0, at(0.0, 400.0)), 0..0);
        assert_eq!(rows_to_render(20, at(0.0, 400.0)), 0..20);
        assert_eq!(rows_to_render(WHOLE_UP_TO, at(1e6, 400.0)), 0..WHOLE_UP_TO);
    }

    #[test]
    fn large_pages_render_the_viewport_and_some() {
        // 400px from the top shows rows 0..10; ten more follow.
        assert_eq!(visible_rows(1000, at(0.0, 400.0)), 0..10);
        assert_eq!(rows_to_render(1000, at(0.0, 400.0)), 0..20);
        // Half a row scrolled: row 10 peeks in at the bottom.
        assert_eq!(visible_rows(1000, at(20.0, 400.0)), 0..11);
        assert_eq!(rows_to_render(1000, at(4000.0, 400.0)), 90..120);
        // The bottom: the last row is in, nothing past it.
        assert_eq!(visible_rows(1000, at(39_600.0, 400.0)), 990..1000);
        assert_eq!(rows_to_render(1000, at(39_600.0, 400.0)), 980..1000);
    }

    #[test]
    fn odd_viewports_stay_in_bounds() {
        assert_eq!(visible_rows(1000, at(1e9, 400.0)), 1000..1000);
        assert_eq!(rows_to_render(1000, at(1e9, 400.0)), 990..1000);
        assert_eq!(visible_rows(1000, at(-50.0, 400.0)), 0..10);
        assert_eq!(visible_rows(1000, at(f64::NAN, 400.0)), 0..10);
        assert_eq!(visible_rows(1000, at(0.0, 0.0)), 0..0);
        let unmeasured = Viewport {
            scroll_top: 0.0,
            height: 10.0 * ROW_HEIGHT_GUESS,
            row_height: 0.0,
        };
        assert_eq!(visible_rows(1000, unmeasured), 0..10);
    }

    #[test]
    fn coverage() {
        assert!(covers(&(0..20), &(0..10)));
        assert!(covers(&(5..20), &(0..0)));
        assert!(!covers(&(0..20), &(15..25)));
        assert!(!covers(&(10..20), &(5..15)));
    }
}
