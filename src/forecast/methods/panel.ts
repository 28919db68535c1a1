/**
 * The global panel forecaster (forecast/panel/) behind the method contract: `fitPanel` trains one model
 * over every series of a panel; `fit` on a single series trains the same model on that series alone.
 * The model is direct multi-horizon, so it forecasts exactly the horizon it was fitted for
 * (FitOptions.horizon); any other h is refused with a clear error.
 */
import type { Backend } from '../../kernels/index.js';
import { UnrollError, badOption } from '../../util/errors.js';
import type { PanelCheckpointOptions } from '../panel/checkpoint.js';
import { FREQUENCIES, type Frequency } from '../../data/frequency.js';
import { PanelForecaster, type PanelForecasterOptions } from '../panel/model.js';
import { BREAK_K, breakAtOrigin } from '../panel/break-guard.js';
import { BREAK_GUARD } from '../panel/companion.js';
import { NO_EPOCH_BUDGET, panelSettings, type PanelSettings } from '../panel/settings.js';
import type { FitOptions, FittedMethod, FittedPanel, ForecastMethod, ForecastOptions, MethodForecast, PanelMethod } from './types.js';
import { checkedMethod } from './checked.js';
import { checkOptions, is, underPrefix, type KeyRules } from '../../util/options.js';

export type PanelMethodOptions = Omit<PanelForecasterOptions, 'horizon' | 'period'>;

export interface PanelMethodSettings {
  /** Model options beyond horizon and period (their defaults come from those two). */
  options?: PanelMethodOptions;
  backend?: Backend;
  /** Threads to train the members in, and to fit the companion's series in at fit and forecast (Node.js only). @default 1 */
  threads?: number;
  /** Called after every epoch of every member. */
  onEpoch?: (info: { member: number; epoch: number; loss: number; valScore: number }) => void;
  /** Name in tables. @default 'panel-rnn' */
  name?: string;
  /** Called with the trained model after every fit (to save it, or to report on it). */
  onFitted?: (model: PanelForecaster) => void;
  /** Checkpoints of the fit (PanelForecaster.fit's option; Node: panelFileCheckpoints). */
  checkpoint?: PanelCheckpointOptions;
  /**
   * The dates of the series fitPanel will get, each from the series' first value on (dates past a series'
   * end are ignored, so a held-out test's dates may stay): the calendar inputs read them (model option
   * "calendar"). Without them, no calendar inputs.
   */
  dates?: readonly (readonly string[])[];
  /** Frequency of the dates. @default inferred from them */
  frequency?: Frequency;
}

function selectLevels(f: MethodForecast, levels: readonly number[] | undefined): MethodForecast {
  const want = levels ?? [];
  const intervals = f.intervals.filter((b) => want.includes(b.level));
  const missing = want.filter((l) => !f.intervals.some((b) => b.level === l));
  const notes = [...(f.notes ?? [])];
  if (missing.length) notes.push(`no ${missing.join(', ')} interval: the model was trained for levels ${f.intervals.map((b) => b.level).join(', ') || 'none'} (option levels)`);
  return { mean: f.mean, intervals, ...(notes.length ? { notes } : {}) };
}

/**
 * Why the network got the weight it got, where the fit measured it (NaN: not weighed, or a model file written
 * before the evidence was saved: nothing to say), as " (…)", else ''. `unroll summary` says it too.
 */
export function weightReason(model: PanelForecaster): string {
  const z = model.weightEvidence;
  if (z === Infinity) return model.weight === 0 ? ' (the companion alone scored best on validation)' : '';
  if (!Number.isFinite(z)) return '';
  return ` (the network's best weight gained ${z.toFixed(1)} standard errors over the companion on validation; ${model.settings.weightEvidence} required)`;
}

/**
 * The settings a user can change by a flag (cli/panel-flags.ts, train's --calendar) beyond those the
 * description's head always says, in a few words each when they differ from the library's defaults
 * (panelSettings), so that the usual line stays short: ", normalisation window, τ 0.4, …" ('' with the defaults).
 * The companion and the evidence it asks for are said by the combination's clause when it names them.
 */
