//! Inline SVG charts drawn by casebook itself: no chart library, no script, visible in print.
//!
//! Every chart is an image with an `aria-label`; the page puts a data table beside it, which
//! is what screen readers and spreadsheets use. Labels are escaped here because the SVG is
//! inserted into the page as markup.

use std::fmt::Write;

use super::site::escape_html;

/// Series colours, each with at least 4.5:1 contrast on white.
const PALETTE: &[&str] = &[
    "#1f5fa8", "#b42318", "#15803d", "#7e22ce", "#a15c07", "#0f766e", "#be185d", "#4d5b0f",
];

/// The colour of series `i`.
pub fn colour(i: usize) -> &'static str {
    PALETTE[i % PALETTE.len()]
}

/// The colour of a bar for a warning colour (红, 橙, 黄, 蓝): the colour itself, dark enough
/// for 3:1 against white as graphics need; none for other labels.
pub fn warning_colour(label: &str) -> Option<&'static str> {
    Some(match label {
        "红" => "#c81e1e",
        "橙" => "#c2410c",
        "黄" => "#a16207",
        "蓝" => "#1d4ed8",
        _ => return None,
    })
}

/// One horizontal bar.
pub struct Bar {
    pub label: String,
    pub value: f64,
    /// The figure written at the end of the bar.
    pub text: String,
    /// Its colour: the first of the palette unless the bar stands for a colour.
    pub fill: &'static str,
}

const LABEL_WIDTH: f64 = 150.0;
const BAR_AREA: f64 = 420.0;
const ROW: f64 = 24.0;

