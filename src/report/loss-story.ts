/**
 * What this run's loss curve shows, in one or two sentences, read from the numbers rather than a
 * generic caption. With L_1 … L_E the training losses, V_1 … V_E the validation losses and k the
 * epoch of the lowest V:
 *
 * - flat from the start:      (max L − min L) < 2 % of L_1
 * - overfitting after k:      k < E and V_E > V_k · 1.05 while L_E < L_k (validation rose, training fell)
 * - still falling at the end: L_E < 0.99 · min(L_{E−3} … L_{E−1})  (the last epoch still improved by > 1 %)
 * - otherwise levelled off:   the last epochs changed the training loss by less than that.
 */

export function describeLossCurve(train: readonly number[], validation?: readonly number[]): string {
  const E = train.length;
  if (E === 0) return 'No epochs were run.';
  if (E === 1) return 'One epoch was run, so the curve shows no trend.';
  const first = train[0];
  const max = Math.max(...train);
  const min = Math.min(...train);
  const parts: string[] = [];
  if (max - min < 0.02 * Math.abs(first)) {
    parts.push(`The training loss is flat from the start (within 2% over ${E} epochs): the network learned little beyond its first epoch.`);
  } else {
    const recent = train.slice(Math.max(0, E - 4), E - 1);
    const drop = ((first - train[E - 1]) / Math.abs(first)) * 100;
    parts.push(train[E - 1] < 0.99 * Math.min(...recent)
      ? `The training loss fell ${drop.toFixed(0)}% over ${E} epochs and was still falling at the last one: more epochs may lower it further.`
      : `The training loss fell ${drop.toFixed(0)}% and levelled off by the last of ${E} epochs.`);
  }
  if (validation && validation.length === E) {
    let k = 0;
    for (let i = 1; i < E; i++) if (validation[i] < validation[k]) k = i;
    if (k < E - 1 && validation[E - 1] > validation[k] * 1.05 && train[E - 1] < train[k]) {
      parts.push(`Validation loss was lowest at epoch ${k + 1} and rose ${(((validation[E - 1] - validation[k]) / validation[k]) * 100).toFixed(0)}% after it while the training loss kept falling: overfitting after epoch ${k + 1}.`);
    } else if (k === E - 1) {
      parts.push('Validation loss was lowest at the last epoch: no sign of overfitting.');
    } else {
      parts.push(`Validation loss was lowest at epoch ${k + 1} and stayed within 5% of it afterwards: no clear overfitting.`);
    }
  }
  return parts.join(' ');
}
