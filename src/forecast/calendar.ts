/**
 * Labels for forecast steps past the last date of a series: business days for daily data (weekends
 * skipped, holidays not known), months for monthly data, and the same step for numeric times.
 */
export function nextDates(dates: readonly string[], steps: number): string[] {
  const last = dates[dates.length - 1] ?? '';
  const iso = /^\d{4}-\d{2}-\d{2}$/;
  if (iso.test(last) && dates.length >= 2 && iso.test(dates[dates.length - 2])) {
    const day = 86400000;
    const t1 = Date.parse(last + 'T00:00:00Z');
    // The median gap of the last few rows tells daily from monthly data.
    const gaps: number[] = [];
    for (let i = Math.max(1, dates.length - 10); i < dates.length; i++) gaps.push((Date.parse(dates[i] + 'T00:00:00Z') - Date.parse(dates[i - 1] + 'T00:00:00Z')) / day);
    gaps.sort((a, b) => a - b);
    const gap = gaps[Math.floor(gaps.length / 2)];
    const out: string[] = [];
    if (gap >= 28) {
      const d = new Date(t1);
      for (let k = 1; k <= steps; k++) out.push(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + k, d.getUTCDate())).toISOString().slice(0, 10));
      return out;
    }
    let t = t1;
    while (out.length < steps) {
      t += day * Math.max(1, Math.round(gap));
      const wd = new Date(t).getUTCDay();
      if (gap <= 3 && (wd === 0 || wd === 6)) continue;
      out.push(new Date(t).toISOString().slice(0, 10));
    }
    return out;
  }
  const n = Number(last);
  const prev = Number(dates[dates.length - 2]);
  if (Number.isFinite(n) && Number.isFinite(prev)) return Array.from({ length: steps }, (_, k) => String(+(n + (k + 1) * (n - prev)).toPrecision(10)));
  return Array.from({ length: steps }, (_, k) => `+${k + 1}`);
}
