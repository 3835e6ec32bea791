//! Pictures: line and scatter charts as PNG, SVG and animated GIF, contour maps and 3-D surfaces.
//!
//! The lessons draw what the tutorials draw (beans and fitted curves, cost curves, the cost
//! bowl) and `scratchnet train --plots` draws loss curves, all through this module. A chart is
//! plain data ([`Chart`], [`Series`]); drawing is done by `plotters` into an in-memory RGB
//! buffer, which is encoded here (PNG by `png`, GIF by `gif`) and written atomically: a file is
//! either the old picture or the complete new one. Text uses the DejaVu Sans font compiled into
//! the binary, so nothing needs installing.
//!
//! GIFs use one fixed 256-colour palette (a 6×6×6 colour cube plus greys; every colour of
//! [`palette`] is in it exactly) and store each frame as the rectangle that changed since the
//! previous one: a 100-frame animation of a moving line stays a few hundred kilobytes.

use std::io::Write;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Once;

use plotters::coord::Shift;
use plotters::coord::ranged1d::{Ranged, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use crate::Error;

pub use plotters::style::RGBColor;

/// Colours for series, all exact members of the GIF palette.
pub mod palette {
    use plotters::style::RGBColor;
    pub const BLUE: RGBColor = RGBColor(0, 102, 204);
    pub const ORANGE: RGBColor = RGBColor(255, 102, 0);
    pub const GREEN: RGBColor = RGBColor(0, 153, 51);
    pub const RED: RGBColor = RGBColor(204, 0, 0);
    pub const PURPLE: RGBColor = RGBColor(153, 51, 204);
    pub const GRAY: RGBColor = RGBColor(153, 153, 153);
    pub const BLACK: RGBColor = RGBColor(0, 0, 0);
    /// The order in which series get colours when a caller has no preference.
    pub const CYCLE: [RGBColor; 5] = [BLUE, ORANGE, GREEN, PURPLE, RED];
}

/// How a series is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// Points joined by a line, 2 px.
    Line,
    /// A thin (1 px) line, for background curves.
    ThinLine,
    /// A dashed 2 px line, for reference curves (the exact answer, a threshold).
    Dashed,
    /// A filled dot at each point.
    Dots,
    /// A larger ringed dot at each point (start/end markers).
    Marker,
}

/// One named set of (x, y) points.
#[derive(Clone, Debug)]
pub struct Series {
    /// Shown in the legend; an empty label keeps the series out of it.
    pub label: String,
    pub points: Vec<(f64, f64)>,
    pub style: Style,
    pub color: RGBColor,
}

impl Series {
    pub fn new(label: &str, points: Vec<(f64, f64)>, style: Style, color: RGBColor) -> Series {
        Series { label: label.to_string(), points, style, color }
    }
}

/// Linear or logarithmic axis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    Linear,
    /// Base-10 logarithmic; every value on the axis must be positive.
    Log,
}

/// A 2-D chart: title, axis labels, ranges (automatic when `None`) and series.
#[derive(Clone, Debug)]
pub struct Chart {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub x_range: Option<Range<f64>>,
    pub y_range: Option<Range<f64>>,
    pub x_scale: Scale,
    /// Where the legend goes (pick a corner the data leaves empty).
    pub legend: Corner,
    pub series: Vec<Series>,
}

/// A corner of the plotting area.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Corner {
    UpperLeft,
    UpperRight,
    LowerLeft,
    LowerRight,
}

impl Corner {
    fn position(self) -> SeriesLabelPosition {
        match self {
            Corner::UpperLeft => SeriesLabelPosition::UpperLeft,
            Corner::UpperRight => SeriesLabelPosition::UpperRight,
            Corner::LowerLeft => SeriesLabelPosition::LowerLeft,
            Corner::LowerRight => SeriesLabelPosition::LowerRight,
        }
    }
}

