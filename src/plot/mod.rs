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

use crate::t;
use std::ops::Range;
use std::path::Path;
use std::sync::Once;

use plotters::coord::Shift;
use plotters::coord::ranged1d::{Ranged, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

mod animation;
mod grid;
mod training;

use animation::GifWriter;
pub use grid::{Grid, contour_levels, contour_segments, save_contour, save_surface};
pub use training::{accuracy_chart, curve_chart, loss_chart, write_training_plots};

use crate::Error;
use crate::io::write_atomically;

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

/// The font family pictures are drawn in for the current language: DejaVu Sans for English,
/// and for Chinese the subset of Noto Sans SC compiled into the binary
/// (`assets/fonts/scratchnet-cjk.ttf`: Latin, digits, formula symbols and every character of
/// the Chinese catalog; `tools/make-cjk-font.sh` makes it). plotters draws each string in one
/// font, with no fallback per character, hence one whole family per language. The name is
/// also a CSS font list, as SVG files carry it.
pub(crate) fn font_family() -> &'static str {
    register_fonts();
    match crate::i18n::lang() {
        crate::i18n::Lang::En => "sans-serif",
        crate::i18n::Lang::Zh => CJK_FAMILY,
    }
}

/// The Noto Sans SC subset (also served by the dashboard, which shares these bytes).
pub(crate) static CJK_FONT: &[u8] = include_bytes!("../../assets/fonts/scratchnet-cjk.ttf");

/// The family name the Chinese font is registered under.
const CJK_FAMILY: &str = "Noto Sans SC, sans-serif";

/// Registers the embedded fonts (once per process): DejaVu Sans as "sans-serif", and the Noto
/// Sans SC subset as [`CJK_FAMILY`].
pub(crate) fn register_fonts() {
    static FONTS: Once = Once::new();
    FONTS.call_once(|| {
        // The bytes are valid TrueType fonts compiled into the binary: failure is our bug.
        plotters::style::register_font("sans-serif", FontStyle::Normal, dejavu::sans::regular())
            .unwrap_or_else(|_| panic!("the embedded DejaVu Sans font did not load"));
        plotters::style::register_font(CJK_FAMILY, FontStyle::Normal, CJK_FONT)
            .unwrap_or_else(|_| panic!("the embedded Noto Sans SC subset did not load"));
    });
}

/// Turns a drawing error (only possible through a bug in the chart code) into an [`Error`].
pub(crate) fn draw_err<E: std::fmt::Debug>(path: &Path) -> impl Fn(E) -> Error + '_ {
    move |e| Error::Plot(t!("error.plot.failed", path = path.display(), error = format!("{e:?}")))
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
        other => Err(Error::Plot(t!("error.plot.ext", path = path.display(), ext = other))),
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

pub(crate) fn extension(path: &Path) -> String {
    path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase()
}

/// Draws into a fresh white `size` RGB buffer.
pub(crate) fn render<E>(
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

pub(crate) type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

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
        .caption(&chart.title, (font_family(), title_size))
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
        .label_style((font_family(), 14))
        .axis_desc_style((font_family(), 16))
        .light_line_style(RGBColor(238, 238, 238))
        .bold_line_style(RGBColor(215, 215, 215))
        .draw()?;
    draw_series(&mut ctx, &chart.series, chart.legend)
}

/// Draws `series` in their styles on `ctx`, and a legend of the labelled ones in `corner`.
pub(crate) fn draw_series<'a, DB, X>(
    ctx: &mut ChartContext<'a, DB, Cartesian2d<X, RangedCoordf64>>,
    series: &[Series],
    corner: Corner,
) -> DrawResult<DB>
where
    DB: DrawingBackend + 'a,
    X: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    let mut legend = false;
    for series in series {
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
            .position(corner.position())
            .background_style(WHITE.mix(0.85))
            .border_style(RGBColor(180, 180, 180))
            .label_font((font_family(), 14))
            .draw()?;
    }
    Ok(())
}

/// The legend's sample of a series: a dot for points, a short line for lines.
pub(crate) fn legend_mark<DB: DrawingBackend>(
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
pub(crate) fn tick(v: f64) -> String {
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

/// Creates the folder `dir` (and its parents) for pictures.
///
/// # Errors
/// [`Error::Io`] naming `dir`.
pub fn create_dir(dir: &Path) -> Result<(), Error> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Io { path: dir.display().to_string(), source })
}

/// An RGB buffer as PNG bytes.
pub(crate) fn encode_png(rgb: &[u8], (w, h): (u32, u32)) -> Vec<u8> {
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
}
