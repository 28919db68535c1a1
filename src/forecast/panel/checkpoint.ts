/**
 * Checkpoints of the panel forecaster's fit (browser-safe; the files are train/checkpoint-panel.ts).
 *
 * A fit trains M members, each on its own (train.ts), in one or two passes (model.ts: with an honest
 * validation split and a network weight above 0, the members are trained again on every value). The
 * members never share state, so a checkpoint is a set of pieces, one per (pass, member), each saved on
 * its own whenever that member ends an epoch (and, with `everyMinutes`, mid-epoch):
 *
 *   running   epochs and batches done, the network's weights, Adam's moments and step, the per-series
 *             Holt-Winters parameters with their sparse Adam's moments and step counts, the window
 *             generator's state before the epoch's windows were drawn, the epoch's loss so far, and the
 *             early-stopping state (best score, its weights and Holt-Winters parameters, best epoch,
 *             epochs since, the score and loss histories);
 *   done      the member's result (best weights, Holt-Winters parameters, histories).
 *
 * Resuming continues every running member from its piece, takes every done one as it is, and starts
 * the others afresh: the result is bit for bit that of an uninterrupted fit, for any thread count (the
 * members are independent, so which thread trains which one does not matter).
 *
 * Every piece carries the run's fingerprint (settings, quantiles, the series' count and a hash of their
 * values, a hash of the calendar inputs read from the series' dates, the kernel backend); a piece from
 * another run is refused with an error naming what differs.
 */
import type { Backend } from '../../kernels/index.js';
import type { OptimizerState } from '../../train/optimizers.js';
import { everyMinutesMs } from '../../train/checkpoint-rules.js';
import { UnrollError, badOption } from '../../util/errors.js';
import type { MemberResult } from './train.js';
import { NO_EPOCH_BUDGET, type PanelSettings } from './settings.js';
import { epochWindows } from './windows.js';

/** What identifies a fit: a checkpoint is only resumed into the same one. */
export interface PanelRun {
  settings: PanelSettings;
  quantiles: number[];
  /** Number of series. */
  series: number;
  /** FNV-1a hash (hex) of every series' length and values, after the positive shift. */
  values: string;
  /**
   * FNV-1a hash (hex) of the calendar inputs read from the series' dates (their features at every value, so the
   * dates and their frequency), null when the fit reads none. Absent (undefined) in pieces written before the
   * dates were part of the fingerprint.
   */
  dates?: string | null;
  /** The kernel backend's name ('reference' or 'wasm'), with '+relaxed-simd' when it uses relaxed SIMD. */
  backend: string;
}

/** A member in the middle of its training: everything trainMember needs to continue. */
export interface RunningMember {
  member: number;
  done: false;
  /** Epochs done. */
  epoch: number;
  /** Batches of the next epoch done (a mid-epoch piece), else 0. */
  batch: number;
  /** The window generator's state before the next epoch's windows were drawn. */
  rng: { state: number; spareNormal: number | null };
  /** Sum of the batch losses (times their sizes) of the next epoch so far. */
  lossSum: number;
  weights: Float64Array;
  optimizer: OptimizerState;
  /** Holt-Winters parameters and their sparse Adam (normalisation 'hw'), else null. */
  hw: { params: Float64Array; m1: Float64Array; m2: Float64Array; steps: Int32Array } | null;
  /** Best validation score so far (Infinity before the first epoch). */
  best: number;
  bestWeights: Float64Array;
  bestHw: Float64Array | null;
  bestEpoch: number;
  /** Epochs since the best one. */
  since: number;
  valScores: number[];
  losses: number[];
}

/** A member that has finished training. */
export interface DoneMember {
  member: number;
  done: true;
  result: MemberResult;
}

export type MemberProgress = RunningMember | DoneMember;

/** One saved piece: a member's progress in one pass of one fit. */
export interface PanelCheckpoint {
  run: PanelRun;
  /** 1: the members trained before the combination is chosen; 2: trained again on every value. */
  pass: 1 | 2;
  progress: MemberProgress;
}

