/**
 * The panel forecaster's network flags, shared by `unroll benchmark` and `unroll train --series <file>`:
 *
 *   --layers n, --hidden n, --cell kind     the recurrent stack (train has them already: the per-window model's)
 *   --batch-size n, --lr rate                windows per batch, Adam's learning rate (train has them already too)
 *   --residual [k]                           residual connections, every layer (bare) or between blocks of k layers
 *   --dilations d1,d2,…                      one dilation per layer, in chunk steps
 *   --lookback-chunks K                      the input window, in chunks (seasons)
 *   --companion c                            the statistical companion combined with the network
 *   --weight-evidence z                      the evidence the network needs to get any weight against it
 *   --validation-windows 1|2                 validation windows per series the weight and band are chosen on
 *   --windows-per-series n                   training windows drawn from each series per epoch
 *   --max-epoch-steps n                      the most recurrent steps an epoch may take (large panels draw fewer windows)
 *   --tau q                                  the quantile of the point forecast in the pinball loss
 *   --normalisation hw|window                how each window is made scale-free
 *   --members, --epochs, --seed              the ensemble
 *
 * Their help states the library's own defaults (forecast/panel/settings.ts, read from `panelSettings`), and
 * `panelFlagOptions` checks the whole set against those settings before anything trains, so that a bad
 * combination (two dilations for three layers, a residual block that does not divide the layers) is
 * refused naming the flags rather than the library's options.
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import type { PanelMethodOptions } from '../forecast/methods/panel.js';
import { availableParallelism } from 'node:os';
import { PANEL_COMPANIONS, panelSettings, type PanelSettings } from '../forecast/panel/settings.js';
import { MAX_PANEL_THREADS } from '../forecast/panel/threads.js';
import { UnrollError, describe } from '../util/errors.js';
import { intFlag, numberFlag } from './run.js';

export interface PanelNetworkFlags {
  layers?: number;
  hidden?: number;
  cell?: string;
  residual?: boolean | number;
  dilations?: number[];
  lookbackChunks?: number;
  companion?: string;
  weightEvidence?: number;
  validationWindows?: number;
  windowsPerSeries?: number;
  maxEpochSteps?: number;
  batchSize?: number;
  lr?: number;
  tau?: number;
  normalisation?: string;
  members?: number;
  epochs?: number;
  seed?: number;
}

/** Threads a panel model trains and fits its companion in when --threads is not given: the CPU cores, at most MAX_PANEL_THREADS. */
export function defaultPanelThreads(): number {
  return Math.min(availableParallelism(), MAX_PANEL_THREADS);
}

/** The defaults of a panel model (those that do not depend on the horizon and the period), for the help. */
export function panelSettingsDefaults(): PanelSettings {
  return panelSettings({ horizon: 1, period: 1 });
}

/** The flags only the panel model takes (their key in the parsed flags, and the flag), in the help's order. */
export const PANEL_ONLY_FLAGS = [['residual', '--residual'], ['dilations', '--dilations'], ['lookbackChunks', '--lookback-chunks'],
  ['companion', '--companion'], ['weightEvidence', '--weight-evidence'], ['validationWindows', '--validation-windows'], ['windowsPerSeries', '--windows-per-series'], ['maxEpochSteps', '--max-epoch-steps'],
  ['tau', '--tau'], ['normalisation', '--normalisation']] as const;

/** --dilations: a comma list of positive integers (the count and range are checked against the other flags later). */
function dilationsFlag(v: string): number[] {
  const parts = v.split(',').map((s) => s.trim());
  const list = parts.map((s) => (/^\d+$/.test(s) ? Number(s) : NaN));
  if (list.some((d) => !Number.isSafeInteger(d) || d < 1)) {
    throw new UnrollError(`option --dilations is ${describe(v)}; expected a comma list of positive integers, one per recurrent layer, such as 1,7`, 'usage');
  }
  return list;
}

