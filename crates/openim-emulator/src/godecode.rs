//! Request bodies decoded the way OpenIM's Go `encoding/json` decodes them (§1.3): unknown keys
//! ignored, keys matched case-insensitively (an exact match preferred), a wrong JSON type is an
//! error naming the Go struct field, `null` leaves the zero value, lists and nested messages stay
//! `null` when absent (Go nil). gin's `BindJSON` (v3.4, chat v1.4) reads only the first JSON
//! value of the body; `json.Unmarshal` (v3.8, chat v1.8) wants the whole body to be one. Syntax
//! errors are worded as Go's scanner words them.
//!
//! The output is a normalised `serde_json::Value` with OpenIM's exact key names and every field
//! present, which handlers then read into typed structs.

use serde::Deserialize;
use serde_json::{Map, Value};

/// The Go type of one field.
#[derive(Clone, Copy)]
pub enum Ty {
    Str,
    I32,
    I64,
    /// A nested message (a Go pointer: `null` when absent).
    Msg(&'static Struct),
    /// A repeated field (a Go slice: `null` when absent).
    List(&'static Ty),
    /// A `wrapperspb.*Value` holding a plain JSON value; `null` when absent (§1.3).
    Wrapped(&'static Ty),
}

/// A Go request struct: its package-qualified name and its JSON fields in declaration order.
pub struct Struct {
    pub go_name: &'static str,
    pub fields: &'static [(&'static str, Ty)],
}

impl Struct {
    fn short_name(&self) -> &'static str {
        self.go_name.rsplit('.').next().unwrap_or(self.go_name)
    }
}

/// Decodes `body` as gin's `BindJSON` does (`json.NewDecoder(body).Decode(&req)`): only the
/// first JSON value is read, an empty body is `EOF`, a cut-off one `unexpected EOF`. The error
/// is Go's error text.
pub fn decode(body: &[u8], ty: &'static Struct) -> Result<Value, String> {
    let end = scan::first_value(body, false).map_err(|e| match e {
        scan::Syntax::Empty => "EOF".to_string(),
        scan::Syntax::Truncated => "unexpected EOF".to_string(),
        scan::Syntax::Invalid(text) => text,
    })?;
    decode_value(parse(&body[..end])?, ty)
}

/// Decodes `body` as Go's `json.Unmarshal` does (tools' `jsonutil.JsonUnmarshal`, used by the
/// v3.8 and chat v1.8 request binding): the whole body must be one JSON value, and an empty or
/// cut-off body is `unexpected end of JSON input`.
pub fn unmarshal(body: &[u8], ty: &'static Struct) -> Result<Value, String> {
    let end = scan::first_value(body, true).map_err(|e| match e {
        scan::Syntax::Empty | scan::Syntax::Truncated => "unexpected end of JSON input".to_string(),
        scan::Syntax::Invalid(text) => text,
    })?;
    decode_value(parse(&body[..end])?, ty)
}

/// Reads a normalised value into the handler's typed struct.
pub fn read<T: for<'de> Deserialize<'de>>(value: Value) -> Result<T, String> {
    serde_json::from_value(value).map_err(|e| format!("json: {e}"))
}

/// Reads one value the scanner has accepted. Go keeps invalid UTF-8 inside strings as U+FFFD.
fn parse(value: &[u8]) -> Result<Value, String> {
    serde_json::from_str(&String::from_utf8_lossy(value)).map_err(|e| format!("invalid JSON: {e}"))
}

fn decode_value(value: Value, ty: &'static Struct) -> Result<Value, String> {
    match value {
        Value::Null => Ok(zero_struct(ty)),
        Value::Object(obj) => {
            let mut path = Vec::new();
            decode_struct(&obj, ty, &mut path)
        }
        other => Err(format!(
            "json: cannot unmarshal {} into Go value of type {}",
            json_kind(&other),
            ty.go_name
        )),
    }
}

