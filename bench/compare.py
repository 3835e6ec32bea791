"""Side-by-side epoch times: scratchnet vs PyTorch (and numpy), interleaved A B A B ..., medians.

Run through bench/compare.sh, which prepares the Python environment. Every configuration trains
784-128-64-10 on MNIST for one epoch with the data already in memory (scratchnet's
`train_seconds` excludes loading; the Python scripts time only their loop), 2 threads for PyTorch.
"""
import argparse, json, os, statistics, subprocess, sys, tempfile

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
binary = os.path.join(root, "target", "release", "scratchnet")
py = sys.executable

p = argparse.ArgumentParser()
p.add_argument("--rounds", type=int, default=3)
p.add_argument("--data", required=True, help="the folder holding MNIST's four .gz files")
p.add_argument("--tiny", action="store_true", help="one round on 6,000 samples (CI: checks it runs)")
args = p.parse_args()

def run(cmd):
    out = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{out.stdout}\n{out.stderr}")
    rss_kb = int(out.stderr.strip().splitlines()[-1])
    return out.stdout, rss_kb

def scratchnet(batch, recipe, samples):
    with tempfile.TemporaryDirectory() as d:
        report = os.path.join(d, "r.json")
        flags = ["--activation", "sigmoid", "--optimizer", "sgd", "--lr", "0.1"] if recipe == "sigmoid-sgd" else \
                ["--activation", "relu", "--optimizer", "adam", "--lr", "0.001"]
        held_out = f"{1 - samples / 60000:.6f}"
        threads = "1" if batch == 1 else "2"  # scratchnet's default: at batch 1 a second thread only slows it
        cmd = [binary, "train", "--data-dir", args.data, "--epochs", "1", "--batch-size", str(batch), "--threads", threads,
               "--schedule", "constant", "--weight-decay", "0", "--validation", held_out, "--report", report] + flags
        _, rss = run(cmd)
        r = json.load(open(report))
        return r["epochs"][0]["train_seconds"], rss, r["test_accuracy"]

def torch(batch, recipe, samples, threads=2):
    out, rss = run([py, os.path.join(here, "torch_epoch.py"), args.data, str(batch), recipe, str(threads), str(samples)])
    seconds, accuracy = out.split()[:2]
    return float(seconds), rss, float(accuracy)

def numpy(batch, samples):
    out, rss = run([py, os.path.join(here, "numpy_epoch.py"), args.data, str(batch), str(samples)])
    return float(out.split()[0]), rss

full = 6000 if args.tiny else 60000
per_sample = 6000  # batch 1 runs on a tenth of the set (the most --validation leaves), scaled to 60,000
rounds = 1 if args.tiny else args.rounds
configs = [
    ("batch 64, sigmoid, SGD", 64, "sigmoid-sgd", full),
    ("batch 128, ReLU, Adam", 128, "relu-adam", full),
    ("batch 1, sigmoid, SGD", 1, "sigmoid-sgd", per_sample),
    ("batch 1024, ReLU, Adam", 1024, "relu-adam", full),
]
results = {}
for _ in range(rounds):
    for name, batch, recipe, samples in configs:
        scale = 60000 / samples
        runs = results.setdefault(name, {"scratchnet": [], "pytorch": [], "numpy": [], "rss": [], "torch_rss": [],
                                         "acc": [], "torch_acc": []})
        s, rss, acc = scratchnet(batch, recipe, samples)
        runs["scratchnet"].append(s * scale); runs["rss"].append(rss); runs["acc"].append(acc)
        t, trss, tacc = torch(batch, recipe, samples)
        runs["pytorch"].append(t * scale); runs["torch_rss"].append(trss); runs["torch_acc"].append(tacc)
        if batch == 1:  # PyTorch on one thread too, as scratchnet runs there
            t1, _, _ = torch(batch, recipe, samples, threads=1)
            runs.setdefault("pytorch_1", []).append(t1 * scale)
        if recipe == "sigmoid-sgd":
            n, _ = numpy(batch, samples)
            runs["numpy"].append(n * scale)

np_sgemm = float(subprocess.run([py, os.path.join(here, "numpy_epoch.py"), "--sgemm"], capture_output=True, text=True).stdout)
torch_sgemm = float(subprocess.run([py, os.path.join(here, "torch_epoch.py"), "--sgemm", "2"], capture_output=True, text=True).stdout)
sgemm = max(np_sgemm, torch_sgemm)
print(f"{rounds} round(s), medians, seconds per 60,000-sample epoch (batch 1 measured on {per_sample} samples, scaled)")
print(f"{'configuration':26} {'scratchnet':>11} {'PyTorch':>9} {'numpy':>8} {'vs PyTorch':>11} {'vs numpy':>9} "
      f"{'max RSS':>9} {'torch RSS':>10} {'test acc.':>10} {'torch acc.':>11}")
for name, *_ in configs:
    r = results[name]
    s, t = statistics.median(r["scratchnet"]), statistics.median(r["pytorch"])
    n = statistics.median(r["numpy"]) if r["numpy"] else None
    ns = f"{n:8.3f}" if n else f"{'':8}"
    vn = f"{n / s:8.1f}×" if n else f"{'':9}"
    acc, tacc = statistics.median(r["acc"]), statistics.median(r["torch_acc"])
    print(f"{name:26} {s:11.3f} {t:9.3f} {ns} {t / s:10.1f}× {vn} {max(r['rss']) / 1024:7.0f} MB "
          f"{max(r['torch_rss']) / 1024:7.0f} MB {100 * acc:9.2f}% {100 * tacc:10.2f}%")
b1 = results["batch 1, sigmoid, SGD"]
print(f"batch 1: scratchnet runs on 1 thread (its default there); PyTorch on 1 thread: "
      f"{statistics.median(b1['pytorch_1']):.3f} s, {statistics.median(b1['pytorch_1']) / statistics.median(b1['scratchnet']):.1f}× scratchnet's time")
s1024 = statistics.median(results["batch 1024, ReLU, Adam"]["scratchnet"])
gflops = 454400 * 60000 / s1024 / 1e9
print(f"batch 1024: scratchnet {gflops:.1f} GFLOP/s (454,400 FLOP per sample) = {100 * gflops / sgemm:.0f}% of the best "
      f"1024² sgemm (numpy {np_sgemm:.1f}, PyTorch {torch_sgemm:.1f} GFLOP/s on 2 threads)")
print("test acc.: accuracy on the 10,000 test images after the epoch (the tiny and batch-1 runs train on a part)")
