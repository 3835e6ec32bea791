//! Images for `predict`: PNG and PGM files read as grey, and made to look like MNIST digits.
//!
//! MNIST digits are light strokes on black, fitted into a 20×20 box and placed in a 28×28
//! image so that their centre of mass is in the middle. A photo or a drawing from a paint
//! program is usually dark on light, of any size, and off centre: [`to_mnist`] inverts it if
//! its border is light, crops it to the ink, scales the ink into the 20×20 box and centres it
//! the same way, so the network sees what it was trained on.

use std::path::Path;

use crate::{Error, t};

/// PNG decoding, on the `png` crate (feature `images`); PGM is read here, by hand.
#[cfg(feature = "images")]
mod png;
#[cfg(feature = "images")]
use self::png::decode_png;

/// Refuse images with more pixels than this (a 100-megapixel photo is 100 M).
pub const MAX_PIXELS: usize = 100_000_000;

/// A grey image, one byte per pixel, row by row (0 black, 255 white).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grey {
    pub width: usize,
    pub height: usize,
    pub pixels: Vec<u8>,
}

fn bad(path: &Path, message: String) -> Error {
    Error::Data { path: path.display().to_string(), message }
}

/// Reads a PNG (any colour type; transparent parts count as white) or a PGM (P2 or P5) file,
/// chosen by its first bytes.
///
/// # Errors
/// [`Error::Io`] if it cannot be read, [`Error::Data`] if it is neither format, is damaged, or
/// is larger than [`MAX_PIXELS`].
pub fn load_grey(path: &Path) -> Result<Grey, Error> {
    let bytes =
        std::fs::read(path).map_err(|source| Error::Io { path: path.display().to_string(), source })?;
    decode_grey(&bytes, path)
}

/// [`load_grey`] on bytes already read; `path` names them in errors.
///
/// # Errors
/// As [`load_grey`].
pub fn decode_grey(bytes: &[u8], path: &Path) -> Result<Grey, Error> {
    if bytes.starts_with(b"\x89PNG") {
        decode_png(bytes, path)
    } else if bytes.starts_with(b"P5") || bytes.starts_with(b"P2") {
        decode_pgm(bytes, path)
    } else {
        Err(bad(path, t!("data.image.unknown-format").into()))
    }
}

/// Without the `images` feature there is no PNG decoder; PGM files still work.
#[cfg(not(feature = "images"))]
fn decode_png(_bytes: &[u8], path: &Path) -> Result<Grey, Error> {
    Err(bad(path, t!("data.image.no-png").into()))
}

/// Splits the PGM header into tokens, skipping `#` comments; returns the tokens and where the
/// raster starts (after the single whitespace byte that ends the header).
fn pgm_header(bytes: &[u8], want: usize) -> Option<(Vec<String>, usize)> {
    let mut tokens = Vec::new();
    let mut i = 0;
    while tokens.len() < want && i < bytes.len() {
        match bytes[i] {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            c if c.is_ascii_whitespace() => i += 1,
            _ => {
                let start = i;
                while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'#' {
                    i += 1;
                }
                tokens.push(String::from_utf8_lossy(&bytes[start..i]).into_owned());
            }
        }
    }
    (tokens.len() == want).then_some((tokens, i + 1))
}

