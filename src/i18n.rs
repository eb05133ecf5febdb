//! The interface language and the catalogue of every text the console shows, in English and
//! Simplified Chinese, grouped by page in `i18n/`.
//!
//! A missing translation does not compile: a fixed text is a `Text { en, zh }` struct literal,
//! which cannot leave a field out, and a text with parameters is a function that `match`es on
//! [`Lang`] without a wildcard, so adding a language (or forgetting one arm) is an error. The
//! tests below then check what the compiler cannot: no Chinese text is empty, left in English,
//! or without a Chinese character, apart from a short allow-list of technical tokens.
//!
//! Pure functions take a `Lang` parameter; components read it with [`use_lang`].

use yew::prelude::*;

/// The interface language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

/// Where the operator's choice is remembered (localStorage).
pub const STORAGE_KEY: &str = "openim-admin.lang";

impl Lang {
    /// The choices of the header's language control, in this order.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// The language for a first visit, from `navigator.language` (`en-US`, `zh-CN`, ...).
    ///
    /// Every Chinese tag maps to Simplified Chinese, the Traditional ones (`zh-TW`, `zh-HK`,
    /// `zh-Hant`) included: their readers read Simplified Chinese more easily than English, and
    /// the header switches back in one click. Everything else is English.
    pub fn from_browser(navigator_language: &str) -> Lang {
        let primary = navigator_language
            .trim()
            .split(['-', '_'])
            .next()
            .unwrap_or_default();
        if primary.eq_ignore_ascii_case("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }

    /// The BCP 47 tag: the `<html lang>` value and what is stored under [`STORAGE_KEY`].
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
        }
    }

    /// The language a stored [`Lang::code`] names; `None` for anything else.
    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == code.trim())
    }

    /// The language's name in itself, as the language control lists it.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Zh => "简体中文",
        }
    }
}

/// One fixed text in both languages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Text {
    pub en: &'static str,
    pub zh: &'static str,
}

impl Text {
    pub const fn get(self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::Zh => self.zh,
        }
    }
}

