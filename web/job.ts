/**
 * The playground's work, run inside the Web Worker: parse the CSV, train a Forecaster, evaluate it
 * one day ahead on the held-out rows beside the baselines, and forecast past the end of the data.
 * Everything the page shows comes from here as plain messages (see protocol.ts).
 */
import {
  Forecaster, UnrollError, createWasmBackend, holdoutEvaluation, nextDates, parseCsvFrame, referenceBackend,
  type Backend, type ForecasterOptions, type Frame,
} from '../src/index.js';
import type { FromWorker, MetricsRow, TrainSettings } from './protocol.js';

/** History rows shown before the test span in the forecast chart. */
export const CONTEXT_ROWS = 60;

type Post = (message: FromWorker) => void;

export function parse(csv: string, source: string): Frame {
  const frame = parseCsvFrame(csv, { source });
  if (frame.names.length === 0) throw new UnrollError(`${source}: no numeric columns besides the dates; expected at least one column of prices`, 'data');
  return frame;
}

export function inspect(csv: string, source: string, post: Post): void {
  const frame = parse(csv, source);
  const n = frame.dates.length;
  post({ type: 'inspected', source, rows: n, first: frame.dates[0], last: frame.dates[n - 1], columns: frame.names });
}

function checkInt(label: string, v: unknown, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new UnrollError(`${label} is ${String(v)}; expected a whole number from ${min} to ${max}`, 'option');
  }
  return v;
}

/** Checks the form's choices against the data; every message names the field. */
export function checkSettings(s: TrainSettings, frame: Frame): void {
  if (!frame.names.includes(s.target)) {
    throw new UnrollError(`target column "${s.target}" is not in ${frame.source}; expected one of ${frame.names.join(', ')}`, 'option');
  }
  if (s.input !== 'level' && s.input !== 'logReturn') throw new UnrollError(`inputs "${String(s.input)}" is unknown; expected level or logReturn`, 'option');
  if (!['lstm', 'gru', 'elman'].includes(s.cell)) throw new UnrollError(`cell "${String(s.cell)}" is unknown; expected lstm, gru or elman`, 'option');
  if (s.backend !== 'wasm' && s.backend !== 'reference') throw new UnrollError(`backend "${String(s.backend)}" is unknown; expected wasm or reference`, 'option');
  checkInt('hidden size', s.hiddenSize, 1, 512);
  checkInt('epochs', s.epochs, 1, 1000);
  checkInt('horizon', s.horizon, 1, 60);
  const rows = frame.dates.length;
  checkInt('lookback', s.lookback, 1, 365);
  checkInt('test rows', s.testRows, 10, Math.max(10, rows - 1));
  const trainRows = rows - s.testRows;
  const needed = s.lookback + 20;
  if (trainRows < needed) {
    throw new UnrollError(`${frame.source} has ${rows} rows; with ${s.testRows} test rows that leaves ${trainRows} for training, but lookback ${s.lookback} needs at least ${needed}. Use fewer test rows or a shorter lookback`, 'option');
  }
}

/** The Forecaster options for the form's choices (the main job's defaults otherwise). */
export function forecasterOptions(s: TrainSettings): ForecasterOptions {
  const returns = s.input === 'logReturn';
  return {
    target: s.target,
    features: [returns ? `logReturn:${s.target}` : s.target],
    predict: returns ? 'return' : 'value',
    scaler: returns ? 'standard' : 'minmax',
    lookback: s.lookback,
    model: { cell: s.cell, hiddenSize: s.hiddenSize },
    training: { epochs: s.epochs, batchSize: 64, learningRate: 0.002, validationSplit: 0.1, patience: 6, clipNorm: 1, seed: 42 },
    intervalLevel: 0.9,
  };
}

async function chooseBackend(name: TrainSettings['backend'], post: Post): Promise<Backend> {
  if (name === 'reference') return referenceBackend();
  return createWasmBackend({ notice: (message) => post({ type: 'notice', message }) });
}

const toArray = (a: ArrayLike<number>): number[] => Array.from(a);

