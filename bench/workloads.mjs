// The workloads of issue 4, shared by every participant (the Python peer mirrors these numbers).
// All float32 (unroll's fast backend, tfjs, torch); brain.js computes in float32 too (Float32Array).

/** @typedef {{ id: string, name: string, cell: 'lstm'|'rnn'|'gru', D: number, H: number, T: number, B: number, K: number, samples: number, inferBatch: number, perStep: boolean, activation: string, layers?: number, dilations?: number[], quantiles?: number[] }} Workload */

/** @type {Record<string, Workload>} */
export const WORKLOADS = {
  W1: { id: 'W1', name: 'stock-lstm', cell: 'lstm', D: 4, H: 64, T: 30, B: 64, K: 1, samples: 8192, inferBatch: 256, perStep: false, activation: 'tanh' },
  W2: { id: 'W2', name: 'stock-rnn', cell: 'rnn', D: 4, H: 64, T: 30, B: 64, K: 1, samples: 8192, inferBatch: 256, perStep: false, activation: 'tanh' },
  W3: { id: 'W3', name: 'char-lstm', cell: 'lstm', D: 65, H: 256, T: 64, B: 32, K: 65, samples: 256, inferBatch: 32, perStep: true, activation: 'tanh' },
  W4: { id: 'W4', name: 'tiny-latency', cell: 'rnn', D: 1, H: 1, T: 3, B: 1, K: 1, samples: 1, inferBatch: 1, perStep: false, activation: 'relu' },
  // The M4 panel forecaster's network (issue 10): windows of T days of D = 24 hourly values, a stacked
  // (optionally dilated) GRU, a dense head of 48 steps × 3 quantile levels, the pinball loss.
  // It trains as the forecaster does by default: each window is normalised by its series' learned Holt-Winters
  // level and seasonal indices (recursion forward over the series' history up to the window's end and back,
  // per-series parameters with their own Adam, level penalty), see `panel` and makePanel.
  W5: { id: 'W5', name: 'panel-gru', cell: 'gru', D: 24, H: 64, T: 8, B: 64, K: 144, samples: 8192, inferBatch: 256, perStep: false, activation: 'tanh',
    layers: 2, dilations: [1, 1], quantiles: [0.5, 0.025, 0.975],
    panel: { series: 414, period: 24, horizon: 48, windowsPerSeries: 16, levelPenalty: 10, hwLearningRate: 0.01 } },
};

/** What each workload measures: metric → unit. Throughputs are higher-better, latency lower-better. */
export const METRICS = {
  W1: { train: 'samples/s', infer: 'samples/s' },
  W2: { train: 'samples/s', infer: 'samples/s' },
  W3: { train: 'tokens/s' },
  W4: { latency: 'µs' },
  W5: { train: 'windows/s' },
};

/**
 * The targets of issue 4, checked on every report (a ratio is "times faster than the peer", as
 * in the table): `min` bounds a ratio against `peer`, `maxValue` bounds unroll's own figure.
 */
export const TARGETS = [
  { workload: 'W1', metric: 'train', peer: 'pytorch', min: 1 },
  { workload: 'W3', metric: 'train', peer: 'pytorch', min: 1 },
  { workload: 'W1', metric: 'train', peer: 'tfjs-wasm', min: 10 },
  { workload: 'W3', metric: 'train', peer: 'tfjs-wasm', min: 10 },
  { workload: 'W1', metric: 'infer', peer: 'pytorch', min: 1 },
  { workload: 'W2', metric: 'infer', peer: 'pytorch', min: 1 },
  { workload: 'W4', metric: 'latency', maxValue: 0.5 },
  { workload: 'W4', metric: 'latency', peer: 'brain.js', min: 2 },
  { workload: 'W5', metric: 'train', peer: 'pytorch', min: 1 },
];

