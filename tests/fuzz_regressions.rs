//! The fuzzers' interesting inputs (fuzz/run.sh), kept as ordinary tests: every file in
//! tests/fuzz_regressions/TARGET/ goes through the same reader as the fuzz target and must
//! give a value or an error, never a panic. New crashes found by fuzzing go here once fixed.

use std::path::Path;

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions").join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no inputs in {}", dir.display());
    files.into_iter().map(|p| (p.display().to_string(), std::fs::read(&p).unwrap())).collect()
}

/// Runs `check` on every input of `target`, naming the input that panics.
fn each(target: &str, check: impl Fn(&[u8]) + std::panic::RefUnwindSafe) {
    for (name, bytes) in inputs(target) {
        if std::panic::catch_unwind(|| check(&bytes)).is_err() {
            panic!("{name} made the {target} reader panic");
        }
    }
}

#[test]
fn idx_inputs() {
    each("idx", |data| {
        let path = Path::new("fuzz.idx");
        for ndims in [1, 3] {
            let _ = scratchnet::data::idx::parse(data, Some(data.len() as u64), path, ndims);
            let _ = scratchnet::data::idx::parse(data, None, path, ndims);
        }
    });
}

#[test]
fn csv_inputs() {
    each("csv", |data| {
        let path = Path::new("fuzz.csv");
        if let Ok(table) = scratchnet::data::csv::parse_table(data, path) {
            let mut rng = scratchnet::Rng::new(1);
            let options = scratchnet::data::csv::CsvOptions {
                target: None,
                features: None,
                task: scratchnet::data::csv::TaskChoice::Auto,
                drop_missing: data.len() % 2 == 0,
                validation: 0.15,
                test: 0.15,
            };
            let _ = scratchnet::data::csv::build(&table, path, &options, &mut rng);
        }
    });
}

#[test]
fn model_and_checkpoint_inputs() {
    each("model", |data| {
        let path = Path::new("fuzz.safetensors");
        if let Ok(model) = scratchnet::io::from_bytes(data, path) {
            let _ = model.net.predict(&scratchnet::Matrix::zeros(1, model.net.n_in()));
        }
        let _ = scratchnet::checkpoint::from_bytes(data, path);
    });
}

#[test]
fn image_inputs() {
    each("image", |data| {
        if let Ok(grey) = scratchnet::data::image::decode_grey(data, Path::new("fuzz.png")) {
            let _ = scratchnet::data::image::to_mnist(&grey);
        }
    });
}
