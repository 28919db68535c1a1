/**
 * Checkpoints on disk (Node only): the fit loop's whole state (train/fit.ts `TrainingState`: weights,
 * optimizer moments, shuffling generator, sample order, dropout pass count, position in the data,
 * history, early-stopping state, the learning-rate schedule's rate and state) in one file,
 * `checkpoint.json`, in a folder of the user's choice.
 *
 * The file is JSON with every numeric buffer as base64 of its little-endian float64 (or int32) bytes,
 * so values come back bit for bit. It is written atomically (temporary file, then rename): a kill at
 * any moment leaves the previous checkpoint or the new one, never a mix; a stale temporary file of a
 * killed run is removed by the next write into the folder (data/node-io.ts).
 *
 * Reading validates the file in full (types, lengths, finite numbers) before anything is used.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readTextFile, writeFileAtomic, removeStaleTemporaryFiles } from '../data/node-io.js';
import { UnrollError } from '../util/errors.js';
import type { CheckpointOptions, EpochLog, TrainingState } from './fit.js';
import { base64F64, base64I32, fieldReaders } from './checkpoint-fields.js';
import { checkFileCheckpointOptions, type FileCheckpointOptions } from './checkpoint-rules.js';

export const CHECKPOINT_FORMAT = 'unroll-checkpoint';
export const CHECKPOINT_VERSION = 1;
export const CHECKPOINT_FILE = 'checkpoint.json';

/** The JSON text of a training state. */
export function encodeCheckpoint(s: TrainingState): string {
  return JSON.stringify({
    format: CHECKPOINT_FORMAT, version: CHECKPOINT_VERSION, key: s.key, epoch: s.epoch, batch: s.batch,
    weights: base64F64(s.weights),
    optimizers: s.optimizers.map((o) => ({ name: o.name, step: o.step, buffers: o.buffers.map(base64F64) })),
    rng: s.rng, order: base64I32(s.order), maskEpoch: s.maskEpoch, lossSum: s.lossSum, lossWeight: s.lossWeight,
    history: s.history, best: Number.isFinite(s.best) ? s.best : null, bestWeights: s.bestWeights ? base64F64(s.bestWeights) : null,
    sinceBest: s.sinceBest, startLoss: s.startLoss,
    // Only with a schedule, so files without one read as before.
    ...(s.schedule ? { schedule: s.schedule } : {}),
  });
}

