/**
 * `PanelForecaster`: one recurrent network trained over every series of a panel (global training),
 * forecasting h steps of each at once, in the ES-RNN family. A series is read in chunks of one season
 * (settings.ts) and made scale-free either by its own learned Holt-Winters level and seasonal indices
 * (normalisation 'hw', holt-winters.ts) or by the level of the window's last season (normalisation
 * 'window', normalise.ts), then log-squashed; the network (a GRU/LSTM stack with a dense head of h
 * outputs per quantile) predicts the log-ratio correction (train.ts); several seeds are averaged in log
 * space (ensemble.ts), trained side by side in worker threads when asked (threads.ts), where the companion's
 * per-series fits also run (companion-threads.ts: the same forecasts for any thread count).
 *
 *   ŷ_{n+k} = ℓ_n · exp(b_k + ō_{0,k}) − shift,   k = 1 … h    (b_k = log ŝ_{n+k} with 'hw')
 *
 * Model selection uses the training data only: every member stops early on the last h values of
 * each series, which it never trains on; the forecast then reads the whole series. A series the
 * model was not trained on (recognised by seriesKey) gets Holt-Winters parameters started from its
 * own first seasons with the members' median smoothing coefficients.
 *
 * A panel of one series (validation windows from fewer than MIN_WEIGHED_SERIES series) gets the weight 0,
 * the companion alone: no network is trained for it (companionOnly); the file keeps one untrained member.
 * A panel where no series has the chunk + 2h values a member needs to train (validation.ts canTrainNetwork)
 * also gets the companion alone, with no member at all (noNetwork), its band calibrated on the series that
 * have h + 3 values (companionOnlySplit); with no companion (the network alone) such a panel is refused.
 *
 * Where the dates of the series are given (fit option "dates"), each recurrent step can also read calendar
 * inputs (calendar.ts: the calendar position of its chunk and of the first forecast step); the model then
 * keeps the features and the dates' frequency, and forecasting needs each series' dates (at least its last).
 */
import type { Backend } from '../../kernels/index.js';
import { referenceBackend } from '../../kernels/index.js';
import { UnrollError, badOption, inFile } from '../../util/errors.js';
import { checkOptions, is } from '../../util/options.js';
import type { IntervalBounds, MethodForecast } from '../methods/types.js';
import { passCheckpoints, panelRun, type PanelCheckpointOptions } from './checkpoint.js';
import { bandTemplate, calibrateBandOnWindows, chooseWeight, combinedBand, type BandWindow } from './combine.js';
import { COMPANION_CHOICES, autoCompanion, selectCompanion, type CompanionChoice } from './companion.js';
import { candidatesOn, runCompanionTask } from './companion-threads.js';
import { naiveScale } from '../metrics.js';
import { FREQUENCIES, type Frequency } from '../../data/frequency.js';
import { forecastTables, resolveCalendar, type CalendarOption } from './calendar.js';
import { ensembleOutputs } from './ensemble.js';
import { hwParamCount, initialHwParams } from './holt-winters.js';
import { positiveShift } from './normalise.js';
import { NO_EPOCH_BUDGET, panelSettings, type PanelOptions, type PanelSettings } from './settings.js';
import { checkPanelThreads, trainMembers } from './threads.js';
import { buildNetwork, tooShortToTrain, type MemberResult } from './train.js';
import { MIN_CUT_VALUES, canTrainNetwork, companionOnlySplit, hasWindowA, validationSplit } from './validation.js';

export const PANEL_FORMAT = 'unroll-panel-model';
/** The network gets a weight only when the validation windows come from at least this many series (combine.ts chooseWeight). */
export const MIN_WEIGHED_SERIES = 2;
/**
 * Version 2 adds the per-series Holt-Winters parameters, version 3 the calendar inputs (settings.calendar and
 * calendarFrequency); version 1 files (window normalisation) and version 2 files (no calendar) still load.
 */
export const PANEL_VERSION = 3;

/**
 * The key that recognises a series the model was trained on: a hash of its first (up to 16) values, so
 * the same series cut shorter (as for the validation windows of combine.ts) or grown longer is still
 * recognised as long as it keeps 16 values.
 */
export function seriesKey(y: ArrayLike<number>): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  const n = Math.min(y.length, 16);
  const view = new DataView(new ArrayBuffer(8));
  for (let t = 0; t < n; t++) {
    view.setFloat64(0, y[t]!);
    for (let b = 0; b < 8; b++) {
      const v = view.getUint8(b);
      h1 = Math.imul(h1 ^ v, 0x01000193) >>> 0;
      h2 = Math.imul(h2 ^ v, 0x5bd1e995) >>> 0;
    }
  }
  return `${h1.toString(16)}${h2.toString(16)}`;
}

export interface PanelForecasterOptions extends PanelOptions {
  /** Interval coverages learned as extra quantile outputs. @default [0.95] */
  levels?: number[];
}

