// Development-split experiments of the panel forecaster (never the official test): trains the model with the
// options given as JSON and prints its sMAPE, MASE, OWA, 95% coverage and time as one JSON line.
// Usage: node bench/panel-dev.mjs '{"members":3,"normalisation":"hw"}' [train.csv test.csv]
//   PROGRESS=1 prints every epoch's training loss and validation score on stderr.
//   SAVE=model.json also writes the trained model (to combine its members differently afterwards).
// node bench/panel-dev.mjs --members-of model.json [train.csv test.csv]
//   scores a saved model's members combined two ways without training: 'mean' (the model as saved: the
//   members' log forecasts averaged, a geometric mean) and 'median' (the median of the members' forecasts,
//   each combined with the companion at the saved weight w; since w·x + (1 − w)·c is increasing in x, this
//   is the median network forecast combined at the same weight). Point metrics only for 'median': the saved
//   interval calibration belongs to the mean.
// Needs `npm run build` first; defaults to the shared development split /work/wt/dev/.
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { readWidePanel } from '../dist/data/node-io.js';
import { pairWidePanels } from '../dist/data/wide.js';
import { createWasmBackendSync } from '../dist/kernels/fast.js';
import { panelRnn } from '../dist/forecast/methods/panel.js';
import { PanelForecaster } from '../dist/forecast/panel/model.js';
import { runPanelBenchmark } from '../dist/forecast/panel-benchmark.js';

const membersOf = process.argv[2] === '--members-of' ? process.argv[3] : null;
const args = membersOf ? process.argv.slice(4) : process.argv.slice(3);
const options = membersOf ? {} : JSON.parse(process.argv[2] ?? '{}');
const train = args[0] ?? '/work/wt/dev/dev-train.csv';
const test = args[1] ?? '/work/wt/dev/dev-test.csv';
const horizon = Number(process.env.H ?? 48);
const period = Number(process.env.M ?? 24);
const panel = pairWidePanels(readWidePanel(train), readWidePanel(test));
const started = performance.now();
const backend = createWasmBackendSync();

function row(m, extra) {
  const iv = m.intervals.find((b) => b.level === 0.95);
  return { smape: +m.smape.toFixed(3), mase: +m.mase.toFixed(3), owa: +m.owa.toFixed(4), cover95: iv && +iv.coverage.toFixed(3),
    msis: iv && iv.msis && +iv.msis.toFixed(2), seconds: Math.round((performance.now() - started) / 1000), model: m.description, ...extra };
}

/** A panel method that forecasts with an already trained model (no training). */
function savedMethod(name, forecast) {
  return { name, fitPanel: (series) => ({ name, forecast: (h) => forecast(series, h) }) };
}

if (membersOf) {
  const json = JSON.parse(readFileSync(membersOf, 'utf8'));
  const whole = PanelForecaster.fromJSON(json, { backend, source: membersOf });
  const single = json.members.map((m) => PanelForecaster.fromJSON({ ...json, members: [m] }, { backend, source: membersOf }));
  const mean = savedMethod('mean', (series) => whole.forecast(series));
  const median = savedMethod('median', (series) => {
    const each = single.map((model) => model.forecast(series));
    return each[0].map((_, i) => {
      const values = new Float64Array(horizon);
      for (let k = 0; k < horizon; k++) {
        const v = each.map((f) => f[i].mean[k]).sort((a, b) => a - b);
        const n = v.length;
        values[k] = n % 2 ? v[(n - 1) / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
      }
      return { mean: values, intervals: [] };
    });
  });
  const r = runPanelBenchmark([mean, median], panel, { horizon, period, levels: [0.95] });
  for (const m of r.methods.filter((x) => x.name === 'mean' || x.name === 'median')) console.log(JSON.stringify(row(m, { model: membersOf, combine: m.name })));
} else {
  const save = process.env.SAVE;
  const onFitted = save ? (model) => { writeFileSync(`${save}.tmp`, JSON.stringify(model.toJSON())); renameSync(`${save}.tmp`, save); } : undefined;
  const onEpoch = process.env.PROGRESS ? (e) => console.error(JSON.stringify({ ...e, seconds: Math.round((performance.now() - started) / 1000) })) : undefined;
  const model = panelRnn({ options, backend, threads: Number(process.env.THREADS ?? 2), onFitted, onEpoch });
  const r = runPanelBenchmark([model], panel, { horizon, period, levels: [0.95] });
  console.log(JSON.stringify(row(r.methods[0], { options })));
}
