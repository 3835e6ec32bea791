//! Never lose a run: Ctrl-C and crashes at any moment, then `--resume`, end with the same
//! weights, bit for bit, as a run that was never interrupted; divergence and interrupted saves
//! never damage the files already on disk.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use scratchnet::data::idx;

const FILES: [&str; 4] = [
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
];

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("scratchnet-ckpt-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// An MNIST-like set of `n` images: class k is a bright vertical bar at column 3k + 6, on noise.
fn write_data(dir: &Path, n: usize) {
    write_data_seeded(dir, n, 9);
}

fn write_data_seeded(dir: &Path, n: usize, seed: u64) {
    let mut rng = scratchnet::Rng::new(seed);
    let (mut images, mut labels) = (Vec::new(), Vec::new());
    for i in 0..n {
        let label = i % 10;
        labels.push(label as u8);
        for _y in 0..28 {
            for x in 0..28 {
                images.push(if x / 3 == label + 2 { 180 } else { rng.below(40) as u8 });
            }
        }
    }
    for (k, name) in FILES.iter().enumerate() {
        let bytes = if k % 2 == 0 { idx::encode(&[n, 28, 28], &images) } else { idx::encode(&[n], &labels) };
        let mut enc = flate2::write::GzEncoder::new(
            std::fs::File::create(dir.join(format!("{name}.gz"))).unwrap(),
            flate2::Compression::fast(),
        );
        enc.write_all(&bytes).unwrap();
        enc.finish().unwrap();
    }
}

fn scratchnet(args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_scratchnet"));
    cmd.env("SCRATCHNET_LANG", "en"); // the tests read English output
    cmd.args(args).stdout(Stdio::piped()).stderr(Stdio::piped());
    cmd
}

fn run(args: &[&str]) -> Output {
    scratchnet(args).output().unwrap()
}

/// The weights of a saved model, as raw bytes (the tensor data after the header).
fn weights(path: &Path) -> Vec<u8> {
    let bytes = std::fs::read(path).unwrap();
    let header = u64::from_le_bytes(bytes[..8].try_into().unwrap()) as usize;
    bytes[8 + header..].to_vec()
}

fn train_args<'a>(data: &'a str, save: &'a str, checkpoint: &'a str) -> Vec<&'a str> {
    vec![
        "train",
        "--data-dir",
        data,
        "--epochs",
        "150",
        "--batch-size",
        "16",
        "--threads",
        "2",
        "--layers",
        "784,64,10",
        "--optimizer",
        "adam",
        "--lr",
        "0.002",
        "--save",
        save,
        "--checkpoint",
        checkpoint,
    ]
}