/// Go's JSON scanner (`encoding/json/scanner.go`), for its syntax errors: which byte ends the
/// JSON and how Go words it. Iterative, because Go allows 10000 levels of nesting.
mod scan {
    /// Why a body is not JSON.
    #[derive(Debug, PartialEq, Eq)]
    pub enum Syntax {
        /// Nothing but whitespace.
        Empty,
        /// The input ends inside a value.
        Truncated,
        /// Go's `invalid character ...` text.
        Invalid(String),
    }

    const MAX_DEPTH: usize = 10_000;

    fn is_space(c: u8) -> bool {
        matches!(c, b' ' | b'\t' | b'\r' | b'\n')
    }

    fn skip_space(b: &[u8], mut i: usize) -> usize {
        while b.get(i).copied().is_some_and(is_space) {
            i += 1;
        }
        i
    }

    fn at(b: &[u8], i: usize) -> Result<u8, Syntax> {
        b.get(i).copied().ok_or(Syntax::Truncated)
    }

    /// Go's `quoteChar`: the byte read as a Latin-1 rune and quoted like `strconv.Quote`.
    pub fn quote_byte(c: u8) -> String {
        let inner = match c {
            b'\'' => return "'\\''".into(),
            b'"' => return "'\"'".into(),
            0x07 => "\\a".into(),
            0x08 => "\\b".into(),
            0x0c => "\\f".into(),
            b'\n' => "\\n".into(),
            b'\r' => "\\r".into(),
            b'\t' => "\\t".into(),
            0x0b => "\\v".into(),
            b'\\' => "\\\\".into(),
            c if c < 0x20 || c == 0x7f => format!("\\x{c:02x}"),
            // C1 controls, no-break space and soft hyphen are not printable for Go.
            c if (0x80..=0xa0).contains(&c) || c == 0xad => format!("\\u{c:04x}"),
            c => char::from(c).to_string(),
        };
        format!("'{inner}'")
    }

    fn invalid(c: u8, context: &str) -> Syntax {
        Syntax::Invalid(format!("invalid character {} {context}", quote_byte(c)))
    }

    fn string(b: &[u8], mut i: usize) -> Result<usize, Syntax> {
        i += 1;
        loop {
            let c = at(b, i)?;
            i += 1;
            match c {
                b'"' => return Ok(i),
                b'\\' => {
                    let e = at(b, i)?;
                    i += 1;
                    match e {
                        b'b' | b'f' | b'n' | b'r' | b't' | b'\\' | b'/' | b'"' => {}
                        b'u' => {
                            for _ in 0..4 {
                                let h = at(b, i)?;
                                i += 1;
                                if !h.is_ascii_hexdigit() {
                                    return Err(invalid(h, "in \\u hexadecimal character escape"));
                                }
                            }
                        }
                        e => return Err(invalid(e, "in string escape code")),
                    }
                }
                c if c < 0x20 => return Err(invalid(c, "in string literal")),
                _ => {}
            }
        }
    }

    fn digits(b: &[u8], mut i: usize) -> usize {
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        i
    }

    fn number(b: &[u8], mut i: usize) -> Result<usize, Syntax> {
        if b[i] == b'-' {
            i += 1;
            let c = at(b, i)?;
            if !c.is_ascii_digit() {
                return Err(invalid(c, "in numeric literal"));
            }
        }
        i = if b[i] == b'0' { i + 1 } else { digits(b, i) };
        if b.get(i) == Some(&b'.') {
            let c = at(b, i + 1)?;
            if !c.is_ascii_digit() {
                return Err(invalid(c, "after decimal point in numeric literal"));
            }
            i = digits(b, i + 1);
        }
        if matches!(b.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(at(b, i)?, b'+' | b'-') {
                i += 1;
            }
            let c = at(b, i)?;
            if !c.is_ascii_digit() {
                return Err(invalid(c, "in exponent of numeric literal"));
            }
            i = digits(b, i);
        }
        Ok(i)
    }

