/**
 * Data handling in the CLI: joins that say what they kept and lost, the --columns, --sort, --missing
 * and --validation-split flags, and messages in CLI vocabulary (flags, never library option names).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliVocabulary } from './vocabulary.js';
import { runCli, type CliResult } from '../test-support/cli.js';

const DATA = fileURLToPath(new URL('../../data/', import.meta.url));
const AIR = join(DATA, 'airpassengers_monthly_1949_1960.csv');
const SP = join(DATA, 'sp500_daily_ohlcv_2000_2020.csv');
const GOLD = join(DATA, 'gold_silver_daily_1978_2012.csv');
const dir = mkdtempSync(join(tmpdir(), 'unroll-dataflags-'));

function unroll(args: string[]): CliResult {
  return runCli(args, { cwd: dir, timeout: 60000 });
}

const tiny = ['--cell', 'elman', '--hidden', '4', '--epochs', '1', '--lookback', '5', '--backend', 'reference'];

test('--join keeps the main dates, carries gold forward and says which rows it dropped', () => {
  const model = join(dir, 'gold.json');
  const recursive = unroll(['train', '--data', SP, '--join', GOLD, ...tiny, '--features', 'logReturn:close,logReturn:gold', '--predict', 'return', '--out', model, '--quiet']);
  assert.match(recursive.err, /--strategy recursive feeds predictions of "close" back as inputs.*Use --strategy direct/);
  const r = unroll(['train', '--data', SP, '--join', GOLD, ...tiny, '--strategy', 'direct', '--features', 'logReturn:close,logReturn:gold', '--predict', 'return', '--out', model, '--json', '--quiet']);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out).join;
  assert.equal(j.mode, 'inner', 'gold has a value on every S&P trading day of its span, so auto keeps the common dates');
  assert.equal(j.mainRows, 5105);
  // Gold ends on 2012-12-31: every S&P row after it is dropped, and the message says so.
  assert.deepEqual(j.dropped.at(-1).slice(0, 2), ['2013-01-02', '2020-04-17']);
  assert.equal(j.keptRows, 5105 - j.dropped.reduce((s: number, d: [string, string, number]) => s + d[2], 0));
  assert.match(j.text, /kept \d+ of 5105 rows\. Dropped \d+ rows: 2013-01-02 … 2020-04-17 \(\d+ rows\)/);
  // A gold file with gaps (every 10th day removed): auto carries the last value forward and counts the fills.
  const lines = readFileSync(GOLD, 'utf8').trim().split('\n');
  const gappy = join(dir, 'gold-gaps.csv');
  writeFileSync(gappy, [lines[0], ...lines.slice(1).filter((_, i) => i % 10 !== 5)].join('\n') + '\n');
  const t = unroll(['train', '--data', SP, '--join', gappy, ...tiny, '--strategy', 'direct', '--features', 'logReturn:close,logReturn:gold', '--predict', 'return', '--out', join(dir, 'g2.json'), '--json']);
  assert.equal(t.code, 0, t.err);
  const tj = JSON.parse(t.out).join;
  assert.equal(tj.mode, 'ffill');
  assert.equal(tj.dropped.length, 1, 'only the rows after gold ends are dropped');
  assert.ok(tj.filled.gold > 250 && tj.filled.gold === tj.filled.silver);
  assert.match(t.err, /keeping its dates and carrying the last known value of each extra series forward\): kept \d+ of 5105 rows\. Dropped \d+ rows: 2013-01-02 … 2020-04-17 \(\d+ rows\)\. Carried forward: \d+ gold values, \d+ silver values\./);

  // The model needs gold: forecasting without --join names the flag.
  const f = unroll(['forecast', '--model', model, '--data', SP]);
  assert.equal(f.code, 2);
  assert.match(f.err, /was trained with the column "gold", which .*sp500_daily_ohlcv_2000_2020\.csv does not have .*pass the same --join <file> again/);
});

test('--columns skips a text column; --sort sorts; --missing fills; --validation-split reaches training', () => {
  const withText = join(dir, 'text.csv');
  writeFileSync(withText, 'date,note,v\n' + Array.from({ length: 40 }, (_, i) => `2020-01-${String(i % 28 + 1).padStart(2, '0')}`).slice(0, 28).map((d, i) => `${d},n${i},${10 + Math.sin(i)}`).join('\n') + '\n');
  const bad = unroll(['train', '--data', withText, ...tiny, '--out', join(dir, 'x.json'), '--quiet']);
  assert.equal(bad.code, 1);
  assert.match(bad.err, /choose numeric columns with --columns \(e\.g\. --columns close,volume\)/);
  assert.doesNotMatch(bad.err, /"columns" option/);
  const ok = unroll(['train', '--data', withText, '--columns', 'v', ...tiny, '--out', join(dir, 'x.json'), '--quiet']);
  assert.equal(ok.code, 0, ok.err);

  const unsorted = join(dir, 'unsorted.csv');
  writeFileSync(unsorted, 'date,v\n' + Array.from({ length: 28 }, (_, i) => `2020-02-${String(28 - i).padStart(2, '0')},${i}`).join('\n') + '\n');
  const u = unroll(['train', '--data', unsorted, ...tiny, '--out', join(dir, 'u.json'), '--quiet']);
  assert.match(u.err, /\(sort the file, or pass --sort\)/);
  assert.equal(unroll(['train', '--data', unsorted, '--sort', ...tiny, '--out', join(dir, 'u.json'), '--quiet']).code, 0);

  const gap = join(dir, 'gap.csv');
  writeFileSync(gap, 'date,v\n' + Array.from({ length: 28 }, (_, i) => `2020-02-${String(i + 1).padStart(2, '0')},${i === 5 ? '' : i}`).join('\n') + '\n');
  const g = unroll(['train', '--data', gap, ...tiny, '--out', join(dir, 'g.json'), '--quiet']);
  assert.match(g.err, /pass --missing ffill or --missing drop/);
  assert.equal(unroll(['train', '--data', gap, '--missing', 'ffill', ...tiny, '--out', join(dir, 'g.json'), '--quiet']).code, 0);

  const vs = unroll(['train', '--data', AIR, ...tiny, '--epochs', '2', '--validation-split', '0', '--out', join(dir, 'v.json'), '--quiet', '--json']);
  assert.equal(vs.code, 0, vs.err);
  const epochs = JSON.parse(vs.out).epochs as { valLoss?: number }[];
  assert.ok(epochs.every((e) => e.valLoss === undefined), '--validation-split 0: no validation loss');
  const big = unroll(['train', '--data', AIR, ...tiny, '--validation-split', '0.95', '--out', join(dir, 'v.json'), '--quiet']);
  assert.equal(big.code, 1);
  assert.match(big.err, /option --validation-split is 0\.95/);
  assert.doesNotMatch(big.err, /validationSplit/);
});

test('--test-size too large says what to change', () => {
  const r = unroll(['run', '--data', AIR, '--test-size', '140', '--lookback', '24', '--quiet', '--report', join(dir, 'r.html')]);
  assert.equal(r.code, 2);
  assert.match(r.err, /--test-size 140 leaves 4 of 144 rows for training, but training needs at least 35 \(10 windows of --lookback 24, so that --validation-split 0\.1 holds one out\); use --test-size from 10 to 109, or a shorter --lookback/);
});

test('library option names become the flags that set them', () => {
  assert.equal(cliVocabulary('option "hiddenSize" is 0; expected an integer ≥ 1'), 'option --hidden is 0; expected an integer ≥ 1');
  assert.equal(cliVocabulary('option "training.validationSplit" is 2'), 'option --validation-split is 2');
  assert.equal(cliVocabulary('option "options.hiddenSize" is 0'), 'option --hidden is 0', 'the panel method names its model\'s options under "options."');
  assert.equal(cliVocabulary('x.csv: which column? expected option "target"'), 'x.csv: which column? expected --target <column>');
  assert.equal(cliVocabulary('option "intervalLevel" is 2'), 'option "intervalLevel" is 2', 'options without a flag keep their (config-file) name');
});
