import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LanguageModel, repeatedNgramTokens, splitText } from './lm.js';
import { loadLanguageModel, saveLanguageModel } from './io.js';
import { Tokenizer } from './tokenizer.js';
import { close, throwsWith } from '../data/test-helpers.js';
import { createWasmBackendSync } from '../kernels/fast.js';
import { referenceBackend } from '../kernels/index.js';

// A deterministic word grammar with period 14. After "the" the next word depends on WHERE in the
// cycle we are (cat / mat / dog / log), so a bigram model cannot know it, but an LSTM that
// remembers the previous few words can.
const CYCLE = 'the cat sat on the mat . the dog ran to the log . ';
const GRAMMAR = CYCLE.repeat(60);

function grammarModel(): LanguageModel {
  return LanguageModel.train(GRAMMAR, { hiddenSize: 16, window: 12, stride: 3, epochs: 12, batchSize: 16, learningRate: 0.02, validation: 0.2, seed: 3 });
}
const lm = grammarModel();

test('an LSTM learns a deterministic grammar: perplexity near 1, far below unigram, below the bigram baselines', () => {
  const v = lm.report!.validation!;
  assert.ok(v.perplexity < 1.25, `LSTM perplexity ${v.perplexity}`);
  // unigram entropy of the cycle: 'the' 4/14, '.' 2/14, 8 words 1/14 each → perplexity ≈ 8.1
  assert.ok(v.baselines.unigram.perplexity > 7, `unigram ${v.baselines.unigram.perplexity}`);
  // after "the", 4 equally likely words: bigram perplexity ≥ exp(4/14 · ln 4) ≈ 1.49
  assert.ok(v.baselines.bigramKneserNey.perplexity > 1.45);
  assert.ok(v.beats.unigram && v.beats.bigramAddOne && v.beats.bigramKneserNey);
  assert.match(v.verdict, /beats every baseline/);
  assert.ok(v.accuracy > 0.9, `accuracy ${v.accuracy}`);
  // greedy continuation follows the grammar
  const g = lm.generate('the cat sat on the', { tokens: 9, temperature: 0 });
  assert.equal(g.text, 'mat. the dog ran to the log.');
});

test('perplexity equals exp(mean cross-entropy) computed independently from network.predict', () => {
  const text = CYCLE.repeat(3) + 'the cat ran on the log .';
  const ids = Array.from(lm.tokenizer.encode(text));
  const V = lm.tokenizer.size;
  const T = lm.window;
  // windows of T inputs starting at 0, T, 2T, …; each token after the first predicted once
  let nll = 0;
  let n = 0;
  for (let s = 0; s < ids.length - 1; s += T) {
    const L = Math.min(T, ids.length - 1 - s);
    // The network's own input form: token ids (with an embedding, the default) or one-hot vectors.
    const x = lm.network.embedding ? ids.slice(s, s + L) : ids.slice(s, s + L).map((id) => Array.from({ length: V }, (_, v) => (v === id ? 1 : 0)));
    const out = lm.network.predict([x] as number[][]) as number[][][];
    for (let t = 0; t < L; t++) {
      const o = out[0][t];
      const z = o.reduce((a, b) => a + Math.exp(b), 0);
      nll -= Math.log(Math.exp(o[ids[s + t + 1]]) / z);
      n++;
    }
  }
  const ev = lm.evaluate(text);
  assert.equal(ev.tokens, ids.length - 1);
  close(ev.crossEntropy, nll / n, 1e-10);
  close(ev.perplexity, Math.exp(nll / n), 1e-9);
  close(ev.bitsPerToken, nll / n / Math.LN2, 1e-10);
});

