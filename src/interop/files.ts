/**
 * safetensors files on disk (Node only): written atomically (a temporary file, then a rename), read
 * after checking the file's size, so a huge or endless file (/dev/zero) is refused before it is read.
 */
import { readFileSync, statSync } from 'node:fs';
import { writeFileAtomic } from '../data/node-io.js';
import { UnrollError } from '../util/errors.js';
import type { RNN, Seq2Seq } from '../train/model.js';
import { fromSafetensors, toSafetensors, type FromSafetensorsOptions, type ToSafetensorsOptions } from './torch.js';

/** The largest safetensors file read: 2 GiB (a model of 500 million float32 weights). */
export const MAX_SAFETENSORS_BYTES = 2 * 1024 ** 3;

export function saveSafetensors(model: RNN, path: string, options: ToSafetensorsOptions = {}): void {
  writeFileAtomic(path, toSafetensors(model, options));
}

export function loadSafetensors(path: string, options: Omit<FromSafetensorsOptions, 'source'> = {}): RNN | Seq2Seq {
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
