"""The native peer of `npm run bench:vs-native`: Optuna's NSGA-II over the EvoNAS genome space, each trial
trained natively by PyTorch, for a fixed number of wall-clock seconds. Never a dependency of the app.

Install (Debian): apt-get install -y python3-torch python3-optuna
Usage: /usr/bin/python3 scripts/bench/optuna_peer.py MANIFEST.json
The manifest gives the app's data split (files written by the benchmark), the space's grids and limits, the
objectives, the seed, the seconds and the thread count. The script is what a careful user would write: a
define-by-run space with the same layer choices and caps, Optuna's own sampler with its defaults, trials over
a cap not trained (pruned), the same data and budget. It knows nothing of the app's results.
Prints one JSON line; writes every trial to the manifest's "trials_out" file.
"""
import json
import math
import sys
import time

START = time.perf_counter()

import optuna  # noqa: E402  (timed from the process start, imports included)
import torch  # noqa: E402

from genome_lower import lower  # noqa: E402
from torch_genome import GenomeNet, count_params, load_split, train_and_score  # noqa: E402


def suggest_layer(trial, name, space):
    kind = trial.suggest_categorical(f"{name}_kind", space["layerKinds"])
    if kind in ("conv", "sepconv"):
        return {
            "kind": kind,
            "filters": trial.suggest_categorical(f"{name}_filters", space["filters"]),
            "kernel": trial.suggest_categorical(f"{name}_kernel", space["kernels"]),
            "stride": trial.suggest_categorical(f"{name}_stride", [1, 2]),
            "activation": trial.suggest_categorical(f"{name}_activation", space["convActivations"]),
        }
    if kind == "pool":
        return {"kind": kind, "mode": trial.suggest_categorical(f"{name}_mode", ["max", "avg"]), "size": trial.suggest_categorical(f"{name}_size", [2, 3])}
    if kind == "dropout":
        return {"kind": kind, "rate": trial.suggest_categorical(f"{name}_rate", space["dropoutRates"])}
    if kind == "activation":
        return {"kind": kind, "fn": trial.suggest_categorical(f"{name}_fn", space["activations"])}
    return {"kind": kind}


def suggest_genome(trial, space, limits):
    blocks = []
    for b in range(trial.suggest_int("blocks", 1, limits["maxBlocks"])):
        layers = [suggest_layer(trial, f"b{b}_l{l}", space) for l in range(trial.suggest_int(f"b{b}_layers", 1, limits["maxLayersPerBlock"]))]
        blocks.append({"layers": layers, "skip": trial.suggest_categorical(f"b{b}_skip", [False, True])})
    optimizer = trial.suggest_categorical("optimizer", space["optimizers"])
    lr_low, lr_high = space["learningRateRanges"][optimizer]
    return {
        "blocks": blocks,
        "head": trial.suggest_categorical("head", ["gap", "flatten"]),
        "training": {
            "optimizer": optimizer,
            "learningRate": trial.suggest_float(f"learning_rate_{optimizer}", lr_low, lr_high, log=True),
            "batchSize": trial.suggest_categorical("batch_size", space["batchSizes"]),
            "epochs": trial.suggest_int("epochs", 1, limits["maxEpochs"]),
            "schedule": trial.suggest_categorical("schedule", space["schedules"]),
        },
    }


def main():
    manifest = json.load(open(sys.argv[1]))
    torch.set_num_threads(manifest["threads"])
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    data = load_split(manifest["data"])
    shape, classes, limits, space = manifest["data"]["shape"], manifest["data"]["classes"], manifest["limits"], manifest["space"]
    objectives = manifest["objectives"]  # "error" first, then costs from the graph: "params" and/or "flops"
    records = []

    def objective(trial):
        genome = suggest_genome(trial, space, limits)
        nodes, params, flops = lower(genome, shape[0], shape[1], shape[2], classes)
        record = {"number": trial.number, "genome": genome, "params": params, "flops": flops}
        records.append(record)
        has_conv = any(layer["kind"] in ("conv", "sepconv") for block in genome["blocks"] for layer in block["layers"])
        if params > limits["maxParams"] or flops > limits["maxFlops"] or not has_conv:
            record["state"] = "over-caps" if has_conv else "no-convolution"
            raise optuna.TrialPruned()
        seed = manifest["seed"] * 100_003 + trial.number
        torch.manual_seed(seed)
        model = GenomeNet(nodes)
        record["params_match"] = count_params(model) == params
        began = time.perf_counter()
        accuracy = train_and_score(model, genome["training"], data, seed)
        record.update(state="trained", accuracy=accuracy, train_s=time.perf_counter() - began)
        error = 1 - accuracy if math.isfinite(accuracy) else 1.0
        costs = {"params": params / limits["maxParams"], "flops": flops / limits["maxFlops"]}
        return tuple([error] + [costs[o] for o in objectives[1:]])

    study = optuna.create_study(directions=["minimize"] * len(objectives), sampler=optuna.samplers.NSGAIISampler(seed=manifest["seed"]))
    # like the app's --minutes: no trial starts after the deadline, the one running finishes
    study.optimize(objective, timeout=max(0.0, manifest["seconds"] - (time.perf_counter() - START)))
    trained = [r for r in records if r["state"] == "trained"]
    json.dump(records, open(manifest["trials_out"], "w"))
    print(json.dumps({
        "engine": "optuna-pytorch", "optuna": optuna.__version__, "torch": torch.__version__, "threads": manifest["threads"],
        "sampler": "NSGAIISampler (defaults)", "seconds": round(time.perf_counter() - START, 1), "trials": len(records),
        "trained": len(trained), "not_trained": len(records) - len(trained),
        "best_accuracy": round(max((r["accuracy"] for r in trained), default=0.0), 4),
        "params_match": all(r["params_match"] for r in trained),
    }))


main()
