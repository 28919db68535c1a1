// Phase 1 of the development protocol for the panel forecaster's combination (issue 10, generalisation):
// fits the network and the cheap statistical candidates at rolling origins of the development panels
// (bench/data/dev-panels, made by make-dev-panels.R) and caches every forecast as JSON (the network's, and
// Theta, damped, SES, seasonal naive, Naive2, unroll's ETS and ARIMA from four cuts), so that combination
// rules can be compared (bench/panels/analyse.ts) without training again.
//
//   npx tsx bench/panels/fit.ts --panel monthly [--origins 1,2,3] [--modes honest,shared] [--members 8]
//   npx tsx bench/panels/fit.ts --hourly-dev     (the shared development split of M4 Hourly: /work/wt/dev)
//   npx tsx bench/panels/fit.ts --dir bench/data/heldout-panels --panel daily --members 3   (another folder of
//                                                  panels, e.g. the held-out ones; its files are cached as <folder>-<panel>-…)
//
// Origin o cuts every series after n − o·h values (the next h values are the test); a series whose cut is
// shorter than 3h + max(m, 1) sits that origin out (as in make-dev-panels.R). Two ways to train the network:
//   shared: the members train on the cut and stop early on its last h values (the old default), and those
//           same values serve as the validation window of the combination;
//   honest: the members train on the cut minus its last h values (stopping early on the h before), so the
//           last h values of the cut are a validation window the network never saw;
//   honest2: the members train on the cut minus its last 2h values and forecast both last windows (valA, valB).
// Never reads M4 Hourly's test file.
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { parseWidePanel } from '../../src/data/wide.js';
import { PanelForecaster } from '../../src/forecast/panel/model.js';
import { candidateForecasts } from '../../src/forecast/panel/companion.js';
import { panelSettings } from '../../src/forecast/panel/settings.js';
import { validationSplit } from '../../src/forecast/panel/validation.js';
import { arima } from '../../src/forecast/methods/arima.js';
import { ets } from '../../src/forecast/methods/ets.js';
import type { ForecastMethod } from '../../src/forecast/methods/types.js';
import { createWasmBackendSync } from '../../src/kernels/fast.js';

export const PANELS: Record<string, { h: number; m: number }> = {
  weekly: { h: 13, m: 1 }, monthly: { h: 18, m: 12 }, quarterly: { h: 8, m: 4 }, yearly: { h: 6, m: 1 }, hourly: { h: 48, m: 24 },
  daily: { h: 14, m: 1 },
};
export const DEV_DIR = 'bench/data/dev-panels';
/** The cache's prefix for a folder of panels: none for the development panels, else the folder's name and a dash. */
export const cachePrefix = (dir: string): string => (dir.replace(/\/+$/, '') === DEV_DIR ? '' : `${basename(dir.replace(/\/+$/, ''))}-`);
export const CACHE = process.env.COMBINE_CACHE ?? '/tmp/combine-cache';

const { values: args } = parseArgs({ options: {
  panel: { type: 'string' }, origins: { type: 'string', default: '1,2,3' }, modes: { type: 'string', default: 'honest,shared' },
  members: { type: 'string', default: '8' }, 'hourly-dev': { type: 'boolean', default: false }, force: { type: 'boolean', default: false },
  dir: { type: 'string', default: DEV_DIR },
} });

const arr = (f: Float64Array): number[] => Array.from(f);

/** One method's forecast, or the naive forecast when it cannot fit (as companion.ts does). */
function orNaive(method: ForecastMethod, y: ArrayLike<number>, h: number, m: number): number[] {
  try {
    const f = Array.from(method.fit(y, { period: m }).forecast(h).mean);
    if (f.length === h && f.every((v) => Number.isFinite(v))) return f;
  } catch { /* naive below */ }
  return new Array<number>(h).fill(y[y.length - 1]!);
}

/** The cheap candidates, Naive2, and unroll's automatic ETS and ARIMA, from the values y. */
function allForecasts(y: ArrayLike<number>, h: number, m: number): Record<string, number[]> {
  return { ...candidateForecasts(y, h, m, true), ets: orNaive(ets, y, h, m), arima: orNaive(arima, y, h, m) };
}