export interface PanelFitOptions {
  /** Kernel backend. @default the float64 reference backend */
  backend?: Backend;
  /** Threads to train the members and fit the companion's series in (threads.ts, companion-threads.ts; Node.js only, 1 elsewhere). Same result for any count. @default 1 */
  threads?: number;
  /** Called after every epoch of every member (trained on the calling thread). */
  onEpoch?: (info: { member: number; epoch: number; loss: number; valScore: number }) => void;
  /**
   * Checkpoints (checkpoint.ts): every member's progress in each pass, saved at its epoch ends (and
   * mid-epoch every `everyMinutes`); `resume` continues from saved pieces, bit for bit as an
   * uninterrupted fit. Node's `panelFileCheckpoints(dir, { resume })` keeps them in a folder.
   */
  checkpoint?: PanelCheckpointOptions;
  /**
   * Each series' dates, for the calendar inputs (option "calendar"): one array of ISO date strings per series,
   * as many as it has values (or its last ones: earlier dates are stepped back at the frequency). Without it,
   * no calendar inputs.
   */
  dates?: readonly (readonly string[])[];
  /** Frequency of the dates. @default inferred from the dates */
  frequency?: Frequency;
}

/** Options of PanelForecaster.forecast. */
export interface PanelForecastOptions {
  /** Each series' dates, at least its last one (needed when the model reads calendar inputs; see PanelFitOptions.dates). */
  dates?: readonly (readonly string[])[];
  /**
   * Threads to fit the companion's series in (companion-threads.ts; Node.js only, 1 elsewhere), as fit's option
   * of the same name: a property of the call, not of the model (never saved). Same forecasts for any count. @default 1
   */
  threads?: number;
}

export interface PanelJSON {
  format: typeof PANEL_FORMAT;
  version: number;
  settings: PanelSettings;
  levels: number[];
  members: { weights: number[]; bestEpoch: number; hw?: number[] }[];
  /** Keys (seriesKey) of the training series, in the order of each member's Holt-Winters parameters. */
  seriesKeys?: string[];
  /** Weight of the network against the companion. @default 1 */
  weight?: number;
  /** Factor of each level's band, calibrated on the validation windows (combine.ts); absent in older files. */
  bandFactors?: number[];
  /** Which validation split chose the weight (validation.ts). */
  validation?: 'honest' | 'shared';
  /** Validation windows per series it chose on (1 in files written before two windows existed). */
  validationWindows?: 1 | 2;
  /** The companion the weight applies to (companion.ts). @default 'theta' (older files) */
  companionChoice?: CompanionChoice;
  /** Frequency of the dates the calendar inputs were read from (with settings.calendar a list of features). */
  calendarFrequency?: Frequency;
  /** The fit's evidence for the best weight (weightEvidence; "Infinity" as a string); absent when not weighed, and in older files. */
  weightEvidence?: number | 'Infinity';
}

/** Checks one series: an array of finite numbers with at least one value. */
function checkSeries(y: ArrayLike<number>, i: number, what: string): Float64Array {
  if (!y || typeof y.length !== 'number') throw new UnrollError(`${what}[${i}]: expected an array of numbers`, 'data');
  if (y.length === 0) throw new UnrollError(`${what}[${i}]: the series is empty`, 'data');
  const out = Float64Array.from(y);
  for (let t = 0; t < out.length; t++) {
    if (!Number.isFinite(out[t])) throw new UnrollError(`${what}[${i}]: value ${t + 1} is ${y[t]}; expected a finite number`, 'data');
  }
  return out;
}

export class PanelForecaster {
  /** The settings; after fit, `calendar` is the list of features used ('none' without calendar inputs). */
  settings: PanelSettings;
  /** The calendar option as given (settings.calendar holds what fit chose from it). */
  private readonly calendarOption: CalendarOption;
  /** Frequency of the dates of the calendar inputs (null without them). */
  calendarFrequency: Frequency | null = null;
  /** Why fit used no calendar inputs although dates were given ('auto' with irregular dates), else null. */
  calendarNote: string | null = null;
  readonly levels: number[];
  /** Quantiles of the outputs: τ, then the lower and upper bound of every level. */
  readonly quantiles: number[];
  members: Float64Array[] = [];
  /** Each member's per-series Holt-Winters parameters (normalisation 'hw'), in the order of seriesKeys. */
  hw: (Float64Array | null)[] = [];
  /** Keys of the training series (seriesKey). */
  seriesKeys: string[] = [];
  /** How each member trained (after fit). */
  results: MemberResult[] = [];
  backend: Backend;
  /** Weight of the network against the companion (combine.ts), chosen in fit. */
  weight = 1;
  /** Validation score of each candidate weight (combine.ts COMBINATION_WEIGHTS). */
  weightScores: number[] = [];
  /** Band factor of each level, calibrated on the validation windows (combine.ts); null: the network's own band. */
  bandFactors: number[] | null = null;
  /** The split the combination was chosen on (validation.ts), or null when there was none. */
  validation: 'honest' | 'shared' | null = null;
  /** Validation windows per series the weight and band were chosen on (validation.ts): 1 or 2; null when not weighed. */
  validationWindows: 1 | 2 | null = null;
  /**
   * The evidence for the best weight on validation in fit (combine.ts chooseWeight): its gain over the companion
   * alone in standard errors of the sum over series (Infinity when the companion alone scored best; NaN when
   * not weighed, or loaded from a file written before it was saved). The network gets weight only when this reaches settings.weightEvidence.
   */
  weightEvidence = NaN;
  /** The companion chosen in fit (companion.ts), or null when there is none. */
  companionChoice: CompanionChoice | null = null;
  /**
   * True when no series had the chunk + 2h values a member network needs (validation.ts canTrainNetwork): the
   * model has no member and the companion alone forecasts (companionOnly).
   */
  noNetwork = false;