impl Chart {
    pub fn new(title: &str, x_label: &str, y_label: &str) -> Chart {
        Chart {
            title: title.to_string(),
            x_label: x_label.to_string(),
            y_label: y_label.to_string(),
            x_range: None,
            y_range: None,
            x_scale: Scale::Linear,
            legend: Corner::UpperRight,
            series: Vec::new(),
        }
    }

    /// Adds a series (builder style).
    pub fn with(mut self, series: Series) -> Chart {
        self.series.push(series);
        self
    }

    /// The x range: the one given, or the data's extent with 3% padding (on a log axis, the
    /// positive values' extent widened by 10% each way).
    fn x_extent(&self) -> Range<f64> {
        if let Some(range) = &self.x_range {
            return range.clone();
        }
        let xs = self.series.iter().flat_map(|s| s.points.iter().map(|p| p.0));
        match self.x_scale {
            Scale::Linear => padded(xs),
            Scale::Log => {
                let positive = xs.filter(|&x| x > 0.0 && x.is_finite());
                let (lo, hi) = positive.fold((f64::INFINITY, 0.0f64), |(lo, hi), x| (lo.min(x), hi.max(x)));
                if lo.is_finite() { lo / 1.1..(hi * 1.1).max(lo * 10.0) } else { 1.0..10.0 }
            }
        }
    }

    fn y_extent(&self) -> Range<f64> {
        self.y_range
            .clone()
            .unwrap_or_else(|| padded(self.series.iter().flat_map(|s| s.points.iter().map(|p| p.1))))
    }
}

/// The extent of finite `values` with 3% padding each side (a unit range if there are none).
fn padded(values: impl Iterator<Item = f64>) -> Range<f64> {
    let (lo, hi) = values
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if !lo.is_finite() {
        return 0.0..1.0;
    }
    let pad = if hi > lo { 0.03 * (hi - lo) } else { 0.5 };
    lo - pad..hi + pad
}

/// Picture size for PNG and SVG files, in pixels.
pub const SIZE: (u32, u32) = (800, 500);
/// Picture size for GIF frames (smaller: many frames).
pub const GIF_SIZE: (u32, u32) = (560, 360);

/// Registers the embedded DejaVu Sans font as "sans-serif" (once per process).
fn register_fonts() {
    static FONTS: Once = Once::new();
    FONTS.call_once(|| {
        // The bytes are a valid TrueType font compiled into the binary: failure is our bug.
        plotters::style::register_font("sans-serif", FontStyle::Normal, dejavu::sans::regular())
            .unwrap_or_else(|_| panic!("the embedded DejaVu Sans font did not load"));
        plotters::style::register_font("sans-serif", FontStyle::Bold, dejavu::sans::bold())
            .unwrap_or_else(|_| panic!("the embedded DejaVu Bold font did not load"));
    });
}

/// Turns a drawing error (only possible through a bug in the chart code) into an [`Error`].
fn draw_err<E: std::fmt::Debug>(path: &Path) -> impl Fn(E) -> Error + '_ {
    move |e| Error::Plot(format!("{}: drawing failed: {e:?}", path.display()))
}

/// Saves `chart` as PNG or SVG, chosen by the file extension.
///
/// # Errors
/// [`Error::Plot`] for another extension, [`Error::Io`] if the file cannot be written.
pub fn save(chart: &Chart, path: &Path) -> Result<(), Error> {
    register_fonts();
    match extension(path).as_str() {
        "png" => {
            let rgb = render(SIZE, |area| draw_chart(area, chart)).map_err(draw_err(path))?;
            write_atomically(path, &encode_png(&rgb, SIZE))
        }
        "svg" => {
            let mut svg = String::new();
            {
                let area = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
                draw_chart(&area, chart).map_err(draw_err(path))?;
                area.present().map_err(draw_err(path))?;
            }
            write_atomically(path, svg.as_bytes())
        }
        other => {
            Err(Error::Plot(format!("{}: cannot write .{other} pictures; use .png or .svg", path.display())))
        }
    }
}

