/**
 * The ensemble of the panel forecaster: M member networks (same settings, seeds s, s+1, …), each
 * early-stopped on its own, whose outputs are averaged in log space before they are turned back
 * into values:
 *
 *   ō_{q,k} = (1/M) Σ_m o^{(m)}_{q,k}        ŷ_k = ℓ · exp(b_k + ō_{0,k})
 *
 * (the geometric mean of the members' forecasts). The bounds of an interval are the averaged
 * quantile outputs, put in order with the point forecast between them. With normalisation 'hw' every
 * member has its own levels and seasonal indices, so what is averaged is each member's whole log
 * forecast, log ℓ^{(m)} + b^{(m)}_k + o^{(m)}_{q,k}.
 */
import type { Backend } from '../../kernels/index.js';
import type { Network } from '../../nn/model.js';
import type { PanelSettings } from './settings.js';
import { buildNetwork } from './train.js';
import { BatchPacker } from './windows.js';

/**
 * Averaged log forecasts of every member on the windows `pairs` (series, end): [window][quantile·h],
 * log ℓ + b_k + o_{q,k} averaged over the members. `hw[m]` holds member m's Holt-Winters parameters of
 * the given series (normalisation 'hw'), else null; `calendar` the series' calendar tables (calendar.ts) when
 * the settings have calendar inputs.
 */
export function ensembleOutputs(members: readonly Float64Array[], hw: readonly (Float64Array | null)[], s: PanelSettings, quantiles: number, backend: Backend,
  series: readonly Float64Array[], pairs: Int32Array, calendar?: readonly Float64Array[] | null): Float64Array {
  const n = pairs.length / 2;
  const h = s.horizon;
  const K = h * quantiles;
  const outputs = new Float64Array(n * K);
  const packer = new BatchPacker(s, s.batchSize);
  let net: Network | null = null;
  members.forEach((weights, m) => {
    net ??= buildNetwork(s, quantiles, backend, s.seed + m);
    net.store.values.set(weights);
    for (let from = 0; from < n; from += packer.batch) {
      const B = Math.min(packer.batch, n - from);
      packer.pack(net, series, pairs, from, B, hw[m] ?? undefined, calendar);
      net.forward();
      for (let b = 0; b < B; b++) {
        for (let q = 0; q < quantiles; q++) {
          for (let k = 0; k < h; k++) {
            outputs[(from + b) * K + q * h + k] += (packer.logLevel[b]! + packer.baseline[b * h + k]! + net.y[b * K + q * h + k]!) / members.length;
          }
        }
      }
    }
  });
  return outputs;
}