async function main(): Promise<void> {
  mkdirSync(CACHE, { recursive: true });
  const backend = createWasmBackendSync({ notice: () => {} });
  const members = Number(args.members);
  const jobs: { name: string; panel: string; dropped: number; h: number; m: number; ids: string[]; cut: Float64Array[]; test: Float64Array[] }[] = [];
  if (args['hourly-dev']) {
    const train = parseWidePanel(readFileSync('/work/wt/dev/dev-train.csv', 'utf8'));
    const test = parseWidePanel(readFileSync('/work/wt/dev/dev-test.csv', 'utf8'));
    jobs.push({ name: 'hourly-o1', panel: 'hourly', dropped: 0, h: 48, m: 24, ids: train.ids, cut: train.series, test: test.series });
  } else {
    const p = args.panel!;
    if (!PANELS[p]) throw new Error(`--panel: expected one of ${Object.keys(PANELS).join(', ')}, got ${JSON.stringify(p)}`);
    const { h, m } = PANELS[p]!;
    const prefix = cachePrefix(args.dir);
    const panel = parseWidePanel(readFileSync(`${args.dir}/${p}.csv`, 'utf8'));
    for (const o of args.origins.split(',').map(Number)) {
      const ids: string[] = []; const cut: Float64Array[] = []; const test: Float64Array[] = [];
      panel.series.forEach((y, i) => {
        const c = y.length - o * h;
        if (c < 3 * h + Math.max(m, 1)) return;
        ids.push(panel.ids[i]!); cut.push(y.slice(0, c)); test.push(y.slice(c, c + h));
      });
      jobs.push({ name: `${prefix}${p}-o${o}`, panel: `${prefix}${p}`, dropped: o * h, h, m, ids, cut, test });
    }
  }
  for (const job of jobs) {
    const { h, m, cut } = job;
    // An origin where every series is too short has nothing to fit (a panel of 0 series is an error for the model).
    if (cut.length === 0) { console.log(`${job.name}: no series is long enough at this origin; skipped`); continue; }
    const before = cut.map((y) => y.subarray(0, y.length - h));
    const before2 = cut.map((y) => y.subarray(0, Math.max(1, y.length - 2 * h)));
    const before3 = cut.map((y) => y.subarray(0, Math.max(1, y.length - 3 * h)));
    const statFile = `${CACHE}/${job.name}-stat.json`;
    const old = existsSync(statFile) && !args.force ? JSON.parse(readFileSync(statFile, 'utf8')) : null;
    if (!old || !old.val3_f || !old.test_f[0].ets) {
      // Forecasts from the cut (test), and from the cut minus its last h, 2h and 3h values (the windows
      // the combination and the per-series companion choose on).
      const t0 = Date.now();
      const stat = {
        ids: job.ids, h, m, cut: cut.map(arr), test: job.test.map(arr),
        test_f: cut.map((y) => allForecasts(y, h, m)),
        val_f: before.map((y) => allForecasts(y, h, m)),
        val2_f: before2.map((y) => allForecasts(y, h, m)),
        val3_f: before3.map((y) => allForecasts(y, h, m)),
      };
      writeFileSync(statFile, JSON.stringify(stat));
      console.log(`${job.name}: statistical candidates in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
    for (const mode of args.modes.split(',')) {
      const file = `${CACHE}/${job.name}-${mode}-m${members}.json`;
      if (existsSync(file) && !args.force) continue;
      const t0 = Date.now();
      // As the default model's split (validation.ts): where it takes one window, so does the cache ('honest').
      if (mode === 'honest2' && validationSplit(cut, panelSettings({ horizon: h, period: m })).windows === 1) {
        writeFileSync(file, JSON.stringify({ oneWindow: true }));
        console.log(`${job.name} ${mode}: one window (no series has chunk + 4h values)`);
        continue;
      }
      // A network is fixed by the values it trains on: the honest network at origin o is the shared one
      // at origin o + 1, so trained models are kept by how many values were cut off the series' ends.
      // honest2: the members train on the cut minus its last 2h values, and forecast both of the last two
      // windows (valA from the cut minus 2h, valB from the cut minus h): the two-window weight of pool.ts.
      const dropped = job.dropped + (mode === 'honest' ? h : mode === 'honest2' ? 2 * h : 0);
      const modelFile = `${CACHE}/${job.panel}-drop${dropped}-m${members}-model.json`;
      let model: PanelForecaster | null = null;
      if (existsSync(modelFile) && !args.force) model = PanelForecaster.fromJSON(JSON.parse(readFileSync(modelFile, 'utf8')), { backend });
      // honest2 shares the model of another origin only when that origin has the same series (a series a model
      // did not train on gets starting Holt-Winters parameters); otherwise it trains its own on this origin's cut.
      const ownFile = `${CACHE}/${job.name}-honest2-m${members}-model.json`;
      const own = mode === 'honest2' && model !== null && model.seriesKeys.length !== cut.length;
      if (own) model = existsSync(ownFile) && !args.force ? PanelForecaster.fromJSON(JSON.parse(readFileSync(ownFile, 'utf8')), { backend }) : null;
      if (!model) {
        model = new PanelForecaster({ horizon: h, period: m, members, companion: 'none' }, backend);
        model.fit(mode === 'honest' ? before : mode === 'honest2' ? before2 : cut);
        writeFileSync(own ? ownFile : modelFile, JSON.stringify(model.toJSON()));
      }
      const band = (fs: ReturnType<PanelForecaster['forecast']>) => fs.map((f) => ({ mean: arr(f.mean), lower: f.intervals[0] ? arr(f.intervals[0].lower) : null, upper: f.intervals[0] ? arr(f.intervals[0].upper) : null }));
      const out = mode === 'honest2'
        ? { valA: band(model.forecast(before2)), valB: band(model.forecast(before)), bestEpochs: model.results.map((r) => r.bestEpoch), seconds: (Date.now() - t0) / 1000 }
        : { val: band(model.forecast(before)), test: band(model.forecast(cut)), bestEpochs: model.results.map((r) => r.bestEpoch), seconds: (Date.now() - t0) / 1000 };
      writeFileSync(file, JSON.stringify(out));
      console.log(`${job.name} ${mode}: ${out.seconds.toFixed(1)} s, best epochs ${out.bestEpochs.join(' ')}`);
    }
  }
}
main().catch((e) => { console.error(e); process.exit(1); });
