#!/usr/bin/python3
"""Top-1 accuracy of our conversion against ONNX Runtime on the 10,000
Fashion-MNIST test images (issue: within 0.5 points, on the CPU and on the
virtual device after map).

  evaluate.py AKIDA_BIN MODEL.onnx --target v1|v2 --device NAME
              [--images N] [--max-gap 0.5]

Converts MODEL.onnx with `akida convert`, runs the test images with
`akida run` on the CPU and mapped on the virtual device, runs ONNX Runtime
(tools/ort/ort-run.mjs) on the same images (float NCHW, pixel/255), and
prints the accuracies, the top-1 agreement and the logit differences.
Exits 1 when a gap exceeds --max-gap points, or when the device outputs
differ from the CPU outputs (the simulator is bit-exact).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit('evaluate: %s failed: %s' % (' '.join(cmd), (r.stderr or r.stdout).strip()[-400:]))
    return r.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('akida')
    ap.add_argument('model')
    ap.add_argument('--target', required=True, choices=['v1', 'v2'])
    ap.add_argument('--device', required=True)
    ap.add_argument('--images', type=int, default=10000)
    ap.add_argument('--max-gap', type=float, default=0.5)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        run(['/usr/bin/python3', os.path.join(HERE, 'make_data.py'), 'test', tmp])
        x = np.load(os.path.join(tmp, 'test_images_u8.npy'))[:a.images]
        xf = np.load(os.path.join(tmp, 'test_images_f32.npy'))[:a.images]
        labels = np.load(os.path.join(tmp, 'test_labels.npy'))[:a.images].astype(np.int64)
        np.save(os.path.join(tmp, 'x.npy'), x)
        np.save(os.path.join(tmp, 'xf.npy'), xf)
        fbz = os.path.join(tmp, 'model.fbz')
        run([a.akida, 'convert', '-m', a.model, '--target', a.target, '-o', fbz])
        run([a.akida, 'run', '-m', fbz, '-i', os.path.join(tmp, 'x.npy'), '-o', os.path.join(tmp, 'cpu.npy')])
        run([a.akida, 'run', '-m', fbz, '-i', os.path.join(tmp, 'x.npy'), '--device', a.device,
             '-o', os.path.join(tmp, 'dev.npy')])
        timing = json.loads(run(['node', os.path.join(ROOT, 'tools', 'ort', 'ort-run.mjs'), '--model', a.model,
                                 '--input', os.path.join(tmp, 'xf.npy'), '--output',
                                 os.path.join(tmp, 'ort.npy')]).strip().splitlines()[-1])
        n = len(labels)
        cpu = np.load(os.path.join(tmp, 'cpu.npy')).reshape(n, -1)
        dev = np.load(os.path.join(tmp, 'dev.npy')).reshape(n, -1)
        ort = np.load(os.path.join(tmp, 'ort.npy')).reshape(n, -1)

    def acc(logits):
        return 100.0 * (logits.argmax(1) == labels).mean()

    name = os.path.basename(a.model)
    print('%s (%s, %d test images): ONNX Runtime %.2f%%, ours CPU %.2f%%, ours %s %.2f%%'
          % (name, a.target, n, acc(ort), acc(cpu), a.device, acc(dev)))
    print('top-1 agreement with ONNX Runtime %.2f%%; logits max |diff| %.4f, mean |diff| %.4f (range %.2f)'
          % (100.0 * (cpu.argmax(1) == ort.argmax(1)).mean(), np.abs(cpu - ort).max(),
             np.abs(cpu - ort).mean(), np.abs(ort).max()))
    ok = True
    if not np.array_equal(cpu, dev):
        print('FAIL: the %s outputs differ from the CPU outputs' % a.device)
        ok = False
    for what, logits in (('CPU', cpu), (a.device, dev)):
        gap = abs(acc(logits) - acc(ort))
        if gap > a.max_gap:
            print('FAIL: %s accuracy is %.2f points from ONNX Runtime (allowed %.2f)' % (what, gap, a.max_gap))
            ok = False
    print('ok' if ok else 'failed')
    sys.exit(0 if ok else 1)


if __name__ == '__main__':
    main()
