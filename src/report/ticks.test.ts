/** One format per axis: the tick labels of typical axis ranges (ticks.ts), and the page script inlining them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { axisTickLabels, formatLegendValue } from './ticks.js';
import { CLIENT_SCRIPT } from './client.js';

/** The format class of a label: 'exp:<mantissa digits>' or 'fixed:<decimals>'. */
function formatOf(label: string): string {
  const e = /^-?(\d)(?:\.(\d+))?e[+-]\d+$/.exec(label);
  if (e) return `exp:${e[2]?.length ?? 0}`;
  const f = /^-?[\d,]+(?:\.(\d+))?$/.exec(label);
  if (f) return `fixed:${f[1]?.length ?? 0}`;
  return `other:${label}`;
}

test('every tick of an axis shares one format, for a set of ranges', () => {
  const cases: [string, (number | null)[], string[]][] = [
    // A gradient-norm log axis over many decades: the mix (0.1, 0.001, 1.0e-5) becomes one form.
    ['log axis 1e-5 … 1e-1', [1e-5, 1e-4, 1e-3, 1e-2, 1e-1], ['1e-5', '1e-4', '1e-3', '1e-2', '1e-1']],
    ['log axis 1e-9 … 10', [1e-9, 1e-6, 1e-3, 1, 10], ['1e-9', '1e-6', '1e-3', '1e+0', '1e+1']],
    ['small linear steps', [0, 2.5e-4, 5e-4, 7.5e-4], ['0', '2.5e-4', '5.0e-4', '7.5e-4']],
    ['halves', [0, 0.5, 1, 1.5, 2], ['0.0', '0.5', '1.0', '1.5', '2.0']],
    ['float noise in a split', [0.1, 0.2, 0.30000000000000004, 0.4], ['0.1', '0.2', '0.3', '0.4']],
    ['prices', [4000, 6000, 8000, 10000], ['4,000', '6,000', '8,000', '10,000']],
    ['mixed decimals', [0.005, 0.01, 0.015, 0.02], ['0.005', '0.010', '0.015', '0.020']],
    ['negative and positive', [-0.2, -0.1, 0, 0.1, 0.2], ['-0.2', '-0.1', '0.0', '0.1', '0.2']],
    ['millions', [0, 5e5, 1e6, 1.5e6], ['0', '5.0e+5', '1.0e+6', '1.5e+6']],
    ['log axis of losses', [0.01, 0.1, 1, 10], ['0.01', '0.10', '1.00', '10.00']],
    ['a missing split', [1, null, 3], ['1', '', '3']],
  ];
  for (const [name, splits, want] of cases) {
    const got = axisTickLabels(splits);
    assert.deepEqual(got, want, name);
    const formats = new Set(got.filter((l, i) => l !== '' && splits[i] !== 0).map(formatOf));
    assert.equal(formats.size, 1, `${name}: ${got.join(' ')} mixes ${[...formats].join(', ')}`);
  }
});

test('legend values: 4 significant digits below 100, 2 decimals above, exponent form at the extremes', () => {
  assert.equal(formatLegendValue(null), '–');
  assert.equal(formatLegendValue(NaN), '–');
  assert.equal(formatLegendValue(3.14159), '3.142');
  assert.equal(formatLegendValue(1234.567), '1,234.57');
  assert.equal(formatLegendValue(2.5e-5), '2.5e-5');
  assert.equal(formatLegendValue(3e7), '3.0e+7');
});

test('the page script runs the tested functions: their source is inlined', () => {
  assert.ok(CLIENT_SCRIPT.includes(axisTickLabels.toString()));
  assert.ok(CLIENT_SCRIPT.includes(formatLegendValue.toString()));
  assert.match(CLIENT_SCRIPT, /values: function \(u, splits\) \{ return tickLabels\(splits\); \}/);
});
