import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWidePanel, pairWidePanels } from './wide.js';
import { throwsWith } from './test-helpers.js';

const src = { source: 'Hourly-train.csv' };

test('wide panel: quoted header, ragged rows padded with empty cells, ids and lines', () => {
  const text = '"V1","V2","V3","V4"\n"H1","605","586","586.5"\n"H2","3124","-2e1",""\n\n"H3","7",,\n';
  const p = parseWidePanel(text, src);
  assert.deepEqual(p.ids, ['H1', 'H2', 'H3']);
  assert.deepEqual(p.series.map((s) => [...s]), [[605, 586, 586.5], [3124, -20], [7]]);
  assert.deepEqual(p.lines, [2, 3, 5]);
  assert.equal(p.source, 'Hourly-train.csv');
});

test('wide panel: rows shorter than the header (no padding) and CRLF', () => {
  const p = parseWidePanel('V1,V2,V3\r\nA,1,2\r\nB,3\r\n');
  assert.deepEqual(p.series.map((s) => [...s]), [[1, 2], [3]]);
});

test('wide panel: R-style NA (and the other missing tokens) after the last value end a ragged row', () => {
  // R's write.csv of a ragged matrix pads the shorter rows with NA.
  const p = parseWidePanel('"V1","V2","V3","V4"\n"Y1",1,2,3\n"Y2",4,NA,NA\n"Y3",5,6, null \n', src);
  assert.deepEqual(p.series.map((s) => [...s]), [[1, 2, 3], [4], [5, 6]]);
  throwsWith(() => parseWidePanel('"V1","V2","V3","V4"\n"Y1",1,NA,3\n', src), 'line 2, column 3 ("V3")', 'missing value "NA" inside series "Y1"', 'a gap');
  throwsWith(() => parseWidePanel('"V1","V2","V3"\n"Y1",NA,NA\n', src), 'line 2', 'series "Y1" has no values');
});

test('wide panel: each bad input names file, line and column', () => {
  throwsWith(() => parseWidePanel('"V1","V2","V3"\n"H1","1","x"\n', src), 'Hourly-train.csv, line 2, column 3 ("V3")', '"x" is not a number');
  throwsWith(() => parseWidePanel('"V1","V2","V3","V4"\n"H1","1","2","3"\n"H2","1","","3"\n', src), 'Hourly-train.csv, line 3, column 3 ("V3")', 'empty cell inside series "H2"', 'a gap');
  throwsWith(() => parseWidePanel('"V1","V2"\n"H1","1"\n"H2","2"\n"H1","3"\n', src), 'Hourly-train.csv, line 4, column 1', '"H1" repeats the id on line 2');
  throwsWith(() => parseWidePanel('"V1","V2","V3"\n"H1","1","2"\n"H2","",""\n', src), 'Hourly-train.csv, line 3', 'series "H2" has no values');
  throwsWith(() => parseWidePanel('"V1","V2"\n"","1"\n', src), 'Hourly-train.csv, line 2, column 1', 'id is empty');
  throwsWith(() => parseWidePanel('"V1","V2"\n"H1","1","2"\n', src), 'Hourly-train.csv, line 2', '3 fields but the header has 2', 'at most 2 fields');
  throwsWith(() => parseWidePanel('"V1"\n"H1"\n', src), 'Hourly-train.csv', 'expected an id column and at least one value column');
  throwsWith(() => parseWidePanel('', src), 'Hourly-train.csv', 'empty');
  throwsWith(() => parseWidePanel('"V1","V2"\n', src), 'Hourly-train.csv', 'no rows of values');
  throwsWith(() => parseWidePanel('"V1","V2"\n"H1","1e999"\n', src), 'line 2, column 2 ("V2")', 'finite');
});