/// Saves `frames` as an animated GIF that loops, showing each frame for `delay_cs` hundredths
/// of a second and the last one for 2 seconds.
///
/// # Errors
/// [`Error::Io`] if the file cannot be written.
pub fn save_gif(frames: &[Chart], path: &Path, delay_cs: u16) -> Result<(), Error> {
    register_fonts();
    let mut gif = GifWriter::new(GIF_SIZE);
    for (i, chart) in frames.iter().enumerate() {
        let rgb = render(GIF_SIZE, |area| draw_chart(area, chart)).map_err(draw_err(path))?;
        let delay = if i + 1 == frames.len() { 200 } else { delay_cs };
        gif.add_frame(&rgb, delay);
    }
    write_atomically(path, &gif.finish())
}

fn extension(path: &Path) -> String {
    path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase()
}

/// Draws into a fresh white `size` RGB buffer.
fn render<E>(
    size: (u32, u32),
    draw: impl FnOnce(&DrawingArea<BitMapBackend, Shift>) -> Result<(), E>,
) -> Result<Vec<u8>, E>
where
    E: From<DrawingAreaErrorKind<<BitMapBackend<'static> as DrawingBackend>::ErrorType>>,
{
    let mut rgb = vec![255u8; (size.0 * size.1 * 3) as usize];
    {
        let area = BitMapBackend::with_buffer(&mut rgb, size).into_drawing_area();
        draw(&area)?;
        area.present()?;
    }
    Ok(rgb)
}

type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// Draws `chart` on `area`: title, axes with labels, series, legend.
fn draw_chart<'a, DB: DrawingBackend + 'a>(
    area: &'a DrawingArea<DB, Shift>,
    chart: &Chart,
) -> DrawResult<DB> {
    area.fill(&WHITE)?;
    let (x, y) = (chart.x_extent(), chart.y_extent());
    let title_size = (area.dim_in_pixel().0 / 36).clamp(14, 22);
    let mut builder = ChartBuilder::on(area);
    builder
        .caption(&chart.title, ("sans-serif", title_size))
        .margin(14)
        .x_label_area_size(48)
        .y_label_area_size(64);
    match chart.x_scale {
        Scale::Linear => draw_body(builder.build_cartesian_2d(x, y)?, chart),
        Scale::Log => draw_body(builder.build_cartesian_2d(x.log_scale(), y)?, chart),
    }
}

/// Everything inside the axes, for either x scale.
fn draw_body<'a, DB, X>(
    mut ctx: ChartContext<'a, DB, Cartesian2d<X, RangedCoordf64>>,
    chart: &Chart,
) -> DrawResult<DB>
where
    DB: DrawingBackend + 'a,
    X: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    ctx.configure_mesh()
        .x_desc(&chart.x_label)
        .y_desc(&chart.y_label)
        .x_label_formatter(&|v| tick(*v))
        .y_label_formatter(&|v| tick(*v))
        .label_style(("sans-serif", 14))
        .axis_desc_style(("sans-serif", 16))
        .light_line_style(RGBColor(238, 238, 238))
        .bold_line_style(RGBColor(215, 215, 215))
        .draw()?;
    let mut legend = false;
    for series in &chart.series {
        let color = series.color;
        let points = series.points.iter().copied().filter(|(x, y)| x.is_finite() && y.is_finite());
        let drawn = match series.style {
            Style::Line => ctx.draw_series(LineSeries::new(points, color.stroke_width(2)))?,
            Style::ThinLine => ctx.draw_series(LineSeries::new(points, color.stroke_width(1)))?,
            Style::Dashed => {
                let pts: Vec<_> = points.collect();
                ctx.draw_series(DashedLineSeries::new(pts, 8, 5, color.stroke_width(2)))?
            }
            Style::Dots => ctx.draw_series(points.map(|p| Circle::new(p, 3, color.filled())))?,
            Style::Marker => ctx.draw_series(points.map(|p| Circle::new(p, 6, color.filled())))?,
        };
        if !series.label.is_empty() {
            legend = true;
            let style = series.style;
            drawn.label(&series.label).legend(move |(x, y)| legend_mark(style, color, (x, y)));
        }
    }
    if legend {
        ctx.configure_series_labels()
            .position(chart.legend.position())
            .background_style(WHITE.mix(0.85))
            .border_style(RGBColor(180, 180, 180))
            .label_font(("sans-serif", 14))
            .draw()?;
    }
    Ok(())
}

