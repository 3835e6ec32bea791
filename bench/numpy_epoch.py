"""One MNIST epoch of 784-128-64-10 (sigmoid, softmax, SGD) in numpy; prints the seconds.

usage: numpy_epoch.py DATA_DIR BATCH [SAMPLES]   (BATCH 1 is the tutorial's per-sample loop)
Also: numpy_epoch.py --sgemm   prints the GFLOP/s of a 1024×1024 float32 product.
"""
import gzip, sys, time
import numpy as np

if sys.argv[1] == "--sgemm":
    a = np.random.rand(1024, 1024).astype(np.float32)
    b = np.random.rand(1024, 1024).astype(np.float32)
    a @ b
    times = []
    for _ in range(20):
        t = time.perf_counter(); a @ b; times.append(time.perf_counter() - t)
    print(f"{2 * 1024 ** 3 / min(times) / 1e9:.1f}")
    sys.exit(0)

data_dir, batch = sys.argv[1], int(sys.argv[2])
samples = int(sys.argv[3]) if len(sys.argv) > 3 else 60000
with gzip.open(f"{data_dir}/train-images-idx3-ubyte.gz") as f:
    x = np.frombuffer(f.read()[16:], np.uint8).reshape(-1, 784)[:samples].astype(np.float32) / 255
with gzip.open(f"{data_dir}/train-labels-idx1-ubyte.gz") as f:
    labels = np.frombuffer(f.read()[8:], np.uint8)[:samples]
t = np.eye(10, dtype=np.float32)[labels]
rng = np.random.default_rng(0)
w = [rng.standard_normal((i, o)).astype(np.float32) * np.sqrt(1 / o) for i, o in [(784, 128), (128, 64), (64, 10)]]
b = [np.zeros(o, np.float32) for o in (128, 64, 10)]
sig = lambda z: 1 / (1 + np.exp(-z))
lr = 0.1
start = time.perf_counter()
for i in range(0, samples, batch):
    xb, tb = x[i:i + batch], t[i:i + batch]
    h1 = sig(xb @ w[0] + b[0]); h2 = sig(h1 @ w[1] + b[1])
    z = h2 @ w[2] + b[2]; p = np.exp(z - z.max(1, keepdims=True)); p /= p.sum(1, keepdims=True)
    dz = (p - tb) / len(xb)
    dw2 = h2.T @ dz; dh2 = dz @ w[2].T * h2 * (1 - h2)
    dw1 = h1.T @ dh2; dh1 = dh2 @ w[1].T * h1 * (1 - h1)
    dw0 = xb.T @ dh1
    for k, (dw, db) in enumerate([(dw0, dh1.sum(0)), (dw1, dh2.sum(0)), (dw2, dz.sum(0))]):
        w[k] -= lr * dw; b[k] -= lr * db
print(f"{time.perf_counter() - start:.4f}")
