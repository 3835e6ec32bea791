//! The model and checkpoint loaders (safetensors with scratchnet metadata).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = std::path::Path::new("fuzz.safetensors");
    if let Ok(model) = scratchnet::io::from_bytes(data, path) {
        let x = scratchnet::Matrix::zeros(1, model.net.n_in());
        let _ = model.net.predict(&x);
    }
    let _ = scratchnet::checkpoint::from_bytes(data, path);
});
