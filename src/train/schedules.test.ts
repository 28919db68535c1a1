import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createSchedule, type ScheduleOptions } from './schedules.js';
import { RNN } from './model.js';
import { UnrollError } from '../util/errors.js';

/** PyTorch 1.13's lr_scheduler rates per epoch, made by fixtures/torch-optim.py. */
const FIXTURE = JSON.parse(readFileSync(new URL('../../src/train/fixtures/torch-optim.json', import.meta.url), 'utf8')) as {
  baseLearningRate: number; epochs: number;
  schedules: { name: string; options: ScheduleOptions; losses?: number[]; lrs: number[] }[];
};

for (const c of FIXTURE.schedules) {
  test(`schedule ${c.name}: the learning rate of every epoch equals torch.optim.lr_scheduler`, () => {
    const s = createSchedule(c.options, FIXTURE.baseLearningRate, FIXTURE.epochs, false);
    let lr = FIXTURE.baseLearningRate;
    for (let e = 0; e < FIXTURE.epochs; e++) {
      lr = s.next(e, lr, e > 0 ? c.losses?.[e - 1] : undefined);
      assert.ok(Math.abs(lr - c.lrs[e]) <= 1e-15, `${c.name} epoch ${e}: ${lr}, torch ${c.lrs[e]}`);
    }
    assert.ok(new Set(c.lrs).size > 1, 'the fixture changes the rate');
  });
}

const x = [[[0.1], [0.2]], [[0.3], [0.1]], [[0.5], [0.4]], [[0.2], [0.2]]];
const y = [[0.3], [0.4], [0.9], [0.4]];

test('fit applies a schedule between epochs and logs each epoch\'s learning rate', () => {
  const step = FIXTURE.schedules.find((c) => c.name === 'step')!;
  const m = new RNN({ inputSize: 1, hiddenSize: 3 });
  const h = m.fit(x, y, { epochs: FIXTURE.epochs, batchSize: 2, optimizer: { type: 'sgd', learningRate: FIXTURE.baseLearningRate }, schedule: step.options });
  assert.deepEqual(h.epochs.map((e) => e.learningRate), step.lrs);
  // reduce-on-plateau watches the validation loss when there is one.
  const p = new RNN({ inputSize: 1, hiddenSize: 3 });
  const hp = p.fit(x, y, { epochs: 12, batchSize: 2, validationSplit: 0.25, optimizer: { type: 'sgd', learningRate: 5 }, schedule: { type: 'plateau', patience: 0, factor: 0.5 } });
  assert.ok(hp.epochs.every((e, i) => i === 0 || e.learningRate! <= hp.epochs[i - 1].learningRate!));
});

test('bad schedules are refused naming the option', () => {
  const m = new RNN({ inputSize: 1, hiddenSize: 2 });
  const cases: [unknown, RegExp][] = [
    [{ type: 'exponential' }, /option "schedule.type" is "exponential"; expected one of 'step', 'cosine', 'plateau'/],
    [{ type: 'step' }, /option "schedule.stepSize" is undefined; expected a positive integer/],
    [{ type: 'step', stepSize: 2, gama: 0.5 }, /unknown option "schedule.gama" \(did you mean "schedule.gamma"\?\)/],
    [{ type: 'plateau', monitor: 'valLoss' }, /option "schedule.monitor" is "valLoss"; expected 'loss', or give validationSplit/],
    [{ type: 'cosine', tMax: 0 }, /option "schedule.tMax" is 0; expected a positive integer/],
  ];
  for (const [schedule, re] of cases) {
    assert.throws(() => m.fit(x, y, { epochs: 2, schedule: schedule as ScheduleOptions }), (e: unknown) => e instanceof UnrollError && re.test((e as Error).message), String(re));
  }
});