/** The `checkpoint` option of PanelForecaster.fit. Node's panelFileCheckpoints(dir) keeps the pieces in a folder. */
export interface PanelCheckpointOptions {
  /** Receives every piece (a member's progress at each of its epoch ends, mid-epoch with everyMinutes, and when done). */
  save: (piece: PanelCheckpoint) => void;
  /** Also save a member's progress mid-epoch when this many minutes have passed since its last save. */
  everyMinutes?: number;
  /** Pieces saved by an earlier run of the same fit; the last one of each pass and member counts. */
  resume?: readonly PanelCheckpoint[] | null;
  /** Clock for everyMinutes, on the calling thread (worker threads use Date.now). @default Date.now */
  now?: () => number;
  /** Called once with the pieces to resume from, after they were found to fit this run. */
  onResume?: (pieces: readonly PanelCheckpoint[]) => void;
}

/** The checkpoint hooks of one pass, as trainMembers (threads.ts) uses them. */
export interface PassCheckpoints {
  /** Member m's saved progress in this pass, or null. */
  resume(m: number): MemberProgress | null;
  save(progress: MemberProgress): void;
  /** Milliseconds between mid-epoch saves (Infinity: only at epoch ends). */
  everyMs: number;
  now: () => number;
}

/** FNV-1a over the series' lengths and the bytes of their values. */
function seriesHash(series: readonly Float64Array[]): string {
  let h = 0x811c9dc5;
  const mix = (word: number): void => { h = Math.imul(h ^ word, 16777619) >>> 0; };
  for (const y of series) {
    mix(y.length);
    const copy = Float64Array.from(y);
    const words = new Uint32Array(copy.buffer);
    for (let i = 0; i < words.length; i++) mix(words[i]!);
  }
  return h.toString(16).padStart(8, '0');
}

/** The fingerprint of a fit over the (shifted) series, with the calendar tables it reads (calendar.ts; null without). */
export function panelRun(settings: PanelSettings, quantiles: readonly number[], series: readonly Float64Array[], backend: Backend,
  calendar: readonly Float64Array[] | null = null): PanelRun {
  const relaxed = (backend as Backend & { relaxedSimd?: boolean }).relaxedSimd === true;
  return {
    settings: { ...settings }, quantiles: [...quantiles], series: series.length, values: seriesHash(series),
    dates: calendar ? seriesHash(calendar) : null, backend: backend.name + (relaxed ? '+relaxed-simd' : ''),
  };
}

/** A value for a message, cut short (a damaged file may hold anything). */
function shown(v: unknown): string {
  const t = JSON.stringify(v) ?? String(v);
  return t.length > 24 ? `${t.slice(0, 21)}...` : t;
}

/**
 * A piece's settings with those added since checkpoints were (f76814d) filled in with the value they had before
 * they existed, so that a piece written by an earlier unroll resumes when the fit is the same: dilations
 * (651345a) 1 for every layer; residual (d05002c) 0, none; calendar (c44e60b) 'none'; weightEvidence (295ecf3)
 * 0, the best weight on validation whatever its margin; validationWindows 1, one window; maxEpochSteps
 * NO_EPOCH_BUDGET, none. A setting the piece
 * holds is taken as it is.
 */
function settingsBefore(settings: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...settings };
  const layers = settings.numLayers;
  if (out.dilations === undefined && typeof layers === 'number' && Number.isInteger(layers) && layers >= 1 && layers <= 16) out.dilations = new Array<number>(layers).fill(1);
  out.residual ??= 0;
  out.calendar ??= 'none';
  out.weightEvidence ??= 0;
  out.validationWindows ??= 1;
  out.maxEpochSteps ??= NO_EPOCH_BUDGET;
  return out;
}

/**
 * Settings that only choose the combination after the members are trained (model.ts chooseCombination):
 * the weight's evidence, and which companion, as long as there is one ('none' trains the network on every
 * value, without a validation split, so it is another training; 'series' keeps one validation window where
 * the others may take two, so its first training may differ too). A resume may change them.
 */
const COMBINATION_ONLY: Readonly<Record<string, (v: unknown) => unknown>> = {
  weightEvidence: () => null,
  companion: (v) => (v === 'none' || v === 'series' ? v : 'some companion'),
};

