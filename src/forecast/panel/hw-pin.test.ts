import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { hwPinCases, runHwPinCase } from './fixtures/hw-pin-cases.js';

// The Holt-Winters recursion was made cheaper without changing a bit: two small panels trained with it give
// the same member weights, Holt-Winters parameters, losses, validation scores and ensemble forecasts, to the
// last bit, as the code before the change (fixtures/hw-pin.json, made by fixtures/make-hw-pin.ts on 65a0474).
const fixture = JSON.parse(readFileSync(fileURLToPath(new URL('../../../src/forecast/panel/fixtures/hw-pin.json', import.meta.url)), 'utf8')) as {
  cases: { label: string; members: { weights: number[]; hw: number[]; losses: number[]; valScores: number[] }[]; forecasts: number[] }[];
};

for (const c of hwPinCases()) {
  test(`panel training with Holt-Winters normalisation is bit-identical to before the optimisation: ${c.label}`, () => {
    const expected = fixture.cases.find((e) => e.label === c.label);
    assert.ok(expected, `fixture has the case ${c.label}`);
    const got = runHwPinCase(c);
    assert.equal(got.members.length, expected.members.length);
    got.members.forEach((m, i) => {
      const e = expected.members[i]!;
      // deepStrictEqual compares numbers with Object.is: every bit counts.
      assert.deepStrictEqual(m.losses, e.losses, `member ${i} losses`);
      assert.deepStrictEqual(m.valScores, e.valScores, `member ${i} validation scores`);
      assert.deepStrictEqual(m.hw, e.hw, `member ${i} Holt-Winters parameters`);
      assert.deepStrictEqual(m.weights, e.weights, `member ${i} weights`);
    });
    assert.deepStrictEqual(got.forecasts, expected.forecasts, 'ensemble log forecasts');
  });
}
