/**
 * The schema of a forecaster file ("unroll-forecaster", version 1), checked in full before anything
 * in it is used: types, shapes, finite values, limits, and consistency between the sections (the
 * feature scalers fit the network's inputs, the network's inputs, outputs and settings fit the
 * options, every series has both scalers, residuals are sorted finite numbers, one list per step ahead).
 *
 *   { format, version,
 *     options:   ForecasterOptions (an object; its values are checked again by the Forecaster),
 *     scalers:   { [series]: { features: Scaler, target: Scaler } }   (at least one series),
 *     residuals: number[][]   (sorted relative errors per step ahead; empty for a classifier),
 *     cqrScores?: number[][][]   (a conformalized quantile forecaster's sorted scores per level and step, rnn/cqr.ts),
 *     epochs:    { epoch, loss, valLoss?, gradNorm }[],
 *     errorScale?: 'relative' | 'absolute',  seenRange?: { [series]: { min: number[], max: number[] } },
 *     seasonal?: { [series]: { kind: 'none', note } | { kind: 'classical', period m ≥ 2, indices: m finite numbers > 0,
 *                  anchors: 1–2 × { date, position 0 … m−1 }, note }
 *                | { kind: 'holt-winters', period, trend: N|A|Ad, alpha, beta, gamma, phi,
 *                    start, end: { date, states: ℓ, b?, m seasonal states > 0 }, note } }   (seasonal-normalise.ts),
 *     model:     an "unroll-model" (checked by RNN.fromJSON: config, limits, weight shapes, finite) }
 *   Scaler = { kind: 'minmax', featureRange: [lo, hi], min: number[], max: number[] }
 *          | { kind: 'standard', mean: number[], std: number[] } | { kind: 'none', cols }
 *
 * The schema is written with zod/mini (util/schema.ts); its first problem becomes one UnrollError naming the file and
 * the field's path, under 300 characters.
 */
import { LIMITS } from '../util/limits.js';
import * as z from 'zod/mini';
import { finite, integer, numbers, parseOrRefuse, refuseField } from '../util/schema.js';
import { describe } from '../util/errors.js';

const list = numbers();
const stats = numbers(LIMITS.inputSize).check(z.minLength(1));
/** A list of numbers in ascending order (calibration residuals and CQR scores are stored sorted). */
const sortedList = list.check(z.refine((r) => r.every((v, i) => i === 0 || r[i - 1] <= v), 'expected sorted numbers'));

const minmax = z.object({
  kind: z.literal('minmax'),
  featureRange: z.tuple([finite, finite]).check(z.refine(([lo, hi]) => lo < hi, 'expected [low, high] with low < high')),
  min: stats,
  max: stats,
}).check(z.refine((s) => s.min.length === s.max.length, 'min and max differ in length'));
const standard = z.object({
  kind: z.literal('standard'),
  mean: stats,
  std: stats,
}).check(z.refine((s) => s.mean.length === s.std.length, 'mean and std differ in length'), z.refine((s) => s.std.every((v) => v > 0), 'expected every std above 0'));
const none = z.object({ kind: z.literal('none'), cols: integer(1, LIMITS.inputSize) });
const scaler = z.discriminatedUnion('kind', [minmax, standard, none]);
type Scaler = z.infer<typeof scaler>;

/** Columns a saved scaler works on. */
function scalerCols(s: Scaler): number {
  return s.kind === 'minmax' ? s.min.length : s.kind === 'standard' ? s.mean.length : s.cols;
}

const note = z.string().check(z.maxLength(1000));
const seasonalNone = z.object({ kind: z.literal('none'), note });
const seasonalClassical = z.object({
  kind: z.literal('classical'),
  period: integer(2, LIMITS.lookback),
  indices: numbers(LIMITS.lookback).check(z.refine((v) => v.every((x) => x > 0), 'expected every index above 0')),
  anchors: z.array(z.object({ date: z.string().check(z.maxLength(LIMITS.nameLength)), position: integer(0, LIMITS.lookback) })).check(z.minLength(1), z.maxLength(2)),
  note,
}).check(
  z.refine((s) => s.indices.length === s.period, 'expected one index per season position (period of them)'),
  z.refine((s) => s.anchors.every((a) => a.position < s.period), 'expected anchor positions below the period'),
);

const hwStates = z.object({ date: z.string().check(z.maxLength(LIMITS.nameLength)), states: numbers(LIMITS.lookback + 2) });
const seasonalHoltWinters = z.object({
  kind: z.literal('holt-winters'),
  period: integer(2, LIMITS.lookback),
  trend: z.enum(['N', 'A', 'Ad']),
  alpha: finite.check(z.refine((v) => v > 0 && v <= 1, 'expected a number in (0, 1]')),
  beta: finite, gamma: finite, phi: finite,
  start: hwStates, end: hwStates,
  note,
}).check(z.refine((s) => [s.start, s.end].every((x) => x.states.length === s.period + (s.trend === 'N' ? 1 : 2)), 'expected the states ℓ, b (with a trend) and one seasonal state per season position'),
  z.refine((s) => [s.start, s.end].every((x) => x.states.slice(s.trend === 'N' ? 1 : 2).every((v) => v > 0)), 'expected every seasonal state above 0'));

const epoch = z.object({ epoch: integer(1, LIMITS.epochs), loss: finite, valLoss: z.optional(finite), gradNorm: finite });

