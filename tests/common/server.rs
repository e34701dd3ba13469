//! A running `casebook serve` for the tests that talk to it over HTTP.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// A running `casebook serve`, stopped when dropped.
pub struct Server {
    child: Child,
    pub base: String,
    /// What the server has said on its terminal so far.
    said: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Start `casebook serve` on a free port with `extra` arguments.
    pub fn start(root: &Path, extra: &[&str]) -> Server {
        let mut child = super::command()
            .args(["serve", "--port", "0", "--root"])
            .arg(root)
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start serve");
        let said = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let stderr = child.stderr.take().expect("stderr");
        let keep = std::sync::Arc::clone(&said);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Ok(mut said) = keep.lock() {
                    said.push_str(&line);
                    said.push('\n');
                }
            }
        });
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("address line");
        let base = line
            .trim()
            .strip_prefix("http://")
            .map(|rest| format!("http://{rest}"))
            .expect("the served address")
            .trim_end_matches('/')
            .to_owned();
        // The terminal's lines follow the address on standard output.
        std::thread::sleep(Duration::from_millis(100));
        Server { child, base, said }
    }

    /// Everything the server printed on its terminal so far.
    pub fn said(&self) -> String {
        self.said.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// (status code, body) of a GET.
    pub fn get(&self, path: &str) -> (u16, String) {
        self.get_as(self.base.trim_start_matches("http://"), path)
    }

    /// (status code, body) of a GET whose `Host` header is `host`.
    pub fn get_as(&self, host: &str, path: &str) -> (u16, String) {
        self.request("GET", path, &[("Host", host)], "")
    }

    /// The host and port the server answers at.
    pub fn host(&self) -> &str {
        self.base.trim_start_matches("http://")
    }

    /// (status code, body) of a request with exactly these headers (no `Host` unless given).
    pub fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> (u16, String) {
        let mut stream = TcpStream::connect(self.host()).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .expect("timeout");
        let mut head = format!("{method} {path} HTTP/1.0\r\n");
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
        stream.write_all(head.as_bytes()).expect("request");
        stream.write_all(body.as_bytes()).expect("request body");
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).expect("response");
        let text = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let code = head
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        (code, body.to_owned())
    }

    pub fn status(&self) -> serde_json::Value {
        serde_json::from_str(&self.get("/_casebook/status").1).expect("status json")
    }

    /// Wait until `cond` holds for the served site (rebuilds take a moment).
    pub fn wait_until(&self, what: &str, cond: impl Fn(&Server) -> bool) {
        let started = Instant::now();
        while !cond(self) {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "timed out waiting until {what}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}
