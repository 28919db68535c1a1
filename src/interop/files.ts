/**
 * Interchange files on disk (Node only) — safetensors, tfjs layers models, ONNX: written atomically (a
 * temporary file, then a rename), read after checking each file's size, so a huge or endless file
 * (/dev/zero) is refused before it is read.
 */
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { writeFileAtomic } from '../data/node-io.js';
import { UnrollError } from '../util/errors.js';
import { checkOptions, is } from '../util/options.js';
import type { RNN, Seq2Seq } from '../train/model.js';
import type { NetworkOptions } from '../nn/model.js';
import { fromTfjsModel, toTfjsModel, type TfjsModelJSON } from './tfjs.js';
import { toOnnx, type OnnxExportOptions } from './onnx.js';
import { fromSafetensors, toSafetensors, type FromSafetensorsOptions, type ToSafetensorsOptions } from './torch.js';

/** The largest safetensors file read: 2 GiB (a model of 500 million float32 weights). */
export const MAX_SAFETENSORS_BYTES = 2 * 1024 ** 3;

export function saveSafetensors(model: RNN, path: string, options: ToSafetensorsOptions = {}): void {
  writeFileAtomic(path, toSafetensors(model, options));
}

export function loadSafetensors(path: string, options: Omit<FromSafetensorsOptions, 'source'> = {}): RNN | Seq2Seq {
  checkOptions(options, { backend: is.object, config: is.object, prefix: is.string }, { where: 'loadSafetensors' });
  let size: number;
  let regular: boolean;
  try {
    const st = statSync(path);
    size = st.size;
    regular = st.isFile();
  } catch (e) {
    throw new UnrollError(`cannot read safetensors file ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`, 'io');
  }
  if (!regular) throw new UnrollError(`safetensors file ${path}: not a regular file; expected a .safetensors file`, 'io');
  if (size > MAX_SAFETENSORS_BYTES) throw new UnrollError(`safetensors file ${path}: ${size} bytes exceeds the limit of ${MAX_SAFETENSORS_BYTES} bytes`, 'model-file');
  return fromSafetensors(new Uint8Array(readFileSync(path)), { ...options, source: path });
}

/** The largest model.json or weight shard read: 2 GiB. */
export const MAX_TFJS_FILE_BYTES = 2 * 1024 ** 3;

function readBounded(path: string, what: string, limit: number): Uint8Array {
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    throw new UnrollError(`cannot read ${what} ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`, 'io');
  }
  if (!st.isFile()) throw new UnrollError(`${what} ${path}: not a regular file`, 'io');
  if (st.size > limit) throw new UnrollError(`${what} ${path}: ${st.size} bytes exceeds the limit of ${limit} bytes`, 'model-file');
  return new Uint8Array(readFileSync(path));
}

/** Writes `model.json` and `weights.bin` into `dir` (each atomically), for tf.loadLayersModel('file://…/model.json'). */
export function saveTfjsModel(model: RNN, dir: string): void {
  const { modelJson, weightData } = toTfjsModel(model);
  mkdirSync(dir, { recursive: true });
  writeFileAtomic(join(dir, 'weights.bin'), weightData);
  writeFileAtomic(join(dir, 'model.json'), JSON.stringify(modelJson));
}

/** Reads a tfjs/Keras layers model from its model.json and the weight shards it names (beside it). */
export function loadTfjsModel(modelJsonPath: string, options: { backend?: NetworkOptions['backend'] } = {}): RNN {
  checkOptions(options, { backend: is.object }, { where: 'loadTfjsModel' });
  const text = new TextDecoder().decode(readBounded(modelJsonPath, 'tfjs model.json', MAX_TFJS_FILE_BYTES));
  let json: TfjsModelJSON;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UnrollError(`tfjs model ${modelJsonPath}: not valid JSON (${(e as Error).message.slice(0, 80)})`, 'model-file');
  }
  if (!json || !Array.isArray(json.weightsManifest)) throw new UnrollError(`tfjs model ${modelJsonPath}: weightsManifest is missing`, 'model-file');
  const parts: Uint8Array[] = [];
  let total = 0;
  for (const group of json.weightsManifest) {
    for (const p of Array.isArray(group?.paths) ? group.paths : []) {
      if (typeof p !== 'string' || isAbsolute(p) || p.split(/[\\/]/).includes('..')) throw new UnrollError(`tfjs model ${modelJsonPath}: weight path ${JSON.stringify(p)} must be a file beside model.json`, 'model-file');
      const bytes = readBounded(join(dirname(modelJsonPath), p), 'tfjs weight file', MAX_TFJS_FILE_BYTES - total);
      total += bytes.length;
      parts.push(bytes);
    }
  }
  const all = new Uint8Array(total);
  let at = 0;
  for (const b of parts) { all.set(b, at); at += b.length; }
  return fromTfjsModel(json, all, { source: modelJsonPath, ...options });
}

/** Writes the model as an ONNX file (see interop/onnx.ts). */
export function saveOnnx(model: RNN, path: string, options: OnnxExportOptions = {}): void {
  writeFileAtomic(path, toOnnx(model, options));
}
