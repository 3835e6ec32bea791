"""Side-by-side epoch times: scratchnet vs PyTorch (and numpy), interleaved A B A B ..., medians.

Run through bench/compare.sh, which prepares the Python environment. Every configuration trains
784-128-64-10 on MNIST for one epoch with the data already in memory (scratchnet's
`train_seconds` excludes loading; the Python scripts time only their loop), 2 threads for PyTorch.

Before vs after a change (issue 12: "no speed lost"): `--baseline OLD-BINARY` also times an older
scratchnet binary with the same flags, interleaved with the current one (the order flips every
round so neither always runs second, on a warm cache), and prints a second table of medians, the
ratio after/before and every run. `--engine-reference` also times the current binary with
`--engine reference` (never passed to the baseline, which predates the flag). `--only 64,128`
picks configurations by batch size (or by a piece of their name); `--no-torch` skips PyTorch and
numpy, so a before/after run takes a few minutes.
"""
import argparse, json, os, statistics, subprocess, sys, tempfile

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
py = sys.executable

p = argparse.ArgumentParser(allow_abbrev=False)
p.add_argument("--rounds", type=int, default=3)
p.add_argument("--data", required=True, help="the folder holding MNIST's four .gz files")
p.add_argument("--tiny", action="store_true", help="one round on 6,000 samples (CI: checks it runs)")
p.add_argument("--binary", default=os.path.join(root, "target", "release", "scratchnet"),
               help="the scratchnet binary to time (default: this checkout's target/release/scratchnet)")
p.add_argument("--baseline", metavar="PATH-TO-BINARY",
               help="also time this (older) scratchnet binary with the same flags, interleaved; print before vs after")
p.add_argument("--engine-reference", action="store_true",
               help="also time --binary with --engine reference (one thread) and print how many times slower it is")
p.add_argument("--only", metavar="NAME[,NAME]",
               help="run only these configurations: a batch size (64, 128, 1, 1024) or a piece of the name")
p.add_argument("--no-torch", action="store_true", help="skip the PyTorch and numpy runs")
args = p.parse_args()
binary = args.binary
for path in [binary] + ([args.baseline] if args.baseline else []):
    if not os.access(path, os.X_OK):
        sys.exit(f"not an executable binary: {path}")

def run(cmd):
    out = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{out.stdout}\n{out.stderr}")
    rss_kb = int(out.stderr.strip().splitlines()[-1])
    return out.stdout, rss_kb

def scratchnet(batch, recipe, samples, exe=None, engine=None):
    """One epoch of `exe` (default --binary). engine=None passes no --engine flag (the binary's
    default, the fast engine; the baseline predates the flag); engine="reference" runs the
    reference engine, without --threads (it is single-threaded)."""
    with tempfile.TemporaryDirectory() as d:
        report = os.path.join(d, "r.json")
        flags = ["--activation", "sigmoid", "--optimizer", "sgd", "--lr", "0.1"] if recipe == "sigmoid-sgd" else \
                ["--activation", "relu", "--optimizer", "adam", "--lr", "0.001"]
        held_out = f"{1 - samples / 60000:.6f}"
        threads = "1" if batch == 1 else "2"  # scratchnet's default: at batch 1 a second thread only slows it
        engine_flags = ["--threads", threads] if engine is None else ["--engine", engine]
        cmd = [exe or binary, "train", "--data-dir", args.data, "--epochs", "1", "--batch-size", str(batch)] + engine_flags + \
              ["--schedule", "constant", "--weight-decay", "0", "--validation", held_out, "--report", report] + flags
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
if args.only:
    wanted = [w.strip() for w in args.only.split(",") if w.strip()]
    if not wanted:
        sys.exit("--only: name at least one configuration, e.g. --only 64,128")
    def picks(w, name, batch):
        return batch == int(w) if w.isdigit() else w.lower() in name.lower()
    for w in wanted:
        if not any(picks(w, name, batch) for name, batch, *_ in configs):
            sys.exit(f"--only: no configuration matches {w!r} (they are: {'; '.join(c[0] for c in configs)})")
    configs = [c for c in configs if any(picks(w, c[0], c[1]) for w in wanted)]
names = [c[0] for c in configs]

# The scratchnet runs of one configuration, in the order of round 0; odd rounds reverse it, so the
# current and the baseline binary (and the reference engine) take turns going first.
variants = [("scratchnet", dict())]
if args.baseline:
    variants.append(("before", dict(exe=args.baseline)))
if args.engine_reference:
    variants.append(("reference", dict(engine="reference")))

results = {}
for round_ in range(rounds):
    for name, batch, recipe, samples in configs:
        scale = 60000 / samples
        runs = results.setdefault(name, {"scratchnet": [], "pytorch": [], "numpy": [], "rss": [], "torch_rss": [],
                                         "acc": [], "torch_acc": [], "before": [], "before_acc": [], "reference": []})
        for key, how in (variants if round_ % 2 == 0 else variants[::-1]):
            s, rss, acc = scratchnet(batch, recipe, samples, **how)
            runs[key].append(s * scale)
            if key == "scratchnet":
                runs["rss"].append(rss); runs["acc"].append(acc)
            elif key == "before":
                runs["before_acc"].append(acc)
        if args.no_torch:
            continue
        t, trss, tacc = torch(batch, recipe, samples)
        runs["pytorch"].append(t * scale); runs["torch_rss"].append(trss); runs["torch_acc"].append(tacc)
        if batch == 1:  # PyTorch on one thread too, as scratchnet runs there
            t1, _, _ = torch(batch, recipe, samples, threads=1)
            runs.setdefault("pytorch_1", []).append(t1 * scale)
        if recipe == "sigmoid-sgd":
            n, _ = numpy(batch, samples)
            runs["numpy"].append(n * scale)

