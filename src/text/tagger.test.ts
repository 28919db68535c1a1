import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SequenceTagger } from './tagger.js';
import { Rng } from '../util/rng.js';
import { throwsWith } from '../data/test-helpers.js';

// Every content word can be a noun or a verb ("the duck watches …" vs "they duck …"); only the
// words before it tell which. A most-frequent-tag baseline calls them all nouns.
const WORDS = ['duck', 'fish', 'watch', 'park', 'book', 'train'];
function corpus(n: number, seed: number): { sentences: string[][]; tags: string[][] } {
  const rng = new Rng(seed);
  const w = (): string => WORDS[rng.int(WORDS.length)];
  const sentences: string[][] = [];
  const tags: string[][] = [];
  for (let i = 0; i < n; i++) {
    if (rng.next() < 0.5) {
      sentences.push(['The', w(), w(), 'the', w(), '.']);
      tags.push(['DET', 'NOUN', 'VERB', 'DET', 'NOUN', 'PUNCT']);
    } else {
      sentences.push(['they', w(), 'the', w(), '.']);
      tags.push(['PRON', 'VERB', 'DET', 'NOUN', 'PUNCT']);
    }
  }
  return { sentences, tags };
}

test('a softmax per step (figure 9.7) tags ambiguous words from context, beating the most-frequent-tag baseline', () => {
  const train = corpus(200, 1);
  const held = corpus(60, 2);
  const tagger = SequenceTagger.train(train.sentences, train.tags, { hiddenSize: 12, epochs: 10, learningRate: 0.02 });
  const ev = tagger.evaluate(held.sentences, held.tags);
  // the baseline misses exactly the verbs among the content words
  const verbs = held.tags.flat().filter((t) => t === 'VERB').length;
  assert.ok(Math.abs(ev.mostFrequentTagAccuracy - (ev.tokens - verbs) / ev.tokens) < 1e-12);
  assert.ok(ev.accuracy > 0.98, `accuracy ${ev.accuracy}`);
  assert.match(ev.verdict, /beats/);
  assert.deepEqual(tagger.predict([['they', 'watch', 'the', 'duck', '.'], ['The', 'duck', 'fish', 'the', 'train', '.']]),
    [['PRON', 'VERB', 'DET', 'NOUN', 'PUNCT'], ['DET', 'NOUN', 'VERB', 'DET', 'NOUN', 'PUNCT']]);
  // save/load keeps predictions and the baseline
  const back = SequenceTagger.fromJSON(JSON.parse(JSON.stringify(tagger.toJSON())));
  assert.deepEqual(back.evaluate(held.sentences, held.tags), ev);
  throwsWith(() => SequenceTagger.fromJSON({ ...tagger.toJSON(), wordTag: [0] }), 'wordTag');
});

test('misaligned or empty input is refused with the sentence named', () => {
  throwsWith(() => SequenceTagger.train([['a', 'b']], [['X']]), 'sentence 0 has 2 tokens but 1 tags');
  throwsWith(() => SequenceTagger.train([['a']], [['X']]), 'at least 2');
  throwsWith(() => SequenceTagger.train([[]], [[]]), 'sentences[0]');
});