  constructor(options: PanelForecasterOptions, backend?: Backend) {
    const { levels, ...rest } = options ?? ({} as PanelForecasterOptions);
    this.settings = panelSettings(rest as PanelOptions);
    this.calendarOption = this.settings.calendar;
    this.levels = levels ?? [0.95];
    if (!Array.isArray(this.levels) || this.levels.some((l) => typeof l !== 'number' || !(l > 0 && l < 1))) badOption('levels', levels, 'an array of coverages in (0, 1)');
    this.quantiles = [this.settings.tau];
    for (const l of this.levels) this.quantiles.push((1 - l) / 2, (1 + l) / 2);
    this.backend = backend ?? referenceBackend();
  }

  get fitted(): boolean { return this.members.length > 0 || this.noNetwork; }

  /** Trains every member on all the series (each at least chunk + 2h values long to count). */
  fit(series: readonly ArrayLike<number>[], options: PanelFitOptions = {}): this {
    checkOptions(options, { backend: is.object, threads: is.positiveInt, onEpoch: is.function, checkpoint: is.object, dates: is.array, frequency: is.oneOf(...FREQUENCIES) },
      { where: 'panel model fit' });
    if (!Array.isArray(series) || series.length === 0) throw new UnrollError('panel model: fit needs a non-empty array of series', 'data');
    if (options.backend) this.backend = options.backend;
    // At most MAX_PANEL_THREADS, checked here too: a panel of one series trains no member (companionOnlyFit).
    const threads = checkPanelThreads(options.threads);
    const prepared = series.map((y, i) => {
      const v = checkSeries(y, i, 'series');
      const shift = positiveShift(v);
      if (shift) for (let t = 0; t < v.length; t++) v[t] += shift;
      return v;
    });
    this.members = [];
    this.hw = [];
    this.results = [];
    this.noNetwork = false;
    this.seriesKeys = series.map((y) => seriesKey(y));
    const calendar = resolveCalendar(this.calendarOption, this.settings.period, prepared.map((y) => y.length), options.dates, options.frequency);
    this.settings = { ...this.settings, calendar: calendar.features.length ? calendar.features : 'none' };
    this.calendarFrequency = calendar.tables ? calendar.frequency : null;
    this.calendarNote = calendar.note;
    const tables = calendar.tables;
    // With a companion, the members leave each series' last h values (two windows: 2h) to the combination's validation.
    const split = this.settings.companion === 'none' ? null : validationSplit(prepared, this.settings);
    if (!canTrainNetwork(prepared, this.settings)) {
      // No member could train (train.ts would refuse): the network alone is refused here, before any thread
      // starts; with a companion, it forecasts alone and no member is kept (noNetwork).
      if (!split) throw new UnrollError(tooShortToTrain(this.settings), 'data');
      const short = companionOnlySplit(prepared, this.settings);
      if (short.index.length === 0) throw new UnrollError(this.tooShortForCompanion(prepared), 'data');
      // The checkpoint option is still checked (nothing is saved: no member trains, so no piece can be resumed).
      if (options.checkpoint) passCheckpoints(options.checkpoint, panelRun(this.settings, this.quantiles, prepared, this.backend, tables));
      this.noNetwork = true;
      this.chooseCombination(series.map((y, i) => checkSeries(y, i, 'series')), short, null, threads, true);
      return this;
    }
    if (split && split.index.length > 0 && split.index.length < MIN_WEIGHED_SERIES) {
      // Too few validation windows to weigh a network (a panel of one series): the companion alone forecasts,
      // so no network is trained; one untrained member keeps the model file's shape (companionOnly).
      this.companionOnlyFit(prepared, series.map((y, i) => checkSeries(y, i, 'series')), split, threads);
      return this;
    }
    const train = split ? split.train : prepared;
    const ck = options.checkpoint ? passCheckpoints(options.checkpoint, panelRun(this.settings, this.quantiles, prepared, this.backend, tables)) : null;
    const results = trainMembers({ series: train, calendar: tables, quantiles: this.quantiles, backend: this.backend, onEpoch: options.onEpoch }, this.settings, threads, ck?.(1));
    for (const r of results) {
      this.results.push(r);
      this.members.push(r.weights);
      this.hw.push(r.hw);
    }
    this.chooseCombination(series.map((y, i) => checkSeries(y, i, 'series')), split, tables, threads);
    if (split?.kind === 'honest' && this.weight > 0) {
      // The weight was chosen on values the members never saw; the members that forecast are trained again
      // on every value (stopping early on the last h), so the newest values are not lost to validation.
      const again = trainMembers({ series: prepared, calendar: tables, quantiles: this.quantiles, backend: this.backend, onEpoch: options.onEpoch }, this.settings, threads, ck?.(2));
      this.results = again;
      this.members = again.map((r) => r.weights);
      this.hw = again.map((r) => r.hw);
    }
    return this;
  }

