//! The model and checkpoint loaders (safetensors with scratchnet metadata).
//! The work itself is `scratchnet::fuzzing::model`, shared with tests/fuzz_regressions.rs.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| scratchnet::fuzzing::model(data));