test('the vocabulary comes from the training part only', () => {
  const text = 'a b a b a b a b a b a b a b a b a b a b zebra zebra';
  const [train, val] = splitText(text, 0.25);
  assert.ok(val.includes('zebra') && !train.includes('zebra'));
  const m = LanguageModel.train(text, { window: 4, hiddenSize: 4, epochs: 1, validation: 0.25 });
  assert.equal(m.tokenizer.id('zebra'), 0);
  assert.ok(m.report!.validation!.unknownRate > 0);
  // the cut never splits a word
  assert.deepEqual(splitText('abc defgh ij', 0.5), ['abc defgh', ' ij']);
  assert.deepEqual(splitText('abc defgh ij', 0.5, 'char'), ['abc de', 'fgh ij']);
});

test('generation is deterministic per seed, differs across seeds, and never emits <unk> unless allowed', () => {
  const opts = { tokens: 25, temperature: 3, seed: 11 };
  const a = lm.generate('the', opts);
  const b = lm.generate('the', opts);
  assert.deepEqual(a, b);
  const c = lm.generate('the', { ...opts, seed: 12 });
  assert.notEqual(a.text, c.text);
  assert.ok(a.tokens.every((t) => t.id !== 0));
  assert.equal(a.tokens.length, 25);
  assert.ok(a.tokens.every((t) => t.probability > 0 && t.probability <= 1));
  const g = lm.generate('the whale', { tokens: 1, temperature: 0 });
  assert.equal(g.promptUnknown, 1);
});

test('greedy generation takes the argmax of nextLogits and feeds each token back (figure 9.9)', () => {
  const ids = Array.from(lm.tokenizer.encode('the dog'));
  const expected: number[] = [];
  for (let i = 0; i < 6; i++) {
    const logits = lm.nextLogits(ids);
    let best = 1;
    for (let v = 1; v < logits.length; v++) if (logits[v] > logits[best]) best = v;
    expected.push(best);
    ids.push(best);
  }
  assert.deepEqual(lm.generate('the dog', { tokens: 6, temperature: 0 }).tokens.map((t) => t.id), expected);
  // the context seen is the last `window` tokens: a long prompt gives the same logits as its tail
  const long = Array.from(lm.tokenizer.encode(CYCLE.repeat(4)));
  assert.deepEqual(lm.nextLogits(long), lm.nextLogits(long.slice(-lm.window)));
});

