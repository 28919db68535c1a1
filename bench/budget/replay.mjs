/**
 * Early stopping replayed on a recorded validation curve val[0 … E−1] (as train/fit.ts does it: an
 * epoch improves when its loss is below the best so far; after `patience` epochs without one the run
 * stops and keeps the best epoch's weights; patience 0 = never stop early).
 */
export function replay(val, epochs, patience) {
  const last = Math.min(epochs, val.length);
  let best = Infinity, bestEpoch = 0, since = 0, stop = last, stopped = false;
  for (let e = 1; e <= last; e++) {
    if (val[e - 1] < best) { best = val[e - 1]; bestEpoch = e; since = 0; }
    else if (patience > 0 && ++since >= patience) { stop = e; stopped = true; break; }
  }
  return { bestEpoch, stop, stopped, stillImproving: !stopped && stop === bestEpoch && stop > 1, firstKept: bestEpoch === 1 && stop > 1, best };
}