/** Parses and validates a checkpoint's JSON text; `where` names it in messages. */
export function decodeCheckpoint(text: string, where: string): TrainingState {
  const bad = (what: string): never => { throw new UnrollError(`${where}: ${what}; the checkpoint is damaged or not from unroll (delete it to start afresh)`, 'checkpoint'); };
  let j: Record<string, unknown>;
  try {
    j = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return bad('not valid JSON');
  }
  if (!j || typeof j !== 'object' || Array.isArray(j)) bad('expected a JSON object');
  if (j.format !== CHECKPOINT_FORMAT) bad(`format is not "${CHECKPOINT_FORMAT}"`);
  if (j.version !== CHECKPOINT_VERSION) bad(`version is not ${CHECKPOINT_VERSION}`);
  const { count, finite, floats: f64, ints: i32 } = fieldReaders(bad);
  if (typeof j.key !== 'string') bad('"key" is not a string');
  const weights = f64('weights', j.weights);
  if (!Array.isArray(j.optimizers) || j.optimizers.length > 8) bad('"optimizers" is not a list of optimizer states');
  const optimizers = (j.optimizers as unknown[]).map((x, k) => {
    const o = x as Record<string, unknown> | null;
    if (!o || typeof o !== 'object' || typeof o.name !== 'string' || !Array.isArray(o.buffers) || o.buffers.length > 8) bad(`optimizers[${k}] is not an optimizer state`);
    const buffers = (o!.buffers as unknown[]).map((b, i) => f64(`optimizers[${k}].buffers[${i}]`, b));
    return { name: o!.name as string, step: count(`optimizers[${k}].step`, o!.step), buffers };
  });
  const r = j.rng as Record<string, unknown> | null;
  if (!r || typeof r !== 'object' || !Number.isInteger(r.state) || (r.state as number) < 0 || (r.state as number) > 0xffffffff ||
      !(r.spareNormal === null || Number.isFinite(r.spareNormal))) bad('"rng" is not a generator state');
  const order = i32('order', j.order);
  const seen = new Uint8Array(order.length);
  for (const i of order) {
    if (i < 0 || i >= order.length || seen[i]) bad('"order" is not a permutation');
    seen[i] = 1;
  }
  const h = j.history as Record<string, unknown> | null;
  if (!h || typeof h !== 'object' || !Array.isArray(h.epochs)) bad('"history" is not a training history');
  const epochs = (h!.epochs as unknown[]).map((e, i): EpochLog => {
    const x = e as Record<string, unknown>;
    if (!x || typeof x !== 'object') bad(`history.epochs[${i}] is not an object`);
    const log: EpochLog = { epoch: count(`history.epochs[${i}].epoch`, x.epoch), loss: finite(`history.epochs[${i}].loss`, x.loss), gradNorm: finite(`history.epochs[${i}].gradNorm`, x.gradNorm) };
    // In the loop's order (learningRate, then valLoss), so a resumed history serialises identically.
    if (x.learningRate !== undefined) log.learningRate = finite(`history.epochs[${i}].learningRate`, x.learningRate);
    if (x.valLoss !== undefined) log.valLoss = finite(`history.epochs[${i}].valLoss`, x.valLoss);
    return log;
  });
  const epoch = count('epoch', j.epoch);
  if (epochs.length !== epoch) bad(`the history has ${epochs.length} epochs but the checkpoint says ${epoch}`);
  const bestWeights = j.bestWeights === null ? null : f64('bestWeights', j.bestWeights);
  if (bestWeights && bestWeights.length !== weights.length) bad('"bestWeights" and "weights" differ in length');
  let schedule: TrainingState['schedule'] = null;
  if (j.schedule !== undefined && j.schedule !== null) {
    const sc = j.schedule as Record<string, unknown>;
    if (typeof sc !== 'object' || Array.isArray(sc)) bad('"schedule" is not a schedule state');
    const learningRate = finite('schedule.learningRate', sc.learningRate);
    if (!(learningRate >= 0)) bad('"schedule.learningRate" is negative');
    schedule = {
      learningRate, best: sc.best === null ? null : finite('schedule.best', sc.best),
      bad: count('schedule.bad', sc.bad), cooling: count('schedule.cooling', sc.cooling),
    };
  }
  return {
    key: j.key as string, epoch, batch: count('batch', j.batch), weights,
    optimizers,
    rng: { state: r!.state as number, spareNormal: r!.spareNormal as number | null }, order, maskEpoch: count('maskEpoch', j.maskEpoch),
    lossSum: finite('lossSum', j.lossSum), lossWeight: finite('lossWeight', j.lossWeight),
    history: { epochs, bestEpoch: count('history.bestEpoch', h!.bestEpoch), stoppedEarly: h!.stoppedEarly === true, aborted: false, stoppedByCallback: false },
    best: j.best === null ? Infinity : finite('best', j.best), bestWeights, sinceBest: count('sinceBest', j.sinceBest),
    startLoss: j.startLoss === null ? null : finite('startLoss', j.startLoss),
    schedule,
  };
}

/** Reads the checkpoint in `dir`, or null when there is none yet. */
export function readCheckpoint(dir: string): TrainingState | null {
  const path = join(dir, CHECKPOINT_FILE);
  if (!existsSync(path)) return null;
  return decodeCheckpoint(readTextFile(path), `checkpoint ${path}`);
}

/** Makes sure `dir` is a checkpoint folder (created when missing) and removes a killed run's stale temporary files. */
export function openCheckpointFolder(dir: string): void {
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new UnrollError(`checkpoint folder "${dir}" is a file; expected a folder (it is created when missing)`, 'usage');
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new UnrollError(`cannot create the checkpoint folder "${dir}": ${(e as Error).message}`, 'io');
  }
  removeStaleTemporaryFiles(dir);
}

/**
 * Checkpoint options for `fit` (and `Forecaster.fit`) that keep the state in `dir`: written at every
 * epoch end (and every `everyMinutes`), read back with `resume: true` (a missing checkpoint starts
 * afresh). Stale temporary files of a killed run are removed at once.
 */
export function fileCheckpoints(dir: string, options: FileCheckpointOptions = {}): CheckpointOptions {
  checkFileCheckpointOptions(options, 'fileCheckpoints');
  openCheckpointFolder(dir);
  const path = join(dir, CHECKPOINT_FILE);
  return {
    save: (state) => writeFileAtomic(path, encodeCheckpoint(state)),
    everyMinutes: options.everyMinutes,
    resume: options.resume ? readCheckpoint(dir) : null,
  };
}
