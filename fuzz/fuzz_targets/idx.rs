//! The IDX reader (MNIST files), raw or gzip: any bytes give a value or an error, never a
//! panic, a hang or an unbounded allocation.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = std::path::Path::new("fuzz.idx");
    for ndims in [1, 3] {
        let _ = scratchnet::data::idx::parse(data, Some(data.len() as u64), path, ndims);
        let _ = scratchnet::data::idx::parse(data, None, path, ndims);
    }
});
