/**
 * The same small workload for Node and for a browser (src/web/browser.test.ts runs it in both and
 * compares): parse a CSV from text, train small LSTM and GRU networks on a few variable-length
 * sequences, predict, fit a Forecaster, and catch an UnrollError. It reaches the library only
 * through the `unroll` argument (the public main entry), so the browser bundle of it proves that
 * entry works there.
 */
import type * as Unroll from '../index.js';

export interface ProbeResult {
  backend: string;
  dtype: string;
  networks: { cell: string; losses: number[]; predictions: number[][] }[];
  /** The parsed CSV (dates and values): plain parsing, the same bits on any engine. */
  frame: { dates: string[]; values: number[] };
  forecaster: { oneStep: number[]; forecast: number[] };
  csvError: { name: string; message: string };
}

/** A deterministic daily series as CSV text (a seeded random walk), `rows` business days long. */
export function probeCsv(unroll: typeof Unroll, rows: number): string {
  const rng = new unroll.Rng(11);
  const lines = ['date,close'];
  const d = new Date(Date.UTC(2021, 0, 4));
  let price = 100;
  while (lines.length <= rows) {
    const wd = d.getUTCDay();
    if (wd !== 0 && wd !== 6) {
      price *= Math.exp(0.0005 + 0.01 * rng.normal());
      lines.push(`${d.toISOString().slice(0, 10)},${price.toFixed(4)}`);
    }
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return lines.join('\n') + '\n';
}

/**
 * Math.exp, Math.log and Math.pow on a fixed sample: engines (V8 versions) may differ in the last
 * bit of these, and the float64 results can then differ by rounding too.
 */
export function mathSample(): number[] {
  const out: number[] = [];
  for (let i = 0; i < 400; i++) {
    const x = (i - 200) / 37.3;
    out.push(Math.exp(x), Math.log(Math.abs(x) + 0.1), Math.pow(1.01 + i / 500, x), Math.tanh(x));
  }
  return out;
}

/** Sequences of two noisy sines with lengths 3..8; the target is the next value of the first. */
function sequences(unroll: typeof Unroll, count: number, seed: number): { x: number[][][]; y: number[][] } {
  const rng = new unroll.Rng(seed);
  const x: number[][][] = [];
  const y: number[][] = [];
  for (let i = 0; i < count; i++) {
    const len = 3 + rng.int(6);
    const phase = rng.uniform(0, 2 * Math.PI);
    const seq: number[][] = [];
    for (let t = 0; t < len; t++) seq.push([Math.sin(phase + 0.5 * t), Math.cos(phase + 0.3 * t) + 0.05 * rng.normal()]);
    x.push(seq);
    y.push([Math.sin(phase + 0.5 * len)]);
  }
  return { x, y };
}

export function probe(unroll: typeof Unroll, backend: Unroll.Backend): ProbeResult {
  const train = sequences(unroll, 24, 1);
  const test = sequences(unroll, 6, 2);
  const networks = (['lstm', 'gru'] as const).map((cell) => {
    const model = new unroll.RNN({ inputSize: 2, hiddenSize: 5, cell, seed: 7, backend });
    const history = model.fit(train.x, train.y, { epochs: 4, batchSize: 8, seed: 3, optimizer: { type: 'adam', learningRate: 0.01 } });
    return { cell, losses: history.epochs.map((e) => e.loss), predictions: model.predict(test.x) as number[][] };
  });

  const frame = unroll.parseCsvFrame(probeCsv(unroll, 160), { source: 'probe.csv' });
  const f = new unroll.Forecaster(
    { features: ['logReturn:close'], predict: 'return', scaler: 'standard', lookback: 8, model: { cell: 'lstm', hiddenSize: 4 }, training: { epochs: 2, batchSize: 16, seed: 5 } },
    { backend },
  );
  f.fit(frame, { trainEnd: 130 });
  const [oneStep] = f.predictSpan(frame, { start: 130 });
  const forecast = f.forecast(frame, 3).series.map((p) => p.value);

  let csvError = { name: '', message: '' };
  try {
    unroll.parseCsvFrame('date,close\n2021-01-04,1\n2021-01-05,abc\n', { source: 'bad.csv' });
  } catch (e) {
    csvError = { name: (e as Error).name, message: (e as Error).message };
  }
  const parsed = { dates: frame.dates, values: Array.from(unroll.getColumn(frame, 'close')) };
  return { backend: backend.name, dtype: backend.dtype, networks, frame: parsed, forecaster: { oneStep: Array.from(oneStep.predicted), forecast }, csvError };
}
