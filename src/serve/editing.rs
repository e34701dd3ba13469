//! The desk over HTTP: the form pages, the editing script, saving, and the 编辑 / 新建事件 links
//! put on the served pages. Who may write is decided here:
//!
//! - the desk exists only when `serve` listens on a loopback address, or with `--allow-edit`;
//! - with `--allow-edit` the form is opened with the key printed on the terminal
//!   (`/_casebook/new?key=…`), which the browser then keeps in a cookie for this server;
//! - a save carries the desk's token (held by the form page, unreadable to other sites) in
//!   `X-Casebook-Token`, and its `Origin` must be the address it was sent to (the `Host`,
//!   already checked to be this machine by [`super::http::Gate`]).

use std::io::Read;
use std::path::Path;

use tiny_http::{Method, Request};

use super::http::{param, Reply};
use super::rebuild::{lock, Shared, Source};
use crate::desk::{Desk, DocKind, Saved, Submission};
use crate::messages::Key;

/// Whether the desk is open to anyone who can reach the server (a loopback address) or only
/// with the key.
pub struct Editing {
    pub desk: Desk,
    pub open: bool,
}

/// The largest form accepted (a record is a few KB; the body limit of a library file is 10 MB).
const MAX_FORM: u64 = 10 * 1024 * 1024;

const COOKIE: &str = "casebook_desk";

fn header<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    request
        .headers()
        .iter()
        .find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name))
        .map(|h| h.value.as_str())
}

fn json(status: u16, value: serde_json::Value) -> Reply {
    Reply {
        status,
        mime: "application/json; charset=utf-8",
        body: value.to_string().into_bytes(),
    }
}

fn text(status: u16, why: &str) -> Reply {
    Reply {
        status,
        mime: "text/plain; charset=utf-8",
        body: why.as_bytes().to_vec(),
    }
}

impl Editing {
    /// A refusal said in the desk's language.
    fn refuse(&self, status: u16, why: Key) -> Reply {
        text(status, &self.desk.say(&why.into()))
    }

    /// The key given in the query or kept in the cookie, if it is the desk's.
    fn keyed(&self, request: &Request, query: &str) -> bool {
        let from_query = param(query, "key").is_some_and(|k| self.desk.admits(&k));
        let from_cookie = header(request, "Cookie").is_some_and(|c| {
            c.split(';')
                .filter_map(|kv| kv.trim().strip_prefix(COOKIE)?.strip_prefix('='))
                .any(|k| self.desk.admits(k))
        });
        from_query || from_cookie
    }

    /// May this request see the form and the editing links?
    fn allowed(&self, request: &Request, query: &str) -> bool {
        self.open || self.keyed(request, query)
    }

    /// The reply to a request under `/_casebook/` that belongs to the desk, if it is one.
    pub fn answer(
        &self,
        request: &mut Request,
        name: &str,
        query: &str,
        shared: &Shared,
    ) -> Option<(Reply, bool)> {
        let reply = match name {
            "desk.js" => Reply::ok(
                "text/javascript; charset=utf-8",
                crate::desk::SCRIPT.as_bytes().to_vec(),
            ),
            "new" | "edit" if !self.allowed(request, query) => self.refuse(403, Key::DeskNeedsKey),
            "new" => {
                let kind = param(query, "kind").unwrap_or_default();
                match DocKind::named(&kind) {
                    Some(kind) => Reply::ok(
                        "text/html; charset=utf-8",
                        self.desk.new_document(kind).into_bytes(),
                    ),
                    None => self.refuse(404, Key::DeskNoKind),
                }
            }
            "edit" => {
                let path = param(query, "path").unwrap_or_default();
                match self.desk.edit(Path::new(&path)) {
                    Some(page) => Reply::ok("text/html; charset=utf-8", page.into_bytes()),
                    None => self.refuse(404, Key::DeskNoDocument),
                }
            }
            "save" => self.save(request, shared),
            "preview" => self.preview(request),
            "preview-page" => self.preview_page(request, shared),
            _ => return None,
        };
        // A form opened with the key keeps it for the pages that follow.
        let remember = matches!(name, "new" | "edit") && !self.open && reply.status == 200;
        Some((reply, remember))
    }

    pub fn cookie(&self) -> String {
        format!(
            "{COOKIE}={}; Path=/; HttpOnly; SameSite=Strict",
            self.desk.token()
        )
    }