  /** Members whose network was trained (bestEpoch ≥ 1); 0 when the companion alone forecasts (companionOnly). */
  get trainedMembers(): number { return this.results.filter((r) => r.bestEpoch > 0).length; }

  /**
   * True when no network was trained because the validation windows came from fewer than
   * MIN_WEIGHED_SERIES series (a panel of one series), or because no series was long enough to train one
   * (noNetwork): the companion alone forecasts.
   */
  get companionOnly(): boolean { return this.fitted && this.weight === 0 && this.companionChoice !== null && this.bandFactors !== null && this.trainedMembers === 0; }

  /** Why the companion alone forecasts (companionOnly), for the fit's report and the forecasts' notes. */
  get companionOnlyNote(): string | null {
    if (!this.companionOnly) return null;
    const s = this.settings;
    if (this.noNetwork) {
      return `the ${this.companionChoice} companion alone forecasts, no network trained: no series has the chunk + 2h = ${s.chunk + 2 * s.horizon} values a network needs (one chunk of ${s.chunk}, then the horizon ${s.horizon} twice: a training target and an early-stopping window)`;
    }
    return `the ${this.companionChoice} companion alone forecasts, no network trained: the network is weighed against it only on the validation windows of at least ${MIN_WEIGHED_SERIES} series, and this fit had ${MIN_WEIGHED_SERIES - 1}`;
  }

  /** The refusal of a panel on which neither a network nor the companion's band can be fitted (fit). */
  private tooShortForCompanion(series: readonly Float64Array[]): string {
    const s = this.settings;
    const longest = series.reduce((n, y) => Math.max(n, y.length), 0);
    return `panel model: no series is long enough: a network needs a series of at least ${s.chunk + 2 * s.horizon} values (one chunk of ${s.chunk}, then the horizon ${s.horizon} twice), ` +
      `and the companion alone needs one of at least ${s.horizon + MIN_CUT_VALUES} values to calibrate its band on (its last ${s.horizon} values forecast from the ${MIN_CUT_VALUES} or more before them); the longest series has ${longest}`;
  }

  /**
   * The fit when the weight is bound to be 0: the companion is chosen and its band calibrated on the validation
   * windows as chooseCombination does. With fewer than MIN_WEIGHED_SERIES validation windows, one member with the
   * network's initial weights and the series' starting Holt-Winters parameters (never trained, never read by
   * forecast) keeps the model file's shape.
   */
  private companionOnlyFit(prepared: readonly Float64Array[], raw: readonly Float64Array[], split: ReturnType<typeof validationSplit>, threads: number): void {
    const s = this.settings;
    const net = buildNetwork(s, this.quantiles.length, this.backend, s.seed);
    let hw: Float64Array | null = null;
    if (s.normalisation === 'hw') {
      const P = hwParamCount(s);
      hw = new Float64Array(prepared.length * P);
      prepared.forEach((y, i) => initialHwParams(y, s, hw!, i * P));
    }
    this.members = [Float64Array.from(net.store.values)];
    this.hw = [hw];
    this.results = [{ weights: this.members[0]!, hw, bestEpoch: 0, valScores: [], losses: [] }];
    this.chooseCombination(raw, split, null, threads, true);
  }

  /**
   * Forecasts h steps after the end of each series (the series it was trained on, or others of the
   * same kind). A series shorter than one chunk gets the naive forecast, with a note. A model with calendar
   * inputs needs the dates of every series (options.dates, at least the last date of each), unless the
   * network's weight is 0: then the companion forecasts alone and the networks are not run.
   */
  forecast(series: readonly ArrayLike<number>[], options: PanelForecastOptions = {}): MethodForecast[] {
    checkOptions(options, { dates: is.array, threads: is.positiveInt }, { where: 'panel model forecast' });
    const threads = checkPanelThreads(options.threads);
    if (!this.fitted) throw new UnrollError('panel model: call fit before forecast', 'state');
    if (!Array.isArray(series) || series.length === 0) throw new UnrollError('panel model: forecast needs a non-empty array of series', 'data');
    const checked = series.map((y, i) => checkSeries(y, i, 'series'));
    const features = this.settings.calendar;
    if (this.weight === 0 && this.bandFactors && this.companionChoice) {
      // The network has no share (companionOnly, or a weight of 0 chosen on validation): the companion
      // forecasts alone and the networks are not run (a calendar model then needs no dates; given ones are
      // still checked).
      if (Array.isArray(features) && options.dates !== undefined) forecastTables(features, this.calendarFrequency!, checked.map((y) => y.length), options.dates);
      const h = this.settings.horizon;
      const note = this.companionOnlyNote ?? `the ${this.companionChoice} companion alone: the network's weight is 0 (chosen on the last ${(this.validationWindows ?? 1) * h} training values)`;
      const companion = this.companionForecasts(checked, threads);
      return checked.map((y, i) => {
        const mean = companion[i]!;
        const template = bandTemplate(y, h, this.settings.period);
        const intervals = this.levels.map((level, j) => ({ level, ...combinedBand(mean, template, this.bandFactors![j]!) }));
        return { mean, intervals, notes: [note] };
      });
    }
    const tables = Array.isArray(features) ? forecastTables(features, this.calendarFrequency!, checked.map((y) => y.length), options.dates) : null;
    const net = this.networkForecast(checked, tables);
    if (this.weight >= 1 && !this.bandFactors) return net;
    const w = this.weight;
    const h = this.settings.horizon;
    const factors = this.bandFactors;
    const companions = w < 1 && this.companionChoice ? this.companionForecasts(checked, threads) : null;
    return net.map((f, i) => {
      const companion = companions ? companions[i]! : null;
      const mean = companion ? f.mean.map((v, k) => w * v + (1 - w) * companion[k]!) : f.mean;
      const template = factors ? bandTemplate(checked[i]!, h, this.settings.period) : null;
      const intervals = f.intervals.map((b, j) => {
        if (factors) return { level: b.level, ...combinedBand(mean, template!, factors[j]!) };
        // Older files: the network's band moved onto the combined forecast.
        return {
          level: b.level,
          lower: b.lower.map((v, k) => Math.min(v + mean[k]! - f.mean[k]!, mean[k]!)),
          upper: b.upper.map((v, k) => Math.max(v + mean[k]! - f.mean[k]!, mean[k]!)),
        };
      });
      const notes = [...(f.notes ?? [])];
      if (companion) notes.push(`combined with the ${this.companionChoice} companion: ${w} × network + ${1 - w} × companion (weight chosen on the last ${(this.validationWindows ?? 1) * h} training values)`);
      return { mean, intervals, ...(notes.length ? { notes } : {}) };
    });
  }