test('save/load round trip: same vocabulary, weights, perplexity and generated text; atomic, versioned file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'unroll-lm-'));
  try {
    const path = join(dir, 'lm.json');
    saveLanguageModel(lm, path);
    const json = JSON.parse(readFileSync(path, 'utf8'));
    assert.equal(json.format, 'unroll-language-model');
    assert.equal(json.version, 1);
    assert.deepEqual(json.tokenizer.vocab, [...lm.tokenizer.vocab]);
    const back = loadLanguageModel(path);
    assert.deepEqual(back.network.getWeights(), lm.network.getWeights());
    assert.equal(back.evaluate(GRAMMAR.slice(0, 400)).perplexity, lm.evaluate(GRAMMAR.slice(0, 400)).perplexity);
    assert.deepEqual(back.generate('the', { tokens: 10, seed: 4 }), lm.generate('the', { tokens: 10, seed: 4 }));
    assert.deepEqual(back.report, lm.report);

    writeFileSync(join(dir, 'bad.json'), '{"format": "unroll-language-model", "vers');
    throwsWith(() => loadLanguageModel(join(dir, 'bad.json')), 'bad.json', 'not valid JSON');
    writeFileSync(join(dir, 'other.json'), JSON.stringify({ ...json, version: 99 }));
    throwsWith(() => loadLanguageModel(join(dir, 'other.json')), 'version 99');
    writeFileSync(join(dir, 'fc.json'), JSON.stringify({ format: 'unroll-model', version: 1 }));
    throwsWith(() => loadLanguageModel(join(dir, 'fc.json')), 'not an unroll language model');
    throwsWith(() => loadLanguageModel(join(dir, 'missing.json')), 'missing.json', 'no such file');
    // n-gram counts over another vocabulary size (the fuzzer once gave 1e308, which sized an array) are refused first.
    writeFileSync(join(dir, 'huge.json'), JSON.stringify({ ...json, ngrams: { ...json.ngrams, vocabSize: 1e308 } }));
    throwsWith(() => loadLanguageModel(join(dir, 'huge.json')), 'huge.json', 'n-gram counts are over 1e+308 tokens', `vocabulary has ${lm.tokenizer.size}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('character level trains, evaluates and generates', () => {
  const m = LanguageModel.train('abcabcabcabcabcabcabcabcabcabcabcabcabcabc', { level: 'char', window: 6, stride: 2, hiddenSize: 8, epochs: 30, learningRate: 0.03, validation: 0.2 });
  assert.equal(m.level, 'char');
  assert.deepEqual([...m.tokenizer.vocab].sort(), ['<unk>', 'a', 'b', 'c']);
  assert.ok(m.report!.validation!.perplexity < 1.5, `char perplexity ${m.report!.validation!.perplexity}`);
  assert.equal(m.generate('ab', { tokens: 7, temperature: 0 }).full, 'abcabcabc');
});

test('bad options and too little text are clear errors', () => {
  throwsWith(() => LanguageModel.train('a b c', { window: 10 }), 'too few', 'window of 10');
  throwsWith(() => LanguageModel.train(GRAMMAR, { cell: 'narx' as never }), 'cell', 'lstm');
  throwsWith(() => LanguageModel.train(GRAMMAR, { validation: 1 }), 'validation');
  throwsWith(() => LanguageModel.train(GRAMMAR, { epochs: 0 }), 'epochs');
  throwsWith(() => lm.generate('', {}), 'prompt');
  throwsWith(() => lm.generate('the', { tokens: 0 }), 'tokens');
  throwsWith(() => lm.evaluate('the'), 'at least 2');
  throwsWith(() => LanguageModel.train('x '.repeat(30) + 'y', { window: 4, validation: 0.01 }), 'validation part');
});

test('a tokenizer fitted elsewhere is the same as the one inside the model', () => {
  const [train] = splitText(GRAMMAR, 0.2);
  assert.deepEqual(Tokenizer.fit(train).toJSON(), lm.tokenizer.toJSON());
});

test('on the float32 WebAssembly backend (the CLI default) it learns too, and files reload bit-exactly', () => {
  const wasm = createWasmBackendSync();
  const m = LanguageModel.train(GRAMMAR, { hiddenSize: 16, window: 12, stride: 3, epochs: 12, batchSize: 16, learningRate: 0.02, validation: 0.2, seed: 3 }, { backend: wasm });
  assert.equal(m.network.backend.dtype, wasm.dtype);
  assert.ok(m.report!.validation!.perplexity < 1.3, `wasm perplexity ${m.report!.validation!.perplexity}`);
  const json = JSON.parse(JSON.stringify(m.toJSON()));
  const again = LanguageModel.fromJSON(json, { backend: wasm });
  const text = GRAMMAR.slice(0, 300);
  assert.equal(again.evaluate(text).perplexity, m.evaluate(text).perplexity);
  // the same weights in float64 give the same perplexity up to float32 rounding
  const f64 = LanguageModel.fromJSON(json, { backend: referenceBackend() });
  close(f64.evaluate(text).crossEntropy, m.evaluate(text).crossEntropy, 1e-4);
});

test('repeatedNgramTokens: the tokens that would complete an n-gram already in the text', () => {
  assert.deepEqual([...repeatedNgramTokens([1, 2, 3, 1, 2], 3)], [3]);
  assert.deepEqual([...repeatedNgramTokens([5, 5], 2)].sort(), [5]);
  assert.deepEqual([...repeatedNgramTokens([1, 2, 3], 3)], []);
  assert.deepEqual([...repeatedNgramTokens([1, 2, 1], 1)].sort(), [1, 2]);
});
