#!/usr/bin/env node
// ort-run: runs an ONNX model with ONNX Runtime (onnxruntime-node, CPU EP) on
// inputs read from .npy files, writes the outputs as .npy and prints one JSON
// line of timings on stdout. It is the project's reference runtime for the ONNX
// importer: the C++ side drives it as a subprocess.
//
//   node tools/ort/ort-run.mjs --model M.onnx --input in.npy [options]
//
// Install the runtime with scripts/install-ml-deps.sh. See usage() below.

import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';

const USAGE = `usage: node tools/ort/ort-run.mjs --model M.onnx --input IN.npy [options]

  --model PATH         ONNX model
  --input [NAME=]PATH  .npy input (C order; uint8, int8, int32, int64, float32 or
                       float64, matching the model input's element type); repeat
                       for several inputs, bound in the model's input order
                       unless NAME= is given
  --output PATH        write the model's first output as float32 .npy
  --all-outputs DIR    write every output (with --intermediate: every tensor)
                       as DIR/<name>.npy in its own element type, plus
                       DIR/index.json mapping tensor names to files
  --intermediate       expose every intermediate tensor (every node output of
                       the main graph) as a graph output before running
  --threads N          intra-op threads (default: ORT's choice)
  --repeat R           time R runs over the whole input (default 1)
  --batch B            run in chunks of B along axis 0 (default: all at once)
  --opt-level L        disabled | basic | extended | layout | all (default extended)
  --save-optimized P   write the model as optimized by ORT to P
  -h, --help           this text

stdout: one JSON line: session_ms (session creation), run_ms_median/min/max
(ms per run over the whole input, over R runs), the inputs and output shapes.`;

class UsageError extends Error {}

function fail(msg, code = 1) {
  process.stderr.write(`ort-run: error: ${msg}\n`);
  process.exit(code);
}

// ---------------------------------------------------------------- arguments
function parseArgs(argv) {
  const a = { inputs: [], repeat: 1, optLevel: 'extended', intermediate: false };
  const need = (i, flag) => {
    if (i + 1 >= argv.length) throw new UsageError(`${flag} needs a value`);
    return argv[i + 1];
  };
  const posInt = (v, flag) => {
    if (!/^[0-9]+$/.test(v) || Number(v) < 1) throw new UsageError(`${flag} wants a positive integer, got '${v}'`);
    return Number(v);
  };
  for (let i = 0; i < argv.length; i++) {
    const f = argv[i];
    switch (f) {
      case '-h': case '--help': process.stdout.write(USAGE + '\n'); process.exit(0);
      case '--model': a.model = need(i, f); i++; break;
      case '--input': a.inputs.push(need(i, f)); i++; break;
      case '--output': a.output = need(i, f); i++; break;
      case '--all-outputs': a.allOutputs = need(i, f); i++; break;
      case '--intermediate': a.intermediate = true; break;
      case '--threads': a.threads = posInt(need(i, f), f); i++; break;
      case '--repeat': a.repeat = posInt(need(i, f), f); i++; break;
      case '--batch': a.batch = posInt(need(i, f), f); i++; break;
      case '--opt-level': {
        const v = need(i, f); i++;
        if (!['disabled', 'basic', 'extended', 'layout', 'all'].includes(v))
          throw new UsageError(`--opt-level must be disabled, basic, extended, layout or all, got '${v}'`);
        a.optLevel = v; break;
      }
      case '--save-optimized': a.saveOptimized = need(i, f); i++; break;
      default: throw new UsageError(`unknown argument '${f}'`);
    }
  }
  if (!a.model) throw new UsageError('--model is required');
  if (a.inputs.length === 0) throw new UsageError('--input is required');
  return a;
}