/// The legend's sample of a series: a dot for points, a short line for lines.
fn legend_mark<DB: DrawingBackend>(
    style: Style,
    color: RGBColor,
    (x, y): (i32, i32),
) -> DynElement<'static, DB, (i32, i32)> {
    match style {
        Style::Dots | Style::Marker => Circle::new((x + 10, y), 4, color.filled()).into_dyn(),
        _ => PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2)).into_dyn(),
    }
}

/// A short axis label for `v`: 3 significant digits, no float noise (0.30000000000000004).
fn tick(v: f64) -> String {
    if v.abs() < 1e-9 {
        // 0, or float noise next to it (a range from −0.6 in steps of 0.2 passes −5.6e-17)
        return "0".into();
    }
    let magnitude = v.abs().log10().floor() as i32;
    if !(-3..5).contains(&magnitude) {
        return format!("{v:.1e}");
    }
    let decimals = (2 - magnitude).max(0) as usize;
    let s = format!("{v:.decimals$}");
    if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s }
}

/// Values over a grid: `values[j * xs.len() + i]` belongs to (xs[i], ys[j]).
#[derive(Clone, Debug)]
pub struct Grid {
    pub xs: Vec<f64>,
    pub ys: Vec<f64>,
    pub values: Vec<f64>,
}

impl Grid {
    /// Evaluates `f` on `n × n` points spanning the ranges.
    pub fn sample(x: Range<f64>, y: Range<f64>, n: usize, f: impl Fn(f64, f64) -> f64) -> Grid {
        let axis = |r: &Range<f64>| {
            (0..n).map(|i| r.start + (r.end - r.start) * i as f64 / (n - 1) as f64).collect()
        };
        let (xs, ys): (Vec<f64>, Vec<f64>) = (axis(&x), axis(&y));
        let values = ys.iter().flat_map(|&y| xs.iter().map(move |&x| (x, y))).map(|(x, y)| f(x, y)).collect();
        Grid { xs, ys, values }
    }

    fn at(&self, i: usize, j: usize) -> f64 {
        self.values[j * self.xs.len() + i]
    }

    fn min_max(&self) -> (f64, f64) {
        self.values.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| (lo.min(v), hi.max(v)))
    }
}

/// `count` contour levels between the grid's minimum and maximum, spaced evenly in
/// log(value − min), so a bowl shows many rings near its bottom and fewer on its walls.
pub fn contour_levels(grid: &Grid, count: usize) -> Vec<f64> {
    let (lo, hi) = grid.min_max();
    let span = (hi - lo).max(1e-12);
    (1..=count).map(|k| lo + span * (1e-3f64).powf(1.0 - k as f64 / (count + 1) as f64) * 0.999).collect()
}

/// The segments where the grid crosses `level`, by marching squares: in each cell, the edges
/// whose two corners lie on opposite sides of the level, joined at linearly interpolated points.
pub fn contour_segments(grid: &Grid, level: f64) -> Vec<[(f64, f64); 2]> {
    let mut segments = Vec::new();
    for j in 0..grid.ys.len() - 1 {
        for i in 0..grid.xs.len() - 1 {
            let corners = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)];
            let mut crossings = Vec::with_capacity(4);
            for k in 0..4 {
                let (a, b) = (corners[k], corners[(k + 1) % 4]);
                let (va, vb) = (grid.at(a.0, a.1), grid.at(b.0, b.1));
                if (va < level) != (vb < level) {
                    let t = (level - va) / (vb - va);
                    let (xa, ya) = (grid.xs[a.0], grid.ys[a.1]);
                    let (xb, yb) = (grid.xs[b.0], grid.ys[b.1]);
                    crossings.push((xa + t * (xb - xa), ya + t * (yb - ya)));
                }
            }
            // 2 crossings: one segment; 4 (a saddle): pair them in order around the cell
            for pair in crossings.chunks_exact(2) {
                segments.push([pair[0], pair[1]]);
            }
        }
    }
    segments
}

