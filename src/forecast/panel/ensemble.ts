/**
 * The ensemble of the panel forecaster: M member networks (same settings, seeds s, s+1, …), each
 * early-stopped on its own, whose outputs are averaged in log space before they are turned back
 * into values:
 *
 *   ō_{q,k} = (1/M) Σ_m o^{(m)}_{q,k}        ŷ_k = ℓ · exp(b_k + ō_{0,k})
 *
 * (the geometric mean of the members' forecasts). The bounds of an interval are the averaged
 * quantile outputs, put in order with the point forecast between them.
 */
import type { Backend } from '../../kernels/index.js';
import type { Network } from '../../nn/model.js';
import type { PanelSettings } from './settings.js';
import { buildNetwork } from './train.js';
import { BatchPacker } from './windows.js';

/**
 * Averaged outputs of every member on the windows `pairs` (series, end): [window][quantile·h],
 * with each window's log level and baseline.
 */
export function ensembleOutputs(members: readonly Float64Array[], s: PanelSettings, quantiles: number, backend: Backend,
  series: readonly Float64Array[], pairs: Int32Array): { outputs: Float64Array; logLevel: Float64Array; baseline: Float64Array } {
  const n = pairs.length / 2;
  const K = s.horizon * quantiles;
  const outputs = new Float64Array(n * K);
  const logLevel = new Float64Array(n);
  const baseline = new Float64Array(n * s.horizon);
  const packer = new BatchPacker(s, s.batchSize);
  let net: Network | null = null;
  members.forEach((weights, m) => {
    net ??= buildNetwork(s, quantiles, backend, s.seed + m);
    net.store.values.set(weights);
    for (let from = 0; from < n; from += packer.batch) {
      const B = Math.min(packer.batch, n - from);
      packer.pack(net, series, pairs, from, B);
      net.forward();
      for (let i = 0; i < B * K; i++) outputs[from * K + i] += net.y[i] / members.length;
      if (m === 0) {
        logLevel.set(packer.logLevel.subarray(0, B), from);
        baseline.set(packer.baseline.subarray(0, B * s.horizon), from * s.horizon);
      }
    }
  });
  return { outputs, logLevel, baseline };
}
