/**
 * Training of one member network of the panel forecaster: global training over all series with
 * batches that mix series, the pinball loss in log space, Adam, clipping by global norm, and early
 * stopping on a validation window (the last h values of every series, never trained on).
 *
 * With o the network's outputs laid out [quantile q][step k], targets z (normalise.ts) and the
 * quantiles τ_0 = τ (point forecast), τ_1 … (interval bounds):
 *
 *   L = (1 / (B·h·Q)) Σ_b Σ_q Σ_k ρ_{τ_q}(z_{b,k} − o_{b,q,k}),   ρ_τ(u) = max(τ u, (τ − 1) u)
 *   ∂L/∂o = −τ_q / (B·h·Q) when u ≥ 0, (1 − τ_q) / (B·h·Q) otherwise
 *
 * The validation score is the mean absolute log error of the point forecast, mean_k |z − o_0|.
 *
 * With normalisation 'hw' each series' Holt-Winters parameters (holt-winters.ts) are learned in the same
 * steps: dL/dz = −Σ_q dL/do_q and dL/dx (the network's input gradient) flow back through the recursion,
 * with the level penalty λ·P_i averaged over the batch's windows. Only the series in a batch move, by
 * Adam with its own step count per series (bias correction 1 − β^{n_i}) and gradient clipped per series
 * at the same global norm.
 */
import type { Backend } from '../../kernels/index.js';
import { Network } from '../../nn/model.js';
import { createOptimizer } from '../../train/optimizers.js';
import { UnrollError } from '../../util/errors.js';
import { Rng } from '../../util/rng.js';
import type { PanelSettings } from './settings.js';
import type { MemberProgress, RunningMember } from './checkpoint.js';
import { calendarInputCount } from './calendar.js';
import { hwParamCount, initialHwParams } from './holt-winters.js';
import { BatchPacker, endRange, sampleWindows } from './windows.js';

export interface MemberResult {
  /** The network's parameters at its best validation epoch. */
  weights: Float64Array;
  /** The per-series Holt-Winters parameters at that epoch (normalisation 'hw'; P per series), else null. */
  hw: Float64Array | null;
  bestEpoch: number;
  /** Validation score per epoch. */
  valScores: number[];
  /** Training loss per epoch. */
  losses: number[];
}

export interface TrainContext {
  series: readonly Float64Array[];
  /** Quantiles of the outputs: τ first, then the interval bounds. */
  quantiles: readonly number[];
  backend: Backend;
  /** Each series' calendar table (calendar.ts) when the settings have calendar inputs. */
  calendar?: readonly Float64Array[] | null;
  /** Starting Holt-Winters parameters (P per series) instead of those from each series' first seasons. */
  hwStart?: Float64Array;
  /** Called after every epoch. */
  onEpoch?: (info: { member: number; epoch: number; loss: number; valScore: number }) => void;
}

/** Checkpoint hooks of one member's training (checkpoint.ts). */
export interface MemberCheckpoint {
  /** Progress saved by an earlier run to continue from. */
  resume?: RunningMember | null;
  /** Receives the member's progress at every epoch end it continues after, and mid-epoch every `everyMs`. */
  save?: (progress: MemberProgress) => void;
  /** Milliseconds between mid-epoch saves. @default Infinity */
  everyMs?: number;
  now?: () => number;
  /** Called after every batch (threads.ts collects the workers' progress there). */
  tick?: () => void;
}

export function buildNetwork(s: PanelSettings, quantiles: number, backend: Backend, seed: number): Network {
  const net = new Network({
    inputSize: s.chunk + calendarInputCount(s.calendar),
    hiddenSize: s.hiddenSize,
    numLayers: s.numLayers,
    dilations: s.dilations,
    residual: s.residual,
    cell: s.cell,
    outputSize: s.horizon * quantiles,
    outputMode: 'last',
    seed,
    backend,
  });
  // The head starts at zero: the first forecasts are the baseline (seasonal naive or the level).
  const w = net.store.find('head.weight')!;
  net.store.values.fill(0, w.offset, w.offset + w.size);
  return net;
}

/** Why no member can train when no series has c + 2h values (validationPairs is empty). */
export function tooShortToTrain(s: PanelSettings): string {
  return `panel model: no series is long enough to train on: each needs at least ${s.chunk + 2 * s.horizon} values (one chunk of ${s.chunk}, then the horizon ${s.horizon} twice: training target and validation)`;
}

