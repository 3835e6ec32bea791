//! `--dataset csv:PATH` end to end on files the tests write: classification with a categorical
//! column, regression, missing values; then save, eval and predict on the saved model.

use std::path::PathBuf;
use std::process::{Command, Output};

fn scratchnet(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_scratchnet")).args(args).output().expect("the binary runs")
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("scratchnet-csv-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// 400 fruit: weight (g), colour (text), "ripe" days; the kind depends on weight and colour.
fn fruit_csv() -> String {
    let mut text = String::from("weight,colour,days,kind\n");
    for i in 0..400u32 {
        let colour = ["red", "green", "yellow"][(i % 3) as usize];
        let weight = 80 + (i * 37) % 150;
        let kind = match (colour, weight > 150) {
            ("yellow", _) => "banana",
            (_, true) => "apple",
            _ => "plum",
        };
        text += &format!("{weight},{colour},{},{kind}\n", (i * 7) % 10);
    }
    text
}

#[test]
fn classification_with_a_categorical_column_then_save_eval_predict() {
    let dir = temp_dir("fruit");
    let csv = dir.join("fruit.csv");
    std::fs::write(&csv, fruit_csv()).unwrap();
    let model = dir.join("fruit.safetensors");
    let dataset = format!("csv:{}", csv.display());
    let out =
        scratchnet(&["train", "--dataset", &dataset, "--target", "kind", "--save", model.to_str().unwrap()]);
    let printed = text(&out);
    assert!(out.status.success(), "{printed}");
    assert!(printed.contains("colour (3 categories)") && printed.contains("weight (number)"), "{printed}");
    assert!(printed.contains("classification, 3 classes (apple, banana, plum)"), "{printed}");
    assert!(printed.contains("280 training, 60 validation, 60 test"), "70/15/15 split: {printed}");
    let accuracy: f64 =
        printed.split("test: accuracy ").nth(1).unwrap().split('%').next().unwrap().parse().unwrap();
    assert!(accuracy > 90.0, "{printed}");

    let eval = text(&scratchnet(&["eval", "--model", model.to_str().unwrap()]));
    assert!(eval.contains("fruit.csv test set") || eval.contains("test set"), "{eval}");
    assert!(
        eval.contains(&format!("accuracy {accuracy:.2}%")),
        "eval scores the same test rows: {eval}\n{printed}"
    );
    assert!(eval.contains("banana") && eval.contains("confusion matrix"), "{eval}");

    let predicted = text(&scratchnet(&["predict", "--model", model.to_str().unwrap(), "120", "yellow", "3"]));
    assert!(predicted.starts_with("(120, yellow, 3): banana"), "{predicted}");
    let wrong = scratchnet(&["predict", "--model", model.to_str().unwrap(), "heavy", "red", "1"]);
    assert!(
        !wrong.status.success() && text(&wrong).contains("`heavy` in column `weight` is not a number"),
        "{}",
        text(&wrong)
    );
    let short = scratchnet(&["predict", "--model", model.to_str().unwrap(), "120"]);
    assert!(text(&short).contains("the model expects: weight, colour, days"), "{}", text(&short));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn regression_targets_predict_in_their_own_units() {
    let dir = temp_dir("houses");
    let csv = dir.join("houses.csv");
    let mut text_csv = String::from("rooms,area,price\n");
    for i in 0..300u32 {
        let (rooms, area) = (1 + i % 5, 30.0 + f64::from((i * 13) % 120));
        text_csv +=
            &format!("{rooms},{area},{:.1}\n", 50_000.0 + 2_000.0 * area + 10_000.0 * f64::from(rooms));
    }
    std::fs::write(&csv, text_csv).unwrap();
    let model = dir.join("houses.safetensors");
    let out = scratchnet(&[
        "train",
        "--dataset",
        &format!("csv:{}", csv.display()),
        "--save",
        model.to_str().unwrap(),
    ]);
    assert!(out.status.success() && text(&out).contains("target `price`: regression"), "{}", text(&out));
    let printed = text(&scratchnet(&["predict", "--model", model.to_str().unwrap(), "3", "100"]));
    let value: f64 = printed.rsplit(": ").next().unwrap().trim().parse().unwrap();
    assert!((value - 280_000.0).abs() < 15_000.0, "{printed}");
    let eval = text(&scratchnet(&["eval", "--model", model.to_str().unwrap()]));
    assert!(eval.contains("RMSE"), "{eval}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn missing_values_stop_with_line_and_column_unless_dropped() {
    let dir = temp_dir("missing");
    let csv = dir.join("m.csv");
    let mut text_csv = fruit_csv();
    text_csv = text_csv.replacen("\n80,red", "\nNA,red", 1);
    std::fs::write(&csv, &text_csv).unwrap();
    let dataset = format!("csv:{}", csv.display());
    let out = scratchnet(&["train", "--dataset", &dataset, "--epochs", "2"]);
    let printed = text(&out);
    assert!(
        !out.status.success() && printed.contains("line 2: the value of column `weight` is missing"),
        "{printed}"
    );
    assert!(printed.contains("--drop-missing"), "{printed}");
    let out = scratchnet(&["train", "--dataset", &dataset, "--epochs", "2", "--drop-missing"]);
    assert!(
        out.status.success() && text(&out).contains("dropped 1 rows with missing values"),
        "{}",
        text(&out)
    );
    let out = scratchnet(&["train", "--dataset", &dataset, "--target", "nope"]);
    assert!(
        text(&out).contains("there is no column `nope`; the columns are: weight, colour, days, kind"),
        "{}",
        text(&out)
    );
    let out = scratchnet(&["train", "--dataset", "csv:/nonexistent.csv"]);
    assert!(!out.status.success() && text(&out).contains("/nonexistent.csv"), "{}", text(&out));
    std::fs::remove_dir_all(&dir).unwrap();
}
