//! PNG files read as grey: any colour type, transparent parts composited over white.

use std::path::Path;

use super::{Grey, MAX_PIXELS, bad};
use crate::{Error, t};

/// Decodes a PNG into grey pixels (luma by the Rec. 601 weights).
pub(super) fn decode_png(bytes: &[u8], path: &Path) -> Result<Grey, Error> {
    let err = |e: png::DecodingError| bad(path, t!("data.image.bad-png", error = e));
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().map_err(err)?;
    let (width, height) = (reader.info().width as usize, reader.info().height as usize);
    if width.saturating_mul(height) > MAX_PIXELS || width == 0 || height == 0 {
        return Err(bad(path, t!("data.image.png-size", width = width, height = height, max = MAX_PIXELS)));
    }
    let mut buf =
        vec![0; reader.output_buffer_size().ok_or_else(|| bad(path, t!("data.image.png-too-large").into()))?];
    let frame = reader.next_frame(&mut buf).map_err(err)?;
    let channels = frame.color_type.samples();
    let luma = |p: &[u8]| -> u8 {
        let (v, alpha) = match p.len() {
            1 => (f32::from(p[0]), 255.0),
            2 => (f32::from(p[0]), f32::from(p[1])),
            3 => (0.299 * f32::from(p[0]) + 0.587 * f32::from(p[1]) + 0.114 * f32::from(p[2]), 255.0),
            _ => {
                (0.299 * f32::from(p[0]) + 0.587 * f32::from(p[1]) + 0.114 * f32::from(p[2]), f32::from(p[3]))
            }
        };
        // composite over white: a transparent background reads as paper
        (v * alpha / 255.0 + 255.0 * (1.0 - alpha / 255.0)).round() as u8
    };
    let pixels = buf[..frame.buffer_size()].chunks_exact(channels).map(luma).collect();
    Ok(Grey { width, height, pixels })
}