fn decode_pgm(bytes: &[u8], path: &Path) -> Result<Grey, Error> {
    let (tokens, start) =
        pgm_header(bytes, 4).ok_or_else(|| bad(path, t!("data.image.pgm-header").into()))?;
    let number = |value: &str, what: &str| -> Result<usize, Error> {
        value.parse::<usize>().map_err(|_| bad(path, t!("data.image.pgm-number", what = what, value = value)))
    };
    let (width, height, max) = (
        number(&tokens[1], t!("data.image.width"))?,
        number(&tokens[2], t!("data.image.height"))?,
        number(&tokens[3], t!("data.image.maximum"))?,
    );
    if width == 0 || height == 0 || width.saturating_mul(height) > MAX_PIXELS {
        return Err(bad(path, t!("data.image.pgm-size", width = width, height = height, max = MAX_PIXELS)));
    }
    if max == 0 || max > 65535 {
        return Err(bad(path, t!("data.image.pgm-max", max = max)));
    }
    let n = width * height;
    let scale = |v: usize| ((v.min(max) * 255 + max / 2) / max) as u8;
    let pixels: Vec<u8> = if tokens[0] == "P5" {
        let size = if max < 256 { 1 } else { 2 };
        let raster = bytes.get(start..).unwrap_or(&[]);
        if raster.len() < n * size {
            let (needed, has) = (n * size, raster.len());
            return Err(bad(
                path,
                t!("data.image.p5-truncated", width = width, height = height, needed = needed, has = has),
            ));
        }
        if size == 1 {
            raster[..n].iter().map(|&v| scale(usize::from(v))).collect()
        } else {
            raster[..2 * n]
                .chunks_exact(2)
                .map(|b| scale(usize::from(u16::from_be_bytes([b[0], b[1]]))))
                .collect()
        }
    } else {
        let text = String::from_utf8_lossy(bytes.get(start.saturating_sub(1)..).unwrap_or(&[]));
        let values: Vec<usize> = text
            .split_ascii_whitespace()
            .take(n)
            .map(|t| number(t, crate::t!("data.image.pixel")))
            .collect::<Result<_, _>>()?;
        if values.len() < n {
            let values = values.len();
            return Err(bad(
                path,
                t!("data.image.p2-truncated", width = width, height = height, values = values),
            ));
        }
        values.into_iter().map(scale).collect()
    };
    Ok(Grey { width, height, pixels })
}

/// Side of the MNIST image, and of the box the digit is fitted into.
const SIDE: usize = 28;
const BOX: usize = 20;

/// Turns any grey image into a 28×28 MNIST-style digit (light on dark, fitted and centred).
///
/// # Errors
/// A message if the image has no ink at all (a blank page).
pub fn to_mnist(image: &Grey) -> Result<Vec<u8>, String> {
    let (w, h) = (image.width, image.height);
    // 1. light strokes on dark: invert if the border is mostly light (a scan or a drawing)
    let border: Vec<u8> = (0..w)
        .flat_map(|x| [image.pixels[x], image.pixels[(h - 1) * w + x]])
        .chain((0..h).flat_map(|y| [image.pixels[y * w], image.pixels[y * w + w - 1]]))
        .collect();
    let border_mean = border.iter().map(|&v| f64::from(v)).sum::<f64>() / border.len() as f64;
    let ink: Vec<f32> = image
        .pixels
        .iter()
        .map(|&v| if border_mean > 127.0 { f32::from(255 - v) } else { f32::from(v) })
        .collect();
    // 2. the ink's bounding box (pixels above a fifth of the strongest)
    let strongest = ink.iter().copied().fold(0.0f32, f32::max);
    if strongest < 10.0 {
        return Err(t!("data.image.blank").into());
    }
    let on = |x: usize, y: usize| ink[y * w + x] > strongest * 0.2;
    let (mut x0, mut y0, mut x1, mut y1) = (w, h, 0, 0);
    for y in 0..h {
        for x in 0..w {
            if on(x, y) {
                (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x + 1), y1.max(y + 1));
            }
        }
    }
    // 3. scale the box so its longer side is 20 pixels, averaging the source pixels each
    //    target pixel covers
    let (bw, bh) = (x1 - x0, y1 - y0);
    let scale = BOX as f32 / bw.max(bh) as f32;
    let (tw, th) =
        (((bw as f32 * scale).round() as usize).max(1), ((bh as f32 * scale).round() as usize).max(1));
    let mut small = vec![0f32; tw * th];
    for ty in 0..th {
        for tx in 0..tw {
            let (sx0, sx1) = (x0 as f32 + tx as f32 / scale, x0 as f32 + (tx + 1) as f32 / scale);
            let (sy0, sy1) = (y0 as f32 + ty as f32 / scale, y0 as f32 + (ty + 1) as f32 / scale);
            let (mut sum, mut count) = (0.0, 0.0);
            for sy in (sy0.floor() as usize)..(sy1.ceil() as usize).min(y1).max(sy0.floor() as usize + 1) {
                for sx in (sx0.floor() as usize)..(sx1.ceil() as usize).min(x1).max(sx0.floor() as usize + 1)
                {
                    sum += ink[sy.min(h - 1) * w + sx.min(w - 1)];
                    count += 1.0;
                }
            }
            small[ty * tw + tx] = sum / count;
        }
    }
    // 4. place it in 28×28 with its centre of mass in the middle
    let mass: f32 = small.iter().sum();
    let (mut cx, mut cy) = (0.0, 0.0);
    for ty in 0..th {
        for tx in 0..tw {
            cx += small[ty * tw + tx] * (tx as f32 + 0.5);
            cy += small[ty * tw + tx] * (ty as f32 + 0.5);
        }
    }
    let (cx, cy) = (cx / mass.max(1e-6), cy / mass.max(1e-6));
    let clamp = |offset: f32, size: usize| (offset.round() as i64).clamp(0, (SIDE - size) as i64) as usize;
    let (ox, oy) = (clamp(SIDE as f32 / 2.0 - cx, tw), clamp(SIDE as f32 / 2.0 - cy, th));
    let peak = small.iter().copied().fold(0.0f32, f32::max).max(1e-6);
    let mut out = vec![0u8; SIDE * SIDE];
    for ty in 0..th {
        for tx in 0..tw {
            out[(oy + ty) * SIDE + ox + tx] =
                (small[ty * tw + tx] / peak * 255.0).round().clamp(0.0, 255.0) as u8;
        }
    }
    Ok(out)
}