/// A colour for `t` in [0, 1], dark blue (low) through teal and green to yellow (high).
fn heat(t: f64) -> RGBColor {
    const STOPS: [(f64, [f64; 3]); 5] = [
        (0.0, [38.0, 24.0, 110.0]),
        (0.3, [40.0, 110.0, 160.0]),
        (0.55, [40.0, 170.0, 130.0]),
        (0.8, [150.0, 210.0, 70.0]),
        (1.0, [250.0, 230.0, 60.0]),
    ];
    let t = t.clamp(0.0, 1.0);
    let k = STOPS.iter().position(|s| s.0 >= t).unwrap_or(STOPS.len() - 1).max(1);
    let ((t0, c0), (t1, c1)) = (STOPS[k - 1], STOPS[k]);
    let f = (t - t0) / (t1 - t0);
    let mix = |i: usize| (c0[i] + f * (c1[i] - c0[i])).round() as u8;
    RGBColor(mix(0), mix(1), mix(2))
}

/// Saves a contour map of `grid` (PNG or SVG by extension): the values as colour (log scale),
/// `levels` as black contour lines, and `overlay` (e.g. a descent path) on top.
///
/// # Errors
/// As [`save`].
pub fn save_contour(
    grid: &Grid,
    levels: &[f64],
    overlay: &[Series],
    labels: (&str, &str, &str),
    path: &Path,
) -> Result<(), Error> {
    register_fonts();
    let (title, x_label, y_label) = labels;
    match extension(path).as_str() {
        "png" => {
            let rgb = render(SIZE, |area| draw_contour(area, grid, levels, overlay, title, x_label, y_label))
                .map_err(draw_err(path))?;
            write_atomically(path, &encode_png(&rgb, SIZE))
        }
        other => {
            Err(Error::Plot(format!("{}: contour maps are written as .png, not .{other}", path.display())))
        }
    }
}

fn draw_contour<'a, DB: DrawingBackend + 'a>(
    area: &'a DrawingArea<DB, Shift>,
    grid: &Grid,
    levels: &[f64],
    overlay: &[Series],
    title: &str,
    x_label: &str,
    y_label: &str,
) -> DrawResult<DB> {
    area.fill(&WHITE)?;
    let (x0, x1) = (grid.xs[0], grid.xs[grid.xs.len() - 1]);
    let (y0, y1) = (grid.ys[0], grid.ys[grid.ys.len() - 1]);
    let mut ctx = ChartBuilder::on(area)
        .caption(title, ("sans-serif", 22))
        .margin(14)
        .x_label_area_size(48)
        .y_label_area_size(64)
        .build_cartesian_2d(x0..x1, y0..y1)?;
    ctx.configure_mesh()
        .disable_mesh()
        .x_desc(x_label)
        .y_desc(y_label)
        .x_label_formatter(&|v| tick(*v))
        .y_label_formatter(&|v| tick(*v))
        .label_style(("sans-serif", 14))
        .axis_desc_style(("sans-serif", 16))
        .draw()?;
    let (lo, hi) = grid.min_max();
    let shade = |v: f64| heat(((v - lo) / (hi - lo).max(1e-12) * 1e3 + 1.0).ln() / (1e3f64 + 1.0).ln());
    let (nx, ny) = (grid.xs.len(), grid.ys.len());
    let half =
        |v: &[f64], i: usize| if i + 1 < v.len() { (v[i + 1] - v[i]) / 2.0 } else { (v[i] - v[i - 1]) / 2.0 };
    ctx.draw_series((0..ny).flat_map(|j| (0..nx).map(move |i| (i, j))).map(|(i, j)| {
        let (hx, hy) = (half(&grid.xs, i), half(&grid.ys, j));
        let (x, y) = (grid.xs[i], grid.ys[j]);
        Rectangle::new([(x - hx, y - hy), (x + hx, y + hy)], shade(grid.at(i, j)).filled())
    }))?;
    for &level in levels {
        let segments = contour_segments(grid, level);
        ctx.draw_series(
            segments.into_iter().map(|s| PathElement::new(s.to_vec(), BLACK.mix(0.45).stroke_width(1))),
        )?;
    }
    let mut legend = false;
    for series in overlay {
        let color = series.color;
        let drawn = match series.style {
            Style::Dots | Style::Marker => {
                let r = if series.style == Style::Marker { 6 } else { 3 };
                ctx.draw_series(series.points.iter().map(|&p| Circle::new(p, r, color.filled())))?
            }
            _ => ctx.draw_series(LineSeries::new(series.points.iter().copied(), color.stroke_width(2)))?,
        };
        if !series.label.is_empty() {
            legend = true;
            let style = series.style;
            drawn.label(&series.label).legend(move |(x, y)| legend_mark(style, color, (x, y)));
        }
    }
    if legend {
        ctx.configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.85))
            .border_style(RGBColor(180, 180, 180))
            .label_font(("sans-serif", 14))
            .draw()?;
    }
    Ok(())
}

