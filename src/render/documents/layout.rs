//! A Word document in the layout offices use for official documents (GB/T 9704): A4, margins
//! 37/35/28/26 mm, 22 lines a page, 28 characters a line, the title in 方正小标宋简体 二号, the
//! body in 仿宋_GB2312 三号 with a two-character first-line indent, level-1 headings in 黑体
//! and level-2 in 楷体_GB2312. Machines without those fonts show Word's or WPS's substitute
//! (华文中宋/宋体, 仿宋, 楷体); the names are what offices' machines have.

use docx_rs::{
    AlignmentType, DocGrid, DocGridType, Docx, LineSpacing, LineSpacingType, PageMargin, Paragraph,
    Run, RunFonts, SpecialIndentType, Style, StyleType, Table, TableCell, TableRow, WidthType,
};

/// A4 in twentieths of a point.
pub const PAGE: (u32, u32) = (11_906, 16_838);
/// Top, bottom, left, right: 37, 35, 28 and 26 mm.
const MARGINS: (i32, i32, i32, i32) = (2_098, 1_984, 1_587, 1_474);
/// 22 lines on the type area's 12,756 twips.
const LINE_PITCH: i32 = 579;

pub const TITLE_FONT: &str = "方正小标宋简体";
pub const BODY_FONT: &str = "仿宋_GB2312";
pub const HEADING1_FONT: &str = "黑体";
pub const HEADING2_FONT: &str = "楷体_GB2312";
/// 二号 and 三号 in half-points; tables in 小四 so that their columns fit.
const TITLE_SIZE: usize = 44;
const BODY_SIZE: usize = 32;
const TABLE_SIZE: usize = 24;
/// The first-line indent of body text and headings: two characters of 三号, in twips.
const TWO_CHARACTERS: i32 = 640;

fn fonts(name: &str) -> RunFonts {
    RunFonts::new().east_asia(name).ascii(name).hi_ansi(name)
}

/// The body's line: exactly a 22nd of the type area.
fn exact_lines() -> LineSpacing {
    LineSpacing::new()
        .line(LINE_PITCH)
        .line_rule(LineSpacingType::Exact)
}

/// A document being written, paragraph by paragraph. Fonts, sizes, indents and spacing live
/// in the document's styles, so a clerk who edits the file in Word or WPS types in the same
/// layout, and each paragraph only names its style.
pub struct Official {
    docx: Docx,
}

/// A paragraph style of [`Official`]: its id and its name in Word's style list.
fn style(id: &str, name: &str) -> Style {
    Style::new(id, StyleType::Paragraph).name(name)
}

const BODY: &str = "BodyText";
const TABLE_TEXT: &str = "TableText";
const TABLE_CAPTION: &str = "TableCaption";
const MASTHEAD: &str = "Masthead";
const MARKING: &str = "Marking";

fn first_line_indent(s: Style) -> Style {
    s.indent(
        None,
        Some(SpecialIndentType::FirstLine(TWO_CHARACTERS)),
        None,
        None,
    )
}

impl Official {
    pub fn new() -> Official {
        let docx = Docx::new()
            .page_size(PAGE.0, PAGE.1)
            .page_margin(
                PageMargin::new()
                    .top(MARGINS.0)
                    .bottom(MARGINS.1)
                    .left(MARGINS.2)
                    .right(MARGINS.3),
            )
            .default_fonts(fonts(BODY_FONT))
            .default_size(BODY_SIZE)
            .default_line_spacing(exact_lines())
            .add_style(
                style("Title", "公文标题")
                    .fonts(fonts(TITLE_FONT))
                    .size(TITLE_SIZE)
                    .align(AlignmentType::Center)
                    .line_spacing(
                        LineSpacing::new()
                            .line(LINE_PITCH * 2)
                            .line_rule(LineSpacingType::AtLeast),
                    ),
            )
            .add_style(
                first_line_indent(style("Heading1", "heading 1"))
                    .fonts(fonts(HEADING1_FONT))
                    .outline_lvl(0),
            )
            .add_style(
                first_line_indent(style("Heading2", "heading 2"))
                    .fonts(fonts(HEADING2_FONT))
                    .outline_lvl(1),
            )
            .add_style(first_line_indent(style(BODY, "公文正文")).align(AlignmentType::Both))
            .add_style(style(MASTHEAD, "版头").align(AlignmentType::Center))
            .add_style(style(MARKING, "密级标识").fonts(fonts(HEADING1_FONT)))
            .add_style(
                style(TABLE_CAPTION, "表题")
                    .fonts(fonts(HEADING1_FONT))
                    .size(TABLE_SIZE)
                    .align(AlignmentType::Center),
            )
            // Off the page's grid: a table row is as tall as its text, not a body line.
            .add_style(
                style(TABLE_TEXT, "表格文字")
                    .size(TABLE_SIZE)
                    .snap_to_grid(false)
                    .line_spacing(
                        LineSpacing::new()
                            .line(240)
                            .line_rule(LineSpacingType::Auto),
                    ),
            );
        let mut docx = docx;
        // A grid of lines only: 28 characters of 三号 fill the type area's 8,845 twips at
        // their own width, whereas a character grid is spaced differently by Word, WPS and
        // LibreOffice (LibreOffice set 18 to a line).
        docx.document = docx.document.doc_grid(
            DocGrid::new()
                .grid_type(DocGridType::Lines)
                .line_pitch(LINE_PITCH as usize),
        );
        Official { docx }
    }