const file = z.object({
  format: z.literal('unroll-forecaster'),
  version: z.literal(1),
  options: z.record(z.string(), z.unknown()),
  scalers: z.record(z.string().check(z.maxLength(LIMITS.nameLength)), z.object({ features: scaler, target: scaler }))
    .check(z.refine((s) => Object.keys(s).length >= 1, 'expected the scalers of at least one series')),
  residuals: z.optional(z.array(sortedList).check(z.maxLength(LIMITS.horizon))),
  cqrScores: z.optional(z.array(z.array(sortedList).check(z.maxLength(LIMITS.horizon))).check(z.maxLength(16))),
  epochs: z.optional(z.array(epoch).check(z.maxLength(LIMITS.epochs))),
  budget: z.optional(z.object({ epochs: integer(1, LIMITS.epochs), patience: integer(0, LIMITS.epochs) })),
  errorScale: z.optional(z.enum(['relative', 'absolute'])),
  seenRange: z.optional(z.record(z.string().check(z.maxLength(LIMITS.nameLength)), z.object({ min: stats, max: stats })
    .check(z.refine((r) => r.min.length === r.max.length, 'min and max differ in length')))),
  seasonal: z.optional(z.record(z.string().check(z.maxLength(LIMITS.nameLength)), z.discriminatedUnion('kind', [seasonalNone, seasonalClassical, seasonalHoltWinters]))),
  model: z.looseObject({ config: z.looseObject({ inputSize: z.number(), outputSize: z.number() }) }),
});

/**
 * Validates a parsed forecaster file's schema and sections (see the header); throws an UnrollError
 * naming `where` and the first field at fault. The options' values are checked by the Forecaster,
 * the network's config and weights by RNN.fromJSON, and then the two against each other by
 * checkOptionsFitNetwork (Forecaster.fromJSON, through rnn/file.ts).
 */
export function validateForecasterFile(json: unknown, where: string): void {
  const j = parseOrRefuse(file, json, where);
  const refuse = (path: PropertyKey[], what: string): never => refuseField(where, path, what);
  const o = j.options as { predict?: unknown; strategy?: unknown; horizon?: unknown };
  const { inputSize } = j.model.config;
  for (const [id, s] of Object.entries(j.scalers)) {
    if (scalerCols(s.features) !== inputSize) refuse(['scalers', id, 'features'], `scales ${scalerCols(s.features)} column(s), but the network has ${inputSize} input(s)`);
    if (scalerCols(s.target) !== 1) refuse(['scalers', id, 'target'], `scales ${scalerCols(s.target)} columns; expected 1 (the target)`);
  }
  for (const [id, r] of Object.entries(j.seenRange ?? {})) {
    if (r.min.length !== inputSize) refuse(['seenRange', id], `covers ${r.min.length} column(s), but the network has ${inputSize} input(s)`);
  }
  const residuals = j.residuals ?? [];
  if (o.predict !== 'direction') {
    const H = o.strategy === 'direct' ? o.horizon ?? 1 : 20;
    if (residuals.length !== 0 && residuals.length !== H) refuse(['residuals'], `has ${residuals.length} list(s); expected one per step ahead (${String(H)})`);
  }
}

/** What the options (once checked and given their defaults) say the network is. */
export interface OptionsOfNetwork {
  features: readonly unknown[] | null;
  outputs: number;
  predict: string;
  strategy: string;
  model: Record<string, unknown>;
}

/**
 * The options of a forecaster file against its network section: the inputs (one per feature, one
 * when the target is the only input), the outputs (two for a direction classifier, one per step
 * ahead for 'direct', else one), and every setting of `options.model` (cell, hiddenSize, numLayers,
 * activation, …, with their defaults) equal to the network's config. A file whose options and
 * weights disagree would run one network while reporting another (and refit a third).
 */
export function checkOptionsFitNetwork(o: OptionsOfNetwork, config: Record<string, unknown>, where: string): void {
  const refuse = (path: PropertyKey[], what: string): never => refuseField(where, path, what);
  if (config.outputSize !== o.outputs) {
    refuse(['model', 'config', 'outputSize'], `is ${describe(config.outputSize)}, but the options (predict ${o.predict}, strategy ${o.strategy}) need ${o.outputs} output(s)`);
  }
  const inputs = o.features ? o.features.length : 1;
  if (config.inputSize !== inputs) {
    refuse(['model', 'config', 'inputSize'], `is ${describe(config.inputSize)}, but the options ${o.features ? `list ${inputs} feature(s)` : 'have no features (the target is the one input)'}`);
  }
  for (const [key, value] of Object.entries(o.model)) {
    if (!Object.hasOwn(config, key)) refuse(['options', 'model', key], `is ${describe(value)}, but the network has no such setting; expected one of its config's (${Object.keys(config).slice(0, 8).join(', ')}, …)`);
    if (!sameValue(value, config[key])) refuse(['options', 'model', key], `is ${shown(value)}, but the network's "model.config.${key}" is ${shown(config[key])}; expected the two to agree`);
  }
}

/** A value as a message shows it: a short list or object as JSON, anything else as `describe` does. */
function shown(v: unknown): string {
  if (typeof v !== 'object' || v === null) return describe(v);
  const text = JSON.stringify(v);
  return text.length <= 40 ? text : describe(v);
}

/** Equal numbers, strings, booleans, or arrays/objects of them (as JSON holds them). */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
