#!/usr/bin/env python3
"""Writes a .npy file without numpy: make_npy.py OUT DTYPE SHAPE [FILL|seq|random]

DTYPE: |u1 |i1 <i2 <i4 <f4 ; SHAPE: comma-separated, e.g. 1,49,10,1.
FILL: a constant, 'seq' (0, 1, 2, ... modulo 256) or 'random' (seed 0).
"""
import random
import struct
import sys

out, descr, shape_text = sys.argv[1], sys.argv[2], sys.argv[3]
fill = sys.argv[4] if len(sys.argv) > 4 else "0"
shape = tuple(int(d) for d in shape_text.split(",")) if shape_text else ()
count = 1
for d in shape:
    count *= d
fmt = {"|u1": "B", "|i1": "b", "<i2": "h", "<i4": "i", "<f4": "f"}[descr]
rng = random.Random(0)
values = []
for i in range(count):
    if fill == "seq":
        v = i % 256
    elif fill == "random":
        v = rng.randint(0, 255)
    else:
        v = float(fill) if fmt == "f" else int(fill)
    if fmt == "b":
        v = (v + 128) % 256 - 128
    values.append(v)
shape_repr = "(" + "".join(f"{d}," if len(shape) == 1 else f"{d}, " for d in shape).rstrip(" ") + ")"
if len(shape) > 1:
    shape_repr = "(" + ", ".join(str(d) for d in shape) + ")"
header = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (descr, shape_repr)
pad = 64 - (10 + len(header) + 1) % 64
header = header + " " * pad + "\n"
with open(out, "wb") as f:
    f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode())
    f.write(struct.pack("<" + fmt * count, *values))
