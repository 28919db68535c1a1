/**
 * `unroll summary` on a panel model (saved by `unroll train --series`), text and --json: the kind, the settings,
 * the members and their best epochs, the parameter count, the companion, the network's weight with the fit's
 * evidence in the fit's own words, the band, and the series kept. A file without the fields an older unroll did
 * not write says they are not recorded. (Before, summary refused every panel model.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPanelForecaster } from '../../forecast/panel-io.js';
import { runCli, type CliResult } from '../../test-support/cli.js';

const PANEL = fileURLToPath(new URL('../../../data/quarterly_panel_4series.csv', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'unroll-summary-panel-'));
const QUICK = ['--members', '2', '--epochs', '1', '--hidden', '4', '--layers', '2', '--dilations', '1,2', '--residual', '--threads', '1', '--quiet'];

function unroll(args: string[]): CliResult {
  return runCli(args, { cwd: dir });
}

function edited(from: string, name: string, edit: (j: Record<string, any>) => void): string {
  const j = JSON.parse(readFileSync(from, 'utf8'));
  edit(j);
  const out = join(dir, name);
  writeFileSync(out, JSON.stringify(j));
  return out;
}

test('summary describes a panel model from its file, text and JSON', () => {
  const path = join(dir, 'theta.json');
  const t = unroll(['train', '--series', PANEL, '--companion', 'theta', '--out', path, ...QUICK]);
  assert.equal(t.code, 0, t.err);
  const { model } = loadPanelForecaster(path);
  const s = unroll(['summary', '--model', path]);
  assert.equal(s.code, 0, s.err);
  const out = s.out;
  assert.match(out, /: the global panel forecaster \(ES-RNN family\)/);
  assert.match(out, /\nSettings: horizon 8, seasonal period 4, chunk 4 values, window 8 chunks \(32 values\), GRU cell, 2 layers of 4 units, dilations 1, 2, residual connections around every layer above the first, normalisation hw, calendar none\.\n/);
  assert.match(out, /\nMembers: 2 \(2 trained\), best epochs 1, 1\.\n/);
  const network = model.members[0]!.length;
  const hw = model.hw[0]!.length;
  assert.ok(network > 0 && hw > 0 && hw % 4 === 0, `${network} ${hw}`);
  assert.ok(out.includes(`\nParameters: ${network} network weights + ${hw} Holt-Winters parameters (the training series') per member; ${2 * (network + hw)} in all.\n`), out);
  assert.match(out, /\nCompanion: theta \(option theta\)\.\n/);
  // The weight and the fit's own words for its evidence (the same text as the training line's description).
  assert.ok(out.includes(`\nNetwork's weight: ${model.weight}, chosen on validation`), out);
  const description = /; (global GRU .*)\.\n/.exec(t.out)?.[1];
  assert.ok(description && out.includes(`\nDescription: ${description}.\n`), `${t.out}\n${out}`);
  assert.ok(Number.isFinite(model.weightEvidence) || model.weightEvidence === Infinity, `the file keeps the evidence: ${model.weightEvidence}`);
  assert.match(out, /\nBand: levels 95%, factors [\d.]+: calibrated on the validation windows/);
  assert.match(out, /\nSeries kept: 4 \(of "value" from .*quarterly_panel_4series\.csv, quarterly\)/);

  const j = JSON.parse(unroll(['summary', '--model', path, '--json']).out);
  assert.equal(j.settings.horizon, 8);
  assert.deepEqual(j.settings.dilations, [1, 2]);
  assert.equal(j.settings.residual, 1);
  assert.deepEqual(j.settingsNotRecorded, []);
  assert.deepEqual(j.members, { count: 2, trained: 2, bestEpochs: [1, 1] });
  assert.deepEqual(j.parameters, { networkPerMember: network, holtWintersPerMember: hw, perMember: network + hw, total: 2 * (network + hw) });
  assert.deepEqual(j.companion, { choice: 'theta', note: null });
  assert.equal(j.weight, model.weight);
  assert.equal(j.weightEvidence, model.weightEvidence === Infinity ? 'Infinity' : model.weightEvidence);
  assert.deepEqual(j.band.levels, [0.95]);
  assert.equal(j.band.factors.length, 1);
  assert.equal(j.series.kept, 4);
  assert.equal(j.description, description);

  // A weight above 0 with measured evidence is said in the description's words.
  const weighed = edited(path, 'weighed.json', (x) => { x.weight = 0.5; x.weightEvidence = 4.25; });
  const w = unroll(['summary', '--model', weighed]);
  assert.equal(w.code, 0, w.err);
  assert.match(w.out, /\nNetwork's weight: 0\.5, chosen on validation \(the network's best weight gained 4\.3 standard errors over the companion on validation; 3 required\)\.\n/);
  assert.equal(JSON.parse(unroll(['summary', '--model', weighed, '--json']).out).weightEvidence, 4.25);

  // The same file as an older unroll wrote it: no evidence, companion, band factors, best epoch, residual setting or series.
  const old = edited(path, 'old.json', (x) => {
    delete x.weightEvidence; delete x.companionChoice; delete x.bandFactors; delete x.members[1].bestEpoch; delete x.history; delete x.settings.residual;
    x.weight = 0.5;
  });
  const o = unroll(['summary', '--model', old]);
  assert.equal(o.code, 0, o.err);
  assert.match(o.out, /\nNot in the file \(written before these settings existed; read as the model reads them\): residual\.\n/);
  assert.match(o.out, /\nMembers: 2 \(1 trained\), best epochs 1, not recorded\.\n/);
  assert.match(o.out, /\nCompanion: theta \(not recorded in the file; files written before the companion was chosen combined with theta\)/);
  assert.match(o.out, /\nNetwork's weight: 0\.5, chosen on validation; the evidence for it is not recorded in the file \(written before unroll saved it; 3 standard errors required\)\.\n/);
  assert.match(o.out, /\nBand: levels 95%: the network's own quantile band moved onto the combined forecast \(the file holds no calibrated band factors/);
  assert.match(o.out, /\nSeries kept: none \(the file keeps no series: "unroll forecast" needs --series <file>\)\.\n/);
  const oj = JSON.parse(unroll(['summary', '--model', old, '--json']).out);
  assert.deepEqual(oj.settingsNotRecorded, ['residual']);
  assert.equal(oj.weightEvidence, null);
  assert.deepEqual(oj.members.bestEpochs, [1, null]);
  assert.equal(oj.series.kept, 0);
});

test('summary of a panel model without a companion: the network alone, with its own quantile band', () => {
  const path = join(dir, 'alone.json');
  const t = unroll(['train', '--series', PANEL, '--companion', 'none', '--out', path, ...QUICK]);
  assert.equal(t.code, 0, t.err);
  const s = unroll(['summary', '--model', path]);
  assert.equal(s.code, 0, s.err);
  assert.match(s.out, /\nCompanion: - \(none: the network alone, trained on every value\) \(option none\)\.\n/);
  assert.match(s.out, /\nNetwork's weight: 1, the network alone: no companion to weigh it against\.\n/);
  assert.match(s.out, /\nBand: levels 95%: the network's own quantile band\.\n/);
  const j = JSON.parse(unroll(['summary', '--model', path, '--json']).out);
  assert.equal(j.weight, 1);
  assert.equal(j.weightEvidence, null);
  assert.equal(j.band.factors, null);
});

test('train, summary and forecast of a panel too short for any network: the companion alone, no member, said in words', () => {
  // Six yearly series of 5-8 values: none has the chunk + 2h = 1 + 2·4 = 9 values a network needs with h = 4.
  const rows = ['id,date,value'];
  [5, 6, 7, 8, 8, 6].forEach((n, i) => {
    for (let t = 0; t < n; t++) rows.push(`s${i},${2001 + t}-01-01,${(100 + 10 * i + 3 * t + ((t * 7 + i) % 5)).toFixed(1)}`);
  });
  const data = join(dir, 'short-yearly.csv');
  writeFileSync(data, rows.join('\n') + '\n');
  const path = join(dir, 'short.json');
  const t = unroll(['train', '--series', data, '--horizon', '4', '--out', path, ...QUICK]);
  assert.equal(t.code, 0, t.err);
  const why = 'the ets-arima companion alone forecasts, no network trained: no series has the chunk + 2h = 9 values a network needs';
  assert.ok(t.out.includes(why), t.out);
  const s = unroll(['summary', '--model', path]);
  assert.equal(s.code, 0, s.err);
  assert.match(s.out, /\nMembers: none \(no network was trained; the weight below says why\)\.\nParameters: none\.\n/);
  assert.ok(s.out.includes(`\nNetwork's weight: 0, ${why}`), s.out);
  assert.ok(s.out.includes(`\nDescription: ${why}`), s.out);
  assert.deepEqual(JSON.parse(unroll(['summary', '--model', path, '--json']).out).members, { count: 0, trained: 0, bestEpochs: [] });
  const f = unroll(['forecast', '--model', path]);
  assert.equal(f.code, 0, f.err);
  assert.ok(f.out.includes(`s0 (${why}`), f.out);
});

test('summary names the kept series the break guard hands to Theta (the ETS–ARIMA companion)', () => {
  // Three quarterly series of 40 values, steady rises with a small wobble; s1's last value falls by 40%.
  const rows = ['id,date,value'];
  for (let i = 0; i < 3; i++) {
    for (let t = 0; t < 40; t++) {
      const v = (100 + 10 * i + 1.5 * t + [0.4, -0.3, 0.6, -0.5][(t + i) % 4]!) * (i === 1 && t === 39 ? 0.6 : 1);
      rows.push(`s${i},${2000 + Math.floor(t / 4)}-${String(1 + 3 * (t % 4)).padStart(2, '0')}-01,${v.toFixed(2)}`);
    }
  }
  const data = join(dir, 'break-quarterly.csv');
  writeFileSync(data, rows.join('\n') + '\n');
  const path = join(dir, 'break.json');
  const t = unroll(['train', '--series', data, '--horizon', '4', '--companion', 'ets-arima', '--out', path, ...QUICK]);
  assert.equal(t.code, 0, t.err);
  // The training's own description says it too (the network's weight is below 1 here).
  assert.ok(t.out.includes("; the companion's break guard forecasts 1 of the 3 series with Theta (their last change is more than 8 robust standard deviations from their earlier ones)."), t.out);
  const s = unroll(['summary', '--model', path]);
  assert.equal(s.code, 0, s.err);
  assert.match(s.out, /\nBreak guard: 1 of the 3 kept series ends in a break \(a last change more than 8 robust standard deviations from the series' earlier changes\); the companion forecasts it with Theta: s1\.\n/);
  assert.deepEqual(JSON.parse(unroll(['summary', '--model', path, '--json']).out).breakGuard, { series: ['s1'], of: 3, k: 8 });
  // Another companion: no break guard line.
  const path2 = join(dir, 'break-theta.json');
  assert.equal(unroll(['train', '--series', data, '--horizon', '4', '--companion', 'theta', '--out', path2, ...QUICK]).code, 0);
  assert.doesNotMatch(unroll(['summary', '--model', path2]).out, /Break guard/);
});
