#!/usr/bin/python3
"""Trains a small AkidaNet-style CNN on Fashion-MNIST, quantizes it by QAT and
exports two QDQ ONNX models (opset 13) for the ONNX importer:

  fashion_cnn_w8a8.onnx   8-bit weights and activations (Akida 2.0 target),
                          exported with torch.onnx.export from fake-quant ops
  fashion_cnn_w4a4.onnx   4-bit weights (first layer 8-bit) and 4-bit
                          activations (Akida 1.0 target), written node by node
                          with the onnx package

See README.md next to this file for the architecture, the exact graphs and the
accuracies. Everything is seeded; with --threads 1 a re-run gives the same
weights.

  /usr/bin/python3 models/fashion-mnist/train.py [--epochs 12] [--qat-epochs-8 2] [--qat-epochs-4 6]
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import make_data  # noqa: E402

# Layer table. kind: conv (standard, the input conv), dw (depthwise 3x3), pw (1x1).
# pool: 'max' (2x2, stride 2), 'gap' (global average) or None. Pooling is applied
# to the convolution output before the ReLU, like an Akida layer does.
#   name   kind   cin  cout stride pool    out size
ARCH = [
    ('conv0', 'conv', 1, 16, 1, 'max'),   # 28 -> 14  (Akida InputConvolutional / InputConv2D)
    ('dw1', 'dw', 16, 16, 1, 'max'),      # 14 -> 7
    ('pw1', 'pw', 16, 48, 1, None),       # 7
    ('dw2', 'dw', 48, 48, 2, None),       # 7 -> 4 (odd input: symmetric pad 1 == Keras 'same')
    ('pw2', 'pw', 48, 96, 1, None),       # 4
    ('dw3', 'dw', 96, 96, 1, None),       # 4
    ('pw3', 'pw', 96, 128, 1, 'gap'),     # 4 -> 1
]
FC = ('fc', 128, 10)
INPUT_SCALE = 1.0 / 255.0


def conv_geometry(kind, cin, stride):
    k = 1 if kind == 'pw' else 3
    return dict(kernel=k, stride=stride, pad=k // 2, groups=cin if kind == 'dw' else 1)


# ---------------------------------------------------------------- float model
class FloatNet(nn.Module):
    """conv (no bias) -> BatchNorm -> [pool] -> ReLU per layer, then Linear."""

    def __init__(self):
        super().__init__()
        self.convs = nn.ModuleList()
        self.bns = nn.ModuleList()
        for name, kind, cin, cout, stride, pool in ARCH:
            g = conv_geometry(kind, cin, stride)
            self.convs.append(nn.Conv2d(cin, cout, g['kernel'], g['stride'], g['pad'], groups=g['groups'], bias=False))
            self.bns.append(nn.BatchNorm2d(cout))
        self.fc = nn.Linear(FC[1], FC[2])

    def forward(self, x):
        for (name, kind, cin, cout, stride, pool), conv, bn in zip(ARCH, self.convs, self.bns):
            x = bn(conv(x))
            if pool == 'max':
                x = F.max_pool2d(x, 2)
            elif pool == 'gap':
                x = F.adaptive_avg_pool2d(x, 1)
            x = F.relu(x)
        return self.fc(torch.flatten(x, 1))

    def folded(self):
        """BatchNorm (eval statistics) folded into the convolutions: list of (W, b)."""
        out = []
        for conv, bn in zip(self.convs, self.bns):
            g = bn.weight / torch.sqrt(bn.running_var + bn.eps)
            w = conv.weight * g.reshape(-1, 1, 1, 1)
            b = bn.bias - bn.running_mean * g
            out.append((w.detach().clone(), b.detach().clone()))
        out.append((self.fc.weight.detach().clone(), self.fc.bias.detach().clone()))
        return out


# ---------------------------------------------------------------- fake quantization
def round_ste(x):
    return (x.round() - x).detach() + x


def grad_scale(s, g):
    return (s - s * g).detach() + s * g


def weight_scale(w, qmax):
    """Symmetric per-output-channel scale: max|w| / qmax (zero point 0)."""
    m = w.detach().abs().reshape(w.shape[0], -1).amax(1)
    return torch.clamp(m, min=1e-8) / qmax


def fq_weight(w, qmax):
    s = weight_scale(w, qmax)
    shape = (-1,) + (1,) * (w.dim() - 1)
    q = torch.clamp(round_ste(w / s.reshape(shape)), -qmax, qmax)
    return q * s.reshape(shape), s


def fq_act(x, s, qmax, lsq=True):
    """Unsigned per-tensor, zero point 0, values 0..qmax. LSQ gradient for s."""
    if lsq:
        s = grad_scale(s, 1.0 / math.sqrt(x[0].numel() * qmax))
    return torch.clamp(round_ste(x / s), 0, qmax) * s


class QuantNet(nn.Module):
    """The BN-folded network with fake quantization (QAT).

    Input: float pixel/255, quantized with scale 1/255 to uint8 0..255.
    Weights: symmetric per output channel, values -wq..wq (wq = 127 or 7; the
    first layer keeps 8-bit weights in every configuration).
    Biases: integers with scale s_in * s_w (what an int32 bias carries).
    Activations (after every ReLU): unsigned per tensor, zero point 0,
    0..aq (255 or 15), learned scale (LSQ).
    """

    def __init__(self, folded, wbits, abits):
        super().__init__()
        self.wq = 2 ** (wbits - 1) - 1
        self.aq = 2 ** abits - 1
        self.first_wq = 127
        self.weights = nn.ParameterList([nn.Parameter(w.clone()) for w, _ in folded])
        self.biases = nn.ParameterList([nn.Parameter(b.clone()) for _, b in folded])
        self.act_scales = nn.Parameter(torch.ones(len(ARCH)))

    def wqmax(self, i):
        return self.first_wq if i == 0 else self.wq

    def quant_params(self, i, s_in):
        w, s_w = fq_weight(self.weights[i], self.wqmax(i))
        s_b = s_in * s_w
        b = round_ste(self.biases[i] / s_b) * s_b
        return w, b, s_w, s_b

    def forward(self, x, collect=None, quant_acts=True):
        x = fq_act(x, torch.tensor(INPUT_SCALE), 255, lsq=False)
        s_in = torch.tensor(INPUT_SCALE)
        for i, (name, kind, cin, cout, stride, pool) in enumerate(ARCH):
            g = conv_geometry(kind, cin, stride)
            w, b, _, _ = self.quant_params(i, s_in)
            x = F.conv2d(x, w, b, g['stride'], g['pad'], groups=g['groups'])
            if pool == 'max':
                x = F.max_pool2d(x, 2)
            elif pool == 'gap':
                x = F.adaptive_avg_pool2d(x, 1)
            x = F.relu(x)
            if collect is not None:
                collect.append(x.detach())
            s = self.act_scales[i]
            if quant_acts:
                x = fq_act(x, s, self.aq)
            s_in = s
        w, b, _, _ = self.quant_params(len(ARCH), s_in)
        return F.linear(torch.flatten(x, 1), w, b)

    @torch.no_grad()
    def calibrate(self, x):
        """Initial activation scales from float activations: for each layer the
        scale minimising the quantization MSE over a grid of clipping values."""
        acts = []
        # Biases are rounded with s_in = the (not yet known) activation scales;
        # use a fine grid for this pass.
        self.act_scales.fill_(1e-6)
        self.forward(x, collect=acts, quant_acts=False)
        for i, a in enumerate(acts):
            v = a.flatten()
            v = v[torch.randperm(v.numel(), generator=torch.Generator().manual_seed(i))[:200000]]
            top = float(v.max())
            best, best_s = None, top / self.aq
            for frac in np.linspace(0.2, 1.0, 41):
                s = max(top * frac, 1e-8) / self.aq
                err = float(((torch.clamp(torch.round(v / s), 0, self.aq) * s - v) ** 2).mean())
                if best is None or err < best:
                    best, best_s = err, s
            self.act_scales[i] = best_s

    @torch.no_grad()
    def export_params(self):
        """Integer weights/biases and float scales exactly as the forward pass uses them."""
        layers = []
        s_in = torch.tensor(INPUT_SCALE, dtype=torch.float32)
        for i in range(len(ARCH) + 1):
            qmax = self.wqmax(i)
            w = self.weights[i]
            s_w = weight_scale(w, qmax)
            shape = (-1,) + (1,) * (w.dim() - 1)
            w_q = torch.clamp(torch.round(w / s_w.reshape(shape)), -qmax, qmax)
            s_b = s_in * s_w
            b_q = torch.round(self.biases[i] / s_b)
            s_out = self.act_scales[i].clone() if i < len(ARCH) else None
            layers.append(dict(w_q=w_q.to(torch.int8).numpy(), s_w=s_w.float().numpy(),
                               b_q=b_q.to(torch.int32).numpy(), s_b=s_b.float().numpy(),
                               s_in=float(s_in), s_out=None if s_out is None else float(s_out),
                               w=w.detach().clone(), b=(b_q * s_b).float()))
            if s_out is not None:
                s_in = s_out
        return layers


# ---------------------------------------------------------------- data and training loops
def augment(x, gen):
    """Random horizontal flip and a random shift of up to 2 pixels (zero fill)."""
    n = x.shape[0]
    flip = torch.rand(n, generator=gen) < 0.5
    x = torch.where(flip.reshape(-1, 1, 1, 1), x.flip(3), x)
    pad = F.pad(x, (2, 2, 2, 2))
    dx = torch.randint(0, 5, (n,), generator=gen)
    dy = torch.randint(0, 5, (n,), generator=gen)
    out = torch.empty_like(x)
    for sx in range(5):
        for sy in range(5):
            m = (dx == sx) & (dy == sy)
            if m.any():
                out[m] = pad[m, :, sy:sy + 28, sx:sx + 28]
    return out


def run_epochs(model, params, xs, ys, epochs, lr, wd, seed, batch=128, log=''):
    if epochs <= 0:
        return
    gen = torch.Generator().manual_seed(seed)
    opt = torch.optim.AdamW(params, lr=lr, weight_decay=wd)
    steps = epochs * math.ceil(xs.shape[0] / batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=steps, pct_start=0.15)
    for ep in range(epochs):
        model.train()
        t0 = time.time()
        perm = torch.randperm(xs.shape[0], generator=gen)
        tot, correct, seen = 0.0, 0, 0
        for k in range(0, xs.shape[0], batch):
            idx = perm[k:k + batch]
            x = augment(xs[idx], gen)
            y = ys[idx]
            out = model(x)
            loss = F.cross_entropy(out, y)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            tot += float(loss) * idx.numel()
            correct += int((out.argmax(1) == y).sum())
            seen += idx.numel()
        print(f'{log} epoch {ep + 1}/{epochs}: loss {tot / seen:.4f} train-acc {100 * correct / seen:.2f}% '
              f'({time.time() - t0:.1f} s)', flush=True)


@torch.no_grad()
def predict(model, xs, batch=1000):
    model.eval()
    return torch.cat([model(xs[k:k + batch]) for k in range(0, xs.shape[0], batch)])


def accuracy(logits, ys):
    return float((logits.argmax(1) == ys).float().mean())


# ---------------------------------------------------------------- ONNX export
class ExportNet(nn.Module):
    """The QAT network with frozen scales, written with torch's fake-quant ops so
    that torch.onnx.export emits QuantizeLinear/DequantizeLinear pairs (8-bit only:
    the exporter accepts only 8-bit ranges)."""

    def __init__(self, layers):
        super().__init__()
        self.layers = layers
        self.w = nn.ParameterList([nn.Parameter(l['w']) for l in layers])
        self.b = nn.ParameterList([nn.Parameter(l['b']) for l in layers])
        for i, l in enumerate(layers):
            self.register_buffer(f's_w{i}', torch.from_numpy(l['s_w'].copy()))
            self.register_buffer(f'zp_w{i}', torch.zeros(l['s_w'].shape[0], dtype=torch.int32))
        for l in layers:
            assert int(np.abs(l['w_q']).max()) <= 127

    def forward(self, x):
        x = torch.fake_quantize_per_tensor_affine(x, INPUT_SCALE, 0, 0, 255)
        for i in range(len(ARCH) + 1):
            l = self.layers[i]
            w = torch.fake_quantize_per_channel_affine(self.w[i], getattr(self, f's_w{i}'),
                                                       getattr(self, f'zp_w{i}'), 0, -128, 127)
            if i == len(ARCH):
                return F.linear(torch.flatten(x, 1), w, self.b[i])
            name, kind, cin, cout, stride, pool = ARCH[i]
            g = conv_geometry(kind, cin, stride)
            x = F.conv2d(x, w, self.b[i], g['stride'], g['pad'], groups=g['groups'])
            if pool == 'max':
                x = F.max_pool2d(x, 2)
            elif pool == 'gap':
                x = F.adaptive_avg_pool2d(x, 1)
            x = F.relu(x)
            x = torch.fake_quantize_per_tensor_affine(x, l['s_out'], 0, 0, 255)


def tidy_onnx(model):
    """Turns Constant nodes into initializers, drops Identity nodes (torch emits
    them for shared constants), names nodes and tensors after the layers (the
    same names as the w4a4 graph) and re-checks the model."""
    import onnx
    from onnx import numpy_helper
    g = model.graph
    alias = {}
    keep = []
    for n in g.node:
        if n.op_type == 'Identity':
            alias[n.output[0]] = n.input[0]
        elif n.op_type == 'Constant':
            assert len(n.attribute) == 1 and n.attribute[0].name == 'value', n
            t = onnx.TensorProto()
            t.CopyFrom(n.attribute[0].t)
            t.name = n.output[0]
            g.initializer.append(t)
        else:
            keep.append(n)
    graph_outputs = {o.name for o in g.output}
    for n in keep:
        for i, name in enumerate(n.input):
            while name in alias:
                name = alias[name]
            n.input[i] = name
    for o in graph_outputs:
        assert o not in alias, 'graph output produced by Identity'
    del g.node[:]
    g.node.extend(keep)
    used = {i for n in g.node for i in n.input}
    inits = [t for t in g.initializer if t.name in used]
    del g.initializer[:]
    g.initializer.extend(inits)
    del g.value_info[:]

    # Names: weights '<layer>.weight_float' -> Q -> '<layer>.weight_q' -> DQ ->
    # '<layer>.weight'; activations '<layer>.conv|pool|relu|act_q|act'.
    inits = {t.name: t for t in g.initializer}
    layer_names = [a[0] for a in ARCH] + [FC[0]]
    rename = {}
    suffix = {'Conv': 'conv', 'MaxPool': 'pool', 'GlobalAveragePool': 'pool', 'Relu': 'relu',
              'QuantizeLinear': 'act_q', 'DequantizeLinear': 'act', 'Flatten': 'flatten', 'Gemm': 'gemm'}
    cur, nxt = 'input', 0
    weight_q = set()

    def own(node, idx, name):
        """Gives node input idx (a scale or zero point) its own initializer called
        name: torch shares equal constants between layers."""
        if name not in inits:
            t = onnx.TensorProto()
            t.CopyFrom(inits[node.input[idx]])
            t.name = name
            g.initializer.append(t)
            inits[name] = t
        else:
            x, y = numpy_helper.to_array(inits[name]), numpy_helper.to_array(inits[node.input[idx]])
            assert x.dtype == y.dtype and np.array_equal(x, y), name
        node.input[idx] = name
    for n in g.node:
        if n.op_type == 'QuantizeLinear' and n.input[0] in inits:       # Q(float weight)
            lay = layer_names[nxt]
            weight_q.add(n.output[0])
            rename.update({n.input[0]: f'{lay}.weight_float', n.output[0]: f'{lay}.weight_q'})
            own(n, 1, f'{lay}.weight_scale')
            own(n, 2, f'{lay}.weight_zp')
            n.name = f'{lay}.weight_Q'
            continue
        if n.op_type == 'DequantizeLinear' and n.input[0] in weight_q:   # DQ(Q(float weight))
            lay = layer_names[nxt]
            rename[n.output[0]] = f'{lay}.weight'
            own(n, 1, f'{lay}.weight_scale')
            own(n, 2, f'{lay}.weight_zp')
            n.name = f'{lay}.weight_DQ'
            continue
        if n.op_type in ('Conv', 'Gemm'):
            cur = layer_names[nxt]
            nxt += 1
            if len(n.input) > 2 and n.input[2] in inits:
                rename[n.input[2]] = f'{cur}.bias'
        base = 'input' if cur == 'input' else f'{cur}.act'
        if n.op_type in ('QuantizeLinear', 'DequantizeLinear'):
            own(n, 1, f'{base}_scale' if cur == 'input' else f'{cur}.act_scale')
            own(n, 2, f'{base}_zp' if cur == 'input' else f'{cur}.act_zp')
        if n.op_type == 'QuantizeLinear':
            out, n.name = ('input_q' if cur == 'input' else f'{cur}.act_q'), f'{base}_Q'
        elif n.op_type == 'DequantizeLinear':
            out, n.name = ('input_dq' if cur == 'input' else f'{cur}.act'), f'{base}_DQ'
        elif n.op_type == 'Flatten':
            out = n.name = 'flatten'
        else:
            out = n.name = f'{cur}.{suffix[n.op_type]}'
        if n.output[0] not in graph_outputs:
            rename[n.output[0]] = out
    assert len(set(rename.values())) == len(rename), 'tensor name clash'
    for t in g.initializer:
        t.name = rename.get(t.name, t.name)
    for n in g.node:
        for i, name in enumerate(n.input):
            n.input[i] = rename.get(name, name)
        for i, name in enumerate(n.output):
            n.output[i] = rename.get(name, name)
    used = {i for n in g.node for i in n.input}
    kept = sorted((t for t in g.initializer if t.name in used), key=lambda t: t.name)
    del g.initializer[:]
    g.initializer.extend(kept)
    model = onnx.shape_inference.infer_shapes(model)
    onnx.checker.check_model(model)
    return model


def export_w8a8(qnet, path):
    import onnx
    layers = qnet.export_params()
    net = ExportNet(layers).eval()
    dummy = torch.zeros(1, 1, 28, 28)
    tmp = path + '.tmp'
    torch.onnx.export(net, dummy, tmp, opset_version=13, input_names=['input'], output_names=['logits'],
                      dynamic_axes={'input': {0: 'N'}, 'logits': {0: 'N'}}, do_constant_folding=True)
    m = tidy_onnx(onnx.load(tmp))
    os.remove(tmp)
    m.doc_string = ('Fashion-MNIST AkidaNet-style CNN, QAT w8a8 (per-channel symmetric int8 weights, uint8 '
                    'per-tensor activations, zero points 0). Input: float32 NCHW [N,1,28,28] = pixel/255.')
    onnx.save(m, path)
    return net


def write_w4a4(qnet, path):
    """Hand-written QDQ graph: int8 initializers holding the integer weights
    with per-channel DequantizeLinear(axis=0), int32 biases with scale s_in*s_w,
    Clip(0, aq*s) before every activation QuantizeLinear."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    layers = qnet.export_params()
    aq = qnet.aq
    nodes, inits = [], []

    def init(name, arr):
        inits.append(numpy_helper.from_array(arr, name))
        return name

    def scalar(name, value, dtype):
        return init(name, np.array(value, dtype=dtype))

    x = 'input'
    nodes.append(helper.make_node('QuantizeLinear', [x, scalar('input_scale', INPUT_SCALE, np.float32),
                                                     scalar('input_zp', 0, np.uint8)], ['input_q'], name='input_Q'))
    nodes.append(helper.make_node('DequantizeLinear', ['input_q', 'input_scale', 'input_zp'], ['input_dq'],
                                  name='input_DQ'))
    x = 'input_dq'
    for i in range(len(ARCH) + 1):
        name, kind, cin, cout, stride, pool = ARCH[i] if i < len(ARCH) else (FC[0], 'fc', FC[1], FC[2], 1, None)
        l = layers[i]
        f = l['w_q'].shape[0]
        wq = init(f'{name}.weight_q', l['w_q'].astype(np.int8))
        ws = init(f'{name}.weight_scale', l['s_w'].astype(np.float32))
        wz = init(f'{name}.weight_zp', np.zeros(f, np.int8))
        nodes.append(helper.make_node('DequantizeLinear', [wq, ws, wz], [f'{name}.weight'], axis=0,
                                      name=f'{name}.weight_DQ'))
        bq = init(f'{name}.bias_q', l['b_q'].astype(np.int32))
        bs = init(f'{name}.bias_scale', l['s_b'].astype(np.float32))
        bz = init(f'{name}.bias_zp', np.zeros(f, np.int32))
        nodes.append(helper.make_node('DequantizeLinear', [bq, bs, bz], [f'{name}.bias'], axis=0,
                                      name=f'{name}.bias_DQ'))
        if name == 'fc':
            nodes.append(helper.make_node('Flatten', [x], ['flatten'], axis=1, name='flatten'))
            nodes.append(helper.make_node('Gemm', ['flatten', f'{name}.weight', f'{name}.bias'], ['logits'],
                                          transB=1, name='fc'))
            break
        g = conv_geometry(kind, cin, stride)
        k, p = g['kernel'], g['pad']
        nodes.append(helper.make_node('Conv', [x, f'{name}.weight', f'{name}.bias'], [f'{name}.conv'],
                                      kernel_shape=[k, k], strides=[stride, stride], pads=[p, p, p, p],
                                      dilations=[1, 1], group=g['groups'], name=f'{name}.conv'))
        y = f'{name}.conv'
        if pool == 'max':
            nodes.append(helper.make_node('MaxPool', [y], [f'{name}.pool'], kernel_shape=[2, 2], strides=[2, 2],
                                          name=f'{name}.pool'))
            y = f'{name}.pool'
        elif pool == 'gap':
            nodes.append(helper.make_node('GlobalAveragePool', [y], [f'{name}.pool'], name=f'{name}.pool'))
            y = f'{name}.pool'
        nodes.append(helper.make_node('Relu', [y], [f'{name}.relu'], name=f'{name}.relu'))
        s = np.float32(l['s_out'])
        lo = scalar(f'{name}.clip_min', 0.0, np.float32)
        hi = scalar(f'{name}.clip_max', np.float32(aq) * s, np.float32)
        nodes.append(helper.make_node('Clip', [f'{name}.relu', lo, hi], [f'{name}.clip'], name=f'{name}.clip'))
        sc = scalar(f'{name}.act_scale', s, np.float32)
        zp = scalar(f'{name}.act_zp', 0, np.uint8)
        nodes.append(helper.make_node('QuantizeLinear', [f'{name}.clip', sc, zp], [f'{name}.act_q'],
                                      name=f'{name}.act_Q'))
        nodes.append(helper.make_node('DequantizeLinear', [f'{name}.act_q', sc, zp], [f'{name}.act'],
                                      name=f'{name}.act_DQ'))
        x = f'{name}.act'
    graph = helper.make_graph(
        nodes, 'fashion_cnn_w4a4',
        [helper.make_tensor_value_info('input', TensorProto.FLOAT, ['N', 1, 28, 28])],
        [helper.make_tensor_value_info('logits', TensorProto.FLOAT, ['N', 10])], inits)
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 13)], producer_name='akida-cpp train.py')
    m.ir_version = 7
    m.doc_string = (f'Fashion-MNIST AkidaNet-style CNN, QAT w4a4: weights symmetric per channel in int8 containers '
                    f'(first layer -127..127, others -{qnet.wq}..{qnet.wq}), activations uint8 containers 0..{aq} '
                    f'(Clip before QuantizeLinear), int32 biases with scale s_in*s_w, zero points 0. '
                    f'Input: float32 NCHW [N,1,28,28] = pixel/255.')
    m = onnx.shape_inference.infer_shapes(m)
    onnx.checker.check_model(m)
    onnx.save(m, path)


