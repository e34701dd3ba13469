//! Answering the browser: pages of the last good site (made when first asked for), the
//! live-reload script and the long-polled build status.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tiny_http::{Header, Request, Response};

use super::editing::Editing;
use super::rebuild::{lock, Shared};
use crate::messages::{Key, Lang};

/// Where pages find the live-reload script and status.
const LIVE_PREFIX: &str = "/_casebook/";
const LIVE_SCRIPT: &str = include_str!("live.js");
/// How long a status request waits for a new build before answering anyway.
const LONG_POLL: Duration = Duration::from_secs(20);

/// What a request gets.
pub(super) struct Reply {
    pub status: u16,
    pub mime: &'static str,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn ok(mime: &'static str, body: Vec<u8>) -> Reply {
        Reply {
            status: 200,
            mime,
            body,
        }
    }
}

/// Requests answered at once at most; more are told to try again.
const MAX_REQUESTS: usize = 64;

/// Which requests are answered at all. Only those addressed to this machine by number or as
/// `localhost`, on the served port: a web page the clerk visits could otherwise reach the
/// preview through a name of its own that points here (DNS rebinding). And at most
/// [`MAX_REQUESTS`] at once, each on a thread of its own.
pub struct Gate {
    port: u16,
    busy: AtomicUsize,
    lang: Lang,
}

impl Gate {
    pub fn new(port: u16, lang: Lang) -> Gate {
        Gate {
            port,
            busy: AtomicUsize::new(0),
            lang,
        }
    }

    /// The request, if it is to be answered (then [`Gate::done`] must follow); otherwise it
    /// has been refused.
    pub fn admit(&self, request: Request) -> Option<Request> {
        let host = request
            .headers()
            .iter()
            .find(|h| h.field.equiv("Host"))
            .map(|h| h.value.as_str().to_owned());
        if !host.as_deref().is_some_and(|h| self.allowed(h)) {
            refuse(request, 403, Key::ServeOnlyLocal.text(self.lang));
            return None;
        }
        if self.busy.fetch_add(1, Ordering::SeqCst) >= MAX_REQUESTS {
            self.done();
            refuse(request, 503, Key::ServeBusy.text(self.lang));
            return None;
        }
        Some(request)
    }

    pub fn done(&self) {
        self.busy.fetch_sub(1, Ordering::SeqCst);
    }

    /// `localhost` or an IP address, with the served port.
    fn allowed(&self, host: &str) -> bool {
        let Some((name, port)) = host.rsplit_once(':') else {
            return false;
        };
        let name = name.trim_start_matches('[').trim_end_matches(']');
        port.parse() == Ok(self.port)
            && (name.eq_ignore_ascii_case("localhost") || name.parse::<std::net::IpAddr>().is_ok())
    }
}

fn refuse(request: Request, status: u16, why: &str) {
    let mut response = Response::from_string(why).with_status_code(status);
    if let Ok(h) = Header::from_bytes(&b"Content-Type"[..], &b"text/plain; charset=utf-8"[..]) {
        response.add_header(h);
    }
    let _ = request.respond(response);
}

pub fn respond(mut request: Request, shared: &Shared, editing: Option<&Editing>, lang: Lang) {
    let url = request.url().to_owned();
    let (path, query) = url.split_once('?').unwrap_or((url.as_str(), ""));
    let mut cookie = None;
    let reply = match path.strip_prefix(LIVE_PREFIX) {
        Some("live.js") => Reply::ok(
            "text/javascript; charset=utf-8",
            LIVE_SCRIPT.as_bytes().to_vec(),
        ),
        Some("status") => status(shared, query),
        Some(name) => match editing.and_then(|e| e.answer(&mut request, name, query, shared)) {
            Some((reply, remember)) => {
                cookie = editing.filter(|_| remember).map(Editing::cookie);
                reply
            }
            None => page(shared, path, None, lang),
        },
        _ => page(shared, path, editing.map(|e| (e, &request)), lang),
    };
    let mut response = Response::from_data(reply.body).with_status_code(reply.status);
    let headers = [("Content-Type", reply.mime), ("Cache-Control", "no-store")];
    let cookie = cookie.iter().map(|c| ("Set-Cookie", c.as_str()));
    for (name, value) in headers.into_iter().chain(cookie) {
        if let Ok(h) = Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            response.add_header(h);
        }
    }
    let _ = request.respond(response);
}