/**
 * Trains and evaluates. `stopRequested` is polled after every batch; once it says yes, fit's
 * AbortSignal is aborted, training ends after the current epoch, and the model trained so far is
 * evaluated as usual (the result says `stopped`).
 */
export async function train(csv: string, source: string, s: TrainSettings, io: { post: Post; stopRequested?: () => boolean; now?: () => number }): Promise<void> {
  const { post } = io;
  const now = io.now ?? ((): number => Date.now());
  const controller = new AbortController();
  const started = now();
  const frame = parse(csv, source);
  checkSettings(s, frame);
  const rows = frame.dates.length;
  const testStart = rows - s.testRows;
  const backend = await chooseBackend(s.backend, post);
  const f = new Forecaster(forecasterOptions(s), { backend });

  let announced = false;
  let lastBatchPost = 0;
  const announce = (): void => {
    if (announced) return;
    announced = true;
    post({
      type: 'started', backend: backend.name, parameters: f.model?.parameterCount ?? 0, epochs: s.epochs,
      trainRange: [frame.dates[0], frame.dates[testStart - 1]], testRange: [frame.dates[testStart], frame.dates[rows - 1]],
    });
  };
  const report = f.fit(frame, {
    trainEnd: testStart,
    signal: controller.signal,
    onBatchEnd: (b) => {
      announce();
      if (!controller.signal.aborted && io.stopRequested?.()) controller.abort();
      const t = now();
      if (t - lastBatchPost >= 200 || b.batch === b.batches) {
        lastBatchPost = t;
        post({ type: 'batch', ...b });
      }
    },
    onEpochEnd: (log) => post({ type: 'epoch', epoch: log.epoch, loss: log.loss, valLoss: log.valLoss ?? null }),
  });
  announce();

  const modelName = `${s.cell === 'lstm' ? 'LSTM' : s.cell === 'gru' ? 'GRU' : 'Elman RNN'} (${s.hiddenSize} units)`;
  const [ev] = holdoutEvaluation(f, frame, testStart, { modelName });
  // The test span is history now: the future's intervals are calibrated on its errors.
  f.recalibrate(frame, Math.max(10, rows - testStart));
  const points = Object.values(f.forecast(frame, s.horizon))[0];
  const history = f.seriesValues(frame)[0];
  const testFirst = history.dates.indexOf(ev.dates[0]);
  const from = Math.max(0, testFirst - CONTEXT_ROWS);
  const metrics: MetricsRow[] = ev.methods.map((m) => ({
    name: m.name, role: m.role, mae: m.metrics.mae, rmse: m.metrics.rmse, mape: m.metrics.mape, mase: m.metrics.mase,
    theilU: m.metrics.theilU, directionalAccuracy: m.metrics.directionalAccuracy,
  }));
  post({
    type: 'result',
    stopped: report.history.aborted,
    backend: backend.name,
    epochsRun: report.history.epochs.length,
    parameters: f.model!.parameterCount,
    seconds: (now() - started) / 1000,
    target: s.target,
    test: { dates: ev.dates, actual: toArray(ev.actual), methods: ev.methods.map((m) => ({ name: m.name, role: m.role, predicted: toArray(m.predicted) })) },
    context: { dates: history.dates.slice(from, testFirst), values: toArray(history.values.subarray(from, testFirst)) },
    metrics,
    verdict: ev.verdict,
    beatsNaive: ev.beatsNaive,
    future: {
      level: f.options.intervalLevel,
      dates: nextDates(history.dates, s.horizon),
      value: points.map((p) => p.value), lower: points.map((p) => p.lower), upper: points.map((p) => p.upper),
    },
  });
}

/** A message for the page: UnrollError messages as they are; anything else marked unexpected. */
export function errorMessage(e: unknown): { message: string; code: string } {
  if (e instanceof UnrollError) return { message: e.message, code: e.code };
  const text = e instanceof Error ? e.message : String(e);
  return { message: `unexpected error: ${text}`, code: 'internal' };
}
