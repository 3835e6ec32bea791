//! What each fuzz target does with its bytes, in one place: the libFuzzer targets (`fuzz/`)
//! and the regression tests over their saved inputs (`tests/fuzz_regressions.rs`) both call
//! these. Each feeds arbitrary bytes to a reader of outside data and uses what it returns;
//! errors are expected, panics are bugs.

use std::path::Path;

/// The IDX reader (MNIST files), raw or gzip, as 1-D and 3-D data.
pub fn idx(data: &[u8]) {
    let path = Path::new("fuzz.idx");
    for ndims in [1, 3] {
        let _ = crate::data::idx::parse(data, Some(data.len() as u64), path, ndims);
        let _ = crate::data::idx::parse(data, None, path, ndims);
    }
}

/// The CSV reader and the table encoding behind `--dataset csv:FILE`.
#[cfg(feature = "csv")]
pub fn csv(data: &[u8]) {
    let path = Path::new("fuzz.csv");
    // the guesses for most inputs; for every third, forced separators, so both ways are run
    let forced = data.len().is_multiple_of(3);
    let read = crate::data::csv::ReadFlags {
        delimiter: forced.then_some(b';'),
        decimal: forced.then_some(crate::data::csv::Decimal::Comma),
    };
    if let Ok(table) = crate::data::csv::parse_table(data, path, read.delimiter) {
        let options = crate::data::csv::CsvOptions {
            target: None,
            features: None,
            task: crate::data::csv::TaskChoice::Auto,
            drop_missing: data.len().is_multiple_of(2),
            validation: 0.15,
            test: 0.15,
            read,
        };
        let _ = crate::data::csv::build(&table, path, &options, &mut crate::Rng::new(1));
    }
}

/// The model and checkpoint loaders, then a forward pass through a loaded model.
pub fn model(data: &[u8]) {
    let path = Path::new("fuzz.safetensors");
    if let Ok(model) = crate::io::from_bytes(data, path) {
        let _ = model.net.predict(&crate::Matrix::zeros(1, model.net.n_in()));
    }
    let _ = crate::checkpoint::from_bytes(data, path);
}

/// The image reader of `predict` (PNG, PGM) and the MNIST-style preparation.
pub fn image(data: &[u8]) {
    if let Ok(grey) = crate::data::image::decode_grey(data, Path::new("fuzz.png")) {
        let _ = crate::data::image::to_mnist(&grey);
    }
}
