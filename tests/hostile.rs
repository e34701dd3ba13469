//! Hostile input: script payloads and the Big List of Naughty Strings (vendored from the npm
//! `blns` package, MIT, tests/fixtures/hostile/) go through every field and the body of
//! records, plans and summaries. The output is then checked file by file — no script, event
//! handler or `javascript:` URL in any page, no way out of a data script, no live formula in
//! the CSV — and a real Chromium opens the pages and the search and must not find that any
//! payload ran.

mod common;

use std::path::Path;

use common::{browser, Scratch};

/// What a payload does if it ever runs: mark the document. Escaped text can never produce
/// `data-xss="ran"` as an attribute of `<html>`.
const RUN: &str = "document.documentElement.setAttribute('data-xss','ran')";
const RAN: &str = "data-xss=\"ran\"";

fn script_payloads() -> Vec<String> {
    [
        "<script>RUN</script>",
        "<SCRIPT>RUN</SCRIPT>",
        "<scr<script>ipt>RUN</script>",
        "<img src=x onerror=\"RUN\">",
        "<IMG SRC=x OnErRoR=RUN>",
        "<svg onload=\"RUN\"></svg>",
        "<svg><script>RUN</script></svg>",
        "\"><script>RUN</script>",
        "'><img src=x onerror=RUN>",
        "\" onmouseover=\"RUN\" x=\"",
        "' onfocus='RUN' autofocus x='",
        "</script><script>RUN</script>",
        "</title><script>RUN</script>",
        "</textarea><script>RUN</script>",
        "<a href=\"javascript:RUN\">点我</a>",
        "<a href=\"JaVaScRiPt:RUN\">点我</a>",
        "<a href=\"&#106;avascript:RUN\">点我</a>",
        "<a href=\" javascript:RUN\">点我</a>",
        "<iframe src=\"javascript:RUN\"></iframe>",
        "<iframe srcdoc=\"<script>RUN</script>\"></iframe>",
        "<style>*{background:url(javascript:RUN)}</style>",
        "<div style=\"background:url(javascript:RUN)\">x</div>",
        "<body onload=\"RUN\">",
        "<details open ontoggle=\"RUN\">x</details>",
        "<input autofocus onfocus=\"RUN\">",
        "<object data=\"javascript:RUN\"></object>",
        "<embed src=\"javascript:RUN\">",
        "<math><mtext><table><mglyph><style><img src=x onerror=\"RUN\">",
        "<noscript><p title=\"</noscript><img src=x onerror=RUN>\">",
        "<base href=\"javascript:RUN//\">",
        "<meta http-equiv=\"refresh\" content=\"0;url=javascript:RUN\">",
        "[点我](javascript:RUN)",
        "[点我](JAVASCRIPT:RUN)",
        "![图](javascript:RUN)",
        "<x onclick=\"RUN\">x</x>",
        "<img src=\"http://outside.example/x.png\">",
        "![图](https://outside.example/y.png)",
        "<img src=\"\\\\outside.example\\share\\z.png\">",
        "<table><tr><td style=\"text-align:left;position:fixed;background-image:url(http://outside.example/z)\">x</td></tr></table>",
        "\u{2028}\u{2029}</script><script>RUN</script>",
        "<!--<script>RUN</script>-->",
        "${RUN}{{RUN}}{% raw %}",
        "=cmd|' /C calc'!A0",
        "+1+RUN",
        "-2+3",
        "@SUM(1,1)",
        "../../../../etc/passwd",
        "..\\..\\windows\\system32",
        "/etc/passwd",
        "CON",
        "nul.txt",
    ]
    .iter()
    .map(|p| p.replace("RUN", RUN))
    .collect()
}