function changedSettings(model: PanelForecaster, d: PanelSettings, named: { companion: boolean; evidence: boolean }): string {
  const s = model.settings;
  const out: string[] = [];
  if (s.normalisation !== d.normalisation) out.push(`normalisation ${s.normalisation}`);
  if (s.tau !== d.tau) out.push(`τ ${s.tau}`);
  if (s.windowsPerSeries !== d.windowsPerSeries) out.push(`${s.windowsPerSeries} windows per series`);
  if (s.maxEpochSteps !== d.maxEpochSteps) out.push(s.maxEpochSteps === NO_EPOCH_BUDGET ? 'no budget of steps per epoch' : `at most ${s.maxEpochSteps} steps per epoch`);
  if (s.batchSize !== d.batchSize) out.push(`batches of ${s.batchSize}`);
  if (s.learningRate !== d.learningRate) out.push(`learning rate ${s.learningRate}`);
  if (s.seed !== d.seed) out.push(`seed ${s.seed}`);
  if (s.companion !== d.companion && !named.companion) out.push(s.companion === 'none' ? 'no companion (the network alone)' : `companion ${s.companion} (the network's weight 1)`);
  if (s.weightEvidence !== d.weightEvidence && !named.evidence) out.push(`weight evidence ${s.weightEvidence} required`);
  if (s.validationWindows !== d.validationWindows) out.push(`${s.validationWindows} validation window${s.validationWindows === 1 ? '' : 's'}`);
  return out.map((x) => `, ${x}`).join('');
}

/**
 * The description of a trained panel model, as `unroll benchmark` and the method's `description` print it: the
 * network, the window, the members, the combination with the companion, the calendar inputs, and every other
 * setting a flag can change that is not at its default (changedSettings).
 */
export function panelDescription(model: PanelForecaster): string {
  const s = model.settings;
  if (model.companionOnly) return model.companionOnlyNote!;
  const d = panelSettings({ horizon: s.horizon, period: s.period });
  const reason = model.companionChoice ? weightReason(model) : '';
  // A companion option that chooses among several (select, series) is said beside the one it chose.
  const chosenBy = s.companion !== d.companion && s.companion !== model.companionChoice ? `chosen by companion ${s.companion}` : '';
  const why = chosenBy && reason ? ` (${chosenBy}; ${reason.slice(2)}` : chosenBy ? ` (${chosenBy})` : reason;
  // Weight 1 against a companion is said too (the network alone forecasts, having beaten the companion on validation).
  const combined = model.weight < 1 ? `, combined ${model.weight}:${1 - model.weight} with the ${model.companionChoice} companion${why}`
    : model.companionChoice ? `, weight 1 against the ${model.companionChoice} companion${why}` : '';
  return `global ${s.cell.toUpperCase()} ${s.numLayers}×${s.hiddenSize}${s.dilations.some((x) => x > 1) ? ` (dilations ${s.dilations.join(', ')})` : ''}${s.residual > 0 ? ` with residual connections${s.residual > 1 ? ` every ${s.residual} layers` : ''}` : ''}, ${s.lookbackChunks} chunks of ${s.chunk}, ${model.members.length} members (best epochs ${model.results.map((r) => r.bestEpoch).join(', ')}${s.epochs !== d.epochs ? `; at most ${s.epochs}` : ''})` +
    changedSettings(model, d, { companion: combined !== '', evidence: reason !== '' && Number.isFinite(model.weightEvidence) }) +
    combined +
    (Array.isArray(s.calendar) ? `, calendar inputs ${s.calendar.join(', ')} (${model.calendarFrequency} dates)` : '');
}

/**
 * The positions in `series` whose companion forecast the break guard (break-guard.ts) makes Theta's: where the
 * model's companion is the ETS–ARIMA one, the guard is on and the companion has weight (w < 1); null where the
 * guard plays no part.
 */
export function breakGuardSeries(model: PanelForecaster, series: readonly ArrayLike<number>[]): number[] | null {
  if (model.companionChoice !== 'ets-arima' || !BREAK_GUARD || model.weight >= 1) return null;
  return series.flatMap((y, i) => (breakAtOrigin(y, model.settings.period) ? [i] : []));
}

