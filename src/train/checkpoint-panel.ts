/**
 * Checkpoints of the panel forecaster on disk (Node only): the pieces of forecast/panel/checkpoint.ts,
 * one file per pass and member, `panel-p<pass>-m<member>.json` in a folder of the user's choice (the
 * members train side by side, so each writes its own file and none waits for the others).
 *
 * As checkpoint.ts: JSON with every numeric buffer as base64 of its little-endian float64 (or int32)
 * bytes, so values come back bit for bit; each file is written atomically (temporary file, then
 * rename), so a kill at any moment leaves a member's previous piece or its new one; stale temporary
 * files of a killed run are removed when the folder is opened. A fit started without resume removes
 * the folder's earlier panel pieces first, so pieces of two runs never mix.
 *
 * Reading validates every file in full (types, lengths, finite numbers, the file name against its
 * content) before anything is used; the run's fingerprint is then checked by the fit.
 */
import { existsSync, readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { readTextFile, writeFileAtomic } from '../data/node-io.js';
import { openCheckpointFolder } from './checkpoint.js';
import { checkFileCheckpointOptions, type FileCheckpointOptions } from './checkpoint-rules.js';
import { base64F64, base64I32, fieldReaders } from './checkpoint-fields.js';
import type { MemberProgress, PanelCheckpoint, PanelCheckpointOptions, PanelRun, RunningMember } from '../forecast/panel/checkpoint.js';
import type { MemberResult } from '../forecast/panel/train.js';
import { UnrollError } from '../util/errors.js';

export const PANEL_CHECKPOINT_FORMAT = 'unroll-panel-checkpoint';
export const PANEL_CHECKPOINT_VERSION = 1;
/** File names of the pieces: pass, then member (from 1). */
const PIECE = /^panel-p([12])-m(\d{1,6})\.json$/;

export function panelPieceName(pass: 1 | 2, member: number): string {
  return `panel-p${pass}-m${member + 1}.json`;
}

const num = (v: number): number | null => (Number.isFinite(v) ? v : null);

function encodeResult(r: MemberResult): Record<string, unknown> {
  return { weights: base64F64(r.weights), hw: r.hw ? base64F64(r.hw) : null, bestEpoch: r.bestEpoch, valScores: r.valScores.map(num), losses: r.losses.map(num) };
}

/** The JSON text of a piece. */
export function encodePanelCheckpoint(c: PanelCheckpoint): string {
  const p = c.progress;
  const progress = p.done
    ? { member: p.member, done: true, result: encodeResult(p.result) }
    : {
      member: p.member, done: false, epoch: p.epoch, batch: p.batch, rng: p.rng, lossSum: p.lossSum,
      weights: base64F64(p.weights), optimizer: { name: p.optimizer.name, step: p.optimizer.step, buffers: p.optimizer.buffers.map(base64F64) },
      hw: p.hw ? { params: base64F64(p.hw.params), m1: base64F64(p.hw.m1), m2: base64F64(p.hw.m2), steps: base64I32(p.hw.steps) } : null,
      best: num(p.best), bestWeights: base64F64(p.bestWeights), bestHw: p.bestHw ? base64F64(p.bestHw) : null, bestEpoch: p.bestEpoch, since: p.since,
      valScores: p.valScores.map(num), losses: p.losses.map(num),
    };
  return JSON.stringify({ format: PANEL_CHECKPOINT_FORMAT, version: PANEL_CHECKPOINT_VERSION, run: c.run, pass: c.pass, progress });
}

/** Parses and validates a piece's JSON text; `where` names it in messages. */
export function decodePanelCheckpoint(text: string, where: string): PanelCheckpoint {
  const bad = (what: string): never => { throw new UnrollError(`${where}: ${what}; the checkpoint is damaged or not from unroll (delete the folder's panel-p*.json files to start afresh)`, 'checkpoint'); };
  let j: Record<string, unknown>;
  try {
    j = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return bad('not valid JSON');
  }
  const object = (name: string, v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? v as Record<string, unknown> : bad(`"${name}" is not an object`));
  object('the file', j);
  if (j.format !== PANEL_CHECKPOINT_FORMAT) bad(`format is ${JSON.stringify(j.format)}, not "${PANEL_CHECKPOINT_FORMAT}"`);
  if (j.version !== PANEL_CHECKPOINT_VERSION) bad(`version is not ${PANEL_CHECKPOINT_VERSION}`);
  const { count, finite, floats, ints: int32s } = fieldReaders(bad, 2 ** 31);
  const ints = (name: string, v: unknown, length: number): Int32Array => {
    const out = int32s(name, v);
    if (out.length !== length || out.some((x) => x < 0)) bad(`"${name}" is not ${length} counts`);
    return out;
  };
  // Histories: a score is null where it was not finite (a window-free validation gives NaN).
  const scores = (name: string, v: unknown): number[] => (Array.isArray(v) ? v.map((x, i) => (x === null ? NaN : finite(`${name}[${i}]`, x))) : bad(`"${name}" is not a list`));

  const r = object('run', j.run);
  const settings = object('run.settings', r.settings);
  if (!Array.isArray(r.quantiles) || r.quantiles.some((q) => typeof q !== 'number')) bad('"run.quantiles" is not a list of numbers');
  if (typeof r.values !== 'string' || typeof r.backend !== 'string') bad('"run" lacks its data hash or backend');
  // Pieces written before the dates were fingerprinted have no "dates" (left undefined: runDifferences says so when it matters).
  if (r.dates !== undefined && r.dates !== null && typeof r.dates !== 'string') bad('"run.dates" is not a hash or null');
  const run: PanelRun = {
    settings: settings as unknown as PanelRun['settings'], quantiles: r.quantiles as number[], series: count('run.series', r.series), values: r.values as string,
    ...(r.dates !== undefined ? { dates: r.dates as string | null } : {}), backend: r.backend as string,
  };
  const pass = j.pass === 1 || j.pass === 2 ? j.pass : bad('"pass" is not 1 or 2');
  const p = object('progress', j.progress);
  const member = count('progress.member', p.member);
  let progress: MemberProgress;
  if (p.done === true) {
    const x = object('progress.result', p.result);
    const weights = floats('result.weights', x.weights);
    progress = {
      member, done: true,
      result: { weights, hw: x.hw === null ? null : floats('result.hw', x.hw), bestEpoch: count('result.bestEpoch', x.bestEpoch), valScores: scores('result.valScores', x.valScores), losses: scores('result.losses', x.losses) },
    };
  } else if (p.done === false) {
    const weights = floats('weights', p.weights);
    const n = weights.length;
    const rng = object('rng', p.rng);
    if (!Number.isInteger(rng.state) || (rng.state as number) < 0 || (rng.state as number) > 0xffffffff || !(rng.spareNormal === null || Number.isFinite(rng.spareNormal))) bad('"rng" is not a generator state');
    const o = object('optimizer', p.optimizer);
    if (o.name !== 'adam' || !Array.isArray(o.buffers) || o.buffers.length !== 2) bad('"optimizer" is not an Adam state');
    let hw: RunningMember['hw'] = null;
    if (p.hw !== null) {
      const h = object('hw', p.hw);
      const params = floats('hw.params', h.params);
      hw = { params, m1: floats('hw.m1', h.m1, params.length), m2: floats('hw.m2', h.m2, params.length), steps: ints('hw.steps', h.steps, run.series) };
    }
    const valScores = scores('valScores', p.valScores);
    const losses = scores('losses', p.losses);
    const epoch = count('epoch', p.epoch);
    if (valScores.length !== epoch || losses.length !== epoch) bad(`the histories do not hold ${epoch} epochs`);
    progress = {
      member, done: false, epoch, batch: count('batch', p.batch),
      rng: { state: rng.state as number, spareNormal: rng.spareNormal as number | null }, lossSum: finite('lossSum', p.lossSum), weights,
      optimizer: { name: 'adam', step: count('optimizer.step', o.step), buffers: (o.buffers as unknown[]).map((b, i) => floats(`optimizer.buffers[${i}]`, b, n)) },
      hw, best: p.best === null ? Infinity : finite('best', p.best), bestWeights: floats('bestWeights', p.bestWeights, n),
      bestHw: p.bestHw === null ? null : floats('bestHw', p.bestHw, hw ? hw.params.length : undefined), bestEpoch: count('bestEpoch', p.bestEpoch), since: count('since', p.since),
      valScores, losses,
    };
  } else {
    return bad('"progress.done" is not true or false');
  }
  return { run, pass, progress };
}

/** Reads every piece in `dir` (none when the folder holds none). */
export function readPanelCheckpoints(dir: string): PanelCheckpoint[] {
  if (!existsSync(dir)) return [];
  const out: PanelCheckpoint[] = [];
  for (const name of readdirSync(dir).sort()) {
    const m = PIECE.exec(name);
    if (!m) continue;
    const path = join(dir, name);
    const piece = decodePanelCheckpoint(readTextFile(path), `checkpoint ${path}`);
    if (piece.pass !== Number(m[1]) || piece.progress.member !== Number(m[2]) - 1) {
      throw new UnrollError(`checkpoint ${path}: it holds pass ${piece.pass}, member ${piece.progress.member + 1}, which its name does not say; the folder is damaged (delete its panel-p*.json files to start afresh)`, 'checkpoint');
    }
    out.push(piece);
  }
  return out;
}

/**
 * Checkpoint options for PanelForecaster.fit that keep the pieces in `dir`: each member's file is
 * written at its epoch ends (and every `everyMinutes`), read back with `resume: true` (a folder with
 * no pieces starts afresh). Stale temporary files of a killed run are removed at once; without
 * `resume`, so are earlier pieces.
 */
export function panelFileCheckpoints(dir: string, options: FileCheckpointOptions = {}): PanelCheckpointOptions {
  checkFileCheckpointOptions(options, 'panelFileCheckpoints');
  openCheckpointFolder(dir);
  const resume = options.resume ? readPanelCheckpoints(dir) : null;
  if (!options.resume) {
    for (const name of readdirSync(dir)) {
      if (!PIECE.test(name)) continue;
      try {
        unlinkSync(join(dir, name));
      } catch (e) {
        throw new UnrollError(`cannot remove the earlier checkpoint "${join(dir, name)}": ${(e as Error).message}`, 'io');
      }
    }
  }
  return {
    save: (piece) => writeFileAtomic(join(dir, panelPieceName(piece.pass, piece.progress.member)), encodePanelCheckpoint(piece)),
    everyMinutes: options.everyMinutes,
    resume,
  };
}
