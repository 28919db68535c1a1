/**
 * Windows over many series: which window ends each series offers, seeded sampling of a mixed batch
 * across series, and packing a batch into a network's time-major input buffer with its targets.
 *
 * A window of series i ending at e reads whole chunks before e and is trained against y_e … y_{e+h−1};
 * it needs at least one whole chunk (e ≥ c) and its targets inside the span allowed (e + h ≤ limit_i).
 * Full windows (K chunks) are drawn when the series is long enough; a short series offers its longest
 * window, with fewer chunks (variable lengths: the network reads each sample to its own last step).
 * With normalisation 'hw' every window is normalised by its series' learned Holt-Winters state
 * (holt-winters.ts) and its baseline is the log of the future seasonal indices.
 * With calendar inputs (calendar.ts) each step also reads φ of its chunk's first date and of the first
 * forecast date, after its c values: c + 4F inputs per step.
 */
import type { Network } from '../../nn/model.js';
import type { Rng } from '../../util/rng.js';
import { calendarInputCount } from './calendar.js';
import { HwState, hwParamCount } from './holt-winters.js';
import { windowBaseline, windowChunks, windowInputs } from './normalise.js';
import type { PanelSettings } from './settings.js';

/** The first and last window end of a series whose targets must lie before `limit` (null: none). */
export function endRange(limit: number, s: PanelSettings): [number, number] | null {
  const eMax = limit - s.horizon;
  if (eMax < s.chunk) return null;
  const full = s.lookbackChunks * s.chunk;
  return [Math.max(s.chunk, Math.min(full, eMax)), eMax];
}

/**
 * Draws `perSeries` window ends from every series that has one (ends before `limits[i]`). Pairs (series, end).
 * When those windows would take more than s.maxEpochSteps recurrent steps (each counted as s.lookbackChunks),
 * T = ⌊maxEpochSteps / lookbackChunks⌋ windows are drawn instead: each of the N series that has a window gets
 * ⌊T/N⌋, and T mod N of them, picked at random, one more.
 */
export function sampleWindows(limits: ArrayLike<number>, s: PanelSettings, perSeries: number, rng: Rng): Int32Array {
  const pairs: number[] = [];
  const ranges: [number, number][] = [];
  const eligible: number[] = [];
  for (let i = 0; i < limits.length; i++) {
    const r = endRange(limits[i], s);
    if (r) { ranges.push(r); eligible.push(i); }
  }
  const N = eligible.length;
  const budget = epochWindows(s.maxEpochSteps, s.lookbackChunks);
  const counts = new Int32Array(N).fill(perSeries);
  if (N * perSeries > budget) {
    counts.fill(Math.floor(budget / N));
    // T mod N series, chosen by a partial Fisher–Yates shuffle of the series, draw one window more.
    const order = Int32Array.from({ length: N }, (_, u) => u);
    for (let u = 0; u < budget % N; u++) {
      const v = u + rng.int(N - u);
      const t = order[u]!; order[u] = order[v]!; order[v] = t;
      counts[order[u]!]!++;
    }
  }
  for (let u = 0; u < N; u++) {
    const r = ranges[u]!;
    for (let j = 0; j < counts[u]!; j++) pairs.push(eligible[u]!, r[0] + rng.int(r[1] - r[0] + 1));
  }
  const out = Int32Array.from(pairs);
  // Shuffle whole pairs so that batches mix series.
  const n = out.length / 2;
  for (let a = n - 1; a > 0; a--) {
    const b = rng.int(a + 1);
    const s0 = out[2 * a], e0 = out[2 * a + 1];
    out[2 * a] = out[2 * b]; out[2 * a + 1] = out[2 * b + 1];
    out[2 * b] = s0; out[2 * b + 1] = e0;
  }
  return out;
}

/** Windows an epoch may draw under maxEpochSteps (sampleWindows' T). */
export const epochWindows = (maxEpochSteps: number, lookbackChunks: number): number => Math.max(1, Math.floor(maxEpochSteps / lookbackChunks));

/** Scratch space for packing batches of up to `batch` windows. */
export class BatchPacker {
  readonly window: Float64Array;
  /** log ℓ of each packed window. */
  readonly logLevel: Float64Array;
  /** Baselines b, [B, h]. */
  readonly baseline: Float64Array;
  /** Targets z (log space, minus the baseline), [B, h]; NaN where past the series' end. */
  readonly target: Float64Array;
  /** First input index of each packed window. */
  readonly start: Int32Array;
  /** Holt-Winters state of each packed window (normalisation 'hw'). */
  readonly states: HwState[];

