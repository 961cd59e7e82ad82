"""An EvoNAS genome (src/lib/genome/types.ts, as JSON) lowered to its op graph, as src/lib/genome/graph.ts does.

The Optuna peer of `npm run bench:vs-native` proposes genomes itself, so it lowers them here: the same nodes
(spec, inputs, shapes) torch_genome.GenomeNet builds, with parameters and FLOPs counted as src/lib/genome/ops.ts
counts them. The benchmark re-lowers every trained genome in TypeScript and reports whether both agree.
"""
import math


def _layer_spec(layer):
    kind = layer["kind"]
    if kind in ("conv", "sepconv"):
        op = "conv2d" if kind == "conv" else "separableConv2d"
        return {"op": op, "filters": layer["filters"], "kernel": layer["kernel"], "stride": layer["stride"], "activation": layer["activation"]}
    if kind == "pool":
        return {"op": "maxPool" if layer["mode"] == "max" else "avgPool", "size": layer["size"], "stride": 2}
    if kind == "batchnorm":
        return {"op": "batchNorm"}
    if kind == "dropout":
        return {"op": "dropout", "rate": layer["rate"]}
    if kind == "activation":
        return {"op": "activation", "fn": layer["fn"]}
    raise ValueError(f"unknown layer kind {kind}")


def layer_stride(layer):
    if layer["kind"] in ("conv", "sepconv"):
        return layer["stride"]
    return 2 if layer["kind"] == "pool" else 1


def _elements(shape):
    return math.prod(shape)


def output_shape(spec, shape):
    op = spec["op"]
    if op in ("input", "batchNorm", "dropout", "activation", "add"):
        return list(shape)
    if op in ("conv2d", "separableConv2d"):
        return [math.ceil(shape[0] / spec["stride"]), math.ceil(shape[1] / spec["stride"]), spec["filters"]]
    if op in ("maxPool", "avgPool"):
        return [math.ceil(shape[0] / spec["stride"]), math.ceil(shape[1] / spec["stride"]), shape[2]]
    if op == "globalAvgPool":
        return [shape[2]]
    if op == "flatten":
        return [_elements(shape)]
    if op == "dense":
        return [spec["units"]]
    raise ValueError(f"unknown op {op}")


def op_params(spec, shape):
    op = spec["op"]
    if op == "conv2d":
        return spec["kernel"] ** 2 * shape[2] * spec["filters"] + spec["filters"]
    if op == "separableConv2d":
        return spec["kernel"] ** 2 * shape[2] + shape[2] * spec["filters"] + spec["filters"]
    if op == "batchNorm":
        return 4 * shape[-1]
    if op == "dense":
        return _elements(shape) * spec["units"] + spec["units"]
    return 0


def op_flops(spec, shape):
    op, out = spec["op"], output_shape(spec, shape)
    act = lambda: 0 if spec["activation"] == "linear" else _elements(out)
    if op == "conv2d":
        return 2 * _elements(out) * spec["kernel"] ** 2 * shape[2] + act()
    if op == "separableConv2d":
        ho, wo, c = out[0], out[1], shape[2]
        return 2 * (ho * wo * c * spec["kernel"] ** 2 + ho * wo * c * spec["filters"]) + act()
    if op in ("maxPool", "avgPool"):
        return _elements(out) * spec["size"] ** 2
    if op == "batchNorm":
        return 2 * _elements(out)
    if op in ("activation", "add"):
        return _elements(out)
    if op == "globalAvgPool":
        return _elements(shape)
    if op == "dense":
        return 2 * _elements(shape) * spec["units"]
    return 0


def lower(genome, height, width, channels, classes):
    """(nodes, params, flops) of a genome: the nodes as torch_genome.GenomeNet takes them."""
    nodes = []

    def push(spec, inputs):
        in_shape = nodes[inputs[0]]["shape"] if inputs else [height, width, channels]
        nodes.append({"spec": spec, "inputs": inputs, "inputShape": in_shape, "shape": output_shape(spec, in_shape),
                      "params": op_params(spec, in_shape), "flops": op_flops(spec, in_shape)})
        return len(nodes) - 1

    last = push({"op": "input"}, [])
    for block in genome["blocks"]:
        block_input = last
        for layer in block["layers"]:
            last = push(_layer_spec(layer), [last])
        if block["skip"] and last != block_input:
            shortcut = block_input
            if nodes[block_input]["shape"] != nodes[last]["shape"]:
                stride = math.prod(layer_stride(layer) for layer in block["layers"])
                shortcut = push({"op": "conv2d", "filters": nodes[last]["shape"][2], "kernel": 1, "stride": stride, "activation": "linear"}, [block_input])
            last = push({"op": "add"}, [last, shortcut])
    last = push({"op": "globalAvgPool" if genome["head"] == "gap" else "flatten"}, [last])
    push({"op": "dense", "units": classes}, [last])
    return nodes, sum(n["params"] for n in nodes), sum(n["flops"] for n in nodes)
