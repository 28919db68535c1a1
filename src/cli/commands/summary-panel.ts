/**
 * `unroll summary --model <panel model>`: what a file saved by `unroll train --series` holds, in text or
 * JSON, as `unroll summary` says it of the per-window forecaster:
 *
 *   the kind (the global panel forecaster), its settings, the members and their best epochs, the parameter
 *   count (network weights per member, plus each training series' Holt-Winters parameters with 'hw'), the
 *   companion and the network's weight against it with the fit's evidence (weightReason, the words of the
 *   fit's description), the interval band, and the series the file keeps for `unroll forecast`.
 *
 * Everything comes from the file. A field an older file lacks is said to be missing, with what the model
 * does without it (PanelForecaster.fromJSON's rule for such files), never a value of the summary's choosing.
 */
import { loadPanelForecaster, type PanelHistory } from '../../forecast/panel-io.js';
import { breakGuardSeries, panelDescription, weightReason } from '../../forecast/methods/panel.js';
import type { PanelForecaster } from '../../forecast/panel/model.js';
import { NO_EPOCH_BUDGET } from '../../forecast/panel/settings.js';
import { BREAK_K } from '../../forecast/panel/break-guard.js';
import { chooseBackend, type RuntimeFlags } from '../common.js';
import { printJson } from '../run.js';

const KIND = 'the global panel forecaster (ES-RNN family): one recurrent network trained over every series of a panel, forecasting all h steps at once';

/** The settings a user sets, in the order the summary says them. */
const SHOWN_SETTINGS = ['horizon', 'period', 'chunk', 'lookbackChunks', 'cell', 'numLayers', 'hiddenSize', 'dilations', 'residual', 'normalisation', 'calendar'] as const;

interface PanelSummary {
  kind: string;
  format: { name: unknown; version: unknown };
  settings: Record<string, unknown>;
  /** Settings the file does not hold (written before they existed): the model reads them as fromJSON maps them. */
  settingsNotRecorded: string[];
  calendarFrequency: string | null;
  members: { count: number; trained: number; bestEpochs: (number | null)[] };
  parameters: { networkPerMember: number; holtWintersPerMember: number; perMember: number; total: number };
  companion: { choice: string | null; note: string | null };
  /**
   * With the ETS–ARIMA companion: the kept series whose last change is a break (break-guard.ts), whose companion
   * forecast is therefore Theta's; null with another companion, a network weight of 1 (the companion unused) or
   * without kept series.
   */
  breakGuard: { series: string[]; of: number; k: number } | null;
  weight: number;
  weightEvidence: number | 'Infinity' | null;
  weightNote: string;
  band: { levels: number[]; factors: number[] | null; note: string };
  series: { kept: number; source: string; target: string; frequency: string | null } | { kept: 0; note: string };
  description: string;
}

function summarise(model: PanelForecaster, file: Record<string, unknown>, history: PanelHistory | undefined): PanelSummary {
  const s = model.settings;
  const fileSettings = (file.settings ?? {}) as Record<string, unknown>;
  const settingsNotRecorded = Object.keys(s).filter((k) => !(k in fileSettings));
  const bestEpochs = model.results.map((r) => (typeof r.bestEpoch === 'number' ? r.bestEpoch : null));
  const network = model.members[0]?.length ?? 0;
  const hw = model.hw[0]?.length ?? 0;
  const guarded = history ? breakGuardSeries(model, history.series.map((x) => x.values)) : null;
  const companionRecorded = file.companionChoice !== undefined;
  const companionNote = model.companionChoice === null
    ? (s.companion === 'none' ? 'none: the network alone, trained on every value' : 'none: the network alone (the file records no companion)')
    : companionRecorded ? null : `not recorded in the file; files written before the companion was chosen combined with ${model.companionChoice}`;
  let weightNote: string;
  if (model.companionOnly) weightNote = model.companionOnlyNote!;
  else if (model.companionChoice === null) weightNote = 'the network alone: no companion to weigh it against';
  else if (Number.isNaN(model.weightEvidence)) weightNote = `chosen on validation; the evidence for it is not recorded in the file (written before unroll saved it; ${s.weightEvidence} standard errors required)`;
  // weightReason says every finite evidence; '' is left only for an infinite one with a weight above 0.
  else weightNote = `chosen on validation${weightReason(model) || ` (gain over the companion without spread: infinite evidence; ${s.weightEvidence} required)`}`;
  const levels = model.levels;
  let bandNote: string;
  if (levels.length === 0) bandNote = 'no interval (trained without levels)';
  else if (model.bandFactors) bandNote = 'calibrated on the validation windows: each level\'s factor times the series\' own band template around the combined forecast';
  else if (model.weight >= 1) bandNote = "the network's own quantile band";
  else bandNote = "the network's own quantile band moved onto the combined forecast (the file holds no calibrated band factors: written before they were saved)";
  return {
    kind: KIND,
    format: { name: file.format, version: file.version },
    settings: { ...s },
    settingsNotRecorded,
    calendarFrequency: model.calendarFrequency,
    members: { count: model.members.length, trained: model.trainedMembers, bestEpochs },
    parameters: { networkPerMember: network, holtWintersPerMember: hw, perMember: network + hw, total: model.members.length * (network + hw) },
    companion: { choice: model.companionChoice, note: companionNote },
    breakGuard: guarded ? { series: guarded.map((i) => history!.series[i]!.id), of: history!.series.length, k: BREAK_K } : null,
    weight: model.weight,
    weightEvidence: Number.isNaN(model.weightEvidence) ? null : model.weightEvidence === Infinity ? 'Infinity' : model.weightEvidence,
    weightNote,
    band: { levels: [...levels], factors: model.bandFactors ? [...model.bandFactors] : null, note: bandNote },
    series: history
      ? { kept: history.series.length, source: history.source, target: history.target, frequency: history.frequency }
      : { kept: 0, note: 'the file keeps no series: "unroll forecast" needs --series <file>' },
    description: panelDescription(model),
  };
}

