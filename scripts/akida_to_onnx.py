#!/usr/bin/python3
"""Writes the ONNX QDQ equivalent of an Akida 1.0 model, with the same weights.

    scripts/akida_to_onnx.py DIR/model.json OUT.onnx

DIR comes from `akida-bench export MODEL DIR` (bench/AkidaBench.cpp): the
layers, their parameters and output shapes, and every variable as .npy. The
ONNX model computes the same network as Akida, in the quantized form ONNX
Runtime runs fastest on x86 (uint8 activations, int8 weights with per-channel
scales, int32 biases, QDQ nodes that ORT fuses into QLinearConv and friends):

* input: the uint8 image, NCHW, scale 1;
* InputConvolutional / Convolutional: Conv on the same int8 weights (flipped
  for Convolutional, a true convolution in Akida), with Akida's padding; the
  activation out = ceil((p - threshold) / step) becomes the quantization of
  p / step + (0.5 - threshold / step) with scale 1: per-channel weight scale
  1 / step, an int32 bias, and QuantizeLinear(scale 1) to uint8;
* SeparableConvolutional: a depthwise Conv (flipped weights) whose exact sums
  are requantized to uint8 (zero point 128, a scale that covers their worst
  case; ONNX Runtime has no wider activations), then the pointwise Conv with
  the activation as above;
* max pooling: MaxPool with the layer's padding; global average pooling:
  GlobalAveragePool between a per-position quantization (zero point 128)
  and the activation;
* FullyConnected: MatMul on the flattened input (weights reordered from
  Akida's channel-major flatten); without activation the float potentials
  are the model output.

Activations travel as 16 x the level, so that uint8 saturation stops them
just below 16 (a 4-bit activation stops at 15). Differences that remain:
ONNX Runtime keeps fractions of a level (its steps are 1/16 of Akida's) and
rounds to nearest instead of up, the depthwise sums are 8-bit (the rare sums
beyond a quarter of their worst case saturate), and global pooling quantizes
per position. They change values a
little, not the work done: both runtimes run the same layers with the same
shapes and weights.
"""
import argparse
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def fail(msg):
    sys.stderr.write("akida_to_onnx: error: " + msg + "\n")
    sys.exit(1)


def window(in_size, k, s, padding):
    """Output size and padding (before, after) of the reference placement."""
    if padding == 0:  # valid
        return (in_size - k) // s + 1, 0, 0
    out = (in_size - 1) // s + 1
    total = max((out - 1) * s + k - in_size, 0)
    before = total // 2 if padding == 1 else total - total // 2
    return out, before, total - before


class Graph:
    def __init__(self):
        self.nodes = []
        self.inits = []
        self.count = 0

    def name(self, base):
        self.count += 1
        return "%s_%d" % (base, self.count)

    def const(self, base, array):
        n = self.name(base)
        self.inits.append(numpy_helper.from_array(np.asarray(array), n))
        return n

    def node(self, op, inputs, base, **attrs):
        out = self.name(base)
        self.nodes.append(helper.make_node(op, inputs, [out], name=out, **attrs))
        return out

    def dq(self, x, scale, zero, axis=None):
        inputs = [x, self.const("scale", np.asarray(scale, np.float32)),
                  self.const("zp", zero)]
        attrs = {} if axis is None else {"axis": axis}
        return self.node("DequantizeLinear", inputs, "dq", **attrs)

    def q(self, x, scale, zero):
        return self.node("QuantizeLinear",
                         [x, self.const("scale", np.float32(scale)),
                          self.const("zp", np.uint8(zero))], "q")


def v1_step(layer, var):
    """The effective step of each channel: act_step * 2^(4 - act_bits)."""
    bits = layer["params"].get("act_bits", 1)
    return var("act_step").astype(np.float64) * 2.0 ** (4 - bits)


# Activations travel as LEVEL * 16 in uint8: saturation at 255 then stops
# them just below 16, close to the 4-bit ceiling of 15 (with scale 1 they
# would run on to 255).
UNIT = 16.0


