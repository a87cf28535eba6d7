#!/usr/bin/python3
"""Our CPU forward against ONNX Runtime, in the same run, on the same networks.

    bench/run-bench.py [--build-dir DIR | --akida-bench PATH]
                       [--models M1,M2,...] [--threads 1,2] [--rounds N]
                       [--repeat R] [--smoke]

For each zoo model (default: DS-CNN KWS, AkidaNet-0.5/224, MobileNetV1-1.0/224,
all Akida 1.0, seed 0): `akida-bench export` writes its layers and weights and
one random input frame; scripts/akida_to_onnx.py turns them into the ONNX QDQ
equivalent (same layers, shapes and weights); then, for each thread count and
round, `akida-bench` times Model::forward and tools/ort/ort-run.mjs times
ONNX Runtime (onnxruntime-node, CPU provider, graph optimization "all") on that
frame, batch 1, the two alternating so that both see the same machine load.
Each prints a median over R runs; the table gives the median of the rounds'
medians, the median over rounds of the ratio ORT / ours within the round
(above 1: we are faster; pairs measured side by side resist the load of a
shared machine better than absolute times), GMAC/s (dense MACs of
the network per second) and the share of the VNNI peak of this machine's
cores, measured in the same run (`akida-bench peak`: vpdpbusd on zmm
registers, the best of its timings before and after the models; the nominal
400 GMAC/s per core of shared/reference/performance.md 4.1 where the
processor has no AVX-512 VNNI). The last column checks that both
runtimes compute the same network: the correlation of their outputs on the
frame (not 1: ONNX Runtime's 8-bit forms differ from Akida's, see
scripts/akida_to_onnx.py).

--smoke: a quick run (few repeats, one round) that checks the pipeline works
and prints "bench-smoke: ok"; the CI test uses it. Needs /usr/bin/python3 with
numpy and onnx (Debian python3-onnx) and onnxruntime-node under tools/ort
(scripts/install-ml-deps.sh installs both).
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NOMINAL_PEAK_GMACS_PER_CORE = 400.0
DEFAULT_MODELS = ["ds_cnn_kws", "akidanet_0.5_224", "mobilenet_1_224"]


def fail(msg):
    sys.stderr.write("run-bench: error: " + msg + "\n")
    sys.exit(1)


def run(cmd):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True)
    if r.returncode != 0:
        fail("%s failed (exit %d): %s" % (" ".join(cmd), r.returncode,
                                           (r.stderr or r.stdout).strip()))
    return r.stdout


def last_json(text):
    for line in reversed(text.strip().splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    fail("no JSON line in: " + text)


def measured_peak(bench):
    """This core's VNNI ceiling in GMAC/s, or None without AVX-512 VNNI."""
    r = subprocess.run([bench, "peak", "--json"], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        return None
    return last_json(r.stdout)["peak_gmacs_per_core"]


def correlation(a, b):
    import numpy as np
    a = np.asarray(a, dtype=np.float64).reshape(-1)
    b = np.asarray(b, dtype=np.float64).reshape(-1)
    if a.size != b.size or a.std() == 0 or b.std() == 0:
        return float("nan")
    return float(np.corrcoef(a, b)[0, 1])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build-dir", default=os.environ.get("BUILD_DIR", "build"))
    ap.add_argument("--akida-bench", help="path of akida-bench (default: "
                    "BUILD_DIR/bin/akida-bench)")
    ap.add_argument("--models", default=",".join(DEFAULT_MODELS))
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--repeat", type=int, default=0,
                    help="runs per timing (default: 2000 for models under "
                    "10 MMAC, 200 otherwise)")
    ap.add_argument("--smoke", action="store_true")
    args = ap.parse_args()

    bench = args.akida_bench or os.path.join(
        ROOT if not os.path.isabs(args.build_dir) else "", args.build_dir,
        "bin", "akida-bench")
    if not os.path.isfile(bench):
        fail("akida-bench not found at '%s' (build it, or pass --akida-bench "
             "or --build-dir)" % bench)
    ort_run = os.path.join(ROOT, "tools", "ort", "ort-run.mjs")
    node = shutil.which("node")
    if not node:
        fail("node not found (scripts/install-ml-deps.sh installs the ONNX "
             "Runtime side)")
    models = [m for m in args.models.split(",") if m]
    try:
        threads = [int(t) for t in args.threads.split(",") if t]
    except ValueError:
        fail("--threads wants a comma-separated list of positive integers, "
             "got '%s'" % args.threads)
    if not threads or min(threads) < 1:
        fail("--threads wants positive integers, got '%s'" % args.threads)
    rounds = 1 if args.smoke else max(args.rounds, 1)

    import numpy as np  # noqa: E402 (after the argument checks)

    peaks = [measured_peak(bench)]
    rows = []
    with tempfile.TemporaryDirectory(prefix="akida-bench-") as tmp:
        for model in models:
            d = os.path.join(tmp, model)
            run([bench, "export", model, d])
            onnx_path = os.path.join(d, "model.onnx")
            run(["/usr/bin/python3", os.path.join(ROOT, "scripts",
                                                   "akida_to_onnx.py"),
                 os.path.join(d, "model.json"), onnx_path])
            nhwc, nchw = os.path.join(d, "input_nhwc.npy"), os.path.join(
                d, "input_nchw.npy")
            ours_out, ort_out = os.path.join(d, "ours.npy"), os.path.join(
                d, "ort.npy")
            # Outputs once, with our result checked against the reference.
            probe = last_json(run([bench, model, "--input", nhwc, "--output",
                                   ours_out, "--repeat", "1", "--warmup", "0",
                                   "--check", "--json"]))
            if not probe.get("check"):
                fail("%s: Model::forward differs from the reference kernels"
                     % model)
            macs = probe["macs"]
            repeat = args.repeat or (2000 if macs < 10e6 else 200)
            if args.smoke:
                repeat = 3
            run([node, ort_run, "--model", onnx_path, "--input", nchw,
                 "--output", ort_out, "--threads", "1", "--opt-level", "all"])
            corr = correlation(np.load(ours_out), np.load(ort_out))
            for t in threads:
                ours, ort = [], []
                for _ in range(rounds):
                    r = last_json(run([bench, model, "--input", nhwc,
                                       "--threads", str(t), "--repeat",
                                       str(repeat), "--warmup",
                                       str(max(repeat // 10, 1)), "--json"]))
                    ours.append(r["median_ms"])
                    o = last_json(run([node, ort_run, "--model", onnx_path,
                                       "--input", nchw, "--threads", str(t),
                                       "--repeat", str(repeat + max(repeat // 10, 1)),
                                       "--opt-level", "all"]))
                    ort.append(o["run_ms_median"])
                rows.append({
                    "model": model, "threads": t, "isa": r["isa"],
                    "macs": macs, "ours_ms": statistics.median(ours),
                    "ort_ms": statistics.median(ort), "corr": corr,
                    "ratio": statistics.median(
                        [o / u for o, u in zip(ort, ours)]),
                    "ort_version": o.get("ort_version"), "repeat": repeat,
                    "rounds": rounds})

    peaks.append(measured_peak(bench))
    peaks = [p for p in peaks if p]
    peak_per_core = max(peaks) if peaks else NOMINAL_PEAK_GMACS_PER_CORE
    load = os.getloadavg()
    print("akida-bench (%s) vs ONNX Runtime %s, batch 1, medians of %d round(s) "
          "of R runs; load average %.2f %.2f %.2f" % (
              rows[0]["isa"], rows[0]["ort_version"], rounds, *load))
    if peaks:
        print("VNNI peak of one core, measured: %.1f GMAC/s (akida-bench peak, "
              "best of %s)" % (peak_per_core,
                               " and ".join("%.1f" % p for p in peaks)))
    else:
        print("no AVX-512 VNNI: %% peak against the nominal %.0f GMAC/s per core"
              % NOMINAL_PEAK_GMACS_PER_CORE)
    head = ("%-18s %3s %10s %10s %9s %8s %9s %7s" % (
        "model", "thr", "ours ms", "ORT ms", "ORT/ours", "GMAC/s",
        "% peak", "corr"))
    print(head)
    print("-" * len(head))
    for r in rows:
        gmacs = r["macs"] / (r["ours_ms"] * 1e-3) / 1e9
        peak = 100.0 * gmacs / (peak_per_core * r["threads"])
        print("%-18s %3d %10.4f %10.4f %8.2fx %8.1f %8.1f%% %7.3f" % (
            r["model"], r["threads"], r["ours_ms"], r["ort_ms"],
            r["ratio"], gmacs, peak, r["corr"]))
    for m in models:
        by = {r["threads"]: r for r in rows if r["model"] == m}
        if 1 in by and 2 in by:
            print("%s: 2 threads give %.2fx the 1-thread throughput (ORT %.2fx)"
                  % (m, by[1]["ours_ms"] / by[2]["ours_ms"],
                     by[1]["ort_ms"] / by[2]["ort_ms"]))
    if args.smoke:
        print("bench-smoke: ok")


if __name__ == "__main__":
    main()
