//! `data/cases.xlsx`: the ledger as a workbook Excel and WPS open as their own — a 台账 sheet
//! with typed cells (times as dates, counts as numbers), the header frozen and filtered,
//! columns as wide as their Chinese text, 回应结果 coloured; a sheet per year; and a 统计
//! sheet with the statistics page's main tables, formatted as the page formats them.
//!
//! Every text is written as a string cell, never as a formula, so a pasted `=HYPERLINK(…)`
//! stays text.

use rust_xlsxwriter::{
    Color, DocProperties, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

use super::{ledger_row, rows, Cell, LEDGER, OUTCOME_HEADER};
use chrono::{DateTime, FixedOffset};

use crate::derive::deadlines::Response;
use crate::derive::stats::{Performance, Statistics, Stats};
use crate::model::Library;
use crate::render::figures::{change_text, median_text, rate_text};

/// Widest column, in character widths (a Chinese character counts two).
const MAX_WIDTH: usize = 60;

/// The workbook's bytes.
pub fn write(
    lib: &Library,
    statistics: &Statistics,
    responses: &[Response],
    now: DateTime<FixedOffset>,
) -> Result<Vec<u8>, XlsxError> {
    let tz = lib.config.timezone;
    let mut book = Workbook::new();
    // Excel's own level: most of the time to save a workbook is compressing its sheets, and
    // level 3 takes about two thirds of the default's for a file a few per cent larger.
    book.set_zip_compression_level(3);
    let created = now.naive_utc().and_utc();
    book.set_properties(
        &DocProperties::new()
            .set_title(format!("{} 舆情台账", lib.config.title))
            .set_creation_datetime(&created),
    );
    let styles = Styles::new();
    let table: Vec<(i32, Vec<Cell>)> = rows(lib, responses)
        .map(|(r, resp)| {
            let year = r.discovered_at.with_timezone(&tz).format("%Y").to_string();
            (year.parse().unwrap_or(0), ledger_row(lib, r, resp))
        })
        .collect();
    // The ledger sheets are written row by row, each row handed to a temporary file as the
    // next begins, instead of every cell held until the workbook is saved (at 100,000
    // records, hundreds of megabytes).
    ledger_sheet(
        book.add_worksheet_with_low_memory()?,
        "台账",
        table.iter().map(|(_, row)| row),
        lib,
        &styles,
    )?;
    let mut years: Vec<i32> = table.iter().map(|(y, _)| *y).collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    for year in years {
        let of_year = table.iter().filter(|(y, _)| *y == year).map(|(_, row)| row);
        ledger_sheet(
            book.add_worksheet_with_low_memory()?,
            &format!("{year}年"),
            of_year,
            lib,
            &styles,
        )?;
    }
    statistics_sheet(book.add_worksheet(), &statistics.all, lib, &styles)?;
    book.save_to_buffer()
}

struct Styles {
    header: Format,
    time: Format,
    text: Format,
    number: Format,
    /// 按时, 超时, 逾期未回应: dark text on a light fill, readable printed in grey too.
    outcomes: [(&'static str, Format); 3],
}

impl Styles {
    fn new() -> Styles {
        let cell = Format::new().set_border(FormatBorder::Thin);
        let outcome = |fill: u32, text: u32| {
            cell.clone()
                .set_background_color(Color::RGB(fill))
                .set_font_color(Color::RGB(text))
        };
        Styles {
            header: cell
                .clone()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_background_color(Color::RGB(0xDDE4EE)),
            time: cell.clone().set_num_format("yyyy-mm-dd hh:mm"),
            text: cell.clone(),
            number: cell.clone().set_num_format("0"),
            outcomes: [
                ("按时", outcome(0xD8F0DC, 0x1B5E20)),
                ("超时", outcome(0xFCE8CC, 0x8A4B00)),
                ("逾期未回应", outcome(0xF9D6D5, 0x9B1C1C)),
            ],
        }
    }
}

/// Width of text in Excel's character units: two for a wide (CJK) character.
fn text_width(s: &str) -> usize {
    s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

fn ledger_sheet<'a>(
    sheet: &mut Worksheet,
    name: &str,
    table: impl Iterator<Item = &'a Vec<Cell>>,
    lib: &Library,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let tz = lib.config.timezone;
    sheet.set_name(name)?;
    let mut widths: Vec<usize> = LEDGER.iter().map(|h| text_width(h) + 2).collect();
    let outcome_column = LEDGER.iter().position(|h| *h == OUTCOME_HEADER);
    for (col, header) in LEDGER.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *header, &styles.header)?;
    }
    let mut last = 0;
    for (i, row) in table.enumerate() {
        let r = i as u32 + 1;
        last = r;
        for (col, cell) in row.iter().enumerate() {
            let c = col as u16;
            let width = match cell {
                Cell::Text(t) => {
                    let style = styles
                        .outcomes
                        .iter()
                        .find(|(label, _)| Some(col) == outcome_column && label == t)
                        .map_or(&styles.text, |(_, f)| f);
                    sheet.write_string_with_format(r, c, t, style)?;
                    text_width(t)
                }
                Cell::Time(Some(t)) => {
                    let local = t.with_timezone(&tz).naive_local();
                    sheet.write_datetime_with_format(r, c, local, &styles.time)?;
                    16
                }
                Cell::Number(Some(n)) => {
                    sheet.write_number_with_format(r, c, *n as f64, &styles.number)?;
                    n.to_string().len()
                }
                Cell::Time(None) | Cell::Number(None) => {
                    sheet.write_blank(r, c, &styles.text)?;
                    0
                }
            };
            if let Some(w) = widths.get_mut(col) {
                *w = (*w).max(width + 2);
            }
        }
    }
    for (col, w) in widths.iter().enumerate() {
        sheet.set_column_width(col as u16, (*w).min(MAX_WIDTH) as f64)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, last, (LEDGER.len() - 1) as u16)?;
    Ok(())
}

/// The statistics page's main tables: response performance overall, by category and by
/// department, then the months with 环比 and 同比.
fn statistics_sheet(
    sheet: &mut Worksheet,
    stats: &Stats,
    lib: &Library,
    styles: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_name("统计")?;
    let mut at = 0u32;
    let performance_header = [
        "",
        "件数",
        "已回应",
        "按时",
        "超时",
        "逾期未回应",
        "待回应",
        "按时率",
        "首次回应用时中位数",
    ];
    let mut tables: Vec<(&str, Vec<&Performance>)> = vec![("总体", vec![&stats.overall])];
    tables.push(("按舆情类别", stats.by_category.iter().collect()));
    tables.push(("按责任单位", stats.by_department.iter().collect()));
    for (title, group) in tables {
        let mut header = performance_header.map(str::to_owned);
        header[0] = title.to_owned();
        write_row(sheet, at, &header, &styles.header)?;
        at += 1;
        for p in group {
            let name = if p.name.is_empty() {
                lib.config.title.clone()
            } else {
                p.name.clone()
            };
            write_text(sheet, at, 0, &name, &styles.text)?;
            for (col, n) in [
                p.total,
                p.answered(),
                p.on_time,
                p.late,
                p.overdue,
                p.pending,
            ]
            .into_iter()
            .enumerate()
            {
                sheet.write_number_with_format(at, col as u16 + 1, n as f64, &styles.number)?;
            }
            write_text(sheet, at, 7, &rate_text(p.on_time_rate()), &styles.text)?;
            write_text(sheet, at, 8, &median_text(p), &styles.text)?;
            at += 1;
        }
        at += 1;
    }
    write_row(
        sheet,
        at,
        &["月份", "件数", "环比", "同比"].map(str::to_owned),
        &styles.header,
    )?;
    at += 1;
    for m in &stats.months {
        let (year, month) = m.month;
        write_text(sheet, at, 0, &format!("{year}年{month}月"), &styles.text)?;
        sheet.write_number_with_format(at, 1, m.total as f64, &styles.number)?;
        write_text(sheet, at, 2, &change_text(&m.mom), &styles.text)?;
        write_text(sheet, at, 3, &change_text(&m.yoy), &styles.text)?;
        at += 1;
    }
    sheet.set_column_width(0, 24)?;
    for col in 1..performance_header.len() as u16 {
        sheet.set_column_width(col, 12)?;
    }
    sheet.set_column_width(8, 20)?;
    Ok(())
}

fn write_row(
    sheet: &mut Worksheet,
    row: u32,
    cells: &[String],
    style: &Format,
) -> Result<(), XlsxError> {
    for (col, text) in cells.iter().enumerate() {
        write_text(sheet, row, col as u16, text, style)?;
    }
    Ok(())
}

fn write_text(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    text: &str,
    style: &Format,
) -> Result<(), XlsxError> {
    sheet.write_string_with_format(row, col, text, style)?;
    Ok(())
}