/** What differs between the run a checkpoint was saved by and this one (empty when nothing does). */
export function runDifferences(saved: PanelRun, now: PanelRun): string[] {
  const out: string[] = [];
  const before = settingsBefore(saved.settings as unknown as Record<string, unknown>);
  const keys = new Set([...Object.keys(before), ...Object.keys(now.settings)]);
  for (const k of keys) {
    const a = before[k];
    const b = (now.settings as unknown as Record<string, unknown>)[k];
    const only = COMBINATION_ONLY[k];
    if (only && JSON.stringify(only(a)) === JSON.stringify(only(b))) continue;
    // Two budgets that both leave every series its windowsPerSeries windows draw the same (windows.ts sampleWindows).
    if (k === 'maxEpochSteps' && [a, b].every((v) => typeof v === 'number' && now.series * now.settings.windowsPerSeries <= epochWindows(v, now.settings.lookbackChunks))) continue;
    // Settings are numbers, strings and arrays of numbers (dilations): compared by their JSON.
    if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`setting ${shown(k).slice(1, -1)} is ${shown(a)} in the checkpoint but ${shown(b)} now`);
  }
  if (saved.quantiles.length !== now.quantiles.length || saved.quantiles.some((q, i) => q !== now.quantiles[i])) {
    out.push(`the quantiles (levels) are ${shown(saved.quantiles)} in the checkpoint but ${shown(now.quantiles)} now`);
  }
  if (saved.series !== now.series) out.push(`the data has ${now.series} series, the checkpoint's had ${saved.series}`);
  else if (saved.values !== now.values) out.push('the series\' values differ from those the checkpoint was trained on');
  const dates = now.dates ?? null;
  if (saved.dates === undefined) {
    // A piece from before the dates were fingerprinted: its calendar inputs cannot be checked.
    if (dates !== null) out.push('the checkpoint does not record the dates its calendar inputs were read from (written by an earlier unroll)');
  } else if (saved.dates !== dates) {
    out.push(saved.dates === null ? 'the fit reads calendar inputs from the series\' dates, the checkpoint\'s read none'
      : dates === null ? 'the checkpoint read calendar inputs from the series\' dates, the fit reads none'
        : 'the series\' dates (the calendar inputs) differ from those the checkpoint was trained on');
  }
  if (saved.backend !== now.backend) out.push(`the backend is ${now.backend}, the checkpoint's was ${shown(saved.backend)}`);
  return out;
}

/**
 * Checks the checkpoint option and the pieces to resume against this run, and returns the hooks of
 * each pass. Any piece of another run is refused with an UnrollError naming what differs.
 */
export function passCheckpoints(options: PanelCheckpointOptions, run: PanelRun): (pass: 1 | 2) => PassCheckpoints {
  if (!options || typeof options !== 'object') badOption('checkpoint', options, 'an object { save, everyMinutes?, resume? }');
  if (typeof options.save !== 'function') badOption('checkpoint.save', options.save, 'a function receiving each saved piece');
  const everyMs = everyMinutesMs(options.everyMinutes);
  const now = options.now ?? Date.now;
  if (typeof now !== 'function') badOption('checkpoint.now', now, 'a function returning milliseconds');
  const latest = new Map<string, MemberProgress>();
  const resume = options.resume ?? [];
  if (!Array.isArray(resume)) badOption('checkpoint.resume', resume, 'an array of saved pieces, or null');
  for (const piece of resume) {
    const diff = runDifferences(piece.run, run);
    if (diff.length) {
      const more = diff.length > 2 ? ` and ${diff.length - 2} more` : '';
      throw new UnrollError(`checkpoint: it was saved by a different fit: ${diff.slice(0, 2).join('; ')}${more}; run with the same data and settings, or start afresh without resume`, 'checkpoint');
    }
    const m = piece.progress.member;
    if (!Number.isInteger(m) || m < 0 || m >= run.settings.members) throw new UnrollError(`checkpoint: a piece is for member ${m + 1}, but the fit has ${run.settings.members} members`, 'checkpoint');
    if (piece.pass !== 1 && piece.pass !== 2) throw new UnrollError(`checkpoint: a piece is for pass ${String(piece.pass)}; expected 1 or 2`, 'checkpoint');
    latest.set(`${piece.pass}/${m}`, piece.progress);
  }
  if (options.onResume !== undefined && typeof options.onResume !== 'function') badOption('checkpoint.onResume', options.onResume, 'a function receiving the pieces resumed from');
  if (resume.length) options.onResume?.(resume);
  return (pass) => ({
    resume: (m) => latest.get(`${pass}/${m}`) ?? null,
    save: (progress) => options.save({ run, pass, progress }),
    everyMs,
    now,
  });
}