/// `{"version": N, "errors": [...]}`, once the version differs from `since` (or at once).
fn status(shared: &Shared, query: &str) -> Reply {
    let since: Option<u64> = param(query, "since").and_then(|v| v.parse().ok());
    let mut state = lock(shared);
    let deadline = Instant::now() + LONG_POLL;
    while since == Some(state.version) {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        state = match shared.1.wait_timeout(state, left) {
            Ok((s, _)) => s,
            Err(poisoned) => poisoned.into_inner().0,
        };
    }
    let body = serde_json::json!({ "version": state.version, "errors": state.errors });
    Reply::ok("application/json", body.to_string().into_bytes())
}

/// A file of the last good site; HTML pages get the live-reload script.
fn page(shared: &Shared, path: &str, editing: Option<(&Editing, &Request)>, lang: Lang) -> Reply {
    let rel = percent_decode(path.trim_start_matches('/'));
    let rel = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel
    };
    let (found, source) = {
        let state = lock(shared);
        let found = match state.files.get(&rel) {
            Some(bytes) => Some((rel.clone(), Ok(Arc::clone(bytes)))),
            None => {
                let index = format!("{rel}/index.html");
                state.files.get(&index).map(|b| (index, Ok(Arc::clone(b))))
            }
        };
        (found, state.source.clone())
    };
    let bar = |name: &str| {
        editing.map_or(String::new(), |(e, request)| {
            e.links(request, name, source.as_deref())
        })
    };
    // A page is made the first time it is asked for after a build (outside the lock), then
    // kept with the rest of the site.
    let found = found.or_else(|| {
        let source = source.clone()?;
        let (name, made) = source.make(&rel)?;
        let made = made.map(Arc::new);
        if let Ok(bytes) = &made {
            let mut state = lock(shared);
            // Kept only if no rebuild has replaced the site meanwhile.
            if state
                .source
                .as_ref()
                .is_some_and(|s| Arc::ptr_eq(s, &source))
            {
                state.files.insert(name.clone(), Arc::clone(bytes));
            }
        }
        Some((name, made))
    });
    let script = format!("<script src=\"{LIVE_PREFIX}live.js\"></script></body>");
    match found {
        Some((name, Ok(bytes))) if name.ends_with(".html") => {
            let script = format!("{}{script}", bar(&name));
            let html = String::from_utf8_lossy(&bytes).replacen("</body>", &script, 1);
            Reply::ok("text/html; charset=utf-8", html.into_bytes())
        }
        Some((name, Ok(bytes))) => Reply::ok(mime(&name), bytes.to_vec()),
        Some((_, Err(why))) => Reply {
            status: 500,
            mime: "text/plain; charset=utf-8",
            body: why.into_bytes(),
        },
        None => {
            let why =
                if [crate::export::CSV_PATH, crate::export::SQLITE_PATH].contains(&rel.as_str()) {
                    Key::ServeNoExports.text(lang)
                } else {
                    Key::ServeNoPage.text(lang)
                };
            Reply {
                status: 404,
                mime: "text/html; charset=utf-8",
                body: format!(
                    "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>未找到</title></head><body><p>{why}</p>{script}</html>"
                )
                .into_bytes(),
            }
        }
    }
}

fn mime(path: &str) -> &'static str {
    match Path::new(path).extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("csv") => "text/csv; charset=utf-8",
        Some("md") => "text/markdown; charset=utf-8",
        Some("docx") => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Some("xlsx") => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "application/octet-stream",
    }
}

/// The decoded value of `name` in a query string (`?path=…&key=…`).
pub fn param(query: &str, name: &str) -> Option<String> {
    query
        .split('&')
        .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
        .map(percent_decode)
}

/// `%E6%A1%88` → 案; malformed escapes are kept as written.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 3 <= bytes.len() {
            if let Some(b) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
