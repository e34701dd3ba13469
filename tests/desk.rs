//! The clerk's desk: records written and edited through `serve`'s form, checked as `check`
//! checks them, written byte for byte as expected, never over a newer file, and only for the
//! clerk.

mod common;

use common::server::Server;
use common::Scratch;

/// The value of attribute `name` on the form of `html`.
fn form_attr(html: &str, name: &str) -> String {
    let marker = format!("{name}=\"");
    let start = html.find(&marker).map(|i| i + marker.len()).expect(name);
    let end = html[start..].find('"').expect("closing quote");
    html[start..start + end].to_owned()
}

/// A save as the form sends it, with the desk's token and this server's origin.
fn save(server: &Server, token: &str, body: &serde_json::Value) -> (u16, serde_json::Value) {
    let origin = format!("http://{}", server.host());
    let (code, reply) = server.request(
        "POST",
        "/_casebook/save",
        &[
            ("Host", server.host()),
            ("Origin", &origin),
            ("X-Casebook-Token", token),
            ("Content-Type", "application/json"),
        ],
        &body.to_string(),
    );
    let reply = serde_json::from_str(&reply).unwrap_or(serde_json::Value::String(reply));
    (code, reply)
}

#[test]
fn the_form_writes_checked_records_and_never_a_newer_file() {
    let lib = Scratch::of("basic");
    let server = Server::start(&lib.root(), &[]);
    let (code, form) = server.get("/_casebook/new");
    assert_eq!(code, 200);
    common::assert_contains_all(
        &form,
        &[
            "新建事件",
            "name=\"title\"",
            "name=\"category\"",
            "问题类（回应时限",
            "name=\"discovered_at\"",
            "type=\"datetime-local\"",
            "name=\"timeline.at\"",
            "<option value=\"县住建局\">",
            "dept-response-plan",
            "## 事件概况",
        ],
    );
    let token = form_attr(&form, "data-token");

    // A missing 责任单位: every problem by its field, nothing written.
    let mut record = serde_json::json!({
        "path": null, "base": null, "draft": false,
        "fields": {
            "title": "浏览器新建的事件", "category": "问题类", "department": "",
            "discovered_at": "2024-07-01T08:15", "platforms": "微博、抖音", "reach": "3000",
            "warning": "蓝", "plans": "dept-respons-plan", "typical": "",
        },
        "timeline": [{"at": "2024-07-01T09:00", "stage": "处置", "note": "电话回访"}],
        "documents": [],
        "body": "## 事件概况\n\n网民反映路灯不亮。",
    });
    let (code, reply) = save(&server, &token, &record);
    assert_eq!(code, 422, "{reply}");
    let problems = reply["problems"].as_array().expect("problems");
    let field_of = |field: &str| {
        problems
            .iter()
            .find(|p| p["field"] == field)
            .map(|p| p["message"].as_str().unwrap_or_default().to_owned())
    };
    assert!(
        field_of("department").is_some_and(|m| m.contains("缺少必填字段 责任单位（department）")),
        "{reply}"
    );
    // The page preview says why it cannot show the page yet.
    let preview = |body: &serde_json::Value| {
        let origin = format!("http://{}", server.host());
        server.request(
            "POST",
            "/_casebook/preview-page",
            &[
                ("Host", server.host()),
                ("Origin", &origin),
                ("X-Casebook-Token", &token),
            ],
            &body.to_string(),
        )
    };
    let (code, why) = preview(&record);
    assert_eq!(code, 422);
    assert!(
        why.contains("还不能预览：缺少必填字段 责任单位（department）"),
        "{why}"
    );
    // Then a plan that does not exist: checked against the library as `check` does.
    record["fields"]["department"] = "县住建局".into();
    let (code, reply) = save(&server, &token, &record);
    assert_eq!(code, 422, "{reply}");
    assert_eq!(reply["problems"][0]["field"], "plans", "{reply}");
    assert!(
        reply["problems"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("dept-respons-plan 不存在"),
        "{reply}"
    );
    assert!(!lib.root().join("cases/2024/YQ-2024-0101.md").exists());

    // Complete, it previews as the page it will be, and nothing is written.
    let (code, page) = preview(&serde_json::json!({
        "path": null, "kind": "case",
        "fields": {"title": "浏览器新建的事件", "category": "问题类", "department": "县住建局", "discovered_at": "2024-07-01T08:15"},
        "body": "## 事件概况\n\n网民反映路灯不亮。",
    }));
    assert_eq!(code, 200, "{page}");
    common::assert_contains_all(
        &page,
        &[
            "<base href=\"/cases/\">",
            "浏览器新建的事件",
            "县住建局",
            "网民反映路灯不亮。",
        ],
    );
    assert!(!lib.root().join("cases/2024/YQ-2024-0101.md").exists());

    // Fixed: written as `new` lays a record out, with the next free id.
    record["fields"]["plans"] = "dept-response-plan".into();
    let (code, reply) = save(&server, &token, &record);
    assert_eq!(code, 200, "{reply}");
    assert_eq!(reply["path"], "cases/2024/YQ-2024-0101.md");
    assert_eq!(reply["page"], "cases/YQ-2024-0101.html");
    let written =
        std::fs::read_to_string(lib.root().join("cases/2024/YQ-2024-0101.md")).expect("written");
    assert_eq!(
        written,
        "+++\nid = \"YQ-2024-0101\"\ntitle = \"浏览器新建的事件\"\ncategory = \"问题类\"\ndepartment = \"县住建局\"\ndiscovered_at = 2024-07-01T08:15:00+08:00\nwarning = \"蓝\"\nplatforms = [\"微博\", \"抖音\"]\nreach = 3000\nplans = [\"dept-response-plan\"]\n\n[[timeline]]\nat = 2024-07-01T09:00:00+08:00\nstage = \"处置\"\nnote = \"电话回访\"\n+++\n\n## 事件概况\n\n网民反映路灯不亮。\n"
    );
    // The page follows once the watcher has rebuilt the site.
    server.wait_until("the new record is served", |s| {
        s.get("/cases/YQ-2024-0101.html").0 == 200
    });

    // A second tab saving a new record takes the next number.
    let (_, reply) = save(&server, &token, &record);
    assert_eq!(reply["path"], "cases/2024/YQ-2024-0102.md");

    // A save the disk refuses says so (here `cases/2030` is a file, not a folder).
    lib.write("cases/2030", "不是文件夹");
    let mut refused = record.clone();
    refused["fields"]["discovered_at"] = "2030-01-02T08:00".into();
    let (code, reply) = save(&server, &token, &refused);
    assert_eq!(code, 500, "{reply}");
    assert!(
        reply["error"]
            .as_str()
            .unwrap_or_default()
            .starts_with("无法写入 cases/2030/"),
        "{reply}"
    );

    // A draft may lack what a record needs.
    let draft = serde_json::json!({
        "path": null, "base": null, "draft": true,
        "fields": {"title": "只记了标题", "discovered_at": "2024-07-02T10:00"},
        "body": null,
    });
    let (code, reply) = save(&server, &token, &draft);
    assert_eq!(code, 200, "{reply}");
    let written =
        std::fs::read_to_string(lib.root().join("cases/2024/YQ-2024-0103.md")).expect("draft");
    assert!(written.starts_with("+++\nid = \"YQ-2024-0103\"\ntitle = \"只记了标题\"\ndiscovered_at = 2024-07-02T10:00:00+08:00\ndraft = true\n+++\n\n## "), "{written}");
}

#[test]
fn editing_keeps_the_file_as_the_clerk_wrote_it() {
    let lib = Scratch::of("basic");
    let path = lib.root().join("cases/2024/noise.md");
    let original = std::fs::read_to_string(&path).expect("fixture");
    let commented = original.replacen("level = \"三级\"\n", "level = \"三级\"  # 按预案第4条\n", 1);
    std::fs::write(&path, &commented).expect("comment");
    let server = Server::start(&lib.root(), &[]);
    let (code, form) = server.get("/_casebook/edit?path=cases/2024/noise.md");
    assert_eq!(code, 200);
    common::assert_contains_all(
        &form,
        &[
            "编辑事件 YQ-2024-0031",
            "name=\"first_published_at\" value=\"2024-03-11T23:10\"",
            "name=\"platforms\" value=\"本地论坛、微博\"",
            "<option value=\"问题类\" selected>",
            "name=\"typical\" value=\"true\" checked",
            "value=\"测网办督〔2024〕7号\"",
        ],
    );
    let (token, base) = (
        form_attr(&form, "data-token"),
        form_attr(&form, "data-base"),
    );
    // What the form holds when nothing is touched.
    let fields = serde_json::json!({
        "title": "梅山港夜间施工噪音投诉", "category": "问题类", "department": "县住建局",
        "discovered_at": "2024-03-12T08:30", "sentiment": "负面", "warning": "黄", "level": "三级",
        "status": "已办结", "region": "梅山乡", "platforms": "本地论坛、微博", "first_platform": "",
        "first_published_at": "2024-03-11T23:10", "reported_at": "2024-03-12T09:00",
        "first_response_at": "2024-03-12T10:05", "response_channel": "论坛跟帖",
        "closed_at": "2024-03-15T17:00", "reach": "12000", "tags": "噪音、施工",
        "plans": "dept-response-plan", "related": "YQ-2024-0032", "typical": "true", "audience": "",
    });
    let timeline = serde_json::json!([
        {"at": "2024-03-12T08:30", "stage": "监测", "note": "网评员在本地论坛发现帖子"},
        {"at": "2024-03-12T10:05", "stage": "发布", "note": "县住建局在论坛跟帖回应，承诺夜间停工"},
    ]);
    let documents = serde_json::json!([{"kind": "督办单", "number": "测网办督〔2024〕7号", "date": "2024-03-12"}]);
    let untouched = serde_json::json!({
        "path": "cases/2024/noise.md", "base": base, "fields": fields,
        "timeline": timeline, "documents": documents, "body": null,
    });
    let (code, reply) = save(&server, &token, &untouched);
    assert_eq!(code, 200, "{reply}");
    assert_eq!(reply["changed"], false);
    assert_eq!(
        std::fs::read_to_string(&path).expect("read"),
        commented,
        "an untouched form changes nothing"
    );

    // The category changed and a timeline row added: those lines change, nothing else.
    let mut edit = untouched.clone();
    edit["fields"]["category"] = "突发事件类".into();
    edit["timeline"]
        .as_array_mut()
        .expect("rows")
        .push(serde_json::json!({"at": "2024-03-13T09:00", "stage": "评估", "note": "回访居民"}));
    let (code, reply) = save(&server, &token, &edit);
    assert_eq!(code, 200, "{reply}");
    let expected = commented
        .replacen("category = \"问题类\"", "category = \"突发事件类\"", 1)
        .replacen(
            "note = \"县住建局在论坛跟帖回应，承诺夜间停工\"\n",
            "note = \"县住建局在论坛跟帖回应，承诺夜间停工\"\n\n[[timeline]]\nat = 2024-03-13T09:00:00+08:00\nstage = \"评估\"\nnote = \"回访居民\"\n",
            1,
        );
    assert_eq!(std::fs::read_to_string(&path).expect("read"), expected);

    // Saved again from the form opened before that save: refused, the file as it is now.
    let (code, reply) = save(&server, &token, &untouched);
    assert_eq!(code, 409, "{reply}");
    assert!(reply["message"]
        .as_str()
        .unwrap_or_default()
        .contains("没有保存"));
    assert_eq!(reply["disk"], expected.as_str());
    assert_eq!(std::fs::read_to_string(&path).expect("read"), expected);
}

#[test]
fn only_the_clerk_can_write() {
    let lib = Scratch::of("basic");
    let server = Server::start(&lib.root(), &[]);
    let (_, form) = server.get("/_casebook/new");
    let token = form_attr(&form, "data-token");
    let host = server.host().to_owned();
    let origin = format!("http://{host}");
    let body = serde_json::json!({
        "path": null, "base": null, "draft": true,
        "fields": {"title": "不该写入", "discovered_at": "2024-07-02T10:00"}, "body": null,
    })
    .to_string();
    let post =
        |headers: &[(&str, &str)]| server.request("POST", "/_casebook/save", headers, &body).0;
    let json = ("Content-Type", "application/json");
    // No token, a wrong one, a foreign or missing Origin, a foreign Host: refused.
    assert_eq!(post(&[("Host", &host), ("Origin", &origin), json]), 403);
    assert_eq!(
        post(&[
            ("Host", &host),
            ("Origin", &origin),
            ("X-Casebook-Token", "0123"),
            json
        ]),
        403
    );
    assert_eq!(
        post(&[
            ("Host", &host),
            ("Origin", "http://evil.example"),
            ("X-Casebook-Token", &token),
            json
        ]),
        403
    );
    assert_eq!(
        post(&[("Host", &host), ("X-Casebook-Token", &token), json]),
        403
    );
    let port = host.rsplit(':').next().expect("port");
    let evil = format!("evil.example:{port}");
    assert_eq!(
        post(&[
            ("Host", &evil),
            ("Origin", &format!("http://{evil}")),
            ("X-Casebook-Token", &token),
            json
        ]),
        403
    );
    assert_eq!(
        server
            .request(
                "GET",
                "/_casebook/save",
                &[("Host", &host), ("X-Casebook-Token", &token)],
                ""
            )
            .0,
        405
    );
    // The body preview answers only the form, too.
    assert_eq!(
        server
            .request(
                "POST",
                "/_casebook/preview",
                &[("Host", &host), ("Origin", &origin)],
                "# x"
            )
            .0,
        403
    );
    let (code, html) = server.request(
        "POST",
        "/_casebook/preview",
        &[
            ("Host", &host),
            ("Origin", &origin),
            ("X-Casebook-Token", &token),
        ],
        "## 事件概况\n\n**要点**\n\n<script>alert(1)</script>",
    );
    assert_eq!(code, 200);
    assert!(
        html.contains("<strong>要点</strong>") && !html.contains("<script"),
        "{html}"
    );
    // None of them wrote anything; the clerk's own save does.
    let records = || {
        walkdir::WalkDir::new(lib.root().join("cases"))
            .into_iter()
            .count()
    };
    let before = records();
    assert_eq!(
        post(&[
            ("Host", &host),
            ("Origin", &origin),
            ("X-Casebook-Token", &token),
            json
        ]),
        200
    );
    assert_eq!(records(), before + 1, "the clerk's own save is written");
    // A form path outside cases/ is not read.
    assert_eq!(server.get("/_casebook/edit?path=../casebook.toml").0, 404);
    assert_eq!(server.get("/_casebook/edit?path=casebook.toml").0, 404);
}

#[test]
fn off_this_computer_the_desk_needs_the_key() {
    let lib = Scratch::of("basic");
    // Listening on every address without --allow-edit: no desk at all.
    let server = Server::start(&lib.root(), &["--bind", "0.0.0.0"]);
    assert_eq!(server.get("/_casebook/new").0, 404);
    assert_eq!(server.get("/_casebook/desk.js").0, 404);
    assert!(!server
        .get("/cases/YQ-2024-0031.html")
        .1
        .contains("编辑这条记录"));
    drop(server);

    let server = Server::start(&lib.root(), &["--bind", "0.0.0.0", "--allow-edit"]);
    let said = server.said();
    let key = said
        .split("key=")
        .nth(1)
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_hexdigit()).next())
        .unwrap_or_else(|| panic!("no key on the terminal: {said}"))
        .to_owned();
    assert_eq!(server.get("/_casebook/new").0, 403);
    assert!(!server
        .get("/cases/YQ-2024-0031.html")
        .1
        .contains("编辑这条记录"));
    assert_eq!(server.get(&format!("/_casebook/new?key={key}")).0, 200);
    // The key kept in the browser's cookie opens the links and the forms.
    let cookie = format!("casebook_desk={key}");
    let host = server.host().to_owned();
    let page = server
        .request(
            "GET",
            "/cases/YQ-2024-0031.html",
            &[("Host", &host), ("Cookie", &cookie)],
            "",
        )
        .1;
    assert!(page.contains("编辑这条记录"), "{page}");
}

