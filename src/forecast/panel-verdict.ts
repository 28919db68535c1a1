/**
 * The verdict of a panel benchmark (`unroll benchmark`, `unroll train --series --test-size`, their --json
 * and the HTML report): is the model better than the best benchmark, and can the difference be told from
 * noise? The best benchmark is the other method with the lowest OWA (the lowest sMAPE when no OWA is
 * defined). Its significance is a two-sided exact sign test over the series: with w series where the
 * model's MASE is lower than the best benchmark's and l where it is higher (ties and series without a
 * MASE dropped), n = w + l,
 *
 *   p = min(1, 2 · P(X ≤ min(w, l))),   X ~ Binomial(n, ½).
 *
 * It treats series as independent draws, which a panel only approximates. The tone is 'win' when the
 * model is better (lower OWA, else sMAPE) and p < 0.05, 'loss' when it is worse and p < 0.05, else 'tie'.
 */
import type { MethodScore, PanelBenchmarkResult } from './panel-benchmark.js';

/** Two-sided exact sign test: P-value of w wins against l losses under a fair coin. */
export function signTest(wins: number, losses: number): number {
  const n = wins + losses;
  if (n === 0) return 1;
  const k = Math.min(wins, losses);
  // log C(n, j) built up from j = 0; P(X ≤ k) = Σ_{j ≤ k} C(n, j) / 2^n.
  let logC = 0;
  let sum = 0;
  const logHalfN = n * Math.log(0.5);
  for (let j = 0; j <= k; j++) {
    if (j > 0) logC += Math.log(n - j + 1) - Math.log(j);
    sum += Math.exp(logC + logHalfN);
  }
  return Math.min(1, 2 * sum);
}

/** The benchmark to beat: the lowest OWA among the other methods (lowest sMAPE when OWA is undefined). */
export function bestBenchmark(result: PanelBenchmarkResult): MethodScore | undefined {
  const others = result.methods.slice(1);
  const key = (m: MethodScore): number => m.owa ?? m.smape / 1e6;
  return [...others].sort((a, b) => key(a) - key(b))[0];
}

export interface PanelVerdict {
  tone: 'win' | 'loss' | 'tie';
  /** The best benchmark's name (null when no benchmark was run). */
  best: string | null;
  /** Series where the model's MASE is lower / higher than the best benchmark's. */
  wins: number;
  losses: number;
  /** The sign test's two-sided p (1 without a series to compare). */
  p: number;
  /** The verdict in sentences: the headline first, then the series-by-series test and the interval's coverage. */
  lines: string[];
}

const show = (v: number | null | undefined, d: number): string => (v === null || v === undefined || !Number.isFinite(v) ? 'n/a' : v.toFixed(d));

/** The model (the first method) against the best benchmark, with the interval of `level` (M4's 0.95) described. */
export function panelVerdict(result: PanelBenchmarkResult, level = 0.95): PanelVerdict {
  const model = result.methods[0]!;
  const bench = bestBenchmark(result);
  const lines: string[] = [];
  let tone: PanelVerdict['tone'] = 'tie';
  let wins = 0;
  let losses = 0;
  let p = 1;
  // A panel model whose companion forecast alone (weight 0) is named by what forecast, beside its name.
  const who = model.standIn ? `${model.name} (here ${model.standIn})` : model.name;
  if (!bench) {
    lines.push(`${who}: sMAPE ${show(model.smape, 3)}, MASE ${show(model.mase, 3)}; no benchmark was run to compare it with.`);
  } else {
    model.series.forEach((s, i) => {
      const b = bench.series[i]!;
      if (s.mase === null || b.mase === null || s.mase === b.mase) return;
      if (s.mase < b.mase) wins++;
      else losses++;
    });
    p = signTest(wins, losses);
    const byOwa = model.owa !== null && bench.owa !== null;
    const better = byOwa ? model.owa! < bench.owa! : model.smape < bench.smape;
    const measure = byOwa ? `OWA ${show(model.owa, 3)} against ${show(bench.owa, 3)}` : `sMAPE ${show(model.smape, 3)} against ${show(bench.smape, 3)}`;
    const significant = p < 0.05;
    tone = better && significant ? 'win' : !better && significant ? 'loss' : 'tie';
    lines.push(`${who} ${better ? 'beats' : 'does not beat'} the best benchmark, ${bench.name}: ${measure}.`);
    lines.push(wins + losses > 0
      ? `Series by series, its MASE is lower on ${wins} and higher on ${losses} of ${wins + losses} series (two-sided sign test p ${p < 0.001 ? '< 0.001' : '= ' + p.toFixed(3)}${significant ? '' : ': not significant at 5%'}).`
      : 'No series has a MASE for both, so no series-by-series test was made.');
  }
  const k = result.withoutScale.length;
  if (k > 0) {
    const named = result.withoutScale.slice(0, 5).join(', ') + (k > 5 ? `, and ${k - 5} more` : '');
    lines.push(`${k} of ${result.ids.length} series ${k === 1 ? 'has' : 'have'} no MASE scale (training values constant at lag ${result.period}, or too short) and ${k === 1 ? 'is' : 'are'} left out of MASE, MSIS and the series-by-series test: ${named}.`);
  }
  const iv = model.intervals.find((b) => b.level === level);
  if (iv) lines.push(`Its ${Math.round(level * 100)}% interval covered ${(100 * iv.coverage).toFixed(1)}% of the test values (MSIS ${show(iv.msis, 3)}).`);
  else lines.push(`It gave no ${Math.round(level * 100)}% interval.`);
  return { tone, best: bench?.name ?? null, wins, losses, p, lines };
}
