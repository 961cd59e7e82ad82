"""A lowered EvoNAS genome (the op graph of src/lib/genome/graph.ts) as a PyTorch module, layer for layer.

"same" padding as TensorFlow.js computes it (the extra row/column at the bottom/right), Glorot-uniform weights
and zero biases as tfjs initialises them, batch norm with tfjs' momentum and epsilon, Adam with tfjs' epsilon.
The classifier returns logits: CrossEntropyLoss applies the softmax, as a native script would write it.
"""
import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn


def same_pads(size, kernel, stride):
    """(before, after) padding of TensorFlow's "same" for one axis."""
    out = math.ceil(size / stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


def act(name):
    return {
        "relu": nn.ReLU(), "relu6": nn.ReLU6(), "elu": nn.ELU(), "silu": nn.SiLU(), "linear": nn.Identity(),
    }[name]


class SamePad(nn.Module):
    """Pads an NCHW map as "same" would for a k x k window at a stride, with `value` (0, or -inf for max pooling)."""

    def __init__(self, hw, kernel, stride, value=0.0):
        super().__init__()
        (t, b), (l, r) = same_pads(hw[0], kernel, stride), same_pads(hw[1], kernel, stride)
        self.pads, self.value = (l, r, t, b), value

    def forward(self, x):
        return F.pad(x, self.pads, value=self.value) if any(self.pads) else x


class AvgPoolSame(nn.Module):
    """Average pooling over the valid pixels of each window (TensorFlow's "same" excludes the padding)."""

    def __init__(self, hw, size, stride):
        super().__init__()
        self.pad, self.size, self.stride = SamePad(hw, size, stride), size, stride

    def forward(self, x):
        total = F.avg_pool2d(self.pad(x), self.size, self.stride) * self.size * self.size
        ones = torch.ones_like(x[:1, :1])
        count = F.avg_pool2d(self.pad(ones), self.size, self.stride) * self.size * self.size
        return total / count


def conv(in_ch, out_ch, kernel, stride, hw, groups=1, bias=True):
    layer = nn.Conv2d(in_ch, out_ch, kernel, stride=stride, groups=groups, bias=bias)
    nn.init.xavier_uniform_(layer.weight)
    if bias:
        nn.init.zeros_(layer.bias)
    return nn.Sequential(SamePad(hw, kernel, stride), layer)


def module_for(spec, in_shape, out_shape):
    op = spec["op"]
    hw = in_shape[:2] if len(in_shape) == 3 else None
    if op == "conv2d":
        return nn.Sequential(conv(in_shape[2], spec["filters"], spec["kernel"], spec["stride"], hw), act(spec["activation"]))
    if op == "separableConv2d":
        depthwise = conv(in_shape[2], in_shape[2], spec["kernel"], spec["stride"], hw, groups=in_shape[2], bias=False)
        pointwise = conv(in_shape[2], spec["filters"], 1, 1, out_shape[:2])
        return nn.Sequential(depthwise, pointwise, act(spec["activation"]))
    if op == "maxPool":
        return nn.Sequential(SamePad(hw, spec["size"], spec["stride"], -math.inf), nn.MaxPool2d(spec["size"], spec["stride"]))
    if op == "avgPool":
        return AvgPoolSame(hw, spec["size"], spec["stride"])
    if op == "batchNorm":
        return nn.BatchNorm2d(in_shape[2], eps=1e-3, momentum=0.01) if len(in_shape) == 3 else nn.BatchNorm1d(in_shape[0], eps=1e-3, momentum=0.01)
    if op == "dropout":
        return nn.Dropout(spec["rate"])
    if op == "activation":
        return act(spec["fn"])
    if op == "globalAvgPool":
        return nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten())
    if op == "flatten":
        return nn.Flatten()
    if op == "dense":
        layer = nn.Linear(in_shape[0], spec["units"])
        nn.init.xavier_uniform_(layer.weight)
        nn.init.zeros_(layer.bias)
        return layer
    raise ValueError(f"unknown op {op}")


class GenomeNet(nn.Module):
    """Runs the lowered graph node by node; `add` nodes sum their two inputs (a block's skip)."""

    def __init__(self, nodes):
        super().__init__()
        self.nodes = nodes
        self.ops = nn.ModuleList(
            nn.Identity() if n["spec"]["op"] in ("input", "add") else module_for(n["spec"], n["inputShape"], n["shape"])
            for n in nodes
        )

    def forward(self, x):
        outs = []
        for node, op in zip(self.nodes, self.ops):
            kind = node["spec"]["op"]
            if kind == "input":
                outs.append(x)
            elif kind == "add":
                outs.append(outs[node["inputs"][0]] + outs[node["inputs"][1]])
            else:
                outs.append(op(outs[node["inputs"][0]]))
        return outs[-1]


def optimizer_for(model, training):
    if training["optimizer"] == "adam":
        return torch.optim.Adam(model.parameters(), lr=training["learningRate"], eps=1e-7)
    return torch.optim.SGD(model.parameters(), lr=training["learningRate"], momentum=0.9)


def count_params(model):
    """Weights, biases and batch-norm statistics, as the genome counts them."""
    return sum(p.numel() for p in model.parameters()) + sum(b.numel() for name, b in model.named_buffers() if "running" in name)


def load_split(d):
    """The app's own split as written by the benchmark: float32 NHWC images in [0, 1] (made NCHW), int32 labels."""
    h, w, c = d["shape"]
    def images(path):
        return torch.from_numpy(np.fromfile(path, dtype=np.float32).reshape(-1, h, w, c)).permute(0, 3, 1, 2).contiguous()
    def labels(path):
        return torch.from_numpy(np.fromfile(path, dtype=np.int32).astype(np.int64))
    return images(d["train_x"]), labels(d["train_y"]), images(d["val_x"]), labels(d["val_y"])


def learning_rate_at(training, step, total):
    """The genome's step size at a step, as src/lib/genome/schedule.ts computes it."""
    peak = training["learningRate"]
    if training.get("schedule", "constant") == "constant" or total <= 1:
        return peak
    warmup = max(1, math.floor(0.1 * total + 0.5))  # Math.round, not banker's rounding
    if step < warmup:
        return peak * (step + 1) / warmup
    progress = min(1.0, (step - warmup) / max(1, total - warmup))
    return 0.5 * peak * (1 + math.cos(math.pi * progress))


def train_and_score(model, training, data, seed):
    """Trains for the genome's epochs as the app does (a seeded permutation per epoch, the genome's batch size,
    the schedule of the genome) and returns the validation accuracy after the last epoch."""
    x, y, vx, vy = data
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    optimizer = optimizer_for(model, training)
    loss_fn = nn.CrossEntropyLoss()
    accuracy = 0.0
    batches = math.ceil(len(y) / training["batchSize"])
    total, step = batches * training["epochs"], 0
    for _ in range(training["epochs"]):
        model.train()
        order = torch.from_numpy(rng.permutation(len(y)))
        for s in range(0, len(y), training["batchSize"]):
            idx = order[s:s + training["batchSize"]]
            for group in optimizer.param_groups:
                group["lr"] = learning_rate_at(training, step, total)
            step += 1
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            accuracy = float((model(vx).argmax(1) == vy).float().mean())
    return accuracy
