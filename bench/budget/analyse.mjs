#!/usr/bin/env node
/**
 * Replays early stopping on the validation curves recorded by measure.mjs for candidate budgets and
 * prints, per learning-rate setting and budget: series still improving at the cap, series that kept
 * their first epoch, the mean (and median) validation loss of the kept epoch relative to the lowest
 * the long run reached (1 = as good as training to the end), and the epochs run (the cost).
 *
 * A budget is (epochs, patience), or 'scaled': both counted in optimizer updates and turned into
 * epochs per series (batches = ⌈0.9·windows / 64⌉ per epoch):
 *   epochs = clamp(⌈U / batches⌉, 30, cap),  patience = clamp(⌈P / batches⌉, 6, pmax).
 *
 * Usage: node bench/budget/analyse.mjs [results.json] [--series]
 */
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { replay } from './replay.mjs';

const here = dirname(fileURLToPath(import.meta.url));
// Later files replace earlier ones' curves of the same series and setting (e.g. longer runs of the short series).
const files = process.argv.slice(2).filter((a) => !a.startsWith('--'));
// Default: the curves of the current pipeline (results-current.json; results.json and results-short.json
// are the first measurement's, before the seasonal normalisation and the held-out calibration rows).
if (files.length === 0) files.push(join(here, 'results-current.json'));
const perSeries = process.argv.includes('--series');
const merged = {};
for (const f of files) Object.assign(merged, JSON.parse(readFileSync(f, 'utf8')));
const results = Object.values(merged);

const fixed = (epochs, patience) => ({ name: `${epochs}/${patience}`, budget: () => ({ epochs, patience }) });
const scaled = (U, P, cap, pmax) => ({
  name: `updates U=${U} P=${P} ≤${cap}/${pmax}`,
  budget: (r) => {
    const batches = Math.ceil((0.9 * r.windows) / 64);
    return { epochs: Math.min(cap, Math.max(30, Math.ceil(U / batches))), patience: Math.min(pmax, Math.max(6, Math.ceil(P / batches))) };
  },
});
const BUDGETS = [fixed(30, 6), fixed(100, 10), fixed(150, 20), fixed(300, 25), fixed(400, 40),
  scaled(1500, 150, 400, 40), scaled(2000, 200, 400, 50), scaled(3000, 200, 400, 50), scaled(3000, 300, 400, 60)];

const settings = [...new Set(results.map((r) => r.setting))];
for (const setting of settings) {
  const runs = results.filter((r) => r.setting === setting);
  console.log(`\n${setting}: ${runs.length} series`);
  console.log('budget                              still improving  first kept  kept loss / lowest  mean epochs run');
  for (const b of BUDGETS) {
    let improving = 0, first = 0, ratio = 0, cost = 0;
    const ratios = [];
    const rows = [];
    for (const r of runs) {
      const { epochs, patience } = b.budget(r);
      const x = replay(r.val, epochs, patience);
      const lowest = Math.min(...r.val);
      // A run that stopped (watch) before this budget's cap while still within patience: unknown beyond the record.
      if (x.stillImproving) improving++;
      if (x.firstKept) first++;
      ratio += x.best / lowest;
      ratios.push(x.best / lowest);
      cost += x.stop;
      rows.push(`  ${r.series.padEnd(16)} epochs ${String(epochs).padStart(3)} patience ${String(patience).padStart(2)}: best ${String(x.bestEpoch).padStart(3)} stop ${String(x.stop).padStart(3)}${x.stillImproving ? ' STILL IMPROVING' : ''}${x.firstKept ? ' first kept' : ''}  ${(x.best / lowest).toFixed(3)}`);
    }
    ratios.sort((a, c) => a - c);
    const median = ratios.length % 2 ? ratios[(ratios.length - 1) / 2] : (ratios[ratios.length / 2 - 1] + ratios[ratios.length / 2]) / 2;
    console.log(`${b.name.padEnd(35)} ${String(improving).padStart(8)}/${runs.length}  ${String(first).padStart(7)}/${runs.length}  ${(ratio / runs.length).toFixed(3).padStart(14)} (median ${median.toFixed(3)})  ${(cost / runs.length).toFixed(1).padStart(12)}`);
    if (perSeries) console.log(rows.join('\n'));
  }
}
