//! Transfer size: every file of dist/ raw and as the precompressed siblings that
//! scripts/finish-dist.py writes and nginx serves (`.gz`, gzip -9; `.br`, brotli -q 11), and
//! the total of what the first page loads, as the cold-load runs saw Chromium fetch it.

use std::path::Path;

use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DistFile {
    pub file: String,
    pub raw: u64,
    /// Size of `<file>.gz`; `None` when there is none (nginx would then compress on the fly).
    pub gzip: Option<u64>,
    pub brotli: Option<u64>,
}

/// What the first page loads, summed over the dist files it fetched.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct FirstPage {
    /// The dist files fetched, in the order the browser listed them.
    pub files: Vec<String>,
    pub raw: u64,
    pub gzip: u64,
    pub brotli: u64,
    /// The bytes Chromium received for them (`encodedBodySize`), in the encoding it agreed
    /// with nginx.
    pub served_encoded: u64,
    /// `brotli` or `gzip` when `served_encoded` equals that total, else `mixed`.
    pub served_encoding: &'static str,
}

/// Every file of `dist`, except the compressed siblings, by name.
pub fn dist_files(dist: &Path) -> std::io::Result<Vec<DistFile>> {
    let size = |name: &str| std::fs::metadata(dist.join(name)).ok().map(|m| m.len());
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dist)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if !entry.file_type()?.is_file() || name.ends_with(".gz") || name.ends_with(".br") {
            continue;
        }
        files.push(DistFile {
            raw: entry.metadata()?.len(),
            gzip: size(&format!("{name}.gz")),
            brotli: size(&format!("{name}.br")),
            file: name,
        });
    }
    files.sort_by(|a, b| a.file.cmp(&b.file));
    Ok(files)
}

/// The dist files behind the URL paths a page load fetched, with the encoded bytes of each
/// fetch. A path that names no file (a route such as `/users`) was answered with index.html,
/// as deploy/nginx.conf's `try_files` does; /api/ calls are not files and are left out.
pub fn first_page(files: &[DistFile], fetched: &[(String, u64)]) -> FirstPage {
    let mut page = FirstPage::default();
    for (path, encoded) in fetched {
        if path.starts_with("/api/") || path.starts_with("/complete_admin/") {
            continue;
        }
        let name = path.trim_start_matches('/');
        let file = files
            .iter()
            .find(|f| f.file == name)
            .or_else(|| files.iter().find(|f| f.file == "index.html"));
        let Some(file) = file else { continue };
        if page.files.contains(&file.file) {
            continue;
        }
        page.files.push(file.file.clone());
        page.raw += file.raw;
        page.gzip += file.gzip.unwrap_or(file.raw);
        page.brotli += file.brotli.unwrap_or(file.raw);
        page.served_encoded += encoded;
    }
    if page.files.is_empty() {
        return page;
    }
    page.served_encoding = match page.served_encoded {
        n if n == page.brotli => "brotli",
        n if n == page.gzip => "gzip",
        _ => "mixed",
    };
    page
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, raw: u64, gzip: u64, brotli: u64) -> DistFile {
        DistFile {
            file: name.into(),
            raw,
            gzip: Some(gzip),
            brotli: Some(brotli),
        }
    }

    #[test]
    fn reads_sizes_beside_their_siblings() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("app.wasm"), vec![0u8; 100]).unwrap();
        std::fs::write(dir.path().join("app.wasm.gz"), vec![0u8; 40]).unwrap();
        std::fs::write(dir.path().join("app.wasm.br"), vec![0u8; 30]).unwrap();
        std::fs::write(dir.path().join("icon.png"), vec![0u8; 7]).unwrap();
        assert_eq!(
            dist_files(dir.path()).unwrap(),
            [
                file("app.wasm", 100, 40, 30),
                DistFile {
                    file: "icon.png".into(),
                    raw: 7,
                    gzip: None,
                    brotli: None
                },
            ]
        );
    }

    #[test]
    fn routes_count_as_index_html_and_api_calls_not_at_all() {
        let files = [
            file("index.html", 1000, 600, 500),
            file("app.js", 5000, 1000, 900),
            file("app_bg.wasm", 9000, 3000, 2500),
            file("style.css", 400, 200, 150),
        ];
        let fetched = [
            ("/users".to_string(), 600),
            ("/app.js".to_string(), 1010),
            ("/app_bg.wasm".to_string(), 3010),
            ("/api/user/get_users".to_string(), 99),
        ];
        let page = first_page(&files, &fetched);
        assert_eq!(page.files, ["index.html", "app.js", "app_bg.wasm"]);
        assert_eq!(
            (page.raw, page.gzip, page.brotli, page.served_encoded),
            (15000, 4600, 3900, 4620)
        );
        assert_eq!(page.served_encoding, "mixed");
    }
}
