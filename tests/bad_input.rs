//! Bad input: each kind of problem is reported as `file:line:col: message` with a hint, all of
//! them in one run, and a previously published site is left exactly as it was.

mod common;

use common::{failure_lines, snapshot, Scratch};

const GOOD_HEAD: &str = "+++\nid = \"T-1\"\ntitle = \"测试\"\ncategory = \"问题类\"\ndepartment = \"县信访局\"\ndiscovered_at = 2024-05-01T10:00:00\n";

/// Build the fixture, break it with `rel` = `text`, build again: the second build must fail
/// with a diagnostic containing every `expected` string, and leave the site untouched.
fn rejects(rel: &str, text: &[u8], expected: &[&str]) -> Vec<String> {
    let lib = Scratch::of("basic");
    lib.built();
    let before = snapshot(&lib.out());
    lib.write(rel, text);
    let lines = failure_lines(lib.build());
    let all = lines.join("\n");
    for e in expected {
        assert!(all.contains(e), "expected `{e}` in:\n{all}");
    }
    assert_eq!(snapshot(&lib.out()), before, "the previous site changed");
    lines
}

#[test]
fn unknown_field_suggests_the_right_name() {
    let text = format!("{GOOD_HEAD}departmnt = \"x\"\n+++\n");
    rejects(
        "cases/t.md",
        text.as_bytes(),
        &[
            "cases/t.md:7:1: error: unknown field `departmnt`",
            "did you mean `department`?",
        ],
    );
}

#[test]
fn chinese_field_name_is_mapped_to_the_english_one() {
    let text = format!("{GOOD_HEAD}\"属地\" = \"梅山乡\"\n+++\n");
    rejects(
        "cases/t.md",
        text.as_bytes(),
        &[
            "cases/t.md:7:1: error: unknown field `属地`",
            "did you mean `region`?",
        ],
    );
}

#[test]
fn value_outside_a_vocabulary_lists_the_allowed_values() {
    let text = format!("{GOOD_HEAD}warning = \"绿\"\n+++\n");
    rejects(
        "cases/t.md",
        text.as_bytes(),
        &[
            "cases/t.md:7:11: error: `warning` (预警颜色) is \"绿\"",
            "红 / 橙 / 黄 / 蓝",
        ],
    );
}

#[test]
fn unknown_category_lists_the_configured_ones() {
    let text = GOOD_HEAD.replace("问题类", "环保类") + "+++\n";
    rejects(
        "cases/t.md",
        text.as_bytes(),
        &[
            "cases/t.md:4:12: error: `category` (舆情类别) is \"环保类\"",
            "问题类 / 突发事件类 / 造谣诽谤类",
        ],
    );
}

#[test]
fn wrong_type_says_what_was_expected() {
    let text = format!("{GOOD_HEAD}reach = \"很多\"\ntypical = \"是\"\n+++\n");
    rejects(
        "cases/t.md",
        text.as_bytes(),
        &[
            "cases/t.md:7:9: error: `reach` (传播量) must be a whole number ≥ 0, found string",
            "cases/t.md:8:11: error: `typical` (典型案例) must be true or false",
        ],
    );
}

#[test]
fn date_without_time_for_a_datetime_field() {
    let text = GOOD_HEAD.replace("2024-05-01T10:00:00", "2024-05-01") + "+++\n";
    rejects(
        "cases/t.md",
        text.as_bytes(),
        &[
            "cases/t.md:6:17: error: `discovered_at` (发现时间) must be a date with a time of day",
            "2024-03-12T08:30:00",
        ],
    );
}

#[test]
fn missing_required_field() {
    let text = GOOD_HEAD.replace("department = \"县信访局\"\n", "") + "+++\n";
    rejects(
        "cases/t.md",
        text.as_bytes(),
        &[
            "cases/t.md:2:1: error: missing required field `department` (责任单位)",
            "add a line like: department =",
        ],
    );
}

#[test]
fn duplicate_id_names_both_files() {
    let text = GOOD_HEAD.replace("T-1", "YQ-2024-0031") + "+++\n";
    rejects(
        "cases/t.md",
        text.as_bytes(),
        &["cases/t.md:2:6: error: duplicate record id `YQ-2024-0031`: also used by cases/2024/noise.md:2:6"],
    );
}

