//! Presentational pieces: props in, callbacks out; none of them calls the API.

pub mod error_box;
pub mod language_picker;
pub mod platform_select;
pub mod request_log;
pub mod session_status;
pub mod text_area;
pub mod token_view;