/// Saves `grid` as a 3-D surface (PNG), coloured by height, seen from above at an angle.
///
/// # Errors
/// As [`save`].
pub fn save_surface(grid: &Grid, labels: (&str, &str, &str, &str), path: &Path) -> Result<(), Error> {
    register_fonts();
    let rgb = render(SIZE, |area| draw_surface(area, grid, labels)).map_err(draw_err(path))?;
    write_atomically(path, &encode_png(&rgb, SIZE))
}

fn draw_surface<'a, DB: DrawingBackend + 'a>(
    area: &'a DrawingArea<DB, Shift>,
    grid: &Grid,
    labels: (&str, &str, &str, &str),
) -> DrawResult<DB> {
    let (title, x_label, y_label, z_label) = labels;
    area.fill(&WHITE)?;
    let (lo, hi) = grid.min_max();
    let (x0, x1) = (grid.xs[0], grid.xs[grid.xs.len() - 1]);
    let (y0, y1) = (grid.ys[0], grid.ys[grid.ys.len() - 1]);
    let mut ctx = ChartBuilder::on(area).caption(title, ("sans-serif", 22)).margin(20).build_cartesian_3d(
        x0..x1,
        lo..hi,
        y0..y1,
    )?;
    ctx.with_projection(|mut p| {
        p.yaw = -0.9; // looking along the (w, b) diagonal, into the bowl
        p.pitch = 0.5;
        p.scale = 0.8;
        p.into_matrix()
    });
    ctx.configure_axes()
        .label_style(("sans-serif", 12))
        .x_formatter(&|v| tick(*v))
        .y_formatter(&|v| tick(*v))
        .z_formatter(&|v| tick(*v))
        .light_grid_style(RGBColor(230, 230, 230))
        .max_light_lines(3)
        .draw()?;
    let (nx, ny) = (grid.xs.len(), grid.ys.len());
    // One quadrilateral per grid cell, coloured by its mean height, drawn back to front
    // (for this view, cells with large x and small y are farthest away).
    let mut cells: Vec<(usize, usize)> = (0..ny - 1).flat_map(|j| (0..nx - 1).map(move |i| (i, j))).collect();
    cells.sort_by_key(|&(i, j)| j as i64 - i as i64);
    ctx.draw_series(cells.into_iter().map(|(i, j)| {
        let corner = |i: usize, j: usize| (grid.xs[i], grid.at(i, j), grid.ys[j]);
        let mean = (grid.at(i, j) + grid.at(i + 1, j) + grid.at(i + 1, j + 1) + grid.at(i, j + 1)) / 4.0;
        let color = heat(((mean - lo) / (hi - lo).max(1e-12)).sqrt());
        Polygon::new(
            vec![corner(i, j), corner(i + 1, j), corner(i + 1, j + 1), corner(i, j + 1)],
            color.filled(),
        )
    }))?;
    let style = TextStyle::from(("sans-serif", 15).into_font()).color(&BLACK);
    let text =
        format!("floor: {x_label} along the right edge, {y_label} along the left edge; height: {z_label}");
    area.draw_text(&text, &style, (20, 48))?;
    Ok(())
}

