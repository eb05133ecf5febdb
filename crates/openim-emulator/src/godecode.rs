//! Request bodies decoded the way OpenIM's Go `encoding/json` decodes them (§1.3): unknown keys
//! ignored, keys matched case-insensitively (an exact match preferred), a wrong JSON type is an
//! error naming the Go struct field, `null` leaves the zero value, lists and nested messages stay
//! `null` when absent (Go nil), and only the first JSON value of the body is read.
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

/// Decodes `body` as Go would into `ty`. The error is Go's error text.
pub fn decode(body: &[u8], ty: &'static Struct) -> Result<Value, String> {
    let value = first_json_value(body)?;
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

/// Decodes and then reads the normalised value into `T`.
pub fn decode_into<T: for<'de> Deserialize<'de>>(
    body: &[u8],
    ty: &'static Struct,
) -> Result<T, String> {
    let v = decode(body, ty)?;
    serde_json::from_value(v).map_err(|e| format!("json: {e}"))
}

/// Reads the first JSON value of the body, as `json.Decoder.Decode` does; trailing bytes are
/// left unread.
fn first_json_value(body: &[u8]) -> Result<Value, String> {
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        return Err("EOF".into());
    }
    let mut stream = serde_json::Deserializer::from_slice(body).into_iter::<Value>();
    match stream.next() {
        Some(Ok(v)) => Ok(v),
        Some(Err(e)) if e.is_eof() => Err("unexpected EOF".into()),
        Some(Err(e)) => {
            let offset = stream.byte_offset();
            let bad = std::str::from_utf8(&body[offset.min(body.len())..])
                .ok()
                .and_then(|s| s.chars().next());
            Err(match bad {
                Some(c) => format!(
                    "invalid character {} looking for beginning of value",
                    go_quote_char(c)
                ),
                None => format!("invalid JSON: {e}"),
            })
        }
        None => Err("EOF".into()),
    }
}

fn go_quote_char(c: char) -> String {
    match c {
        '\'' => "'\\''".into(),
        '"' => "'\"'".into(),
        c if c.is_control() => format!("'\\x{:02x}'", c as u32),
        c => format!("'{c}'"),
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
            obj.iter()
                .rev()
                .find(|(k, _)| k.to_lowercase() == name.to_lowercase())
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

fn type_error(got: &Value, owner: &Struct, path: &[&str], go_type: &str) -> String {
    let what = match got {
        Value::Number(n) => format!("number {n}"),
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
    }

    #[test]
    fn type_errors_read_like_go() {
        assert_eq!(
            decode(br#"{"userID":1}"#, &OUTER).unwrap_err(),
            "json: cannot unmarshal number 1 into Go struct field GetPaginationUsersReq.userID of type string"
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
}