def conv_stage(g, x, w_int8, step, threshold, pads, strides, group,
               x_scale, pooled_positions=None):
    """Conv of DQ(x) by int8 weights [F, C/group, kh, kw]; the v1 activation
    in the bias and scales. Returns the uint8 output (LEVEL * UNIT), or, for
    global pooling, the per-position quantization to average."""
    f = w_int8.shape[0]
    scale = UNIT / step  # the output is UNIT * (p - T) / step
    bias = (0.5 - threshold / step) * UNIT
    zero = 0
    if pooled_positions:
        # Per position: (p - T / n) / (s / n) + 0.5 averages to the level.
        scale = pooled_positions / step
        bias = 0.5 - threshold / step
        zero = 128
    w_scale = scale.astype(np.float32)
    wq = g.dq(g.const("w", w_int8.astype(np.int8)), w_scale,
              np.zeros(f, np.int8), axis=0)
    b_scale = (x_scale * w_scale).astype(np.float32)
    b_int = np.round(bias / b_scale).astype(np.int32)
    bq = g.dq(g.const("b", b_int), b_scale, np.zeros(f, np.int32), axis=0)
    y = g.node("Conv", [x, wq, bq], "conv", pads=pads, strides=strides,
               group=group)
    return g.q(y, 1.0, zero)


