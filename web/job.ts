/**
 * The playground's work, run inside the Web Worker: parse the CSV, train a Forecaster, evaluate it
 * one step ahead on the held-out rows beside the baselines and the classical benchmarks, at the
 * data's own frequency (inferred from its dates), and forecast past the end of the data.
 * Everything the page shows comes from here as plain messages (see protocol.ts).
 */
import {
  Forecaster, M4_BENCHMARKS, UnrollError, defaultBenchmarks, aheadWord, createWasmBackend, evaluateForecast, holdoutEvaluation, inferFrequency, nextDates, parseCsvFrame,
  referenceBackend, stepWord, usablePeriod, type Backend, type ForecastMethod, type ForecasterOptions, type Frame, type Frequency,
} from '../src/index.js';
import type { CsvChoices, FromWorker, MetricsRow, StepWords, TrainSettings } from './protocol.js';

/** History rows shown before the test span in the forecast chart. */
export const CONTEXT_ROWS = 60;

type Post = (message: FromWorker) => void;

const DEFAULT_CHOICES: CsvChoices = { sort: false, missing: 'error', columns: [] };

export function parse(csv: string, source: string, choices: CsvChoices = DEFAULT_CHOICES): Frame {
  const frame = parseCsvFrame(csv, { source, sort: choices.sort, missing: choices.missing, columns: choices.columns.length > 0 ? choices.columns : undefined });
  if (frame.names.length === 0) throw new UnrollError(`${source}: no numeric columns besides the dates; expected at least one column of values`, 'data');
  return frame;
}

/** The data's frequency and its words; the seasonal period when `trainRows` rows hold two seasons. */
export function stepWords(dates: readonly string[], trainRows: number): StepWords {
  const f: Frequency | null = inferFrequency(dates);
  return { frequency: f, one: stepWord(f, 1), many: stepWord(f, 2), ahead: aheadWord(f), period: usablePeriod(f, trainRows) };
}

export function inspect(csv: string, source: string, post: Post, choices: CsvChoices = DEFAULT_CHOICES): void {
  const frame = parse(csv, source, choices);
  const n = frame.dates.length;
  post({ type: 'inspected', source, rows: n, first: frame.dates[0], last: frame.dates[n - 1], columns: frame.names, step: stepWords(frame.dates, n) });
}

/** Rows each classical benchmark is fitted on before every test row (at least ten seasons). */
export const BENCHMARK_WINDOW = 500;

/**
 * The classical benchmarks behind the methods contract (src/forecast/methods), one step ahead over
 * the test span like every other row: at each test row t the method is fitted on the last
 * W = max(BENCHMARK_WINDOW, 10·m) values y_{t−W} … y_{t−1} (all of them when fewer) and forecasts y_t.
 * The window keeps a page's refits quick on long daily files (a fit on 5,000 rows takes 30–120 ms
 * per method in V8; on 500 rows at most a few). Naive and seasonal naive are left out here: they
 * are already rows of the table.
 */
export function benchmarkForecasts(history: Float64Array, start: number, period: number, methods: readonly ForecastMethod[] = M4_BENCHMARKS): { name: string; predicted: Float64Array }[] {
  const out: { name: string; predicted: Float64Array }[] = [];
  const window = Math.max(BENCHMARK_WINDOW, 10 * period);
  for (const method of methods) {
    if (method.name === 'naive' || method.name === 'snaive') continue;
    const predicted = new Float64Array(history.length - start);
    for (let t = start; t < history.length; t++) predicted[t - start] = method.fit(history.subarray(Math.max(0, t - window), t), { period }).forecast(1).mean[0];
    out.push({ name: method.name, predicted });
  }
  return out;
}

