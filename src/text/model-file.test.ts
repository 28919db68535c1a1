/**
 * Text classifier files are validated against their network and tokenizer before use (issue 14):
 * duplicate labels, more labels than outputs, maxLength 0 and a naive-Bayes table of the wrong shape
 * are refused with one UnrollError instead of failing later ("reading 'toFixed'").
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextClassifier } from './classifier.js';
import { UnrollError } from '../util/errors.js';

const c = TextClassifier.train(['good fine', 'bad awful', 'good great', 'awful bad', 'fine good', 'bad bad'], ['pos', 'neg', 'pos', 'neg', 'pos', 'neg'], { hiddenSize: 3, epochs: 1 });
const valid = JSON.parse(JSON.stringify(c.toJSON()));

function refused(edit: (j: any) => void, pattern: RegExp): void {
  const j = JSON.parse(JSON.stringify(valid));
  edit(j);
  assert.throws(() => TextClassifier.fromJSON(j, { source: 'c.json' }), (e: unknown) => {
    assert.ok(e instanceof UnrollError, String(e));
    assert.match(e.message, pattern);
    assert.ok(e.message.length < 300, e.message);
    return true;
  });
}

test('a valid classifier file loads and predicts', () => {
  assert.equal(TextClassifier.fromJSON(valid).labels.length, 2);
});

test('duplicate labels, 4 labels for 2 outputs, maxLength 0 and a 1×2 naive-Bayes table are refused', () => {
  refused((j) => (j.labels = ['pos', 'pos']), /labels: expected unique labels/);
  refused((j) => (j.labels = ['a', 'b', 'c', 'd']), /has 4 labels, but the network has 2 outputs/);
  refused((j) => (j.maxLength = 0), /maxLength/);
  refused((j) => (j.naiveBayes = { prior: [1], counts: [[1, 2]] }), /naiveBayes\.prior: has 1 entries; expected 2/);
  refused((j) => (j.naiveBayes.counts[1] = [1]), /naiveBayes\.counts\[1\]: has 1 entries; expected \d+/);
  refused((j) => (j.naiveBayes.prior = [0, 0]), /counts no training texts/);
});
