//! The lessons' pictures: every PNG and GIF decodes, has the expected size and frame count,
//! is not blank, and GIFs stay small enough to share.

use std::fs::File;
use std::path::{Path, PathBuf};

use scratchnet::lessons::{Lesson, LessonOptions};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("scratchnet-pictures-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn draw(lesson: Lesson, dir: &Path) -> String {
    let options = LessonOptions { out: Some(dir.to_path_buf()), ..Default::default() };
    let mut out = Vec::new();
    lesson.run(&options, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// Decodes a PNG: (width, height, number of distinct colours).
fn png_facts(path: &Path) -> (u32, u32, usize) {
    let decoder = png::Decoder::new(std::io::BufReader::new(File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let pixels = &buf[..info.buffer_size()];
    let mut colours: Vec<&[u8]> = pixels.chunks_exact(3).collect();
    colours.sort_unstable();
    colours.dedup();
    (info.width, info.height, colours.len())
}

/// Decodes a GIF: (width, height, frames, distinct palette indices in the first frame, bytes).
fn gif_facts(path: &Path) -> (u16, u16, usize, usize, u64) {
    let mut options = gif::DecodeOptions::new();
    options.set_color_output(gif::ColorOutput::Indexed);
    let mut decoder = options.read_info(File::open(path).unwrap()).unwrap();
    let (width, height) = (decoder.width(), decoder.height());
    let mut frames = 0;
    let mut first_colours = 0;
    while let Some(frame) = decoder.read_next_frame().unwrap() {
        if frames == 0 {
            let mut seen = [false; 256];
            frame.buffer.iter().for_each(|&i| seen[usize::from(i)] = true);
            first_colours = seen.iter().filter(|&&s| s).count();
        }
        frames += 1;
    }
    (width, height, frames, first_colours, std::fs::metadata(path).unwrap().len())
}

#[track_caller]
fn assert_png(path: &Path) {
    let (w, h, colours) = png_facts(path);
    assert_eq!((w, h), (800, 500), "{}", path.display());
    assert!(colours > 10, "{} looks blank: {colours} colours", path.display());
}

#[track_caller]
fn assert_gif(path: &Path, min_frames: usize, max_frames: usize) {
    let (w, h, frames, colours, bytes) = gif_facts(path);
    assert_eq!((w, h), (560, 360), "{}", path.display());
    assert!((min_frames..=max_frames).contains(&frames), "{}: {frames} frames", path.display());
    assert!(colours > 5, "{} first frame looks blank", path.display());
    assert!(bytes < 2_000_000, "{}: {bytes} bytes, over 2 MB", path.display());
}

#[test]
fn descent_writes_two_charts_and_four_animations() {
    let dir = temp_dir("descent");
    let text = draw(Lesson::Descent, &dir);
    assert!(text.contains("wrote"), "{text}");
    assert_png(&dir.join("descent-fits.png"));
    assert_png(&dir.join("descent-cost.png"));
    for method in ["stochastic", "batch", "mini-batch", "fixed-step"] {
        assert_gif(&dir.join(format!("descent-{method}.gif")), 30, 101);
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn surface_writes_the_bowl_the_contours_and_the_cut() {
    let dir = temp_dir("surface");
    draw(Lesson::Surface, &dir);
    for name in ["surface-3d.png", "surface-contour.png", "surface-cut.png"] {
        assert_png(&dir.join(name));
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn hidden_layer_writes_a_frame_every_100_epochs() {
    let dir = temp_dir("hidden");
    draw(Lesson::HiddenLayer, &dir);
    // the start and epochs 100, 200, …, 5000
    assert_gif(&dir.join("hidden-layer.gif"), 51, 51);
    assert_png(&dir.join("hidden-layer-fit.png"));
    assert_png(&dir.join("hidden-layer-loss.png"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn no_temporary_files_are_left_behind() {
    let dir = temp_dir("tmp");
    draw(Lesson::Surface, &dir);
    let names: Vec<String> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    assert!(names.iter().all(|n| !n.ends_with(".tmp")), "{names:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}