/** A method fitted on the last W = max(BENCHMARK_WINDOW, 10·m) values of the history it is given. */
function windowed(method: ForecastMethod, period: number): ForecastMethod {
  const w = Math.max(BENCHMARK_WINDOW, 10 * period);
  return { name: method.name, fit: (y, o) => method.fit(y.length > w ? Array.prototype.slice.call(y, y.length - w) as number[] : y, o) };
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
    throw new UnrollError(`"Target column" is "${s.target}", which is not a column of ${frame.source}; expected one of ${frame.names.join(', ')}`, 'option');
  }
  if (s.input !== 'level' && s.input !== 'logReturn') throw new UnrollError(`"Inputs" is "${String(s.input)}"; expected log-returns or level`, 'option');
  if (!['lstm', 'gru', 'elman'].includes(s.cell)) throw new UnrollError(`"Cell" is "${String(s.cell)}"; expected LSTM, GRU or Elman`, 'option');
  if (s.backend !== 'wasm' && s.backend !== 'reference') throw new UnrollError(`"Kernels" is "${String(s.backend)}"; expected wasm or reference`, 'option');
  checkInt('"Hidden size"', s.hiddenSize, 1, 512);
  checkInt('"Epochs"', s.epochs, 1, 1000);
  checkInt('"Patience"', s.patience, 0, 1000);
  checkInt('the forecast horizon', s.horizon, 1, 60);
  const rows = frame.dates.length;
  checkInt('"Lookback"', s.lookback, 1, 365);
  checkInt('"Test rows"', s.testRows, 10, Math.max(10, rows - 1));
  const trainRows = rows - s.testRows;
  const needed = s.lookback + 20;
  if (trainRows < needed) {
    throw new UnrollError(`${frame.source} has ${rows} rows; with ${s.testRows} "Test rows" that leaves ${trainRows} for training, but a "Lookback" of ${s.lookback} needs at least ${needed}. Lower "Test rows" (to at most ${Math.max(10, rows - needed)}) or "Lookback"`, 'option');
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
    training: { epochs: s.epochs, batchSize: 64, learningRate: 0.002, validationSplit: 0.1, patience: s.patience, clipNorm: 1, seed: 42 },
    intervalLevel: 0.9,
    // The playground keeps one training run with one progress message per epoch: conformal intervals on
    // held-out rows, no refit (the library's default, 'cqr' with calibrationRefit, trains twice).
    intervalMethod: 'conformal',
    calibrationRefit: false,
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
  const frame = parse(csv, source, s.csv);
  checkSettings(s, frame);
  const rows = frame.dates.length;
  const testStart = rows - s.testRows;
  const step = stepWords(frame.dates, testStart);
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
  // Every benchmark (M4's, ETS, ARIMA, drift, moving average) runs inside the evaluation, each fitted
  // on the last W = max(BENCHMARK_WINDOW, 10·m) values before every test row to keep a page quick.
  const [ev] = holdoutEvaluation(f, frame, testStart, { modelName, period: step.period, benchmarks: defaultBenchmarks().map((m) => windowed(m, step.period)) });
  // The test span is history now: the future's intervals are calibrated on its errors.
  f.recalibrate(frame, Math.max(10, rows - testStart));
  const points = Object.values(f.forecast(frame, s.horizon))[0];
  const history = f.seriesValues(frame)[0];
  const testFirst = history.dates.indexOf(ev.dates[0]);
  const from = Math.max(0, testFirst - CONTEXT_ROWS);
  const methods = ev.methods;
  const metrics: MetricsRow[] = methods.map((m) => ({
    name: m.label, role: m.role, mae: m.metrics.mae, rmse: m.metrics.rmse, mape: m.metrics.mape, mase: m.metrics.mase,
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
    step,
    test: { dates: ev.dates, actual: toArray(ev.actual), methods: methods.map((m) => ({ name: m.label, role: m.role, predicted: toArray(m.predicted) })) },
    context: { dates: history.dates.slice(from, testFirst), values: toArray(history.values.subarray(from, testFirst)) },
    metrics,
    verdict: ev.verdict,
    beatsNaive: ev.beatsNaive,
    future: {
      level: f.options.intervalLevel,
      dates: nextDates(history.dates, s.horizon, step.frequency as Frequency | null),
      value: points.map((p) => p.value), lower: points.map((p) => p.lower), upper: points.map((p) => p.upper),
    },
  });
}

/**
 * The library's messages name API options (`pass sort: true`, `option "validationSplit"`); the page
 * has controls instead. This names the control on the page that changes the thing.
 */
export function pageVocabulary(message: string): string {
  return message
    .replace(/\(sort the file, or pass sort: true\)/g, '(sort the file, or tick "Sort rows by date")')
    .replace(/pass missing: 'ffill' or 'drop'/g, 'choose "carry the last value forward" or "drop the row" under "Missing cells"')
    .replace(/pass missing: 'drop'/g, 'choose "drop the row" under "Missing cells"')
    .replace(/so missing: 'drop' leaves nothing/g, 'so "drop the row" under "Missing cells" leaves nothing')
    .replace(/option "missing" is/g, '"Missing cells" is')
    .replace(/with the "columns" option/g, 'in the "Columns" box (e.g. close)')
    .replace(/option "columns"/g, 'the "Columns" box')
    .replace(/option "(?:training\.)?validationSplit" is [^;]+; expected a fraction that leaves at least 1 sample on each side \(there are (\d+) samples\)/g,
      'too few training windows ($1) to hold out the latest 10% for validation; lower "Test rows" or "Lookback"')
    .replace(/option "lookback"/g, '"Lookback"')
    .replace(/option "(?:model\.)?hiddenSize"/g, '"Hidden size"')
    .replace(/option "target"/g, '"Target column"');
}

/** A message for the page: UnrollError messages in the page's words; anything else marked unexpected. */
export function errorMessage(e: unknown): { message: string; code: string } {
  if (e instanceof UnrollError) return { message: pageVocabulary(e.message), code: e.code };
  const text = e instanceof Error ? e.message : String(e);
  return { message: `unexpected error: ${text}`, code: 'internal' };
}
