"""Trains a fixed list of EvoNAS genomes natively with PyTorch, as the app's search would: one JSON line.

Used by `npm run bench:throughput` when Debian's python3-torch is installed; never a dependency of the app.
Usage: python3 scripts/bench/torch_genomes.py MANIFEST.json
The manifest names the images (float32, N x H x W x C in [0, 1], the app's own split) and labels (int32), and
for each genome its lowered op graph, training genes and seed. Each network is trained for its epochs on the
same images in the same batches sizes, scored on the validation images, and timed at batch 1 (warm-up, then
`latency_runs` runs), as the app measures a candidate.
"""
import json
import statistics
import sys
import time

import numpy as np
import torch

from torch_genome import GenomeNet, count_params, load_split, train_and_score


def train_and_measure(genome, data, latency_runs):
    vx = data[2]
    torch.manual_seed(genome["seed"])  # the weights' initialisation
    model = GenomeNet(genome["nodes"])
    start = time.perf_counter()
    accuracy = train_and_score(model, genome["training"], data, genome["seed"])
    train_s = time.perf_counter() - start
    start = time.perf_counter()
    one = vx[:1]
    with torch.no_grad():
        for _ in range(5):
            model(one)
        times = []
        for _ in range(latency_runs):
            t = time.perf_counter()
            model(one)
            times.append((time.perf_counter() - t) * 1000)
    return {
        "accuracy": accuracy, "train_s": train_s, "measure_s": time.perf_counter() - start,
        "latency_ms": statistics.median(times), "params_match": count_params(model) == genome["params"],
        "finite": bool(np.isfinite(accuracy)),
    }


def main():
    manifest = json.load(open(sys.argv[1]))
    torch.set_num_threads(manifest["threads"])
    data = load_split(manifest["data"])
    begin = time.perf_counter()
    results = [train_and_measure(g, data, manifest["latency_runs"]) for g in manifest["genomes"]]
    seconds = time.perf_counter() - begin
    print(json.dumps({
        "engine": "pytorch-native", "torch": torch.__version__, "threads": manifest["threads"],
        "candidates": len(results), "seconds": round(seconds, 2),
        "candidates_per_hour": round(len(results) / seconds * 3600, 1),
        "train_s_sum": round(sum(r["train_s"] for r in results), 2), "measure_s_sum": round(sum(r["measure_s"] for r in results), 2),
        "best_accuracy": round(max(r["accuracy"] for r in results), 4),
        "params_match": all(r["params_match"] for r in results),
        "accuracies": [round(r["accuracy"], 3) for r in results],
    }))


main()