#[test]
fn plan_and_related_ids_must_exist() {
    let text = format!("{GOOD_HEAD}plans = [\"dept-respons-plan\"]\nrelated = [\"YQ-2024-0031\", \"YQ-2099-0001\"]\n+++\n");
    rejects(
        "cases/t.md",
        text.as_bytes(),
        &[
            "cases/t.md:7:10: error: `plans` names plan `dept-respons-plan`, which does not exist",
            "did you mean `dept-response-plan`?",
            "cases/t.md:8:28: error: `related` names record `YQ-2099-0001`, which does not exist",
        ],
    );
}

#[test]
fn times_out_of_order_name_both_fields() {
    let text = format!("{GOOD_HEAD}first_response_at = 2024-05-01T09:00:00\n+++\n");
    rejects(
        "cases/t.md",
        text.as_bytes(),
        &["cases/t.md:7:21: error: `first_response_at` (首次回应时间) 2024-05-01 09:00 is earlier than `discovered_at` (发现时间) 2024-05-01 10:00"],
    );
}

#[test]
fn yaml_front_matter_is_explained() {
    rejects(
        "cases/t.md",
        b"---\ntitle: x\n---\n",
        &[
            "cases/t.md:1:1: error: front matter is written as YAML between `---` lines",
            "TOML front matter between `+++`",
        ],
    );
}

#[test]
fn a_file_that_is_not_utf8() {
    let mut bytes = b"+++\nid = \"T-1\"\ntitle = \"".to_vec();
    bytes.extend([0xc4, 0xe3, 0xba, 0xc3]); // 你好 in GBK
    bytes.extend(b"\"\n+++\n");
    rejects(
        "cases/t.md",
        &bytes,
        &[
            "cases/t.md:3:10: error: the file is not UTF-8 text",
            "save it as UTF-8",
        ],
    );
}

#[test]
fn toml_syntax_error_points_at_the_line() {
    let text = format!("{GOOD_HEAD}region = [梅山乡\n+++\n");
    rejects(
        "cases/t.md",
        text.as_bytes(),
        &[
            "cases/t.md:7:14: error: 文件头不是有效的 TOML",
            "文字用英文双引号括起来",
        ],
    );
}

/// The slips of a Chinese keyboard each get the line as it should be typed.
#[test]
fn keyboard_slips_are_answered_with_the_fixed_line() {
    for (line, said, fixed) in [
        (
            "department = “县住建局”",
            "不能用中文引号",
            "改成：department = \"县住建局\"",
        ),
        (
            "region ＝ \"梅山乡\"",
            "等号要用英文半角的 =",
            "改成：region = \"梅山乡\"",
        ),
        (
            "region = \"梅山乡",
            "缺少右边的英文双引号",
            "改成：region = \"梅山乡\"",
        ),
        (
            "region = 梅山乡",
            "文字要用英文双引号括起来",
            "改成：region = \"梅山乡\"",
        ),
        (
            "first_response_at = 2024-05-01T10：30：00",
            "时间里的冒号",
            "改成：first_response_at = 2024-05-01T10:30:00",
        ),
        (
            "属地 = \"梅山乡\"",
            "字段名要用英文",
            "改成：region = \"梅山乡\"",
        ),
        (
            "属地 = “梅山乡”",
            "字段名要用英文",
            "改成：region = \"梅山乡\"",
        ),
    ] {
        let text = format!("{GOOD_HEAD}{line}\n+++\n");
        let lines = rejects(
            "cases/t.md",
            text.as_bytes(),
            &["cases/t.md:7:", said, fixed],
        );
        assert!(
            lines.iter().any(|l| l.contains("这一行写法有误")),
            "{line}: {lines:?}"
        );
    }
}

#[test]
fn bad_configuration_is_reported_with_its_line() {
    let lib = Scratch::of("basic");
    lib.built();
    let before = snapshot(&lib.out());
    let config = std::fs::read_to_string(lib.root().join("casebook.toml")).unwrap();
    lib.write(
        "casebook.toml",
        "titel = \"x\"\n".to_owned()
            + &config.replace("deadline = \"2h\"", "deadline = \"two hours\""),
    );
    let all = failure_lines(lib.build()).join("\n");
    assert!(all.contains("casebook.toml:16:12: error: `categories[1].deadline` (回应时限) \"two hours\" is not a deadline"), "{all}");
    assert!(
        all.contains("unknown field `titel`") && all.contains("did you mean `title`?"),
        "{all}"
    );
    assert_eq!(snapshot(&lib.out()), before);
}