fn interrupt_after(args: &[&str], delay: Duration) -> Output {
    let child = scratchnet(args).spawn().unwrap();
    std::thread::sleep(delay);
    Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn ctrl_c_then_resume_gives_the_same_weights_bit_for_bit() {
    let dir = temp_dir("resume");
    write_data(&dir, 3000);
    let d = dir.to_str().unwrap();
    let full = dir.join("full.safetensors");
    let out = run(&train_args(d, full.to_str().unwrap(), dir.join("unused.ckpt").to_str().unwrap()));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let reference = weights(&full);

    // interrupted once early, once late, and once twice (resumed runs can be interrupted too)
    for (k, delays) in [vec![150], vec![700], vec![250, 200]].into_iter().enumerate() {
        let (save, ckpt) = (dir.join(format!("part{k}.safetensors")), dir.join(format!("run{k}.ckpt")));
        let (save, ckpt) = (save.to_str().unwrap().to_string(), ckpt.to_str().unwrap().to_string());
        let mut interrupted = 0;
        for (i, &ms) in delays.iter().enumerate() {
            let args: Vec<&str> =
                if i == 0 { train_args(d, &save, &ckpt) } else { vec!["train", "--resume", &ckpt] };
            let out = interrupt_after(&args, Duration::from_millis(ms));
            let stderr = String::from_utf8_lossy(&out.stderr);
            if out.status.code() == Some(130) {
                assert!(stderr.contains(&format!("scratchnet train --resume {ckpt}")), "{stderr}");
                interrupted += 1;
            } else {
                assert!(out.status.success(), "{stderr}"); // the run was over before Ctrl-C came
            }
        }
        assert!(interrupted > 0, "run {k}: no interruption landed; the test needs longer runs");
        if !Path::new(&save).exists() {
            let out = run(&["train", "--resume", &ckpt]);
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            assert!(String::from_utf8_lossy(&out.stdout).contains("resuming at epoch"));
        }
        assert!(
            weights(Path::new(&save)) == reference,
            "run {k} (interrupted after {delays:?} ms) ended differently"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_killed_run_resumes_from_its_last_periodic_checkpoint() {
    let dir = temp_dir("killed");
    write_data(&dir, 2000);
    let d = dir.to_str().unwrap();
    let full = dir.join("full.safetensors");
    let unused = dir.join("unused.ckpt");
    let mut args = train_args(d, full.to_str().unwrap(), unused.to_str().unwrap());
    args.extend(["--checkpoint-every", "5"]);
    let out = run(&args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let (part, ckpt) = (dir.join("part.safetensors"), dir.join("run.ckpt"));
    let mut args = train_args(d, part.to_str().unwrap(), ckpt.to_str().unwrap());
    args.extend(["--checkpoint-every", "5"]);
    let mut child = scratchnet(&args).spawn().unwrap();
    // SIGKILL (no chance to clean up) once a checkpoint exists
    while !ckpt.exists() {
        std::thread::sleep(Duration::from_millis(5));
    }
    std::thread::sleep(Duration::from_millis(60));
    child.kill().unwrap();
    child.wait().unwrap();
    if !part.exists() {
        let out = run(&["train", "--resume", ckpt.to_str().unwrap()]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    assert!(weights(&part) == weights(&full), "the resumed run ended differently");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn resume_refuses_other_flags_and_non_checkpoints() {
    let dir = temp_dir("refuse");
    write_data(&dir, 300);
    let d = dir.to_str().unwrap();
    let (model, ckpt) = (dir.join("m.safetensors"), dir.join("c.ckpt"));
    let mut args = train_args(d, model.to_str().unwrap(), ckpt.to_str().unwrap());
    args.extend(["--epochs", "4", "--checkpoint-every", "2"]);
    args.retain(|a| *a != "150");
    args.remove(args.iter().position(|a| *a == "--epochs").unwrap()); // the first --epochs (now valueless) goes
    let out = run(&args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = run(&["train", "--resume", ckpt.to_str().unwrap(), "--lr", "0.5"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr.contains("remove --lr"), "{stderr}");
    let out = run(&["train", "--resume", model.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("a model file, not a checkpoint"), "{stderr}");
    assert!(stderr.contains("hint: give a checkpoint written by"), "{stderr}");
    // the same number of samples, other pixels: the checkpoint notices
    let other = temp_dir("refuse-other");
    write_data_seeded(&other, 300, 10);
    for name in FILES {
        std::fs::copy(other.join(format!("{name}.gz")), dir.join(format!("{name}.gz"))).unwrap();
    }
    let out = run(&["train", "--resume", ckpt.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("the training data is not the data this run started on"), "{stderr}");
    std::fs::remove_dir_all(&other).unwrap();
    // a checkpoint is also a model: eval reads it
    let out = run(&["eval", "--model", ckpt.to_str().unwrap(), "--data-dir", d]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn divergence_stops_at_once_and_leaves_the_files_on_disk_intact() {
    let dir = temp_dir("diverge");
    write_data(&dir, 600);
    let d = dir.to_str().unwrap();
    let (model, ckpt) = (dir.join("m.safetensors"), dir.join("c.ckpt"));
    let good = |extra: &[&str]| {
        let mut args = vec![
            "train",
            "--data-dir",
            d,
            "--epochs",
            "3",
            "--layers",
            "784,32,10",
            "--checkpoint-every",
            "1",
        ];
        args.extend(["--save", model.to_str().unwrap(), "--checkpoint", ckpt.to_str().unwrap()]);
        args.extend(extra);
        run(&args)
    };
    let out = good(&[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let (model_before, ckpt_before) = (std::fs::read(&model).unwrap(), std::fs::read(&ckpt).unwrap());
    // a learning rate no network survives: the loss overflows within the first epoch
    let out =
        good(&["--lr", "1e6", "--schedule", "constant", "--optimizer", "sgd", "--activation", "identity"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("training diverged at epoch 1, batch"), "{stderr}");
    assert!(stderr.contains("lower the learning rate"), "{stderr}");
    assert_eq!(std::fs::read(&model).unwrap(), model_before, "the saved model is untouched");
    assert_eq!(std::fs::read(&ckpt).unwrap(), ckpt_before, "the last good checkpoint is untouched");
    // gradient clipping keeps the same run finite
    let out = good(&[
        "--lr",
        "1e6",
        "--schedule",
        "constant",
        "--optimizer",
        "sgd",
        "--activation",
        "identity",
        "--clip-grad",
        "1e-8",
        "--weight-decay",
        "0",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn killing_a_run_while_it_saves_never_leaves_a_broken_file() {
    let dir = temp_dir("kill-save");
    write_data(&dir, 200);
    let d = dir.to_str().unwrap();
    let ckpt = dir.join("c.ckpt");
    let model = dir.join("m.safetensors");
    // a large network (2.4 M parameters, 9.6 MB per file, plus Adam's buffers in checkpoints)
    // and a checkpoint after every tiny epoch: the process spends much of its time saving
    let args = [
        "train",
        "--data-dir",
        d,
        "--epochs",
        "400",
        "--batch-size",
        "200",
        "--layers",
        "784,1500,800,10",
        "--optimizer",
        "adam",
        "--checkpoint-every",
        "1",
        "--checkpoint",
        ckpt.to_str().unwrap(),
        "--save",
        model.to_str().unwrap(),
        "--threads",
        "1",
    ];
    let mut rng = scratchnet::Rng::new(4);
    let mut kills = 0;
    for _ in 0..25 {
        let mut child = scratchnet(&args).spawn().unwrap();
        // kill at a random moment once saving has started
        while !ckpt.exists() && child.try_wait().unwrap().is_none() {
            std::thread::sleep(Duration::from_millis(2));
        }
        std::thread::sleep(Duration::from_millis(rng.below(400) as u64));
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap();
            kills += 1;
        }
        child.wait().unwrap();
        let loaded = scratchnet::checkpoint::load(&ckpt);
        assert!(loaded.is_ok(), "after a kill the checkpoint did not load: {:?}", loaded.err());
        if model.exists() {
            assert!(scratchnet::io::load(&model).is_ok(), "the model did not load");
        }
    }
    assert!(kills >= 20, "only {kills} kills landed while running");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn resume_keeps_the_engine() {
    let dir = temp_dir("engine");
    let ckpt = dir.join("c.ckpt");
    let args = ["train", "--dataset", "beans-line", "--epochs", "4", "--engine", "reference"];
    let out =
        run(&[&args[..], &["--checkpoint-every", "2", "--checkpoint", ckpt.to_str().unwrap()]].concat());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // the checkpoint after the last epoch: the resumed run only reports
    let out = run(&["train", "--resume", ckpt.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        stdout.contains("resuming at epoch") && stdout.contains("engine reference, 1 thread"),
        "{stdout}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Runs `command` until it has printed its first epoch line (so it is training), sends it
/// `signals` one right after the other, and returns everything it printed and its status.
#[cfg(unix)]
fn signal_while_training(mut command: Command, signals: &[i32]) -> (String, String, Option<i32>) {
    use std::io::{BufRead, BufReader, Read};
    let mut child = command.spawn().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut printed = String::new();
    while !printed.lines().any(|l| l.starts_with("epoch ")) {
        assert!(
            stdout.read_line(&mut printed).unwrap() > 0,
            "the run ended before its first epoch: {printed}"
        );
    }
    let pid = i32::try_from(child.id()).unwrap();
    for &signal in signals {
        // SAFETY: kill(2) with a live child's pid and a valid signal number
        assert_eq!(unsafe { libc::kill(pid, signal) }, 0);
    }
    stdout.read_to_string(&mut printed).unwrap();
    let out = child.wait_with_output().unwrap();
    (printed, String::from_utf8_lossy(&out.stderr).into_owned(), out.status.code())
}

/// SIGTERM (job schedulers, `docker stop`, `timeout`) and SIGHUP (a closed terminal) do what
/// Ctrl-C does, with their own exit status, and the run resumes to the same weights.
#[cfg(unix)]
#[test]
fn sigterm_and_sighup_save_a_checkpoint_like_ctrl_c() {
    let dir = temp_dir("signals");
    write_data(&dir, 3000);
    let d = dir.to_str().unwrap();
    let full = dir.join("full.safetensors");
    let out = run(&train_args(d, full.to_str().unwrap(), dir.join("unused.ckpt").to_str().unwrap()));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    // SIGTERM, with --checkpoint FILE
    let (save, ckpt) = (dir.join("term.safetensors"), dir.join("term.ckpt"));
    let (save, ckpt) = (save.to_str().unwrap(), ckpt.to_str().unwrap());
    let (_, stderr, status) = signal_while_training(scratchnet(&train_args(d, save, ckpt)), &[libc::SIGTERM]);
    assert_eq!(status, Some(143), "{stderr}");
    assert!(stderr.contains("SIGTERM: finishing this batch and saving a checkpoint"), "{stderr}");
    assert!(stderr.contains("error: interrupted by SIGTERM at epoch "), "{stderr}");
    assert!(stderr.contains(&format!("continue it with `scratchnet train --resume {ckpt}`")), "{stderr}");
    let out = run(&["train", "--resume", ckpt]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(weights(Path::new(save)) == weights(&full), "the run stopped by SIGTERM ended differently");

    // SIGHUP, without --checkpoint: the default name in the working folder
    let mut args = train_args(d, "hup.safetensors", "");
    args.truncate(args.len() - 2);
    let mut command = scratchnet(&args);
    command.current_dir(&dir);
    let (_, stderr, status) = signal_while_training(command, &[libc::SIGHUP]);
    assert_eq!(status, Some(129), "{stderr}");
    let default = "scratchnet-checkpoint.safetensors";
    assert!(stderr.contains("interrupted by SIGHUP at epoch "), "{stderr}");
    assert!(stderr.contains(&format!("`scratchnet train --resume {default}`")), "{stderr}");
    let mut command = scratchnet(&["train", "--resume", default]);
    let out = command.current_dir(&dir).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        weights(&dir.join("hup.safetensors")) == weights(&full),
        "the run stopped by SIGHUP ended differently"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A second signal while the first is being handled quits at once, without a checkpoint.
#[cfg(unix)]
#[test]
fn a_second_signal_quits_at_once() {
    let dir = temp_dir("second-signal");
    write_data(&dir, 3000);
    let (save, ckpt) = (dir.join("m.safetensors"), dir.join("m.ckpt"));
    let args = train_args(dir.to_str().unwrap(), save.to_str().unwrap(), ckpt.to_str().unwrap());
    // two different signals, so the kernel cannot merge them into one; each waits for the other
    // to be handled (the handler blocks its own signal only), so both arrive while training
    let (_, stderr, status) = signal_while_training(scratchnet(&args), &[libc::SIGTERM, libc::SIGHUP]);
    assert!(status == Some(143) || status == Some(129), "{status:?} {stderr}");
    assert!(stderr.contains("stopped at once (second signal): no checkpoint written"), "{stderr}");
    assert!(!stderr.contains("interrupted by") && !ckpt.exists() && !save.exists(), "{stderr}");
    std::fs::remove_dir_all(&dir).unwrap();
}