fn naughty_strings() -> Vec<String> {
    let path = common::fixture("hostile/blns.json");
    let text = std::fs::read_to_string(&path).expect("blns.json");
    serde_json::from_str(&text).expect("a JSON list of strings")
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

/// A record carrying `p` in every free-text field and in its body.
fn record(i: usize, p: &str) -> String {
    // Blank text is refused where a value is required (a clear error, tested elsewhere), so
    // blank strings go only where blank is allowed.
    let s = if p.trim().is_empty() {
        toml_string(&format!("说明{p}"))
    } else {
        toml_string(p)
    };
    let optional = if p.trim().is_empty() {
        String::new()
    } else {
        format!("region = {s}\nresponse_channel = {s}\nfirst_platform = {s}\ntags = [{s}, \"共同标签\"]\nplatforms = [{s}]\n")
    };
    format!(
        "+++\nid = \"H-{i:04}\"\ntitle = {}\ncategory = \"问题类\"\ndepartment = {}\ndiscovered_at = 2024-05-01T10:00:00\nfirst_response_at = 2024-05-01T11:00:00\nwarning = \"黄\"\nreach = {i}\n{optional}\n[[timeline]]\nat = 2024-05-01T10:00:00\nstage = \"监测\"\nnote = {s}\n\n[[documents]]\nkind = {s}\nnumber = {s}\n+++\n\n## 事件概况\n\n{p}\n\n- {p}\n\n> {p}\n\n| 项目 | 内容 |\n|---|---|\n| 说明 | {p} |\n\n`{p}`\n",
        toml_string(&format!("标题{i}{p}")),
        toml_string(&format!("单位{p}")),
    )
}

/// The library: the basic fixture plus one record per hostile string, a plan and a summary
/// full of payloads, and a payload in the site title.
fn hostile_library() -> Scratch {
    let lib = Scratch::of("basic");
    let config = std::fs::read_to_string(lib.root().join("casebook.toml")).expect("config");
    let config = config.replacen(
        "title = \"测试县网络舆情案例库\"",
        &format!(
            "title = {}",
            toml_string(&format!("案例库<script>{RUN}</script>"))
        ),
        1,
    );
    lib.write("casebook.toml", config);
    let mut all = script_payloads();
    all.extend(naughty_strings());
    for (i, p) in all.iter().enumerate() {
        lib.write(&format!("cases/2024/h{i:04}.md"), record(i, p));
    }
    let body: String = script_payloads()
        .iter()
        .map(|p| format!("## 总则\n\n{p}\n\n"))
        .collect();
    lib.write(
        "content/plans/hostile.md",
        format!(
            "+++\nid = \"hostile\"\ntitle = {}\nstatus = \"有效\"\nissued = 2024-01-01\nissuer = {}\ndoc_no = {}\n+++\n\n{body}",
            toml_string(&format!("预案<img src=x onerror=\"{RUN}\">")),
            toml_string(&format!("<svg onload=\"{RUN}\">")),
            toml_string(&format!("\"><script>{RUN}</script>")),
        ),
    );
    lib.write(
        "content/summaries/2024-05.md",
        format!(
            "+++\nperiod = \"2024-05\"\ntitle = {}\nunit = {}\nkey_cases = [\"H-0000\", \"H-0003\"]\n+++\n\n{body}",
            toml_string(&format!("分析</title><script>{RUN}</script>")),
            toml_string(&format!("<a href=\"javascript:{RUN}\">单位</a>")),
        ),
    );
    lib.write(
        "content/hostile-page.md",
        format!(
            "+++\ntitle = {}\n+++\n\n{body}",
            toml_string(&format!("页面<details open ontoggle=\"{RUN}\">x</details>")),
        ),
    );
    lib.write(
        "content/plan-templates/hostile.md",
        format!(
            "+++\ntitle = {}\ndescription = {}\nscaffolds = \"plan\"\n+++\n\n{body}",
            toml_string(&format!("模板<x onclick=\"{RUN}\">x</x>")),
            toml_string(&format!("\" onmouseover=\"{RUN}\" x=\"")),
        ),
    );
    lib
}

/// Attributes of every start tag in `html`: (tag name, [(attribute, value)]), quoted values
/// read as HTML does, so `>` inside quotes does not end the tag.
fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' || i + 1 >= b.len() || !b[i + 1].is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        i += 1;
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' && b[i] != b'/' {
            i += 1;
        }
        let name = html[start..i].to_ascii_lowercase();
        let mut attrs = Vec::new();
        loop {
            while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
                i += 1;
            }
            if i >= b.len() || b[i] == b'>' {
                break;
            }
            let a = i;
            while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/')
            {
                i += 1;
            }
            let attr = html[a..i].to_ascii_lowercase();
            let mut value = String::new();
            if i < b.len() && b[i] == b'=' {
                i += 1;
                if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                    let q = b[i];
                    i += 1;
                    let v = i;
                    while i < b.len() && b[i] != q {
                        i += 1;
                    }
                    value = html[v..i].to_owned();
                    i += 1;
                } else {
                    let v = i;
                    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                        i += 1;
                    }
                    value = html[v..i].to_owned();
                }
            }
            attrs.push((attr, value));
        }
        out.push((name, attrs));
    }
    out
}