/** Help text of the per-layer flags on `train`, where they first describe the per-window forecaster's. */
export function panelDefaultsNote(): Record<string, string> {
  const d = panelSettingsDefaults();
  return {
    '--layers': `; the panel model of --series <file>: ${d.numLayers}`,
    '--hidden': `; the panel model of --series <file>: ${d.hiddenSize}`,
    '--cell': `; the panel model of --series <file>: ${d.cell}`,
    '--epochs': `; the panel model of --series <file>: at most ${d.epochs} per member, stopping early`,
    '--batch-size': `; the panel model of --series <file>: ${d.batchSize}`,
    '--lr': `; the panel model of --series <file>: ${d.learningRate}`,
  };
}

/**
 * Adds the panel model's network and training flags. `withShared` adds --layers, --hidden, --cell,
 * --batch-size and --lr too (a command that has them already, for another model, says the panel model's
 * defaults with `panelDefaultsNote`); `prefix` starts each description (e.g. "with --series <file>: ").
 */
export function addPanelNetworkFlags(cmd: Command, options: { withShared: boolean; prefix?: string }): Command {
  const d = panelSettingsDefaults();
  const p = options.prefix ?? '';
  if (options.withShared) {
    cmd
      .option('--layers <n>', `${p}recurrent layers (default ${d.numLayers})`, intFlag('layers'))
      .option('--hidden <n>', `${p}units per recurrent layer (default ${d.hiddenSize})`, intFlag('hidden'))
      .addOption(new Option('--cell <kind>', `${p}recurrent cell (default ${d.cell})`).choices(['gru', 'lstm', 'elman']))
      .option('--batch-size <n>', `${p}training windows per batch (default ${d.batchSize})`, intFlag('batch-size'))
      .option('--lr <rate>', `${p}Adam's learning rate (default ${d.learningRate})`, numberFlag('lr'));
  }
  return cmd
    .option('--residual [k]', `${p}residual connections: bare adds each layer's input from the layer below to its output; k adds them between blocks of k layers (--layers a multiple of k, at least two blocks) (default none)`, intFlag('residual'))
    .option('--dilations <list>', `${p}dilation of each recurrent layer in chunk steps (a chunk is one season), one per layer, e.g. 1,7 (default 1 for every layer)`, dilationsFlag)
    .option('--lookback-chunks <n>', `${p}input window in chunks of one season (default: whole seasons covering at least ${d.lookbackFactor}·h values, at least ${d.minChunks})`, intFlag('lookback-chunks'))
    .option('--companion <c>', `${p}statistical companion combined with the network, its weight chosen on validation windows: ${PANEL_COMPANIONS.slice(0, -1).join(', ')} or none (the network alone) (default ${d.companion})`)
    .option('--weight-evidence <z>', `${p}the network gets weight against the companion only when its gain on the validation windows is at least z standard errors of the sum over series; 0 takes the best weight whatever its margin (default ${d.weightEvidence})`, numberFlag('weight-evidence'))
    .option('--validation-windows <n>', `${p}validation windows of h values per series the network's weight and the band are chosen on: 2 (the last two; the first training leaves 2h values out) or 1 (default ${d.validationWindows})`, intFlag('validation-windows'))
    .option('--windows-per-series <n>', `${p}training windows drawn from each series per epoch (default ${d.windowsPerSeries})`, intFlag('windows-per-series'))
    .option('--max-epoch-steps <n>', `${p}budget of recurrent steps per epoch (windows × window chunks): a larger panel draws fewer windows per series, spread evenly (default ${d.maxEpochSteps})`, intFlag('max-epoch-steps'))
    .option('--tau <q>', `${p}quantile of the point forecast in the pinball loss, in (0, 1): 0.5 the median (default ${d.tau})`, numberFlag('tau'))
    .option('--normalisation <kind>', `${p}normalisation of each window: hw (per-series Holt-Winters level and seasonal indices learned with the network) or window (the mean of the window's last chunk) (default ${d.normalisation})`);
}