#[test]
fn the_built_site_has_no_desk() {
    let lib = Scratch::of("basic");
    lib.built();
    for (path, bytes) in common::snapshot(&lib.out()) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("_casebook")
                && !text.contains("casebook_desk")
                && !text.contains("data-token"),
            "{} carries the desk",
            path.display()
        );
    }
}

/// The form driven in Chromium as a clerk drives it: a new record with a forgotten field, an
/// edit adding a timeline row, and the same record saved from two tabs.
#[test]
fn a_clerk_writes_and_edits_records_in_the_browser() {
    let lib = Scratch::of("basic");
    lib.write("theme/desk-test.html", include_str!("desk/harness.html"));
    let noise = std::fs::read_to_string(lib.root().join("cases/2024/noise.md")).expect("noise");
    let flood = std::fs::read_to_string(lib.root().join("cases/2024/flood.md")).expect("flood");
    let server = Server::start(&lib.root(), &[]);
    let dom = common::browser::dump_dom(&format!("{}/assets/desk-test.html", server.base));
    let result = common::browser::element_text(&dom, "result");
    let lines: Vec<&str> = result.lines().collect();
    assert_eq!(lines.last(), Some(&"done"), "{result}");
    assert!(
        lines[0]
            .strip_prefix("labels:")
            .and_then(|n| n.parse::<usize>().ok())
            .is_some_and(|n| n >= 20),
        "{result}"
    );
    common::assert_contains_all(
        &result,
        &[
            "preview:ok",
            "problem:缺少必填字段 责任单位（department）",
            "invalid:true",
            "kept:浏览器新建的事件",
            "created:/cases/YQ-2024-0101.html 浏览器新建的事件",
            "page-preview:梅山港夜间施工噪音投诉",
            "edited:/cases/YQ-2024-0031.html",
        ],
    );
    let created =
        std::fs::read_to_string(lib.root().join("cases/2024/YQ-2024-0101.md")).expect("created");
    assert!(
        created.starts_with("+++\nid = \"YQ-2024-0101\"\ntitle = \"浏览器新建的事件\"\ncategory = \"问题类\"\ndepartment = \"县住建局\"\ndiscovered_at = 2024-07-01T08:15:00+08:00\nplatforms = [\"微博\", \"抖音\"]\nrelated = [\"YQ-2024-0031\"]\n\n[[timeline]]\nat = 2024-07-01T09:00:00+08:00\nstage = \"处置\"\nnote = \"电话回访\"\n+++\n\n## "),
        "{created}"
    );
    let edited = std::fs::read_to_string(lib.root().join("cases/2024/noise.md")).expect("edited");
    let expected = noise
        .replacen("category = \"问题类\"", "category = \"突发事件类\"", 1)
        .replacen(
            "note = \"县住建局在论坛跟帖回应，承诺夜间停工\"\n",
            "note = \"县住建局在论坛跟帖回应，承诺夜间停工\"\n\n[[timeline]]\nat = 2024-03-13T09:00:00+08:00\nstage = \"评估\"\nnote = \"回访居民\"\n",
            1,
        );
    assert_eq!(edited, expected);
    // The first tab's save is in the file; the second's was refused and its title kept.
    let conflict = lines
        .iter()
        .find(|l| l.starts_with("conflict:"))
        .expect("conflict line");
    assert!(
        conflict.ends_with(" 第二个标签页的标题") && !conflict.starts_with("conflict:-1"),
        "{conflict}"
    );
    let saved = std::fs::read_to_string(lib.root().join("cases/2024/flood.md")).expect("flood");
    assert_eq!(
        saved,
        flood.replacen("region = \"城关镇\"", "region = \"城南街道\"", 1)
    );
}

