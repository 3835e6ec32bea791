//! The fuzzers' interesting inputs (fuzz/run.sh), kept as ordinary tests: every file in
//! tests/fuzz_regressions/TARGET/ goes through the same reader as the fuzz target and must
//! give a value or an error, never a panic (`scratchnet::fuzzing` holds what each target does). New crashes found by fuzzing go here once fixed.

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
    each("idx", scratchnet::fuzzing::idx);
}

#[test]
fn csv_inputs() {
    each("csv", scratchnet::fuzzing::csv);
}

#[test]
fn model_and_checkpoint_inputs() {
    each("model", scratchnet::fuzzing::model);
}

#[test]
fn image_inputs() {
    each("image", scratchnet::fuzzing::image);
}