/// Writes `bytes` to `NAME.tmp` beside `path`, then renames it over `path`.
///
/// # Errors
/// [`Error::Io`] naming `path`.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let io_err = |source| Error::Io { path: path.display().to_string(), source };
    let mut tmp_name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    tmp_name.push(".tmp");
    let tmp: PathBuf = path.with_file_name(tmp_name);
    let mut file = std::fs::File::create(&tmp).map_err(io_err)?;
    file.write_all(bytes).and_then(|()| file.sync_all()).map_err(io_err)?;
    std::fs::rename(&tmp, path).map_err(io_err)
}

/// Creates the folder `dir` (and its parents) for pictures.
///
/// # Errors
/// [`Error::Io`] naming `dir`.
pub fn create_dir(dir: &Path) -> Result<(), Error> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Io { path: dir.display().to_string(), source })
}

/// An RGB buffer as PNG bytes.
fn encode_png(rgb: &[u8], (w, h): (u32, u32)) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, w, h);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    // Writing to a Vec cannot fail, and the buffer has exactly w·h·3 bytes.
    let mut writer = encoder.write_header().expect("PNG header into memory");
    writer.write_image_data(rgb).expect("w·h·3 bytes into memory");
    writer.finish().expect("PNG end into memory");
    bytes
}

/// Builds an animated GIF in memory with a fixed palette and changed-rectangle frames.
struct GifWriter {
    size: (u32, u32),
    frames: Vec<(gif::Frame<'static>, u16)>,
    previous: Option<Vec<u8>>,
}

/// Grey levels beyond the cube's six (0, 51, …, 255), to fill the palette to 256 colours.
const EXTRA_GREYS: usize = 40;

impl GifWriter {
    fn new(size: (u32, u32)) -> GifWriter {
        GifWriter { size, frames: Vec::new(), previous: None }
    }

    /// The palette: 216 cube colours (each channel one of 0, 51, …, 255), then 40 greys.
    fn palette() -> Vec<u8> {
        let mut p = Vec::with_capacity(256 * 3);
        for r in 0..6u8 {
            for g in 0..6u8 {
                for b in 0..6u8 {
                    p.extend_from_slice(&[r * 51, g * 51, b * 51]);
                }
            }
        }
        for k in 0..EXTRA_GREYS {
            let v = (k * 255 / (EXTRA_GREYS - 1)) as u8;
            p.extend_from_slice(&[v, v, v]);
        }
        p
    }

    /// The palette index nearest to an RGB colour: the cube colour, or a grey if closer.
    fn index(r: u8, g: u8, b: u8) -> u8 {
        let level = |c: u8| (u32::from(c) + 25) / 51;
        let (lr, lg, lb) = (level(r), level(g), level(b));
        let cube = (lr * 36 + lg * 6 + lb) as u8;
        let dist = |a: [u32; 3]| {
            let d = |x: u32, y: u8| (x as i32 - i32::from(y)).pow(2);
            d(a[0], r) + d(a[1], g) + d(a[2], b)
        };
        let cube_dist = dist([lr * 51, lg * 51, lb * 51]);
        let mean = (u32::from(r) + u32::from(g) + u32::from(b)) / 3;
        let k = ((mean * (EXTRA_GREYS as u32 - 1) + 127) / 255).min(EXTRA_GREYS as u32 - 1);
        let grey = k * 255 / (EXTRA_GREYS as u32 - 1);
        if dist([grey, grey, grey]) < cube_dist { 216 + k as u8 } else { cube }
    }