#[test]
fn plan_problems_are_reported() {
    let text = "+++\nid = \"Bad Plan\"\ntitle = \"x\"\nstatus = \"作废\"\nissued = 2024-01-01\napplies_to = [\"环保类\"]\nsupersedes = \"nothing-here\"\n+++\n";
    rejects(
        "content/plans/bad.md",
        text.as_bytes(),
        &[
            "content/plans/bad.md:2:6: error: `id` (预案编号) \"Bad Plan\" is not a valid plan id",
            "content/plans/bad.md:4:10: error: `status` (有效性) is \"作废\"",
            "content/plans/bad.md:6:15: error: `applies_to` (适用类别) names \"环保类\"",
        ],
    );
}

#[test]
fn every_problem_is_reported_in_one_run() {
    let lib = Scratch::of("basic");
    lib.write("cases/a.md", format!("{GOOD_HEAD}warning = \"绿\"\n+++\n"));
    lib.write("cases/b.md", b"---\ntitle: x\n---\n");
    lib.write(
        "content/summaries/bad.md",
        "+++\nperiod = \"2024年3月\"\n+++\n",
    );
    let lines = failure_lines(lib.build());
    assert!(lines.iter().any(|l| l.starts_with("cases/a.md:7:11")));
    assert!(lines.iter().any(|l| l.starts_with("cases/b.md:1:1")));
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("content/summaries/bad.md:2:10")),
        "{lines:?}"
    );
    assert!(
        !lib.out().exists(),
        "nothing is published from a library with errors"
    );
}

