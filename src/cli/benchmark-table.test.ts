import { test } from 'node:test';
import assert from 'node:assert/strict';
import { benchmarkTable } from './benchmark-table.js';
import type { MethodScore, PanelBenchmarkResult } from '../forecast/panel-benchmark.js';

const method = (name: string, smape: number, mase: number, msis: number | null): MethodScore => ({
  name, smape, mase, owa: null, fitMs: 1500, forecastMs: 0,
  intervals: msis === null ? [] : [{ level: 0.95, coverage: 0.95, msis, series: 2 }],
  series: [{ id: 'a', smape, mase, intervals: [] }, { id: 'b', smape, mase, intervals: [] }],
});

test('benchmark table: a figure too wide for its column (an exploding MSIS) is printed in exponent form and the columns stay aligned', () => {
  const result: PanelBenchmarkResult = {
    ids: ['a', 'b'], horizon: 2, period: 1, levels: [0.95], withoutScale: [],
    methods: [method('panel-rnn', 24.063, 1.4, 21.158), method('ets', 24.082, 1.476, 18308791451.084), method('naive2', 21.569, 1.382, null)],
  };
  const lines = benchmarkTable(result).split('\n');
  assert.equal(lines[1], 'panel-rnn      24.063    1.400       -    0.950   21.158      1.5');
  assert.equal(lines[2], 'ets            24.082    1.476       -    0.950 1.83e+10      1.5');
  assert.equal(lines[3], 'naive2         21.569    1.382       -        -        -      1.5');
  // Every method line is as long as the header.
  for (const l of lines.slice(1, 4)) assert.equal(l.length, lines[0]!.length);
});