/** Pairs (series, end) of the validation windows: each series' last h values, when the series has c + 2h values or more. */
export function validationPairs(series: readonly Float64Array[], s: PanelSettings): Int32Array {
  const pairs: number[] = [];
  series.forEach((y, i) => {
    // Only series that also offer a training window before their validation span take part.
    if (endRange(y.length - s.horizon, s)) pairs.push(i, y.length - s.horizon);
  });
  return Int32Array.from(pairs);
}

/** Mean absolute log error of the point outputs over the given windows. */
export function scoreWindows(net: Network, series: readonly Float64Array[], pairs: Int32Array, packer: BatchPacker, hwParams?: Float64Array,
  calendar?: readonly Float64Array[] | null): number {
  const h = net.outputSize;
  const hz = packer.s.horizon;
  let sum = 0;
  let count = 0;
  const n = pairs.length / 2;
  for (let from = 0; from < n; from += packer.batch) {
    const B = Math.min(packer.batch, n - from);
    packer.pack(net, series, pairs, from, B, hwParams, calendar);
    net.forward();
    for (let b = 0; b < B; b++) {
      for (let k = 0; k < hz; k++) {
        const z = packer.target[b * hz + k];
        if (Number.isNaN(z)) continue;
        sum += Math.abs(z - net.y[b * h + k]);
        count++;
      }
    }
  }
  return count ? sum / count : NaN;
}

export function trainMember(ctx: TrainContext, s: PanelSettings, member: number, ck: MemberCheckpoint = {}): MemberResult {
  const { series, quantiles, backend } = ctx;
  const seed = s.seed + member;
  const rng = new Rng(seed * 7919 + 13);
  const net = buildNetwork(s, quantiles.length, backend, seed);
  const n = net.store.count;
  const opt = createOptimizer(backend, n, { type: 'adam', learningRate: s.learningRate });
  const limits = series.map((y) => y.length - s.horizon);
  const valPairs = validationPairs(series, s);
  if (valPairs.length === 0) throw new UnrollError(tooShortToTrain(s), 'data');
  const packer = new BatchPacker(s, s.batchSize);
  const h = s.horizon;
  const hw = s.normalisation === 'hw' ? new HwTrainer(series, s) : null;
  if (hw && ctx.hwStart) hw.params.set(ctx.hwStart);
  let best = Infinity;
  let bestWeights = Float64Array.from(net.store.values);
  let bestHw = hw ? Float64Array.from(hw.params) : null;
  let bestEpoch = 0;
  let since = 0;
  const valScores: number[] = [];
  const losses: number[] = [];
  let firstEpoch = 1;
  let firstBatch = 0;
  let resumedLoss = 0;
  const r = ck.resume;
  if (r) {
    if (r.weights.length !== n || r.bestWeights.length !== n || (hw === null) !== (r.hw === null) || (hw === null) !== (r.bestHw === null) ||
        (hw && (r.hw!.params.length !== hw.params.length || r.bestHw!.length !== hw.params.length))) {
      throw new UnrollError(`checkpoint: member ${member + 1}'s saved weights or Holt-Winters parameters do not fit this model and data`, 'checkpoint');
    }
    net.store.values.set(r.weights);
    opt.loadState(r.optimizer);
    if (hw) hw.loadState(r.hw!);
    rng.setState(r.rng);
    best = r.best;
    bestWeights = Float64Array.from(r.bestWeights);
    bestHw = r.bestHw ? Float64Array.from(r.bestHw) : null;
    bestEpoch = r.bestEpoch;
    since = r.since;
    valScores.push(...r.valScores);
    losses.push(...r.losses);
    firstEpoch = r.epoch + 1;
    firstBatch = r.batch;
    resumedLoss = r.lossSum;
  }
  const save = ck.save;
  const now = ck.now ?? Date.now;
  const everyMs = ck.everyMs ?? Infinity;
  let lastSave = save ? now() : 0;
  // Progress after `epoch` epochs and `batch` batches of the next; `rngState` is the generator before that epoch's windows.
  const progress = (epoch: number, batch: number, lossSum: number, rngState: RunningMember['rng']): RunningMember => ({
    member, done: false, epoch, batch, rng: rngState, lossSum,
    weights: Float64Array.from(net.store.values), optimizer: opt.saveState(), hw: hw ? hw.saveState() : null,
    best, bestWeights: Float64Array.from(bestWeights), bestHw: bestHw ? Float64Array.from(bestHw) : null, bestEpoch, since,
    valScores: [...valScores], losses: [...losses],
  });
  for (let epoch = firstEpoch; epoch <= s.epochs; epoch++) {
    const rngAtStart = save ? rng.getState() : null;
    const pairs = sampleWindows(limits, s, s.windowsPerSeries, rng);
    const count = pairs.length / 2;
    const resuming = epoch === firstEpoch && firstBatch > 0;
    let lossSum = resuming ? resumedLoss : 0;
    for (let from = resuming ? firstBatch * s.batchSize : 0; from < count; from += s.batchSize) {
      const B = Math.min(s.batchSize, count - from);
      packer.pack(net, series, pairs, from, B, hw?.params, ctx.calendar);
      net.forward();
      const loss = pinball(net, packer.target, quantiles, B, h);
      lossSum += loss * B;
      backend.fill(n, 0, net.store.grads, 0);
      net.backward(hw !== null);
      if (hw) hw.step(net, packer, series, pairs, from, B, quantiles.length);
      const norm = Math.sqrt(backend.sumSquares(n, net.store.grads, 0));
      if (!Number.isFinite(norm)) throw new UnrollError('panel model: training diverged (a gradient became non-finite)', 'diverged');
      if (norm > s.clipNorm) backend.scale(n, s.clipNorm / norm, net.store.grads, 0);
      opt.step(net.store.values, net.store.grads);
      if (save && from + B < count && now() - lastSave >= everyMs) {
        save(progress(epoch - 1, (from + B) / s.batchSize, lossSum, rngAtStart!));
        lastSave = now();
      }
      ck.tick?.();
    }
    const loss = lossSum / count;
    const valScore = scoreWindows(net, series, valPairs, packer, hw?.params, ctx.calendar);
    losses.push(loss);
    valScores.push(valScore);
    ctx.onEpoch?.({ member, epoch, loss, valScore });
    if (valScore < best) {
      best = valScore;
      bestWeights = Float64Array.from(net.store.values);
      if (hw) bestHw = Float64Array.from(hw.params);
      bestEpoch = epoch;
      since = 0;
    } else if (++since >= s.patience) break;
    if (save && epoch < s.epochs) {
      save(progress(epoch, 0, 0, rng.getState()));
      lastSave = now();
    }
  }
  return { weights: bestWeights, hw: bestHw, bestEpoch, valScores, losses };
}

