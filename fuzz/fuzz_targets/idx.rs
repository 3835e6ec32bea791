//! The IDX reader (MNIST files), raw or gzip: any bytes give a value or an error, never a
//! panic, a hang or an unbounded allocation.
//! The work itself is `scratchnet::fuzzing::idx`, shared with tests/fuzz_regressions.rs.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| scratchnet::fuzzing::idx(data));