    /// The body of a POST from the form page, its token and origin checked.
    fn posted(&self, request: &mut Request) -> Result<Vec<u8>, Reply> {
        if *request.method() != Method::Post {
            return Err(self.refuse(405, Key::DeskPostOnly));
        }
        let token = header(request, "X-Casebook-Token").unwrap_or_default();
        if !self.desk.admits(token) {
            return Err(self.refuse(403, Key::DeskNoToken));
        }
        let host = header(request, "Host").unwrap_or_default();
        if header(request, "Origin") != Some(format!("http://{host}").as_str()) {
            return Err(self.refuse(403, Key::DeskForeignOrigin));
        }
        let mut body = Vec::new();
        let read = request
            .as_reader()
            .take(MAX_FORM + 1)
            .read_to_end(&mut body);
        if read.is_err() || body.len() as u64 > MAX_FORM {
            return Err(self.refuse(413, Key::DeskTooBig));
        }
        Ok(body)
    }

    /// The body as the record page will show it (sanitised as the build sanitises it).
    fn preview(&self, request: &mut Request) -> Reply {
        match self.posted(request) {
            Ok(body) => Reply::ok(
                "text/html; charset=utf-8",
                crate::text::markdown::to_html(&String::from_utf8_lossy(&body)).into_bytes(),
            ),
            Err(refused) => refused,
        }
    }

    /// The page the form's document would have, with the served site's templates.
    fn preview_page(&self, request: &mut Request, shared: &Shared) -> Reply {
        let body = match self.posted(request) {
            Ok(body) => body,
            Err(refused) => return refused,
        };
        let Ok(submission) = serde_json::from_slice::<Submission>(&body) else {
            return self.refuse(400, Key::DeskUnreadable);
        };
        let Some(source) = lock(shared).source.clone() else {
            return self.refuse(422, Key::DeskLibraryBroken);
        };
        match self.desk.preview_page(&submission, &source.site.tera) {
            Ok(html) => Reply::ok("text/html; charset=utf-8", html.into_bytes()),
            Err(why) => text(422, &why),
        }
    }

    fn save(&self, request: &mut Request, shared: &Shared) -> Reply {
        let body = match self.posted(request) {
            Ok(body) => body,
            Err(refused) => return refused,
        };
        let submission: Submission = match serde_json::from_slice(&body) {
            Ok(s) => s,
            Err(_) => return self.refuse(400, Key::DeskUnreadable),
        };
        // Read before writing: the rebuild the write sets off moves the version past this.
        let version = lock(shared).version;
        match self.desk.save(&submission) {
            Saved::Written {
                path,
                page,
                changed,
                problems,
            } => json(
                200,
                serde_json::json!({
                    "path": path.to_string_lossy().replace('\\', "/"),
                    "page": page,
                    "version": version,
                    "changed": changed,
                    "problems": problems,
                }),
            ),
            Saved::Invalid(problems) => json(422, serde_json::json!({ "problems": problems })),
            Saved::Conflict(disk) => json(
                409,
                serde_json::json!({
                    "message": self.desk.say(&Key::DeskConflict.into()),
                    "disk": disk,
                }),
            ),
            Saved::Failed(why) => json(500, serde_json::json!({ "error": self.desk.say(&why) })),
        }
    }

    /// The 编辑 / 新建事件 bar for the served page at `path`, if the request may edit.
    pub fn links(&self, request: &Request, path: &str, source: Option<&Source>) -> String {
        if !self.allowed(request, "") {
            return String::new();
        }
        let mut links = Vec::new();
        if let Some(file) = source.and_then(|s| s.document_file(path)) {
            let what = match DocKind::of_path(file) {
                Some(DocKind::Plan) => "编辑这份预案",
                Some(DocKind::Summary) => "编辑这期舆情分析",
                _ => "编辑这条记录",
            };
            let file = file.to_string_lossy().replace('\\', "/");
            let file = crate::render::site::escape_html(&file);
            links.push(format!(
                "<a href=\"/_casebook/edit?path={file}\">{what}</a>"
            ));
        }
        links.push("<a href=\"/_casebook/new\">新建事件</a>".to_owned());
        if path.starts_with("plans/") {
            links.push("<a href=\"/_casebook/new?kind=plan\">新建预案</a>".to_owned());
        }
        if path.starts_with("summaries/") {
            links.push("<a href=\"/_casebook/new?kind=summary\">新建舆情分析</a>".to_owned());
        }
        format!(
            "<nav aria-label=\"编辑\" style=\"position:fixed;right:1rem;bottom:1rem;z-index:1000;background:#fff;border:2px solid #1a5fb4;padding:.4rem .8rem;display:flex;gap:1rem;font:15px/1.5 sans-serif\">{}</nav>",
            links.join("")
        )
    }
}
