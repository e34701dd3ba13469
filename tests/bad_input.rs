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
            "cases/t.md:7:1: 错误: 没有字段 departmnt",
            "是不是要写 department？",
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
            "cases/t.md:7:1: 错误: 没有字段 属地",
            "是不是要写 region？字段名用英文：属地 写作 region",
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
            "cases/t.md:7:11: 错误: 预警颜色（warning）是 \"绿\"，不在可选的取值中",
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
            "cases/t.md:4:12: 错误: 舆情类别（category）是 \"环保类\"",
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
            "cases/t.md:7:9: 错误: 传播量（reach）应当是不小于 0 的整数，现在是文字 \"很多\"",
            "cases/t.md:8:11: 错误: 典型案例（typical）应当是布尔值 true 或 false",
        ],
    );
}

/// Dates are read within 1900–2099 (a year typed wrong is far outside): anywhere a date is
/// written — a record's time, a plan's date, a summary's period — one outside is an error
/// at its place.
#[test]
fn dates_outside_the_years_are_refused_where_they_are_written() {
    let text = GOOD_HEAD.replace("2024-05-01T10:00:00", "0024-05-01T10:00:00") + "+++\n";
    rejects(
        "cases/t.md",
        text.as_bytes(),
        &["cases/t.md:6:17: 错误: 发现时间（discovered_at）应当是1900 年至 2099 年之间的日期"],
    );
    rejects(
        "content/plans/far.md",
        "+++\nid = \"far\"\ntitle = \"远\"\nstatus = \"有效\"\nissued = 9999-12-31\n+++\n"
            .as_bytes(),
        &[
            "content/plans/far.md:5:10: 错误:",
            "1900 年至 2099 年之间的日期",
        ],
    );
    rejects(
        "content/summaries/0000-01.md",
        "+++\nperiod = \"0000-01\"\n+++\n".as_bytes(),
        &["content/summaries/0000-01.md:2:10: 错误:"],
    );
}

#[test]
fn date_without_time_for_a_datetime_field() {
    let text = GOOD_HEAD.replace("2024-05-01T10:00:00", "2024-05-01") + "+++\n";
    rejects(
        "cases/t.md",
        text.as_bytes(),
        &[
            "cases/t.md:6:17: 错误: 发现时间（discovered_at）应当是带时刻的日期",
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
            "cases/t.md:2:1: 错误: 缺少必填字段 责任单位（department）",
            "加一行，例如：department =",
        ],
    );
}

#[test]
fn duplicate_id_names_both_files() {
    let text = GOOD_HEAD.replace("T-1", "YQ-2024-0031") + "+++\n";
    rejects(
        "cases/t.md",
        text.as_bytes(),
        &["cases/t.md:2:6: 错误: 记录编号 YQ-2024-0031 重复了：cases/2024/noise.md:2:6 也用了它"],
    );
}

#[test]
fn plan_and_related_ids_must_exist() {
    let text = format!("{GOOD_HEAD}plans = [\"dept-respons-plan\"]\nrelated = [\"YQ-2024-0031\", \"YQ-2099-0001\"]\n+++\n");
    rejects(
        "cases/t.md",
        text.as_bytes(),
        &[
            "cases/t.md:7:10: 错误: plans 中的预案 dept-respons-plan 不存在",
            "是不是要写 dept-response-plan？",
            "cases/t.md:8:28: 错误: related 中的记录 YQ-2099-0001 不存在",
        ],
    );
}

#[test]
fn times_out_of_order_name_both_fields() {
    let text = format!("{GOOD_HEAD}first_response_at = 2024-05-01T09:00:00\n+++\n");
    rejects(
        "cases/t.md",
        text.as_bytes(),
        &["cases/t.md:7:21: 错误: 首次回应时间（first_response_at） 2024-05-01 09:00 早于 发现时间（discovered_at） 2024-05-01 10:00"],
    );
}

