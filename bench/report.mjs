// Assembles the harness's report from the participants' result lines (see bench/run.mjs).
import { WORKLOADS, METRICS } from './workloads.mjs';
import { median } from './timing.mjs';

/**
 * workload → { name, metrics: metric → { unit, higherIsBetter, figures, ratios, notes } }, with,
 * in interleaved mode, `pairedRatios` (per peer: the median over i of the ratio of unroll's
 * repeat i to the peer's repeat i) and `pairedGapS` (per peer: the largest distance in seconds
 * between the starts of two paired repeat turns, from the turn log). A ratio is unroll/peer for
 * throughput and peer/unroll for latency, so > 1 means unroll is ahead.
 * @param {{ only: string[], results: object[], mode: 'interleaved'|'sequential', turns?: { participant: string, key: string|null, what: string|null, start: number }[] }} run
 */
export function assembleWorkloads({ only, results, mode, turns = [] }) {
  const out = {};
  const turnStart = (participant, key, what) => turns.find((t) => t.participant === participant && t.key === key && t.what === what)?.start;
  for (const id of only) {
    const entry = { name: WORKLOADS[id].name, metrics: {} };
    for (const [metric, unit] of Object.entries(METRICS[id])) {
      const rows = results.filter((r) => r.workload === id && r.metric === metric);
      const figures = {}, notes = {}, ratios = {}, repeats = {};
      for (const r of rows) {
        figures[r.participant] = r.value;
        if (r.note) notes[r.participant] = r.note;
        if (Array.isArray(r.repeats)) repeats[r.participant] = r.repeats;
      }
      const ratio = (u, p) => (metric === 'latency' ? p / u : u / p);
      const u = figures.unroll;
      for (const [peer, v] of Object.entries(figures)) {
        if (peer === 'unroll' || u == null || v == null) continue;
        ratios[peer] = ratio(u, v);
      }
      const m = { unit, higherIsBetter: metric !== 'latency', figures, ratios, notes };
      if (mode === 'interleaved') {
        // Paired: repeat i of unroll with repeat i of the peer, taken in the same round of turns.
        const paired = {}, gap = {};
        const ur = repeats.unroll;
        for (const [peer, pr] of Object.entries(repeats)) {
          if (peer === 'unroll' || !ur?.length || pr.length !== ur.length || figures[peer] == null || u == null) continue;
          paired[peer] = median(ur.map((x, i) => ratio(x, pr[i])));
          const gaps = ur.map((_, i) => Math.abs(turnStart('unroll', `${id}/${metric}`, `repeat ${i + 1}`) - turnStart(peer, `${id}/${metric}`, `repeat ${i + 1}`)));
          if (gaps.every(Number.isFinite)) gap[peer] = Math.round(Math.max(...gaps) * 10) / 10;
        }
        m.pairedRatios = paired;
        m.pairedGapS = gap;
      }
      entry.metrics[metric] = m;
    }
    out[id] = entry;
  }
  return out;
}

/** The turn log as lines "start+duration participant key what", seconds from the start of the run. */
export function turnLog(turns) {
  return turns.map((t) => `${t.start.toFixed(3)}+${((t.end ?? t.start) - t.start).toFixed(3)} ${t.participant} ${t.key ?? '-'} ${t.what ?? '-'}${t.ended === 'done' ? '' : ` (${t.ended ?? 'unfinished'})`}`);
}
