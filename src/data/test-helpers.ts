// Shared assertions for the tests of src/data and src/forecast (not exported from the package index).
import assert from 'node:assert/strict';
import { UnrollError } from '../util/errors.js';

/** Asserts that fn throws an UnrollError whose message contains every fragment. */
export function throwsWith(fn: () => unknown, ...fragments: string[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof UnrollError, `expected UnrollError, got ${String(e)}`);
    for (const f of fragments) assert.ok(e.message.includes(f), `message ${JSON.stringify(e.message)} lacks ${JSON.stringify(f)}`);
    return true;
  });
}

/** Asserts |a - b| <= tol elementwise. */
export function close(actual: ArrayLike<number> | number, expected: ArrayLike<number> | number, tol = 1e-12): void {
  const a = typeof actual === 'number' ? [actual] : Array.from(actual);
  const e = typeof expected === 'number' ? [expected] : Array.from(expected);
  assert.equal(a.length, e.length, `length ${a.length} != ${e.length}`);
  a.forEach((v, i) => assert.ok(Math.abs(v - e[i]!) <= tol, `[${i}]: ${v} != ${e[i]} (tol ${tol})`));
}
