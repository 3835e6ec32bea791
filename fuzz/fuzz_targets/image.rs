//! The image reader of `predict` (PNG, PGM) and the MNIST-style preparation.
//! The work itself is `scratchnet::fuzzing::image`, shared with tests/fuzz_regressions.rs.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| scratchnet::fuzzing::image(data));
