"""Writes each sample of a uint8 (N, rows, cols, 1 or 3) .npy file as an
image in OUT_DIR, alternating PNG and binary PGM/PPM, named in sample order
(s000.png, s001.pgm, ...). The .npy reader and the PNG writer are written
out here (zlib and struct only), so the test needs no numpy and no imaging
library.

usage: npy_to_images.py SAMPLES.npy OUT_DIR
"""
import ast
import os
import struct
import sys
import zlib


def read_npy(path):
    """A uint8 C-order .npy file: its shape and its bytes."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:6] == b"\x93NUMPY", path + ": not a .npy file"
    if data[6] == 1:
        (n,) = struct.unpack("<H", data[8:10])
        start = 10
    else:
        (n,) = struct.unpack("<I", data[8:12])
        start = 12
    header = ast.literal_eval(data[start:start + n].decode("latin1"))
    assert header["descr"] == "|u1" and not header["fortran_order"], header
    return header["shape"], data[start + n:]


def png_chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(
        ">I", zlib.crc32(body) & 0xFFFFFFFF)


def write_png(path, rows, cols, channels, pixels):
    color = 0 if channels == 1 else 2  # grayscale or RGB, 8 bits
    row = cols * channels
    raw = b"".join(b"\x00" + pixels[r * row:(r + 1) * row]
                   for r in range(rows))
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(png_chunk(b"IHDR", struct.pack(">IIBBBBB", cols, rows, 8,
                                               color, 0, 0, 0)))
        f.write(png_chunk(b"IDAT", zlib.compress(raw)))
        f.write(png_chunk(b"IEND", b""))


def write_pnm(path, rows, cols, channels, pixels):
    magic = b"P5" if channels == 1 else b"P6"
    with open(path, "wb") as f:
        f.write(magic + b"\n# written by npy_to_images.py\n%d %d\n255\n"
                % (cols, rows))
        f.write(pixels)


def main():
    (n, rows, cols, channels), data = read_npy(sys.argv[1])
    out = sys.argv[2]
    os.makedirs(out, exist_ok=True)
    size = rows * cols * channels
    for i in range(n):
        pixels = data[i * size:(i + 1) * size]
        if i % 2 == 0:
            write_png(os.path.join(out, "s%03d.png" % i), rows, cols,
                      channels, pixels)
        else:
            ext = "pgm" if channels == 1 else "ppm"
            write_pnm(os.path.join(out, "s%03d.%s" % (i, ext)), rows, cols,
                      channels, pixels)


if __name__ == "__main__":
    main()
