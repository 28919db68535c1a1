import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Tokenizer, UNK, joinWords, splitTokens } from './tokenizer.js';
import { throwsWith } from '../data/test-helpers.js';

const MOBY = new URL('../../data/moby_dick_small.txt', import.meta.url);

test('word level: lower-cased words, punctuation split, inner apostrophes kept', () => {
  assert.deepEqual(splitTokens('Call me Ishmael. Some years ago—never mind how long', 'word'),
    ['call', 'me', 'ishmael', '.', 'some', 'years', 'ago', '—', 'never', 'mind', 'how', 'long']);
  assert.deepEqual(splitTokens("Don't touch the whale’s whale-fish, (please)!", 'word'),
    ["don't", 'touch', 'the', "whale's", 'whale', '-', 'fish', ',', '(', 'please', ')', '!']);
  assert.deepEqual(splitTokens('  \n\t ', 'word'), []);
});

test('char level keeps case and whitespace, one token per code point', () => {
  assert.deepEqual(splitTokens('Ab c\n', 'char'), ['A', 'b', ' ', 'c', '\n']);
  assert.deepEqual(splitTokens('a😀b', 'char'), ['a', '😀', 'b']);
});

test('vocabulary: <unk> first, most frequent kept, ties by first appearance, counts by hand', () => {
  // counts: b 3, a 2, c 2 (c first seen after a), d 1
  const tok = Tokenizer.fit('a b c b a b c d', { maxVocab: 3 });
  assert.deepEqual(tok.vocab, [UNK, 'b', 'a']);
  // <unk> counts the replaced tokens: c, c, d
  assert.deepEqual(tok.counts, [3, 3, 2]);
  assert.deepEqual(Array.from(tok.encode('B a C zebra')), [1, 2, 0, 0]);
  assert.deepEqual(tok.tokens('b zebra'), ['b', UNK]);
  const all = Tokenizer.fit('a b c b a b c d');
  assert.deepEqual(all.vocab, [UNK, 'b', 'a', 'c', 'd']);
  assert.deepEqual(Tokenizer.fit('a b c b a b c d', { minCount: 2 }).vocab, [UNK, 'b', 'a', 'c']);
});

test('words outside the vocabulary map to <unk>, and decode shows them as <unk> (words) or U+FFFD (chars)', () => {
  const w = Tokenizer.fit('the whale the sea');
  assert.equal(w.decode(w.encode('the kraken')), `the ${UNK}`);
  const c = Tokenizer.fit('abc', { level: 'char' });
  assert.equal(c.decode(c.encode('abz')), 'ab\uFFFD');
});

test('char level round trip is exact when every character is known', () => {
  const text = readFileSync(MOBY, 'utf8').slice(0, 5000);
  const tok = Tokenizer.fit(text, { level: 'char', maxVocab: 1000 });
  assert.equal(tok.decode(tok.encode(text)), text);
});

test('word level round trip: decoding then re-tokenizing gives the same indices (5000 chars of Moby Dick)', () => {
  const text = readFileSync(MOBY, 'utf8').slice(0, 5000);
  const tok = Tokenizer.fit(text, { maxVocab: 300 });
  const ids = tok.encode(text);
  assert.ok(ids.includes(0), 'the cap must leave some <unk>');
  const again = tok.encode(tok.decode(ids).replaceAll(UNK, ' qqqunseenqqq '));
  assert.deepEqual(Array.from(again), Array.from(ids));
});

test('joinWords puts spaces where prose has them', () => {
  assert.equal(joinWords(['call', 'me', 'ishmael', '.', 'some', 'years', 'ago', '—', 'never', 'mind', ',', 'said', 'i', '.']),
    'call me ishmael. some years ago—never mind, said i.');
  assert.equal(joinWords(['he', 'said', '"', 'go', 'away', '!', '"', 'and', 'left', '(', 'fast', ')']), 'he said "go away!" and left (fast)');
  assert.equal(joinWords(['whale', '-', 'fish']), 'whale-fish');
});

test('toJSON / fromJSON round trip, and bad JSON is refused with a reason', () => {
  const tok = Tokenizer.fit('one two two three three three', { maxVocab: 3 });
  const back = Tokenizer.fromJSON(JSON.parse(JSON.stringify(tok.toJSON())));
  assert.deepEqual(back.toJSON(), tok.toJSON());
  assert.deepEqual(Array.from(back.encode('three one')), Array.from(tok.encode('three one')));
  throwsWith(() => Tokenizer.fromJSON({ level: 'byte', vocab: [UNK, 'a'], counts: [0, 1] }), 'level', '"word" or "char"');
  throwsWith(() => Tokenizer.fromJSON({ level: 'word', vocab: ['a', 'b'], counts: [0, 1] }), 'starting with "<unk>"');
  throwsWith(() => Tokenizer.fromJSON({ level: 'word', vocab: [UNK, 'a', 'a'], counts: [0, 1, 1] }), 'duplicate');
  throwsWith(() => Tokenizer.fromJSON({ level: 'word', vocab: [UNK, 'a'], counts: [0] }), 'counts');
  throwsWith(() => Tokenizer.fromJSON(undefined, 'model file x.json'), 'model file x.json', 'tokenizer');
});

test('bad options and empty text are clear errors', () => {
  throwsWith(() => Tokenizer.fit('a b', { maxVocab: 1 }), 'maxVocab', '≥ 2');
  throwsWith(() => Tokenizer.fit('a b', { level: 'byte' as never }), 'level');
  throwsWith(() => Tokenizer.fit('  ', {}), 'no tokens');
  throwsWith(() => Tokenizer.fit('a', {}).decode([5]), 'outside the vocabulary');
});