/// Plans and summaries have the same desk: 新建预案 on the plan pages, 编辑 on each, the file
/// named by the id or period typed, checked before it is written.
#[test]
fn plans_and_summaries_are_written_and_edited_the_same_way() {
    let lib = Scratch::of("basic");
    let server = Server::start(&lib.root(), &[]);
    let plans_page = server.get("/plans/index.html").1;
    assert!(
        plans_page.contains("/_casebook/new?kind=plan"),
        "{plans_page}"
    );
    let plan_page = server.get("/plans/dept-response-plan.html").1;
    assert!(plan_page.contains("编辑这份预案"), "{plan_page}");
    let (code, form) = server.get("/_casebook/new?kind=plan");
    assert_eq!(code, 200);
    common::assert_contains_all(
        &form,
        &[
            "新建预案",
            "name=\"id\"",
            "name=\"status\"",
            "<option value=\"修订中\">",
            "name=\"issued\" value=\"\"",
            "type=\"date\"",
            "## 总则",
        ],
    );
    let token = form_attr(&form, "data-token");
    let mut plan = serde_json::json!({
        "path": null, "base": null, "kind": "plan", "draft": false,
        "fields": {"id": "flood-plan", "title": "防汛舆情应对预案", "status": "有效", "issued": "2024-05-01", "applies_to": "突发事件类", "supersedes": "nothing"},
        "body": "## 总则\n\n适用于汛期。",
    });
    let (code, reply) = save(&server, &token, &plan);
    assert_eq!(code, 422, "{reply}");
    assert_eq!(reply["problems"][0]["field"], "supersedes", "{reply}");
    plan["fields"]["supersedes"] = "".into();
    let (code, reply) = save(&server, &token, &plan);
    assert_eq!(code, 200, "{reply}");
    assert_eq!(reply["page"], "plans/flood-plan.html");
    assert_eq!(
        std::fs::read_to_string(lib.root().join("content/plans/flood-plan.md")).expect("plan"),
        "+++\nid = \"flood-plan\"\ntitle = \"防汛舆情应对预案\"\nstatus = \"有效\"\nissued = 2024-05-01\napplies_to = [\"突发事件类\"]\n+++\n\n## 总则\n\n适用于汛期。\n"
    );
    // The same id again: refused, the first file kept.
    let (code, reply) = save(&server, &token, &plan);
    assert_eq!(code, 422, "{reply}");
    assert_eq!(
        reply["problems"]
            .as_array()
            .and_then(|p| p.last())
            .map(|p| p["field"].clone()),
        Some("id".into())
    );

    // A summary: its period fixed, a figure changed, the rest as written.
    let path = lib.root().join("content/summaries/2024-03.md");
    let before = std::fs::read_to_string(&path).expect("summary");
    let (code, form) = server.get("/_casebook/edit?path=content/summaries/2024-03.md");
    assert_eq!(code, 200);
    assert!(
        form.contains("编辑舆情分析 2024-03") && form.contains("name=\"issue_no\" value=\"3\""),
        "{form}"
    );
    let edit = serde_json::json!({
        "path": "content/summaries/2024-03.md", "base": form_attr(&form, "data-base"),
        "fields": {"title": "", "unit": "测试县委网信办", "issue_no": "4", "published": "2024-04-03", "monitored_posts": "1860", "key_cases": "YQ-2024-0031、YQ-2024-0099", "audience": ""},
        "body": null,
    });
    let (code, reply) = save(&server, &token, &edit);
    assert_eq!(code, 200, "{reply}");
    assert_eq!(reply["page"], "summaries/2024-03.html");
    assert_eq!(
        std::fs::read_to_string(&path).expect("summary"),
        before.replacen("issue_no = 3", "issue_no = 4", 1)
    );
}
