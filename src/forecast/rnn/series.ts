/**
 * Data preparation for the RNN forecaster: from the user's data (a Frame, a SeriesSet or named Frames)
 * to one `Prepared` series each (its feature matrix and its target column aligned row by row), the row
 * boundaries users give (a row count or a fraction), and the per-feature values a recursive forecast
 * computes from a predicted price:
 *
 *   level → p_t     return → p_t / p_{t−1} − 1     logReturn → ln(p_t / p_{t−1})     log → ln p_t
 */
import { buildFeatures, normalizeFeatures, type FeatureMatrix, type FeatureSpecObject } from '../../data/features.js';
import { frameLength, getColumn, type Frame, type SeriesSet } from '../../data/frame.js';
import { UnrollError } from '../../util/errors.js';
import { listSome } from '../../util/limits.js';
import type { ResolvedOptions } from './options.js';
import { seasonalView, withColumn, type SeasonalJSON } from '../seasonal-normalise.js';

/** Input data: one frame, several named frames, or a SeriesSet from parseCsvSeries. */
export type ForecastData = Frame | SeriesSet | Record<string, Frame>;

export interface Series {
  id: string;
  frame: Frame;
}

export interface Prepared {
  id: string;
  target: string;
  specs: FeatureSpecObject[];
  /** Frame rows dropped at the start by the features (1 when a return feature is used). */
  offset: number;
  fm: FeatureMatrix;
  /** Target column values aligned with the feature rows. */
  y: Float64Array;
  /** The target as the network sees it: y over its seasonal factors (y itself when not normalised). */
  z: Float64Array;
  /** The seasonal factor of a feature row (also past the data) as known after row `origin`; null when not normalised. */
  factor: ((row: number, origin: number) => number) | null;
  dates: string[];
}

export function isSeriesSet(d: unknown): d is SeriesSet {
  return !!d && typeof d === 'object' && Array.isArray((d as SeriesSet).ids) && typeof (d as SeriesSet).series === 'object';
}
function isFrame(d: unknown): d is Frame {
  return !!d && typeof d === 'object' && Array.isArray((d as Frame).dates) && typeof (d as Frame).columns === 'object';
}

export function toSeriesList(data: ForecastData): Series[] {
  if (isFrame(data)) return [{ id: 'series', frame: data }];
  if (isSeriesSet(data)) return data.ids.map((id) => ({ id, frame: data.series[id] }));
  if (data && typeof data === 'object') {
    const ids = Object.keys(data);
    if (ids.length > 0 && ids.every((id) => isFrame((data as Record<string, Frame>)[id]))) return ids.map((id) => ({ id, frame: (data as Record<string, Frame>)[id] }));
  }
  throw new UnrollError('forecast data: expected a Frame, a SeriesSet (from parseCsvSeries) or an object of named Frames', 'data');
}

function defaultTarget(frame: Frame): string {
  if (frame.names.includes('close')) return 'close';
  if (frame.names.length === 1) return frame.names[0];
  throw new UnrollError(`${frame.source}: which column should be forecast? It has ${listSome(frame.names)}; expected option "target"`, 'option');
}

/**
 * Features and target of one series, aligned row by row. With a seasonal normalisation (`season`,
 * seasonal-normalise.ts) the features and z are built from the normalised target.
 */
export function prepareSeries(s: Series, o: ResolvedOptions, season: SeasonalJSON | null = null): Prepared {
  const target = o.target ?? defaultTarget(s.frame);
  const specs = o.features ?? normalizeFeatures([target]);
  const col = getColumn(s.frame, target);
  const view = season ? seasonalView(season, s.frame, col, s.id) : null;
  const fm = buildFeatures(view ? withColumn(s.frame, target, view.adjusted) : s.frame, specs);
  const offset = frameLength(s.frame) - fm.rows;
  const y = col.subarray(offset);
  const factor = view ? (row: number, origin: number): number => view.factorAt(row + offset, origin + offset) : null;
  return { id: s.id, target, specs, offset, fm, y, z: view ? view.adjusted.subarray(offset) : y, factor, dates: fm.dates };
}

/**
 * A row boundary given by the user in rows of the data (or as a fraction of them), converted to a
 * row of the feature matrix (which starts `offset` rows later when return features are used).
 */
export function resolveEnd(v: number | Record<string, number> | undefined, p: Prepared): number {
  const n = p.fm.rows + p.offset;
  const x = v === undefined ? n : typeof v === 'number' ? v : v[p.id] ?? n;
  if (n < p.offset + 2) throw new UnrollError(`series "${p.id}" has only ${n} row${n === 1 ? '' : 's'} (${p.fm.source}); training needs at least ${p.offset + 2}`, 'data');
  const end = x > 0 && x < 1 ? Math.floor(n * x) : x;
  if (!Number.isInteger(end) || end - p.offset < 2 || end > n) {
    throw new UnrollError(`series "${p.id}": row boundary ${x} is not within its ${n} rows (expected a row count from ${p.offset + 2} to ${n}, or a fraction)`, 'option');
  }
  return end - p.offset;
}

/** A recursive forecast feeds predictions of the target back, so every feature must come from it. */
export function assertRecursiveFeatures(specs: FeatureSpecObject[], target: string): void {
  for (const f of specs) {
    if (f.column !== target || f.kind === 'log') {
      throw new UnrollError(
        `strategy 'recursive' feeds predictions of "${target}" back as inputs, so every feature must be computed from "${target}" (its level, return or log-return); ` +
        `feature "${f.name ?? f.column}" is not. Use strategy 'direct' for other inputs (e.g. OHLC, volume, gold)`, 'option');
    }
  }
}

/** The feature `f` of a predicted price, given the price before it. */
export function featureValue(f: FeatureSpecObject, price: number, prev: number): number {
  switch (f.kind) {
    case 'level': return price;
    case 'return': return price / prev - 1;
    case 'logReturn': return Math.log(price / prev);
    default: return Math.log(price);
  }
}

export function featureLabel(f: FeatureSpecObject): string {
  return f.name ?? (f.kind === 'level' ? f.column : `${f.kind}:${f.column}`);
}