    fn add_frame(&mut self, rgb: &[u8], delay_cs: u16) {
        let (w, h) = (self.size.0 as usize, self.size.1 as usize);
        let indices: Vec<u8> = rgb.chunks_exact(3).map(|p| GifWriter::index(p[0], p[1], p[2])).collect();
        // The rectangle that differs from the previous frame (all of it for the first).
        let (mut x0, mut y0, mut x1, mut y1) = (0, 0, w, h);
        if let Some(prev) = &self.previous {
            let (mut lx, mut ly, mut hx, mut hy) = (w, h, 0, 0);
            for y in 0..h {
                for x in 0..w {
                    if prev[y * w + x] != indices[y * w + x] {
                        (lx, ly, hx, hy) = (lx.min(x), ly.min(y), hx.max(x + 1), hy.max(y + 1));
                    }
                }
            }
            if hx == 0 {
                (lx, ly, hx, hy) = (0, 0, 1, 1); // nothing changed: a 1-pixel frame keeps the timing
            }
            (x0, y0, x1, y1) = (lx, ly, hx, hy);
        }
        let mut buffer = Vec::with_capacity((x1 - x0) * (y1 - y0));
        for y in y0..y1 {
            buffer.extend_from_slice(&indices[y * w + x0..y * w + x1]);
        }
        let frame = gif::Frame {
            left: x0 as u16,
            top: y0 as u16,
            width: (x1 - x0) as u16,
            height: (y1 - y0) as u16,
            buffer: buffer.into(),
            dispose: gif::DisposalMethod::Keep,
            ..gif::Frame::default()
        };
        self.frames.push((frame, delay_cs));
        self.previous = Some(indices);
    }

    fn finish(self) -> Vec<u8> {
        let mut bytes = Vec::new();
        {
            let (w, h) = (self.size.0 as u16, self.size.1 as u16);
            // Writing to a Vec cannot fail; sizes are within u16 (GIF_SIZE).
            let mut encoder =
                gif::Encoder::new(&mut bytes, w, h, &GifWriter::palette()).expect("GIF header into memory");
            encoder.set_repeat(gif::Repeat::Infinite).expect("loop extension into memory");
            for (mut frame, delay) in self.frames {
                frame.delay = delay;
                encoder.write_frame(&frame).expect("GIF frame into memory");
            }
        }
        bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_short() {
        assert_eq!(tick(0.30000000000000004), "0.3");
        assert_eq!(tick(1500.0), "1500");
        assert_eq!(tick(0.0125), "0.0125");
        assert_eq!(tick(2.0e-6), "2.0e-6");
        assert_eq!(tick(0.0), "0");
    }

    #[test]
    fn palette_colours_map_to_themselves() {
        let p = GifWriter::palette();
        assert_eq!(p.len(), 256 * 3);
        for c in palette::CYCLE.iter().chain([palette::GRAY, palette::BLACK].iter()) {
            let i = GifWriter::index(c.0, c.1, c.2) as usize;
            assert_eq!(&p[i * 3..i * 3 + 3], &[c.0, c.1, c.2]);
        }
        assert_eq!(GifWriter::index(255, 255, 255), 215);
    }

    #[test]
    fn marching_squares_finds_a_circle() {
        let grid = Grid::sample(-1.0..1.0, -1.0..1.0, 41, |x, y| x * x + y * y);
        let segments = contour_segments(&grid, 0.25);
        assert!(segments.len() > 20);
        for s in segments {
            for (x, y) in s {
                assert!(((x * x + y * y).sqrt() - 0.5).abs() < 0.01, "({x}, {y}) is off the circle r = 0.5");
            }
        }
    }
}
