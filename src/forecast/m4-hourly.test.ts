// M4 Hourly (bench/data/m4-hourly: the competition's own 414 series, horizon 48, period 24):
// - Naive, sNaive, Naive2, SES and Theta reproduce the published sMAPE and MASE to the published three
//   decimals (published.json, from the competition's results workbook), finer than three significant digits;
// - all eight benchmarks equal the competition's benchmark code run in R with the forecast package installed
//   here (src/forecast/methods/fixtures/m4-hourly-r.json, made by make-m4-hourly.R);
// - Holt, damped and Comb differ from the published figures by under 1%: the competition ran an older
//   forecast package (its code asks for v8.2), whose Holt fits differ from today's on some series.
// Comb is scored from the SES, Holt and damped forecasts of the same run (its mean is checked against R
// series by series in methods/methods.test.ts), so the slowest fits are not run twice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readWidePanel } from '../data/node-io.js';
import { pairWidePanels } from '../data/wide.js';
import { runPanelBenchmark } from './panel-benchmark.js';
import { naive, seasonalNaive, naive2, ses, holt, damped, theta } from './methods/index.js';
import { mase, owa, smape } from './metrics.js';

const dir = fileURLToPath(new URL('../../bench/data/m4-hourly/', import.meta.url));
type Scores = Record<string, { sMAPE: number; MASE: number }>;
const published = JSON.parse(readFileSync(dir + 'published.json', 'utf8')).methods as Scores;
const inR = JSON.parse(readFileSync(new URL('../../src/forecast/methods/fixtures/m4-hourly-r.json', import.meta.url), 'utf8')).methods as Scores;

/** Agreement to the published precision (three decimals), which is finer than three significant digits here. */
const asPublished = (x: number, p: number) => Math.abs(x - p) <= 0.0005 + 1e-12;

test('M4 Hourly: the statistical benchmarks against the published figures and against M4\'s code in R', () => {
  const panel = pairWidePanels(readWidePanel(dir + 'Hourly-train.csv'), readWidePanel(dir + 'Hourly-test.csv'));
  assert.equal(panel.ids.length, 414);
  const result = runPanelBenchmark([naive, seasonalNaive, naive2, ses, holt, damped, theta], panel, { horizon: 48, period: 24, keepForecasts: true });
  assert.deepEqual(result.withoutScale, []);
  const scores: Record<string, { sMAPE: number; MASE: number; OWA: number }> = {};
  for (const m of result.methods) scores[m.name] = { sMAPE: m.smape, MASE: m.mase!, OWA: m.owa! };
  // Comb = mean of SES, Holt and damped, per series and step.
  const byName = Object.fromEntries(result.methods.map((m) => [m.name, m.forecasts!]));
  let cs = 0;
  let cm = 0;
  panel.ids.forEach((_, i) => {
    const f = byName.ses![i]!.mean.map((v, k) => (v + byName.holt![i]!.mean[k]! + byName.damped![i]!.mean[k]!) / 3);
    const actual = panel.test[i]!.subarray(0, 48);
    cs += smape(actual, f);
    cm += mase(actual, f, { train: panel.train[i]!, period: 24 });
  });
  const n2 = scores.naive2!;
  scores.comb = { sMAPE: cs / 414, MASE: cm / 414, OWA: owa(cs / 414, cm / 414, n2.sMAPE, n2.MASE) };
  console.log(Object.entries(scores).map(([name, r]) =>
    `${name.padEnd(7)} sMAPE ${r.sMAPE.toFixed(3)} (published ${published[name]!.sMAPE}, R ${inR[name]!.sMAPE.toFixed(3)})  MASE ${r.MASE.toFixed(3)} (published ${published[name]!.MASE}, R ${inR[name]!.MASE.toFixed(3)})  OWA ${r.OWA.toFixed(3)}`).join('\n'));
  for (const name of ['naive', 'snaive', 'naive2', 'ses', 'theta']) {
    const [r, p] = [scores[name]!, published[name]!];
    assert.ok(asPublished(r.sMAPE, p.sMAPE), `${name} sMAPE ${r.sMAPE} vs published ${p.sMAPE}`);
    assert.ok(asPublished(r.MASE, p.MASE), `${name} MASE ${r.MASE} vs published ${p.MASE}`);
  }
  for (const name of ['holt', 'damped', 'comb']) {
    const [r, p] = [scores[name]!, published[name]!];
    assert.ok(Math.abs(r.sMAPE / p.sMAPE - 1) < 0.01, `${name} sMAPE ${r.sMAPE} vs published ${p.sMAPE}`);
    assert.ok(Math.abs(r.MASE / p.MASE - 1) < 0.01, `${name} MASE ${r.MASE} vs published ${p.MASE}`);
  }
  for (const name of Object.keys(scores)) {
    const [r, e] = [scores[name]!, inR[name]!];
    assert.ok(Math.abs(r.sMAPE / e.sMAPE - 1) < 1e-9, `${name} sMAPE ${r.sMAPE} vs R ${e.sMAPE}`);
    assert.ok(Math.abs(r.MASE / e.MASE - 1) < 1e-9, `${name} MASE ${r.MASE} vs R ${e.MASE}`);
  }
});
