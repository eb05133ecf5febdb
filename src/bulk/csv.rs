//! CSV in and out: RFC 4180 quoting (commas, quotes and newlines inside quoted fields), UTF-8
//! with or without a BOM, CRLF or LF, blank lines skipped, tab-separated text pasted from a
//! spreadsheet, and a header row recognised by its names.

use openim_protocol::user::UserInfo;

/// One record and the 1-based line it starts on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub line: usize,
    pub fields: Vec<String>,
}

/// Why a record does not describe a user; crate::i18n::import puts it in words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RowError {
    /// More fields than the columns (`width`) allow: usually an unquoted comma.
    TooManyFields { got: usize, width: usize },
    /// The quote opened on `line` is never closed, so the rest of the text is one record.
    UnclosedQuote { line: usize },
}

/// A record that could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadRecord {
    pub line: usize,
    pub error: RowError,
}

/// Splits `text` into records. A quote opened and never closed makes the rest of the text one
/// bad record.
pub fn parse_records(text: &str) -> (Vec<Record>, Option<BadRecord>) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let sep = if first_line.contains('\t') && !first_line.contains(',') {
        '\t'
    } else {
        ','
    };

    let mut records = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut line = 1;
    let mut start_line = 1;
    let mut in_quotes = false;
    let mut quote_line = 0;
    let mut was_quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => in_quotes = false,
                '\n' => {
                    line += 1;
                    field.push('\n');
                }
                '\r' if chars.peek() == Some(&'\n') => {}
                c => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() && !was_quoted => {
                in_quotes = true;
                was_quoted = true;
                quote_line = line;
            }
            c if c == sep => {
                fields.push(std::mem::take(&mut field));
                was_quoted = false;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                fields.push(std::mem::take(&mut field));
                was_quoted = false;
                push_record(&mut records, start_line, std::mem::take(&mut fields));
                line += 1;
                start_line = line;
            }
            c => field.push(c),
        }
    }
    if in_quotes {
        return (
            records,
            Some(BadRecord {
                line: start_line,
                error: RowError::UnclosedQuote { line: quote_line },
            }),
        );
    }
    fields.push(field);
    push_record(&mut records, start_line, fields);
    (records, None)
}

/// Keeps a record unless it is blank (one empty, unquoted field or only whitespace).
fn push_record(records: &mut Vec<Record>, line: usize, fields: Vec<String>) {
    if fields.iter().all(|f| f.trim().is_empty()) && fields.len() <= 1 {
        return;
    }
    records.push(Record { line, fields });
}

/// Which column holds which field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Columns {
    pub user_id: usize,
    pub nickname: Option<usize>,
    pub face_url: Option<usize>,
    pub ex: Option<usize>,
    /// How many columns a row may have.
    pub width: usize,
}

/// userID, nickname, faceURL, ex, in that order, when there is no header.
pub const POSITIONAL: Columns = Columns {
    user_id: 0,
    nickname: Some(1),
    face_url: Some(2),
    ex: Some(3),
    width: 4,
};

fn header_name(field: &str) -> String {
    field
        .trim()
        .to_ascii_lowercase()
        .replace(['_', ' ', '-'], "")
}

/// The columns a header row names, if `record` is one: its first field names the user ID
/// column (`userID`, `user_id`, `User ID`) or any field does.
pub fn header_columns(record: &Record) -> Option<Columns> {
    let names: Vec<String> = record.fields.iter().map(|f| header_name(f)).collect();
    let find = |wanted: &[&str]| names.iter().position(|n| wanted.contains(&n.as_str()));
    let user_id = find(&["userid", "uid", "id"])?;
    Some(Columns {
        user_id,
        nickname: find(&["nickname", "nick", "name"]),
        face_url: find(&["faceurl", "face", "avatar", "avatarurl"]),
        ex: find(&["ex", "extra"]),
        width: names.len(),
    })
}

/// One input row: its line and the user it describes, or why it cannot be one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputRow {
    pub line: usize,
    pub user: Result<UserInfo, RowError>,
}

