/**
 * panelFlagOptions (cli/panel-flags.ts): the panel model's flags become its options, and every bad value or
 * combination is refused as bad usage in the flags' names (as the CLI prints it, through cliVocabulary).
 * The flags end to end: commands/panel-flags.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UnrollError } from '../util/errors.js';
import { panelFlagOptions, type PanelNetworkFlags } from './panel-flags.js';
import { cliVocabulary } from './vocabulary.js';

/** The one line the CLI would print for flags on a panel of horizon h and period m. */
function refusal(flags: PanelNetworkFlags, h: number, m: number): string {
  try {
    panelFlagOptions(flags, h, m);
  } catch (e) {
    assert.ok(e instanceof UnrollError, String(e));
    assert.equal(e.code, 'usage', e.message);
    return cliVocabulary(e.message);
  }
  assert.fail(`accepted ${JSON.stringify(flags)}`);
}

test('panelFlagOptions passes on only what the flags set', () => {
  assert.deepEqual(panelFlagOptions({}, 8, 4), {});
  assert.deepEqual(panelFlagOptions({ layers: 4, residual: 2, dilations: [1, 2, 1, 2], hidden: 8, cell: 'lstm', lookbackChunks: 5, companion: 'none', members: 2, epochs: 3, seed: 7 }, 8, 4),
    { numLayers: 4, residual: 2, dilations: [1, 2, 1, 2], hiddenSize: 8, cell: 'lstm', lookbackChunks: 5, companion: 'none', members: 2, epochs: 3, seed: 7 });
  assert.deepEqual(panelFlagOptions({ residual: true, dilations: [1, 7] }, 8, 4), { residual: true, dilations: [1, 7] });
});

test('--weight-evidence and --validation-windows are passed on', () => {
  assert.deepEqual(panelFlagOptions({ weightEvidence: 0 }, 8, 4), { weightEvidence: 0 });
  assert.deepEqual(panelFlagOptions({ validationWindows: 1 }, 8, 4), { validationWindows: 1 });
});

test('the training flags are passed on as the library\'s options', () => {
  assert.deepEqual(panelFlagOptions({ windowsPerSeries: 4, batchSize: 16, lr: 0.005, tau: 0.4, normalisation: 'window' }, 8, 4),
    { windowsPerSeries: 4, batchSize: 16, learningRate: 0.005, tau: 0.4, normalisation: 'window' });
});

test('each combination the library refuses is said in the flags\' names', () => {
  const cases: [PanelNetworkFlags, number, number, RegExp][] = [
    [{ residual: 2 }, 8, 4, /^option --residual is 2; expected a block size that divides the 2 recurrent layers into at least two blocks \(the panel model's default 2 layers; --layers sets them\): --layers a multiple of 2 from 4$/],
    [{ layers: 1, residual: true }, 8, 4, /^option --residual needs at least 2 recurrent layers \(it adds each layer's input from the layer below\), not 1 \(--layers 1\)$/],
    [{ layers: 6, residual: 4 }, 8, 4, /^option --residual is 4; expected a block size that divides the 6 recurrent layers into at least two blocks \(--layers 6\): --layers a multiple of 4 from 8$/],
    [{ dilations: [1, 7, 28] }, 8, 4, /^option --dilations is 1,7,28; expected 2 dilations, one per recurrent layer \(the panel model's default 2 layers; --layers sets them\)$/],
    [{ layers: 3, dilations: [1, 2] }, 8, 4, /^option --dilations is 1,2; expected 3 dilations, one per recurrent layer \(--layers 3\)$/],
    [{ dilations: [1, 9] }, 8, 4, /^option --dilations is 1,9; expected each dilation from 1 to the window's 8 chunks \(the default for horizon 8 and period 4; --lookback-chunks sets it\): a longer skip never reaches a state$/],
    [{ lookbackChunks: 2, dilations: [1, 3] }, 6, 12, /^option --dilations is 1,3; expected each dilation from 1 to the window's 2 chunks \(--lookback-chunks\)/],
    [{ layers: 17 }, 8, 4, /^option --layers is 17; expected a positive integer up to 16$/],
    [{ layers: 17, dilations: [1, 2] }, 8, 4, /^option --layers is 17; expected a positive integer up to 16$/],
    [{ hidden: 5000 }, 8, 4, /^option --hidden is 5000; expected a positive integer up to 4096$/],
    [{ companion: 'best' }, 8, 4, /^option --companion is "best"; expected one of 'auto', /],
    [{ members: 1001 }, 8, 4, /^option --members is 1001; expected a positive integer up to 1000$/],
    [{ lookbackChunks: 200000 }, 8, 4, /^option --lookback-chunks is 200000; expected a positive integer up to 100000$/],
    // The training flags, by the library's own checker.
    [{ windowsPerSeries: 200000 }, 8, 4, /^option --windows-per-series is 200000; expected a positive integer up to 100000$/],
    [{ batchSize: 200000 }, 8, 4, /^option --batch-size is 200000; expected a positive integer up to 100000$/],
    [{ lr: 10 }, 8, 4, /^option --lr is 10; expected a number in \(0, 10\)$/],
    [{ tau: 1 }, 8, 4, /^option --tau is 1; expected a number in \(0, 1\)$/],
    [{ tau: 0 }, 8, 4, /^option --tau is 0; expected a number in \(0, 1\)$/],
    [{ normalisation: 'log' }, 8, 4, /^option --normalisation is "log"; expected one of 'hw', 'window'$/],
    [{ validationWindows: 3 }, 8, 4, /^option --validation-windows is 3; expected one of 1, 2$/],
  ];
  for (const [flags, h, m, message] of cases) assert.match(refusal(flags, h, m), message, JSON.stringify(flags));
});
