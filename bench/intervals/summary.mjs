#!/usr/bin/env node
/**
 * Pools the coverage recorded by measure.mjs over the series, per variant, level and horizon step:
 * coverage = Σ inside / Σ n over the series (every test point counts once), MSIS and width = the mean
 * over the series of each one's mean (scale-free, so series of any size weigh the same), and the
 * series/points without an interval (too few calibration errors).
 *
 * Usage: node bench/intervals/summary.mjs [results.json] [--steps 1,2,3,6,12]
 */
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--') && !/^[\d,]+$/.test(a)) ?? join(here, 'results.json');
const si = args.indexOf('--steps');
const steps = si >= 0 ? args[si + 1].split(',').map(Number) : [1, 2, 3, 6, 12];
const results = Object.values(JSON.parse(readFileSync(file, 'utf8')));
const variants = [...new Set(results.map((r) => r.variant))];
const series = [...new Set(results.map((r) => r.series))];
console.log(`${file}: ${series.length} series (${series.join(', ')})`);
for (const variant of variants) {
  const runs = results.filter((r) => r.variant === variant);
  console.log(`\n${variant}: ${runs.length} series`);
  runs[0].levels.forEach((L, li) => {
    const cells = steps.map((h) => {
      let inside = 0, n = 0, missing = 0, msis = 0, width = 0, k = 0;
      for (const r of runs) {
        const st = r.stats[li][h - 1];
        if (!st) continue;
        inside += st.inside; n += st.n; missing += st.missing;
        if (st.n) { msis += st.score / st.n; width += st.width / st.n; k++; }
      }
      return `h${h} ${n ? (100 * inside / n).toFixed(1) : '–'}% of ${n}${missing ? ` (+${missing} none)` : ''} MSIS ${k ? (msis / k).toFixed(2) : '–'}`;
    });
    console.log(`  ${Math.round(L * 100)}%: ${cells.join(' | ')}`);
  });
  if (runs.every((r) => r.mase)) {
    console.log('  point error (mean over series of MAE / naive scale): ' + steps.map((h) => {
      const v = runs.map((r) => r.mase[h - 1]).filter((m) => m && m.n).map((m) => m.sum / m.n);
      return `h${h} ${(v.reduce((a, b) => a + b, 0) / v.length).toFixed(3)}`;
    }).join(' | '));
  }
  // The choosing rule's numbers over every step 1 … H and level: mean |coverage − nominal| (points),
  // the worst step's, the mean MSIS and the mean point error (means over series, then over steps).
  const H = runs[0].stats[0].length;
  const gaps = [], msisAll = [];
  let worst = { gap: 0, at: '' };
  runs[0].levels.forEach((L, li) => {
    for (let h = 1; h <= H; h++) {
      let inside = 0, n = 0, msis = 0, k = 0;
      for (const r of runs) { const st = r.stats[li][h - 1]; inside += st.inside; n += st.n; if (st.n) { msis += st.score / st.n; k++; } }
      if (!n) continue;
      const gap = Math.abs(100 * inside / n - 100 * L);
      gaps.push(gap);
      if (gap > worst.gap) worst = { gap, at: `${Math.round(L * 100)}% h${h}` };
      msisAll.push(msis / k);
    }
  });
  const mean = (v) => v.reduce((a, b) => a + b, 0) / v.length;
  const pointAll = runs.every((r) => r.mase) ? Array.from({ length: H }, (_, h) => mean(runs.map((r) => r.mase[h]).filter((m) => m && m.n).map((m) => m.sum / m.n))) : [];
  const none = runs.reduce((a, r) => a + r.stats.reduce((b, lv) => b + lv.reduce((c, st) => c + st.missing, 0), 0), 0);
  console.log(`  over steps 1–${H} and the levels: mean |coverage − nominal| ${mean(gaps).toFixed(2)} points (worst ${worst.gap.toFixed(1)} at ${worst.at}), mean MSIS ${mean(msisAll).toFixed(2)}, mean point error ${pointAll.length ? mean(pointAll).toFixed(3) : '–'}, points without an interval ${none}`);
  // Per series, step 1 at 90%.
  const li = runs[0].levels.indexOf(0.9);
  console.log('  per series, 90% step 1 / steps 1–12 pooled: ' + runs.map((r) => {
    const one = r.stats[li][0];
    const all = r.stats[li].reduce((a, s) => ({ inside: a.inside + s.inside, n: a.n + s.n }), { inside: 0, n: 0 });
    return `${r.series} ${one.n ? Math.round(100 * one.inside / one.n) : '–'}/${all.n ? Math.round(100 * all.inside / all.n) : '–'}`;
  }).join(', '));
}