/** Each flag's key in the parsed flags and the panel model's option it sets (values as parsed; the model checks them). */
const FLAG_OPTIONS: readonly (readonly [keyof PanelNetworkFlags, keyof PanelMethodOptions])[] = [
  ['layers', 'numLayers'], ['hidden', 'hiddenSize'], ['cell', 'cell'], ['residual', 'residual'], ['dilations', 'dilations'],
  ['lookbackChunks', 'lookbackChunks'], ['companion', 'companion'], ['weightEvidence', 'weightEvidence'], ['validationWindows', 'validationWindows'],
  ['windowsPerSeries', 'windowsPerSeries'], ['maxEpochSteps', 'maxEpochSteps'], ['batchSize', 'batchSize'], ['lr', 'learningRate'], ['tau', 'tau'],
  ['normalisation', 'normalisation'], ['members', 'members'], ['epochs', 'epochs'], ['seed', 'seed'],
];

/**
 * The panel model's options from its flags, checked against the library's settings for horizon h and
 * period m: a combination they refuse is said in the flags' names. Returns only what the flags set.
 */
export function panelFlagOptions(flags: PanelNetworkFlags, h: number, m: number): PanelMethodOptions {
  const o: PanelMethodOptions = {};
  for (const [flag, option] of FLAG_OPTIONS) if (flags[flag] !== undefined) (o as Record<string, unknown>)[option] = flags[flag];
  // The layer count and the window as the model will have them (flags or defaults; their own ranges checked here).
  const { numLayers, lookbackChunks } = asUsage(() => panelSettings({ horizon: h, period: m, numLayers: o.numLayers, lookbackChunks: o.lookbackChunks }));
  const layersSaid = flags.layers === undefined ? `the panel model's default ${numLayers} layer${numLayers === 1 ? '' : 's'}; --layers sets them` : `--layers ${flags.layers}`;
  if (flags.dilations !== undefined) {
    if (flags.dilations.length !== numLayers) {
      throw new UnrollError(`option --dilations is ${flags.dilations.join(',')}; expected ${numLayers} dilation${numLayers === 1 ? '' : 's'}, one per recurrent layer (${layersSaid})`, 'usage');
    }
    const far = flags.dilations.find((x) => x > lookbackChunks);
    if (far !== undefined) {
      const windowSaid = flags.lookbackChunks === undefined ? `the default for horizon ${h} and period ${m}; --lookback-chunks sets it` : '--lookback-chunks';
      throw new UnrollError(`option --dilations is ${flags.dilations.join(',')}; expected each dilation from 1 to the window's ${lookbackChunks} chunks (${windowSaid}): a longer skip never reaches a state`, 'usage');
    }
  }
  if (flags.residual !== undefined && flags.residual !== false) {
    const k = flags.residual === true ? 1 : flags.residual;
    if (numLayers < 2 * k || numLayers % k !== 0) {
      throw new UnrollError(k === 1
        ? `option --residual needs at least 2 recurrent layers (it adds each layer's input from the layer below), not ${numLayers} (${layersSaid})`
        : `option --residual is ${k}; expected a block size that divides the ${numLayers} recurrent layers into at least two blocks (${layersSaid}): --layers a multiple of ${k} from ${2 * k}`, 'usage');
    }
  }
  // Every other range (and the types) as the library checks them; its option names become the flags (cli/vocabulary.ts).
  asUsage(() => panelSettings({ ...o, horizon: h, period: m }));
  return o;
}

/** A value the library refuses came from a flag: bad usage (exit code 2), said in the same words. */
function asUsage<T>(check: () => T): T {
  try {
    return check();
  } catch (e) {
    if (e instanceof UnrollError && e.code === 'option') throw new UnrollError(e.message, 'usage');
    throw e;
  }
}