// ---------------------------------------------------------------- .npy
// dtype descr <-> ORT tensor type, typed array, item size
const NPY_TYPES = {
  u1: { ort: 'uint8', arr: Uint8Array },
  i1: { ort: 'int8', arr: Int8Array },
  i4: { ort: 'int32', arr: Int32Array },
  i8: { ort: 'int64', arr: BigInt64Array },
  f4: { ort: 'float32', arr: Float32Array },
  f8: { ort: 'float64', arr: Float64Array },
};
const ORT_TO_DESCR = { uint8: '|u1', int8: '|i1', int32: '<i4', int64: '<i8', float32: '<f4', float64: '<f8', bool: '|u1' };

function readNpy(file) {
  let buf;
  try { buf = fs.readFileSync(file); } catch (e) { throw new Error(`cannot read '${file}': ${e.code || e.message}`); }
  const bad = (why) => new Error(`'${file}' is not a valid .npy file: ${why}`);
  if (buf.length < 10 || buf[0] !== 0x93 || buf.toString('latin1', 1, 6) !== 'NUMPY') throw bad('no \\x93NUMPY magic');
  const major = buf[6];
  let hlen, hoff;
  if (major === 1) { hlen = buf.readUInt16LE(8); hoff = 10; }
  else if (major === 2 || major === 3) {
    if (buf.length < 12) throw bad('truncated header');
    hlen = buf.readUInt32LE(8); hoff = 12;
  } else throw bad(`unsupported format version ${major}`);
  if (hoff + hlen > buf.length) throw bad('truncated header');
  const header = buf.toString(major === 3 ? 'utf8' : 'latin1', hoff, hoff + hlen);
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header);
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header);
  const shapeM = /'shape'\s*:\s*\(([^)]*)\)/.exec(header);
  if (!descr || !fortran || !shapeM) throw bad(`cannot parse header ${JSON.stringify(header.trim())}`);
  if (fortran[1] === 'True') throw new Error(`'${file}': Fortran-order arrays are not supported (save with C order)`);
  const d = descr[1];
  const order = d[0], code = d.slice(1);
  const t = NPY_TYPES[code];
  if (!t || order === '>' || (order === '|' && t.arr.BYTES_PER_ELEMENT > 1))
    throw new Error(`'${file}': unsupported dtype '${d}' (want uint8, int8, int32, int64, float32 or float64, little-endian)`);
  const shape = shapeM[1].split(',').map((s) => s.trim()).filter((s) => s.length > 0).map((s) => {
    if (!/^[0-9]+L?$/.test(s)) throw bad(`bad shape entry '${s}'`);
    return parseInt(s, 10);
  });
  const count = shape.reduce((x, y) => x * y, 1);
  const off = hoff + hlen;
  const nbytes = count * t.arr.BYTES_PER_ELEMENT;
  if (buf.length - off !== nbytes)
    throw bad(`shape [${shape}] of ${d} needs ${nbytes} data bytes, file has ${buf.length - off}`);
  // Copy into a fresh, aligned ArrayBuffer.
  const ab = buf.buffer.slice(buf.byteOffset + off, buf.byteOffset + off + nbytes);
  return { type: t.ort, shape, data: new t.arr(ab) };
}

