#!/usr/bin/env python3
"""Writes the full v1 DS-CNN KWS and AkidaNet-0.5/224 graphs as akida .mlir
lit tests (tests/lit/models/).

The layer structure follows the SDK's published summaries: DS-CNN KWS
(49x10x1 input, 8/4/4) and AkidaNet alpha 0.5 at 224 (8/4/4). DS-CNN carries
seeded-random weights at their bit widths as dense resources, so the test also
round-trips real-sized binary blobs; AkidaNet (1.4 M weights) uses splat values
to keep the file small, since it tests the graph, not the numbers.

Usage: scripts/gen-model-mlir.py OUT_DIR
"""
import random
import sys


def shape_str(shape, elem):
    return "tensor<" + "x".join(str(d) for d in shape) + "x" + elem + ">"


class Graph:
    def __init__(self, name, input_shape, resources):
        self.name = name
        self.input_shape = input_shape
        self.use_resources = resources
        self.lines = []
        self.checks = []
        self.blobs = []
        self.rng = random.Random(0)
        self.last = "%arg0"
        self.last_type = shape_str(input_shape, "ui8")
        self.count = 0

    def weights(self, key, shape, bits):
        """A weights attribute: dense resource with random values in range,
        or a splat."""
        n = 1
        for d in shape:
            n *= d
        typ = shape_str(shape, "si8")
        if not self.use_resources:
            return f"dense<1> : {typ}"
        lo, hi = (0, 1) if bits == 1 else (-(1 << (bits - 1)), (1 << (bits - 1)) - 1)
        data = bytes((self.rng.randint(lo, hi) & 0xFF) for _ in range(n))
        # Blob layout: 4-byte little-endian alignment, then the raw bytes.
        self.blobs.append((key, "0x01000000" + data.hex().upper()))
        return f"dense_resource<{key}> : {typ}"

    def act_vars(self, units):
        if not self.use_resources:
            return (f"threshold = dense<2> : tensor<{units}xsi32>, "
                    f"act_step = dense<4.0> : tensor<{units}xf32>")
        thr = ", ".join(str(self.rng.randint(0, 24)) for _ in range(units))
        step = ", ".join(f"{self.rng.randint(2, 16) / 2:.1f}" for _ in range(units))
        return (f"threshold = dense<[{thr}]> : tensor<{units}xsi32>, "
                f"act_step = dense<[{step}]> : tensor<{units}xf32>")

    def add(self, op, name, attrs, out_shape, out_elem):
        out_type = shape_str(out_shape, out_elem)
        res = f"%{self.count}"
        self.lines.append(
            f"    {res} = akida.{op} \"{name}\"({self.last}) {{{attrs}}}\n"
            f"        : ({self.last_type}) -> {out_type}")
        self.checks.append(f"// CHECK: akida.{op} \"{name}\"")
        self.checks.append(f"// CHECK-SAME: -> {out_type}")
        self.count += 1
        self.last, self.last_type = res, out_type
        return out_shape

    def render(self, header):
        out = [header, "",
               "// RUN: akida-opt %s | FileCheck %s",
               "// RUN: akida-opt %s | akida-opt | FileCheck %s",
               "// RUN: akida-opt %s -mlir-print-op-generic | akida-opt | FileCheck %s",
               "",
               "// CHECK: module attributes {akida.ip_version = #akida.ip_version<v1>}",
               f"// CHECK-LABEL: func.func @{self.name}"]
        out += self.checks
        if self.blobs:
            out.append("// CHECK: dialect_resources")
            out += [f"// CHECK: {key}: \"0x01000000" for key, _ in self.blobs]
        out += ["", "module attributes {akida.ip_version = #akida.ip_version<v1>} {",
                f"  func.func @{self.name}(%arg0: {shape_str(self.input_shape, 'ui8')})"
                f" -> {self.last_type} {{"]
        out += self.lines
        out += [f"    return {self.last} : {self.last_type}", "  }", "}"]
        if self.blobs:
            out += ["", "{-#", "  dialect_resources: {", "    builtin: {"]
            out += [f"      {k}: \"{v}\"," for k, v in self.blobs[:-1]]
            k, v = self.blobs[-1]
            out += [f"      {k}: \"{v}\"", "    }", "  }", "#-}"]
        return "\n".join(out) + "\n"


def ceil_div(a, b):
    return (a + b - 1) // b


