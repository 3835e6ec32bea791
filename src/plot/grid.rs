//! Pictures of a function of two variables: contour maps and 3-D surfaces (the cost bowl of
//! tutorial 004), with marching squares for the contour lines.

use crate::t;
use std::ops::Range;
use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{
    Corner, DrawResult, SIZE, Series, draw_err, draw_series, encode_png, extension, register_fonts, render,
    tick,
};
use crate::Error;
use crate::io::write_atomically;

/// Values over a grid: `values[j * xs.len() + i]` belongs to `(xs[i], ys[j])`.
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
/// As [`save`](crate::plot::save).
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
        other => Err(Error::Plot(t!("error.plot.contour-ext", path = path.display(), ext = other))),
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
        .caption(title, (super::font_family(), 22))
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
        .label_style((super::font_family(), 14))
        .axis_desc_style((super::font_family(), 16))
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
    draw_series(&mut ctx, overlay, Corner::UpperRight)
}

/// Saves `grid` as a 3-D surface (PNG), coloured by height, seen from above at an angle.
///
/// # Errors
/// As [`save`](crate::plot::save).
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
    let mut ctx = ChartBuilder::on(area)
        .caption(title, (super::font_family(), 22))
        .margin(20)
        .build_cartesian_3d(x0..x1, lo..hi, y0..y1)?;
    ctx.with_projection(|mut p| {
        p.yaw = -0.9; // looking along the (w, b) diagonal, into the bowl
        p.pitch = 0.5;
        p.scale = 0.8;
        p.into_matrix()
    });
    ctx.configure_axes()
        .label_style((super::font_family(), 12))
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
    let style = TextStyle::from((super::font_family(), 15).into_font()).color(&BLACK);
    let text = crate::t!("plot.grid.floor", x = x_label, y = y_label, z = z_label);
    area.draw_text(&text, &style, (20, 48))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
