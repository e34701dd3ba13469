//! `casebook serve`: the clerk's writing loop. The site is rendered in memory and served on
//! localhost; a watcher rebuilds it when a library file changes, and every open page reloads.
//! While the library has errors the last good site stays up and the errors are shown in an
//! overlay on the open page (and in the terminal); the fix clears them.
//!
//! Nothing is written to the output folder: `serve` cannot damage the published site.
//!
//! - [`rebuild`]: what is served (the last good site), and making it again;
//! - [`watch`]: which changes matter, and when to rebuild;
//! - [`http`]: answering the browser, with live reload as a long poll
//!   (`/_casebook/status?since=N` answers when the build version moves past N), which needs
//!   no WebSocket and works through any proxy.

mod editing;
mod http;
mod rebuild;
mod watch;

use crate::messages::{Lang, Message};
use crate::msg;
use std::sync::mpsc::channel;
use std::sync::Arc;
use std::time::Duration;

use notify::{RecursiveMode, Watcher};
use tiny_http::Server;

use crate::BuildOptions;
use rebuild::{Rebuilds, Shared, Touched};

pub use http::percent_decode;

pub struct ServeOptions {
    pub build: BuildOptions,
    pub bind: String,
    pub port: u16,
    /// Poll the file system instead of waiting for events (network shares).
    pub poll: bool,
    /// The language of the terminal's lines and the error overlay.
    pub lang: Lang,
    /// Offer the record form although `bind` is not a loopback address (then only with the
    /// key printed on the terminal).
    pub allow_edit: bool,
}

/// Whether `bind` keeps the server on this computer.
fn loopback(bind: &str) -> bool {
    let bare = bind.trim_start_matches('[').trim_end_matches(']');
    bare.eq_ignore_ascii_case("localhost")
        || bare
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Build, serve, watch; returns only on a setup error (the address is taken, the watcher fails).
/// `on_ready` is told the address, and the desk's key when editing needs one.
pub fn serve(
    opts: &ServeOptions,
    on_ready: impl FnOnce(&str, Option<&str>),
) -> Result<(), Message> {
    let shared: Shared = Arc::default();
    let mut rebuilds = Rebuilds::new(opts.lang);
    rebuilds.run(&opts.build, &shared, Touched::Anything);

    let addr = format!("{}:{}", opts.bind, opts.port);
    let server = Server::http(&addr)
        .map_err(|e| msg!(CannotListen, addr = &addr, reason = e.to_string()))?;
    let url = match server.server_addr().to_ip() {
        Some(a) => format!("http://{a}/"),
        None => format!("http://{addr}/"),
    };
    let (tx, rx) = channel();
    let mut watcher: Box<dyn Watcher> = if opts.poll {
        let config = notify::Config::default().with_poll_interval(Duration::from_millis(500));
        Box::new(notify::PollWatcher::new(tx, config).map_err(|e| {
            msg!(
                CannotWatch,
                path = opts.build.root.display(),
                reason = e.to_string()
            )
        })?)
    } else {
        Box::new(notify::recommended_watcher(tx).map_err(|e| {
            msg!(
                CannotWatchTryPoll,
                path = opts.build.root.display(),
                reason = e.to_string()
            )
        })?)
    };
    watcher
        .watch(&opts.build.root, RecursiveMode::Recursive)
        .map_err(|e| {
            msg!(
                CannotWatchTryPoll,
                path = opts.build.root.display(),
                reason = e.to_string()
            )
        })?;
    let open = loopback(&opts.bind);
    let editing = (open || opts.allow_edit).then(|| editing::Editing {
        desk: crate::desk::Desk::new(&opts.build.root, opts.lang),
        open,
    });
    let key = editing
        .as_ref()
        .filter(|e| !e.open)
        .map(|e| e.desk.token().to_owned());
    on_ready(&url, key.as_deref());
    let editing = Arc::new(editing);

    let port = server.server_addr().to_ip().map_or(opts.port, |a| a.port());
    let gate = Arc::new(http::Gate::new(port, opts.lang));
    let server = Arc::new(server);
    let lang = opts.lang;
    for _ in 0..4 {
        let (server, shared, gate, editing) = (
            Arc::clone(&server),
            Arc::clone(&shared),
            Arc::clone(&gate),
            Arc::clone(&editing),
        );
        std::thread::spawn(move || {
            while let Ok(request) = server.recv() {
                // Long polls block their thread, so each request gets its own, up to a bound.
                if let Some(request) = gate.admit(request) {
                    let (shared, gate, editing) =
                        (Arc::clone(&shared), Arc::clone(&gate), Arc::clone(&editing));
                    std::thread::spawn(move || {
                        http::respond(request, &shared, editing.as_ref().as_ref(), lang);
                        gate.done();
                    });
                }
            }
        });
    }
    watch::watch_loop(&opts.build, &rx, &shared, &mut rebuilds);
    Ok(())
}
