"""The reference CNN in native PyTorch on the same Fashion-MNIST images: prints one JSON line.

Used by `npm run bench:train` when Debian's python3-torch is installed; never a dependency of the app.
Usage: python3 scripts/bench/torch_train.py DATASETS_DIR BATCH WARMUP_STEPS STEPS THREADS
Timed as the browser side is: rounds of at least STEPS steps (more when a round would be shorter than a
second), three rounds, the best one reported.
"""
import gzip
import json
import statistics
import sys
import time

import torch
from torch import nn


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    rank = data[3]
    dims = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(rank)]
    return torch.frombuffer(bytearray(data[4 + 4 * rank:]), dtype=torch.uint8).reshape(dims)


def main():
    folder, batch, warmup, steps, threads = sys.argv[1], *map(int, sys.argv[2:6])
    torch.set_num_threads(threads)
    torch.manual_seed(7)
    x = read_idx(f"{folder}/train-images-idx3-ubyte.gz").float().div(255).unsqueeze(1)
    y = read_idx(f"{folder}/train-labels-idx1-ubyte.gz").long()
    batches = len(y) // batch
    model = nn.Sequential(
        nn.Conv2d(1, 16, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(32 * 5 * 5, 10),
    )
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()

    def step(i):
        s = (i % batches) * batch
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(x[s:s + batch]), y[s:s + batch])
        loss.backward()
        optimizer.step()
        return loss

    for i in range(warmup):
        step(i)
    begin = time.perf_counter()
    step(warmup).item()
    per_step = time.perf_counter() - begin
    steps = max(steps, int(1.0 / max(per_step, 1e-6)))
    best = 0.0
    done = warmup + 1
    for _ in range(3):
        begin = time.perf_counter()
        for i in range(steps):
            loss = step(done + i)
        final_loss = loss.item()
        best = max(best, steps * batch / (time.perf_counter() - begin))
        done += steps

    model.eval()
    one = x[:1]
    with torch.no_grad():
        for _ in range(20):
            model(one)
        times = []
        for _ in range(200):
            t = time.perf_counter()
            model(one)
            times.append((time.perf_counter() - t) * 1000)
    print(json.dumps({
        "backend": "pytorch-native", "torch": torch.__version__, "threads": threads,
        "train_img_per_s": round(best, 1), "steps": steps, "infer_b1_median_ms": round(statistics.median(times), 4),
        "final_loss": round(final_loss, 4),
    }))


main()
