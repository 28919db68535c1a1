// Development-split experiments of the panel forecaster (never the official test): trains the model with the
// options given as JSON and prints its sMAPE, MASE, OWA, 95% coverage and time as one JSON line.
// Usage: node bench/panel-dev.mjs '{"members":3,"normalisation":"hw"}' [train.csv test.csv]
// Needs `npm run build` first; defaults to the shared development split /work/wt/dev/.
import { readWidePanel } from '../dist/data/node-io.js';
import { pairWidePanels } from '../dist/data/wide.js';
import { createWasmBackendSync } from '../dist/kernels/fast.js';
import { panelRnn } from '../dist/forecast/methods/panel.js';
import { runPanelBenchmark } from '../dist/forecast/panel-benchmark.js';

const options = JSON.parse(process.argv[2] ?? '{}');
const train = process.argv[3] ?? '/work/wt/dev/dev-train.csv';
const test = process.argv[4] ?? '/work/wt/dev/dev-test.csv';
const horizon = Number(process.env.H ?? 48);
const period = Number(process.env.M ?? 24);
const panel = pairWidePanels(readWidePanel(train), readWidePanel(test));
const started = performance.now();
const model = panelRnn({ options, backend: createWasmBackendSync(), threads: Number(process.env.THREADS ?? 2) });
const r = runPanelBenchmark([model], panel, { horizon, period, levels: [0.95] });
const m = r.methods[0];
const iv = m.intervals.find((b) => b.level === 0.95);
console.log(JSON.stringify({ options, smape: +m.smape.toFixed(3), mase: +m.mase.toFixed(3), owa: +m.owa.toFixed(4), cover95: iv && +iv.coverage.toFixed(3),
  msis: iv && iv.msis && +iv.msis.toFixed(2), seconds: Math.round((performance.now() - started) / 1000), model: m.description }));