med = statistics.median
if not args.no_torch:
    np_sgemm = float(subprocess.run([py, os.path.join(here, "numpy_epoch.py"), "--sgemm"], capture_output=True, text=True).stdout)
    torch_sgemm = float(subprocess.run([py, os.path.join(here, "torch_epoch.py"), "--sgemm", "2"], capture_output=True, text=True).stdout)
    sgemm = max(np_sgemm, torch_sgemm)
print(f"{rounds} round(s), medians, seconds per 60,000-sample epoch (batch 1 measured on {per_sample} samples, scaled)")
if args.no_torch:
    print(f"{'configuration':26} {'scratchnet':>11} {'max RSS':>9} {'test acc.':>10}")
    for name in names:
        r = results[name]
        print(f"{name:26} {med(r['scratchnet']):11.3f} {max(r['rss']) / 1024:7.0f} MB {100 * med(r['acc']):9.2f}%")
else:
    print(f"{'configuration':26} {'scratchnet':>11} {'PyTorch':>9} {'numpy':>8} {'vs PyTorch':>11} {'vs numpy':>9} "
          f"{'max RSS':>9} {'torch RSS':>10} {'test acc.':>10} {'torch acc.':>11}")
    for name in names:
        r = results[name]
        s, t = med(r["scratchnet"]), med(r["pytorch"])
        n = med(r["numpy"]) if r["numpy"] else None
        ns = f"{n:8.3f}" if n else f"{'':8}"
        vn = f"{n / s:8.1f}×" if n else f"{'':9}"
        acc, tacc = med(r["acc"]), med(r["torch_acc"])
        print(f"{name:26} {s:11.3f} {t:9.3f} {ns} {t / s:10.1f}× {vn} {max(r['rss']) / 1024:7.0f} MB "
              f"{max(r['torch_rss']) / 1024:7.0f} MB {100 * acc:9.2f}% {100 * tacc:10.2f}%")
    if "batch 1, sigmoid, SGD" in results:
        b1 = results["batch 1, sigmoid, SGD"]
        print(f"batch 1: scratchnet runs on 1 thread (its default there); PyTorch on 1 thread: "
              f"{med(b1['pytorch_1']):.3f} s, {med(b1['pytorch_1']) / med(b1['scratchnet']):.1f}× scratchnet's time")
if "batch 1024, ReLU, Adam" in results:
    s1024 = med(results["batch 1024, ReLU, Adam"]["scratchnet"])
    gflops = 454400 * 60000 / s1024 / 1e9
    if args.no_torch:
        print(f"batch 1024: scratchnet {gflops:.1f} GFLOP/s (454,400 FLOP per sample)")
    else:
        print(f"batch 1024: scratchnet {gflops:.1f} GFLOP/s (454,400 FLOP per sample) = {100 * gflops / sgemm:.0f}% of the best "
              f"1024² sgemm (numpy {np_sgemm:.1f}, PyTorch {torch_sgemm:.1f} GFLOP/s on 2 threads)")
print("test acc.: accuracy on the 10,000 test images after the epoch (the tiny and batch-1 runs train on a part)")

def runs_list(xs):
    return " ".join(f"{x:.3f}" for x in xs)

if args.baseline:
    print()
    print(f"before vs after: {args.baseline} (before) vs {binary} (after), same flags, interleaved, "
          f"order flipped every round; medians, seconds per 60,000-sample epoch")
    print(f"{'configuration':26} {'before':>8} {'after':>8} {'after/before':>13} {'paired':>7} {'acc. before':>12} "
          f"{'acc. after':>11}  runs before | runs after (in round order)")
    for name in names:
        r = results[name]
        b, a = med(r["before"]), med(r["scratchnet"])
        paired = med([x / y for x, y in zip(r["scratchnet"], r["before"])])
        print(f"{name:26} {b:8.3f} {a:8.3f} {a / b:13.3f} {paired:7.3f} {100 * med(r['before_acc']):11.2f}% "
              f"{100 * med(r['acc']):10.2f}%  {runs_list(r['before'])} | {runs_list(r['scratchnet'])}")
    print("after/before: median after / median before; paired: median of each round's after/before (the two ran "
          "back to back). Under 1.030 means within 3% of before (lower is faster)")

if args.engine_reference:
    print()
    print(f"reference engine: {binary} --engine reference (one thread) vs its default fast engine "
          "(--threads 1 at batch 1, 2 otherwise); medians, seconds per 60,000-sample epoch")
    print(f"{'configuration':26} {'reference':>10} {'fast':>8} {'ref/fast':>9}  runs reference")
    for name in names:
        r = results[name]
        ref, fast = med(r["reference"]), med(r["scratchnet"])
        print(f"{name:26} {ref:10.3f} {fast:8.3f} {ref / fast:8.1f}×  {runs_list(r['reference'])}")
