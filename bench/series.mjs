/**
 * The series the RNN forecaster's own benchmarks measure on (bench/budget/measure.mjs,
 * bench/intervals/measure.mjs), and the way they reach the compiled library (npm run build first):
 *
 * - `column(file, col, name)`: one column of a bundled CSV in data/ as its own one-column frame, empty
 *   cells dropped (e.g. GOOG before 2004);
 * - `fromR(name)`: a series of R's `datasets` package, written by Rscript at run time (never committed
 *   as test data), dated from its time() (the first day of each month or quarter);
 * - `R_SERIES`: the four R series the issues name.
 */
import { readFileSync, mkdtempSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root folder. */
export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** A compiled module's path under dist/. */
export const dist = (p) => join(root, 'dist', p);

const { parseCsvFrame } = await import(dist('data/csv.js'));

/** One column of a bundled CSV as its own one-column frame (empty cells dropped). */
export function column(file, col, name = col) {
  const text = readFileSync(join(root, 'data', file), 'utf8').trim().split('\n');
  const header = text[0].split(',');
  const j = header.indexOf(col);
  const rows = text.slice(1).map((l) => l.split(',')).filter((c) => c[j] !== '' && c[j] !== undefined);
  const csv = `${header[0]},${name}\n` + rows.map((c) => `${c[0]},${c[j]}`).join('\n');
  return { name, frame: parseCsvFrame(csv, { source: `${file}:${col}` }) };
}

/** An R datasets series as a frame (date column from time()). */
export function fromR(name) {
  const dir = mkdtempSync(join(tmpdir(), 'unroll-bench-'));
  const path = join(dir, `${name}.csv`);
  const code = `x <- datasets::${name}; t <- time(x); f <- frequency(x);` +
    ` y <- floor(t + 1e-6); m <- round((t - y) * f) * (12 / f) + 1;` +
    ` d <- sprintf('%04d-%02d-01', as.integer(y), as.integer(m));` +
    ` write.csv(data.frame(date = d, value = as.numeric(x)), '${path}', row.names = FALSE, quote = FALSE)`;
  execFileSync('Rscript', ['-e', code]);
  return { name, frame: parseCsvFrame(readFileSync(path, 'utf8'), { source: `R datasets::${name}` }) };
}

/** The R series the issues name (monthly and quarterly, with season). */
export const R_SERIES = ['co2', 'nottem', 'UKDriverDeaths', 'USAccDeaths'];
