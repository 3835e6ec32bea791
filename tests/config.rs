//! `scratchnet train CONFIG.toml [flags]` and the reports, as a user meets them: the file sets
//! the run, flags win over it, mistakes in it are named with key, file and line, the effective
//! settings reach the header, the report and the model file, the examples give the runs their
//! flags give, and `train --report` and `eval --report` use one set of names.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use scratchnet::data::idx;
use serde_json::Value;

fn scratchnet(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_scratchnet"))
        .env("SCRATCHNET_LANG", "en")
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs `args`, which must succeed, and returns what it printed.
#[track_caller]
fn run_ok(args: &[&str]) -> String {
    let out = scratchnet(args);
    assert!(out.status.success(), "{args:?} failed: {}{}", stdout(&out), stderr(&out));
    stdout(&out)
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("scratchnet-config-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(path: &Path, text: &str) -> String {
    std::fs::write(path, text).unwrap();
    path.to_str().unwrap().to_string()
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// A user mistake: exit status 1, `expected` in the message, a hint, and no panic.
#[track_caller]
fn assert_refused(args: &[&str], expected: &str) {
    let out = scratchnet(args);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{args:?}: {}{err}", stdout(&out));
    assert!(err.contains(expected), "{args:?}: expected {expected:?} in: {err}");
    assert!(err.contains("hint: "), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn a_config_file_sets_the_run_and_flags_on_the_command_line_win() {
    let dir = temp_dir("override");
    let file = write(
        &dir.join("run.toml"),
        "# the gender lesson's data, trained for a while\n\
         dataset = \"gender\"\n\
         layers = [2, 3, 1]\n\
         lr = 0.3\n\
         batch-size = 2\n\
         epochs = 50\n\
         no-standardize = true\n",
    );
    let report = dir.join("r.json");
    let printed = run_ok(&["train", &file, "--epochs", "7", "--report", report.to_str().unwrap()]);
    assert!(printed.contains(&format!("settings ({file} with the flags over it):")), "{printed}");
    assert!(printed.contains("epochs=7") && printed.contains("layers=2,3,1"), "{printed}");
    assert!(printed.contains("network [2, 3, 1]") && printed.contains("lr 0.3"), "{printed}");
    let json = read_json(&report);
    let settings = &json["settings"];
    assert_eq!(settings["epochs"], 7, "the flag wins: {settings}");
    assert_eq!(json["epochs"].as_array().unwrap().len(), 7);
    assert_eq!(settings["lr"], 0.3, "from the file: {settings}");
    assert_eq!(settings["batch-size"], 2);
    assert_eq!(settings["layers"], serde_json::json!([2, 3, 1]));
    assert_eq!(settings["no-standardize"], true);
    assert!(printed.contains("inputs raw"), "the file's switch took effect: {printed}");
    // the file's run is the run its flags give
    let flags = dir.join("flags.json");
    let args = ["--dataset", "gender", "--layers", "2,3,1", "--lr", "0.3", "--batch-size", "2"];
    let more = ["--epochs", "7", "--no-standardize", "--report", flags.to_str().unwrap()];
    run_ok(&[&["train"][..], &args, &more].concat());
    assert_eq!(read_json(&flags)["settings"], json["settings"]);
    assert_eq!(read_json(&flags)["train_loss"], json["train_loss"], "same settings, same run");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_unknown_key_is_refused_with_the_closest_real_one() {
    let dir = temp_dir("unknown");
    let file = write(&dir.join("run.toml"), "dataset = \"gender\"\nbatchsize = 4\n");
    assert_refused(
        &["train", &file],
        &format!("unknown key `batchsize` in {file} (line 2); did you mean `batch-size`?"),
    );
    let file = write(&dir.join("far.toml"), "learning-rate-of-doom = 4\n");
    assert_refused(&["train", &file], "the keys are train's long flag names: dataset, data-dir,");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn values_of_the_wrong_kind_name_the_key_the_file_and_the_line() {
    let dir = temp_dir("kinds");
    let cases = [
        (
            "dataset = \"gender\"\nlr = \"fast\"\n",
            "`lr` in FILE (line 2): invalid value 'fast' for '--lr <LR>'",
        ),
        ("epochs = \"ten\"\n", "`epochs` in FILE (line 1): invalid value 'ten' for '--epochs <EPOCHS>'"),
        ("\n[network]\nlayers = [2, 2, 1]\n", "`network` in FILE (line 2): is a table"),
        ("epochs = [1, 2]\n", "`epochs` in FILE (line 1): is a list, but --epochs takes one value"),
        (
            "drop-missing = 1\n",
            "`drop-missing` in FILE (line 1): is a switch: give true or false, not a number",
        ),
        ("lr = true\n", "`lr` in FILE (line 1): is true/false, but --lr is not a switch"),
        ("preset = \"tutorials\"\n", "[possible values: default, tutorial]"),
        ("seed = 1\nseed = 2\n", "FILE (line 2) is not valid TOML"),
        ("dataset = \"gender\nlr = 1\n", "FILE (line 1) is not valid TOML"),
        ("resume = \"x.ckpt\"\n", "`resume` in FILE (line 1): --resume continues a run"),
    ];
    for (k, (text, expected)) in cases.into_iter().enumerate() {
        let file = write(&dir.join(format!("case{k}.toml")), text);
        assert_refused(&["train", &file], &expected.replace("FILE", &file));
    }
    let missing = dir.join("missing.toml");
    assert_refused(
        &["train", missing.to_str().unwrap()],
        &format!("config file {} cannot be read", missing.display()),
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_settings_are_in_the_report_and_the_model_file() {
    let dir = temp_dir("stored");
    let (model, report) = (dir.join("m.safetensors"), dir.join("r.json"));
    let (m, r) = (model.to_str().unwrap(), report.to_str().unwrap());
    let args = ["train", "--dataset", "beans-hill", "--epochs", "20", "--optimizer", "adam", "--lr", "0.01"];
    run_ok(&[&args[..], &["--schedule", "step", "--step-every", "5", "--save", m, "--report", r]].concat());
    let json = read_json(&report);
    let settings = json["settings"].as_object().unwrap();
    let expected = serde_json::json!({
        "dataset": "beans-hill", "preset": "default", "layers": [1, 2, 1], "activation": "tanh",
        "output": "sigmoid", "init": "xavier", "loss": "binary-cross-entropy", "optimizer": "adam",
        "lr": 0.01, "schedule": "step", "step-every": 5, "step-gamma": 0.1, "weight-decay": 0.0,
        "batch-size": 10, "epochs": 20, "validation": 0.0, "seed": 42, "no-standardize": false,
        "engine": "fast", "threads": 1,
    });
    assert_eq!(&Value::from(settings.clone()), &expected);
    let text = std::fs::read_to_string(&report).unwrap();
    let text = &text[text.find("\"settings\": {").unwrap()..];
    let at = |key: &str| text.find(&format!("\"{key}\":")).unwrap();
    assert!(
        at("dataset") < at("preset") && at("preset") < at("layers"),
        "the report keeps the readable order"
    );
    let stored = scratchnet::io::load(&model).unwrap().info.settings.expect("the model keeps its settings");
    assert_eq!(Value::from(stored), expected);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_config_file_run_resumes_with_its_settings_even_if_the_file_changes() {
    let dir = temp_dir("resume");
    let (ckpt, report) = (dir.join("c.ckpt"), dir.join("r.json"));
    let file = write(&dir.join("run.toml"), "dataset = \"beans-line\"\nepochs = 6\nlr = 0.2\n");
    let (c, r) = (ckpt.to_str().unwrap(), report.to_str().unwrap());
    run_ok(&[
        "train",
        &file,
        "--batch-size",
        "5",
        "--checkpoint-every",
        "3",
        "--checkpoint",
        c,
        "--report",
        r,
    ]);
    std::fs::remove_file(&report).unwrap();
    write(&dir.join("run.toml"), "dataset = \"gender\"\nepochs = 99\n");
    assert_refused(&["train", &file, "--resume", c], "remove the config file");
    let printed = run_ok(&["train", "--resume", c]);
    assert!(printed.contains("resuming at epoch") && printed.contains("dataset beans-line"), "{printed}");
    let settings = &read_json(&report)["settings"];
    assert_eq!(
        (&settings["epochs"], &settings["lr"], &settings["batch-size"]),
        (&6.into(), &0.2.into(), &5.into())
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// An MNIST-like set of `n` images: class k is a bright vertical bar at column 3k + 6.
fn write_mnist(dir: &Path, n: usize) {
    let mut rng = scratchnet::Rng::new(5);
    let (mut images, mut labels) = (Vec::new(), Vec::new());
    for i in 0..n {
        let label = i % 10;
        labels.push(label as u8);
        for _y in 0..28 {
            images.extend((0..28).map(|x| if x / 3 == label + 2 { 180 } else { rng.below(40) as u8 }));
        }
    }
    let names = [
        "train-images-idx3-ubyte",
        "train-labels-idx1-ubyte",
        "t10k-images-idx3-ubyte",
        "t10k-labels-idx1-ubyte",
    ];
    for (k, name) in names.iter().enumerate() {
        let bytes = if k % 2 == 0 { idx::encode(&[n, 28, 28], &images) } else { idx::encode(&[n], &labels) };
        std::fs::File::create(dir.join(name)).unwrap().write_all(&bytes).unwrap();
    }
}

#[test]
fn the_examples_give_the_runs_their_flags_give() {
    let dir = temp_dir("examples");
    write_mnist(&dir, 120);
    let d = dir.to_str().unwrap();
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    for (example, flags) in
        [("mnist-default.toml", vec![]), ("tutorial-001.toml", vec!["--preset", "tutorial"])]
    {
        let (from_file, from_flags) = (dir.join("file.json"), dir.join("flags.json"));
        let path = examples.join(example);
        run_ok(&["train", path.to_str().unwrap(), "--data-dir", d, "--report", from_file.to_str().unwrap()]);
        let args =
            [&["train", "--data-dir", d, "--report", from_flags.to_str().unwrap()][..], &flags].concat();
        run_ok(&args);
        let (file, flags) = (read_json(&from_file), read_json(&from_flags));
        assert_eq!(file["settings"], flags["settings"], "{example}");
        assert_eq!(
            file["epochs"].as_array().unwrap().len(),
            file["settings"]["epochs"].as_u64().unwrap() as usize
        );
        assert_eq!(file["train_loss"], flags["train_loss"], "{example}: the same settings train the same");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Every key both reports hold has the same value in each (the same quantity, the same name).
fn assert_same_shared_keys(train: &Value, eval: &Value) -> Vec<String> {
    let (train, eval) = (train.as_object().unwrap(), eval.as_object().unwrap());
    let shared: Vec<String> = train.keys().filter(|k| eval.contains_key(*k)).cloned().collect();
    for key in shared.iter().filter(|k| *k != "command") {
        assert_eq!(train[key], eval[key], "`{key}` differs between train and eval");
    }
    assert_eq!((&train["command"], &eval["command"]), (&"train".into(), &"eval".into()));
    shared
}

#[test]
fn train_and_eval_reports_use_one_name_per_quantity() {
    let dir = temp_dir("schema");
    for (dataset, measured) in [("beans-hill", "test_accuracy"), ("beans-line", "rmse")] {
        let (model, train, eval) = (dir.join("m.safetensors"), dir.join("t.json"), dir.join("e.json"));
        let m = model.to_str().unwrap();
        run_ok(&["train", "--dataset", dataset, "--save", m, "--report", train.to_str().unwrap()]);
        run_ok(&["eval", "--model", m, "--report", eval.to_str().unwrap()]);
        let (train, eval) = (read_json(&train), read_json(&eval));
        let mut shared = assert_same_shared_keys(&train, &eval);
        shared.sort();
        let expected = [
            "command",
            "dataset",
            "mae",
            "report_version",
            "rmse",
            "settings",
            "test_accuracy",
            "test_loss",
            "test_samples",
        ];
        assert_eq!(shared, expected, "{dataset}");
        assert_eq!(train["report_version"], 2);
        assert!(train[measured].is_number() && eval[measured].is_number(), "{dataset}: {measured}");
        for old in ["accuracy", "samples", "loss"] {
            assert!(eval.get(old).is_none(), "eval still writes `{old}`");
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Prices in euros: 20,000 + 3,000 per room + 50 per square metre, with noise.
fn prices_csv() -> String {
    let mut rng = scratchnet::Rng::new(8);
    let mut text = String::from("rooms,area,price\n");
    for _ in 0..300 {
        let (rooms, area) = (1 + rng.below(5), 30 + rng.below(120));
        let price = 20_000.0
            + 3_000.0 * rooms as f64
            + 50.0 * area as f64
            + 500.0 * (rng.below(100) as f64 / 50.0 - 1.0);
        text += &format!("{rooms},{area},{price:.0}\n");
    }
    text
}

#[test]
fn training_a_regression_prints_its_errors_in_the_targets_units_as_eval_does() {
    let dir = temp_dir("regression");
    let csv = write(&dir.join("prices.csv"), &prices_csv());
    let dataset = format!("csv:{csv}");
    let (model, train, eval) = (dir.join("m.safetensors"), dir.join("t.json"), dir.join("e.json"));
    let m = model.to_str().unwrap();
    let printed = run_ok(&["train", "--dataset", &dataset, "--save", m, "--report", train.to_str().unwrap()]);
    let line = printed.lines().find(|l| l.starts_with("test: loss")).expect("a test line");
    assert!(line.contains("in the target's own units: RMSE "), "{printed}");
    let train = read_json(&train);
    let (rmse, loss) = (train["rmse"].as_f64().unwrap(), train["test_loss"].as_f64().unwrap());
    assert!(
        line.contains(&format!("RMSE {rmse:.5}, mean absolute error {:.5}", train["mae"].as_f64().unwrap()))
    );
    // The loss is on the standardised price; RMSE = √loss × the price's spread (about 4,500 €)
    let spread = rmse / loss.sqrt();
    assert!((1_000.0..20_000.0).contains(&spread), "RMSE {rmse} is not in euros (loss {loss})");
    let printed = run_ok(&["eval", "--model", m, "--report", eval.to_str().unwrap()]);
    let in_units = line.split("; ").nth(1).unwrap();
    assert!(printed.contains(in_units), "eval printed otherwise: {printed}\ntrain: {line}");
    assert_same_shared_keys(&train, &read_json(&eval));
    std::fs::remove_dir_all(&dir).unwrap();
}
