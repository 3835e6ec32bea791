//! The CSV reader and the table encoding behind `--dataset csv:FILE`.
//! The work itself is `scratchnet::fuzzing::csv`, shared with tests/fuzz_regressions.rs.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| scratchnet::fuzzing::csv(data));
