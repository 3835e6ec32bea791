//! The `scratchnet` binary as a user meets it: lessons, training, reports, and mistakes.

use std::process::{Command, Output};

/// The binary in English, whatever the machine's locale (tests/lang.rs tests the choice).
fn scratchnet(args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_scratchnet"));
    command.env("SCRATCHNET_LANG", "en").args(args).output().expect("the binary runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A user mistake: non-zero exit, a message containing `expected`, and no panic.
#[track_caller]
fn assert_user_error(args: &[&str], expected: &str) {
    let out = scratchnet(args);
    let err = stderr(&out);
    assert!(!out.status.success(), "{args:?} should fail; stdout: {}", stdout(&out));
    assert!(err.contains(expected), "{args:?}: expected {expected:?} in: {err}");
    assert!(!err.contains("panicked") && !err.contains("RUST_BACKTRACE"), "{args:?} panicked: {err}");
}

#[test]
fn lesson_neuron_prints_the_tutorials_value() {
    let out = scratchnet(&["lesson", "neuron"]);
    assert!(out.status.success());
    assert!(stdout(&out).contains("0.9990889488055994"));
}

#[test]
fn lesson_without_a_name_lists_every_lesson() {
    let out = stdout(&scratchnet(&["lesson"]));
    for name in ["perceptron", "neuron", "forward", "mse", "chain-rule", "gender"] {
        assert!(out.contains(&format!("  {name} ")), "{name} missing from: {out}");
    }
}

#[test]
fn lesson_gender_accepts_a_seed() {
    let a = stdout(&scratchnet(&["lesson", "gender", "--seed", "5"]));
    let b = stdout(&scratchnet(&["lesson", "gender", "--seed", "6"]));
    assert!(a.contains("Epoch 1000 loss:") && a != b);
}

#[test]
fn an_unknown_lesson_lists_the_real_ones() {
    assert_user_error(&["lesson", "nueron"], "unknown lesson `nueron`; expected one of: perceptron, neuron");
}

#[test]
fn train_gender_learns_and_writes_the_report() {
    let dir = std::env::temp_dir().join(format!("scratchnet-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let report = dir.join("report.json");
    let out = scratchnet(&[
        "train",
        "--dataset",
        "gender",
        "--epochs",
        "300",
        "--report",
        report.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("train: accuracy 100.00% of 4"), "{}", stdout(&out));
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(json["dataset"], "gender");
    assert_eq!(json["layers"], serde_json::json!([2, 2, 1]));
    assert_eq!(json["seed"], 42);
    let epochs = json["epochs"].as_array().unwrap();
    assert_eq!(epochs.len(), 300);
    assert_eq!(epochs[0]["epoch"], 1);
    assert!(epochs[0]["train_loss"].as_f64().unwrap() > 0.0 && epochs[0]["train_seconds"].is_number());
    assert_eq!(json["train_accuracy"], 1.0, "four people, learned: {json}");
    assert!(json["test_accuracy"].is_null(), "gender has no test set");
    assert!(json["samples_per_second"].as_f64().unwrap() > 0.0 && json["train_seconds_total"].is_number());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn train_beans_reports_test_accuracy() {
    let out = scratchnet(&["train", "--dataset", "beans-hill", "--epochs", "300"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("test: accuracy"), "{}", stdout(&out));
    let out =
        scratchnet(&["train", "--dataset", "beans-line", "--optimizer", "momentum", "--schedule", "cosine"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn the_same_seed_prints_the_same_run() {
    let args =
        ["train", "--dataset", "beans-hill", "--epochs", "50", "--batch-size", "8", "--optimizer", "adam"];
    let strip_times =
        |s: String| s.lines().map(|l| l.split("  lr").next().unwrap().to_string()).collect::<Vec<_>>();
    let a = strip_times(stdout(&scratchnet(&args)));
    let b = strip_times(stdout(&scratchnet(&args)));
    assert_eq!(a[..a.len() - 1], b[..b.len() - 1], "all but the timing line");
}

#[test]
fn bad_layer_sizes_are_refused_with_a_clear_message() {
    assert_user_error(&["train", "--layers", "2,0,1"], "layer size 1 in [2, 0, 1] is 0");
    assert_user_error(&["train", "--layers", "2,x,1"], "`x` in `2,x,1` is not a whole number");
    assert_user_error(&["train", "--layers", "2"], "at least two layer sizes");
    // The first size must match the data's width, the last its targets.
    assert_user_error(
        &["train", "--dataset", "gender", "--layers", "3,2,1"],
        "the data has 2 input features but the network's first layer expects 3",
    );
    assert_user_error(
        &["train", "--dataset", "gender", "--layers", "2,2,3"],
        "gender has 1 target column(s) but the network's last layer has 3 output(s)",
    );
}

#[test]
fn a_learning_rate_must_be_a_positive_number() {
    for lr in ["-1", "0", "abc", "nan", "inf"] {
        assert_user_error(&["train", "--lr", lr], "is not a positive number");
    }
}

#[test]
fn other_bad_flags_name_the_problem() {
    assert_user_error(&["train", "--dataset", "mnsit"], "unknown dataset `mnsit`");
    assert_user_error(
        &["train", "--activation", "rleu"],
        "unknown activation `rleu`; expected one of: identity, sigmoid, tanh, relu, softmax",
    );
    assert_user_error(&["train", "--optimizer", "adamw"], "unknown optimizer `adamw`");
    assert_user_error(&["train", "--epochs", "0"], "epochs must be at least 1");
    assert_user_error(&["train", "--batch-size", "0"], "the batch size must be at least 1");
    assert_user_error(&["train", "--schedule", "linear"], "unknown schedule `linear`");
    assert_user_error(&["train", "--threads", "0"], "--threads must be at least 1");
    assert_user_error(
        &["train", "--optimizer", "momentum", "--momentum", "1.5"],
        "momentum must be in [0, 1)",
    );
}

#[test]
fn errors_come_with_a_hint() {
    let out = scratchnet(&["train", "--epochs", "0"]);
    assert!(stderr(&out).contains("hint: "), "{}", stderr(&out));
}

#[test]
fn a_report_in_a_missing_folder_is_an_error_not_a_panic() {
    assert_user_error(
        &["train", "--epochs", "2", "--report", "/nonexistent-dir/r.json"],
        "/nonexistent-dir/r.json",
    );
}

#[test]
fn train_plots_draws_the_loss_and_the_learned_curve() {
    let dir = std::env::temp_dir().join(format!("scratchnet-cli-plots-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let out =
        scratchnet(&["train", "--dataset", "beans-hill", "--epochs", "20", "--plots", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    for name in ["loss.png", "accuracy.png", "fit.png"] {
        let bytes = std::fs::read(dir.join(name)).unwrap();
        assert!(bytes.starts_with(b"\x89PNG") && bytes.len() > 5000, "{name}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn lesson_flags_that_do_not_apply_are_refused() {
    assert_user_error(&["lesson", "neuron", "--out", "/tmp/x"], "lesson neuron prints only");
    assert_user_error(&["lesson", "descent", "--epochs", "5"], "lesson descent has no --epochs");
    assert_user_error(&["lesson", "hidden-layer", "--epochs", "0"], "--epochs must be at least 1");
}

#[test]
fn a_picture_folder_that_cannot_be_made_is_an_error() {
    // a file where the folder should be
    let file = std::env::temp_dir().join(format!("scratchnet-not-a-dir-{}", std::process::id()));
    std::fs::write(&file, b"x").unwrap();
    let dir = file.join("pics");
    assert_user_error(&["lesson", "surface", "--out", dir.to_str().unwrap()], "pics");
    std::fs::remove_file(&file).unwrap();
}

#[test]
fn the_reference_engine_refuses_threads_before_loading_data() {
    // the default dataset is MNIST: refused before looking for it
    let args = ["train", "--engine", "reference", "--threads", "2"];
    assert_user_error(&args, "the reference engine runs on one thread");
    assert_user_error(&args, "use --engine fast for threads");
    assert_user_error(&["train", "--engine", "bogus"], "[possible values: reference, fast]");
}

#[test]
fn both_engines_train_and_the_report_says_which_ran() {
    let dir = std::env::temp_dir().join(format!("scratchnet-cli-engines-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (engine, threads, header) in
        [("reference", None, "engine reference, 1 thread"), ("fast", Some("2"), "engine fast, 2 threads")]
    {
        let report = dir.join(format!("{engine}.json"));
        let mut args = vec!["train", "--dataset", "beans-line", "--epochs", "5", "--engine", engine];
        args.extend(["--report", report.to_str().unwrap()]);
        args.extend(threads.map(|n| ["--threads", n]).into_iter().flatten());
        let out = scratchnet(&args);
        assert!(out.status.success(), "{engine}: {}", stderr(&out));
        assert!(stdout(&out).contains(header), "{header:?} missing from: {}", stdout(&out));
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
        assert_eq!(json["engine"], engine);
        assert_eq!(json["threads"], threads.map_or(1, |n| n.parse().unwrap()));
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