function writeNpy(file, descr, shape, data) {
  const shapeStr = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeStr}, }`;
  let total = 10 + dict.length + 1;
  let major = 1;
  if (total > 65535) { major = 2; total += 2; }
  const pad = (64 - (total % 64)) % 64;
  dict = dict + ' '.repeat(pad) + '\n';
  const pre = Buffer.alloc(major === 1 ? 10 : 12);
  pre[0] = 0x93; pre.write('NUMPY', 1, 'latin1'); pre[6] = major; pre[7] = 0;
  if (major === 1) pre.writeUInt16LE(dict.length, 8); else pre.writeUInt32LE(dict.length, 8);
  const body = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  fs.writeFileSync(file, Buffer.concat([pre, Buffer.from(dict, 'latin1'), body]));
}

function toFloat32(data) {
  if (data instanceof Float32Array) return data;
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = Number(data[i]);
  return out;
}

// ---------------------------------------------------------------- ONNX protobuf (just enough)
// Reads the main graph's node outputs and graph outputs, and appends graph
// outputs. ModelProto.graph = 7; GraphProto.node = 1, .output = 12;
// NodeProto.output = 2, .op_type = 4; ValueInfoProto.name = 1.
function readVarint(b, p) {
  let v = 0, mul = 1, byte;
  do {
    if (p >= b.length) throw new Error('truncated varint');
    byte = b[p++];
    v += (byte & 0x7f) * mul;
    mul *= 128;
  } while (byte & 0x80);
  return [v, p];
}

function* fields(b, start = 0, end = b.length) {
  let p = start;
  while (p < end) {
    let key; [key, p] = readVarint(b, p);
    const no = Math.floor(key / 8), wt = key & 7;
    if (wt === 0) { let v; [v, p] = readVarint(b, p); yield { no, wt, v }; }
    else if (wt === 1) { p += 8; yield { no, wt }; }
    else if (wt === 5) { p += 4; yield { no, wt }; }
    else if (wt === 2) {
      let len; [len, p] = readVarint(b, p);
      if (p + len > end) throw new Error('truncated field');
      yield { no, wt, start: p, end: p + len }; p += len;
    } else throw new Error(`unsupported wire type ${wt}`);
  }
  if (p !== end) throw new Error('field overruns its message');
}

function varint(n) {
  const out = [];
  do { let byte = n % 128; n = Math.floor(n / 128); if (n > 0) byte |= 0x80; out.push(byte); } while (n > 0);
  return Buffer.from(out);
}
function lenField(no, payload) { return Buffer.concat([varint(no * 8 + 2), varint(payload.length), payload]); }

function graphTensorNames(model) {
  const nodeOutputs = [], graphOutputs = new Set();
  for (const f of fields(model)) {
    if (f.no !== 7 || f.wt !== 2) continue;
    for (const g of fields(model, f.start, f.end)) {
      if (g.wt !== 2) continue;
      if (g.no === 1) {
        for (const n of fields(model, g.start, g.end))
          if (n.no === 2 && n.wt === 2) nodeOutputs.push(model.toString('utf8', n.start, n.end));
      } else if (g.no === 12) {
        for (const v of fields(model, g.start, g.end))
          if (v.no === 1 && v.wt === 2) graphOutputs.add(model.toString('utf8', v.start, v.end));
      }
    }
  }
  return { nodeOutputs, graphOutputs };
}

// Protobuf merges repeated occurrences of a singular message field, so a second
// ModelProto.graph holding only GraphProto.output entries appends those outputs
// to the graph without rewriting it. ORT infers their types.
function exposeIntermediates(model) {
  const { nodeOutputs, graphOutputs } = graphTensorNames(model);
  const extra = [];
  const seen = new Set(graphOutputs);
  for (const name of nodeOutputs) {
    if (name === '' || seen.has(name)) continue;
    seen.add(name);
    extra.push(name);
  }
  if (extra.length === 0) return { model, added: 0 };
  const graph = Buffer.concat(extra.map((n) => lenField(12, lenField(1, Buffer.from(n, 'utf8')))));
  return { model: Buffer.concat([model, lenField(7, graph)]), added: extra.length };
}

// ---------------------------------------------------------------- main
function loadOrt() {
  const require = createRequire(import.meta.url);
  try { return require('onnxruntime-node'); } catch (e) {
    throw new Error(`onnxruntime-node is not installed under ${path.dirname(new URL(import.meta.url).pathname)}/node_modules (run scripts/install-ml-deps.sh): ${e.message.split('\n')[0]}`);
  }
}

function sameDims(meta, shape) {
  if (!meta || meta.length === 0) return true;  // unknown
  if (meta.length !== shape.length) return false;
  return meta.every((d, i) => typeof d !== 'number' || d < 0 || d === shape[i]);
}
const fmtDims = (dims) => `[${dims.map((d) => (typeof d === 'number' && d >= 0 ? d : (d || '?'))).join(',')}]`;

function safeName(name) {
  const s = name.replace(/[^A-Za-z0-9._-]/g, '_');
  return s.length > 0 && s !== '.' && s !== '..' ? s : '_';
}

async function main() {
  let args;
  try { args = parseArgs(process.argv.slice(2)); } catch (e) {
    if (e instanceof UsageError) fail(`${e.message} (see --help)`, 2);
    throw e;
  }
  let model;
  try { model = fs.readFileSync(args.model); } catch (e) { throw new Error(`cannot read model '${args.model}': ${e.code || e.message}`); }
  let added = 0;
  if (args.intermediate) {
    try { ({ model, added } = exposeIntermediates(model)); } catch (e) {
      throw new Error(`'${args.model}' is not a readable ONNX model: ${e.message}`);
    }
  }

  const ort = loadOrt();
  ort.env.logLevel = 'error';
  const opts = { executionProviders: ['cpu'], graphOptimizationLevel: args.optLevel, logSeverityLevel: 3 };
  if (args.threads) { opts.intraOpNumThreads = args.threads; opts.interOpNumThreads = 1; }
  if (args.saveOptimized) opts.optimizedModelFilePath = path.resolve(args.saveOptimized);

  const t0 = performance.now();
  let session;
  try { session = await ort.InferenceSession.create(new Uint8Array(model.buffer, model.byteOffset, model.byteLength), opts); } catch (e) {
    throw new Error(`ONNX Runtime cannot load '${args.model}': ${String(e.message || e).split('\n')[0]}`);
  }
  const sessionMs = performance.now() - t0;

  // Bind the inputs.
  const inMeta = new Map((session.inputMetadata || []).map((m) => [m.name, m]));
  const feeds = {};
  args.inputs.forEach((spec, i) => {
    let name, file;
    const eq = spec.indexOf('=');
    if (eq > 0 && session.inputNames.includes(spec.slice(0, eq))) { name = spec.slice(0, eq); file = spec.slice(eq + 1); }
    else {
      if (i >= session.inputNames.length) throw new Error(`too many inputs: the model has ${session.inputNames.length} (${session.inputNames.join(', ')})`);
      name = session.inputNames[i]; file = spec;
    }
    if (feeds[name]) throw new Error(`input '${name}' given twice`);
    feeds[name] = readNpy(file);
    feeds[name].file = file;
  });
  for (const name of session.inputNames)
    if (!feeds[name]) throw new Error(`no --input for model input '${name}'`);

  // Chunking along axis 0.
  const inNames = session.inputNames;
  const n0 = feeds[inNames[0]].shape[0];
  if (args.batch) {
    for (const name of inNames) {
      const f = feeds[name];
      if (f.shape.length === 0) throw new Error(`--batch: input '${name}' is a scalar`);
      if (f.shape[0] !== n0) throw new Error(`--batch: inputs disagree on axis 0 (${n0} vs ${f.shape[0]} for '${name}')`);
    }
  }
  const B = args.batch ? Math.min(args.batch, n0) : undefined;
  const chunks = [];
  if (B) { for (let s = 0; s < n0; s += B) chunks.push([s, Math.min(n0, s + B)]); }
  else chunks.push(null);

  const chunkFeeds = chunks.map((c) => {
    const out = {};
    for (const name of inNames) {
      const f = feeds[name];
      let shape = f.shape, data = f.data;
      if (c) {
        const inner = f.shape.slice(1).reduce((x, y) => x * y, 1);
        shape = [c[1] - c[0], ...f.shape.slice(1)];
        data = f.data.subarray(c[0] * inner, c[1] * inner);
      }
      const m = inMeta.get(name);
      if (m && m.isTensor) {
        if (m.type !== f.type)
          throw new Error(`input '${name}' ('${f.file}') is ${f.type}, the model wants ${m.type}`);
        if (!sameDims(m.shape, shape))
          throw new Error(`input '${name}' ('${f.file}') has shape ${fmtDims(shape)}${c ? ' per batch' : ''}, the model wants ${fmtDims(m.shape)}`);
      }
      out[name] = new ort.Tensor(f.type, data, shape);
    }
    return out;
  });

  // Run.
  const times = [];
  let results = null;
  for (let r = 0; r < args.repeat; r++) {
    const res = [];
    const ts = performance.now();
    for (const cf of chunkFeeds) {
      try { res.push(await session.run(cf)); } catch (e) {
        throw new Error(`ONNX Runtime failed to run '${args.model}': ${String(e.message || e).split('\n')[0]}`);
      }
    }
    times.push(performance.now() - ts);
    results = res;
  }

  // Gather the outputs (concatenated along axis 0 when chunked).
  const outs = session.outputNames.map((name) => {
    const parts = results.map((r) => r[name]);
    const first = parts[0];
    if (parts.length === 1) return { name, type: first.type, dims: [...first.dims], data: first.data };
    const batched = parts.every((t, i) => t.dims.length >= 1 && t.dims[0] === chunks[i][1] - chunks[i][0]
      && t.dims.length === first.dims.length && t.dims.slice(1).every((d, j) => d === first.dims[j + 1]));
    if (!batched) return { name, type: first.type, dims: [...first.dims], data: first.data };  // not per-sample
    const total = parts.reduce((s, t) => s + t.data.length, 0);
    const data = new first.data.constructor(total);
    let o = 0;
    for (const t of parts) { data.set(t.data, o); o += t.data.length; }
    return { name, type: first.type, dims: [n0, ...first.dims.slice(1)], data };
  });

  if (args.output) {
    const o = outs[0];
    if (typeof o.data === 'string' || Array.isArray(o.data)) throw new Error(`output '${o.name}' is not numeric`);
    writeNpy(args.output, '<f4', o.dims, toFloat32(o.data));
  }
  if (args.allOutputs) {
    fs.mkdirSync(args.allOutputs, { recursive: true });
    const index = {};
    const used = new Set();
    for (const o of outs) {
      let descr = ORT_TO_DESCR[o.type];
      let data = o.data;
      if (!descr) { descr = '<f4'; data = toFloat32(data); }
      if (o.type === 'bool') data = Uint8Array.from(data, (x) => (x ? 1 : 0));
      let base = safeName(o.name), k = 1, fname = `${base}.npy`;
      while (used.has(fname)) fname = `${base}~${k++}.npy`;
      used.add(fname);
      writeNpy(path.join(args.allOutputs, fname), descr, o.dims, data);
      index[o.name] = { file: fname, type: o.type, shape: o.dims };
    }
    fs.writeFileSync(path.join(args.allOutputs, 'index.json'), JSON.stringify(index, null, 1) + '\n');
  }

  const sorted = [...times].sort((x, y) => x - y);
  const median = sorted.length % 2 ? sorted[(sorted.length - 1) / 2]
    : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  const r3 = (x) => Math.round(x * 1000) / 1000;
  const report = {
    model: args.model,
    ort_version: ort.env.versions?.node ?? ort.env.versions?.common ?? null,
    opt_level: args.optLevel,
    threads: args.threads ?? null,
    batch: B ?? null,
    runs_per_repeat: chunks.length,
    repeat: args.repeat,
    session_ms: r3(sessionMs),
    run_ms_median: r3(median),
    run_ms_min: r3(sorted[0]),
    run_ms_max: r3(sorted[sorted.length - 1]),
    inputs: Object.fromEntries(inNames.map((n) => [n, { type: feeds[n].type, shape: feeds[n].shape }])),
    outputs: Object.fromEntries(outs.slice(0, args.intermediate ? outs.length - added : outs.length)
      .map((o) => [o.name, { type: o.type, shape: o.dims }])),
  };
  if (args.intermediate) report.intermediate_tensors = added;
  process.stdout.write(JSON.stringify(report) + '\n');
  await session.release?.();
}

main().catch((e) => fail(String(e && e.message ? e.message : e).split('\n')[0]));