def convert(spec, weights_dir):
    if spec["ip_version"] != 1:
        fail("only Akida 1.0 models are supported (this one is %d.0)"
             % spec["ip_version"])
    g = Graph()
    h, w, c = spec["input_shape"]
    layers = spec["layers"]
    cur = "input"          # uint8 tensor
    cur_shape = (h, w, c)  # rows, columns, channels
    cur_scale = 1.0        # the graph input holds levels; layer outputs 16x
    output = None
    out_shape = None

    for i, layer in enumerate(layers):
        t = layer["type"]
        p = layer["params"]

        def var(name):
            return np.load(os.path.join(weights_dir, layer["variables"][name]))

        if t == "InputData":
            if p.get("input_bits", 8) > 8 or p.get("input_signed", 0):
                fail("InputData must be unsigned, at most 8 bits")
            continue
        if i != len(layers) - 1 and p.get("activation", 1) == 0:
            fail("layer '%s': only the last layer may output raw potentials"
                 % layer["name"])
        if t in ("InputConvolutional", "Convolutional", "SeparableConvolutional"):
            kh, kw = p["kernel_size_x"], p["kernel_size_y"]
            sh, sw = p.get("kernel_stride_x", 1), p.get("kernel_stride_y", 1)
            oh, pt, pb = window(cur_shape[0], kh, sh, p.get("padding", 1))
            ow, pl, pr = window(cur_shape[1], kw, sw, p.get("padding", 1))
            pads = [pt, pl, pb, pr]
            pool = p.get("pool_type", 0)
            if p.get("activation", 1) != 1:
                fail("layer '%s': convolutions need their activation" % layer["name"])
            x = cur
            if t == "InputConvolutional" and p.get("padding_value", 0):
                x = g.node("Pad", [x, g.const("pads", np.array(
                    [0, 0, pt, pl, 0, 0, pb, pr], np.int64)),
                    g.const("value", np.uint8(p["padding_value"]))], "pad")
                pads = [0, 0, 0, 0]
            in_scale = cur_scale
            xf = g.dq(x, np.float32(in_scale), np.uint8(0))
            weights = var("weights")  # (kh, kw, C, F) or (kh, kw, C, 1)
            if t != "InputConvolutional":  # true convolution
                weights = weights[::-1, ::-1]
            step, thr = v1_step(layer, var), var("threshold").astype(np.float64)
            f = p["filters"]
            x_scale = in_scale
            if t == "SeparableConvolutional":
                cin = cur_shape[2]
                dw = np.ascontiguousarray(weights[:, :, :, 0].transpose(2, 0, 1))[:, None]
                # A quarter of the worst case: rare larger sums saturate.
                bound = float(np.max(np.sum(np.abs(dw.reshape(cin, -1)), axis=1))) * 15
                d_scale = max(bound / 127.0 / 4, 1.0 / UNIT)
                dwq = g.dq(g.const("w", dw.astype(np.int8)),
                           np.ones(cin, np.float32), np.zeros(cin, np.int8), axis=0)
                d = g.node("Conv", [xf, dwq], "dwconv", pads=pads,
                           strides=[sh, sw], group=cin)
                d = g.q(d, d_scale, 128)
                xf = g.dq(d, np.float32(d_scale), np.uint8(128))
                x_scale = d_scale
                weights = var("weights_pw")[0, 0].T[:, :, None, None]  # F, C, 1, 1
                pads, strides = [0, 0, 0, 0], [1, 1]
            else:
                weights = np.ascontiguousarray(weights.transpose(3, 2, 0, 1))
                strides = [sh, sw]
            positions = oh * ow if pool == 2 else None
            y = conv_stage(g, xf, weights, step, thr, pads, strides, 1,
                           x_scale, positions)
            if pool == 1:
                ph, pw_ = p["pool_size_x"], p["pool_size_y"]
                qh = p.get("pool_stride_x", ph)
                qw = p.get("pool_stride_y", pw_)
                poh, ppt, ppb = window(oh, ph, qh, p.get("padding", 1))
                pow_, ppl, ppr = window(ow, pw_, qw, p.get("padding", 1))
                yf = g.dq(y, np.float32(1.0 / UNIT), np.uint8(0))
                yf = g.node("MaxPool", [yf], "maxpool", kernel_shape=[ph, pw_],
                            strides=[qh, qw], pads=[ppt, ppl, ppb, ppr])
                y = g.q(yf, 1.0 / UNIT, 0)
                oh, ow = poh, pow_
            elif pool == 2:
                yf = g.dq(y, np.float32(1.0), np.uint8(128))
                yf = g.node("GlobalAveragePool", [yf], "gap")
                y = g.q(yf, 1.0 / UNIT, 0)
                oh, ow = 1, 1
            cur, cur_shape, cur_scale = y, (oh, ow, f), 1.0 / UNIT
        elif t == "FullyConnected":
            rows, cols, ch = cur_shape
            units = p["units"]
            wts = var("weights")[0, 0]  # (rows*cols*ch, units), channel-major
            # ONNX flattens NCHW (c, row, col); Akida c * H * W + col * H + row.
            idx = np.arange(rows * cols * ch).reshape(ch, rows, cols)
            akida = (np.arange(ch)[:, None, None] * rows * cols
                     + np.arange(cols)[None, None, :] * rows
                     + np.arange(rows)[None, :, None])
            wts = wts[akida.reshape(-1)]
            del idx
            xf = g.dq(cur, np.float32(cur_scale), np.uint8(0))
            xf = g.node("Flatten", [xf], "flatten", axis=1)
            if p.get("activation", 1) == 0:
                wq = g.dq(g.const("w", wts.astype(np.int8)), np.float32(1.0),
                          np.int8(0))
                output = g.node("MatMul", [xf, wq], "matmul")
                out_shape = [1, units]
                cur = None
            else:
                step, thr = v1_step(layer, var), var("threshold").astype(np.float64)
                wq = g.dq(g.const("w", wts.astype(np.int8)), np.float32(1.0),
                          np.int8(0))
                y = g.node("MatMul", [xf, wq], "matmul")
                y = g.node("Mul", [y, g.const("inv", (1.0 / step).astype(np.float32))], "mul")
                y = g.node("Add", [y, g.const("b", (0.5 - thr / step).astype(np.float32))], "add")
                y = g.q(y, 1.0 / UNIT, 0)
                y = g.node("Reshape", [y, g.const("shape", np.array([1, units, 1, 1], np.int64))], "reshape")
                cur, cur_shape, cur_scale = y, (1, 1, units), 1.0 / UNIT
        else:
            fail("layer '%s': type %s is not supported" % (layer["name"], t))

    if output is None:
        output = g.dq(cur, np.float32(cur_scale), np.uint8(0))
        out_shape = [1, cur_shape[2], cur_shape[0], cur_shape[1]]
    g.nodes.append(helper.make_node("Identity", [output], ["output"], name="output"))
    graph = helper.make_graph(
        g.nodes, spec["name"].replace(".", "_"),
        [helper.make_tensor_value_info("input", TensorProto.UINT8, [1, c, h, w])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, out_shape)],
        g.inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)],
                              producer_name="akida_to_onnx")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("spec", help="model.json written by `akida-bench export`")
    ap.add_argument("out", help="the ONNX file to write")
    args = ap.parse_args()
    try:
        with open(args.spec) as f:
            spec = json.load(f)
    except (OSError, ValueError) as e:
        fail("cannot read '%s': %s" % (args.spec, e))
    model = convert(spec, os.path.dirname(os.path.abspath(args.spec)))
    onnx.save(model, args.out)
    print("wrote %s (%d nodes)" % (args.out, len(model.graph.node)))


if __name__ == "__main__":
    main()