  /** log y_t of every series packed so far (normalisation 'hw'), taken once per series. */
  private readonly logs = new WeakMap<Float64Array, Float64Array>();

  constructor(readonly s: PanelSettings, readonly batch: number) {
    this.window = new Float64Array(s.lookbackChunks * s.chunk);
    this.logLevel = new Float64Array(batch);
    this.baseline = new Float64Array(batch * s.horizon);
    this.target = new Float64Array(batch * s.horizon);
    this.start = new Int32Array(batch);
    this.states = s.normalisation === 'hw' ? Array.from({ length: batch }, () => new HwState(s.period)) : [];
  }

  private logSeries(y: Float64Array): Float64Array {
    let l = this.logs.get(y);
    if (!l) {
      l = y.map((v) => Math.log(v));
      this.logs.set(y, l);
    }
    return l;
  }

  /**
   * Loads windows pairs[from .. from+B) into the network's input buffer (time-major, chunk per step)
   * with their levels, baselines and (where the series has them) targets. With normalisation 'hw',
   * `hwParams` holds P = hwParamCount parameters per series (series i at i·P). With calendar inputs,
   * `calendar[i]` is series i's table (calendar.ts calendarTable: 2F values for each of its dates and the
   * first forecast date).
   */
  pack(net: Network, series: readonly Float64Array[], pairs: Int32Array, from: number, B: number, hwParams?: Float64Array,
    calendar?: readonly Float64Array[] | null): void {
    const s = this.s;
    const c = s.chunk;
    const h = s.horizon;
    const D = net.inputSize;
    const F2 = calendarInputCount(s.calendar) / 2;
    if (F2 > 0 && !calendar) throw new Error('BatchPacker.pack: calendar inputs need the series\' calendar tables');
    let steps = 0;
    for (let b = 0; b < B; b++) steps = Math.max(steps, windowChunks(pairs[2 * (from + b) + 1], s));
    net.plan(B, steps);
    net.batch = B;
    net.steps = steps;
    const x = net.x;
    for (let b = 0; b < B; b++) {
      const y = series[pairs[2 * (from + b)]];
      const end = pairs[2 * (from + b) + 1];
      const chunks = windowChunks(end, s);
      net.lengths[b] = chunks;
      const start = end - chunks * c;
      this.start[b] = start;
      let logLevel: number;
      let logY: Float64Array | null = null;
      if (s.normalisation === 'hw') {
        if (!hwParams) throw new Error('BatchPacker.pack: normalisation hw needs the Holt-Winters parameters');
        const st = this.states[b]!;
        const P = hwParamCount(s);
        st.forward(y, end, hwParams, pairs[2 * (from + b)]! * P);
        logY = this.logSeries(y);
        logLevel = st.windowInputs(y, start, end, this.window, 0, logY);
        // ŝ repeats after m steps: each of its logs is taken once.
        const m = s.period;
        for (let k = 0; k < h; k++) this.baseline[b * h + k] = k < m ? st.logFutureSeason(end, k) : this.baseline[b * h + k - m]!;
      } else {
        logLevel = windowInputs(y, end, s, this.window, 0);
        windowBaseline(y, end, logLevel, s, this.baseline, b * h);
      }
      this.logLevel[b] = logLevel;
      for (let t = 0; t < steps; t++) {
        const dst = (t * B + b) * D;
        if (t < chunks) for (let d = 0; d < c; d++) x[dst + d] = this.window[t * c + d];
        else for (let d = 0; d < D; d++) x[dst + d] = 0;
      }
      if (F2 > 0) {
        // φ of each chunk's first date, then of the first forecast date (calendar.ts).
        const table = calendar![pairs[2 * (from + b)]!]!;
        for (let t = 0; t < chunks; t++) {
          const dst = (t * B + b) * D + c;
          const at = (start + t * c) * F2;
          for (let f = 0; f < F2; f++) {
            x[dst + f] = table[at + f]!;
            x[dst + F2 + f] = table[end * F2 + f]!;
          }
        }
      }
      for (let k = 0; k < h; k++) {
        this.target[b * h + k] = end + k < y.length ? (logY ? logY[end + k]! : Math.log(y[end + k])) - logLevel - this.baseline[b * h + k] : NaN;
      }
    }
  }
}
