import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { registerTextCommands, suggestedPrompt } from './text.js';
import { UnrollError } from '../../util/errors.js';
import { Rng } from '../../util/rng.js';

const dir = mkdtempSync(join(tmpdir(), 'unroll-lm-cli-'));
const corpus = join(dir, 'grammar.txt');
const heldOut = join(dir, 'held-out.txt');
const CYCLE = 'the cat sat on the mat . the dog ran to the log . ';
writeFileSync(corpus, CYCLE.repeat(50));
writeFileSync(heldOut, CYCLE.repeat(4));
const modelPath = join(dir, 'lm.json');

class Exit extends Error {
  constructor(readonly code: number) { super(`exit ${code}`); }
}

/** Runs `unroll <args>` in-process; returns stdout, stderr and the exit code. */
async function run(...args: string[]): Promise<{ out: string; err: string; code: number }> {
  const program = new Command().name('unroll').exitOverride();
  program.configureOutput({ writeOut: (s) => { out += s; }, writeErr: (s) => { err += s; } });
  registerTextCommands(program);
  let out = '';
  let err = '';
  const write = { out: process.stdout.write, err: process.stderr.write, exit: process.exit };
  process.stdout.write = ((s: string) => { out += s; return true; }) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => { err += s; return true; }) as typeof process.stderr.write;
  process.exit = ((c?: number) => { throw new Exit(c ?? 0); }) as typeof process.exit;
  let code = 0;
  try {
    await program.parseAsync(['node', 'unroll', ...args]);
  } catch (e) {
    if (e instanceof Exit) code = e.code;
    // main.ts reports errors thrown while parsing flags (UnrollError 'usage') with exit code 2
    else if (e instanceof UnrollError && e.code === 'usage') { err += `unroll: error: ${e.message}\n`; code = 2; }
    else if (e && typeof e === 'object' && 'exitCode' in e) code = (e as { exitCode: number }).exitCode === 0 ? 0 : 2;
    else throw e;
  } finally {
    process.stdout.write = write.out;
    process.stderr.write = write.err;
    process.exit = write.exit;
  }
  return { out, err, code };
}

const TRAIN = ['lm', 'train', '--text', corpus, '--backend', 'reference', '--quiet', '--hidden', '16', '--window', '12', '--stride', '3',
  '--epochs', '12', '--batch-size', '16', '--learning-rate', '0.02', '--validation', '0.2', '--seed', '3', '--out', modelPath];

test('lm train prints the perplexity table and verdict and saves the model', async () => {
  const r = await run(...TRAIN);
  assert.equal(r.code, 0, r.err);
  assert.ok(existsSync(modelPath));
  assert.match(r.out, /word-level LSTM language model/);
  for (const label of ['unigram (add-one)', 'bigram (add-one)', 'bigram (Kneser–Ney)', 'perplexity']) assert.ok(r.out.includes(label), label);
  assert.match(r.out, /The LSTM beats every baseline/);
  assert.equal(JSON.parse(readFileSync(modelPath, 'utf8')).format, 'unroll-language-model');
});

test('lm train --json reports numbers that agree with each other', async () => {
  const r = await run(...TRAIN, '--json', '--epochs', '3', '--out', join(dir, 'lm3.json'));
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  const v = j.report.validation;
  assert.equal(j.report.epochs.length, 3);
  assert.ok(Math.abs(v.perplexity - Math.exp(v.crossEntropy)) < 1e-9 * v.perplexity);
  assert.equal(v.beats.unigram, v.perplexity < v.baselines.unigram.perplexity);
});

test('lm train --embedding: a size sets the token table (default 64), one-hot keeps the seeds\' form; bad values are usage errors', async () => {
  const e8 = join(dir, 'e8.json');
  const r = await run(...TRAIN, '--epochs', '1', '--embedding', '8', '--out', e8);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /embedding 8, 16 hidden/);
  assert.deepEqual(JSON.parse(readFileSync(e8, 'utf8')).network.config.embedding.dim, 8);
  const hot = join(dir, 'hot.json');
  const h = await run(...TRAIN, '--epochs', '1', '--embedding', 'one-hot', '--out', hot);
  assert.equal(h.code, 0, h.err);
  assert.match(h.out, /one-hot input, 16 hidden/);
  const net = JSON.parse(readFileSync(hot, 'utf8')).network;
  assert.equal(net.config.embedding, undefined);
  assert.equal(net.config.inputSize, net.config.outputSize);
  assert.equal(JSON.parse(readFileSync(modelPath, 'utf8')).network.config.embedding.dim, 64, 'the default');
  for (const bad of ['0', 'two', '1.5']) {
    const b = await run(...TRAIN, '--embedding', bad);
    assert.equal(b.code, 2, bad);
    assert.match(b.err, /option --embedding must be a positive integer .* or one-hot/);
  }
});