  /** The chosen companion's forecasts from the end of each (checked) series, on `threads` threads (companion-threads.ts). */
  private companionForecasts(series: readonly Float64Array[], threads: number): Float64Array[] {
    return runCompanionTask({ kind: 'forecast', choice: this.companionChoice! }, series, this.settings.horizon, this.settings.period, threads);
  }

  /** The ensemble's forecasts from the end of each (checked) series, before any combination. */
  private networkForecast(series: readonly Float64Array[], tables: readonly Float64Array[] | null): MethodForecast[] {
    const s = this.settings;
    const h = s.horizon;
    const shifts: number[] = [];
    const prepared = series.map((y) => {
      const v = Float64Array.from(y);
      const shift = positiveShift(v);
      if (shift) for (let t = 0; t < v.length; t++) v[t] += shift;
      shifts.push(shift);
      return v;
    });
    const usable: number[] = [];
    prepared.forEach((y, i) => { if (y.length >= s.chunk) usable.push(i, y.length); });
    const pairs = Int32Array.from(usable);
    const hw = this.members.map((_, m) => this.hwParamsFor(m, series, prepared));
    const outputs = ensembleOutputs(this.members, hw, s, this.quantiles.length, this.backend, prepared, pairs, tables);
    const K = h * this.quantiles.length;
    const result: MethodForecast[] = prepared.map((y, i) => {
      const last = y[y.length - 1]! - shifts[i]!;
      return {
        mean: new Float64Array(h).fill(last),
        intervals: [],
        notes: [`shorter than one chunk (${y.length} < ${s.chunk} values): naive forecast`],
      };
    });
    for (let w = 0; w < pairs.length / 2; w++) {
      const i = pairs[2 * w]!;
      const value = (q: number, k: number): number => Math.exp(outputs[w * K + q * h + k]!) - shifts[i]!;
      const mean = new Float64Array(h);
      for (let k = 0; k < h; k++) mean[k] = value(0, k);
      const intervals: IntervalBounds[] = this.levels.map((level, j) => {
        const lower = new Float64Array(h);
        const upper = new Float64Array(h);
        for (let k = 0; k < h; k++) {
          const a = value(1 + 2 * j, k);
          const b = value(2 + 2 * j, k);
          lower[k] = Math.min(a, b, mean[k]!);
          upper[k] = Math.max(a, b, mean[k]!);
        }
        return { level, lower, upper };
      });
      result[i] = { mean, intervals };
    }
    return result;
  }

  /**
   * Member m's Holt-Winters parameters for the given series (raw values for recognition, prepared =
   * shifted): a training series (recognised by seriesKey) keeps its learned ones; any other starts from
   * its own first seasons with the member's median smoothing coefficients. null without 'hw'.
   */
  private hwParamsFor(m: number, raw: readonly Float64Array[], prepared: readonly Float64Array[]): Float64Array | null {
    const learned = this.hw[m];
    if (this.settings.normalisation !== 'hw' || !learned) return null;
    const P = hwParamCount(this.settings);
    const index = new Map<string, number>();
    this.seriesKeys.forEach((k, i) => { if (!index.has(k)) index.set(k, i); });
    const median = (j: number): number => {
      const v = this.seriesKeys.map((_, i) => learned[i * P + j]!).sort((a, b) => a - b);
      return v[v.length >> 1]!;
    };
    const out = new Float64Array(raw.length * P);
    raw.forEach((y, i) => {
      const known = index.get(seriesKey(y));
      if (known !== undefined) {
        out.set(learned.subarray(known * P, (known + 1) * P), i * P);
      } else {
        initialHwParams(prepared[i]!, this.settings, out, i * P);
        out[i * P] = median(0);
        out[i * P + 1] = median(1);
      }
    });
    return out;
  }