/// The user rows of a CSV text, header skipped, in input order.
pub fn read_users(text: &str) -> Vec<InputRow> {
    let (records, bad) = parse_records(text);
    let mut rows = Vec::with_capacity(records.len() + 1);
    let mut iter = records.into_iter().peekable();
    let columns = match iter.peek().and_then(header_columns) {
        Some(c) => {
            iter.next();
            c
        }
        None => POSITIONAL,
    };
    for mut r in iter {
        let got = r.fields.len();
        // Each column is a different field: take it, and copy only what trimming shortens.
        let mut get = |i: Option<usize>| {
            let Some(field) = i.and_then(|i| r.fields.get_mut(i)) else {
                return String::new();
            };
            let field = std::mem::take(field);
            let kept = unguard(field.trim());
            if kept.len() == field.len() {
                field
            } else {
                kept.to_string()
            }
        };
        let user = if got > columns.width {
            Err(RowError::TooManyFields {
                got,
                width: columns.width,
            })
        } else {
            Ok(UserInfo {
                user_id: get(Some(columns.user_id)),
                nickname: get(columns.nickname),
                face_url: get(columns.face_url),
                ex: get(columns.ex),
                ..Default::default()
            })
        };
        rows.push(InputRow { line: r.line, user });
    }
    if let Some(b) = bad {
        rows.push(InputRow {
            line: b.line,
            user: Err(b.error),
        });
    }
    rows
}

/// Undoes [`field`]'s formula guard: `'=x` reads as `=x`.
fn unguard(value: &str) -> &str {
    match value.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
        _ => value,
    }
}

/// A CSV field, quoted when it must be. Fields starting with `=`, `+`, `-` or `@` are prefixed
/// with `'` so that spreadsheets do not run them as formulas.
pub fn field(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    push_field(&mut out, value);
    out
}

/// Appends [`field`]`(value)` to `out`, without a string of its own: an export writes a
/// hundred thousand lines.
pub fn push_field(out: &mut String, value: &str) {
    let guard = value.starts_with(['=', '+', '-', '@']);
    let quote = value.contains([',', '"', '\n', '\r'])
        || (!guard && value.starts_with(' '))
        || value.ends_with(' ');
    if quote {
        out.push('"');
    }
    if guard {
        out.push('\'');
    }
    if quote {
        for (i, part) in value.split('"').enumerate() {
            if i > 0 {
                out.push_str("\"\"");
            }
            out.push_str(part);
        }
        out.push('"');
    } else {
        out.push_str(value);
    }
}

/// Appends one CSV line (CRLF-terminated, as RFC 4180 writes it) to `out`.
pub fn push_line<S: AsRef<str>>(out: &mut String, fields: &[S]) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_field(out, f.as_ref());
    }
    out.push_str("\r\n");
}