#[test]
fn the_command_exits_1_and_prints_file_line_col() {
    let lib = Scratch::of("basic");
    lib.write("cases/t.md", format!("{GOOD_HEAD}departmnt = \"x\"\n+++\n"));
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_casebook"))
        .args(["build", "--root"])
        .arg(lib.root())
        .arg("--out")
        .arg(lib.out())
        .output()
        .expect("run casebook");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("cases/t.md:7:1: unknown field `departmnt`"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `department`?"), "{stderr}");
}

#[test]
fn refuses_to_replace_a_folder_it_did_not_make() {
    let lib = Scratch::of("basic");
    std::fs::create_dir_all(lib.out()).unwrap();
    std::fs::write(lib.out().join("precious.docx"), b"x").unwrap();
    match lib.build() {
        Err(casebook::Failure::Write(e)) => {
            assert!(e.to_string().contains("was not made by casebook"))
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert!(lib.out().join("precious.docx").exists());
}

#[test]
fn check_reports_without_writing_and_exits_by_severity() {
    let lib = Scratch::of("basic");
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_casebook"))
            .arg("check")
            .arg("--root")
            .arg(lib.root())
            .args(args)
            .output()
            .expect("run casebook check")
    };
    let clean = run(&["--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&clean.stdout).expect("json");
    assert_eq!(report["errors"], 0);
    let warnings = report["warnings"].as_u64().expect("count");
    assert_eq!(clean.status.code(), Some(0));
    // --strict makes warnings fail the check when there are any.
    let strict = run(&["--strict"]);
    assert_eq!(strict.status.code(), Some(if warnings > 0 { 1 } else { 0 }));

    lib.write(
        "cases/2024/broken.md",
        "+++\nid = \"YQ-2024-0900\"\ntitle = \"坏记录\"\ncategory = \"问题类\"\ndepartment = \"县教育局\"\ndiscovered_at = 2024-03-01T08:00:00\nstatus = \"已完成\"\n+++\n",
    );
    let broken = run(&["--format", "json"]);
    assert_eq!(broken.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&broken.stdout).expect("json");
    let d = &report["diagnostics"]
        .as_array()
        .expect("list")
        .iter()
        .find(|d| d["severity"] == "error")
        .expect("an error")
        .clone();
    assert_eq!(d["file"], "cases/2024/broken.md");
    assert_eq!(d["pos"]["line"], 7);
    assert!(d["message"].as_str().expect("message").contains("status"));
    assert!(!lib.out().exists(), "check writes no site");
    let usage = run(&["--format", "yaml"]);
    assert_eq!(usage.status.code(), Some(2));
}

#[test]
fn links_out_of_the_library_are_refused() {
    let lib = Scratch::of("basic");
    lib.built();
    let before = snapshot(&lib.out());
    let outside = lib.dir.path().join("outside");
    std::fs::create_dir_all(&outside).expect("mkdir");
    std::fs::write(
        outside.join("leak.md"),
        "+++\nid = \"LEAK-1\"\ntitle = \"库外文件\"\ncategory = \"问题类\"\ndepartment = \"县住建局\"\ndiscovered_at = 2024-05-01T10:00:00\n+++\n",
    )
    .expect("write");
    std::os::unix::fs::symlink(
        outside.join("leak.md"),
        lib.root().join("cases/2024/leak.md"),
    )
    .expect("file link");
    std::os::unix::fs::symlink(&outside, lib.root().join("cases/linked-folder"))
        .expect("folder link");
    let all = failure_lines(lib.build()).join("\n");
    assert!(
        all.contains("cases/2024/leak.md") && all.contains("outside the library"),
        "{all}"
    );
    assert!(all.contains("cases/linked-folder"), "{all}");
    assert_eq!(snapshot(&lib.out()), before, "the previous site changed");
}

/// A top-level folder of the library that is a link is refused like a link deeper in it:
/// `theme -> /somewhere` would publish whatever is there.
#[cfg(unix)]
#[test]
fn library_folders_that_are_links_are_refused() {
    let lib = Scratch::of("basic");
    lib.built();
    let before = snapshot(&lib.out());
    let outside = lib.dir.path().join("outside");
    std::fs::create_dir_all(&outside).expect("mkdir");
    std::fs::write(outside.join("secret.txt"), "机密").expect("write");
    let refused = |folders: &[&str]| {
        let lines = failure_lines(lib.build());
        for folder in folders {
            let named: Vec<&String> = lines
                .iter()
                .filter(|l| l.starts_with(&format!("{folder}:")))
                .collect();
            assert!(
                named.len() == 1 && named[0].contains("folder is a link"),
                "{folder}: {lines:?}"
            );
        }
        assert_eq!(snapshot(&lib.out()), before, "the previous site changed");
    };
    let link = |folder: &str| {
        let path = lib.root().join(folder);
        if path.exists() {
            std::fs::rename(&path, outside.join(folder.replace('/', "-"))).expect("move");
        }
        std::os::unix::fs::symlink(&outside, &path).expect("link");
    };
    link("theme");
    link("templates");
    refused(&["theme", "templates"]);
    link("content/plans");
    refused(&["content/plans"]);
}

#[test]
fn a_file_over_the_size_limit_is_refused() {
    let mut text = b"+++\nid = \"BIG-1\"\ntitle = \"x\"\n+++\n".to_vec();
    text.resize(11 * 1024 * 1024, b'a');
    rejects(
        "cases/2024/big.md",
        &text,
        &["cases/2024/big.md", "10 MiB limit"],
    );
}

/// A record id that is the name of one of the case list's own pages is refused where it is
/// written; a tag or department spelled like a page's or a hashed name gets a page of its own.
#[test]
fn names_of_the_sites_own_pages_are_never_shared() {
    for id in ["index", "page-2"] {
        rejects(
            "cases/2024/own.md",
            format!("+++\nid = \"{id}\"\ntitle = \"自有页面名\"\ncategory = \"问题类\"\ndepartment = \"县住建局\"\ndiscovered_at = 2024-05-01T10:00:00\n+++\n").as_bytes(),
            &["cases/2024/own.md:2:6", "is not a valid id"],
        );
    }
    let lib = Scratch::of("basic");
    lib.write(
        "cases/2024/terms.md",
        "+++\nid = \"T-1\"\ntitle = \"同名标签\"\ncategory = \"问题类\"\ndepartment = \"index\"\ndiscovered_at = 2024-05-01T10:00:00\ntags = [\"index\", \"t-0000000000000000\"]\n+++\n",
    );
    lib.built();
    let axis = lib.read("browse/tag/index.html");
    assert!(
        axis.contains("t-0000000000000000") && axis.contains(">index<"),
        "{axis}"
    );
    assert!(lib.read("browse/department/index.html").contains(">index<"));
    let tag_pages: Vec<String> = std::fs::read_dir(lib.out().join("browse/tag"))
        .expect("tag pages")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !tag_pages.contains(&"t-0000000000000000.html".to_owned()),
        "{tag_pages:?}"
    );
}
