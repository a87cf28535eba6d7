"""Checks akida.programs against the blobs of a printed module.

Reads MLIR text on stdin; for each {program = dense_resource<NAME> :
tensor<Nxui8>, sequence = S, size = B} entry of akida.programs, checks that
N == B and that the module's dialect_resources hold NAME with B bytes (after
the 4-byte alignment header). Prints "sequence=S size=B sha256=..." per
program (without the blob's name, which is not stable when programs are
emitted again) and exits 1 on the first mismatch.
"""
import hashlib
import re
import sys

text = sys.stdin.read()
entries = re.findall(
    r"\{program = dense_resource<(\w+)> : tensor<(\d+)xui8>, "
    r"sequence = (\d+) : i64, size = (\d+) : i64\}", text)
blobs = dict(re.findall(r'^\s*(\w+): "0x([0-9A-F]*)"', text, re.M))
if not entries:
    print("no programs")
for name, tensor_size, seq, size in entries:
    if tensor_size != size:
        sys.exit(f"{name}: tensor<{tensor_size}xui8> but size = {size}")
    if name not in blobs:
        sys.exit(f"{name}: no blob in dialect_resources")
    data = blobs[name][8:]  # the alignment, a little-endian uint32
    if len(data) != 2 * int(size):
        sys.exit(f"{name}: {len(data) // 2} bytes but size = {size}")
    digest = hashlib.sha256(bytes.fromhex(data)).hexdigest()[:16]
    print(f"sequence={seq} size={size} sha256={digest}")
