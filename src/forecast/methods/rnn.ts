/**
 * The RNN forecaster (forecaster.ts) behind the one method contract (types.ts), so it stands in the
 * same tables as the statistical benchmarks and the panel model:
 *
 *   fit(y, { period })  → a Forecaster trained on y_1 … y_n with the job defaults (rnn/defaults.ts:
 *                         LSTM 64 on log-returns, standard scaling; levels when some y_t ≤ 0), the
 *                         lookback cut to ⌊n/4⌋ (at least 2) for series shorter than 4 lookbacks
 *   forecast(h, { levels }) → recursive forecasts ŷ_{n+1} … ŷ_{n+h}; for each level L the split-
 *                         conformal interval of every step from the model's own rolling-origin errors
 *                         (intervals.ts; the quantile bounds with intervalMethod 'quantile'), with
 *                         notes where a step has too few errors for L
 *
 * The period is the period of the forecaster's seasonal normalisation (seasonal-normalise.ts: a series
 * its checks call seasonal is divided by its seasonal states, the forecasts multiplied back), unless the
 * settings' options name one.
 */
import { frameFromArrays } from '../../data/frame.js';
import type { Backend } from '../../kernels/index.js';
import { UnrollError } from '../../util/errors.js';
import { Forecaster, type ForecasterOptions } from '../forecaster.js';
import { jobDefaults } from '../rnn/defaults.js';
import { checkHorizon, checkLevels, checkPeriod, checkSeries } from './common.js';
import type { FitOptions, FittedMethod, ForecastMethod, ForecastOptions, IntervalBounds, MethodForecast } from './types.js';
import { checkedMethod } from './checked.js';
import { checkOptions, is, mergeOptions, underPrefix } from '../../util/options.js';

export interface RnnMethodSettings {
  /** Forecaster options; they replace the job defaults key by key (model and training merged). */
  options?: ForecasterOptions;
  backend?: Backend;
  /** Name in tables. @default 'rnn' */
  name?: string;
}

/** The one column of the frame a method's series becomes. */
const COLUMN = 'value';

/** The forecaster options for a series of `n` values: the job defaults, the lookback fitted to n, then `given`. */
export function rnnOptionsFor(y: Float64Array, given: ForecasterOptions = {}): ForecasterOptions {
  const base = jobDefaults(frameFromArrays({ [COLUMN]: y }, { source: 'series' }), { target: COLUMN });
  const lookback = Math.min(base.lookback ?? 30, Math.max(2, Math.floor(y.length / 4)));
  checkOptions({ model: given?.model, training: given?.training }, { model: is.object, training: is.object }, { where: 'rnnOptionsFor' });
  const merged = mergeOptions<ForecasterOptions>({ ...base, lookback }, given);
  new Forecaster(merged); // every key (training's and the model section's too) through the Forecaster's checks, before any training
  return merged;
}

class FittedRnn implements FittedMethod {
  constructor(readonly name: string, readonly forecaster: Forecaster, private readonly y: Float64Array) {}

  get description(): string {
    const o = this.forecaster.options;
    const val = this.forecaster.epochs.map((e) => e.valLoss);
    let best = 0;
    val.forEach((v, i) => { if (v !== undefined && v < val[best]!) best = i; });
    const epochs = val.length && val.every((v) => v !== undefined) ? `, best epoch ${best + 1} of ${val.length}` : '';
    return `${String(o.model.cell).toUpperCase()} ${o.model.numLayers}×${o.model.hiddenSize}, lookback ${o.lookback}, ${o.predict === 'return' ? 'returns' : 'levels'}${epochs}`;
  }

  forecast(h: number, options: ForecastOptions = {}): MethodForecast {
    checkHorizon(this.name, h);
    const levels = checkLevels(this.name, options.levels ?? []);
    const frame = frameFromArrays({ [COLUMN]: this.y }, { source: 'series' });
    // Each level's bounds as the forecaster makes them (conformal at any level; quantile at the levels it learnt).
    const points = this.forecaster.forecastIntervals(frame, h, levels).series!;
    const mean = Float64Array.from(points, (p) => p.value);
    const intervals: IntervalBounds[] = [];
    const notes = new Set<string>();
    levels.forEach((level, li) => {
      const lower = new Float64Array(h);
      const upper = new Float64Array(h);
      let complete = true;
      for (let k = 0; k < h; k++) {
        const b = points[k]!.intervals[li]!;
        if (b.note) notes.add(b.note);
        if (b.lower === null || b.upper === null) { complete = false; continue; }
        lower[k] = b.lower;
        upper[k] = b.upper;
      }
      // A level with a step that has no interval is left out (its note says why), never given NaN bounds.
      if (complete) intervals.push({ level, lower, upper });
    });
    return { mean, intervals, ...(notes.size ? { notes: [...notes] } : {}) };
  }
}

/** The RNN forecaster as a method: `runBenchmarks([rnnMethod(), naive, …], …)`. */
export function rnnMethod(settings: RnnMethodSettings = {}): ForecastMethod {
  // The forecaster options inside are checked by the Forecaster at fit, key by key.
  checkOptions(settings, { options: is.object, backend: is.object, name: is.string }, { where: 'rnnMethod' });
  const name = settings.name ?? 'rnn';
  return checkedMethod({
    name,
    fit(input: ArrayLike<number>, options: FitOptions): FittedMethod {
      checkPeriod(name, options?.period);
      const y = checkSeries(name, input, 8);
      // The settings' options are named by their path in the settings ("options.model.hiddenSize").
      const given = underPrefix('options.', () => rnnOptionsFor(y, settings.options));
      const f = new Forecaster({ period: options?.period ?? 1, ...given }, settings.backend ? { backend: settings.backend } : {});
      try {
        f.fit(frameFromArrays({ [COLUMN]: y }, { source: 'series' }));
      } catch (e) {
        if (e instanceof UnrollError) throw new UnrollError(`${name}: ${e.message}`, e.code);
        throw e;
      }
      return new FittedRnn(name, f, y);
    },
  });
}
