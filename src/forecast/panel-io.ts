/**
 * Saving and loading the global panel forecaster (Node only), like saveForecaster/loadForecaster for
 * the per-window forecaster: one JSON file, written atomically.
 *
 * The file is the model's own JSON (PanelForecaster.toJSON: format "unroll-panel-model") with an
 * optional `history` section: the series it was trained on (their ids, values, last dates and
 * frequency), so that `unroll forecast --model panel.json` can forecast past the end of the training
 * data without the data file. The model itself never reads `history`; it is stripped before
 * PanelForecaster.fromJSON checks the rest.
 *
 *   { format: "unroll-panel-model", version, settings, levels, members, weight,
 *     history?: { source, target, frequency, series: { id, values: number[], lastDates: string[] }[] } }
 */
import { readJsonFile, writeFileAtomic } from '../data/node-io.js';
import { FREQUENCIES, type Frequency } from '../data/frequency.js';
import type { Backend } from '../kernels/index.js';
import { UnrollError } from '../util/errors.js';
import { PANEL_FORMAT, PanelForecaster } from './panel/model.js';
import { checkOptions, is } from '../util/options.js';

export interface PanelHistorySeries {
  id: string;
  /** Every value of the series the model was trained on, oldest first. */
  values: number[];
  /**
   * The series' last (up to) two date labels, from which the forecast dates continue; every date of the series
   * when the model reads calendar inputs (forecast/panel/calendar.ts).
   */
  lastDates: string[];
}

export interface PanelHistory {
  /** The data file the model was trained on. */
  source: string;
  /** The value column read from it. */
  target: string;
  /** The data's frequency (null when the dates did not tell). */
  frequency: Frequency | null;
  series: PanelHistorySeries[];
}

/** Writes the model (and optionally the series it was trained on) to `path` atomically. */
export function savePanelForecaster(model: PanelForecaster, path: string, history?: PanelHistory): void {
  writeFileAtomic(path, JSON.stringify(history ? { ...model.toJSON(), history } : model.toJSON()));
}

/** True when parsed JSON is a panel model file (format "unroll-panel-model"). */
export function isPanelModelJson(json: unknown): boolean {
  return !!json && typeof json === 'object' && (json as { format?: unknown }).format === PANEL_FORMAT;
}

function checkHistory(where: string, h: unknown): PanelHistory {
  const bad = (what: string): never => {
    const sp = what.indexOf(' ');
    throw new UnrollError(`${where}: "history${what.slice(0, sp)}"${what.slice(sp)}`, 'model-file');
  };
  if (!h || typeof h !== 'object' || Array.isArray(h)) bad(' must be an object');
  const o = h as Record<string, unknown>;
  if (typeof o.source !== 'string') bad('.source must be a string');
  if (typeof o.target !== 'string') bad('.target must be a string');
  if (o.frequency !== null && !(FREQUENCIES as readonly unknown[]).includes(o.frequency)) bad(`.frequency must be null or one of ${FREQUENCIES.join(', ')}`);
  if (!Array.isArray(o.series) || o.series.length === 0) bad('.series must be a non-empty array');
  const series = o.series as unknown[];
  series.forEach((s, i) => {
    const x = s as Record<string, unknown>;
    if (!x || typeof x !== 'object' || typeof x.id !== 'string') bad(`.series[${i}].id must be a string`);
    if (!Array.isArray(x.values) || x.values.length === 0 || x.values.some((v) => typeof v !== 'number' || !Number.isFinite(v))) bad(`.series[${i}].values must be a non-empty array of finite numbers`);
    if (!Array.isArray(x.lastDates) || x.lastDates.some((d) => typeof d !== 'string')) bad(`.series[${i}].lastDates must be an array of strings`);
  });
  return o as unknown as PanelHistory;
}

/**
 * Reads a panel model file: the model (checked in full by PanelForecaster.fromJSON) and the series it
 * was trained on, when the file holds them. `file` is the model's JSON as the file holds it (without
 * `history`), so that a reader can tell a field the file records from one fromJSON filled in for an
 * older file. Any problem is an UnrollError naming the file.
 */
export function loadPanelForecaster(path: string, options: { backend?: Backend } = {}): { model: PanelForecaster; history?: PanelHistory; file: Record<string, unknown> } {
  checkOptions(options, { backend: is.object }, { where: 'loadPanelForecaster' });
  const json = readJsonFile(path);
  const where = `model file ${path}`;
  if (!isPanelModelJson(json)) throw new UnrollError(`${where}: not a panel model (expected format "${PANEL_FORMAT}", written by "unroll train --series")`, 'model-file');
  const { history, ...rest } = json as Record<string, unknown>;
  const model = PanelForecaster.fromJSON(rest, { backend: options.backend, source: path });
  return history === undefined ? { model, file: rest } : { model, history: checkHistory(where, history), file: rest };
}