    fn literal(b: &[u8], i: usize, word: &str) -> Result<usize, Syntax> {
        for (k, want) in word.bytes().enumerate().skip(1) {
            let c = at(b, i + k)?;
            if c != want {
                let context = format!("in literal {word} (expecting {})", quote_byte(want));
                return Err(invalid(c, &context));
            }
        }
        Ok(i + word.len())
    }

    /// An object key and its colon, from the opening quote; answers where the value starts.
    fn key(b: &[u8], i: usize) -> Result<usize, Syntax> {
        let c = at(b, i)?;
        if c != b'"' {
            return Err(invalid(c, "looking for beginning of object key string"));
        }
        let i = skip_space(b, string(b, i)?);
        let c = at(b, i)?;
        if c != b':' {
            return Err(invalid(c, "after object key"));
        }
        Ok(skip_space(b, i + 1))
    }

    /// Where the first JSON value of `b` ends. With `whole`, anything but whitespace after it
    /// is an error too (`json.Unmarshal`); without, it is left unread (`Decoder.Decode`).
    pub fn first_value(b: &[u8], whole: bool) -> Result<usize, Syntax> {
        let mut i = skip_space(b, 0);
        if i == b.len() {
            return Err(Syntax::Empty);
        }
        // The open containers, `{` or `[`.
        let mut open: Vec<u8> = Vec::new();
        'value: loop {
            // At the start of a value, whitespace skipped.
            let c = at(b, i)?;
            i = match c {
                b'{' | b'[' => {
                    if open.len() >= MAX_DEPTH {
                        return Err(invalid(c, "exceeded max depth"));
                    }
                    open.push(c);
                    i = skip_space(b, i + 1);
                    let close = if c == b'{' { b'}' } else { b']' };
                    if at(b, i)? != close {
                        i = if c == b'{' { key(b, i)? } else { i };
                        continue 'value;
                    }
                    open.pop();
                    i + 1
                }
                b'"' => string(b, i)?,
                b'-' | b'0'..=b'9' => number(b, i)?,
                b't' => literal(b, i, "true")?,
                b'f' => literal(b, i, "false")?,
                b'n' => literal(b, i, "null")?,
                c => return Err(invalid(c, "looking for beginning of value")),
            };
            // After a value: close containers until one takes another element.
            while let Some(&container) = open.last() {
                i = skip_space(b, i);
                let c = at(b, i)?;
                match (container, c) {
                    (b'{', b',') => {
                        i = key(b, skip_space(b, i + 1))?;
                        continue 'value;
                    }
                    (b'[', b',') => {
                        i = skip_space(b, i + 1);
                        continue 'value;
                    }
                    (b'{', b'}') | (b'[', b']') => {
                        open.pop();
                        i += 1;
                    }
                    (b'{', c) => return Err(invalid(c, "after object key:value pair")),
                    (_, c) => return Err(invalid(c, "after array element")),
                }
            }
            break;
        }
        if whole {
            if let Some(&c) = b.get(skip_space(b, i)) {
                return Err(invalid(c, "after top-level value"));
            }
        }
        Ok(i)
    }
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn zero(ty: &Ty) -> Value {
    match ty {
        Ty::Str => Value::String(String::new()),
        Ty::I32 | Ty::I64 => Value::from(0),
        Ty::Msg(_) | Ty::List(_) | Ty::Wrapped(_) => Value::Null,
    }
}

fn zero_struct(ty: &Struct) -> Value {
    Value::Object(
        ty.fields
            .iter()
            .map(|(name, t)| (name.to_string(), zero(t)))
            .collect(),
    )
}