/** The description's clause on the series the break guard hands to Theta (breakGuardSeries); '' when none. */
export function breakGuardNote(model: PanelForecaster, series: readonly ArrayLike<number>[]): string {
  const n = breakGuardSeries(model, series)?.length ?? 0;
  return n === 0 ? '' : `; the companion's break guard forecasts ${n} of the ${series.length} series with Theta (their last change is more than ${BREAK_K} robust standard deviations from their earlier ones)`;
}

class FittedPanelModel implements FittedPanel {
  readonly name: string;
  constructor(readonly model: PanelForecaster, private readonly series: readonly ArrayLike<number>[], name: string,
    private readonly dates?: readonly (readonly string[])[], private readonly threads?: number) {
    this.name = name;
  }

  get description(): string {
    return panelDescription(this.model) + breakGuardNote(this.model, this.series);
  }

  /** With a weight of 0 the companion forecasts alone: said wherever the method's name would suggest a network. */
  get standIn(): string | undefined {
    const m = this.model;
    if (m.weight !== 0 || !m.companionChoice) return undefined;
    return `the ${m.companionChoice} companion alone; ${m.companionOnly ? 'no network was trained' : "the network's weight is 0, chosen on validation"}`;
  }

  forecast(h: number, options: ForecastOptions = {}): MethodForecast[] {
    if (h !== this.model.settings.horizon) {
      throw new UnrollError(`panel model: asked for h = ${h}, but it was trained for horizon ${this.model.settings.horizon} (a direct multi-horizon model); fit it again with horizon ${h}`, 'option');
    }
    return this.model.forecast(this.series, { ...(this.dates ? { dates: this.dates } : {}), ...(this.threads ? { threads: this.threads } : {}) }).map((f) => selectLevels(f, options.levels));
  }
}

/** The panel model as a method: `runPanelBenchmark([panelRnn(), …], …)`. */
export function panelRnn(settings: PanelMethodSettings = {}): PanelMethod & ForecastMethod {
  checkOptions(settings, {
    options: is.object, backend: is.object, threads: is.positiveInt, onEpoch: is.function, name: is.string, onFitted: is.function,
    checkpoint: is.object, dates: is.array, frequency: is.oneOf(...FREQUENCIES),
  } satisfies KeyRules<PanelMethodSettings>, { where: 'panelRnn' });
  // The model's other options are checked by PanelForecaster at fit; these two come from the fit's options.
  const given = (settings.options ?? {}) as Record<string, unknown>;
  checkOptions({ horizon: given.horizon, period: given.period }, {}, { where: 'panelRnn', prefix: 'options.', cannot: {
    horizon: 'the horizon is the one the method is fitted for (fit options "horizon")',
    period: 'the seasonal period is the one of the fit options ("period")',
  } });
  const name = settings.name ?? 'panel-rnn';
  const fitPanel = (series: readonly ArrayLike<number>[], fit: FitOptions): FittedPanelModel => {
    if (fit?.horizon === undefined) badOption('horizon', undefined, 'the forecast horizon h (the panel model trains for it)');
    // The settings' options are named by their path in the settings ("options.epochs"); horizon and period come from the fit's options.
    const { horizon, period } = fit;
    const model = underPrefix('options.', () => new PanelForecaster({ ...settings.options, horizon, period }, settings.backend), ['horizon', 'period']);
    if (settings.dates && (!Array.isArray(series) || settings.dates.length !== series.length)) {
      badOption('dates', `${settings.dates.length} arrays`, `one array of dates per series (${Array.isArray(series) ? series.length : 'none'})`);
    }
    const dates = settings.dates?.map((d, i) => (Array.isArray(d) ? d.slice(0, series[i]!.length) : d));
    model.fit(series, {
      onEpoch: settings.onEpoch, threads: settings.threads, ...(settings.checkpoint ? { checkpoint: settings.checkpoint } : {}),
      ...(dates ? { dates } : {}), ...(settings.frequency ? { frequency: settings.frequency } : {}),
    });
    settings.onFitted?.(model);
    return new FittedPanelModel(model, series, name, dates, settings.threads);
  };
  return checkedMethod({
    name,
    fitPanel,
    fit(y: ArrayLike<number>, fit: FitOptions): FittedMethod {
      const panel = fitPanel([y], fit);
      return { name, description: panel.description, forecast: (h: number, o?: ForecastOptions) => panel.forecast(h, o)[0]! };
    },
  });
}
