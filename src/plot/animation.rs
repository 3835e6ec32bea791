//! Animated GIFs with one fixed palette and changed-rectangle frames.
//!
//! The palette is a 6×6×6 colour cube plus greys; every colour of [`super::palette`] is in it
//! exactly, so lines stay crisp. Each frame after the first stores only the rectangle that
//! changed, which keeps a 100-frame animation of a moving line a few hundred kilobytes.

/// Builds an animated GIF in memory with a fixed palette and changed-rectangle frames.
pub(crate) struct GifWriter {
    size: (u32, u32),
    frames: Vec<(gif::Frame<'static>, u16)>,
    previous: Option<Vec<u8>>,
}

/// The palette index used for "unchanged since the last frame". It is the last grey, pure
/// white, which [`GifWriter::index`] never returns: white maps to the cube's white (index 215).
const TRANSPARENT: u8 = 255;

/// Grey levels beyond the cube's six (0, 51, …, 255), to fill the palette to 256 colours.
const EXTRA_GREYS: usize = 40;

impl GifWriter {
    pub(crate) fn new(size: (u32, u32)) -> GifWriter {
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

    pub(crate) fn add_frame(&mut self, rgb: &[u8], delay_cs: u16) {
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
        // Inside the rectangle, pixels equal to the previous frame's are transparent: long runs
        // of one index, which GIF's LZW compression stores in a few bytes.
        let mut buffer = Vec::with_capacity((x1 - x0) * (y1 - y0));
        for y in y0..y1 {
            let row = y * w + x0..y * w + x1;
            match &self.previous {
                Some(prev) => buffer.extend(
                    indices[row.clone()]
                        .iter()
                        .zip(&prev[row])
                        .map(|(&i, &p)| if i == p { TRANSPARENT } else { i }),
                ),
                None => buffer.extend_from_slice(&indices[row]),
            }
        }
        let frame = gif::Frame {
            transparent: self.previous.as_ref().map(|_| TRANSPARENT),
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

    pub(crate) fn finish(self) -> Vec<u8> {
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
    use crate::plot::palette;

    #[test]
    fn palette_colours_map_to_themselves() {
        let p = GifWriter::palette();
        assert_eq!(p.len(), 256 * 3);
        for c in palette::CYCLE.iter().chain([palette::GRAY, palette::BLACK].iter()) {
            let i = GifWriter::index(c.0, c.1, c.2) as usize;
            assert_eq!(&p[i * 3..i * 3 + 3], &[c.0, c.1, c.2]);
        }
        assert_eq!(GifWriter::index(255, 255, 255), 215);
        // the transparent index is never a real colour
        for v in 0..=255u8 {
            assert_ne!(GifWriter::index(v, v, v), TRANSPARENT);
        }
    }
}