/// Horizontal bars scaled to `max` (the largest value when `max` is none).
pub fn bars(title: &str, bars: &[Bar], max: Option<f64>) -> String {
    let max = max
        .unwrap_or_else(|| bars.iter().map(|b| b.value).fold(0.0, f64::max))
        .max(f64::MIN_POSITIVE);
    let width = LABEL_WIDTH + BAR_AREA + 70.0;
    let height = ROW * bars.len() as f64 + 8.0;
    let mut svg = open(title, width, height);
    for (i, b) in bars.iter().enumerate() {
        let y = 4.0 + ROW * i as f64;
        let w = (b.value / max * BAR_AREA).max(if b.value > 0.0 { 1.0 } else { 0.0 });
        let label = escape_html(&b.label);
        let text = escape_html(&b.text);
        let _ = write!(
            svg,
            r#"<text x="{lx}" y="{ty}" text-anchor="end">{label}</text><rect x="{LABEL_WIDTH}" y="{ry}" width="{w:.1}" height="16" fill="{fill}"><title>{label}：{text}</title></rect><text x="{vx:.1}" y="{ty}">{text}</text>"#,
            lx = LABEL_WIDTH - 6.0,
            ty = y + 13.0,
            ry = y + 1.0,
            fill = b.fill,
            vx = LABEL_WIDTH + w + 5.0,
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Vertical columns, one per `(label, counts per series)`, stacked by series, with a legend.
pub fn stacked_columns(title: &str, columns: &[(String, Vec<usize>)], series: &[&str]) -> String {
    const PLOT_H: f64 = 180.0;
    const LEFT: f64 = 36.0;
    const TOP: f64 = 10.0;
    let slot = (640.0 / columns.len().max(1) as f64).clamp(14.0, 48.0);
    let width = LEFT + slot * columns.len() as f64 + 10.0;
    let legend_y = TOP + PLOT_H + 44.0;
    let height = legend_y + 22.0 * series.len().div_ceil(4) as f64;
    let highest = columns
        .iter()
        .map(|(_, c)| c.iter().sum::<usize>())
        .max()
        .unwrap_or(0);
    let step = tick_step(highest);
    // The axis ends at the first tick at or above the highest column.
    let max = highest.div_ceil(step).max(1) * step;
    let scale = PLOT_H / max as f64;
    let mut svg = open(title, width.max(480.0), height);
    let base = TOP + PLOT_H;
    let right = LEFT + slot * columns.len() as f64;
    for tick in (0..=max).step_by(step) {
        let y = base - tick as f64 * scale;
        let _ = write!(
            svg,
            r##"<line x1="{LEFT}" y1="{y:.1}" x2="{right:.1}" y2="{y:.1}" stroke="{stroke}"/><text x="{tx}" y="{ty:.1}" text-anchor="end">{tick}</text>"##,
            stroke = if tick == 0 { "#555" } else { "#d0d5dd" },
            tx = LEFT - 4.0,
            ty = y + 4.0,
        );
    }
    // Label every column when they fit, otherwise every k-th.
    let every = (40.0 / slot).ceil().max(1.0) as usize;
    for (i, (label, counts)) in columns.iter().enumerate() {
        let x = LEFT + slot * i as f64 + slot * 0.15;
        let w = slot * 0.7;
        let mut y = base;
        let label = escape_html(label);
        for (s, &n) in counts.iter().enumerate() {
            if n == 0 {
                continue;
            }
            let h = n as f64 * scale;
            y -= h;
            let _ = write!(
                svg,
                r#"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" fill="{fill}"><title>{label} {name}：{n}</title></rect>"#,
                fill = colour(s),
                name = escape_html(series.get(s).copied().unwrap_or_default()),
            );
        }
        if i % every == 0 {
            let _ = write!(
                svg,
                r#"<text x="{cx:.1}" y="{ly}" text-anchor="middle">{label}</text>"#,
                cx = x + w / 2.0,
                ly = base + 16.0,
            );
        }
    }
    for (s, name) in series.iter().enumerate() {
        let x = LEFT + 120.0 * (s % 4) as f64;
        let y = legend_y + 22.0 * (s / 4) as f64;
        let _ = write!(
            svg,
            r#"<rect x="{x}" y="{ry}" width="12" height="12" fill="{fill}"/><text x="{tx}" y="{y}">{name}</text>"#,
            ry = y - 10.0,
            fill = colour(s),
            tx = x + 16.0,
            name = escape_html(name),
        );
    }
    svg.push_str("</svg>");
    svg
}

/// A step of 1, 2 or 5 × 10ⁿ that cuts `0..=highest` into at most five ticks.
fn tick_step(highest: usize) -> usize {
    let mut scale = 1;
    loop {
        for step in [scale, 2 * scale, 5 * scale] {
            if highest.div_ceil(step) <= 5 {
                return step;
            }
        }
        scale *= 10;
    }
}

fn open(title: &str, width: f64, height: f64) -> String {
    format!(
        r#"<svg class="chart" role="img" aria-label="{}" viewBox="0 0 {width:.0} {height:.0}" width="{width:.0}" height="{height:.0}" xmlns="http://www.w3.org/2000/svg" font-size="12">"#,
        escape_html(title)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_escaped() {
        let svg = bars(
            "<t>",
            &[Bar {
                label: "<script>".into(),
                value: 1.0,
                text: "1".into(),
                fill: colour(0),
            }],
            None,
        );
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("&lt;script&gt;"));
    }

    #[test]
    fn the_axis_has_a_few_round_ticks() {
        assert_eq!(
            [1, 5, 6, 37, 100, 101, 9_999].map(tick_step),
            [1, 1, 2, 10, 20, 50, 2_000]
        );
        let svg = stacked_columns("t", &[("1月".into(), vec![30, 7])], &["甲", "乙"]);
        for tick in [">0<", ">10<", ">20<", ">30<", ">40<"] {
            assert!(svg.contains(tick), "{tick} in {svg}");
        }
        assert!(!svg.contains(">37<") && !svg.contains(">50<"));
    }

    #[test]
    fn columns_stack_to_the_total() {
        let svg = stacked_columns("t", &[("1月".into(), vec![2, 1])], &["甲", "乙"]);
        assert_eq!(svg.matches("<title>").count(), 2);
        assert!(svg.contains("1月 甲：2"));
    }
}