/** Each target with what the report shows: { ...target, label, value, met } (met null when not measured). */
export function checkTargets(workloads) {
  return TARGETS.map((t) => {
    const m = workloads?.[t.workload]?.metrics?.[t.metric];
    const value = t.peer ? m?.ratios?.[t.peer] : m?.figures?.unroll;
    const label = t.peer ? `${t.workload} ${t.metric} ≥ ${t.min}× ${t.peer}` : `${t.workload} ${t.metric} ≤ ${t.maxValue} ${m?.unit ?? ''}`.trim();
    const met = value == null ? null : t.peer ? value >= t.min : value <= t.maxValue;
    return { ...t, label, value: value ?? null, met };
  });
}

/** Time budgets in seconds. V8 runs new WebAssembly at about half speed for its first 0.3-0.5 s, hence the warm-up. */
export function budgets(quick) {
  return quick ? { warmup: 0.6, seconds: 0.5, repeats: 3 } : { warmup: 1.5, seconds: 2, repeats: 5 };
}

/** A small deterministic generator (so every participant trains on the same kind of numbers). */
export function lcg(seed = 1) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
}

/**
 * Synthetic data for a workload, batch-major: x [N, T, D] and y ([N, K] regression, or
 * [N, T] class indices for W3). Stock workloads get a normalised random-walk OHLC series.
 */
export function makeData(w, count) {
  const rnd = lcg(7);
  const x = new Float32Array(count * w.T * w.D);
  if (w.perStep) {
    const y = new Int32Array(count * w.T);
    for (let n = 0; n < count; n++) for (let t = 0; t < w.T; t++) {
      const c = Math.floor(rnd() * w.D);
      x[(n * w.T + t) * w.D + c] = 1;
      y[n * w.T + t] = Math.floor(rnd() * w.K);
    }
    return { x, y };
  }
  const y = new Float32Array(count * w.K);
  for (let n = 0; n < count; n++) {
    let price = 0;
    for (let t = 0; t < w.T; t++) {
      price += (rnd() - 0.5) * 0.1;
      for (let d = 0; d < w.D; d++) x[(n * w.T + t) * w.D + d] = price + (rnd() - 0.5) * 0.02;
    }
    for (let k = 0; k < w.K; k++) y[n * w.K + k] = price + (rnd() - 0.5) * 0.1;
  }
  return { x, y };
}

/**
 * W5's synthetic panel, the same on every side (bench/torch_bench.py computes it with the same integer and
 * sine formulas): N series of M4 Hourly's lengths (700 … 1008 values), series i of length
 * n_i = 700 + (37·i mod 309), with a daily (m = 24) multiplicative season, a slow trend and bounded noise:
 *
 *   y_{i,t} = (10 + i) · (1 + 0.3 sin(2π t / 24 + i)) · (1 + 0.0005 t) · (1 + 0.1 (frac(43758.5453 · sin(12.9898 t + 78.233 i)) − 0.5))
 *
 * and the training windows in a fixed order that mixes series: window k (k = 0 … N·W − 1) belongs to series
 * i = k mod N and ends at e = L + ((7919·j + 104729·i) mod (n_i − 2h − L + 1)), j = ⌊k / N⌋, L = T·D: ends
 * spread over [L, n_i − 2h] as the forecaster draws them (its last h values held out for validation).
 * Returns { series: number[][], pairs: Int32Array (series, end) }.
 */
export function makePanel(w) {
  const { series: N, period: m, horizon: h, windowsPerSeries: W } = w.panel;
  const L = w.T * w.D;
  const series = [];
  for (let i = 0; i < N; i++) {
    const n = 700 + ((37 * i) % 309);
    const y = new Array(n);
    for (let t = 0; t < n; t++) {
      const r = 43758.5453 * Math.sin(12.9898 * t + 78.233 * i);
      y[t] = (10 + i) * (1 + 0.3 * Math.sin((2 * Math.PI * t) / m + i)) * (1 + 0.0005 * t) * (1 + 0.1 * (r - Math.floor(r) - 0.5));
    }
    series.push(y);
  }
  const pairs = new Int32Array(2 * N * W);
  for (let k = 0; k < N * W; k++) {
    const i = k % N;
    const j = Math.floor(k / N);
    const span = series[i].length - 2 * h - L + 1;
    pairs[2 * k] = i;
    pairs[2 * k + 1] = L + ((7919 * j + 104729 * i) % span);
  }
  return { series, pairs };
}
