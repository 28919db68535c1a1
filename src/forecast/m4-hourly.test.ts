// Reproduces M4's published sMAPE and MASE of the statistical benchmarks on the 414 Hourly series
// (bench/data/m4-hourly: the competition's own files and published.json from its results workbook).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readWidePanel } from '../data/node-io.js';
import { pairWidePanels } from '../data/wide.js';
import { runPanelBenchmark } from './panel-benchmark.js';
import { M4_BENCHMARKS } from './methods/index.js';

const dir = fileURLToPath(new URL('../../bench/data/m4-hourly/', import.meta.url));
const published = JSON.parse(readFileSync(dir + 'published.json', 'utf8')).methods as Record<string, { sMAPE: number; MASE: number; OWA: number }>;

/** Rounds to three significant digits. */
const sig3 = (x: number) => Number(x.toPrecision(3));

test('M4 Hourly: the statistical benchmarks reproduce the published sMAPE and MASE to three significant digits', () => {
  const panel = pairWidePanels(readWidePanel(dir + 'Hourly-train.csv'), readWidePanel(dir + 'Hourly-test.csv'));
  assert.equal(panel.ids.length, 414);
  const result = runPanelBenchmark(M4_BENCHMARKS, panel, { horizon: 48, period: 24 });
  assert.deepEqual(result.withoutScale, []);
  const rows = result.methods.map((m) => ({ name: m.name, sMAPE: m.smape, MASE: m.mase!, OWA: m.owa!, ms: Math.round(m.fitMs + m.forecastMs) }));
  console.log(rows.map((r) => `${r.name.padEnd(8)} sMAPE ${r.sMAPE.toFixed(3)} (${published[r.name]!.sMAPE})  MASE ${r.MASE.toFixed(3)} (${published[r.name]!.MASE})  OWA ${r.OWA.toFixed(3)} (${published[r.name]!.OWA})  ${r.ms} ms`).join('\n'));
  for (const r of rows) {
    const p = published[r.name]!;
    assert.equal(sig3(r.sMAPE), sig3(p.sMAPE), `${r.name} sMAPE ${r.sMAPE} vs published ${p.sMAPE}`);
    assert.equal(sig3(r.MASE), sig3(p.MASE), `${r.name} MASE ${r.MASE} vs published ${p.MASE}`);
  }
});