test('lm generate is seeded, greedy follows the grammar, --json lists tokens with probabilities', async () => {
  const a = await run('lm', 'generate', '--model', modelPath, '--prompt', 'the cat', '--tokens', '12', '--temperature', '2', '--seed', '9', '--backend', 'reference');
  const b = await run('lm', 'generate', '--model', modelPath, '--prompt', 'the cat', '--tokens', '12', '--temperature', '2', '--seed', '9', '--backend', 'reference');
  assert.equal(a.code, 0, a.err);
  assert.equal(a.out, b.out);
  assert.ok(a.out.startsWith('the cat '));
  const g = await run('lm', 'generate', '--model', modelPath, '--prompt', 'the cat', '--tokens', '7', '--greedy', '--backend', 'reference');
  assert.equal(g.out.trim(), 'the cat sat on the mat. the dog');
  const j = JSON.parse((await run('lm', 'generate', '--model', modelPath, '--prompt', 'the', '--tokens', '4', '--samples', '2', '--json', '--backend', 'reference')).out);
  assert.equal(j.samples.length, 2);
  assert.deepEqual(j.samples.map((s: { seed: number }) => s.seed), [42, 43]);
  assert.equal(j.samples[0].tokens.length, 4);
});

test('lm evaluate scores held-out text against the baselines', async () => {
  const r = await run('lm', 'evaluate', '--model', modelPath, '--text', heldOut, '--backend', 'reference');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /predicted tokens/);
  const j = JSON.parse((await run('lm', 'evaluate', '--model', modelPath, '--text', heldOut, '--json', '--backend', 'reference')).out);
  assert.equal(j.evaluation.tokens, 14 * 4 - 1);
  assert.ok(j.evaluation.perplexity < j.evaluation.baselines.unigram.perplexity);
});

test('errors are one line with the right exit code', async () => {
  const missing = await run('lm', 'evaluate', '--model', join(dir, 'nope.json'), '--text', heldOut);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /^unroll: error: cannot read ".*nope\.json": no such file/);
  assert.equal(missing.err.trim().split('\n').length, 1);
  const notLm = join(dir, 'notlm.json');
  writeFileSync(notLm, '{"format":"unroll-model","version":1}');
  assert.match((await run('lm', 'generate', '--model', notLm, '--prompt', 'x')).err, /not an unroll language model/);
  const tooShort = await run('lm', 'train', '--text', heldOut, '--window', '500', '--quiet', '--out', join(dir, 'x.json'));
  assert.equal(tooShort.code, 1);
  assert.match(tooShort.err, /too few for one window of 500/);
  const badVocab = await run('lm', 'train', '--text', corpus, '--vocab', '1', '--quiet');
  assert.equal(badVocab.code, 2);
  assert.match(badVocab.err, /^unroll: error: option --vocab is 1; expected an integer ≥ 2/);
  const badDropout = await run('lm', 'train', '--text', corpus, '--dropout', '0.5', '--quiet');
  assert.match(badDropout.err, /option --dropout is 0\.5; expected 0 when numLayers is 1/);
  const badLevel = await run('lm', 'train', '--level', 'byte');
  assert.equal(badLevel.code, 2);
  const noPrompt = await run('lm', 'generate', '--model', modelPath);
  assert.equal(noPrompt.code, 2);
  assert.match(noPrompt.err, /--prompt/);
  const badTemp = await run('lm', 'generate', '--model', modelPath, '--prompt', 'the', '--temperature', 'hot');
  assert.equal(badTemp.code, 2);
});

test('--help shows examples', async () => {
  for (const [group, sub] of [['lm', 'train'], ['lm', 'generate'], ['lm', 'evaluate'], ['classify-text', 'train'], ['classify-text', 'predict'], ['classify-text', 'evaluate']]) {
    const r = await run(group, sub, '--help');
    assert.equal(r.code, 0);
    assert.ok(r.out.includes(`Examples:\n  unroll ${group} `), `${group} ${sub}`);
  }
});

