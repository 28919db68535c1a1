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
 */
import type { Backend } from '../../kernels/index.js';
import { Network } from '../../nn/model.js';
import { createOptimizer } from '../../train/optimizers.js';
import { UnrollError } from '../../util/errors.js';
import { Rng } from '../../util/rng.js';
import type { PanelSettings } from './settings.js';
import { BatchPacker, endRange, sampleWindows } from './windows.js';

export interface MemberResult {
  /** The network's parameters at its best validation epoch. */
  weights: Float64Array;
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
  /** Called after every epoch. */
  onEpoch?: (info: { member: number; epoch: number; loss: number; valScore: number }) => void;
}

export function buildNetwork(s: PanelSettings, quantiles: number, backend: Backend, seed: number): Network {
  const net = new Network({
    inputSize: s.chunk,
    hiddenSize: s.hiddenSize,
    numLayers: s.numLayers,
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
export function scoreWindows(net: Network, series: readonly Float64Array[], pairs: Int32Array, packer: BatchPacker): number {
  const h = net.outputSize;
  const hz = packer.s.horizon;
  let sum = 0;
  let count = 0;
  const n = pairs.length / 2;
  for (let from = 0; from < n; from += packer.batch) {
    const B = Math.min(packer.batch, n - from);
    packer.pack(net, series, pairs, from, B);
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

export function trainMember(ctx: TrainContext, s: PanelSettings, member: number): MemberResult {
  const { series, quantiles, backend } = ctx;
  const seed = s.seed + member;
  const rng = new Rng(seed * 7919 + 13);
  const net = buildNetwork(s, quantiles.length, backend, seed);
  const n = net.store.count;
  const opt = createOptimizer(backend, n, { type: 'adam', learningRate: s.learningRate });
  const limits = series.map((y) => y.length - s.horizon);
  const valPairs = validationPairs(series, s);
  if (valPairs.length === 0) {
    throw new UnrollError(`panel model: no series is long enough to train on: each needs at least ${s.chunk + 2 * s.horizon} values (one chunk of ${s.chunk}, then the horizon ${s.horizon} twice: training target and validation)`, 'data');
  }
  const packer = new BatchPacker(s, s.batchSize);
  const Q = quantiles.length;
  const h = s.horizon;
  const K = h * Q;
  let best = Infinity;
  let bestWeights = Float64Array.from(net.store.values);
  let bestEpoch = 0;
  let since = 0;
  const valScores: number[] = [];
  const losses: number[] = [];
  for (let epoch = 1; epoch <= s.epochs; epoch++) {
    const pairs = sampleWindows(limits, s, s.windowsPerSeries, rng);
    const count = pairs.length / 2;
    let lossSum = 0;
    for (let from = 0; from < count; from += s.batchSize) {
      const B = Math.min(s.batchSize, count - from);
      packer.pack(net, series, pairs, from, B);
      net.forward();
      const y = net.y;
      const dy = net.dy;
      const scale = 1 / (B * h * Q);
      let loss = 0;
      for (let b = 0; b < B; b++) {
        for (let q = 0; q < Q; q++) {
          const tau = quantiles[q];
          for (let k = 0; k < h; k++) {
            const u = packer.target[b * h + k] - y[b * K + q * h + k];
            loss += u >= 0 ? tau * u : (tau - 1) * u;
            dy[b * K + q * h + k] = (u >= 0 ? -tau : 1 - tau) * scale;
          }
        }
      }
      lossSum += loss * scale * B;
      backend.fill(n, 0, net.store.grads, 0);
      net.backward(false);
      const norm = Math.sqrt(backend.sumSquares(n, net.store.grads, 0));
      if (!Number.isFinite(norm)) throw new UnrollError('panel model: training diverged (a gradient became non-finite)', 'diverged');
      if (norm > s.clipNorm) backend.scale(n, s.clipNorm / norm, net.store.grads, 0);
      opt.step(net.store.values, net.store.grads);
    }
    const loss = lossSum / count;
    const valScore = scoreWindows(net, series, valPairs, packer);
    losses.push(loss);
    valScores.push(valScore);
    ctx.onEpoch?.({ member, epoch, loss, valScore });
    if (valScore < best) {
      best = valScore;
      bestWeights = Float64Array.from(net.store.values);
      bestEpoch = epoch;
      since = 0;
    } else if (++since >= s.patience) break;
  }
  return { weights: bestWeights, bestEpoch, valScores, losses };
}
