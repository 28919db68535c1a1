/**
 * The safetensors file format (Hugging Face), read and written without trusting the file:
 *
 *   bytes 0..8       N, the header's length, an unsigned 64-bit little-endian integer
 *   bytes 8..8+N     a UTF-8 JSON object: { "<name>": { "dtype": "F32", "shape": [r, c],
 *                    "data_offsets": [begin, end] }, …, "__metadata__": { "<key>": "<string>" } }
 *   bytes 8+N..      the data buffer; tensor `name` is bytes [begin, end) of it, row-major,
 *                    little-endian
 *
 * The rules a reader enforces here: the header is at most MAX_HEADER_BYTES and lies inside the file;
 * it is one JSON object that starts with '{' and has no duplicate key at any level; every dtype is
 * known; every shape is a list of non-negative integers whose product times the dtype's size is
 * exactly end − begin; and the tensors' byte ranges, sorted, cover the data buffer exactly, from 0 to
 * its end, without gap or overlap. Nothing is allocated from a number in the file before that number
 * is checked against the file's own size. The writer pads the header with spaces to a multiple of 8
 * bytes so that every tensor starts aligned.
 */
import { UnrollError, describe } from '../util/errors.js';

/** The dtypes unroll reads and writes (what its models hold). */
export type SafetensorsDtype = 'F64' | 'F32';
const DTYPE_BYTES: Record<SafetensorsDtype, number> = { F64: 8, F32: 4 };
/** The dtypes the format knows that unroll does not read (named in the error). */
const OTHER_DTYPES = ['F16', 'BF16', 'I64', 'I32', 'I16', 'I8', 'U8', 'U16', 'U32', 'U64', 'BOOL', 'F8_E4M3', 'F8_E5M2'];

/** The largest header read (the reference implementation's limit): 100 MB. */
export const MAX_HEADER_BYTES = 100_000_000;

export interface SafeTensor {
  dtype: SafetensorsDtype;
  shape: number[];
  /** Row-major values (Float64Array for F64, Float32Array for F32). */
  data: Float64Array | Float32Array;
}

export interface SafetensorsFile {
  /** Tensors by name, in the file's order of data offsets. */
  tensors: Map<string, SafeTensor>;
  /** The free-form string map `__metadata__` (empty when absent). */
  metadata: Map<string, string>;
}

function fail(where: string, message: string): never {
  throw new UnrollError(`${where}: ${message}`, 'model-file');
}

/**
 * Finds a repeated key in any object of a JSON text that JSON.parse accepted (which silently keeps
 * the last of two equal keys). Walks the text once, tracking strings and the keys of each open object.
 */
function duplicateKey(text: string): string | null {
  const stack: (Set<string> | null)[] = [];
  let i = 0;
  let expectKey = false;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const top = stack[stack.length - 1];
      if (expectKey && top) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (top.has(key)) return key;
        top.add(key);
        expectKey = false;
      }
      i = j + 1;
      continue;
    }
    if (c === '{') { stack.push(new Set()); expectKey = true; }
    else if (c === '[') stack.push(null);
    else if (c === '}' || c === ']') stack.pop();
    else if (c === ',') expectKey = stack[stack.length - 1] !== null;
    i++;
  }
  return null;
}