test('wide panel: the header line is optional; its names are never checked', () => {
  // No header: the first line is a series when its values are numbers that do not count like column numbers.
  const bare = parseWidePanel('UKgas,160.1,129.7,84.8,120.1,160.1\nB,3,4\nC,5,6,7,8,9,10,11\n', { source: 'bare.csv' });
  assert.deepEqual(bare.ids, ['UKgas', 'B', 'C']);
  assert.deepEqual(bare.series.map((s) => s.length), [5, 2, 7]); // without a header, rows have any length
  assert.deepEqual(bare.lines, [1, 2, 3]);
  assert.equal(bare.header, undefined);
  assert.deepEqual([...parseWidePanel('Y1,4,NA,NA\nY2,5,6,7\n').series[0]!], [4]); // R's padding on the first line too
  throwsWith(() => parseWidePanel('A,1,5\nB,2,x\n', src), 'line 2, column 3:', '"x" is not a number'); // no header name to quote
  // pandas' to_csv: an empty index name and integer column labels; R-like repeated names.
  const pandas = parseWidePanel(',0,1,2\nA,5,6,7\nB,8\n', src);
  assert.deepEqual(pandas.ids, ['A', 'B']);
  assert.deepEqual(pandas.header, ['', '0', '1', '2']);
  assert.deepEqual(parseWidePanel('id,1,2,3\nA,5,6,7\n').ids, ['A']);
  // Years, or any whole numbers rising by one, are column labels too; a lone 0 or 1 as well.
  assert.deepEqual(parseWidePanel('country,2001,2002,2003\nA,5,6,7\n').ids, ['A']);
  assert.deepEqual(parseWidePanel('id,700,701\nA,5,6\n').ids, ['A']);
  assert.deepEqual(parseWidePanel('id,1\nA,5\n').ids, ['A']);
  assert.deepEqual(parseWidePanel('A,7\nB,5\n').ids, ['A', 'B']); // one value that is not 0 or 1: a series
  assert.deepEqual(parseWidePanel('A,1.5,2.5\nB,5\n').ids, ['A', 'B']); // rising by one but not whole: a series
  // A first line read as a series, when the other file's was a header: the message says which line was read how.
  throwsWith(() => pairWidePanels(parseWidePanel('id,0,1,2\nA,5,6,7\n', { source: 'train.csv' }), parseWidePanel('id,3.5\nA,8\n', { source: 'test.csv' })),
    'series "id" is not in train.csv', 'line 1 of test.csv was read as a series', 'if it is a header');
  assert.deepEqual(parseWidePanel('id,x,x\nA,5,6\n').ids, ['A']);
  throwsWith(() => parseWidePanel(',0,1\n', src), 'only a header line (line 1)');
  throwsWith(() => parseWidePanel('\n\n', src), 'Hourly-train.csv: the file is empty', 'with or without a header line');
});

test('pairing a training and a test panel by id', () => {
  const train = parseWidePanel('V1,V2,V3\nA,1,2\nB,3,4\n', { source: 'train.csv' });
  const test_ = parseWidePanel('V1,V2\nB,5\nA,6\n', { source: 'test.csv' });
  const p = pairWidePanels(train, test_);
  assert.deepEqual(p.ids, ['A', 'B']);
  assert.deepEqual(p.test.map((s) => [...s]), [[6], [5]]);
  throwsWith(() => pairWidePanels(train, parseWidePanel('V1,V2\nA,6\n', { source: 'test.csv' })), 'train.csv, line 3', 'series "B" has no row in test.csv');
  throwsWith(() => pairWidePanels(train, parseWidePanel('V1,V2\nA,6\nB,1\nC,2\n', { source: 'test.csv' })), 'test.csv, line 4', 'series "C" is not in train.csv');
  // A file without a header whose first series counts 1, 2 (as column numbers do) has it read as the header,
  // and the message says so.
  const bare = parseWidePanel('A,1,2\nB,3,4\n', { source: 'bare.csv' });
  throwsWith(() => pairWidePanels(bare, test_), 'series "A" is not in bare.csv', 'the first line of bare.csv starts with "A" and was read as a header line', 'rise by one like column labels');
  throwsWith(() => pairWidePanels(train, parseWidePanel('A,1\nB,5\n', { source: 'bare-test.csv' })), 'series "A" has no row in bare-test.csv', 'the first line of bare-test.csv starts with "A"');
});

test('reading a wide panel file: a missing file names its path', async () => {
  const { readWidePanel } = await import('./node-io.js');
  throwsWith(() => readWidePanel('/no/such/Hourly-train.csv'), 'cannot read "/no/such/Hourly-train.csv"', 'no such file');
});