/// Declares a module's fixed texts as `pub const NAME: Text = Text { en: .., zh: .. };` items
/// and lists them in `ALL` for the catalogue's tests.
macro_rules! catalogue {
    ($( $(#[$meta:meta])* pub const $name:ident: Text = $value:expr; )*) => {
        $( $(#[$meta])* pub const $name: $crate::i18n::Text = $value; )*

        /// Every fixed text of this module, by name.
        #[cfg(test)]
        pub const ALL: &[(&str, $crate::i18n::Text)] = &[$( (stringify!($name), $name), )*];
    };
}

pub mod account_check;
pub mod connect;
pub mod errors;
pub mod format;
pub mod import;
pub mod overview;
pub mod register;
pub mod shell;
pub mod token;
pub mod users;

/// The language chosen in the header; English where no provider is mounted (component tests).
#[hook]
pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or_default()
}

/// `a, b, c` in English, `a、b、c` in Chinese: how a list of items reads in running text.
pub fn list(lang: Lang, items: &[String]) -> String {
    match lang {
        Lang::En => items.join(", "),
        Lang::Zh => items.join("、"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Chinese texts that may equal the English or lack Chinese characters: technical tokens
    /// an operator reads the same in both languages.
    const SAME_IN_BOTH: &[&str] = &["ex", "errCode", "operationID", "OpenIM v3.4"];

    /// Han ideographs, CJK punctuation (`。`, `“”`) and full-width forms (`（）`, `：`).
    fn has_cjk(s: &str) -> bool {
        s.chars().any(|c| {
            matches!(c as u32,
                0x3000..=0x303F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xFF00..=0xFFEF)
                || matches!(c, '“' | '”')
        })
    }

    /// A catalogue module: its name, its fixed texts, and its functions called with sample
    /// arguments.
    type Module = (
        &'static str,
        &'static [(&'static str, Text)],
        fn(Lang) -> Vec<String>,
    );

    fn modules() -> Vec<Module> {
        vec![
            ("account_check", account_check::ALL, account_check::samples),
            ("connect", connect::ALL, connect::samples),
            ("errors", errors::ALL, errors::samples),
            ("format", format::ALL, format::samples),
            ("import", import::ALL, import::samples),
            ("overview", overview::ALL, overview::samples),
            ("register", register::ALL, register::samples),
            ("shell", shell::ALL, shell::samples),
            ("token", token::ALL, token::samples),
            ("users", users::ALL, users::samples),
        ]
    }

    fn check(place: &str, en: &str, zh: &str, problems: &mut Vec<String>) {
        if en.trim().is_empty() {
            problems.push(format!("{place}: empty English text"));
        }
        if zh.trim().is_empty() {
            problems.push(format!("{place}: empty Chinese text for {en:?}"));
            return;
        }
        if SAME_IN_BOTH.contains(&zh.trim()) {
            return;
        }
        if zh == en {
            problems.push(format!("{place}: Chinese text is the English {en:?}"));
        } else if !has_cjk(zh) {
            problems.push(format!("{place}: no Chinese character in {zh:?}"));
        }
    }

    #[test]
    fn the_checks_catch_untranslated_texts() {
        let problems = |en: &str, zh: &str| {
            let mut found = Vec::new();
            check("t", en, zh, &mut found);
            found.len()
        };
        assert_eq!(problems("Sign out", "退出登录"), 0);
        assert_eq!(problems("Sign out", "Sign out"), 1, "left in English");
        assert_eq!(problems("Sign out", ""), 1, "missing");
        assert_eq!(problems("Sign out", "Log out"), 1, "no Chinese character");
        assert_eq!(problems("Row 1", "第 1 行"), 0);
        assert_eq!(problems("ex", "ex"), 0, "allow-listed");
    }

    #[test]
    fn every_fixed_text_is_translated() {
        let mut problems = Vec::new();
        let mut count = 0;
        for (module, texts, _) in modules() {
            for (name, text) in texts {
                count += 1;
                check(
                    &format!("{module}::{name}"),
                    text.en,
                    text.zh,
                    &mut problems,
                );
            }
        }
        assert!(count > 200, "the catalogue lists only {count} texts");
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn every_text_with_parameters_is_translated() {
        let mut problems = Vec::new();
        for (module, _, samples) in modules() {
            let (en, zh) = (samples(Lang::En), samples(Lang::Zh));
            assert_eq!(en.len(), zh.len(), "{module}: samples differ per language");
            assert!(!en.is_empty(), "{module}: no samples");
            for (k, (en, zh)) in en.iter().zip(&zh).enumerate() {
                check(&format!("{module} sample {k}"), en, zh, &mut problems);
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn the_allow_list_stays_short_and_used() {
        assert!(SAME_IN_BOTH.len() <= 6);
        let zh: Vec<&str> = modules()
            .iter()
            .flat_map(|(_, texts, _)| texts.iter().map(|(_, t)| t.zh))
            .collect();
        for allowed in ["ex", "errCode", "operationID"] {
            assert!(zh.contains(&allowed), "{allowed} is allowed but unused");
        }
    }

    #[test]
    fn the_browser_language_picks_the_first_visit() {
        for tag in [
            "zh",
            "zh-CN",
            "zh-Hans",
            "zh-SG",
            "zh-Hans-CN",
            "ZH-cn",
            "zh_CN",
        ] {
            assert_eq!(Lang::from_browser(tag), Lang::Zh, "{tag}");
        }
        for tag in ["zh-TW", "zh-HK", "zh-Hant"] {
            assert_eq!(
                Lang::from_browser(tag),
                Lang::Zh,
                "{tag}: Traditional reads as Zh"
            );
        }
        for tag in ["en", "en-US", "fr-FR", "ja", "", "zhx", "chinese"] {
            assert_eq!(Lang::from_browser(tag), Lang::En, "{tag}");
        }
    }

    #[test]
    fn stored_codes_round_trip() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
        }
        assert_eq!(Lang::from_code("de"), None);
        assert_eq!(Lang::default(), Lang::En);
        assert_eq!(Lang::Zh.code(), "zh-CN");
        assert_eq!(Lang::En.native_name(), "English");
        assert_eq!(Lang::Zh.native_name(), "简体中文");
    }

    #[test]
    fn texts_pick_their_language() {
        const T: Text = Text {
            en: "Sign out",
            zh: "退出登录",
        };
        assert_eq!(T.get(Lang::En), "Sign out");
        assert_eq!(T.get(Lang::Zh), "退出登录");
        let ids = vec!["a".to_string(), "b".to_string()];
        assert_eq!(list(Lang::En, &ids), "a, b");
        assert_eq!(list(Lang::Zh, &ids), "a、b");
    }
}
