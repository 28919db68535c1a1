/**
 * The only Node-specific part of src/data: reading files from a path and writing files atomically.
 * Everything else in src/data works on strings and typed arrays, so it also runs in the browser.
 */
import { closeSync, fstatSync, openSync, readSync, readdirSync, writeFileSync, renameSync, unlinkSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { UnrollError } from '../util/errors.js';
import { LIMITS, formatBytes } from '../util/limits.js';
import { CSV_OPTION_RULES, parseCsvFrame, parseCsvSeries, type CsvOptions } from './csv.js';
import { checkOptions } from '../util/options.js';
import type { Frame, SeriesSet } from './frame.js';
import { WIDE_OPTION_RULES, parseWidePanel, type WideOptions, type WidePanel } from './wide.js';

/**
 * Reads a UTF-8 text file; a missing or unreadable file is an UnrollError naming the path. The file
 * is read in chunks up to `LIMITS.fileBytes`: a larger file, or an endless one (`/dev/zero`, a
 * pipe that never ends), is refused once the limit is passed, never read into memory whole.
 */
export function readTextFile(path: string): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw cannotRead(path, e);
  }
  try {
    return readBounded(fd, path);
  } finally {
    closeSync(fd);
  }
}

/** Reads standard input as text, bounded like readTextFile. */
export function readStdinText(label = '<stdin>'): string {
  return readBounded(0, label);
}

function cannotRead(path: string, e: unknown): UnrollError {
  if (e instanceof UnrollError) return e;
  const code = (e as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
  return new UnrollError(`cannot read "${path}": ${why}; expected a readable text file`, 'data');
}

function tooLarge(path: string): UnrollError {
  return new UnrollError(`cannot read "${path}": it is larger than the limit of ${formatBytes(LIMITS.fileBytes)} for one input file (limits.fileBytes; see docs/limits.md); expected a smaller file`, 'limit');
}

function readBounded(fd: number, path: string): string {
  const limit = LIMITS.fileBytes;
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw cannotRead(path, Object.assign(new Error('directory'), { code: 'EISDIR' }));
    if (st.isFile() && st.size > limit) throw tooLarge(path);
    const chunks: Buffer[] = [];
    let total = 0;
    const chunk = Buffer.allocUnsafe(1 << 20);
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, chunk, 0, chunk.length, null);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') continue; // a non-blocking pipe with no data yet
        if (code === 'EOF') break;
        throw e;
      }
      if (n === 0) break;
      total += n;
      if (total > limit) throw tooLarge(path);
      chunks.push(Buffer.from(chunk.subarray(0, n)));
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } catch (e) {
    throw cannotRead(path, e);
  }
}

/** Reads a wide-form CSV file into a frame (see parseCsvFrame); errors name the path. */
export function readCsvFrame(path: string, options: CsvOptions = {}): Frame {
  checkOptions(options, CSV_OPTION_RULES, { where: 'readCsvFrame' });
  return parseCsvFrame(readTextFile(path), { source: path, ...options });
}

/** Reads a CSV file in wide or long form into a set of series (see parseCsvSeries); errors name the path. */
export function readCsvSeries(path: string, options: CsvOptions = {}): SeriesSet {
  checkOptions(options, CSV_OPTION_RULES, { where: 'readCsvSeries' });
  return parseCsvSeries(readTextFile(path), { source: path, ...options });
}

/** Reads a wide panel file (M4 layout: one series per row, see parseWidePanel); errors name the path. */
export function readWidePanel(path: string, options: WideOptions = {}): WidePanel {
  checkOptions(options, WIDE_OPTION_RULES, { where: 'readWidePanel' });
  return parseWidePanel(readTextFile(path), { source: path, ...options });
}

let counter = 0;
const TMP = /^\.unroll-tmp-(\d+)-/;

/** Is a process with this id running (on this machine)? */
function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temporary files that a killed writer left in `dir` (`.unroll-tmp-<pid>-…` of a process
 * that no longer runs). Best effort: a folder that cannot be listed is left alone. Returns how many
 * were removed.
 */
export function removeStaleTemporaryFiles(dir: string): number {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    const m = TMP.exec(name);
    if (!m || alive(Number(m[1]))) continue;
    try {
      unlinkSync(join(dir, name));
      removed++;
    } catch {
      // another process removed it first, or it is not ours to remove
    }
  }
  return removed;
}

/**
 * Writes `data` to `path` atomically: first to a temporary file in the same directory, then renamed over
 * `path`, so a reader never sees a half-written file and a crash leaves the old file intact.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  removeStaleTemporaryFiles(dirname(path));
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
 * Reads and parses a JSON file written by unroll (a model or a forecaster; `kind` names it in the
 * message, e.g. "unroll text classifier"). A missing file or invalid JSON is an UnrollError naming the path.
 */
export function readJsonFile(path: string, kind = 'unroll model'): unknown {
  const text = readTextFile(path);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UnrollError(`model file ${path}: not valid JSON (${(e as Error).message}); the file may be corrupt or not an ${kind}`, 'model-file');
  }
}
