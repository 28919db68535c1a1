/**
 * Compact, exact weight storage for model files: the raw little-endian bytes of a Float32Array or
 * Float64Array in base64 (a V = 2000 LSTM has over a million weights; as JSON decimals that is
 * ~25 MB, as float32 base64 ~5 MB). The dtype follows the backend that trained the model, so a
 * save/load round trip is bit-exact. Works in Node and in the browser (no Buffer).
 */
import { UnrollError } from '../util/errors.js';

export type WeightDtype = 'float32' | 'float64';

export interface EncodedTensor {
  shape: number[];
  dtype: WeightDtype;
  base64: string;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

export function bytesToBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  let chunk = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i];
    const b = i + 1 < bytes.length ? bytes[i + 1] : 0;
    const c = i + 2 < bytes.length ? bytes[i + 2] : 0;
    const n = (a << 16) | (b << 8) | c;
    chunk += ALPHABET[(n >> 18) & 63] + ALPHABET[(n >> 12) & 63]
      + (i + 1 < bytes.length ? ALPHABET[(n >> 6) & 63] : '=') + (i + 2 < bytes.length ? ALPHABET[n & 63] : '=');
    if (chunk.length >= 8192) { parts.push(chunk); chunk = ''; }
  }
  parts.push(chunk);
  return parts.join('');
}

export function base64ToBytes(text: string, where: string): Uint8Array {
  if (typeof text !== 'string' || text.length % 4 !== 0) throw new UnrollError(`${where}: not valid base64 (length must be a multiple of 4)`, 'model-file');
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    let n = 0;
    for (let j = 0; j < 4; j++) {
      const ch = text.charCodeAt(i + j);
      const v = text[i + j] === '=' && i + 4 === text.length && j >= 4 - pad ? 0 : ch < 128 ? LOOKUP[ch] : -1;
      if (v < 0) throw new UnrollError(`${where}: not valid base64 (bad character at ${i + j})`, 'model-file');
      n = (n << 6) | v;
    }
    if (o < out.length) out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}

export function encodeTensor(shape: number[], data: ArrayLike<number>, dtype: WeightDtype): EncodedTensor {
  const arr = dtype === 'float32' ? Float32Array.from(data) : Float64Array.from(data);
  const bytes = new Uint8Array(arr.byteLength);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < arr.length; i++) {
    if (dtype === 'float32') view.setFloat32(i * 4, arr[i], true);
    else view.setFloat64(i * 8, arr[i], true);
  }
  return { shape: [...shape], dtype, base64: bytesToBase64(bytes) };
}

export function decodeTensor(t: unknown, where: string): { shape: number[]; data: Float64Array } {
  const e = t as Partial<EncodedTensor> | null;
  if (!e || typeof e !== 'object' || !Array.isArray(e.shape) || (e.dtype !== 'float32' && e.dtype !== 'float64') || typeof e.base64 !== 'string') {
    throw new UnrollError(`${where}: expected { shape, dtype: "float32" | "float64", base64 }`, 'model-file');
  }
  const bytes = base64ToBytes(e.base64, where);
  const size = e.dtype === 'float32' ? 4 : 8;
  const count = e.shape.reduce((a: number, b: unknown) => a * (b as number), 1);
  if (bytes.length !== count * size) throw new UnrollError(`${where}: holds ${bytes.length / size} numbers but its shape [${e.shape.join(', ')}] needs ${count}`, 'model-file');
  const view = new DataView(bytes.buffer);
  const data = new Float64Array(count);
  for (let i = 0; i < count; i++) data[i] = size === 4 ? view.getFloat32(i * 4, true) : view.getFloat64(i * 8, true);
  return { shape: e.shape as number[], data };
}
