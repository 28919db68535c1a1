/**
 * The only Node-specific part of src/data: reading files from a path and writing files atomically.
 * Everything else in src/data works on strings and typed arrays, so it also runs in the browser.
 */
import { readFileSync, writeFileSync, renameSync, unlinkSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { UnrollError } from '../util/errors.js';
import { parseCsvFrame, parseCsvSeries, type CsvOptions } from './csv.js';
import type { Frame, SeriesSet } from './frame.js';
import { parseWidePanel, type WideOptions, type WidePanel } from './wide.js';

/** Reads a UTF-8 text file; a missing or unreadable file is an UnrollError naming the path. */
export function readTextFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message;
    throw new UnrollError(`cannot read "${path}": ${why}; expected a readable text file`, 'data');
  }
}

/** Reads a wide-form CSV file into a frame (see parseCsvFrame); errors name the path. */
export function readCsvFrame(path: string, options: CsvOptions = {}): Frame {
  return parseCsvFrame(readTextFile(path), { source: path, ...options });
}

/** Reads a CSV file in wide or long form into a set of series (see parseCsvSeries); errors name the path. */
export function readCsvSeries(path: string, options: CsvOptions = {}): SeriesSet {
  return parseCsvSeries(readTextFile(path), { source: path, ...options });
}

/** Reads a wide panel file (M4 layout: one series per row, see parseWidePanel); errors name the path. */
export function readWidePanel(path: string, options: WideOptions = {}): WidePanel {
  return parseWidePanel(readTextFile(path), { source: path, ...options });
}

let counter = 0;

/**
 * Writes `data` to `path` atomically: first to a temporary file in the same directory, then renamed over
 * `path`, so a reader never sees a half-written file and a crash leaves the old file intact.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = join(dirname(path), `.unroll-tmp-${process.pid}-${Date.now()}-${counter++}-${basename(path)}`);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // the temporary file was never created
    }
    throw new UnrollError(`cannot write "${path}": ${(e as Error).message}`, 'io');
  }
}

/**
 * Reads and parses a JSON file written by unroll (a model or a forecaster). A missing file or
 * invalid JSON is an UnrollError naming the path.
 */
export function readJsonFile(path: string): unknown {
  const text = readTextFile(path);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UnrollError(`model file ${path}: not valid JSON (${(e as Error).message}); the file may be corrupt or not an unroll model`, 'model-file');
  }
}