/// Encodes a grey image as PGM (P5) bytes (for tests and for looking at what `predict` saw).
pub fn encode_pgm(image: &Grey) -> Vec<u8> {
    let mut bytes = format!("P5\n{} {}\n255\n", image.width, image.height).into_bytes();
    bytes.extend_from_slice(&image.pixels);
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 60×40 white page with a black vertical bar off to the left: a "1".
    fn page_with_bar() -> Grey {
        let (w, h) = (60, 40);
        let mut pixels = vec![255u8; w * h];
        for y in 5..35 {
            for x in 10..14 {
                pixels[y * w + x] = 0;
            }
        }
        Grey { width: w, height: h, pixels }
    }

    #[test]
    fn a_dark_on_light_bar_becomes_a_centred_light_digit() {
        let digit = to_mnist(&page_with_bar()).unwrap();
        assert_eq!(digit.len(), 784);
        assert_eq!(digit[0], 0, "the background is dark");
        assert!(digit[14 * 28 + 14] > 200, "ink at the centre");
        let rows_with_ink = (0..28).filter(|y| (0..28).any(|x| digit[y * 28 + x] > 100)).count();
        assert_eq!(rows_with_ink, 20, "the bar's height is scaled to 20 pixels");
    }

    #[test]
    fn blank_images_are_refused() {
        let blank = Grey { width: 10, height: 10, pixels: vec![255; 100] };
        assert!(to_mnist(&blank).unwrap_err().contains("blank"));
    }

    #[test]
    fn pgm_round_trip_and_ascii_form() {
        let page = page_with_bar();
        assert_eq!(decode_grey(&encode_pgm(&page), Path::new("a.pgm")).unwrap(), page);
        let ascii = b"P2\n# a comment\n2 2\n15\n0 15\n15 0\n";
        let g = decode_grey(ascii, Path::new("b.pgm")).unwrap();
        assert_eq!(g.pixels, vec![0, 255, 255, 0]);
    }

    #[test]
    fn damaged_images_are_errors() {
        let p = Path::new("x");
        assert!(decode_grey(b"GIF89a", p).unwrap_err().to_string().contains("not a PNG or PGM"));
        assert!(decode_grey(b"P5\n10 10\n255\n\x00\x01", p).unwrap_err().to_string().contains("truncated"));
        assert!(decode_grey(b"P5\n99999 99999\n255\n", p).unwrap_err().to_string().contains("pixels"));
    }

    #[test]
    fn png_is_read_with_the_images_feature_and_named_without_it() {
        let err = decode_grey(b"\x89PNG\r\n\x1a\nrubbish", Path::new("x")).unwrap_err().to_string();
        if cfg!(feature = "images") {
            assert!(err.contains("not a readable PNG"), "{err}");
        } else {
            assert!(err.contains("`images` feature"), "{err}");
        }
    }
}