function text(path: string, m: PanelSummary): string {
  const s = m.settings as PanelForecaster['settings'];
  const pct = (l: number): string => `${+(l * 100).toFixed(2)}%`;
  const lines = [
    `Panel model ${path} (${String(m.format.name)} version ${String(m.format.version)}): ${m.kind}.`,
    '',
    `Settings: horizon ${s.horizon}, seasonal period ${s.period}, chunk ${s.chunk} values, window ${s.lookbackChunks} chunks (${s.lookbackChunks * s.chunk} values), ` +
      `${s.cell.toUpperCase()} cell, ${s.numLayers} layer${s.numLayers === 1 ? '' : 's'} of ${s.hiddenSize} units, dilations ${s.dilations.join(', ')}, ` +
      `${s.residual === 0 ? 'no residual connections' : s.residual === 1 ? 'residual connections around every layer above the first' : `residual connections between blocks of ${s.residual} layers`}, normalisation ${s.normalisation}, ` +
      `calendar ${Array.isArray(s.calendar) ? `${s.calendar.join(', ')} (${m.calendarFrequency} dates)` : s.calendar}.`,
    `Training: at most ${s.epochs} epochs per member (patience ${s.patience}), ${s.windowsPerSeries} windows per series per epoch (${s.maxEpochSteps === NO_EPOCH_BUDGET ? 'no budget of recurrent steps an epoch' : `at most ${s.maxEpochSteps} recurrent steps an epoch: windows × ${s.lookbackChunks} chunks`}), batches of ${s.batchSize}, learning rate ${s.learningRate}, pinball τ ${s.tau}, seed ${s.seed}.`,
  ];
  if (m.settingsNotRecorded.length) lines.push(`Not in the file (written before these settings existed; read as the model reads them): ${m.settingsNotRecorded.join(', ')}.`);
  const epochs = m.members.bestEpochs.map((e) => (e === null ? 'not recorded' : String(e))).join(', ');
  // A model on whose panel no network could train has no member (PanelForecaster.noNetwork).
  lines.push(
    m.members.count === 0 ? 'Members: none (no network was trained; the weight below says why).' : `Members: ${m.members.count} (${m.members.trained} trained), best epochs ${epochs}.`,
    m.members.count === 0 ? 'Parameters: none.' : `Parameters: ${m.parameters.networkPerMember} network weights${m.parameters.holtWintersPerMember ? ` + ${m.parameters.holtWintersPerMember} Holt-Winters parameters (the training series')` : ''} per member; ${m.parameters.total} in all.`,
    `Companion: ${m.companion.choice ?? '-'}${m.companion.note ? ` (${m.companion.note})` : ''} (option ${s.companion}).`,
  );
  const g = m.breakGuard;
  if (g) {
    const shown = g.series.slice(0, 10).join(', ') + (g.series.length > 10 ? `, … (${g.series.length - 10} more)` : '');
    const what = `a last change more than ${g.k} robust standard deviations from the series' earlier changes`;
    lines.push(g.series.length === 0
      ? `Break guard: none of the ${g.of} kept series ends in a break (${what}), so each gets the ETS–ARIMA mean.`
      : `Break guard: ${g.series.length} of the ${g.of} kept series end${g.series.length === 1 ? 's' : ''} in a break (${what}); the companion forecasts ${g.series.length === 1 ? 'it' : 'them'} with Theta: ${shown}.`);
  }
  lines.push(
    `Network's weight: ${m.weight}, ${m.weightNote}.`,
    `Band: ${m.band.levels.length ? `levels ${m.band.levels.map(pct).join(', ')}` : 'none'}${m.band.factors ? `, factors ${m.band.factors.map((f) => +f.toFixed(4)).join(', ')}` : ''}: ${m.band.note}.`,
    'kept' in m.series && m.series.kept > 0 && 'source' in m.series
      ? `Series kept: ${m.series.kept} (of "${m.series.target}" from ${m.series.source}, ${m.series.frequency ?? 'frequency unknown'}), forecast by "unroll forecast --model ${path}".`
      : `Series kept: none (${(m.series as { note: string }).note}).`,
    `Description: ${m.description}.`,
  );
  return lines.join('\n') + '\n';
}

/** `unroll summary --model <panel model file>`. */
export function summaryPanel(flags: RuntimeFlags & { model?: string }): void {
  const path = flags.model!;
  const { model, history, file } = loadPanelForecaster(path, { backend: chooseBackend(flags.backend) });
  const m = summarise(model, file, history);
  if (flags.json) return printJson({ model: path, ...m });
  process.stdout.write(text(path, m));
}