  /**
   * Picks the network's weight against the companion and calibrates the bands on the validation windows
   * (validation.ts: the last h values of every series, forecast from the values before them, and in a
   * two-window split also the h values before those, forecast from the values before them).
   */
  private chooseCombination(series: readonly Float64Array[], split: ReturnType<typeof validationSplit> | null, tables: readonly Float64Array[] | null, threads: number, companionOnly = false): void {
    const s = this.settings;
    const h = s.horizon;
    this.weight = 1;
    this.weightScores = [];
    this.weightEvidence = NaN;
    this.bandFactors = null;
    this.validation = null;
    this.validationWindows = null;
    this.companionChoice = null;
    if (!split || split.index.length === 0 || s.companion === 'none') return;
    const before = split.index.map((i) => series[i]!.subarray(0, series[i]!.length - h));
    const actual = split.index.map((i) => series[i]!.subarray(series[i]!.length - h));
    // A series' calendar table (indexed from its first value) serves its shorter cuts as well.
    const tablesOf = tables ? split.index.map((i) => tables[i]!) : null;
    const net = companionOnly ? null : this.networkForecast(before, tablesOf);
    let companion: Float64Array[];
    // The companion's forecasts of window A (from y_1 … y_{n−2h}; null for a series without it: hasWindowA), for
    // the weight in a two-window split and for the band; a function, as with one window only w = 0 needs them.
    let previous: () => (Float64Array | null)[] = () => [];
    const kind = s.companion === 'auto' ? autoCompanion(series, s.period) : s.companion;
    if (kind === 'series') {
      // Chosen for each series from its own values: the validation forecast from y_1 … y_{n−h} chooses on the
      // two windows before it (companion.ts).
      this.companionChoice = 'series';
      companion = runCompanionTask({ kind: 'forecast', choice: 'series' }, before, h, s.period, threads);
    } else if (kind === 'select') {
      const selected = selectCompanion(series, split.index, h, s.period, candidatesOn(threads));
      this.companionChoice = selected.choice;
      companion = selected.lastWindow;
      previous = () => selected.previousWindow;
    } else {
      const task = { kind: 'forecast', choice: kind as CompanionChoice } as const;
      this.companionChoice = task.choice;
      companion = runCompanionTask(task, before, h, s.period, threads);
      let cached: (Float64Array | null)[] | null = null;
      previous = () => {
        if (cached) return cached;
        const cut = before.flatMap((y, j) => (hasWindowA(y.length + h, h) ? [j] : []));
        const f = runCompanionTask(task, cut.map((j) => before[j]!.subarray(0, before[j]!.length - h)), h, s.period, threads);
        const out: (Float64Array | null)[] = before.map(() => null);
        cut.forEach((j, u) => { out[j] = f[u]!; });
        return (cached = out);
      };
    }
    // Two windows (validation.ts; the per-series companion keeps one there).
    const two = split.windows === 2;
    this.validation = split.kind;
    this.validationWindows = split.windows;
    const scaleOf = (y: Float64Array): number => (y.length > 1 ? naiveScale(y, y.length > s.period ? s.period : 1) : 0);
    const scales = before.map(scaleOf);
    // Window A of each series that has it: the companion's forecasts; the network's where at least one chunk
    // precedes it (with less the network gives the naive forecast, so such a series is weighed on window B alone).
    const compA = two ? previous() : [];
    const inputsA = net ? compA.flatMap((f, j) => (f && before[j]!.length - h >= s.chunk ? [j] : [])) : [];
    const netAList = inputsA.length ? this.networkForecast(inputsA.map((j) => before[j]!.subarray(0, before[j]!.length - h)), tablesOf ? inputsA.map((j) => tablesOf[j]!) : null) : [];
    const netA: (Float64Array | null)[] = before.map(() => null);
    inputsA.forEach((j, r) => { netA[j] = netAList[r]!.mean; });
    const actualA = (j: number): Float64Array => before[j]!.subarray(before[j]!.length - h);
    let choice: { weight: number; scores: number[]; evidence: number };
    if (!net) choice = { weight: 0, scores: [], evidence: NaN }; // a companion-only fit (fewer than MIN_WEIGHED_SERIES validation series: fit() decides that)
    else if (!two) choice = chooseWeight(net.map((f) => f.mean), companion, actual, scales, s.weightEvidence);
    else {
      // Each series' windows A and B scored together, as one forecast of 2h values, scaled by the values before A.
      const cat = (a: ArrayLike<number> | null, b: ArrayLike<number>): Float64Array => {
        const out = new Float64Array((a ? a.length : 0) + b.length);
        if (a) out.set(a);
        out.set(b, a ? a.length : 0);
        return out;
      };
      const both = (j: number): boolean => netA[j] !== null;
      choice = chooseWeight(
        net.map((f, j) => cat(both(j) ? netA[j]! : null, f.mean)),
        companion.map((c, j) => cat(both(j) ? compA[j]! : null, c)),
        actual.map((a, j) => cat(both(j) ? actualA(j) : null, a)),
        before.map((y, j) => (both(j) ? scaleOf(y.subarray(0, y.length - h)) : scales[j]!)),
        s.weightEvidence);
    }
    const w = choice.weight;
    this.weight = w;
    this.weightScores = choice.scores;
    this.weightEvidence = choice.evidence;
    const mix = (f: ArrayLike<number>, c: ArrayLike<number>): Float64Array => Float64Array.from(c, (v, k) => w * f[k]! + (1 - w) * v);
    const combined = net ? net.map((f, i) => mix(f.mean, companion[i]!)) : companion;
    // The network alone keeps its own quantile band (learned on many windows); a combination gets a band
    // calibrated on its own validation errors (combine.ts).
    if (w >= 1) return;
    // Window B of the series with at least MIN_CUT_VALUES values before it: a forecast from one or two values
    // has (almost) no differences for bandTemplate's scale, whose floor (a millionth of the value) would turn
    // that series' error into a score a million times too large and blow the factor up for the whole panel.
    const banded = before.flatMap((y, j) => (y.length >= MIN_CUT_VALUES ? [j] : []));
    const windows: BandWindow[] = [{ forecast: banded.map((j) => combined[j]!), widths: banded.map((j) => bandTemplate(before[j]!, h, s.period)), actual: banded.map((j) => actual[j]!) }];
    // Window A too, where there is one, and the band covers both (combine.ts): in a two-window split, and when the
    // companion alone forecasts (w = 0). The per-series companion is left at one window (above).
    if (two || (w === 0 && kind !== 'series')) {
      const forecast: Float64Array[] = [], widths: Float64Array[] = [], earlier: Float64Array[] = [];
      previous().forEach((f, j) => {
        if (!f) return;
        if (w > 0 && !netA[j]) return;
        const y = before[j]!;
        forecast.push(w > 0 ? mix(netA[j]!, f) : f);
        widths.push(bandTemplate(y.subarray(0, y.length - h), h, s.period));
        earlier.push(y.subarray(y.length - h));
      });
      windows.push({ forecast, widths, actual: earlier });
    }
    this.bandFactors = this.levels.map((level) => calibrateBandOnWindows(windows, level).factor);
  }

