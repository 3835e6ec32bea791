//! The command line in Chinese (issue 14): how the language is chosen (`--lang`, then
//! `SCRATCHNET_LANG`, then the locale), and `train`, `eval`, `predict`, `--plots` and the errors
//! users meet, in Chinese with exactly the numbers the English output has.
//!
//! Every run starts from an environment without the four variables that choose the language,
//! so the machine's own locale cannot decide a test.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The variables that choose the language.
const LANG_VARS: [&str; 4] = ["SCRATCHNET_LANG", "LC_ALL", "LC_MESSAGES", "LANG"];

/// The binary with `args`, none of [`LANG_VARS`] but those in `env`.
fn command(args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_scratchnet"));
    for var in LANG_VARS {
        cmd.env_remove(var);
    }
    cmd.envs(env.iter().copied()).args(args).stdout(Stdio::piped()).stderr(Stdio::piped());
    cmd
}

fn run_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    command(args, env).output().expect("the binary runs")
}

fn run(args: &[&str]) -> Output {
    run_env(args, &[])
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Standard output of a run that must succeed.
#[track_caller]
fn ok(args: &[&str]) -> String {
    let out = run(args);
    assert!(out.status.success(), "{args:?} failed: {}", stderr(&out));
    stdout(&out)
}

fn has_chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// A fresh folder for one test.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("scratchnet-lang-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A small three-class table: two numeric features and a colour; the class follows `a`.
fn write_classes(dir: &Path) -> PathBuf {
    let mut text = String::from("a,b,colour,kind\n");
    for i in 0..90 {
        let class = i % 3;
        let a = class as f64 * 2.0 + (i * 7 % 10) as f64 / 10.0;
        let b = (i * 13 % 10) as f64 / 10.0;
        let colour = ["red", "green"][i % 2];
        text += &format!("{a},{b},{colour},{}\n", ["cat", "dog", "fox"][class]);
    }
    let file = dir.join("animals.csv");
    std::fs::write(&file, text).unwrap();
    file
}

/// The numbers of a line, in order: runs of digits with their decimal point, exponent and sign.
fn numbers(line: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut current = String::new();
    for c in line.chars().chain([' ']) {
        let continues = !current.is_empty() && matches!(c, 'e' | '-' | '+' | '.');
        if c.is_ascii_digit() || continues {
            current.push(c);
        } else {
            let number = current.trim_end_matches(|c: char| !c.is_ascii_digit());
            if !number.is_empty() {
                found.push(number.to_string());
            }
            current.clear();
        }
    }
    found
}

/// The numbers of the English and the Chinese output, line by line, without the times (the
/// last number of an epoch line, all but the first of the "trained N epochs" line), which
/// differ from run to run.
fn numbers_without_times(output: &str, english: &str) -> Vec<Vec<String>> {
    output
        .lines()
        .zip(english.lines())
        .map(|(line, en)| {
            let mut n = numbers(line);
            if en.starts_with("epoch ") {
                n.pop();
            } else if en.starts_with("trained ") {
                n.truncate(1);
            }
            n
        })
        .collect()
}

#[test]
fn the_number_finder_keeps_signs_decimals_and_exponents() {
    assert_eq!(
        numbers("epoch 3/20  loss 0.1234  lr 5.00e-1  0.02s"),
        ["3", "20", "0.1234", "5.00e-1", "0.02"]
    );
    assert_eq!(numbers("第 3/20 轮  训练损失 -0.5（[1, 2, 1]）"), ["3", "20", "0.5", "1", "2", "1"]);
    assert_eq!(numbers("beans-hill: 54.00%"), ["54.00"]);
}

#[test]
fn train_in_chinese_prints_the_same_numbers_as_in_english() {
    let dir = temp_dir("train");
    let csv = format!("csv:{}", path(&write_classes(&dir)));
    let args = ["train", "--dataset", csv.as_str(), "--epochs", "12", "--batch-size", "8"];
    let en = ok(&[&args[..], &["--lang", "en"]].concat());
    let zh = ok(&[&args[..], &["--lang", "zh"]].concat());
    assert!(!has_chinese(&en), "English output holds Chinese: {en}");
    assert_eq!(en.lines().count(), zh.lines().count(), "en:\n{en}\nzh:\n{zh}");
    for (e, z) in en.lines().zip(zh.lines()) {
        let settings = e.starts_with("  ") && e.contains('='); // `key=value` lines: flag names
        assert!(settings || has_chinese(z), "not Chinese: {z:?} (English: {e:?})");
    }
    assert_eq!(numbers_without_times(&zh, &en), numbers_without_times(&en, &en), "en:\n{en}\nzh:\n{zh}");
    for words in
        ["数据集 csv:", "训练集", "验证集", "测试集", "网络 [", "学习率", "设置：", "第  1/12 轮", "训练损失"]
    {
        assert!(zh.contains(words), "{words:?} missing from:\n{zh}");
    }
    assert!(zh.contains("测试集：准确率 ") && zh.contains("训练了 12 轮，用时 "), "{zh}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_environment_chooses_the_language_when_no_flag_does() {
    let chinese = "课程列表";
    let english = "The lessons, in the tutorials' order";
    let cases: [(&[(&str, &str)], &str); 6] = [
        (&[("SCRATCHNET_LANG", "zh")], chinese),
        (&[("LANG", "zh_CN.UTF-8")], chinese),
        (&[("LC_MESSAGES", "zh_TW.UTF-8"), ("LANG", "en_US.UTF-8")], chinese),
        (&[("LANG", "en_US.UTF-8")], english),
        (&[("LC_ALL", "C"), ("LANG", "zh_CN.UTF-8")], english), // LC_ALL wins
        (&[("SCRATCHNET_LANG", "en"), ("LANG", "zh_CN.UTF-8")], english),
    ];
    for (env, expected) in cases {
        let out = run_env(&["lesson"], env);
        assert!(out.status.success() && stdout(&out).contains(expected), "{env:?}: {}", stdout(&out));
    }
    let flag_wins = run_env(&["lesson", "--lang", "en"], &[("SCRATCHNET_LANG", "zh")]);
    assert!(stdout(&flag_wins).contains(english), "{}", stdout(&flag_wins));
    assert!(stdout(&run(&["lesson"])).contains(english), "nothing set: English");
}

#[test]
fn a_language_we_do_not_speak_is_one_clear_error() {
    for (args, env, said) in [
        (&["lesson", "--lang", "fr"][..], &[][..], "unknown --lang value `fr`; expected one of: en, zh"),
        (&["--lang=fr", "lesson"][..], &[][..], "unknown --lang value `fr`"),
        (&["lesson"][..], &[("SCRATCHNET_LANG", "fr")][..], "unknown SCRATCHNET_LANG value `fr`"),
    ] {
        let out = run_env(args, env);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.starts_with(&format!("error: {said}")), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 2, "one error and its hint: {err}");
        assert!(err.contains("hint: use one of the names listed above") && stdout(&out).is_empty(), "{err}");
    }
    // said in the language the environment asks for
    let out = run_env(&["lesson", "--lang", "fr"], &[("LANG", "zh_CN.UTF-8")]);
    assert!(
        stderr(&out).starts_with("错误：没有名为 `fr` 的语言（--lang 的取值）；可选的有：en, zh"),
        "{}",
        stderr(&out)
    );
}

/// A user mistake with `--lang zh`: both lines in Chinese, each holding `said`.
#[track_caller]
fn assert_chinese_error(args: &[&str], env: &[(&str, &str)], said: &str, hint: &str) {
    let out = run_env(&[args, &["--lang", "zh"]].concat(), env);
    let err = stderr(&out);
    assert!(!out.status.success(), "{args:?} should fail");
    let lines: Vec<&str> =
        err.lines().filter(|l| l.starts_with("错误：") || l.starts_with("提示：")).collect();
    assert!(lines.len() == 2 && lines[0].starts_with("错误：") && lines[1].starts_with("提示："), "{err}");
    assert!(err.contains(said) && lines[1].contains(hint), "{said:?} / {hint:?} missing from: {err}");
    assert!(!err.contains("error:") && !err.contains("hint:") && !err.contains("panicked"), "{err}");
}

#[test]
fn the_errors_users_meet_are_chinese_with_their_hints() {
    let dir = temp_dir("errors");
    let missing = dir.join("nope.csv");
    let missing_csv = format!("csv:{}", path(&missing));
    assert_chinese_error(&["train", "--dataset", &missing_csv], &[], path(&missing), "检查这个路径是否存在");
    let ragged = dir.join("ragged.csv");
    std::fs::write(&ragged, "a,b,y\n1,2,0\n3,4\n5,6,1\n").unwrap();
    let ragged_csv = format!("csv:{}", path(&ragged));
    assert_chinese_error(
        &["train", "--dataset", &ragged_csv],
        &[],
        "第 3 行有 2 个字段，但表头有 3 个",
        "文件已损坏",
    );
    let gap = dir.join("gap.csv");
    std::fs::write(&gap, "a,b,y\n1,2,0\n3,,1\n5,6,1\n").unwrap();
    let gap_csv = format!("csv:{}", path(&gap));
    assert_chinese_error(&["train", "--dataset", &gap_csv], &[], "第 3 行：列 `b` 的值缺失", "文件已损坏");
    let target = ["train", "--dataset", &gap_csv, "--target", "z"];
    assert_chinese_error(&target, &[], "没有名为 `z` 的列；现有的列是：a, b, y", "文件已损坏");
    // wrong flags and shapes
    assert_chinese_error(
        &["train", "--dataset", "gender", "--layers", "3,2,1"],
        &[],
        "数据有 2 个输入特征",
        "第一层",
    );
    assert_chinese_error(&["train", "--epochs", "0"], &[], "轮数至少是 1", "改正上面指出的那个值");
    assert_chinese_error(
        &["train", "--dataset", "mnsit"],
        &[],
        "没有名为 `mnsit` 的数据集",
        "上面列出的名字",
    );
    // a damaged model file
    let model = dir.join("model.safetensors");
    std::fs::write(&model, b"not a model").unwrap();
    assert_chinese_error(
        &["eval", "--model", path(&model)],
        &[],
        "不是 safetensors 文件",
        "scratchnet train --save FILE",
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn mistakes_on_the_command_line_are_chinese_and_english_keeps_clap_s_words() {
    let cases: [(&[&str], &str, &str); 5] = [
        (&["train", "--lr", "-1", "--lang", "zh"], "`--lr <LR>` 的值 `-1` 不可用：`-1` 不是正数", ""),
        (&["train", "--sav", "m", "--lang", "zh"], "没有这个参数：`--sav`", "有一个相近的：`--save`"),
        (&["trian", "--lang", "zh"], "没有这个命令：`trian`", "有一个相近的：`train`"),
        (&["eval", "--lang", "zh"], "缺少：--model <MODEL>", "用法：scratchnet eval"),
        (&["train", "--layers", "--lang", "zh"], "`--layers <LAYERS>` 后面要跟一个值", ""),
    ];
    for (args, said, also) in cases {
        let out = run(args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.starts_with(&format!("错误：{said}")), "{args:?}: {err}");
        assert!(err.contains(also) && err.contains("--help"), "{args:?}: {err}");
        assert!(!err.contains("error:") && !err.contains("panicked"), "{args:?}: {err}");
    }
    // In English, clap's own text (and its exit status) as users of other tools know it.
    let out = run(&["train", "--sav", "m"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).starts_with("error: unexpected argument '--sav' found"), "{}", stderr(&out));
    assert!(!has_chinese(&stderr(&out)));
    // --help stays clap's English in both languages, and succeeds.
    let help = run(&["train", "--help", "--lang", "zh"]);
    assert!(help.status.success() && stdout(&help).contains("Usage: scratchnet train"));
}

#[test]
fn missing_data_offline_and_a_failed_download_are_chinese() {
    let dir = temp_dir("data");
    let (home, empty) = (dir.join("home"), dir.join("empty"));
    std::fs::create_dir_all(&empty).unwrap();
    let env = [("HOME", path(&home)), ("XDG_CACHE_HOME", path(&home)), ("SCRATCHNET_DATA", path(&empty))];
    let train = ["train", "--dataset", "mnist", "--data-dir", path(&empty)];
    assert_chinese_error(&train, &env, "找不到 mnist 数据集的文件", "--data-dir 指明了文件的位置");
    let offline = ["train", "--dataset", "fashion-mnist", "--offline"];
    assert_chinese_error(
        &offline,
        &env,
        "没有这个文件夹",
        "下载已关闭（--offline）：去掉 --offline，即可自动下载",
    );
    // nothing listens on port 9 of the loopback address: the one address given fails at once
    let download = ["data", "download", "mnist", "--dir", path(&empty), "--base-url", "http://127.0.0.1:9/"];
    let env = [("HOME", path(&home)), ("SCRATCHNET_MIRROR", "")];
    assert_chinese_error(
        &download,
        &env,
        "无法下载 train-images-idx3-ubyte.gz 以及另外 3 个文件（目标文件夹 ",
        "SCRATCHNET_MIRROR=URL",
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn eval_and_predict_answer_in_chinese_with_the_same_numbers() {
    let dir = temp_dir("eval");
    let csv = write_classes(&dir);
    let (model, dataset) = (dir.join("m.safetensors"), format!("csv:{}", path(&csv)));
    ok(&["train", "--dataset", &dataset, "--epochs", "30", "--batch-size", "8", "--save", path(&model)]);
    let eval = |lang: &str| ok(&["eval", "--model", path(&model), "--lang", lang]);
    let (en, zh) = (eval("en"), eval("zh"));
    assert_eq!(zh.lines().map(numbers).collect::<Vec<_>>(), en.lines().map(numbers).collect::<Vec<_>>());
    for words in ["的测试集", "准确率 ", "精确率", "召回率", "混淆矩阵"] {
        assert!(zh.contains(words), "{words:?} missing from:\n{zh}");
    }
    assert!(!has_chinese(&en), "{en}");
    // the scores table is aligned by display width: every row as wide as its header
    let table: Vec<&str> = zh.lines().skip_while(|l| !l.contains("精确率")).take(4).collect();
    let width = |s: &str| s.chars().map(|c| if has_chinese(&c.to_string()) { 2 } else { 1 }).sum::<usize>();
    assert!(table.iter().all(|l| width(l) == width(table[0])), "{table:#?}");
    let predict = |lang: &str| ok(&["predict", "--model", path(&model), "--lang", lang, "4.5", "0.3", "red"]);
    let (en, zh) = (predict("en"), predict("zh"));
    assert_eq!(zh.lines().map(numbers).collect::<Vec<_>>(), en.lines().map(numbers).collect::<Vec<_>>());
    assert!(zh.starts_with("(4.5, 0.3, red)：fox\n") && en.starts_with("(4.5, 0.3, red): fox\n"), "{en}{zh}");
    let unknown = ["predict", "--model", path(&model), "4.5", "0.3", "blue"];
    assert_chinese_error(
        &unknown,
        &[],
        "列 `colour` 中的 `blue` 不是模型训练时见过的类别",
        "--allow-unknown",
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_yes_no_model_answers_in_chinese() {
    let dir = temp_dir("binary");
    let model = dir.join("m.safetensors");
    ok(&["train", "--dataset", "gender", "--epochs", "300", "--save", path(&model)]);
    let zh = ok(&["predict", "--model", path(&model), "--lang", "zh", "--", "-7", "-3"]);
    assert!(zh.starts_with("(-7, -3)：是（“是”的概率 ") && zh.trim_end().ends_with("%）"), "{zh}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn train_plots_in_chinese_draws_the_pictures_with_chinese_words() {
    let dir = temp_dir("plots");
    let draw = |lang: &str| {
        let out = dir.join(lang);
        let printed = ok(&[
            "train",
            "--dataset",
            "beans-hill",
            "--epochs",
            "20",
            "--plots",
            path(&out),
            "--lang",
            lang,
        ]);
        (out, printed)
    };
    let ((en_dir, _), (zh_dir, zh)) = (draw("en"), draw("zh"));
    for name in ["loss.png", "accuracy.png", "fit.png"] {
        let (en, zh_png) =
            (std::fs::read(en_dir.join(name)).unwrap(), std::fs::read(zh_dir.join(name)).unwrap());
        assert!(zh_png.starts_with(b"\x89PNG") && zh_png.len() > 5000, "{name}");
        assert_ne!(en, zh_png, "{name}: the same numbers, other words");
        assert!(zh.contains(&format!("已写入 {}", path(&zh_dir.join(name)))), "{zh}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn resume_takes_lang_and_speaks_the_current_language() {
    let dir = temp_dir("resume");
    let checkpoint = dir.join("run.safetensors");
    let args =
        ["--lang", "en", "train", "--dataset", "beans-hill", "--epochs", "3", "--checkpoint-every", "2"];
    let first = ok(&[&args[..], &["--checkpoint", path(&checkpoint)]].concat());
    assert!(first.contains("checkpoint: ") && first.contains("(after epoch 2)"), "{first}");
    let resumed = ok(&["train", "--resume", path(&checkpoint), "--lang", "zh"]);
    assert!(resumed.starts_with("从第 3 轮第 0 批接着训练（检查点 "), "{resumed}");
    assert!(resumed.contains("第 3/3 轮") && !resumed.contains("epoch 3/3"), "{resumed}");
    let refused = run(&["train", "--resume", path(&checkpoint), "--epochs", "9"]);
    assert!(stderr(&refused).contains("(only --dashboard, --dashboard-addr and --lang may be added)"));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// SIGTERM during a Chinese run: the handler's line, the error and the resume command.
#[cfg(unix)]
#[test]
fn an_interrupted_run_says_so_in_chinese() {
    use std::io::{BufRead, BufReader, Read};
    let dir = temp_dir("signal");
    let (csv, checkpoint) = (write_classes(&dir), dir.join("run.safetensors"));
    let dataset = format!("csv:{}", path(&csv));
    let args = ["train", "--dataset", &dataset, "--epochs", "1000000", "--batch-size", "1", "--lang", "zh"];
    let mut child =
        command(&[&args[..], &["--checkpoint", path(&checkpoint)]].concat(), &[]).spawn().unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut printed = String::new();
    while !printed.lines().any(|l| l.starts_with("第 ")) {
        assert!(out.read_line(&mut printed).unwrap() > 0, "ended before its first epoch: {printed}");
    }
    // SAFETY: kill(2) with a live child's pid and a valid signal number
    assert_eq!(unsafe { libc::kill(i32::try_from(child.id()).unwrap(), libc::SIGTERM) }, 0);
    out.read_to_string(&mut printed).unwrap();
    let status = child.wait().unwrap();
    let mut err = String::new();
    child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    assert_eq!(status.code(), Some(143), "{err}");
    assert!(err.contains("SIGTERM：先把这一批训练完，再保存检查点"), "{err}");
    assert!(
        err.contains("被 SIGTERM 中断")
            && err.contains(&format!("scratchnet train --resume {}", path(&checkpoint)))
    );
    assert!(err.contains("提示：接着训练完成后得到的权重") && checkpoint.is_file(), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}
