//! What casebook says to a person, in the language the person reads.
//!
//! Every sentence lives in [`catalog`], Simplified Chinese and English side by side, so a
//! reviewer reads each language in one column and the compiler refuses a key without both.
//! Code that finds a problem builds a [`Message`] — a key and its named arguments — and does
//! not choose a language: the command line, `serve`'s terminal and its browser overlay render
//! it in the [`Lang`] they were started with. That keeps the language out of every stage and
//! out of any global.

mod catalog;

use std::ffi::OsString;
use std::fmt;

pub use catalog::Key;

/// The language of messages: Chinese unless the person asked for English.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// `--lang en` / `--lang=zh` among the arguments wins; otherwise English when `LC_ALL`,
    /// `LC_MESSAGES` or `LANG` (the first one set) starts with `en`; otherwise Chinese.
    pub fn detect(args: &[OsString], env: impl Fn(&str) -> Option<String>) -> Lang {
        let mut given = None;
        let mut iter = args.iter().map(|a| a.to_string_lossy());
        while let Some(arg) = iter.next() {
            if arg == "--lang" {
                given = iter.next().map(|v| v.into_owned());
            } else if let Some(v) = arg.strip_prefix("--lang=") {
                given = Some(v.to_owned());
            }
        }
        if let Some(lang) = given.as_deref().and_then(Lang::parse) {
            return lang;
        }
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .find_map(|k| env(k).filter(|v| !v.is_empty()));
        match locale {
            Some(l) if l.starts_with("en") => Lang::En,
            _ => Lang::Zh,
        }
    }

    /// `zh`, `zh-CN`, `zh_CN.UTF-8`, `en`, `en_US` …; anything else is no language.
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.to_ascii_lowercase();
        if s.starts_with("zh") {
            Some(Lang::Zh)
        } else if s.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }
}

/// One sentence to say: a catalog key and the values of its `{name}` placeholders. An
/// argument may itself be a message (a field's label, a kind of number), rendered in the same
/// language.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    key: Key,
    args: Vec<(&'static str, Arg)>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Text(String),
    Message(Message),
}

impl From<Message> for Arg {
    fn from(m: Message) -> Arg {
        Arg::Message(m)
    }
}

impl From<Key> for Arg {
    fn from(k: Key) -> Arg {
        Arg::Message(Message::new(k))
    }
}

macro_rules! text_args {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(v: $t) -> Arg {
                Arg::Text(v.to_string())
            }
        }
    )*};
}
text_args!(String, &str, &String, usize, u32, u64, i64, f64, char);

impl From<std::path::Display<'_>> for Arg {
    fn from(v: std::path::Display<'_>) -> Arg {
        Arg::Text(v.to_string())
    }
}

impl From<Key> for Message {
    fn from(k: Key) -> Message {
        Message::new(k)
    }
}

impl Message {
    pub fn new(key: Key) -> Message {
        Message {
            key,
            args: Vec::new(),
        }
    }

    /// Set the value of the `{name}` placeholder.
    pub fn arg(mut self, name: &'static str, value: impl Into<Arg>) -> Message {
        self.args.push((name, value.into()));
        self
    }

    /// An error of the operating system, said by its kind (the system's own text is English
    /// on most machines); other kinds keep the system's words.
    pub fn io(e: &std::io::Error) -> Message {
        use std::io::ErrorKind as K;
        let key = match e.kind() {
            K::NotFound => Key::IoNotFound,
            K::PermissionDenied => Key::IoDenied,
            K::StorageFull | K::QuotaExceeded => Key::IoFull,
            K::ReadOnlyFilesystem => Key::IoReadOnly,
            K::AlreadyExists => Key::IoExists,
            _ => return Message::new(Key::IoOther).arg("detail", e.to_string()),
        };
        Message::new(key)
    }

    pub fn key(&self) -> Key {
        self.key
    }

    /// The sentence in `lang`, placeholders filled. A `{…}` that names no argument is kept as
    /// written (examples of TOML such as `{ a = 1 }` contain braces).
    pub fn render(&self, lang: Lang) -> String {
        let text = self.key.text(lang);
        let mut out = String::with_capacity(text.len() + 16);
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let value = after.find('}').and_then(|close| {
                let name = &after[..close];
                let arg = self.args.iter().find(|(n, _)| *n == name)?;
                Some((close, arg))
            });
            match value {
                Some((close, (_, arg))) => {
                    match arg {
                        Arg::Text(t) => out.push_str(t),
                        Arg::Message(m) => out.push_str(&m.render(lang)),
                    }
                    rest = &after[close + 1..];
                }
                None => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }
}

/// Chinese, the language the users read; code that must show a message without knowing the
/// reader's language (a `Display` for a log line, a test) gets this.
impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::Zh))
    }
}

/// `msg!(Key, name = value, …)`: a [`Message`] with its arguments.
#[macro_export]
macro_rules! msg {
    ($key:ident $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::messages::Message::new($crate::messages::Key::$key)
            $(.arg(stringify!($name), $value))*
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placeholders(text: &str) -> Vec<&str> {
        let mut names: Vec<&str> = text
            .split('{')
            .skip(1)
            .filter_map(|s| s.split_once('}').map(|(n, _)| n))
            .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    }

    #[test]
    fn both_languages_take_the_same_arguments() {
        for key in Key::ALL {
            let (zh, en) = (key.text(Lang::Zh), key.text(Lang::En));
            assert_eq!(placeholders(zh), placeholders(en), "{key:?}: {zh} / {en}");
            assert!(
                zh.chars().any(|c| ('\u{3000}'..='\u{9fff}').contains(&c)
                    || ('\u{ff00}'..='\u{ffef}').contains(&c)
                    || ('\u{2018}'..='\u{201d}').contains(&c)),
                "{key:?} is not Chinese: {zh}"
            );
        }
    }

    #[test]
    fn render_fills_arguments_and_keeps_other_braces() {
        let m = Message::new(Key::MissingField).arg(
            "field",
            Message::new(Key::FieldLabel)
                .arg("key", "department")
                .arg("label", "责任单位"),
        );
        assert_eq!(m.render(Lang::Zh), "缺少必填字段 责任单位（department）");
        assert_eq!(
            m.render(Lang::En),
            "missing required field `department` (责任单位)"
        );
        assert_eq!(
            Message::new(Key::WriteLike)
                .arg("example", "{ a = 1 }")
                .render(Lang::En),
            "write it like: { a = 1 }"
        );
    }

    #[test]
    fn language_comes_from_the_option_then_the_locale() {
        let args = |a: &[&str]| a.iter().map(OsString::from).collect::<Vec<_>>();
        let none = |_: &str| None;
        let en = |k: &str| (k == "LANG").then(|| "en_US.UTF-8".to_owned());
        assert_eq!(Lang::detect(&args(&["casebook", "check"]), none), Lang::Zh);
        assert_eq!(Lang::detect(&args(&["casebook", "check"]), en), Lang::En);
        assert_eq!(
            Lang::detect(&args(&["casebook", "--lang", "zh", "check"]), en),
            Lang::Zh
        );
        assert_eq!(
            Lang::detect(&args(&["casebook", "check", "--lang=en"]), none),
            Lang::En
        );
    }
}
