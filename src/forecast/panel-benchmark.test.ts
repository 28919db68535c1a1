import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runPanelBenchmark } from './panel-benchmark.js';
import { naive, seasonalNaive, naive2 } from './methods/index.js';
import type { PanelMethod, MethodForecast } from './methods/types.js';
import { close, throwsWith } from '../data/test-helpers.js';

// Two short series, period 2 (too short for the seasonality test, so naive2 = naive here).
const train = [[1, 2, 4, 3], [10, 12, 11, 13]];
const test_ = [[3, 5], [14, 12]];
const data = { ids: ['a', 'b'], train, test: test_ };

test('per-series and pooled sMAPE, MASE and OWA, worked by hand', () => {
  const r = runPanelBenchmark([naive, seasonalNaive], data, { horizon: 2, period: 2, levels: [0.9] });
  assert.deepEqual(r.methods.map((m) => m.name), ['naive', 'snaive', 'naive2']);
  const [nv, sn, n2] = r.methods;
  // naive: a forecasts 3, 3 → sMAPE (0 + 200·2/8)/2 = 25; b forecasts 13, 13 → (200/27 + 200/25)/2
  close(nv!.series[0]!.smape, 25);
  close(nv!.series[1]!.smape, (200 / 27 + 200 / 25) / 2);
  close(nv!.smape, (25 + (200 / 27 + 200 / 25) / 2) / 2);
  // MASE scale, m = 2: a (|4−1| + |3−2|)/2 = 2; b (1 + 1)/2 = 1. naive MAE a = 1, b = 1
  close(nv!.series[0]!.mase!, 0.5);
  close(nv!.series[1]!.mase!, 1);
  close(nv!.mase!, 0.75);
  // snaive repeats the last 2 values: a 4, 3 → errors 1, 2; b 11, 13 → errors 3, 1
  close(sn!.series[0]!.mase!, 1.5 / 2);
  close(sn!.series[1]!.mase!, 2);
  close(n2!.owa!, 1);
  close(nv!.owa!, 1); // naive2 = naive on these too-short series
  close(sn!.owa!, 0.5 * (sn!.smape / n2!.smape + sn!.mase! / n2!.mase!));
  // intervals were asked for and given by all three: coverage is a share, MSIS positive
  for (const m of r.methods) {
    assert.equal(m.intervals.length, 1);
    assert.equal(m.intervals[0]!.series, 2);
    assert.ok(m.intervals[0]!.coverage >= 0 && m.intervals[0]!.coverage <= 1);
    assert.ok(m.intervals[0]!.msis! > 0);
    assert.ok(m.fitMs >= 0 && m.forecastMs >= 0);
  }
});

test('a panel method stands in the same table', () => {
  const lastValue: PanelMethod = {
    name: 'global-last',
    fitPanel(series) {
      return {
        name: 'global-last',
        forecast(h): MethodForecast[] {
          return series.map((y) => ({ mean: new Float64Array(h).fill(y[y.length - 1]!), intervals: [] }));
        },
      };
    },
  };
  const r = runPanelBenchmark([lastValue, naive], data, { horizon: 2, period: 2, keepForecasts: true });
  close(r.methods[0]!.smape, r.methods[1]!.smape);
  close(r.methods[0]!.mase!, r.methods[1]!.mase!);
  assert.deepEqual([...r.methods[0]!.forecasts![1]!.mean], [13, 13]);
});

test('a series with no MASE scale is left out of MASE and named', () => {
  const r = runPanelBenchmark([naive], { train: [[5, 5, 5], [1, 2, 3]], test: [[5], [4]] }, { horizon: 1, period: 1 });
  assert.deepEqual(r.withoutScale, ['1']);
  assert.equal(r.methods[0]!.series[0]!.mase, null);
  close(r.methods[0]!.mase!, 1);
});

test('bad panels and bad methods get clear errors', () => {
  throwsWith(() => runPanelBenchmark([naive], { ids: ['a', 'b'], train, test: [[3, 5], [14]] }, { horizon: 2, period: 2 }), 'series "b" has 1 test values', 'h = 2');
  throwsWith(() => runPanelBenchmark([naive], { train, test: [[3, 5]] }, { horizon: 2, period: 2 }), '2 training series but 1 test series');
  throwsWith(() => runPanelBenchmark([naive], { train: [[1, NaN]], test: [[1]] }, { horizon: 1, period: 1 }), 'series "1", training value [1] is NaN');
  throwsWith(() => runPanelBenchmark([naive], data, { horizon: 0, period: 2 }), 'horizon h is 0');
  throwsWith(() => runPanelBenchmark([naive], data, { horizon: 2, period: 1.5 }), 'option "period" is 1.5');
  throwsWith(() => runPanelBenchmark([naive], data, { horizon: 2, period: 2, levels: [95] }), 'interval level 95');
  throwsWith(() => runPanelBenchmark([naive, naive], data, { horizon: 2, period: 2 }), '"naive" appears twice');
  throwsWith(() => runPanelBenchmark([], data, { horizon: 2, period: 2 }), 'no methods');
  const broken = { name: 'broken', fit: () => ({ name: 'broken', forecast: (h: number) => ({ mean: new Float64Array(h).fill(NaN), intervals: [] }) }) };
  throwsWith(() => runPanelBenchmark([broken], data, { horizon: 2, period: 2 }), 'method "broken" forecast NaN at step 1 of series "a"');
  const short = { name: 'short', fit: () => ({ name: 'short', forecast: () => ({ mean: new Float64Array(1), intervals: [] }) }) };
  throwsWith(() => runPanelBenchmark([short], data, { horizon: 2, period: 2 }), 'gave 1 forecasts for series "a"');
  throwsWith(() => runPanelBenchmark([naive2], { train: [[]], test: [[1]] }, { horizon: 1, period: 1 }), 'series "1" has no training values');
});
