//! The image reader of `predict` (PNG, PGM) and the MNIST-style preparation.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(grey) = scratchnet::data::image::decode_grey(data, std::path::Path::new("fuzz.png")) {
        let _ = scratchnet::data::image::to_mnist(&grey);
    }
});