/// A URL attribute is dangerous when, read as a browser reads it (entities decoded, tabs and
/// line breaks removed, leading blanks and controls trimmed, case ignored), it names a
/// scripting scheme.
fn dangerous_url(value: &str) -> bool {
    let v: String = value
        .replace("&#106;", "j")
        .replace("&#x6a;", "j")
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .trim_start_matches(|c: char| c <= ' ')
        .to_ascii_lowercase();
    v.starts_with("javascript:") || v.starts_with("vbscript:") || v.starts_with("data:text/html")
}

fn assert_page_is_inert(path: &Path, html: &str) {
    for (name, attrs) in tags(html) {
        let at = || format!("{}: <{name} {attrs:?}>", path.display());
        let forbidden = matches!(
            name.as_str(),
            "iframe" | "object" | "embed" | "style" | "base"
        ) || (name == "meta"
            && attrs.iter().any(|(a, v)| {
                // The site's own policy (base.html) is the one `http-equiv` a page may have.
                a == "http-equiv" && !v.eq_ignore_ascii_case("Content-Security-Policy")
            }));
        assert!(!forbidden, "{}", at());
        if name == "script" {
            let src = attrs
                .iter()
                .find(|(a, _)| a == "src")
                .map(|(_, v)| v.as_str());
            let ours = src.is_some_and(|s| {
                let s = s.trim_start_matches("../");
                s.starts_with("assets/") || s.starts_with("data/") || s.starts_with("search/")
            });
            assert!(ours, "a script that is not the site's own: {}", at());
        }
        for (attr, value) in &attrs {
            assert!(!attr.starts_with("on"), "event handler: {}", at());
            // Nothing a page shows is fetched from outside the site.
            if matches!(attr.as_str(), "src" | "srcset" | "poster" | "data") {
                let v = value.replace('\\', "/");
                let outside = v
                    .split(['/', '?', '#'])
                    .next()
                    .is_some_and(|s| s.contains(':'))
                    || v.trim_start().starts_with("//");
                assert!(!outside, "fetched from outside: {}", at());
            }
            if attr == "style" {
                let v = value.to_ascii_lowercase();
                assert!(
                    !v.contains("url(") && !v.contains("position") && !v.contains("@import"),
                    "style beyond alignment: {}",
                    at()
                );
            }
            if matches!(
                attr.as_str(),
                "href" | "src" | "action" | "formaction" | "xlink:href" | "srcdoc"
            ) {
                assert!(
                    !dangerous_url(value) && attr != "srcdoc",
                    "script URL: {}",
                    at()
                );
            }
        }
    }
}

/// Minimal CSV reader (RFC 4180 quoting) for the export check.
fn csv_cells(text: &str) -> Vec<String> {
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.trim_start_matches('\u{feff}').chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') => quoted = true,
            (false, ',' | '\n') => cells.push(std::mem::take(&mut cell)),
            (false, '\r') => {}
            (false, c) => cell.push(c),
        }
    }
    cells.push(cell);
    cells
}