    /// A paragraph of style `style` holding `text`.
    fn add(mut self, style: &str, text: &str) -> Official {
        let p = Paragraph::new()
            .style(style)
            .add_run(Run::new().add_text(text));
        self.docx = self.docx.add_paragraph(p);
        self
    }

    /// The audience's marking, top left of the first page (内部资料 注意保存).
    pub fn marking(self, text: &str) -> Official {
        self.add(MARKING, text)
    }

    /// A centred line above the title: the issue (第3期), the unit and date.
    pub fn masthead(self, text: &str) -> Official {
        self.add(MASTHEAD, text)
    }

    pub fn title(self, text: &str) -> Official {
        self.add("Title", text)
    }

    /// A heading: level 1 in 黑体, level 2 and below in 楷体.
    pub fn heading(mut self, level: u8, text: &str) -> Official {
        let style = match level {
            0 | 1 => "Heading1",
            _ => "Heading2",
        };
        let p = Paragraph::new()
            .style(style)
            .add_run(Run::new().add_text(text))
            .keep_next(true);
        self.docx = self.docx.add_paragraph(p);
        self
    }

    /// A body paragraph of runs (text, bold or not), indented two characters.
    pub fn paragraph(mut self, runs: &[(String, bool)]) -> Official {
        let p = runs
            .iter()
            .fold(Paragraph::new().style(BODY), |p, (text, bold)| {
                let run = Run::new().add_text(text);
                p.add_run(if *bold { run.bold() } else { run })
            });
        self.docx = self.docx.add_paragraph(p);
        self
    }

    pub fn text(self, text: &str) -> Official {
        self.paragraph(&[(text.to_owned(), false)])
    }

    /// A table with a header row in bold; numbers right-aligned.
    pub fn table(mut self, caption: &str, header: &[&str], rows: &[Vec<String>]) -> Official {
        if !caption.is_empty() {
            self = self.add(TABLE_CAPTION, caption);
        }
        let cell = |text: &str, bold: bool| {
            let numeric = !text.is_empty()
                && text
                    .chars()
                    .all(|c| c.is_ascii_digit() || ".,%+-".contains(c));
            let run = Run::new().add_text(text);
            let p = Paragraph::new()
                .style(TABLE_TEXT)
                .add_run(if bold { run.bold() } else { run });
            let p = if numeric {
                p.align(AlignmentType::Right)
            } else {
                p
            };
            TableCell::new().add_paragraph(p)
        };
        let mut table_rows = vec![TableRow::new(
            header.iter().map(|h| cell(h, true)).collect(),
        )];
        table_rows.extend(
            rows.iter()
                .map(|r| TableRow::new(r.iter().map(|c| cell(c, false)).collect())),
        );
        let width = (PAGE.0 as i32 - MARGINS.2 - MARGINS.3) as usize;
        let columns = header.len().max(1);
        let table = Table::new(table_rows)
            .set_grid(vec![width / columns; columns])
            .width(width, WidthType::Dxa);
        self.docx = self.docx.add_table(table);
        // An empty line after the table.
        self.add(BODY, "")
    }

    /// The finished file.
    pub fn bytes(self) -> Result<Vec<u8>, String> {
        let mut out = std::io::Cursor::new(Vec::new());
        self.docx
            .pack(&mut out)
            .map_err(|e| format!("无法生成 Word 文件：{e}"))?;
        Ok(out.into_inner())
    }
}