def input_conv(g, name, shape, filters, k, stride, wbits, abits):
    h, w, c = shape
    out = [1, ceil_div(h, stride), ceil_div(w, stride), filters]
    attrs = (f"filters = {filters}, kernel_size = array<i64: {k}, {k}>, "
             f"kernel_stride = array<i64: {stride}, {stride}>, weights_bits = {wbits}, "
             f"act_bits = {abits}, "
             f"weights = {g.weights(name + '_w', [k, k, c, filters], wbits)}, "
             f"{g.act_vars(filters)}")
    return g.add("input_convolutional", name, attrs, out, f"ui{abits}")[1:]


def conv(g, name, shape, filters, stride, wbits, abits):
    h, w, c = shape
    out = [1, ceil_div(h, stride), ceil_div(w, stride), filters]
    stride_attr = f"kernel_stride = array<i64: {stride}, {stride}>, " if stride != 1 else ""
    attrs = (f"filters = {filters}, kernel_size = array<i64: 3, 3>, {stride_attr}"
             f"weights_bits = {wbits}, act_bits = {abits}, "
             f"weights = {g.weights(name + '_w', [3, 3, c, filters], wbits)}, "
             f"{g.act_vars(filters)}")
    return g.add("convolutional", name, attrs, out, f"ui{abits}")[1:]


def separable(g, name, shape, filters, stride, wbits, abits, gap=False):
    h, w, c = shape
    out = [1, 1, 1, filters] if gap else [1, ceil_div(h, stride), ceil_div(w, stride), filters]
    stride_attr = f"kernel_stride = array<i64: {stride}, {stride}>, " if stride != 1 else ""
    pool_attr = "pool_type = #akida.pool_type<average>, " if gap else ""
    attrs = (f"filters = {filters}, kernel_size = array<i64: 3, 3>, {stride_attr}{pool_attr}"
             f"weights_bits = {wbits}, act_bits = {abits}, "
             f"weights = {g.weights(name + '_dw', [3, 3, c, 1], wbits)}, "
             f"weights_pw = {g.weights(name + '_pw', [1, 1, c, filters], wbits)}, "
             f"{g.act_vars(filters)}")
    return g.add("separable_convolutional", name, attrs, out, f"ui{abits}")[1:]


def fully_connected(g, name, shape, units, wbits):
    features = shape[0] * shape[1] * shape[2]
    attrs = (f"units = {units}, weights_bits = {wbits}, activation = false, "
             f"weights = {g.weights(name + '_w', [1, 1, features, units], wbits)}, "
             f"{g.act_vars(units)}")
    return g.add("fully_connected", name, attrs, [1, 1, 1, units], "si32")[1:]


def ds_cnn():
    g = Graph("ds_cnn_kws", [1, 49, 10, 1], resources=True)
    s = input_conv(g, "conv_0", [49, 10, 1], 64, 5, 2, 8, 4)
    for i in range(1, 4):
        s = separable(g, f"separable_{i}", s, 64, 1, 4, 4)
    s = separable(g, "separable_4", s, 64, 1, 4, 4, gap=True)
    fully_connected(g, "dense_5", s, 33, 4)
    return g.render("// DS-CNN KWS (Akida 1.0, 8/4/4): the full graph with "
                    "seeded-random weights.\n// Generated by "
                    "scripts/gen-model-mlir.py; do not edit.")


def akidanet(alpha=0.5):
    g = Graph("akidanet_05_224", [1, 224, 224, 3], resources=False)
    f = lambda n: int(n * alpha)
    s = input_conv(g, "conv_0", [224, 224, 3], f(32), 3, 2, 8, 4)
    s = conv(g, "conv_1", s, f(64), 1, 4, 4)
    s = conv(g, "conv_2", s, f(128), 2, 4, 4)
    s = conv(g, "conv_3", s, f(128), 1, 4, 4)
    s = separable(g, "separable_4", s, f(256), 2, 4, 4)
    s = separable(g, "separable_5", s, f(256), 1, 4, 4)
    s = separable(g, "separable_6", s, f(512), 2, 4, 4)
    for i in range(7, 12):
        s = separable(g, f"separable_{i}", s, f(512), 1, 4, 4)
    s = separable(g, "separable_12", s, f(1024), 2, 4, 4)
    s = separable(g, "separable_13", s, f(1024), 1, 4, 4, gap=True)
    fully_connected(g, "classifier", s, 1000, 4)
    return g.render("// AkidaNet alpha 0.5 at 224x224 (Akida 1.0, 8/4/4): the "
                    "full graph, splat weights.\n// Generated by "
                    "scripts/gen-model-mlir.py; do not edit.")


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else "tests/lit/models"
    with open(f"{out_dir}/ds-cnn-kws.mlir", "w") as f:
        f.write(ds_cnn())
    with open(f"{out_dir}/akidanet-05-224.mlir", "w") as f:
        f.write(akidanet())


if __name__ == "__main__":
    main()
