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

test('BFGS: a non-finite start, or a non-finite finite-difference gradient, is a failure; a non-finite value on the way only shortens the step', () => {
  assert.equal(bfgsMinimise(() => NaN, [0]).ok, false);
  // A wall at x = 0.5 (Infinity beyond), minimum of (x − 0.3)²: the first trial step (to 0.6) meets the wall
  // and is shortened; the minimum is reached.
  const walled = (x: Float64Array): number => (x[0] > 0.5 ? Infinity : (x[0] - 0.3) ** 2);
  const w = bfgsMinimise(walled, [0], 200);
  assert.ok(w.ok && w.converged && Math.abs(w.x[0] - 0.3) < 1e-6, `${w.x[0]}`);
  // Minimum beyond the wall: the search walks up to it until a gradient probe (x ± 1e-3) crosses it, which
  // R's optim treats as an error ("non-finite finite-difference value").
  const beyond = (x: Float64Array): number => (x[0] > 0.5 ? Infinity : (x[0] - 2) ** 2);
  const b = bfgsMinimise(beyond, [0], 200);
  assert.ok(!b.ok && b.x[0] <= 0.5 && b.x[0] > 0.49, `${b.x[0]}`);
  // No parameters: the value at the start.
  assert.deepEqual(bfgsMinimise(() => 3, []).value, 3);
});

test('BFGS stops where R\'s optim(method = "BFGS") stops, to 1e-12 (R 4.2.2: the reference values below)', () => {
  // R: fr <- function(x) 100 * (x[2] - x[1]^2)^2 + (1 - x[1])^2
  //    optim(c(-1.2, 1), fr, method = "BFGS")  -> par 0.99980443323139745 0.99960838062348123, 118 function
  //    values and 38 gradients (each gradient 4 more values), convergence 0;
  //    with control = list(maxit = 10)          -> par -0.060631702892768591 -0.045831408426261225, value
  //    1.3700399720123855, 26 and 10, convergence 1;
  //    q <- function(x) sum((x - c(1, 2))^2 * c(1, 100)); optim(c(0, 0), q, method = "BFGS",
  //    control = list(parscale = c(1, 0.1)))   -> par 1.00000000004607 1.9999999999997695, 13 and 3.
  const fr = (x: Float64Array): number => 100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2;
  let evaluations = 0;
  const counted = (x: Float64Array): number => { evaluations++; return fr(x); };
  const r = bfgsMinimise(counted, [-1.2, 1]);
  assert.ok(r.ok && r.converged);
  assert.ok(Math.abs(r.x[0] - 0.99980443323139745) < 1e-12 && Math.abs(r.x[1] - 0.99960838062348123) < 1e-12, `${r.x}`);
  assert.equal(r.iterations, 38);
  assert.equal(evaluations, 118 + 38 * 4);
  evaluations = 0;
  const r10 = bfgsMinimise(counted, [-1.2, 1], 10);
  assert.ok(r10.ok && !r10.converged);
  assert.ok(Math.abs(r10.x[0] + 0.060631702892768591) < 1e-12 && Math.abs(r10.x[1] + 0.045831408426261225) < 1e-12, `${r10.x}`);
  assert.ok(Math.abs(r10.value - 1.3700399720123855) < 1e-12);
  // maxit = 0: the start and its value, no gradient (optim returns them).
  const z = bfgsMinimise(fr, [-1.2, 1], 0);
  assert.deepEqual([...z.x, z.value, z.iterations, z.converged], [-1.2, 1, 24.199999999999996, 0, false]);
  assert.equal(evaluations, 26 + 10 * 4);
  const q = (x: Float64Array): number => (x[0] - 1) ** 2 + 100 * (x[1] - 2) ** 2;
  const rq = bfgsMinimise(q, [0, 0], 100, 1e-8, 0, [1, 0.1]);
  assert.ok(Math.abs(rq.x[0] - 1.00000000004607) < 1e-12 && Math.abs(rq.x[1] - 1.9999999999997695) < 1e-12 && rq.iterations === 3, `${rq.x}`);
});