test('classify-text: train on "label<TAB>text" lines, held-out report, predict and evaluate', async () => {
  // "not" flips the adjective, so word order matters (see src/text/classifier.test.ts)
  const rng = new Rng(8);
  const pick = (a: string[]): string => a[rng.int(a.length)];
  const lines = Array.from({ length: 200 }, () => {
    const positive = rng.next() < 0.5;
    const negated = rng.next() < 0.5;
    return `${positive !== negated ? 'pos' : 'neg'}\t${pick(['the movie', 'this show'])} ${pick(['was', 'is'])} ${negated ? 'not ' : ''}${pick(positive ? ['good', 'great'] : ['bad', 'dull'])} .`;
  });
  const data = join(dir, 'reviews.tsv');
  writeFileSync(data, lines.join('\n') + '\n\n');
  const clfPath = join(dir, 'clf.json');
  const r = await run('classify-text', 'train', '--data', data, '--hidden', '12', '--epochs', '15', '--learning-rate', '0.02', '--seed', '5', '--quiet', '--backend', 'reference', '--out', clfPath, '--json');
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.testTexts, 40);
  assert.deepEqual(j.classes, ['neg', 'pos']);
  assert.ok(j.evaluation.accuracy > 0.9 && j.evaluation.accuracy > j.evaluation.naiveBayesAccuracy, JSON.stringify(j.evaluation));
  const p = await run('classify-text', 'predict', '--model', clfPath, '--text', 'this show was not bad .', 'the movie is dull .', '--json', '--backend', 'reference');
  assert.deepEqual(JSON.parse(p.out).predictions.map((x: { label: string }) => x.label), ['pos', 'neg']);
  const e = await run('classify-text', 'evaluate', '--model', clfPath, '--data', data, '--backend', 'reference');
  assert.match(e.out, /Confusion matrix/);
  const bad = join(dir, 'bad.tsv');
  writeFileSync(bad, 'pos\tfine\nno tab here\n');
  const b = await run('classify-text', 'train', '--data', bad, '--quiet');
  assert.equal(b.code, 1);
  assert.match(b.err, /bad\.tsv, line 2: expected "label<TAB>text"/);
  writeFileSync(bad, 'pos\ta\npos\tb\npos\tc\nneg\td\n');
  assert.match((await run('classify-text', 'train', '--data', bad, '--test-size', '0.25', '--quiet')).err, /label\(s\) neg that no training line has/);
  assert.equal((await run('classify-text', 'predict', '--model', clfPath)).code, 2);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test('lm: the suggested prompt is words; --seed help says what it seeds; greedy generation blocks repeated trigrams', async () => {
  const r = await run(...TRAIN.map((a) => (a === modelPath ? join(dir, 'lm2.json') : a)));
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /Try: unroll lm generate --model \S+ --prompt "the cat"/);
  const model = { level: 'word', tokenizer: { vocab: ['<unk>', '"', '.', '(', 'the', 'whale', ','], encode: (t: string) => t.split(/\s+/).filter(Boolean).map((w) => Math.max(0, ['<unk>', '"', '.', '(', 'the', 'whale', ','].indexOf(w))), decode: (ids: number[]) => ids.map((i) => ['<unk>', '"', '.', '(', 'the', 'whale', ','][i]).join(' ') } };
  assert.equal(suggestedPrompt(model, '" . ( " the whale , "'), 'the whale');
  assert.equal(suggestedPrompt({ ...model, level: 'char' }, '". ( "Call me Ishmael.'), 'Call me ');

  const help = await run('lm', 'generate', '--help');
  assert.match(help.out, /--seed <n>\s+seed of the sampling/);
  assert.doesNotMatch(help.out, /initialisation and shuffling/);

  const greedy = await run('lm', 'generate', '--model', modelPath, '--prompt', 'the cat', '--tokens', '30', '--greedy', '--json', '--backend', 'reference');
  assert.equal(greedy.code, 0, greedy.err);
  const ids = (JSON.parse(greedy.out).samples[0].tokens as { id: number }[]).map((t) => t.id);
  const seen = new Set<string>();
  for (let i = 0; i + 3 <= ids.length; i++) {
    const key = ids.slice(i, i + 3).join(',');
    assert.ok(!seen.has(key), `trigram ${key} repeated in greedy text`);
    seen.add(key);
  }
});
