"""One MNIST training epoch of 784-128-64-10 in PyTorch, data preloaded; prints the seconds
and the accuracy on the 10,000 test images.

usage: torch_epoch.py DATA_DIR BATCH {sigmoid-sgd|relu-adam} THREADS [SAMPLES]
Also: torch_epoch.py --sgemm THREADS   prints the GFLOP/s of a 1024×1024 float32 product.
"""
import gzip, sys, time
import numpy as np
import torch

if sys.argv[1] == "--sgemm":
    torch.set_num_threads(int(sys.argv[2]))
    a, b = torch.rand(1024, 1024), torch.rand(1024, 1024)
    a @ b
    times = []
    for _ in range(20):
        t = time.perf_counter(); a @ b; times.append(time.perf_counter() - t)
    print(f"{2 * 1024 ** 3 / min(times) / 1e9:.1f}")
    sys.exit(0)

data_dir, batch, recipe, threads = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
samples = int(sys.argv[5]) if len(sys.argv) > 5 else 60000
torch.set_num_threads(threads)
torch.manual_seed(0)
with gzip.open(f"{data_dir}/train-images-idx3-ubyte.gz") as f:
    x = torch.from_numpy(np.frombuffer(f.read()[16:], np.uint8).reshape(-1, 784)[:samples].astype(np.float32) / 255)
with gzip.open(f"{data_dir}/train-labels-idx1-ubyte.gz") as f:
    y = torch.from_numpy(np.frombuffer(f.read()[8:], np.uint8)[:samples].astype(np.int64))
act = torch.nn.Sigmoid if recipe == "sigmoid-sgd" else torch.nn.ReLU
net = torch.nn.Sequential(torch.nn.Linear(784, 128), act(), torch.nn.Linear(128, 64), act(), torch.nn.Linear(64, 10))
# scratchnet's initialisation for these recipes (Xavier uniform for sigmoid, He normal for ReLU,
# zero biases), so that both train the same recipe and their accuracies can be compared
for layer in net:
    if isinstance(layer, torch.nn.Linear):
        if recipe == "sigmoid-sgd":
            torch.nn.init.xavier_uniform_(layer.weight)
        else:
            torch.nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
        torch.nn.init.zeros_(layer.bias)
opt = torch.optim.SGD(net.parameters(), lr=0.1) if recipe == "sigmoid-sgd" else torch.optim.Adam(net.parameters(), lr=1e-3)
loss_fn = torch.nn.CrossEntropyLoss()
order = torch.randperm(samples)
start = time.perf_counter()
for i in range(0, samples, batch):
    idx = order[i:i + batch]
    opt.zero_grad()
    loss = loss_fn(net(x[idx]), y[idx])
    loss.backward()
    opt.step()
seconds = time.perf_counter() - start
with gzip.open(f"{data_dir}/t10k-images-idx3-ubyte.gz") as f:
    x_test = torch.from_numpy(np.frombuffer(f.read()[16:], np.uint8).reshape(-1, 784).astype(np.float32) / 255)
with gzip.open(f"{data_dir}/t10k-labels-idx1-ubyte.gz") as f:
    y_test = torch.from_numpy(np.frombuffer(f.read()[8:], np.uint8).astype(np.int64))
with torch.no_grad():
    accuracy = (net(x_test).argmax(1) == y_test).float().mean().item()
print(f"{seconds:.4f} {accuracy:.4f}")