  toJSON(): PanelJSON {
    if (!this.fitted) throw new UnrollError('panel model: nothing to save before fit', 'state');
    return {
      format: PANEL_FORMAT,
      version: PANEL_VERSION,
      settings: { ...this.settings },
      levels: [...this.levels],
      members: this.members.map((w, m) => ({
        weights: Array.from(w),
        bestEpoch: this.results[m]?.bestEpoch ?? 0,
        ...(this.hw[m] ? { hw: Array.from(this.hw[m]!) } : {}),
      })),
      ...(this.settings.normalisation === 'hw' ? { seriesKeys: [...this.seriesKeys] } : {}),
      weight: this.weight,
      ...(this.bandFactors ? { bandFactors: [...this.bandFactors] } : {}),
      ...(this.validation ? { validation: this.validation } : {}),
      ...(this.validationWindows ? { validationWindows: this.validationWindows } : {}),
      ...(this.companionChoice ? { companionChoice: this.companionChoice } : {}),
      ...(this.calendarFrequency ? { calendarFrequency: this.calendarFrequency } : {}),
      ...(Number.isNaN(this.weightEvidence) ? {} : { weightEvidence: this.weightEvidence === Infinity ? 'Infinity' as const : this.weightEvidence }),
    };
  }

  static fromJSON(json: unknown, options: { backend?: Backend; source?: string } = {}): PanelForecaster {
    checkOptions(options, { backend: is.object, source: is.string }, { where: 'PanelForecaster.fromJSON' });
    const where = options.source ? `model file ${options.source}` : 'panel model JSON';
    if (!json || typeof json !== 'object') throw new UnrollError(`${where}: expected a JSON object written by unroll`, 'model-file');
    const j = json as Partial<PanelJSON>;
    if (j.format !== PANEL_FORMAT) throw new UnrollError(`${where}: not a panel model (format is ${JSON.stringify(j.format)}, expected "${PANEL_FORMAT}")`, 'model-file');
    if (j.version !== 1 && j.version !== 2 && j.version !== PANEL_VERSION) throw new UnrollError(`${where}: format version ${JSON.stringify(j.version)} is not supported; this unroll reads versions 1 to ${PANEL_VERSION}`, 'model-file');
    if (!j.settings || typeof j.settings !== 'object') throw new UnrollError(`${where}: the "settings" section is missing`, 'model-file');
    // Version 1 predates the Holt-Winters normalisation: its models normalise by the window.
    const v1 = j.version === 1 ? { ...(j.settings as PanelSettings), normalisation: 'window' as const } : j.settings;
    // Files before version 3 have no calendar inputs; a fitted model holds a list of features or 'none'.
    const fileCalendar = (v1 as Partial<PanelSettings>).calendar;
    // Files written before two validation windows existed chose on one; before the epoch budget, epochs had none.
    const fileSettings = { ...v1, calendar: fileCalendar === undefined || fileCalendar === 'auto' ? 'none' : fileCalendar,
      validationWindows: (v1 as Partial<PanelSettings>).validationWindows ?? 1,
      maxEpochSteps: (v1 as Partial<PanelSettings>).maxEpochSteps ?? NO_EPOCH_BUDGET };
    const model = inFile(where, () => new PanelForecaster({ ...(fileSettings as PanelSettings), levels: j.levels }, options.backend));
    if (Array.isArray(model.settings.calendar)) {
      if (!(FREQUENCIES as readonly unknown[]).includes(j.calendarFrequency)) {
        throw new UnrollError(`${where}: "calendarFrequency" must be one of ${FREQUENCIES.join(', ')} (the model reads calendar inputs ${model.settings.calendar.join(', ')})`, 'model-file');
      }
      model.calendarFrequency = j.calendarFrequency!;
    }
    // No member: a model on whose panel no network could train (noNetwork), valid only as the companion alone with its band.
    const noNetwork = Array.isArray(j.members) && j.members.length === 0;
    if (!Array.isArray(j.members) || (noNetwork && !(j.weight === 0 && j.companionChoice !== undefined && Array.isArray(j.bandFactors)))) {
      throw new UnrollError(`${where}: the "members" section is missing or empty (only a model whose companion forecasts alone, with weight 0, a "companionChoice" and "bandFactors", may have no member)`, 'model-file');
    }
    model.noNetwork = noNetwork;
    // Sized by the file's settings: the network limits (util/limits.ts) refuse a huge one before it is built.
    const count = inFile(where, () => ensembleParameterCount(new PanelForecaster({ ...model.settings, members: 1, levels: model.levels })));
    model.members = j.members.map((m, i) => {
      if (!m || !Array.isArray(m.weights) || m.weights.length !== count || m.weights.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
        throw new UnrollError(`${where}: member ${i + 1} must hold ${count} finite weights`, 'model-file');
      }
      return Float64Array.from(m.weights);
    });
    if (model.settings.normalisation === 'hw') {
      const keys = j.seriesKeys;
      if (!Array.isArray(keys) || keys.length === 0 || keys.some((k) => typeof k !== 'string')) throw new UnrollError(`${where}: "seriesKeys" must list the training series' keys (normalisation 'hw')`, 'model-file');
      const want = keys.length * hwParamCount(model.settings);
      model.hw = j.members.map((m, i) => {
        if (!Array.isArray(m.hw) || m.hw.length !== want || m.hw.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
          throw new UnrollError(`${where}: member ${i + 1} must hold ${want} finite Holt-Winters parameters (${hwParamCount(model.settings)} for each of ${keys.length} series)`, 'model-file');
        }
        return Float64Array.from(m.hw);
      });
      model.seriesKeys = [...keys];
    } else {
      model.hw = j.members.map(() => null);
    }
    const weight = j.weight ?? 1;
    if (typeof weight !== 'number' || !(weight >= 0 && weight <= 1)) throw new UnrollError(`${where}: "weight" must be a number in [0, 1]`, 'model-file');
    model.weight = weight;
    if (j.bandFactors !== undefined) {
      const f = j.bandFactors;
      if (!Array.isArray(f) || f.length !== model.levels.length || f.some((v) => typeof v !== 'number' || !Number.isFinite(v) || v < 0)) {
        throw new UnrollError(`${where}: "bandFactors" must hold one number >= 0 for each of the ${model.levels.length} levels`, 'model-file');
      }
      model.bandFactors = [...f];
    }
    if (j.validation !== undefined && j.validation !== 'honest' && j.validation !== 'shared') throw new UnrollError(`${where}: "validation" must be "honest" or "shared"`, 'model-file');
    model.validation = j.validation ?? null;
    if (j.validationWindows !== undefined && j.validationWindows !== 1 && j.validationWindows !== 2) throw new UnrollError(`${where}: "validationWindows" must be 1 or 2`, 'model-file');
    model.validationWindows = j.validationWindows ?? (model.validation ? 1 : null);
    if (j.companionChoice !== undefined && !(COMPANION_CHOICES as readonly unknown[]).includes(j.companionChoice)) {
      throw new UnrollError(`${where}: "companionChoice" must be one of ${COMPANION_CHOICES.join(', ')}`, 'model-file');
    }
    // Files written before the companion was chosen combined with Theta.
    model.companionChoice = j.companionChoice ?? (weight < 1 ? 'theta' : null);
    const z = j.weightEvidence;
    if (z !== undefined && z !== 'Infinity' && (typeof z !== 'number' || !Number.isFinite(z))) throw new UnrollError(`${where}: "weightEvidence" must be a finite number or "Infinity"`, 'model-file');
    model.weightEvidence = z === undefined ? NaN : z === 'Infinity' ? Infinity : z;
    model.results = j.members.map((m) => ({ weights: new Float64Array(0), hw: null, bestEpoch: m.bestEpoch, valScores: [], losses: [] }));
    return model;
  }
}


function ensembleParameterCount(model: PanelForecaster): number {
  return buildNetwork(model.settings, model.quantiles.length, referenceBackend(), 1).store.count;
}
