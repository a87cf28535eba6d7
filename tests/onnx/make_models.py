#!/usr/bin/python3
"""Writes the small QDQ ONNX models the importer tests read.

  /usr/bin/python3 tests/onnx/make_models.py OUT_DIR

Deterministic (seeded). Each model is the Fashion-MNIST network's shape in
miniature, on a 10x10x1 input:

  tiny_w4a4.onnx  Akida 1.0 style: 8-bit input conv weights, 4-bit weights
                  elsewhere, 4-bit activations (Clip before QuantizeLinear),
                  int8 weight initializers with per-channel DequantizeLinear,
                  int32 biases; conv -> maxpool -> dw -> pw(+BN) -> gap -> fc.
  tiny_w8a8.onnx  Akida 2.0 style: the same with 8-bit weights and
                  activations, weights as QuantizeLinear(float) pairs (folded
                  by the importer), a stride-2 depthwise conv.
  tiny_residual_w8a8.onnx  Akida 2.0 branches: conv0 feeds a 1x1 conv and
                  an Add with it (scales a power of two apart), then a
                  Concat of two tensors with one scale.
  qlinear_conv_zp.onnx  one QLinearConv with input, weight and output zero
                  points (an operator-level quantized graph).
  bad_*.onnx      one unsupported construct each (the error tests).
  tail_softmax_w8a8.onnx, mid_hardswish_w8a8.onnx  ops no Akida layer
                  expresses, at the end and in the middle (software
                  fallback).
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

rng = np.random.default_rng(7)


class Builder:
    def __init__(self):
        self.nodes, self.inits = [], []

    def init(self, name, arr):
        self.inits.append(numpy_helper.from_array(np.asarray(arr), name))
        return name

    def node(self, op, ins, outs, name, **attrs):
        self.nodes.append(helper.make_node(op, ins, outs, name=name, **attrs))
        return outs[0]

    def act_q(self, x, name, scale, bits):
        """[Clip] -> QuantizeLinear -> DequantizeLinear, uint8 zero point 0."""
        s = self.init(f'{name}.s', np.float32(scale))
        z = self.init(f'{name}.z', np.uint8(0))
        if bits < 8:
            lo = self.init(f'{name}.lo', np.float32(0))
            hi = self.init(f'{name}.hi', np.float32(scale * (2 ** bits - 1)))
            x = self.node('Clip', [x, lo, hi], [f'{name}.clip'], f'{name}.clip')
        q = self.node('QuantizeLinear', [x, s, z], [f'{name}.q'], f'{name}.Q')
        return self.node('DequantizeLinear', [q, s, z], [f'{name}.dq'], f'{name}.DQ')

    def weights(self, name, shape, wmax, fold):
        """Per-channel symmetric weights along axis 0."""
        q = rng.integers(-wmax, wmax + 1, size=shape).astype(np.int8)
        if shape[0] > 2:
            q[1] = 0  # a dead channel, as real models have
        s = (rng.uniform(0.5, 1.5, size=shape[0]) / wmax * 0.2).astype(np.float32)
        ws = self.init(f'{name}.ws', s)
        wz = self.init(f'{name}.wz', np.zeros(shape[0], np.int8))
        if fold:
            wf = self.init(f'{name}.wf', (q * s.reshape(-1, *[1] * (len(shape) - 1))).astype(np.float32))
            wq = self.node('QuantizeLinear', [wf, ws, wz], [f'{name}.wq'], f'{name}.wQ', axis=0)
        else:
            wq = self.init(f'{name}.wq', q)
        return self.node('DequantizeLinear', [wq, ws, wz], [f'{name}.w'], f'{name}.wDQ', axis=0), s

    def bias(self, name, s_in, s_w):
        bq = rng.integers(-300, 300, size=s_w.shape[0]).astype(np.int32)
        bs = self.init(f'{name}.bs', (s_in * s_w).astype(np.float32))
        bz = self.init(f'{name}.bz', np.zeros(s_w.shape[0], np.int32))
        bqn = self.init(f'{name}.bq', bq)
        return self.node('DequantizeLinear', [bqn, bs, bz], [f'{name}.b'], f'{name}.bDQ', axis=0)


def tiny(wbits, abits, fold, dw_stride, extra=None, size=10,
         scales=(0.05, 0.08, 0.1)):
    b = Builder()
    wmax = 2 ** (wbits - 1) - 1
    s_in = np.float32(1 / 255)
    x = b.act_q('input', 'in', s_in, 8)
    # conv0: 3x3, 1 -> 6, same, max pool 2.
    w, sw = b.weights('conv0', (6, 1, 3, 3), 127, fold)
    bb = b.bias('conv0', s_in, sw)
    y = b.node('Conv', [x, w, bb], ['conv0.y'], 'conv0', kernel_shape=[3, 3], pads=[1, 1, 1, 1])
    y = b.node('MaxPool', [y], ['conv0.p'], 'conv0.pool', kernel_shape=[2, 2], strides=[2, 2])
    y = b.node('Relu', [y], ['conv0.r'], 'conv0.relu')
    x = b.act_q(y, 'a0', scales[0], abits)
    s_x = np.float32(scales[0])
    # dw1: depthwise 3x3.
    p = [1, 1, 1, 1]
    w, sw = b.weights('dw1', (6, 1, 3, 3), wmax, fold)
    bb = b.bias('dw1', s_x, sw)
    y = b.node('Conv', [x, w, bb], ['dw1.y'], 'dw1', kernel_shape=[3, 3], pads=p, group=6,
               strides=[dw_stride, dw_stride])
    y = b.node('Relu', [y], ['dw1.r'], 'dw1.relu')
    x = b.act_q(y, 'a1', scales[1], abits)
    s_x = np.float32(scales[1])
    if extra == 'hardswish':
        # A float op between two quantized tensors: no Akida layer for it.
        y = b.node('HardSwish', [x], ['hswish'], 'odd.hardswish')
        x = b.act_q(y, 'a1h', scales[1], abits)
    if extra == 'sigmoid':
        x = b.node('Sigmoid', [x], ['sig'], 'odd.sigmoid')
    # pw2: 1x1 6 -> 8, then BatchNormalization (folded), GAP, ReLU.
    w, sw = b.weights('pw2', (8, 6, 1, 1), wmax, fold)
    group = 2 if extra == 'grouped' else 1
    if group == 2:
        w, sw = b.weights('pw2g', (8, 3, 1, 1), wmax, fold)
    y = b.node('Conv', [x, w], ['pw2.y'], 'pw2', kernel_shape=[1, 1], group=group)
    g = b.init('bn.g', rng.uniform(0.5, 1.5, 8).astype(np.float32))
    be = b.init('bn.b', rng.uniform(-0.1, 0.1, 8).astype(np.float32))
    m = b.init('bn.m', rng.uniform(-0.05, 0.05, 8).astype(np.float32))
    v = b.init('bn.v', rng.uniform(0.5, 1.5, 8).astype(np.float32))
    y = b.node('BatchNormalization', [y, g, be, m, v], ['pw2.bn'], 'pw2.bn')
    y = b.node('GlobalAveragePool', [y], ['pw2.gap'], 'pw2.gap')
    y = b.node('Relu', [y], ['pw2.r'], 'pw2.relu')
    x = b.act_q(y, 'a2', scales[2], abits)
    s_x = np.float32(scales[2])
    # fc: 8 -> 5, float output.
    x = b.node('Flatten', [x], ['flat'], 'flatten', axis=1)
    if extra == 'float_weights':
        w = b.init('fc.wfloat', rng.normal(size=(5, 8)).astype(np.float32))
        bb = b.init('fc.bfloat', np.zeros(5, np.float32))
    else:
        w, sw = b.weights('fc', (5, 8), wmax, fold)
        bb = b.bias('fc', s_x, sw)
    out = b.node('Gemm', [x, w, bb], ['logits'], 'fc', transB=1)
    if extra == 'softmax':
        out = b.node('Softmax', [out], ['probs'], 'softmax', axis=1)
    graph = helper.make_graph(
        b.nodes, 'tiny',
        [helper.make_tensor_value_info('input', TensorProto.FLOAT, ['N', 1, size, size])],
        [helper.make_tensor_value_info(out, TensorProto.FLOAT, ['N', 5])], b.inits)
    opset = 14 if extra == 'hardswish' else 13
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', opset)],
                              producer_name='akida-cpp tests/onnx/make_models.py')
    model.ir_version = 7
    return model


def residual(bad_scale=False):
    """conv0 -> a; pw1(a) -> b; Add(a, b) -> Relu -> c; Concat(c, b') ->
    pw3 -> GAP -> Relu -> fc."""
    b = Builder()
    s_in = np.float32(1 / 255)
    x = b.act_q('input', 'in', s_in, 8)
    s0, s1 = np.float32(0.05), np.float32(0.1)
    w, sw = b.weights('conv0', (6, 1, 3, 3), 127, False)
    bb = b.bias('conv0', s_in, sw)
    y = b.node('Conv', [x, w, bb], ['conv0.y'], 'conv0', kernel_shape=[3, 3], pads=[1, 1, 1, 1])
    y = b.node('Relu', [y], ['conv0.r'], 'conv0.relu')
    a = b.act_q(y, 'a0', s0, 8)
    w, sw = b.weights('pw1', (6, 6, 1, 1), 127, False)
    bb = b.bias('pw1', s0, sw)
    y = b.node('Conv', [a, w, bb], ['pw1.y'], 'pw1', kernel_shape=[1, 1])
    y = b.node('Relu', [y], ['pw1.r'], 'pw1.relu')
    bv = b.act_q(y, 'a1', s1, 8)
    y = b.node('Add', [a, bv], ['add.y'], 'add')
    y = b.node('Relu', [y], ['add.r'], 'add.relu')
    c = b.act_q(y, 'a2', np.float32(0.15) if bad_scale else s1, 8)
    w, sw = b.weights('pw2', (6, 6, 1, 1), 127, False)
    bb = b.bias('pw2', s1, sw)
    y = b.node('Conv', [bv, w, bb], ['pw2.y'], 'pw2', kernel_shape=[1, 1])
    y = b.node('Relu', [y], ['pw2.r'], 'pw2.relu')
    d = b.act_q(y, 'a3', s1, 8)
    y = b.node('Concat', [c, d], ['cat.y'], 'concat', axis=1)
    e = b.act_q(y, 'a4', s1, 8)
    w, sw = b.weights('pw3', (8, 12, 1, 1), 127, False)
    bb = b.bias('pw3', s1, sw)
    y = b.node('Conv', [e, w, bb], ['pw3.y'], 'pw3', kernel_shape=[1, 1])
    y = b.node('GlobalAveragePool', [y], ['pw3.gap'], 'pw3.gap')
    y = b.node('Relu', [y], ['pw3.r'], 'pw3.relu')
    f = b.act_q(y, 'a5', np.float32(0.2), 8)
    f = b.node('Flatten', [f], ['flat'], 'flatten', axis=1)
    w, sw = b.weights('fc', (5, 8), 127, False)
    bb = b.bias('fc', np.float32(0.2), sw)
    b.node('Gemm', [f, w, bb], ['logits'], 'fc', transB=1)
    graph = helper.make_graph(
        b.nodes, 'residual',
        [helper.make_tensor_value_info('input', TensorProto.FLOAT, ['N', 1, 10, 10])],
        [helper.make_tensor_value_info('logits', TensorProto.FLOAT, ['N', 5])], b.inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 13)],
                              producer_name='akida-cpp tests/onnx/make_models.py')
    model.ir_version = 7
    return model


def qlinear_conv(x_zp, pads):
    """One QLinearConv (3x3, 6x6x1 uint8 input, 2 filters, uint8 weights
    with zero point 128) as an operator-level quantized graph."""
    b = Builder()
    w = rng.integers(100, 156, size=(2, 1, 3, 3)).astype(np.uint8)
    ins = [b.init('x_scale', np.float32(0.02)), b.init('x_zero_point', np.uint8(x_zp)),
           b.init('w', w), b.init('w_scale', np.float32(0.01)),
           b.init('w_zero_point', np.uint8(128)), b.init('y_scale', np.float32(0.05)),
           b.init('y_zero_point', np.uint8(100))]
    b.node('QLinearConv', ['x'] + ins, ['y'], 'qconv', kernel_shape=[3, 3], pads=pads)
    side = 6 - 2 + pads[0] + pads[2]
    g = helper.make_graph(
        b.nodes, 'qlinear_conv',
        [helper.make_tensor_value_info('x', TensorProto.UINT8, [1, 1, 6, 6])],
        [helper.make_tensor_value_info('y', TensorProto.UINT8, [1, 2, side, side])],
        b.inits)
    return helper.make_model(g, opset_imports=[helper.make_opsetid('', 13)])


def relu_before_zero_point():
    """DequantizeLinear -> Conv 1x1 -> Relu -> QuantizeLinear(zero point 5)."""
    b = Builder()
    s, z = b.init('x.s', np.float32(1 / 255)), b.init('x.z', np.uint8(0))
    q = b.node('QuantizeLinear', ['x', s, z], ['x.q'], 'x.Q')
    x = b.node('DequantizeLinear', [q, s, z], ['x.dq'], 'x.DQ')
    w, _ = b.weights('conv', (2, 1, 1, 1), 127, fold=False)
    y = b.node('Conv', [x, w], ['conv.y'], 'conv')
    y = b.node('Relu', [y], ['relu.y'], 'relu')
    ys, yz = b.init('y.s', np.float32(0.01)), b.init('y.z', np.uint8(5))
    b.node('QuantizeLinear', [y, ys, yz], ['y'], 'y.Q')
    g = helper.make_graph(
        b.nodes, 'relu_before_zero_point',
        [helper.make_tensor_value_info('x', TensorProto.FLOAT, [1, 1, 4, 4])],
        [helper.make_tensor_value_info('y', TensorProto.UINT8, [1, 2, 4, 4])],
        b.inits)
    return helper.make_model(g, opset_imports=[helper.make_opsetid('', 13)])


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    models = {
        'tiny_w4a4': tiny(4, 4, fold=False, dw_stride=1),
        'tiny_w8a8': tiny(8, 8, fold=True, dw_stride=2),
        'tiny_residual_w8a8': residual(),
        # Add inputs whose scales are 1/3 and 2/3 of the output's.
        'bad_add_scales': residual(bad_scale=True),
        'bad_sigmoid': tiny(8, 8, fold=False, dw_stride=1, extra='sigmoid'),
        'bad_grouped': tiny(8, 8, fold=False, dw_stride=1, extra='grouped'),
        'bad_float_weights': tiny(8, 8, fold=False, dw_stride=1, extra='float_weights'),
        # 8x8 -> pool -> 4x4, then a stride-2 3x3 conv with pads 1,1,1,1:
        # neither 'valid' nor 'same'.
        'bad_pads': tiny(8, 8, fold=False, dw_stride=2, size=8),
        # An input zero point with 'same' padding: Akida 2.0 pads with 0.
        'bad_zero_point_pads': qlinear_conv(3, [1, 1, 1, 1]),
        # A ReLU clips at 0, not at the output zero point.
        'bad_relu_zero_point': relu_before_zero_point(),
        'qlinear_conv_zp': qlinear_conv(3, [0, 0, 0, 0]),
        # For --software-fallback: a Softmax after the float logits, and a
        # HardSwish between two quantized tensors (the rest of the model
        # is left to software).
        # Finer activation scales than the others: outputs vary per input.
        'tail_softmax_w8a8': tiny(8, 8, fold=False, dw_stride=1, extra='softmax',
                                  scales=(0.01, 0.01, 0.002)),
        'mid_hardswish_w8a8': tiny(8, 8, fold=False, dw_stride=1, extra='hardswish',
                                   scales=(0.01, 0.01, 0.002)),
    }
    for name, m in models.items():
        if not name.startswith('bad_'):
            onnx.checker.check_model(m)
        onnx.save(m, os.path.join(out, name + '.onnx'))


if __name__ == '__main__':
    main()
