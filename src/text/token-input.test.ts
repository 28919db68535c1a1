/**
 * Token ids through an embedding in the text models (option `embedding`, token-input.ts): the
 * default reads ids, 'one-hot' keeps the class notes' form; both learn; the form and the table are
 * saved in the model file and checked against the vocabulary on loading.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LanguageModel } from './lm.js';
import { TextClassifier } from './classifier.js';
import { SequenceTagger } from './tagger.js';
import { throwsWith } from '../data/test-helpers.js';
import { encodeTensor } from './codec.js';
import { createWasmBackendSync } from '../kernels/fast.js';

const CYCLE = 'the cat sat on the mat . the dog ran to the log . ';
const OPTIONS = { hiddenSize: 16, window: 12, stride: 3, epochs: 12, batchSize: 16, learningRate: 0.02, validation: 0.2, seed: 3 } as const;

test('language model: embedding (default 64) and one-hot both learn the grammar; the form is in the file and survives a round trip', () => {
  const text = CYCLE.repeat(60);
  const emb = LanguageModel.train(text, OPTIONS);
  const hot = LanguageModel.train(text, { ...OPTIONS, embedding: 'one-hot' });
  const small = LanguageModel.train(text, { ...OPTIONS, embedding: 5, epochs: 2 });
  const V = emb.tokenizer.size;
  assert.deepEqual(emb.network.config.embedding, { vocabSize: V, dim: 64 });
  assert.equal(emb.network.inputSize, 1);
  assert.equal(hot.network.config.embedding, undefined);
  assert.equal(hot.network.inputSize, V);
  assert.deepEqual(small.network.config.embedding, { vocabSize: V, dim: 5 });
  for (const lm of [emb, hot]) {
    const v = lm.report!.validation!;
    assert.ok(v.perplexity < 1.25 && v.beats.bigramKneserNey, `perplexity ${v.perplexity}`);
    assert.equal(lm.generate('the cat sat on the', { tokens: 9, temperature: 0 }).text, 'mat. the dog ran to the log.');
  }
  const json = JSON.parse(JSON.stringify(emb.toJSON()));
  assert.deepEqual(json.network.config.embedding, { vocabSize: V, dim: 64 });
  assert.ok('embedding.weight' in json.network.weights);
  const back = LanguageModel.fromJSON(json);
  assert.deepEqual(back.evaluate(CYCLE.repeat(2)), emb.evaluate(CYCLE.repeat(2)));
  // A table whose vocabulary is not the tokenizer's is refused, naming the file.
  const bad = JSON.parse(JSON.stringify(json));
  bad.network.config.embedding.vocabSize = V + 1;
  bad.network.weights['embedding.weight'] = encodeTensor([V + 1, 64], new Array((V + 1) * 64).fill(0.5), 'float64');
  throwsWith(() => LanguageModel.fromJSON(bad, { source: 'x.json' }), 'model file x.json', `vocabulary of ${V}`);
});

test('language model with an embedding on the WebAssembly backend learns too (kernels gatherRows / scatterAddRows)', () => {
  const lm = LanguageModel.train(CYCLE.repeat(60), { ...OPTIONS, embedding: 8 }, { backend: createWasmBackendSync({ notice: () => {} }) });
  assert.ok(lm.report!.validation!.perplexity < 1.5, `perplexity ${lm.report!.validation!.perplexity}`);
});

test('the embedding option is checked in every text model (a positive integer or one-hot)', () => {
  throwsWith(() => LanguageModel.train(CYCLE.repeat(5), { embedding: 0 }), 'option "embedding"', "'one-hot'");
  throwsWith(() => LanguageModel.train(CYCLE.repeat(5), { embedding: 'onehot' as never }), 'option "embedding"');
  throwsWith(() => TextClassifier.train(['a b', 'c d'], ['x', 'y'], { embedding: 2.5 }), 'option "embedding"');
  throwsWith(() => SequenceTagger.train([['a', 'b']], [['X', 'Y']], { embedding: -1 }), 'option "embedding"');
  throwsWith(() => LanguageModel.train(CYCLE.repeat(5), { embeding: 8 } as never), 'unknown option "embeding"', 'did you mean "embedding"');
});

test('classifier and tagger: embedding by default, one-hot on request; both learn and reload with their form', () => {
  const texts = ['good film', 'great show', 'bad film', 'awful show', 'not bad film', 'not good show', 'fun film', 'dull show'];
  const labels = ['pos', 'pos', 'neg', 'neg', 'pos', 'neg', 'pos', 'neg'];
  for (const embedding of [undefined, 'one-hot'] as const) {
    const clf = TextClassifier.train(texts, labels, { hiddenSize: 8, epochs: 40, learningRate: 0.05, seed: 2, ...(embedding ? { embedding } : {}) });
    assert.equal(clf.network.config.embedding?.dim, embedding ? undefined : 32);
    assert.equal(clf.evaluate(texts, labels).accuracy, 1, `classifier ${embedding ?? 'embedding'}`);
    const back = TextClassifier.fromJSON(JSON.parse(JSON.stringify(clf.toJSON())));
    assert.deepEqual(back.predict(texts), clf.predict(texts));
  }
  const sentences = [['the', 'duck', 'swims'], ['we', 'duck', 'low'], ['the', 'watch', 'ticks'], ['we', 'watch', 'films']];
  const tags = [['D', 'N', 'V'], ['P', 'V', 'A'], ['D', 'N', 'V'], ['P', 'V', 'N']];
  for (const embedding of [undefined, 'one-hot'] as const) {
    const tagger = SequenceTagger.train(sentences, tags, { hiddenSize: 8, epochs: 60, learningRate: 0.05, seed: 2, bidirectional: true, ...(embedding ? { embedding } : {}) });
    assert.equal(tagger.network.config.embedding?.dim, embedding ? undefined : 32);
    assert.equal(tagger.evaluate(sentences, tags).accuracy, 1, `tagger ${embedding ?? 'embedding'}`);
    const json = JSON.parse(JSON.stringify(tagger.toJSON()));
    assert.deepEqual(SequenceTagger.fromJSON(json).predict(sentences), tagger.predict(sentences));
  }
});