/// The value Go assigns to `name`: the last key equal to it, else the last key equal ignoring case.
fn lookup<'a>(obj: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    let exact = obj.iter().rev().find(|(k, _)| k.as_str() == name);
    exact
        .or_else(|| {
            // Field names are ASCII, and an ASCII key lower-cases to what its ASCII letters do:
            // only a key with other characters (a Kelvin sign lower-cases to `k`) needs the full
            // Unicode lower-casing. A thousand-user batch leaves out most fields of each user.
            let lower = name.to_lowercase();
            obj.iter().rev().find(|(k, _)| {
                if k.is_ascii() {
                    k.eq_ignore_ascii_case(&lower)
                } else {
                    k.to_lowercase() == lower
                }
            })
        })
        .map(|(_, v)| v)
}

fn decode_struct(
    obj: &Map<String, Value>,
    ty: &'static Struct,
    path: &mut Vec<&'static str>,
) -> Result<Value, String> {
    let mut out = Map::with_capacity(ty.fields.len());
    for (name, fty) in ty.fields {
        path.push(name);
        let v = match lookup(obj, name) {
            None | Some(Value::Null) => zero(fty),
            Some(v) => decode_field(v, fty, ty, path)?,
        };
        path.pop();
        out.insert(name.to_string(), v);
    }
    Ok(Value::Object(out))
}

/// Go's `UnmarshalTypeError` text. Go quotes the number itself only when an integer field
/// cannot hold it (`literalStore`); a number for a string, list or message is just "number".
fn type_error(got: &Value, owner: &Struct, path: &[&str], go_type: &str) -> String {
    let what = match got {
        Value::Number(n) if go_type.starts_with("int") => format!("number {n}"),
        other => json_kind(other).to_string(),
    };
    format!(
        "json: cannot unmarshal {what} into Go struct field {}.{} of type {go_type}",
        owner.short_name(),
        path.join(".")
    )
}

fn go_type_name(ty: &Ty) -> String {
    match ty {
        Ty::Str => "string".into(),
        Ty::I32 => "int32".into(),
        Ty::I64 => "int64".into(),
        Ty::Msg(s) => s.go_name.to_string(),
        Ty::List(inner) => match inner {
            Ty::Msg(s) => format!("[]*{}", s.go_name),
            other => format!("[]{}", go_type_name(other)),
        },
        Ty::Wrapped(inner) => format!("wrapperspb.{}", go_type_name(inner)),
    }
}

