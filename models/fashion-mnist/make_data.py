#!/usr/bin/python3
"""Fashion-MNIST as .npy files for the Akida runtime and for ONNX Runtime.

Reads the IDX files of Debian's dataset-fashion-mnist package
(/usr/share/datasets/fashion-mnist/*.gz; scripts/install-ml-deps.sh installs it).

  make_data.py samples            writes samples.npy (the first 8 test images,
                                  uint8 [8,28,28,1] NHWC, the Akida input layout)
                                  and samples_labels.npy (uint8 [8]) next to
                                  this script (both are committed)
  make_data.py test DIR           writes the 10,000 test images to DIR:
                                    test_images_u8.npy     uint8   [10000,28,28,1] NHWC (Akida)
                                    test_images_f32.npy    float32 [10000,1,28,28] NCHW, pixel/255 (ONNX)
                                    test_labels.npy        uint8   [10000]
  make_data.py accuracy LOGITS.npy [LABELS.npy] [--ref REF.npy]
                                  prints the top-1 accuracy of logits [N,10]
                                  against the test labels (or LABELS.npy); with
                                  --ref, also the argmax agreement and the max
                                  |difference| with other logits (e.g. torch's)

Labels: 0 T-shirt/top, 1 Trouser, 2 Pullover, 3 Dress, 4 Coat, 5 Sandal,
6 Shirt, 7 Sneaker, 8 Bag, 9 Ankle boot.
"""
import argparse
import gzip
import os
import struct
import sys

import numpy as np

DATA_DIR = os.environ.get('FASHION_MNIST_DIR', '/usr/share/datasets/fashion-mnist')
HERE = os.path.dirname(os.path.abspath(__file__))
CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat',
           'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']


def _read_idx(path):
    try:
        with gzip.open(path, 'rb') as f:
            raw = f.read()
    except OSError as e:
        sys.exit(f'make_data: cannot read {path}: {e} (install dataset-fashion-mnist: scripts/install-ml-deps.sh)')
    zero, dtype, ndim = struct.unpack('>HBB', raw[:4])
    if zero != 0 or dtype != 0x08:
        sys.exit(f'make_data: {path} is not an unsigned-byte IDX file')
    dims = struct.unpack('>' + 'I' * ndim, raw[4:4 + 4 * ndim])
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim)
    if data.size != int(np.prod(dims)):
        sys.exit(f'make_data: {path} is truncated')
    return data.reshape(dims)


def load(split):
    """Returns (images uint8 [N,28,28], labels uint8 [N]) for split 'train' or 'test'."""
    prefix = {'train': 'train', 'test': 't10k'}[split]
    images = _read_idx(os.path.join(DATA_DIR, f'{prefix}-images-idx3-ubyte.gz'))
    labels = _read_idx(os.path.join(DATA_DIR, f'{prefix}-labels-idx1-ubyte.gz'))
    assert images.shape[0] == labels.shape[0]
    return images, labels


def to_nhwc_u8(images):
    return np.ascontiguousarray(images[:, :, :, None], dtype=np.uint8)


def to_nchw_f32(images):
    """The ONNX models' input convention: float32 NCHW holding pixel/255."""
    return np.ascontiguousarray(images[:, None, :, :].astype(np.float32) / np.float32(255.0))


def write_samples(out_dir=HERE, n=8):
    images, labels = load('test')
    np.save(os.path.join(out_dir, 'samples.npy'), to_nhwc_u8(images[:n]))
    np.save(os.path.join(out_dir, 'samples_labels.npy'), labels[:n].astype(np.uint8))
    print(f'wrote samples.npy {to_nhwc_u8(images[:n]).shape} and samples_labels.npy '
          f'{labels[:n].tolist()} to {out_dir}')


def write_test(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    images, labels = load('test')
    np.save(os.path.join(out_dir, 'test_images_u8.npy'), to_nhwc_u8(images))
    np.save(os.path.join(out_dir, 'test_images_f32.npy'), to_nchw_f32(images))
    np.save(os.path.join(out_dir, 'test_labels.npy'), labels.astype(np.uint8))
    print(f'wrote test_images_u8.npy {images.shape[0]}x28x28x1 uint8, test_images_f32.npy '
          f'{images.shape[0]}x1x28x28 float32, test_labels.npy to {out_dir}')


def accuracy(logits_path, labels_path=None, ref_path=None):
    logits = np.load(logits_path)
    labels = np.load(labels_path) if labels_path else load('test')[1]
    if logits.ndim != 2 or logits.shape[0] != labels.shape[0]:
        sys.exit(f'make_data: logits {logits.shape} do not match {labels.shape[0]} labels')
    acc = float((logits.argmax(1) == labels).mean())
    line = f'top-1 {100 * acc:.2f}% ({int((logits.argmax(1) == labels).sum())}/{labels.shape[0]})'
    if ref_path:
        ref = np.load(ref_path)
        if ref.shape != logits.shape:
            sys.exit(f'make_data: --ref {ref.shape} does not match logits {logits.shape}')
        agree = float((ref.argmax(1) == logits.argmax(1)).mean())
        line += f'; argmax agreement with {os.path.basename(ref_path)} {100 * agree:.2f}%, ' \
                f'max |diff| {float(np.abs(ref.astype(np.float64) - logits).max()):.3g}'
    print(line)
    return acc


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest='cmd', required=True)
    s = sub.add_parser('samples')
    s.add_argument('--out', default=HERE)
    t = sub.add_parser('test')
    t.add_argument('dir')
    a = sub.add_parser('accuracy')
    a.add_argument('logits')
    a.add_argument('labels', nargs='?')
    a.add_argument('--ref')
    args = ap.parse_args()
    if args.cmd == 'samples':
        write_samples(args.out)
    elif args.cmd == 'test':
        write_test(args.dir)
    else:
        accuracy(args.logits, args.labels, args.ref)


if __name__ == '__main__':
    main()
