/**
 * The chart library's files, read from the installed `uplot` package so that the report can inline
 * them (Node only). uPlot is MIT-licensed; its notice travels with the inlined code.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { UnrollError } from '../util/errors.js';

export interface UplotAssets {
  /** uPlot's browser build (defines the global `uPlot`). */
  js: string;
  /** uPlot's stylesheet. */
  css: string;
  /** The installed uPlot version, e.g. "1.6.32". */
  version: string;
}

let cached: UplotAssets | undefined;

/** Reads uPlot.iife.min.js and uPlot.min.css from node_modules/uplot/dist (once per process). */
export function loadUplotAssets(): UplotAssets {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  let packageJson: string;
  try {
    packageJson = require.resolve('uplot/package.json');
  } catch {
    throw new UnrollError('cannot find the "uplot" package needed for the HTML report; expected it in node_modules (run "npm ci")', 'dependency');
  }
  const dist = join(dirname(packageJson), 'dist');
  const read = (name: string): string => {
    const file = join(dist, name);
    try {
      return readFileSync(file, 'utf8');
    } catch {
      throw new UnrollError(`cannot read ${file}; expected the uplot package's browser build there (reinstall with "npm ci")`, 'dependency');
    }
  };
  const version = String((JSON.parse(readFileSync(packageJson, 'utf8')) as { version?: unknown }).version ?? 'unknown');
  cached = { js: read('uPlot.iife.min.js'), css: read('uPlot.min.css'), version };
  return cached;
}
