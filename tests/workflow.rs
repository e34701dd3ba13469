//! The clerk's writing workflow: `check` lints, `new`, `init` and `serve`, driven through the
//! real binary.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::Duration;

use common::server::Server;
use common::{casebook, Scratch};

fn check_json(root: &Path, extra: &[&str]) -> (Option<i32>, Vec<serde_json::Value>) {
    let mut args = vec!["check", "--format", "json", "--now", "2024-08-01"];
    args.extend_from_slice(extra);
    let out = casebook(&args, root);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json report");
    let list = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .clone();
    (out.status.code(), list)
}

/// The warnings about `file`, as "line: message".
fn warnings_of(list: &[serde_json::Value], file: &str) -> Vec<String> {
    list.iter()
        .filter(|d| d["file"] == file && d["severity"] == "warning")
        .map(|d| {
            format!(
                "{}: {}",
                d["pos"]["line"],
                d["message"].as_str().unwrap_or("")
            )
        })
        .collect()
}

const RECORD_HEAD: &str =
    "+++\ncategory = \"问题类\"\ndepartment = \"县住建局\"\ndiscovered_at = 2024-06-01T09:00:00\n";

#[test]
fn check_reports_every_lint_with_file_and_line() {
    let lib = Scratch::of("basic");
    // Personal numbers in a record visible to `internal`: one in the body, one in a timeline note.
    lib.write(
        "cases/2024/phone.md",
        format!(
            "{RECORD_HEAD}id = \"YQ-2024-0301\"\ntitle = \"物业纠纷\"\n\n[[timeline]]\nat = 2024-06-01T09:00:00\nstage = \"监测\"\nnote = \"当事人身份证号13112219900307123X\"\n+++\n\n## 事件概况\n\n当事人电话138-1234-5678，要求回电。\n"
        ),
    );
    // The same numbers in a restricted record are where they belong: no warning.
    lib.write(
        "cases/2024/restricted.md",
        format!(
            "{RECORD_HEAD}id = \"YQ-2024-0302\"\ntitle = \"涉密来电\"\naudience = \"restricted\"\n+++\n\n当事人电话13812345678。\n"
        ),
    );
    // 已办结 without closed_at.
    lib.write(
        "cases/2024/closed.md",
        format!("{RECORD_HEAD}id = \"YQ-2024-0303\"\ntitle = \"已办结无时间\"\nstatus = \"已办结\"\nrelated = [\"YQ-2024-0302\"]\n+++\n"),
    );
    let (code, list) = check_json(&lib.root(), &[]);
    assert_eq!(code, Some(0), "warnings alone do not fail: {list:#?}");

    let phone = warnings_of(&list, "cases/2024/phone.md");
    assert_eq!(phone.len(), 2, "{phone:?}");
    assert!(
        phone
            .iter()
            .any(|w| w.starts_with("16: ") && w.contains("手机号") && w.contains("138****5678")),
        "{phone:?}"
    );
    assert!(
        phone
            .iter()
            .any(|w| w.contains("身份证号") && w.contains("131***********123X")),
        "{phone:?}"
    );
    assert!(
        !phone
            .iter()
            .any(|w| w.contains("13812345678") || w.contains("13112219900307123X")),
        "warnings must not repeat the number"
    );
    // Nor the source line printed under the warning: it is masked, the number underlined.
    let text = casebook(&["check", "--now", "2024-08-01"], &lib.root());
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&text.stdout),
        String::from_utf8_lossy(&text.stderr)
    );
    for full in ["138-1234-5678", "13812345678", "13112219900307123X"] {
        assert!(!printed.contains(full), "{full} printed:\n{printed}");
    }
    assert!(
        printed.contains("当事人电话138****5678，要求回电。"),
        "{printed}"
    );
    assert!(
        printed.contains("note = \"当事人身份证号131***********123X\""),
        "{printed}"
    );
    assert!(warnings_of(&list, "cases/2024/restricted.md").is_empty());

    let closed = warnings_of(&list, "cases/2024/closed.md");
    assert!(
        closed
            .iter()
            .any(|w| w.starts_with("7: ") && w.contains("closed_at")),
        "{closed:?}"
    );
    // It names a restricted record: a build for `internal` will leave the reference out.
    assert!(
        closed.iter().any(|w| w.starts_with("8: ")
            && w.contains(
                "related 中的 YQ-2024-0302 公开范围是 restricted，比本文档的 internal 窄"
            )),
        "{closed:?}"
    );

    // Answered the next morning for a same-day deadline, and no 经验教训 section.
    let late = warnings_of(&list, "cases/2024/trad.md");
    assert!(
        late.iter()
            .any(|w| w.starts_with("7: ") && w.contains("经验教训")),
        "{late:?}"
    );

    let dept = warnings_of(&list, "content/plans/dept.md");
    assert!(
        dept.iter()
            .any(|w| w.contains("预案缺少 8 个常见章节") && w.contains("组织机构与职责")),
        "{dept:?}"
    );
    let new = warnings_of(&list, "content/plans/new.md");
    assert!(
        new.iter()
            .any(|w| w.starts_with("5: ") && w.contains("预案应在 2023-03-01 前评估")),
        "{new:?}"
    );
    // The abolished plan is not nagged about anything.
    assert!(warnings_of(&list, "content/plans/old.md").is_empty());

    // --strict turns the warnings into a failure; adding the lessons clears that record.
    let (strict, _) = check_json(&lib.root(), &["--strict"]);
    assert_eq!(strict, Some(1));
    let trad = std::fs::read_to_string(lib.root().join("cases/2024/trad.md")).expect("read");
    lib.write(
        "cases/2024/trad.md",
        format!("{trad}\n## 经验教训\n\n夜间值班要加强。\n"),
    );
    let (_, list) = check_json(&lib.root(), &[]);
    assert!(!warnings_of(&list, "cases/2024/trad.md")
        .iter()
        .any(|w| w.contains("经验教训")));
}

