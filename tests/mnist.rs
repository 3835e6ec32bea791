//! The main job on the real MNIST, when `SCRATCHNET_DATA` points at it (CI sets it); otherwise
//! each test prints that it was skipped. Also: the same commands on a tiny MNIST-like set the
//! tests write, so the paths run everywhere.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use scratchnet::data::idx;
use scratchnet::data::mnist::{FILES, Kind, load};

fn scratchnet(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_scratchnet"))
        .env("SCRATCHNET_LANG", "en")
        .args(args)
        .output()
        .expect("the binary runs")
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

fn real_data() -> Option<PathBuf> {
    match std::env::var_os("SCRATCHNET_DATA") {
        Some(root) if PathBuf::from(&root).join("mnist").is_dir() => Some(PathBuf::from(root).join("mnist")),
        _ => {
            eprintln!("skipped: SCRATCHNET_DATA does not hold mnist/, so the real-MNIST test did not run");
            None
        }
    }
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("scratchnet-mnist-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A number after `prefix` in `text`, e.g. the 98.31 of "test: accuracy 98.31%".
fn number_after(text: &str, prefix: &str) -> f64 {
    let start = text.find(prefix).unwrap_or_else(|| panic!("no `{prefix}` in: {text}")) + prefix.len();
    text[start..].split(|c: char| !(c.is_ascii_digit() || c == '.')).next().unwrap().parse().unwrap()
}

/// Writes a PNG of the 28×28 digit `pixels`, scaled up `zoom` times, dark ink on white paper,
/// with a margin: how a person's drawing or scan looks, not how MNIST stores it.
fn write_drawing(path: &Path, pixels: &[u8], zoom: usize) {
    let (side, margin) = (28 * zoom, 7 * zoom);
    let size = side + 2 * margin;
    let mut rgb = vec![255u8; size * size * 3];
    for y in 0..side {
        for x in 0..side {
            let ink = pixels[(y / zoom) * 28 + x / zoom];
            let i = ((y + margin) * size + x + margin) * 3;
            rgb[i..i + 3].fill(255 - ink);
        }
    }
    let file = std::fs::File::create(path).unwrap();
    let mut encoder = png::Encoder::new(file, size as u32, size as u32);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.write_header().unwrap().write_image_data(&rgb).unwrap();
}

#[test]
fn the_default_command_reaches_98_percent_and_its_report_agrees() {
    let Some(_) = real_data() else { return };
    let dir = temp_dir("main");
    let (model, report) = (dir.join("model.safetensors"), dir.join("report.json"));
    let out = scratchnet(&["train", "--save", model.to_str().unwrap(), "--report", report.to_str().unwrap()]);
    let printed = text(&out);
    assert!(out.status.success(), "{printed}");
    let accuracy = number_after(&printed, "test: accuracy ");
    assert!(accuracy >= 98.0, "test accuracy {accuracy}%: {printed}");
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(json["dataset"], "mnist");
    assert_eq!(json["layers"], serde_json::json!([784, 128, 64, 10]));
    assert_eq!(json["epochs"].as_array().unwrap().len(), 20);
    let reported = json["test_accuracy"].as_f64().unwrap() * 100.0;
    assert!((reported - accuracy).abs() < 0.006, "report {reported} vs printed {accuracy}");
    for key in ["train_seconds_total", "samples_per_second", "seed"] {
        assert!(json[key].is_number(), "{key}");
    }
    assert!(json["epochs"][0]["val_accuracy"].is_number() && json["epochs"][0]["train_seconds"].is_number());

    // eval on the same model prints the same accuracy, a per-class table and the confusion matrix
    let eval = text(&scratchnet(&["eval", "--model", model.to_str().unwrap()]));
    assert!((number_after(&eval, "accuracy ") - accuracy).abs() < 0.006, "{eval}");
    assert!(eval.contains("precision  recall") && eval.contains("confusion matrix"), "{eval}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn predict_reads_drawings_of_any_size_and_a_reload_predicts_identically() {
    let Some(data_dir) = real_data() else { return };
    let dir = temp_dir("predict");
    let model = dir.join("m.safetensors");
    let out = scratchnet(&["train", "--epochs", "3", "--save", model.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    let (_, test) = load(Kind::Mnist, &data_dir).unwrap();
    let mut right = 0;
    for i in 0..30 {
        let pixels: Vec<u8> =
            test.inputs.gather(&[i]).as_slice().iter().map(|&v| (v * 255.0).round() as u8).collect();
        let path = dir.join(format!("digit{i}.png"));
        write_drawing(&path, &pixels, 2 + i % 4);
        let printed =
            text(&scratchnet(&["predict", "--model", model.to_str().unwrap(), path.to_str().unwrap()]));
        assert!(printed.contains("  1. ") && printed.contains("  3. "), "top-3: {printed}");
        let first = printed.lines().next().unwrap().rsplit(": ").next().unwrap().trim().to_string();
        right += usize::from(first == test.targets.argmax_row(i).to_string());
    }
    assert!(right >= 27, "{right} of 30 drawings recognised");
    // save → load → identical predictions
    let loaded = scratchnet::io::load(&model).unwrap();
    let again = dir.join("again.safetensors");
    scratchnet::io::save(&loaded, &again).unwrap();
    let reloaded = scratchnet::io::load(&again).unwrap();
    let x = test.inputs.gather(&(0..100).collect::<Vec<_>>());
    assert_eq!(loaded.net.predict(&x), reloaded.net.predict(&x));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_tutorial_preset_runs_its_recipe() {
    let Some(_) = real_data() else { return };
    let out = scratchnet(&["train", "--preset", "tutorial", "--epochs", "1"]);
    let printed = text(&out);
    assert!(out.status.success(), "{printed}");
    assert!(
        printed.contains("no biases")
            && printed.contains("hidden sigmoid")
            && printed.contains("init tutorial"),
        "{printed}"
    );
    assert!(printed.contains("51000 training, 9000 validation, 10000 test"), "85/15 split: {printed}");
    assert!(number_after(&printed, "test: accuracy ") > 90.0, "{printed}");
}

/// A tiny MNIST-like set: n images of 28×28 whose label is which third of the image is bright.
fn write_tiny(dir: &Path, n: usize) {
    let mut images = Vec::new();
    let mut labels = Vec::new();
    for i in 0..n {
        let label = i % 3;
        labels.push(label as u8);
        for y in 0..28 {
            for x in 0..28 {
                images.push(if x / 10 == label { 200 + (y % 50) as u8 } else { 0 });
            }
        }
    }
    for (k, name) in FILES.iter().enumerate() {
        let bytes = if k % 2 == 0 { idx::encode(&[n, 28, 28], &images) } else { idx::encode(&[n], &labels) };
        let file = std::fs::File::create(dir.join(format!("{name}.gz"))).unwrap();
        let mut enc = flate2::write::GzEncoder::new(file, flate2::Compression::fast());
        enc.write_all(&bytes).unwrap();
        enc.finish().unwrap();
    }
}

#[test]
fn train_eval_and_predict_on_a_tiny_set_anywhere() {
    let dir = temp_dir("tiny");
    write_tiny(&dir, 300);
    let model = dir.join("m.safetensors");
    let d = dir.to_str().unwrap();
    let out = scratchnet(&["train", "--data-dir", d, "--epochs", "3", "--save", model.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(number_after(&text(&out), "test: accuracy ") > 90.0, "{}", text(&out));
    let eval = scratchnet(&["eval", "--model", model.to_str().unwrap(), "--data-dir", d]);
    assert!(eval.status.success() && text(&eval).contains("confusion matrix"), "{}", text(&eval));
    // a drawing of "bright left third" → class 0
    let mut pixels = vec![0u8; 784];
    for y in 4..24 {
        for x in 2..9 {
            pixels[y * 28 + x] = 255;
        }
    }
    let png = dir.join("left.png");
    write_drawing(&png, &pixels, 3);
    let printed = text(&scratchnet(&["predict", "--model", model.to_str().unwrap(), png.to_str().unwrap()]));
    assert!(printed.contains("  1. ") && printed.contains('%'), "{printed}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn missing_data_says_where_it_looked_and_what_to_do() {
    let dir = temp_dir("empty");
    let out = scratchnet(&["train", "--data-dir", dir.to_str().unwrap()]);
    let printed = text(&out);
    assert!(!out.status.success());
    assert!(
        printed.contains("not found; looked in:") && printed.contains("missing train-images-idx3-ubyte"),
        "{printed}"
    );
    assert!(printed.contains("scratchnet data download mnist"), "{printed}");
    assert!(!printed.contains("panicked"));
}

#[test]
fn bad_model_files_are_refused_plainly() {
    let dir = temp_dir("badmodel");
    let junk = dir.join("junk.safetensors");
    std::fs::write(&junk, b"this is not a model").unwrap();
    let image = dir.join("x.png");
    write_drawing(&image, &[255; 784], 1);
    for args in [
        vec!["predict", "--model", junk.to_str().unwrap(), image.to_str().unwrap()],
        vec!["eval", "--model", junk.to_str().unwrap()],
        vec!["eval", "--model", "/nonexistent/model.safetensors"],
    ] {
        let out = scratchnet(&args);
        let printed = text(&out);
        assert!(
            !out.status.success() && printed.contains("error: ") && !printed.contains("panicked"),
            "{printed}"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn fashion_mnist_from_the_debian_package_needs_no_flag() {
    if !Path::new("/usr/share/datasets/fashion-mnist").is_dir() {
        eprintln!("skipped: the Debian package dataset-fashion-mnist is not installed");
        return;
    }
    let home = temp_dir("home"); // an empty cache, so the package's folder is the one found
    let out = Command::new(env!("CARGO_BIN_EXE_scratchnet"))
        .env("SCRATCHNET_LANG", "en")
        .args(["train", "--dataset", "fashion-mnist", "--epochs", "1"])
        .env_remove("SCRATCHNET_DATA")
        .env_remove("XDG_CACHE_HOME")
        .env("HOME", &home)
        .output()
        .unwrap();
    let printed = text(&out);
    assert!(
        out.status.success() && printed.contains("fashion-mnist from /usr/share/datasets/fashion-mnist"),
        "{printed}"
    );
    assert!(number_after(&printed, "test: accuracy ") > 80.0, "{printed}");
}