fn decode_field(
    v: &Value,
    ty: &Ty,
    owner: &'static Struct,
    path: &mut Vec<&'static str>,
) -> Result<Value, String> {
    match (ty, v) {
        (Ty::Str, Value::String(_)) => Ok(v.clone()),
        (Ty::I32, Value::Number(n)) => match n.as_i64() {
            Some(i) if i32::try_from(i).is_ok() && !n.to_string().contains(['.', 'e', 'E']) => {
                Ok(Value::from(i))
            }
            _ => Err(type_error(v, owner, path, "int32")),
        },
        (Ty::I64, Value::Number(n)) => match n.as_i64() {
            Some(i) if !n.to_string().contains(['.', 'e', 'E']) => Ok(Value::from(i)),
            _ => Err(type_error(v, owner, path, "int64")),
        },
        (Ty::Msg(s), Value::Object(obj)) => {
            // Go reports nested field errors against the innermost struct, with the full path.
            let inner = decode_struct(obj, s, &mut Vec::new()).map_err(|e| reprefix(e, s, path))?;
            Ok(inner)
        }
        (Ty::List(inner), Value::Array(items)) => items
            .iter()
            .map(|item| match item {
                Value::Null => Ok(Value::Null),
                item => decode_field(item, inner, owner, path),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        (Ty::Wrapped(inner), v) => decode_field(v, inner, owner, path),
        (ty, v) => Err(type_error(v, owner, path, &go_type_name(ty))),
    }
}

/// Rewrites `Struct.field` of a nested error into `Struct.outer.field`, as Go prints it.
fn reprefix(err: String, inner: &Struct, outer_path: &[&str]) -> String {
    let needle = format!("Go struct field {}.", inner.short_name());
    if outer_path.is_empty() || !err.contains(&needle) {
        return err;
    }
    err.replacen(&needle, &format!("{}{}.", needle, outer_path.join(".")), 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    static INNER: Struct = Struct {
        go_name: "sdkws.RequestPagination",
        fields: &[("pageNumber", Ty::I32), ("showNumber", Ty::I32)],
    };
    static OUTER: Struct = Struct {
        go_name: "user.GetPaginationUsersReq",
        fields: &[
            ("pagination", Ty::Msg(&INNER)),
            ("userID", Ty::Str),
            ("ids", Ty::List(&Ty::Str)),
        ],
    };

    #[test]
    fn empty_body_is_eof() {
        assert_eq!(decode(b"", &OUTER).unwrap_err(), "EOF");
        assert_eq!(decode(b"  \n", &OUTER).unwrap_err(), "EOF");
        assert_eq!(decode(b"{\"a\":", &OUTER).unwrap_err(), "unexpected EOF");
        assert_eq!(
            decode(b"xyz", &OUTER).unwrap_err(),
            "invalid character 'x' looking for beginning of value"
        );
    }

    #[test]
    fn fills_zero_values_and_keeps_nil() {
        let v = decode(b"{}", &OUTER).unwrap();
        assert_eq!(
            v.to_string(),
            r#"{"pagination":null,"userID":"","ids":null}"#
        );
        let v = decode(b"null", &OUTER).unwrap();
        assert_eq!(v["pagination"], Value::Null);
    }

    #[test]
    fn case_insensitive_keys_and_trailing_data() {
        let v = decode(
            br#"{"USERID":"a","Pagination":{"PAGENUMBER":2}} trailing"#,
            &OUTER,
        )
        .unwrap();
        assert_eq!(v["userID"], "a");
        assert_eq!(v["pagination"]["pageNumber"], 2);
        assert_eq!(v["pagination"]["showNumber"], 0);
        // A key that lower-cases to the name only through Unicode (ſ does not, İ does not).
        let v = decode(
            "{\"\u{130}ds\":[\"x\"],\"userİD\":\"b\"}".as_bytes(),
            &OUTER,
        )
        .unwrap();
        assert_eq!(v["ids"], Value::Null);
        assert_eq!(v["userID"], "");
        let kelvin = Struct {
            go_name: "x.Req",
            fields: &[("key", Ty::Str)],
        };
        let kelvin: &'static Struct = Box::leak(Box::new(kelvin));
        let v = decode("{\"\u{212A}EY\":\"k\"}".as_bytes(), kelvin).unwrap();
        assert_eq!(v["key"], "k", "the Kelvin sign lower-cases to k");
    }

    #[test]
    fn type_errors_read_like_go() {
        assert_eq!(
            decode(br#"{"userID":1}"#, &OUTER).unwrap_err(),
            "json: cannot unmarshal number into Go struct field GetPaginationUsersReq.userID of type string"
        );
        assert_eq!(
            decode(br#"{"pagination":{"pageNumber":"1"}}"#, &OUTER).unwrap_err(),
            "json: cannot unmarshal string into Go struct field RequestPagination.pagination.pageNumber of type int32"
        );
        assert_eq!(
            decode(br#"{"pagination":{"pageNumber":1.5}}"#, &OUTER).unwrap_err(),
            "json: cannot unmarshal number 1.5 into Go struct field RequestPagination.pagination.pageNumber of type int32"
        );
        assert!(decode(br#"{"pagination":{"pageNumber":4294967296}}"#, &OUTER).is_err());
        assert_eq!(
            decode(b"[1]", &OUTER).unwrap_err(),
            "json: cannot unmarshal array into Go value of type user.GetPaginationUsersReq"
        );
    }

    /// Syntax errors as Go's scanner words them, wherever in the body they are.
    #[test]
    fn syntax_errors_read_like_go() {
        let cases: [(&[u8], &str); 16] = [
            (
                br#"{"userID":x}"#,
                "invalid character 'x' looking for beginning of value",
            ),
            (
                br#"{userID:1}"#,
                "invalid character 'u' looking for beginning of object key string",
            ),
            (br#"{"a" 1}"#, "invalid character '1' after object key"),
            (
                br#"{"a":1 "b":2}"#,
                "invalid character '\"' after object key:value pair",
            ),
            (
                br#"{"a":[1 2]}"#,
                "invalid character '2' after array element",
            ),
            (
                br#"{"a":[1,]}"#,
                "invalid character ']' looking for beginning of value",
            ),
            (
                br#"{"a":1,}"#,
                "invalid character '}' looking for beginning of object key string",
            ),
            (
                br#"{"a":tru}"#,
                "invalid character '}' in literal true (expecting 'e')",
            ),
            (
                br#"{"a":nil}"#,
                "invalid character 'i' in literal null (expecting 'u')",
            ),
            (br#"{"a":-x}"#, "invalid character 'x' in numeric literal"),
            (
                br#"{"a":1.}"#,
                "invalid character '}' after decimal point in numeric literal",
            ),
            (
                br#"{"a":1e}"#,
                "invalid character '}' in exponent of numeric literal",
            ),
            (
                br#"{"a":"\q"}"#,
                "invalid character 'q' in string escape code",
            ),
            (
                br#"{"a":"\u12x4"}"#,
                "invalid character 'x' in \\u hexadecimal character escape",
            ),
            (
                b"{\"a\":\"\x01\"}",
                "invalid character '\\x01' in string literal",
            ),
            (
                "\u{feff}{}".as_bytes(),
                "invalid character 'ï' looking for beginning of value",
            ),
        ];
        for (body, want) in cases {
            assert_eq!(
                decode(body, &OUTER).unwrap_err(),
                want,
                "{:?}",
                String::from_utf8_lossy(body)
            );
            assert_eq!(
                unmarshal(body, &OUTER).unwrap_err(),
                want,
                "{:?}",
                String::from_utf8_lossy(body)
            );
        }
        assert_eq!(
            decode("张".as_bytes(), &OUTER).unwrap_err(),
            "invalid character 'å' looking for beginning of value"
        );
        assert_eq!(
            decode(b"'a'", &OUTER).unwrap_err(),
            r"invalid character '\'' looking for beginning of value"
        );
    }

    #[test]
    fn unmarshal_reads_the_whole_body() {
        for body in [&b""[..], b" \n", b"{\"a\":", b"{", b"[1,", b"\"abc", b"-"] {
            assert_eq!(
                unmarshal(body, &OUTER).unwrap_err(),
                "unexpected end of JSON input",
                "{body:?}"
            );
        }
        assert_eq!(
            unmarshal(b"{} x", &OUTER).unwrap_err(),
            "invalid character 'x' after top-level value"
        );
        assert_eq!(
            unmarshal(b"{}{}", &OUTER).unwrap_err(),
            "invalid character '{' after top-level value"
        );
        assert_eq!(unmarshal(b" {} \n", &OUTER).unwrap()["userID"], "");
        // The decoder stops after the first value, whatever follows.
        assert_eq!(decode(b"{}{}", &OUTER).unwrap()["userID"], "");
        assert_eq!(decode(b"null x", &OUTER).unwrap()["userID"], "");
    }

    #[test]
    fn deep_nesting_is_go_s_limit_not_a_stack_overflow() {
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n)).into_bytes();
        assert_eq!(
            decode(&deep(10_001), &OUTER).unwrap_err(),
            "invalid character '[' exceeded max depth"
        );
        assert_eq!(scan::first_value(&deep(10_000), true), Ok(20_000));
    }

    #[test]
    fn invalid_utf8_inside_strings_is_accepted() {
        let v = decode(b"{\"userID\":\"a\xffb\"}", &OUTER).unwrap();
        assert_eq!(v["userID"], "a\u{fffd}b");
    }
}