# ---------------------------------------------------------------- main
def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--epochs', type=int, default=15, help='float epochs')
    ap.add_argument('--qat-epochs-8', type=int, default=2, help='QAT epochs for w8a8')
    ap.add_argument('--qat-epochs-4', type=int, default=8, help='QAT epochs for w4a4')
    ap.add_argument('--lr', type=float, default=3e-3)
    ap.add_argument('--qat-lr', type=float, default=1e-3)
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--out', default=HERE, help='directory for the .onnx files')
    ap.add_argument('--float-ckpt', help='load the float model from here if it exists, else save it here')
    ap.add_argument('--only', choices=['w8a8', 'w4a4'], help='produce only this artefact')
    ap.add_argument('--report', help='write the accuracies as JSON here')
    ap.add_argument('--logits-dir', help='write the torch fake-quant test logits here (to compare with ORT)')
    ap.add_argument('--subset', type=int, default=0, help='train on the first N images only (smoke test)')
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    t_start = time.time()
    os.makedirs(args.out, exist_ok=True)

    tr_x, tr_y = make_data.load('train')
    te_x, te_y = make_data.load('test')
    xs = torch.from_numpy(make_data.to_nchw_f32(tr_x))
    ys = torch.from_numpy(tr_y.astype(np.int64))
    if args.subset:
        xs, ys = xs[:args.subset], ys[:args.subset]
    xt = torch.from_numpy(make_data.to_nchw_f32(te_x))
    yt = torch.from_numpy(te_y.astype(np.int64))
    report = {}

    fnet = FloatNet()
    nparams = sum(w.numel() + b.numel() for w, b in fnet.folded())
    print(f'parameters (BN folded into conv weights and biases): {nparams}')
    report['params'] = nparams
    if args.float_ckpt and os.path.exists(args.float_ckpt):
        fnet.load_state_dict(torch.load(args.float_ckpt))
        print(f'loaded {args.float_ckpt}')
    else:
        t0 = time.time()
        run_epochs(fnet, fnet.parameters(), xs, ys, args.epochs, args.lr, 1e-4, args.seed, log='float')
        report['float_train_s'] = round(time.time() - t0, 1)
        if args.float_ckpt:
            torch.save(fnet.state_dict(), args.float_ckpt)
    acc = accuracy(predict(fnet, xt), yt)
    print(f'float test accuracy: {100 * acc:.2f}%')
    report['float_acc'] = acc
    folded = fnet.folded()

    calib = xs[torch.randperm(xs.shape[0], generator=torch.Generator().manual_seed(args.seed + 1))[:2000]]
    for tag, wbits, abits, epochs in (('w8a8', 8, 8, args.qat_epochs_8), ('w4a4', 4, 4, args.qat_epochs_4)):
        if args.only and args.only != tag:
            continue
        torch.manual_seed(args.seed + wbits)
        qnet = QuantNet(folded, wbits, abits)
        qnet.calibrate(calib)
        acc0 = accuracy(predict(qnet, xt), yt)
        print(f'{tag} after calibration (PTQ): {100 * acc0:.2f}%')
        t0 = time.time()
        run_epochs(qnet, qnet.parameters(), xs, ys, epochs, args.qat_lr, 0.0, args.seed + wbits, log=tag)
        qat_s = time.time() - t0
        logits = predict(qnet, xt)
        acc = accuracy(logits, yt)
        print(f'{tag} QAT fake-quant test accuracy: {100 * acc:.2f}%  act scales {qnet.act_scales.tolist()}')
        path = os.path.join(args.out, f'fashion_cnn_{tag}.onnx')
        if tag == 'w8a8':
            enet = export_w8a8(qnet, path)
            acc_e = accuracy(predict(enet, xt), yt)
            print(f'{tag} export net (torch fake-quant ops) accuracy: {100 * acc_e:.2f}%')
        else:
            write_w4a4(qnet, path)
        print(f'wrote {path} ({os.path.getsize(path)} bytes)')
        report[tag] = dict(ptq_acc=acc0, qat_acc=acc, qat_train_s=round(qat_s, 1), bytes=os.path.getsize(path))
        if args.logits_dir:
            os.makedirs(args.logits_dir, exist_ok=True)
            np.save(os.path.join(args.logits_dir, f'torch_logits_{tag}.npy'), logits.numpy())

    report['total_s'] = round(time.time() - t_start, 1)
    print(json.dumps(report))
    if args.report:
        with open(args.report, 'w') as f:
            json.dump(report, f, indent=1)


if __name__ == '__main__':
    main()