#[test]
fn new_case_takes_the_next_free_id_and_builds() {
    let lib = Scratch::of("basic");
    let new_case = |extra: &[&str]| {
        let mut args = vec!["new", "case", "--now", "2024-07-20T10:15:00"];
        args.extend_from_slice(extra);
        casebook(&args, &lib.root())
    };
    let out = new_case(&[
        "--title",
        "县城积水",
        "--category",
        "突发事件类",
        "--department",
        "县水利局",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The fixture's highest 2024 number is 0100, a draft: drafts and withheld records hold
    // their numbers too.
    let path = lib.root().join("cases/2024/YQ-2024-0101.md");
    let text = std::fs::read_to_string(&path).expect("new record");
    assert!(text.contains("id = \"YQ-2024-0101\""));
    assert!(text.contains("title = \"县城积水\""));
    assert!(text.contains("category = \"突发事件类\""));
    assert!(text.contains("discovered_at = 2024-07-20T10:15:00+08:00"));
    // The body is the library's case template.
    let template =
        std::fs::read_to_string(lib.root().join("content/plan-templates/case-record.md"))
            .expect("template");
    let first_heading = template
        .lines()
        .find(|l| l.starts_with("## "))
        .expect("a section");
    assert!(text.contains(first_heading));

    // A file named with the next number holds it even when it does not load.
    lib.write("cases/2024/YQ-2024-0102.md", "not a record");
    let out = new_case(&[]);
    assert!(out.status.success());
    assert!(lib.root().join("cases/2024/YQ-2024-0103.md").exists());
    std::fs::remove_file(lib.root().join("cases/2024/YQ-2024-0102.md")).expect("rm");

    // Its title and department are placeholders: an error each, so nothing is published
    // under a department called 〔责任单位〕; once filled, the body's placeholders are warnings
    // with their lines, and a document number's 〔2024〕 is none.
    let (code, list) = check_json(&lib.root(), &[]);
    assert_eq!(code, Some(1));
    let errors: Vec<String> = list
        .iter()
        .filter(|d| d["file"] == "cases/2024/YQ-2024-0103.md" && d["severity"] == "error")
        .map(|d| d["message"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors
        .iter()
        .any(|e| e.contains("事件名称（title）还是待填写的占位文字 〔事件名称〕")));
    assert!(errors
        .iter()
        .any(|e| e.contains("责任单位（department）还是待填写的占位文字 〔责任单位〕")));
    let new = lib.root().join("cases/2024/YQ-2024-0103.md");
    let filled = std::fs::read_to_string(&new)
        .expect("new record")
        .replace("〔事件名称〕", "河堤垃圾")
        .replace("〔责任单位〕", "县水利局")
        .replacen("+++\n\n", "+++\n\n文号 故水利〔2024〕3号。\n\n", 1);
    std::fs::write(&new, &filled).expect("fill");
    let (code, list) = check_json(&lib.root(), &[]);
    assert_eq!(code, Some(0), "{list:#?}");
    let warned = warnings_of(&list, "cases/2024/YQ-2024-0103.md");
    let sections = template.matches('〔').count();
    assert_eq!(
        warned.len(),
        sections,
        "one per placeholder of the template: {warned:?}"
    );
    let first = filled
        .lines()
        .position(|l| l.starts_with('〔'))
        .expect("a placeholder")
        + 1;
    assert!(
        warned
            .iter()
            .any(|w| w.starts_with(&format!("{first}: 正文中还有待填写的占位文字 〔"))),
        "{warned:?}"
    );

    let out = new_case(&["--category", "天气类"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("问题类"));

    let report = lib.built();
    assert!(lib.read("cases/YQ-2024-0101.html").contains("县城积水"));
    assert!(report.records >= 5);
}

#[test]
fn new_plan_starts_from_a_template_and_never_overwrites() {
    let lib = Scratch::of("basic");
    lib.write(
        "content/plan-templates/town-plan.md",
        "+++\ntitle = \"乡镇网络舆情应急预案模板\"\nscaffolds = \"plan\"\n+++\n\n## 总则\n\n〔单位名称〕……\n\n## 组织机构与职责\n\n## 监测预警\n\n## 分级响应\n\n## 处置流程\n\n## 信息发布\n\n## 后期处置\n\n## 保障措施\n\n## 附则\n",
    );
    let run = || {
        casebook(
            &[
                "new",
                "plan",
                "--template",
                "town-plan",
                "--now",
                "2024-07-01",
            ],
            &lib.root(),
        )
    };
    let out = run();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let path = lib.root().join("content/plans/town-plan-2024.md");
    let text = std::fs::read_to_string(&path).expect("new plan");
    assert!(text.contains("title = \"乡镇网络舆情应急预案\""));
    assert!(text.contains("issued = 2024-07-01"));
    assert!(text.contains("## 保障措施"));

    // Edited by the clerk, then `new` again: refused, the edit kept.
    std::fs::write(&path, format!("{text}\n已修改\n")).expect("edit");
    let again = run();
    assert_eq!(again.status.code(), Some(1));
    assert!(std::fs::read_to_string(&path)
        .expect("read")
        .ends_with("已修改\n"));

    let unknown = casebook(&["new", "plan", "--template", "nope"], &lib.root());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("town-plan"));

    // It is a draft: a build with drafts publishes it, with no warnings about it.
    let report = casebook::build(&casebook::BuildOptions {
        drafts: true,
        ..lib.options()
    })
    .expect("builds");
    assert!(!report
        .diagnostics
        .iter()
        .any(|d| d.file.ends_with("town-plan-2024.md")));
    assert!(lib
        .read("plans/town-plan-2024.html")
        .contains("乡镇网络舆情应急预案"));
}

#[test]
fn init_makes_a_library_that_builds_at_once() {
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path().join("新库");
    let out = common::command()
        .arg("init")
        .arg(&root)
        .output()
        .expect("init");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report =
        casebook::build(&casebook::BuildOptions::new(&root)).expect("the new library builds");
    assert_eq!((report.records, report.plans, report.summaries), (1, 1, 1));
    // No warnings but the placeholders of the summary's analysis, left for the clerk to write.
    assert!(
        report
            .diagnostics
            .iter()
            .all(|d| d.severity == casebook::diag::Severity::Warning
                && d.file.ends_with("content/summaries/2025-03.md")
                && d.message.to_string().contains("待填写的占位文字")),
        "no other warnings: {:?}",
        report.diagnostics
    );
    let summary =
        std::fs::read_to_string(root.join("public/summaries/2025-03.html")).expect("summary page");
    assert!(summary.contains("YQ-2025-0004"));
    assert!(root.join("content/plan-templates/case-record.md").exists());
    // The clerks' guide and the format reference are pages of every new library's site.
    let guide = std::fs::read_to_string(root.join("public/pages/使用手册.html")).expect("guide");
    assert!(guide.contains("casebook check") && guide.contains("格式说明"));
    assert!(root.join("public/pages/格式说明.html").exists());

    // A second init refuses and leaves the library alone.
    let config = std::fs::read_to_string(root.join("casebook.toml")).expect("config");
    let again = common::command()
        .arg("init")
        .arg(&root)
        .output()
        .expect("init");
    assert_eq!(again.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(root.join("casebook.toml")).expect("config"),
        config
    );
}

#[test]
fn serve_answers_only_requests_addressed_to_this_machine() {
    let lib = Scratch::of("basic");
    let server = Server::start(&lib.root(), &[]);
    let port = server.base.rsplit(':').next().expect("port").to_owned();
    for host in [format!("localhost:{port}"), format!("127.0.0.1:{port}")] {
        assert_eq!(server.get_as(&host, "/").0, 200, "{host}");
    }
    // A name that points here (DNS rebinding), another port, or no port: refused.
    for host in [
        format!("evil.example:{port}"),
        "127.0.0.1:1".into(),
        "localhost".into(),
    ] {
        let (code, body) = server.get_as(&host, "/");
        assert_eq!(code, 403, "{host}");
        assert!(body.contains("本机地址"), "{host}: {body}");
    }
}

#[test]
fn serve_rebuilds_on_every_kind_of_change_and_shows_errors() {
    let lib = Scratch::of("basic");
    let server = Server::start(&lib.root(), &[]);
    let (code, home) = server.get("/");
    assert_eq!(code, 200);
    assert!(
        home.contains("/_casebook/live.js"),
        "pages carry the live-reload script"
    );
    let (code, script) = server.get("/_casebook/live.js");
    assert_eq!(code, 200);
    assert!(script.contains("location.reload"));
    let page = "/cases/YQ-2024-0040.html";
    assert!(server.get(page).1.contains("網絡謠言稱水庫潰壩"));
    let version = server.status()["version"].as_u64().expect("version");
    assert_eq!(server.status()["errors"].as_array().map(Vec::len), Some(0));

    // A page waiting for the reload signal is answered when the edit lands.
    let waiter = {
        let base = server.base.clone();
        std::thread::spawn(move || {
            let host = base.trim_start_matches("http://").to_owned();
            let mut stream = TcpStream::connect(&host).expect("connect");
            write!(
                stream,
                "GET /_casebook/status?since={version} HTTP/1.0\r\nHost: {host}\r\n\r\n"
            )
            .expect("request");
            let mut raw = String::new();
            stream.read_to_string(&mut raw).expect("response");
            raw
        })
    };
    std::thread::sleep(Duration::from_millis(200));
    let record = lib.root().join("cases/2024/trad.md");
    replace_in(
        &record,
        "網絡謠言稱水庫潰壩",
        "网络谣言称水库溃坝（已核实）",
    );
    let signal = waiter.join().expect("waiter");
    let body = signal.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    let signalled: serde_json::Value = serde_json::from_str(body).expect("json");
    assert!(
        signalled["version"].as_u64() > Some(version),
        "the reload signal fires: {signalled}"
    );
    server.wait_until("the edit is served", |s| {
        s.get(page).1.contains("（已核实）")
    });

    // Save by writing a temporary file and renaming it over the record, as many editors do.
    let tmp = lib.root().join("cases/2024/.trad.md.swp");
    let text = std::fs::read_to_string(&record).expect("read");
    std::fs::write(&tmp, text.replace("（已核实）", "（第二稿）")).expect("write temp");
    std::fs::rename(&tmp, &record).expect("rename over");
    server.wait_until("the renamed-over record is served", |s| {
        s.get(page).1.contains("（第二稿）")
    });

    // A new folder with a new record.
    lib.write(
        "cases/2025/六月/new.md",
        format!("{RECORD_HEAD}id = \"YQ-2025-0001\"\ntitle = \"新文件夹里的记录\"\n+++\n"),
    );
    server.wait_until("the new record is served", |s| {
        s.get("/cases/YQ-2025-0001.html").0 == 200
    });

    // Deleting it takes its page away.
    std::fs::remove_dir_all(lib.root().join("cases/2025")).expect("rm");
    server.wait_until("the deleted record is gone", |s| {
        s.get("/cases/YQ-2025-0001.html").0 == 404
    });

    // A broken record: the last good site stays, the error is reported with file and line.
    let good = std::fs::read_to_string(&record).expect("read");
    std::fs::write(
        &record,
        good.replace("status = \"研判中\"", "status = \"研究中\""),
    )
    .expect("break");
    server.wait_until("the error is reported", |s| {
        s.status()["errors"]
            .as_array()
            .is_some_and(|e| !e.is_empty())
    });
    let errors = server.status()["errors"].clone();
    assert_eq!(errors[0]["file"], "cases/2024/trad.md");
    assert_eq!(errors[0]["line"], 10);
    assert!(errors[0]["message"]
        .as_str()
        .unwrap_or("")
        .contains("status"));
    assert!(
        server.get(page).1.contains("（第二稿）"),
        "the last good page is still served"
    );

    // The fix clears it.
    std::fs::write(&record, good.replace("（第二稿）", "（定稿）")).expect("fix");
    server.wait_until("the fix is served", |s| s.get(page).1.contains("（定稿）"));
    assert_eq!(server.status()["errors"].as_array().map(Vec::len), Some(0));

    // A template that only fails when a page is rendered is still the rebuild's error,
    // although serve renders pages when they are asked for.
    lib.write(
        "templates/term.html",
        "{% extends \"base.html\" %}{% block content %}{{ page.cases | length + page.name }}{% endblock content %}",
    );
    server.wait_until("the template error is reported", |s| {
        s.status()["errors"]
            .as_array()
            .is_some_and(|e| e.iter().any(|e| e["file"] == "templates"))
    });
    std::fs::remove_file(lib.root().join("templates/term.html")).expect("rm template");
    server.wait_until("the template error clears", |s| {
        s.status()["errors"].as_array().map(Vec::len) == Some(0)
    });
    // Nothing was written to the output folder.
    assert!(!lib.root().join("public").exists());
}

#[test]
fn serve_with_poll_sees_changes_without_file_system_events() {
    let lib = Scratch::of("basic");
    let server = Server::start(&lib.root(), &["--poll"]);
    let page = "/cases/YQ-2024-0040.html";
    assert!(server.get(page).1.contains("網絡謠言稱水庫潰壩"));
    // Polling compares modification times in whole seconds (notify's PollWatcher): the edit
    // must fall in a later second than the fixture's copy, as a clerk's save always does.
    std::thread::sleep(Duration::from_millis(1100));
    let record = lib.root().join("cases/2024/trad.md");
    replace_in(&record, "網絡謠言稱水庫潰壩", "轮询发现的修改");
    server.wait_until("the polled edit is served", |s| {
        s.get(page).1.contains("轮询发现的修改")
    });
}

/// Save `file` with `from` replaced by `to`, as a clerk's editor would (in place).
fn replace_in(file: &std::path::Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(file).expect("read");
    std::fs::write(file, text.replace(from, to)).expect("edit");
}
