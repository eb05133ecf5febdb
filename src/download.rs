//! Saving generated text as a file download, without a server round trip.

use wasm_bindgen::JsCast;

/// A CSV file put together in the browser a piece at a time, then offered as a download. Each
/// piece is copied out of wasm memory as UTF-8 bytes when it is added, so the file is never one
/// Rust string (wasm memory, once grown, is not given back) nor one JavaScript string (UTF-16,
/// which the Blob would encode again).
pub struct CsvFile {
    parts: js_sys::Array,
}

impl Default for CsvFile {
    fn default() -> Self {
        Self::new()
    }
}

impl CsvFile {
    /// An empty file that starts with a UTF-8 BOM, so that spreadsheet programs read non-ASCII
    /// nicknames correctly.
    pub fn new() -> CsvFile {
        let parts = js_sys::Array::new();
        parts.push(&js_sys::Uint8Array::from("\u{feff}".as_bytes()));
        CsvFile { parts }
    }

    /// Appends `text` to the file.
    pub fn push(&mut self, text: &str) {
        if !text.is_empty() {
            self.parts.push(&js_sys::Uint8Array::from(text.as_bytes()));
        }
    }

    /// Offers the file as a download named `file_name`.
    pub fn offer(&self, file_name: &str) -> Result<(), String> {
        let options = web_sys::BlobPropertyBag::new();
        options.set_type("text/csv;charset=utf-8");
        let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&self.parts, &options)
            .map_err(|e| format!("{e:?}"))?;
        let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|e| format!("{e:?}"))?;
        let document = web_sys::window()
            .and_then(|w| w.document())
            .ok_or("no document")?;
        let a: web_sys::HtmlAnchorElement = document
            .create_element("a")
            .map_err(|e| format!("{e:?}"))?
            .dyn_into()
            .map_err(|_| "not an anchor")?;
        a.set_href(&url);
        a.set_download(file_name);
        a.click();
        let _ = web_sys::Url::revoke_object_url(&url);
        Ok(())
    }
}

/// Offers `text` as a CSV download named `file_name` (see [`CsvFile`]).
pub fn offer_csv(file_name: &str, text: &str) -> Result<(), String> {
    let mut file = CsvFile::new();
    file.push(text);
    file.offer(file_name)
}
