/** bfgs.ts: the unconstrained quasi-Newton search of the ARIMA fits, on functions whose minima are known. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bfgsMinimise } from './bfgs.js';

test('BFGS reaches the minimum of a convex quadratic and of Rosenbrock\'s function', () => {
  // f = ½ (x − c)ᵀ A (x − c) with A positive definite: minimum at c.
  const A = [[4, 1, 0], [1, 3, 0.5], [0, 0.5, 2]];
  const c = [1.5, -2, 0.25];
  const quad = (x: Float64Array): number => {
    let s = 0;
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) s += 0.5 * (x[i] - c[i]) * A[i][j] * (x[j] - c[j]);
    return s;
  };
  const q = bfgsMinimise(quad, [0, 0, 0], 100, 1e-14);
  assert.ok(q.ok && q.converged);
  for (let i = 0; i < 3; i++) assert.ok(Math.abs(q.x[i] - c[i]) < 1e-5, `x[${i}] = ${q.x[i]}`);
  const rosen = (x: Float64Array): number => 100 * (x[1] - x[0] * x[0]) ** 2 + (1 - x[0]) ** 2;
  const r = bfgsMinimise(rosen, [-1.2, 1], 500, 1e-14);
  assert.ok(Math.abs(r.x[0] - 1) < 1e-3 && Math.abs(r.x[1] - 1) < 2e-3, `${r.x}`);
});

test('BFGS: a non-finite start is a failure; a non-finite value on the way only shortens the step', () => {
  assert.equal(bfgsMinimise(() => NaN, [0]).ok, false);
  // A wall at x = 0.5 (Infinity beyond), minimum of (x − 2)² inside the wall's side: it stops at the wall.
  const walled = (x: Float64Array): number => (x[0] > 0.5 ? Infinity : (x[0] - 2) ** 2);
  const w = bfgsMinimise(walled, [0], 200);
  assert.ok(w.ok && Number.isFinite(w.value) && w.x[0] <= 0.5 && w.x[0] > 0.4, `${w.x[0]}`);
  // No parameters: the value at the start.
  assert.deepEqual(bfgsMinimise(() => 3, []).value, 3);
});