#[test]
fn yaml_front_matter_is_explained() {
    rejects(
        "cases/t.md",
        b"---\ntitle: x\n---\n",
        &[
            "cases/t.md:1:1: 错误: 文件头写成了 YAML（在 --- 行之间）",
            "把两行 --- 都换成 +++",
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
            "cases/t.md:3:10: 错误: 文件不是 UTF-8 编码的文字",
            "请另存为 UTF-8 编码",
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
            "cases/t.md:7:14: 错误: 文件头不是有效的 TOML",
            "文字用英文双引号括起来",
        ],
    );
}

/// Every syntax slip of a file is reported in one run, not only the first the parser meets.
#[test]
fn every_syntax_error_of_a_file_is_reported() {
    let text =
        format!("{GOOD_HEAD}region = “梅山乡”\nreach = 1.2万\nfirst_platform ＝ \"微博\"\n+++\n");
    let lines = rejects(
        "cases/t.md",
        text.as_bytes(),
        &[
            "cases/t.md:7:",
            "改成：region = \"梅山乡\"",
            "cases/t.md:8:",
            "cases/t.md:9:",
            "改成：first_platform = \"微博\"",
        ],
    );
    let in_file = lines
        .iter()
        .filter(|l| l.starts_with("cases/t.md:"))
        .count();
    assert_eq!(in_file, 3, "{lines:#?}");
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
    assert!(all.contains("casebook.toml:16:12: 错误: 回应时限（categories[1].deadline）的值 \"two hours\" 不是回应时限"), "{all}");
    assert!(
        all.contains("没有字段 titel") && all.contains("是不是要写 title？"),
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
            "content/plans/bad.md:2:6: 错误: 预案编号（id）的值 \"Bad Plan\" 不是可用的预案编号",
            "content/plans/bad.md:4:10: 错误: 有效性（status）是 \"作废\"",
            "content/plans/bad.md:6:15: 错误: 适用类别（applies_to）中的 \"环保类\" 不在可选的取值中",
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
    let output = common::command()
        .args(["build", "--root"])
        .arg(lib.root())
        .arg("--out")
        .arg(lib.out())
        .output()
        .expect("run casebook");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    common::assert_contains_all(
        &stderr,
        &[
            "错误: cases/t.md:7:1: 没有字段 departmnt",
            "提示: 是不是要写 department？",
            "失败：1 个错误",
            "已发布的站点保持原样",
        ],
    );
    // English on request, by option or by locale.
    let english = |cmd: &mut std::process::Command| {
        let output = cmd
            .arg("--root")
            .arg(lib.root())
            .arg("--out")
            .arg(lib.out())
            .output()
            .expect("run casebook");
        assert_eq!(output.status.code(), Some(1));
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    for stderr in [
        english(common::command().args(["build", "--lang", "en"])),
        english(common::command().arg("build").env("LANG", "en_US.UTF-8")),
    ] {
        common::assert_contains_all(
            &stderr,
            &[
                "error: cases/t.md:7:1: unknown field `departmnt`",
                "help: did you mean `department`?",
                "failed: 1 errors",
            ],
        );
        assert!(!stderr.contains("没有字段"), "{stderr}");
    }
}

/// Help, usage errors and every line a command prints are Chinese unless English is asked for.
#[test]
fn the_command_line_speaks_chinese() {
    let run = |args: &[&str]| {
        let output = common::command().args(args).output().expect("run casebook");
        let text = String::from_utf8_lossy(&output.stdout).into_owned()
            + &String::from_utf8_lossy(&output.stderr);
        (output.status.code(), text)
    };
    let (code, help) = run(&["--help"]);
    assert_eq!(code, Some(0));
    common::assert_contains_all(
        &help,
        &[
            "用法：casebook [选项] <命令>",
            "命令:",
            "build   把案例库生成为静态网站",
            "显示帮助",
        ],
    );
    let (_, help) = run(&["import", "--help"]);
    common::assert_contains_all(
        &help,
        &[
            "--dry-run",
            "只列出将写入的记录",
            "[默认：当前文件夹]",
            "--root <文件夹>",
            "<文件>...",
        ],
    );
    assert!(!help.contains("[default"), "{help}");
    let (code, wrong) = run(&["buidl"]);
    assert_eq!(code, Some(2));
    common::assert_contains_all(
        &wrong,
        &[
            "错误：没有命令 buidl；是不是要用 build？",
            "加 --help 查看说明。",
        ],
    );
    let (code, wrong) = run(&["check", "--strcit"]);
    assert_eq!(code, Some(2));
    assert!(
        wrong.contains("不认识的参数 --strcit；是不是要用 --strict？"),
        "{wrong}"
    );
    let (_, help) = run(&["--lang", "en", "check", "--help"]);
    common::assert_contains_all(
        &help,
        &[
            "Usage: casebook check [OPTIONS]",
            "treat warnings as errors",
        ],
    );
    let lib = Scratch::of("basic");
    let (code, checked) = run(&["check", "--root", &lib.root().to_string_lossy()]);
    assert_eq!(code, Some(0));
    assert!(checked.contains("检查完毕：0 个错误"), "{checked}");
}

#[test]
fn refuses_to_replace_a_folder_it_did_not_make() {
    let lib = Scratch::of("basic");
    std::fs::create_dir_all(lib.out()).unwrap();
    std::fs::write(lib.out().join("precious.docx"), b"x").unwrap();
    match lib.build() {
        Err(casebook::Failure::Write(e)) => {
            assert!(e.to_string().contains("不是 casebook 生成的"))
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert!(lib.out().join("precious.docx").exists());
}

#[test]
fn check_reports_without_writing_and_exits_by_severity() {
    let lib = Scratch::of("basic");
    let run = |args: &[&str]| {
        common::command()
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
        all.contains("cases/2024/leak.md") && all.contains("指向案例库之外的链接"),
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
                named.len() == 1 && named[0].contains("案例库文件夹是一个链接"),
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
        &["cases/2024/big.md", "超过了 10 MiB 的上限"],
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
            &["cases/2024/own.md:2:6", "不是可用的编号"],
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

/// Names that one file system keeps apart and another merges or refuses: terms that differ
/// only in letter case (any script) or are too long in bytes get pages of their own with
/// short names; page and template file names that differ only in case, or are too long in
/// bytes, are refused by `check` with the file.
#[test]
fn names_differing_in_case_or_too_long_in_bytes_never_share_or_break_a_file() {
    let long = "𠀀".repeat(64);
    let lib = Scratch::of("basic");
    lib.write(
        "cases/2024/terms.md",
        format!("+++\nid = \"T-1\"\ntitle = \"大小写标签\"\ncategory = \"问题类\"\ndepartment = \"县住建局\"\ndiscovered_at = 2024-05-01T10:00:00\ntags = [\"Дом\", \"дом\", \"ΣΟΦΊΑ\", \"σοφίας\", \"{long}\"]\n+++\n"),
    );
    lib.built();
    let mut names: Vec<String> = std::fs::read_dir(lib.out().join("browse/tag"))
        .expect("tag pages")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_lowercase())
        .collect();
    let pages = names.len();
    names.sort();
    names.dedup();
    assert_eq!(
        names.len(),
        pages,
        "two tag pages differ only in case: {names:?}"
    );
    assert!(names.iter().all(|n| n.len() <= 130), "{names:?}");
    let axis = lib.read("browse/tag/index.html");
    for tag in ["Дом", "дом", "ΣΟΦΊΑ", long.as_str()] {
        assert!(axis.contains(&format!(">{tag}<")), "{tag} listed");
    }

    rejects(
        "content/plan-templates/Case-Record.md",
        b"+++\ntitle = \"\xe5\xa4\xa7\xe5\x86\x99\"\nscaffolds = \"case\"\n+++\n",
        &[
            "content/plan-templates/Case-Record.md",
            "模板文件名 case-record 与 Case-Record 只差字母大小写",
        ],
    );
    let lib = Scratch::of("basic");
    lib.write("content/дом.md", "+++\ntitle = \"一\"\n+++\n");
    lib.write("content/ДОМ.md", "+++\ntitle = \"二\"\n+++\n");
    let lines = common::failure_lines(lib.build()).join("\n");
    assert!(lines.contains("只差字母大小写"), "{lines}");
    rejects(
        &format!("content/{}.md", "页".repeat(41)),
        "+++\ntitle = \"长\"\n+++\n".as_bytes(),
        &["这个文件名不能用作页面名"],
    );
}