#[test]
fn hostile_text_in_every_field_leaves_every_output_inert() {
    let lib = hostile_library();
    let report = lib.built();
    assert!(
        report.records > 500,
        "every hostile record is published: {}",
        report.records
    );

    let files = common::snapshot(&lib.out());
    for (path, bytes) in &files {
        let name = path.to_string_lossy();
        assert!(!name.contains(".."), "a file name with `..`: {name}");
        let text = String::from_utf8_lossy(bytes);
        match path.extension().and_then(|e| e.to_str()) {
            Some("html") => {
                assert_page_is_inert(path, &text);
                let stray = text.find(|c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r'));
                assert_eq!(
                    stray.map(|at| text[..at].chars().rev().take(120).collect::<String>()),
                    None,
                    "{name}: a control character (after the reversed text shown) makes the HTML invalid"
                );
            }
            Some("js") if !name.starts_with("assets/") => {
                // Data scripts: JSON with `<` escaped, so no payload can close the script
                // element or open a comment, and no raw line separators.
                assert!(!text.contains('<'), "{name} holds a raw `<`");
                assert!(
                    !text.contains('\u{2028}') && !text.contains('\u{2029}'),
                    "{name}"
                );
            }
            Some("csv") => {
                for cell in csv_cells(&text) {
                    assert!(
                        !cell.starts_with(['=', '+', '-', '@']),
                        "{name}: a cell a spreadsheet would run as a formula: {cell:?}"
                    );
                }
            }
            _ => {}
        }
    }
    // The payloads are shown as text, not dropped.
    let page = lib.read("cases/H-0000.html");
    assert!(page.contains("&lt;script&gt;document.documentElement"));
    // Hostile terms get hashed file names: nothing named after a path or a device.
    assert!(!files.keys().any(|p| {
        let stem = p
            .file_stem()
            .map(|s| s.to_string_lossy().to_ascii_uppercase())
            .unwrap_or_default();
        stem == "CON" || stem == "NUL" || stem == "PASSWD"
    }));
}

#[test]
fn chromium_runs_no_script_from_content() {
    let lib = hostile_library();
    lib.built();
    let site = lib.out();
    let url = |rel: &str| format!("file://{}/{rel}", site.display());
    let tag_page = common::snapshot(&site)
        .into_keys()
        .map(|p| p.to_string_lossy().into_owned())
        .find(|p| p.starts_with("browse/tag/t-"))
        .expect("a hashed tag page");
    let pages = [
        url("index.html"),
        url("cases/index.html"),
        url("cases/H-0000.html?q=script"),
        url("cases/H-0003.html?q=onerror"),
        url("search.html?q=标题"),
        url("search.html?q=script"),
        url(&tag_page),
        url("stats/index.html"),
        url("plans/hostile.html"),
        url("summaries/2024-05.html"),
    ];
    for page in pages {
        let dom = browser::dump_dom(&page);
        assert!(dom.contains("</html>"), "{page} did not load");
        assert!(!dom.contains(RAN), "a payload ran on {page}");
    }
    // The search really showed hostile results (so the check above saw them rendered).
    let dom = browser::dump_dom(&url("search.html?q=script"));
    let results = browser::element_text(&dom, "cb-results");
    assert!(
        results.contains("标题"),
        "search results rendered: {results}"
    );
}

/// Every page a payload reaches (each page whose text names the payloads' mark, of every
/// kind), opened in Chromium with every kind of event fired at every element and at the
/// window: an inline handler that survived on any page — one that needs a hover, a focus or a
/// toggle to run — would mark the page.
#[test]
fn chromium_fires_every_event_on_every_page_and_no_payload_runs() {
    let lib = hostile_library();
    lib.built();
    let site = lib.out();
    // The site title carries a payload onto every page; a page carries content payloads if
    // it names the mark more often than a page of the fixture's own, clean text does.
    let marks = |bytes: &[u8]| String::from_utf8_lossy(bytes).matches("data-xss").count();
    let clean = marks(lib.read("pages/about.html").as_bytes());
    // A naughty string's own record page shows payloads only as the titles of similar cases,
    // which the lists show too: those pages are left out, to keep the run short.
    let payloads = script_payloads().len();
    let naughty = |path: &str| {
        path.strip_prefix("cases/H-")
            .and_then(|rest| rest.strip_suffix(".html"))
            .and_then(|n| n.parse::<usize>().ok())
            .is_some_and(|n| n >= payloads)
    };
    let mut pages: Vec<String> = common::snapshot(&site)
        .into_iter()
        .filter(|(path, bytes)| {
            path.extension().is_some_and(|e| e == "html") && marks(bytes) > clean
        })
        .map(|(path, _)| path.to_string_lossy().replace('\\', "/"))
        .filter(|path| !naughty(path))
        .collect();
    let kinds = |prefix: &str| pages.iter().filter(|p| p.starts_with(prefix)).count();
    for kind in [
        "cases/",
        "browse/",
        "plans/",
        "summaries/",
        "pages/",
        "templates/",
    ] {
        assert!(
            kinds(kind) > 0,
            "no {kind} page carries a payload: {pages:?}"
        );
    }
    for q in ["script", "onerror", "onmouseover", "标题"] {
        pages.push(format!("search.html?q={q}"));
    }
    let list = serde_json::to_string(&pages).expect("json");
    let harness = include_str!("hostile/events.html").replace("PAGES", &list);
    std::fs::write(site.join("_events.html"), harness).expect("harness");
    let dom = browser::dump_dom(&format!("file://{}/_events.html", site.display()));
    let result = browser::element_text(&dom, "result");
    assert_eq!(result.trim(), "done", "{} pages: {pages:?}", pages.len());
}

#[test]
fn a_killed_build_leaves_the_published_site_whole_and_no_leftovers() {
    let lib = Scratch::of("basic");
    for i in 0..400 {
        lib.write(
            &format!("cases/2024/k{i:03}.md"),
            format!(
                "+++\nid = \"K-{i:03}\"\ntitle = \"第{i}号记录\"\ncategory = \"问题类\"\ndepartment = \"县住建局\"\ndiscovered_at = 2024-05-01T10:00:00\ntags = [\"标签{}\"]\n+++\n\n## 事件概况\n\n{}\n",
                i % 40,
                "网民反映小区噪音扰民，住建局到场核查。".repeat(20)
            ),
        );
    }
    lib.built();
    let old = common::comparable(&lib.out());

    // The edit the interrupted builds would have published, built once elsewhere to compare.
    lib.write(
        "cases/2024/k000.md",
        std::fs::read_to_string(lib.root().join("cases/2024/k000.md"))
            .expect("read")
            .replace("第0号记录", "第0号记录（修订）"),
    );
    let reference = lib.dir.path().join("reference");
    let started = std::time::Instant::now();
    casebook::build(&casebook::BuildOptions {
        out: Some(reference.clone()),
        ..lib.options()
    })
    .expect("reference build");
    let new = common::comparable(&reference);
    let full = started.elapsed();

    for tenth in 0..=10 {
        let mut child = common::command()
            .args(["build", "--quiet", "--now", "2024-08-01T00:00:00", "--root"])
            .arg(lib.root())
            .arg("--out")
            .arg(lib.out())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start build");
        std::thread::sleep(full * tenth / 10);
        let _ = child.kill();
        let _ = child.wait();
        let now = common::comparable(&lib.out());
        assert!(
            now == old || now == new,
            "after a kill at {tenth}/10 of a build the site is neither the old one nor the new one ({} files)",
            now.len()
        );
        if now == new {
            // Published: later kills must keep this one whole.
            let _ = std::fs::remove_dir_all(&reference);
            break;
        }
    }

    // The next build clears whatever the killed ones left beside the site.
    lib.built();
    let leftovers: Vec<String> = std::fs::read_dir(lib.dir.path())
        .expect("list")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("casebook-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_pathological_document_builds_in_bounded_time() {
    let lib = Scratch::of("basic");
    let nested = ">".repeat(5_000);
    let brackets = "[".repeat(20_000);
    let emphasis = "*a".repeat(20_000);
    let tags = "<div>".repeat(5_000);
    let list = (0..2_000)
        .map(|i| format!("{}- 第{i}层\n", "  ".repeat(i)))
        .collect::<String>();
    lib.write(
        "cases/2024/deep.md",
        format!(
            "+++\nid = \"DEEP-1\"\ntitle = \"极端文档\"\ncategory = \"问题类\"\ndepartment = \"县住建局\"\ndiscovered_at = 2024-05-01T10:00:00\n+++\n\n{nested} 深\n\n{brackets}\n\n{emphasis}\n\n{tags}\n\n{list}\n\n结尾标记END\n"
        ),
    );
    lib.built();
    assert!(lib.read("cases/DEEP-1.html").contains("结尾标记END"));
}

/// The pages' Content-Security-Policy is a second line of defence behind the sanitiser: an
/// outside image that got into a page is not requested, from `file://` nor over HTTP. The
/// same page without the policy does request it, so the probe can see a request.
#[test]
fn the_content_security_policy_stops_outside_requests() {
    use std::io::Write;
    use std::net::TcpListener;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    let lib = Scratch::of("basic");
    lib.built();
    // The outside host: counts the requests it gets and answers each with a 404.
    let outside = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = outside.local_addr().expect("addr").port();
    let asked = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&asked);
    std::thread::spawn(move || {
        for mut stream in outside.incoming().flatten() {
            counter.fetch_add(1, Ordering::SeqCst);
            let _ = stream.write_all(
                b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            );
        }
    });
    let page = lib.read("cases/index.html");
    let policy_start = page
        .find("<meta http-equiv=\"Content-Security-Policy\"")
        .expect("a policy in the page");
    let policy_end = policy_start + page[policy_start..].find('>').expect("meta end") + 1;
    let probe = format!("<img src=\"http://127.0.0.1:{port}/outside.png\" alt=\"\"></body>");
    let with = page.replace("</body>", &probe);
    let without = format!("{}{}", &with[..policy_start], &with[policy_end..]);
    std::fs::write(lib.out().join("cases/probe-with.html"), &with).expect("write");
    std::fs::write(lib.out().join("cases/probe-without.html"), &without).expect("write");
    let requests = |url: &str| {
        let before = asked.load(Ordering::SeqCst);
        browser::dump_dom(url);
        asked.load(Ordering::SeqCst) - before
    };
    let file = |name: &str| format!("file://{}/cases/{name}", lib.out().display());
    assert!(
        requests(&file("probe-without.html")) > 0,
        "without the policy the outside image is requested"
    );
    assert_eq!(requests(&file("probe-with.html")), 0, "from file://");
    let base = browser::serve(&lib.out());
    assert_eq!(
        requests(&format!("{base}/cases/probe-with.html")),
        0,
        "over HTTP"
    );
    assert!(requests(&format!("{base}/cases/probe-without.html")) > 0);
}
