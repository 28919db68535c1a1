import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextClassifier } from './classifier.js';
import { Rng } from '../util/rng.js';
import { throwsWith } from '../data/test-helpers.js';

// Reviews whose label needs word ORDER: "not" flips the adjective. Every adjective and "not" occur
// equally often in both classes, so a bag of words (naive Bayes) is near chance, but an RNN that
// reads the sequence can be right every time.
function reviews(n: number, seed: number): { texts: string[]; labels: string[] } {
  const rng = new Rng(seed);
  const pick = <T>(a: T[]): T => a[rng.int(a.length)];
  const texts: string[] = [];
  const labels: string[] = [];
  for (let i = 0; i < n; i++) {
    const positive = rng.next() < 0.5;
    const negated = rng.next() < 0.5;
    const adj = pick(positive ? ['good', 'great', 'fun'] : ['bad', 'dull', 'awful']);
    texts.push(`${pick(['the movie', 'the film', 'this show'])} ${pick(['was', 'is', 'seemed'])} ${negated ? 'not ' : ''}${pick(['', 'really ', 'very '])}${adj} .`);
    labels.push(positive !== negated ? 'pos' : 'neg');
  }
  return { texts, labels };
}

const train = reviews(240, 1);
const held = reviews(80, 2);
const clf = TextClassifier.train(train.texts, train.labels, { hiddenSize: 12, epochs: 15, learningRate: 0.02, seed: 5 });

test('final hidden state → classifier (figure 9.8) learns negation that a bag of words cannot', () => {
  const ev = clf.evaluate(held.texts, held.labels);
  assert.ok(ev.accuracy >= 0.95, `accuracy ${ev.accuracy}`);
  assert.ok(ev.naiveBayesAccuracy < 0.75, `naive Bayes ${ev.naiveBayesAccuracy}`);
  assert.match(ev.verdict, /beats both baselines/);
  // confusion matrix counts every text once, rows = actual class
  assert.equal(ev.confusion.flat().reduce((a, b) => a + b, 0), 80);
  assert.equal(ev.confusion[0][0] + ev.confusion[1][1], Math.round(ev.accuracy * 80));
  assert.equal(ev.confusion[0][0] + ev.confusion[0][1], held.labels.filter((l) => l === 'neg').length);
  const [p] = clf.predict(['the film was not dull .']);
  assert.equal(p.label, 'pos');
  assert.ok(Math.abs(p.probabilities.pos + p.probabilities.neg - 1) < 1e-12);
});

test('a bidirectional reader (figure 9.12) also learns it, and save/load keeps predictions', () => {
  const bi = TextClassifier.train(train.texts, train.labels, { hiddenSize: 8, epochs: 12, learningRate: 0.02, bidirectional: true, seed: 5 });
  assert.ok(bi.evaluate(held.texts, held.labels).accuracy >= 0.9);
  const back = TextClassifier.fromJSON(JSON.parse(JSON.stringify(clf.toJSON())));
  assert.deepEqual(back.predict(held.texts.slice(0, 10)), clf.predict(held.texts.slice(0, 10)));
});

test('bad input is refused clearly', () => {
  throwsWith(() => TextClassifier.train(['a'], ['x', 'y']), 'equally long');
  throwsWith(() => TextClassifier.train(['a', 'b'], ['x', 'x']), 'at least 2');
  throwsWith(() => clf.evaluate(['the film was good .'], ['meh']), 'labels[0]', '"meh"');
  throwsWith(() => clf.predict(['...  ', '']), 'texts[1]', 'no tokens');
  throwsWith(() => TextClassifier.fromJSON({ format: 'unroll-language-model' }), 'not an unroll text classifier');
});

test('an unknown label names at most 8 of 200 trained classes, then how many more (issue 14: was 1,389 characters)', () => {
  const labels = Array.from({ length: 200 }, (_, i) => `class-${i}`);
  const many = TextClassifier.train(labels.map((l) => `w${l}`), labels, { hiddenSize: 2, epochs: 1, seed: 1 });
  assert.throws(() => many.evaluate(['w class-0'], ['x'.repeat(1000)]), (e: unknown) => {
    assert.ok(e instanceof Error);
    assert.match(e.message, /^evaluate: labels\[0\] is "x+…", not one of the trained classes "class-0", "class-1", .* and 192 more$/);
    assert.ok(e.message.length < 300, e.message);
    return true;
  });
});
