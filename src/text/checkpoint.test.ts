/**
 * Checkpoints and resume of the text models: a language model, a text classifier and a sequence
 * tagger stopped at any epoch end or mid-epoch and resumed from the (encoded, decoded) state end
 * with the same weights and losses, bit for bit, as an uninterrupted run. A diverged language model
 * stops before its epoch's checkpoint, so the checkpoint keeps the last good state.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { LanguageModel, type LanguageModelOptions } from './lm.js';
import { TextClassifier } from './classifier.js';
import { SequenceTagger } from './tagger.js';
import { decodeCheckpoint, encodeCheckpoint } from '../train/checkpoint.js';
import type { CheckpointOptions, TrainingState } from '../train/fit.js';
import { UnrollError } from '../util/errors.js';

const TEXT = readFileSync(new URL('../../data/moby_dick_small.txt', import.meta.url), 'utf8').slice(0, 3000);

/** Every state a run saves, with a clock on which a save-worthy minute passes every few batches. */
function allStates(run: (ck: CheckpointOptions) => void): TrainingState[] {
  const states: TrainingState[] = [];
  let clock = 0;
  run({ save: (s) => { states.push(s); }, everyMinutes: 1, now: () => (clock += 0.6 * 60_000) });
  assert.ok(states.some((s) => s.batch > 0), 'expected mid-epoch checkpoints');
  return states;
}

const through = (s: TrainingState): TrainingState => decodeCheckpoint(encodeCheckpoint(s), 'test');

test('a language model resumes after any epoch end or mid-epoch with the uninterrupted weights and report', () => {
  // Two layers with dropout (the dropout pass count is in the state) and early stopping on validation.
  const o: LanguageModelOptions = { epochs: 3, hiddenSize: 6, numLayers: 2, dropout: 0.2, window: 8, batchSize: 16, patience: 1, seed: 3 };
  const summary = (lm: LanguageModel): string => JSON.stringify({ w: Array.from(lm.network.store.values), r: lm.report });
  const full = summary(LanguageModel.train(TEXT, o));
  const states = allStates((checkpoint) => LanguageModel.train(TEXT, o, { checkpoint }));
  assert.equal(states.filter((s) => s.batch === 0).length, JSON.parse(full).r.epochs.length);
  // Each epoch end and a few mid-epoch states (each resume retrains, so not all of them).
  const mid = states.filter((s) => s.batch > 0);
  for (const s of [...states.filter((s) => s.batch === 0), mid[0], mid[Math.floor(mid.length / 2)], mid[mid.length - 1]]) {
    assert.equal(summary(LanguageModel.train(TEXT, o, { checkpoint: { save: () => {}, resume: through(s) } })), full, `resumed after epoch ${s.epoch}, batch ${s.batch}`);
  }
  // Another text, or other settings, is another run.
  assert.throws(() => LanguageModel.train(TEXT.slice(100), o, { checkpoint: { save: () => {}, resume: states[0] } }),
    (e: unknown) => e instanceof UnrollError && /different training run/.test(e.message));
  assert.throws(() => LanguageModel.train(TEXT, { ...o, hiddenSize: 7 }, { checkpoint: { save: () => {}, resume: states[0] } }),
    (e: unknown) => e instanceof UnrollError && /different training run|do not fit/.test(e.message));
});

test('a resumed language model run may go on for more epochs: it equals one uninterrupted run of that length', () => {
  const o: LanguageModelOptions = { epochs: 2, hiddenSize: 5, window: 8, batchSize: 16, patience: 0 };
  const states: TrainingState[] = [];
  LanguageModel.train(TEXT, o, { checkpoint: { save: (s) => { states.push(s); } } });
  const longer = LanguageModel.train(TEXT, { ...o, epochs: 4 }, { checkpoint: { save: () => {}, resume: through(states[states.length - 1]) } });
  const full = LanguageModel.train(TEXT, { ...o, epochs: 4 });
  assert.deepEqual(Array.from(longer.network.store.values), Array.from(full.network.store.values));
  assert.deepEqual(longer.report, full.report);
});

test('a diverging language model stops before the epoch\'s checkpoint: the checkpoint keeps the last finite state', () => {
  const states: TrainingState[] = [];
  assert.throws(() => LanguageModel.train(TEXT, { epochs: 3, hiddenSize: 5, window: 8, learningRate: 1e6 }, { checkpoint: { save: (s) => { states.push(s); } } }),
    (e: unknown) => e instanceof UnrollError && e.code === 'diverged' && /training diverged: the training cross-entropy in epoch 1 is .* more than 3 times a uniform guess.s .*nothing was saved/.test(e.message));
  assert.deepEqual(states, [], 'a diverged epoch was checkpointed');
});

test('a text classifier and a sequence tagger resume after any epoch end or mid-epoch with the uninterrupted weights', () => {
  const texts = ['good fine great', 'bad awful', 'great day', 'awful bad day', 'fine good', 'terrible bad', 'nice good great fine', 'bad terrible awful day', 'good day', 'bad night'];
  const labels = ['pos', 'neg', 'pos', 'neg', 'pos', 'neg', 'pos', 'neg', 'pos', 'neg'];
  const co = { epochs: 4, batchSize: 3, hiddenSize: 4 };
  const clf = (checkpoint?: CheckpointOptions): string => {
    const c = TextClassifier.train(texts, labels, co, { checkpoint });
    return JSON.stringify({ w: Array.from(c.network.store.values), l: c.losses });
  };
  const fullC = clf();
  for (const s of allStates((ck) => clf(ck))) assert.equal(clf({ save: () => {}, resume: through(s) }), fullC, `classifier resumed after epoch ${s.epoch}, batch ${s.batch}`);
  const swapped = labels.map((l) => (l === 'pos' ? 'neg' : 'pos'));
  const [first] = allStates((ck) => clf(ck));
  assert.throws(() => TextClassifier.train(texts, swapped, co, { checkpoint: { save: () => {}, resume: first } }), /different training run/);

  const sentences = [['the', 'dog', 'runs'], ['a', 'cat', 'sleeps'], ['the', 'cat', 'runs'], ['a', 'dog', 'sleeps'], ['the', 'bird', 'sings']];
  const tags = sentences.map(() => ['D', 'N', 'V']);
  const tg = (checkpoint?: CheckpointOptions): string => {
    const t = SequenceTagger.train(sentences, tags, { epochs: 4, batchSize: 2, hiddenSize: 3 }, { checkpoint });
    return JSON.stringify({ w: Array.from(t.network.store.values), l: t.losses });
  };
  const fullT = tg();
  for (const s of allStates((ck) => tg(ck))) assert.equal(tg({ save: () => {}, resume: through(s) }), fullT, `tagger resumed after epoch ${s.epoch}, batch ${s.batch}`);
});