/**
 * The pinball loss of a packed batch (mean over windows, steps and quantiles) from the network's outputs,
 * with its gradient written to net.dy.
 */
export function pinball(net: Network, target: Float64Array, quantiles: readonly number[], B: number, h: number): number {
  const Q = quantiles.length;
  const K = h * Q;
  const y = net.y;
  const dy = net.dy;
  const scale = 1 / (B * h * Q);
  let loss = 0;
  for (let b = 0; b < B; b++) {
    for (let q = 0; q < Q; q++) {
      const tau = quantiles[q]!;
      for (let k = 0; k < h; k++) {
        const u = target[b * h + k]! - y[b * K + q * h + k]!;
        loss += u >= 0 ? tau * u : (tau - 1) * u;
        dy[b * K + q * h + k] = (u >= 0 ? -tau : 1 - tau) * scale;
      }
    }
  }
  return loss * scale;
}

const BETA1 = 0.9;
const BETA2 = 0.999;
const EPS = 1e-8;

/** The per-series Holt-Winters parameters of one member and their sparse Adam (see the header). */
export class HwTrainer {
  readonly P: number;
  readonly params: Float64Array;
  /** Gradient of the last step's series (others hold stale values). */
  readonly grad: Float64Array;
  private readonly m1: Float64Array;
  private readonly m2: Float64Array;
  private readonly steps: Int32Array;
  private readonly touched: Int32Array;
  private readonly mark: Uint8Array;
  private dxw: Float64Array;
  private readonly dz: Float64Array;
  /** Penalty of the last step (sum over its windows of λ·P_i / B). */
  penalty = 0;

