//! The CSV reader and the table encoding behind `--dataset csv:FILE`.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = std::path::Path::new("fuzz.csv");
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
