import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASELINE_NAMES, NGramBaselines } from './baselines.js';
import { close, throwsWith } from '../data/test-helpers.js';

// ids 0 1 0 1 2 over V = 3: bigrams (0,1)×2, (1,0)×1, (1,2)×1.
const ids = [0, 1, 0, 1, 2];
const ng = NGramBaselines.fit(ids, 3);

test('unigram and bigram add-one by hand', () => {
  // c = [2, 2, 1], N = 5: (c + 1) / (5 + 3)
  close(ng.unigram(0), 3 / 8);
  close(ng.unigram(2), 2 / 8);
  // c(0 as context) = 2: (2 + 1) / (2 + 3); unseen pair (0, 2): 1 / 5
  close(ng.bigramAddOne(0, 1), 3 / 5);
  close(ng.bigramAddOne(0, 2), 1 / 5);
  // 2 never is a context: uniform 1 / 3
  close(ng.bigramAddOne(2, 0), 1 / 3);
});

test('bigram Kneser–Ney (d = 0.75) by hand', () => {
  // every word has 1 distinct predecessor; 3 distinct bigrams: Pcont = 0.25/3 + 0.75·3/3/3 = 1/3
  close(ng.ngramKneserNey([], 1), 1 / 3);
  // (2 − 0.75)/2 + 0.75·1/2·(1/3) = 0.625 + 0.125
  close(ng.bigramKneserNey(0, 1), 0.75);
  close(ng.bigramKneserNey(0, 2), 0.125);
  // context 1: c = 2, 2 followers: (1 − 0.75)/2 + 0.75·2/2·1/3 = 0.125 + 0.25
  close(ng.bigramKneserNey(1, 0), 0.375);
  close(ng.bigramKneserNey(1, 1), 0.25);
  // unseen context → continuation
  close(ng.bigramKneserNey(2, 1), 1 / 3);
});

test('trigram Kneser–Ney by hand: raw counts on top, continuation counts below', () => {
  // trigrams (0,1,0), (1,0,1), (0,1,2); history "0 1" seen twice with 2 followers.
  // P2(2|1) from continuation counts: N1+(• 1 2) = 1 of N1+(• 1 •) = 2, 2 types: 0.25/2 + 0.75·(1/3) = 0.375
  close(ng.ngramKneserNey([0, 1], 2), 0.25 / 2 + 0.75 * 0.375);
  close(ng.ngramKneserNey([0, 1], 0), 0.25 / 2 + 0.75 * 0.375);
  // (0 1 1) unseen, and N1+(• 1 1) = 0: 0.75 · P2(1|1) = 0.75 · 0.75 · 1/3
  close(ng.ngramKneserNey([0, 1], 1), 0.75 * 0.25);
  // an unseen history falls back to the lower orders; only the last n−1 tokens count
  close(ng.ngramKneserNey([2, 2], 1), 1 / 3);
  assert.equal(ng.ngramKneserNey([2, 2, 0, 1], 2), ng.ngramKneserNey([0, 1], 2));
  // with n = 2 the general model is the bigram one
  const two = NGramBaselines.fit(ids, 3, { order: 2 });
  for (let v = 0; v < 3; v++) for (let w = 0; w < 3; w++) close(two.ngramKneserNey([v], w), ng.bigramKneserNey(v, w), 1e-15);
});

test('every distribution sums to 1 over the vocabulary for every context, on a larger random stream', () => {
  let s = 7;
  const stream = Array.from({ length: 400 }, () => (s = (s * 1103515245 + 12345) % 2147483648) % 9);
  const big = NGramBaselines.fit(stream, 11, { order: 4 }); // two entries never occur
  const histories: number[][] = [[]];
  for (let u = 0; u < 11; u++) for (let v = 0; v < 11; v++) histories.push([v], [u, v], [stream[u], u, v], [stream[3 * u], stream[3 * u + 1], stream[3 * u + 2]]);
  for (const h of histories) {
    for (const name of BASELINE_NAMES) {
      if (h.length === 0 && name !== 'ngramKneserNey') continue;
      let sum = 0;
      for (let w = 0; w < 11; w++) {
        const p = big.probability(name, h, w);
        assert.ok(p > 0, `${name}(${w}|${h}) = ${p}`);
        sum += p;
      }
      close(sum, 1, 1e-12);
    }
  }
});

test('cross-entropy is the mean −log P of ids[1..]', () => {
  const ce = ng.crossEntropy([0, 1, 2]);
  close(ce.unigram, -(Math.log(3 / 8) + Math.log(2 / 8)) / 2);
  close(ce.bigramAddOne, -(Math.log(3 / 5) + Math.log(2 / 5)) / 2);
  close(ce.bigramKneserNey, -(Math.log(0.75) + Math.log(0.375)) / 2);
  // the first prediction has one token of history: order-2 continuation P2(1|0) = 0.25 + 0.75/3 = 0.5
  close(ce.ngramKneserNey, -(Math.log(0.5) + Math.log(0.25 / 2 + 0.75 * 0.375)) / 2);
  throwsWith(() => ng.crossEntropy([1]), 'at least 2 tokens');
});

test('JSON round trip keeps every probability; malformed counts are refused', () => {
  const back = NGramBaselines.fromJSON(JSON.parse(JSON.stringify(ng.toJSON())));
  for (let v = 0; v < 3; v++) for (let w = 0; w < 3; w++) for (const n of BASELINE_NAMES) assert.equal(back.probability(n, [1, v], w), ng.probability(n, [1, v], w));
  assert.equal(back.order, 3);
  throwsWith(() => NGramBaselines.fromJSON({ vocabSize: 3, order: 3 }), 'base64');
  const bad = { ...ng.toJSON(), vocabSize: 2 };
  throwsWith(() => NGramBaselines.fromJSON(bad, 'model file m.json'), 'model file m.json', 'token index 2', 'outside [0, 1]');
  throwsWith(() => NGramBaselines.fit(ids, 3, { order: 1 }), 'order');
  // A vocabulary size sizes the count tables: an absurd one is refused before anything is allocated.
  throwsWith(() => NGramBaselines.fromJSON({ ...ng.toJSON(), vocabSize: 1e308 }, 'model file m.json'), 'model file m.json', 'vocabSize', 'up to 16777216');
  throwsWith(() => NGramBaselines.fit(ids, 2 ** 40), 'vocabSize', 'up to 16777216');
});
