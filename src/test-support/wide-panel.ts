/**
 * A small wide (M4-layout) panel for the CLI's benchmark tests: 6 monthly series of 60 values, series i at
 * level 20 + 5i with a ±30% yearly swing and a small repeating wiggle, written as a training file (the first
 * 54 values) and a test file (the last 6) in `dir`. Returns their paths.
 *
 * Test-only (src/test-support/ is left out of the package).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function writeWidePanel(dir: string): [string, string] {
  const rows = Array.from({ length: 6 }, (_, i) => Array.from({ length: 60 }, (_, t) => (20 + 5 * i) * (1 + 0.3 * Math.sin((2 * Math.PI * t) / 12)) + ((t * 7 + i) % 5)));
  const header = (n: number): string => Array.from({ length: n }, (_, c) => `"V${c + 1}"`).join(',');
  const train = join(dir, 'wide-train.csv');
  const test = join(dir, 'wide-test.csv');
  writeFileSync(train, [header(55), ...rows.map((y, i) => [`"S${i + 1}"`, ...y.slice(0, 54).map((v) => v.toFixed(3))].join(','))].join('\n') + '\n');
  writeFileSync(test, [header(7), ...rows.map((y, i) => [`"S${i + 1}"`, ...y.slice(54).map((v) => v.toFixed(3))].join(','))].join('\n') + '\n');
  return [train, test];
}
