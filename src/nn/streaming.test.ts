import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Network, type NetworkOptions } from './model.js';
import { Rng } from '../util/rng.js';
import { randomSequences, randomizeInitialStates } from './test-helpers.js';
import { Stream, generate, type StreamState } from './streaming.js';

const kinds: Partial<NetworkOptions>[] = [
  { cell: 'lstm', numLayers: 2, inputToEveryLayer: true, everyLayerToHead: true, dropout: 0.3 },
  { cell: 'gru', learnInitialState: true },
  { cell: 'elman', activation: 'relu', numLayers: 3 },
  { cell: 'jordan', cellOptions: { alpha: 0.4 } },
  { cell: 'narx', cellOptions: { inputDelays: 2, outputDelays: 2 } },
  { cell: 'tdnn', cellOptions: { window: 3 } },
  { cell: 'context' },
];

for (const opts of kinds) {
  test(`streaming ${opts.cell}: step(x_t, state) → [y_t, state] over a sequence equals running it whole (2 streams at once)`, () => {
    const rng = new Rng(91);
    const model = new Network({ inputSize: 2, hiddenSize: 4, outputSize: 2, outputMode: 'sequence', seed: 7, ...opts });
    randomizeInitialStates(model, rng);
    const xs = randomSequences(rng, [6, 6], 2);
    const whole = model.predict(xs) as number[][][];
    const stream = new Stream(model);
    let state: StreamState = stream.initialState(2);
    for (let t = 0; t < 6; t++) {
      const before = state.layers.map((l) => [...l]);
      const [y, next] = stream.step([xs[0][t], xs[1][t]], state);
      state.layers.forEach((l, i) => assert.deepEqual(l, before[i], 'the old state is not changed'));
      state = next;
      for (let b = 0; b < 2; b++) (y as number[][])[b].forEach((v, o) => assert.ok(Math.abs(v - whole[b][t][o]) < 1e-12, `stream ${b} step ${t}`));
    }
  });
}

test('one-to-many generation feeds each output back as the next input (equals a hand-run loop of steps)', () => {
  const model = new Network({ cell: 'lstm', inputSize: 2, hiddenSize: 5, outputSize: 2, outputMode: 'sequence', seed: 3 });
  const primer = [[0.1, -0.2], [0.4, 0.3]];
  const got = generate(model, { primer, steps: 4 });
  // By hand: the whole primer, then one step more per generated value.
  let seq = primer.map((r) => [...r]);
  const want: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const ys = (model.predict([seq]) as number[][][])[0];
    const y = ys[ys.length - 1];
    want.push(y);
    seq = [...seq, y];
  }
  got.forEach((y, i) => y.forEach((v, o) => assert.ok(Math.abs(v - want[i][o]) < 1e-12, `output ${i}`)));
  assert.equal(generate(model, { steps: 3 }).length, 3);
});

test('streaming and generation refuse bidirectional networks, and bad step inputs give clear errors', () => {
  const bi = new Network({ cell: 'lstm', bidirectional: true, inputSize: 1, hiddenSize: 2, outputSize: 1 });
  assert.throws(() => generate(bi, { steps: 3 }), /option "bidirectional" is true; expected false for one-to-many generation/);
  assert.throws(() => new Stream(bi), /option "bidirectional" is true; expected false for streaming/);
  const m = new Network({ inputSize: 2, hiddenSize: 2, outputSize: 1 });
  assert.throws(() => generate(m, { steps: 2 }), /option "next" .*outputSize \(1\) ≠ inputSize \(2\)/);
  assert.throws(() => generate(m, { steps: 0, next: (y) => [y[0], 0] }), /option "steps" is 0; expected a positive integer/);
  assert.throws(() => new Stream(m).step([1, 2, 3]), /input 0 has 3 numbers; expected inputSize = 2/);
  assert.throws(() => new Stream(m).step([1, NaN]), /input 0\[1\] is NaN/);
});

test('step refuses a state it did not make (another model, a NaN, a malformed object) and accepts one read back from JSON', () => {
  const m = new Network({ cell: 'lstm', inputSize: 2, hiddenSize: 3, outputSize: 1, numLayers: 2 });
  const other = new Network({ cell: 'lstm', inputSize: 2, hiddenSize: 4, outputSize: 1, numLayers: 2 });
  const one = new Network({ cell: 'lstm', inputSize: 2, hiddenSize: 3, outputSize: 1 });
  const s = new Stream(m);
  const [, st] = s.step([0.5, -0.5]);
  assert.throws(() => s.step([1, 1], new Stream(other).initialState()), /step: the state: layer 0 holds 8 numbers; expected 6 \(1 stream\(s\) × state size 6\)/);
  assert.throws(() => s.step([1, 1], new Stream(one).initialState()), /step: the state has 1 layer\(s\); this model has 2/);
  const bad = { batch: 1, layers: st.layers.map((l) => [...l]) };
  bad.layers[1][2] = NaN;
  assert.throws(() => s.step([1, 1], bad), /step: the state: layer 1 value 2 is NaN; states must be finite numbers/);
  assert.throws(() => s.step([1, 1], { batch: 1 } as never), /step: the state must be \{ batch, layers \}/);
  // The state itself survives a JSON round trip, exactly, and continues like the original.
  const revived = JSON.parse(JSON.stringify(st)) as StreamState;
  assert.deepEqual(revived, st);
  assert.deepEqual(s.step([1, 1], revived), s.step([1, 1], st));
  // A state saved as a Float64Array (the object JSON makes of one) is read too.
  const legacy = JSON.parse(JSON.stringify({ batch: 1, layers: st.layers.map((l) => Float64Array.from(l)) })) as StreamState;
  assert.deepEqual(s.step([1, 1], legacy)[0], s.step([1, 1], st)[0]);
  assert.throws(() => s.step([1, 1], { batch: 1, layers: ['abc', st.layers[1]] } as never),
    /step: the state: layer 0 is "abc", not a list of numbers; expected 6 numbers \(1 stream\(s\) × state size 6\)/);
});

test('RNN.step is the streaming API on a model: step(x_t, state) → [y_t, state]', async () => {
  const { GRU } = await import('../train/model.js');
  const rng = new Rng(95);
  const model = new GRU({ inputSize: 1, hiddenSize: 3, outputMode: 'sequence', seed: 2 });
  const seq = randomSequences(rng, [5], 1)[0];
  const whole = (model.predict([seq]) as number[][][])[0];
  let state: StreamState | undefined;
  seq.forEach((x, t) => {
    const [y, next] = model.step(x, state);
    assert.ok(Math.abs((y as number[])[0] - whole[t][0]) < 1e-12);
    state = next;
  });
});