/// One CSV line (CRLF-terminated, as RFC 4180 writes it).
pub fn line<S: AsRef<str>>(fields: &[S]) -> String {
    let mut out = String::new();
    push_line(&mut out, fields);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(rows: &[InputRow]) -> Vec<(usize, String)> {
        rows.iter()
            .map(|r| {
                (
                    r.line,
                    r.user
                        .as_ref()
                        .map(|u| u.user_id.clone())
                        .unwrap_or_else(|e| format!("ERR {e:?}")),
                )
            })
            .collect()
    }

    #[test]
    fn quotes_commas_and_newlines() {
        let (recs, bad) = parse_records("a,\"b, c\",\"say \"\"hi\"\"\"\n\"multi\nline\",x\n");
        assert_eq!(bad, None);
        assert_eq!(recs[0].fields, ["a", "b, c", "say \"hi\""]);
        assert_eq!(recs[1].fields, ["multi\nline", "x"]);
        assert_eq!((recs[0].line, recs[1].line), (1, 2));
    }

    #[test]
    fn bom_crlf_and_blank_lines() {
        let rows = read_users("\u{feff}userID,nickname\r\n\r\nu1,Alice\r\n   \r\nu2,Bob\r\n");
        assert_eq!(ids(&rows), [(3, "u1".to_string()), (5, "u2".to_string())]);
        assert_eq!(rows[0].user.as_ref().unwrap().nickname, "Alice");
    }

    #[test]
    fn header_is_recognised_in_any_order_and_spelling() {
        let rows = read_users("Nickname,Face URL,User ID,ex\nAlice,https://x/a.png,u1,{}\n");
        let u = rows[0].user.as_ref().unwrap();
        assert_eq!(
            (
                u.user_id.as_str(),
                u.nickname.as_str(),
                u.face_url.as_str(),
                u.ex.as_str()
            ),
            ("u1", "Alice", "https://x/a.png", "{}")
        );
        // Without a header, columns are positional and the first row is data.
        let rows = read_users("u1,Alice\nu2\n");
        assert_eq!(ids(&rows), [(1, "u1".to_string()), (2, "u2".to_string())]);
    }

    #[test]
    fn tabs_from_a_spreadsheet() {
        let rows = read_users("u1\tAlice\tx\nu2\tBob, Jr.\ty\n");
        assert_eq!(rows[1].user.as_ref().unwrap().nickname, "Bob, Jr.");
    }

    #[test]
    fn too_many_fields_and_unclosed_quotes_are_reported_by_line() {
        let rows = read_users("u1,Alice,x,y,extra\nu2,\"open\nu3,Carol\n");
        assert_eq!(
            rows[0].user,
            Err(RowError::TooManyFields { got: 5, width: 4 })
        );
        assert_eq!(rows[1].line, 2);
        assert_eq!(rows[1].user, Err(RowError::UnclosedQuote { line: 2 }));
        assert_eq!(rows.len(), 2);
    }

    #[test]
    fn writes_what_it_reads() {
        let values = [
            "plain",
            "with, comma",
            "with \"quote\"",
            "two\nlines",
            " padded ",
            "=SUM(A1)",
        ];
        let text = line(&values);
        let (recs, _) = parse_records(&text);
        assert_eq!(recs[0].fields[..5], values[..5]);
        assert_eq!(recs[0].fields[5], "'=SUM(A1)", "formulas are neutralised");
        assert!(text.ends_with("\r\n"));
        // Read back as users, the guard is removed again.
        let rows = read_users(&line(&["u1", "=SUM(A1)", "-x"]));
        let u = rows[0].user.as_ref().unwrap();
        assert_eq!(
            (u.nickname.as_str(), u.face_url.as_str()),
            ("=SUM(A1)", "-x")
        );
    }

    #[test]
    fn appending_writes_what_field_wrote_one_string_at_a_time() {
        // The quoting rules as `field` had them before it appended to a buffer.
        fn one_string(value: &str) -> String {
            let guarded;
            let value = if value.starts_with(['=', '+', '-', '@']) {
                guarded = format!("'{value}");
                guarded.as_str()
            } else {
                value
            };
            if value.contains([',', '"', '\n', '\r'])
                || value.starts_with(' ')
                || value.ends_with(' ')
            {
                format!("\"{}\"", value.replace('"', "\"\""))
            } else {
                value.to_string()
            }
        }
        let values = [
            "",
            "plain",
            " ",
            " lead",
            "trail ",
            "a,b",
            "\"",
            "say \"hi\"",
            "two\nlines",
            "cr\r",
            "=1+1",
            "+1",
            "-5",
            "@x",
            "= spaced ",
            "=a,\"b\"",
            "-",
            "张伟",
            "'quoted'",
        ];
        for v in values {
            assert_eq!(field(v), one_string(v), "{v:?}");
        }
        let mut out = String::new();
        push_line(&mut out, &values);
        assert_eq!(
            out,
            values.map(one_string).join(",") + "\r\n",
            "a line is its fields, comma-separated"
        );
    }

    #[test]
    fn reads_100_000_rows() {
        let mut text = String::from("userID,nickname,faceURL,ex\n");
        for n in 0..100_000 {
            text.push_str(&format!(
                "user{n:06},\"User {n}, the {n}th\",https://cdn.example/{n}.png,\n"
            ));
        }
        let rows = read_users(&text);
        assert_eq!(rows.len(), 100_000);
        assert_eq!(rows[99_999].line, 100_001);
        assert_eq!(
            rows[99_999].user.as_ref().unwrap().nickname,
            "User 99999, the 99999th"
        );
        assert!(rows.iter().all(|r| r.user.is_ok()));
    }
}