  /** Copies of the parameters and their Adam state (for checkpoints). */
  saveState(): { params: Float64Array; m1: Float64Array; m2: Float64Array; steps: Int32Array } {
    return { params: Float64Array.from(this.params), m1: Float64Array.from(this.m1), m2: Float64Array.from(this.m2), steps: Int32Array.from(this.steps) };
  }

  /** Restores a state from saveState (same series count). */
  loadState(st: { params: Float64Array; m1: Float64Array; m2: Float64Array; steps: Int32Array }): void {
    if (st.params.length !== this.params.length || st.m1.length !== this.m1.length || st.m2.length !== this.m2.length || st.steps.length !== this.steps.length) {
      throw new UnrollError('checkpoint: the saved Holt-Winters state does not fit this model and data', 'checkpoint');
    }
    this.params.set(st.params);
    this.m1.set(st.m1);
    this.m2.set(st.m2);
    this.steps.set(st.steps);
  }

  constructor(series: readonly Float64Array[], readonly s: PanelSettings) {
    this.P = hwParamCount(s);
    const n = series.length;
    this.params = new Float64Array(n * this.P);
    series.forEach((y, i) => initialHwParams(y, s, this.params, i * this.P));
    this.grad = new Float64Array(n * this.P);
    this.m1 = new Float64Array(n * this.P);
    this.m2 = new Float64Array(n * this.P);
    this.steps = new Int32Array(n);
    this.touched = new Int32Array(s.batchSize);
    this.mark = new Uint8Array(n);
    this.dxw = new Float64Array(s.lookbackChunks * s.chunk);
    this.dz = new Float64Array(s.horizon);
  }

  /**
   * After the network's backward pass (with its input gradient): the gradient of every packed window
   * through its Holt-Winters state, the level penalty, and one Adam step of the series involved.
   */
  step(net: Network, packer: BatchPacker, series: readonly Float64Array[], pairs: Int32Array, from: number, B: number, Q: number, update = true): void {
    const s = this.s;
    const c = s.chunk;
    const h = s.horizon;
    const P = this.P;
    const K = h * Q;
    const D = net.inputSize;
    let touched = 0;
    this.penalty = 0;
    for (let b = 0; b < B; b++) {
      const i = pairs[2 * (from + b)]!;
      const end = pairs[2 * (from + b) + 1]!;
      const start = packer.start[b]!;
      const chunks = (end - start) / c;
      for (let j = 0; j < chunks; j++) {
        for (let d = 0; d < c; d++) this.dxw[j * c + d] = net.dx[(j * B + b) * D + d]!;
      }
      for (let k = 0; k < h; k++) {
        let g = 0;
        for (let q = 0; q < Q; q++) g -= net.dy[b * K + q * h + k]!;
        this.dz[k] = Number.isNaN(packer.target[b * h + k]!) ? 0 : g;
      }
      const st = packer.states[b]!;
      st.addWindowGradient(start, end, this.dxw, this.dz, h);
      this.penalty += st.addPenalty(s.levelPenalty / B);
      if (!this.mark[i]) {
        this.mark[i] = 1;
        this.touched[touched++] = i;
        this.grad.fill(0, i * P, (i + 1) * P);
      }
      st.backward(series[i]!, this.grad, i * P);
    }
    const lr = s.hwLearningRate;
    for (let u = 0; u < touched; u++) {
      const i = this.touched[u]!;
      this.mark[i] = 0;
      if (!update) continue;
      const n = ++this.steps[i]!;
      let norm = 0;
      for (let p = i * P; p < (i + 1) * P; p++) norm += this.grad[p]! * this.grad[p]!;
      norm = Math.sqrt(norm);
      if (!Number.isFinite(norm)) throw new UnrollError('panel model: training diverged (a Holt-Winters gradient became non-finite)', 'diverged');
      const clip = norm > s.clipNorm ? s.clipNorm / norm : 1;
      const c1 = 1 - BETA1 ** n;
      const c2 = 1 - BETA2 ** n;
      for (let p = i * P; p < (i + 1) * P; p++) {
        const g = this.grad[p]! * clip;
        this.m1[p] = BETA1 * this.m1[p]! + (1 - BETA1) * g;
        this.m2[p] = BETA2 * this.m2[p]! + (1 - BETA2) * g * g;
        this.params[p]! -= (lr * this.m1[p]! / c1) / (Math.sqrt(this.m2[p]! / c2) + EPS);
      }
    }
  }
}
