import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { RNN } from './model.js';
import { forwardStates, gradients } from './gradients.js';
import { UnrollError } from '../util/errors.js';
import type { CellKind } from '../nn/cells.js';

/** PyTorch 1.13 (float64) on packed variable-length batches, made by fixtures/torch-states.py. */
const FIXTURE = JSON.parse(readFileSync(new URL('../../src/train/fixtures/torch-states.json', import.meta.url), 'utf8')) as {
  cases: {
    cell: CellKind; inputSize: number; hiddenSize: number; outputSize: number; numLayers: number; lengths: number[];
    x: number[][][]; target: number[][][]; h0: number[][][]; c0?: number[][][]; weights: Record<string, unknown>;
    output: number[][][]; h: number[][][]; c?: number[][][]; loss: number; grads: Record<string, unknown>; dx: number[][][];
  }[];
};

const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v as number]);
function close(a: unknown, b: unknown, tol: number, what: string): void {
  const fa = flat(a), fb = flat(b);
  assert.equal(fa.length, fb.length, `${what}: ${fa.length} numbers vs ${fb.length}`);
  fa.forEach((v, i) => assert.ok(Math.abs(v - fb[i]) <= tol * Math.max(1, Math.abs(fb[i])), `${what}[${i}]: ${v} vs torch ${fb[i]}`));
}

for (const c of FIXTURE.cases) {
  const build = (): RNN => {
    const m = new RNN({ cell: c.cell, inputSize: c.inputSize, hiddenSize: c.hiddenSize, outputSize: c.outputSize, numLayers: c.numLayers, bidirectional: true, outputMode: 'sequence' });
    m.setWeights(c.weights);
    return m;
  };

  test(`forwardStates (${c.cell}, 2 layers, bidirectional, lengths ${c.lengths}): PyTorch's output, h_n${c.c ? ', c_n' : ''} from a given h0${c.c0 ? '/c0' : ''}; padded steps are zero`, () => {
    const m = build();
    const r = forwardStates(m, c.x, { h0: c.h0, c0: c.c0 });
    close(r.output, c.output, 1e-13, 'output');
    close(r.h, c.h, 1e-13, 'h_n');
    if (c.c) close(r.c, c.c, 1e-13, 'c_n');
    else assert.equal(r.c, undefined);
    assert.deepEqual(r.lengths, c.lengths);
    assert.ok(r.output[1].slice(c.lengths[1]).every((row) => row.every((v) => v === 0)), 'steps past the end read as zero');
    // Without h0 the model starts from zeros, which changes the states.
    assert.notDeepEqual(forwardStates(m, c.x).h, r.h);
  });

  test(`gradients (${c.cell}): loss, ∂L/∂θ by PyTorch name and ∂L/∂x equal PyTorch's backward() (float64)`, () => {
    const m = build();
    const g = gradients(m, c.x, { y: c.target, loss: 'ssr', h0: c.h0, c0: c.c0 });
    assert.ok(Math.abs(g.loss - c.loss) <= 1e-12 * c.loss, `loss ${g.loss} vs torch ${c.loss}`);
    assert.deepEqual(Object.keys(g.grads).sort(), Object.keys(c.grads).sort());
    for (const [name, want] of Object.entries(c.grads)) close(g.grads[name].data, want, 1e-11, name);
    close(g.dx, c.dx, 1e-11, 'dx');
    // The same backward pass from dL/dy: for SSR, dy = 2(y − target) on every valid step.
    const dy = (g.outputs as number[][][]).map((seq, b) => seq.map((row, t) => row.map((v, k) => 2 * (v - c.target[b][t][k]))));
    const viaDy = gradients(m, c.x, { dy, h0: c.h0, c0: c.c0 });
    for (const [name, want] of Object.entries(c.grads)) close(viaDy.grads[name].data, want, 1e-11, `${name} (from dy)`);
    close(viaDy.dx, c.dx, 1e-11, 'dx (from dy)');
  });
}

test('gradients and forwardStates refuse bad calls with the option named', () => {
  const m = new RNN({ inputSize: 1, hiddenSize: 2 });
  const refuses = (fn: () => unknown, re: RegExp): void => {
    assert.throws(fn, (e: unknown) => e instanceof UnrollError && re.test((e as Error).message), String(re));
  };
  refuses(() => gradients(m, [[1, 2]], {}), /option "y" is undefined; expected either targets y \(with a loss\) or dy/);
  refuses(() => gradients(m, [[1, 2]], { y: [1], dy: [[1]] }), /expected either targets y/);
  refuses(() => gradients(m, [[1, 2]], { dy: [[1, 2]] }), /gradients: dy\[0\] must hold 1 numbers \(outputSize\)/);
  refuses(() => gradients(m, [[1, 2]], { y: [1], los: 'mse' } as never), /gradients: unknown option "los" \(did you mean "loss"\?\)/);
  refuses(() => forwardStates(m, [[1, 2]], { h0: [[[0, 0]], [[0, 0]]] }), /forwardStates: h0 holds 2 states; expected 1 \(layers × directions\)/);
  refuses(() => forwardStates(m, [[1, 2]], { c0: [[[0, 0]]] }), /option "c0" is an array of length 1; expected nothing for cell 'elman' \(only an LSTM has a cell state\)/);
});