/** Parses a safetensors file. `where` names it in errors. */
export function decodeSafetensors(bytes: Uint8Array, where = 'safetensors file'): SafetensorsFile {
  if (!(bytes instanceof Uint8Array)) fail(where, `expected the file's bytes (a Uint8Array), got ${describe(bytes)}`);
  if (bytes.length < 8) fail(where, `${bytes.length} bytes is too short for a safetensors file (8-byte header length, then the header)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_BYTES)) fail(where, `header length ${n} exceeds the limit of ${MAX_HEADER_BYTES} bytes`);
  const headerBytes = Number(n);
  if (8 + headerBytes > bytes.length) fail(where, `header length ${headerBytes} runs past the end of the ${bytes.length}-byte file`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerBytes));
  } catch {
    fail(where, 'the header is not valid UTF-8');
  }
  if (!text.startsWith('{')) fail(where, 'the header must be a JSON object starting with "{"');
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    fail(where, `the header is not valid JSON (${(e as Error).message.slice(0, 80)})`);
  }
  if (!header || typeof header !== 'object' || Array.isArray(header)) fail(where, 'the header must be a JSON object');
  const dup = duplicateKey(text);
  if (dup !== null) fail(where, `the header repeats the key ${describe(dup)}; keys must be unique`);

  const dataStart = 8 + headerBytes;
  const dataLength = bytes.length - dataStart;
  const metadata = new Map<string, string>();
  const entries: { name: string; dtype: SafetensorsDtype; shape: number[]; begin: number; end: number }[] = [];
  for (const [name, v] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (!v || typeof v !== 'object' || Array.isArray(v)) fail(where, '"__metadata__" must be an object of strings');
      for (const [k, s] of Object.entries(v as Record<string, unknown>)) {
        if (typeof s !== 'string') fail(where, `"__metadata__"."${k.slice(0, 40)}" is ${describe(s)}; expected a string`);
        metadata.set(k, s);
      }
      continue;
    }
    const what = `tensor ${describe(name)}`;
    if (!v || typeof v !== 'object' || Array.isArray(v)) fail(where, `${what}: expected { dtype, shape, data_offsets }`);
    const t = v as Record<string, unknown>;
    for (const key of Object.keys(t)) if (key !== 'dtype' && key !== 'shape' && key !== 'data_offsets') fail(where, `${what}: unknown field ${describe(key)}; expected dtype, shape, data_offsets`);
    const dtype = t.dtype;
    if (dtype !== 'F64' && dtype !== 'F32') {
      fail(where, OTHER_DTYPES.includes(dtype as string)
        ? `${what} has dtype ${dtype}; unroll reads F32 and F64 tensors`
        : `${what}: dtype ${describe(dtype)} is not a safetensors dtype`);
    }
    if (!Array.isArray(t.shape) || t.shape.length > 8) fail(where, `${what}: "shape" must be a list of at most 8 sizes`);
    let count = 1;
    for (const s of t.shape as unknown[]) {
      if (typeof s !== 'number' || !Number.isSafeInteger(s) || s < 0) fail(where, `${what}: shape ${JSON.stringify(t.shape).slice(0, 60)} must hold non-negative integers`);
      count *= s;
      if (count > dataLength) fail(where, `${what}: shape ${JSON.stringify(t.shape).slice(0, 60)} needs more bytes than the file holds`);
    }
    const off = t.data_offsets;
    if (!Array.isArray(off) || off.length !== 2 || !off.every((o) => typeof o === 'number' && Number.isSafeInteger(o) && o >= 0)) {
      fail(where, `${what}: "data_offsets" must be [begin, end], two non-negative integers`);
    }
    const [begin, end] = off as [number, number];
    if (begin > end || end > dataLength) fail(where, `${what}: data_offsets [${begin}, ${end}] do not lie inside the ${dataLength}-byte data buffer`);
    const size = DTYPE_BYTES[dtype];
    if (end - begin !== count * size) fail(where, `${what}: shape [${(t.shape as number[]).join(', ')}] of ${dtype} needs ${count * size} bytes, but data_offsets give ${end - begin}`);
    entries.push({ name, dtype, shape: [...(t.shape as number[])], begin, end });
  }
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  for (const e of entries) {
    if (e.begin < at) fail(where, `tensor ${describe(e.name)} overlaps the tensor before it (bytes ${e.begin}..${e.end})`);
    if (e.begin > at) fail(where, `bytes ${at}..${e.begin} of the data buffer belong to no tensor`);
    at = e.end;
  }
  if (at !== dataLength) fail(where, `bytes ${at}..${dataLength} of the data buffer belong to no tensor`);

  const tensors = new Map<string, SafeTensor>();
  for (const e of entries) {
    const size = DTYPE_BYTES[e.dtype];
    const count = (e.end - e.begin) / size;
    const data = e.dtype === 'F64' ? new Float64Array(count) : new Float32Array(count);
    const base = dataStart + e.begin;
    for (let i = 0; i < count; i++) {
      data[i] = e.dtype === 'F64' ? view.getFloat64(base + i * 8, true) : view.getFloat32(base + i * 4, true);
    }
    tensors.set(e.name, { dtype: e.dtype, shape: e.shape, data });
  }
  return { tensors, metadata };
}

/** Writes named tensors (in the map's order) and string metadata as a safetensors file. */
export function encodeSafetensors(tensors: Map<string, SafeTensor>, metadata: Map<string, string> = new Map()): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata.size > 0) header.__metadata__ = Object.fromEntries(metadata);
  let at = 0;
  for (const [name, t] of tensors) {
    if (name === '__metadata__') throw new UnrollError('safetensors: a tensor may not be named "__metadata__"', 'option');
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (count !== t.data.length) throw new UnrollError(`safetensors: tensor ${describe(name)} has shape [${t.shape.join(', ')}] but ${t.data.length} values`, 'shape');
    const size = DTYPE_BYTES[t.dtype];
    if (!size) throw new UnrollError(`safetensors: tensor ${describe(name)} has dtype ${describe(t.dtype)}; expected F32 or F64`, 'option');
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [at, at + count * size] };
    at += count * size;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + json.length + at);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let o = 8 + json.length;
  for (const t of tensors.values()) {
    for (let i = 0; i < t.data.length; i++) {
      if (t.dtype === 'F64') { view.setFloat64(o, t.data[i], true); o += 8; }
      else { view.setFloat32(o, t.data[i], true); o += 4; }
    }
  }
  return out;
}
