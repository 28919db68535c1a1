/**
 * The playground page's script (main thread). It owns the form, the charts and the tables, and
 * hands all computation to a Web Worker made from the inlined worker bundle (a Blob URL), so the
 * page stays responsive while a network trains. Nothing is fetched: the default data set is
 * inlined, and the user's CSV is read from the file input.
 *
 * `window.__playground` exposes the page's state for tests and for curious users.
 */
import WORKER_SOURCE from 'playground:worker';
import BUNDLED_CSV from 'playground:dataset';
import { LossChart, drawForecast, fmt, registry } from './charts.js';
import type { BackendChoice, CellChoice, CsvChoices, FromWorker, InputKind, StepWords, ToWorker, TrainResult, TrainSettings } from './protocol.js';

const BUNDLED_SOURCE = 'sp500_daily_ohlcv_2000_2020.csv (bundled)';
const HORIZON = 5;

type State = 'loading' | 'ready' | 'training' | 'stopping' | 'done' | 'stopped' | 'error';

interface Dataset { csv: string; source: string; columns: string[]; rows: number; step: StepWords }

const view = {
  state: 'loading' as State,
  dataset: null as { source: string; rows: number; columns: string[]; frequency: string | null } | null,
  epochs: [] as number[],
  result: null as null | { verdict: string; stopped: boolean; epochsRun: number; backend: string; metrics: TrainResult['metrics']; future: TrainResult['future'] },
  error: null as string | null,
  charts: registry,
  stopMode: (globalThis.crossOriginIsolated && typeof SharedArrayBuffer !== 'undefined' ? 'signal' : 'terminate') as 'signal' | 'terminate',
};
(window as unknown as { __playground: typeof view }).__playground = view;

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`playground: element #${id} is missing`);
  return el as T;
};
const ui = {
  summary: $('data-summary'), file: $<HTMLInputElement>('csv-file'), useBundled: $<HTMLButtonElement>('use-bundled'), dataError: $('data-error'),
  target: $<HTMLSelectElement>('target'), input: $<HTMLSelectElement>('input'), cell: $<HTMLSelectElement>('cell'),
  hidden: $<HTMLInputElement>('hidden'), lookback: $<HTMLInputElement>('lookback'), epochs: $<HTMLInputElement>('epochs'),
  patience: $<HTMLInputElement>('patience'),
  testRows: $<HTMLInputElement>('test-rows'), backend: $<HTMLSelectElement>('backend'),
  train: $<HTMLButtonElement>('train'), stop: $<HTMLButtonElement>('stop'), progress: $<HTMLProgressElement>('progress'),
  status: $('status'), notices: $('notices'), trainError: $('train-error'),
  resultPanel: $('result-panel'), verdict: $('verdict'), forecastChart: $('chart-forecast'), metrics: $<HTMLTableElement>('metrics'),
  future: $<HTMLTableElement>('future'), futureTitle: $('future-title'),
  columns: $<HTMLInputElement>('columns'), missing: $<HTMLSelectElement>('missing'), sort: $<HTMLInputElement>('sort'),
  lookbackLabel: $('lookback-label'), resultTitle: $('result-title'), dataCredit: $('data-credit'),
};
const BUNDLED_CREDIT = ui.dataCredit.textContent ?? '';
const lossChart = new LossChart($('chart-loss'));

const workerUrl = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
let dataset: Dataset | null = null;
let job: { worker: Worker; stopFlag: Int32Array | null } | null = null;

function setState(s: State): void {
  view.state = s;
  const busy = s === 'training' || s === 'stopping' || s === 'loading';
  ui.train.disabled = busy || !dataset;
  ui.stop.disabled = !(s === 'training' || s === 'stopping');
  ui.file.disabled = busy;
  ui.useBundled.disabled = busy || dataset?.csv === BUNDLED_CSV;
  document.body.dataset.state = s;
}

function showError(el: HTMLElement, message: string | null): void {
  el.hidden = message === null;
  el.textContent = message ?? '';
  view.error = message;
}

/** Runs one worker job; `onMessage` returns true when the job is over (the worker is then ended). */
function runWorker(message: ToWorker, onMessage: (m: FromWorker) => boolean, onCrash: (text: string) => void): Worker {
  const worker = new Worker(workerUrl);
  worker.onmessage = (e: MessageEvent<FromWorker>) => {
    if (onMessage(e.data)) worker.terminate();
  };
  worker.onerror = (e) => {
    e.preventDefault();
    worker.terminate();
    onCrash(e.message || 'the worker failed to start');
  };
  worker.postMessage(message);
  return worker;
}

/** The data panel's reading choices. */
function csvChoices(): CsvChoices {
  return {
    sort: ui.sort.checked,
    missing: ui.missing.value as CsvChoices['missing'],
    columns: ui.columns.value.split(',').map((c) => c.trim()).filter(Boolean),
  };
}

function loadCsv(csv: string, source: string): void {
  setState('loading');
  ui.summary.textContent = `Reading ${source}…`;
  runWorker({ type: 'inspect', csv, source, choices: csvChoices() }, (m) => {
    if (m.type === 'inspected') {
      dataset = { csv, source, columns: m.columns, rows: m.rows, step: m.step };
      view.dataset = { source, rows: m.rows, columns: m.columns, frequency: m.step.frequency };
      showError(ui.dataError, null);
      ui.summary.textContent = `${source}: ${m.rows} rows, ${m.first} to ${m.last}, ${m.step.frequency ?? 'frequency not known from the dates'}; columns ${m.columns.join(', ')}.`;
      ui.lookbackLabel.textContent = `Lookback (${m.step.many})`;
      ui.resultTitle.textContent = `Test span: ${m.step.ahead} forecasts`;
      ui.dataCredit.textContent = csv === BUNDLED_CSV ? BUNDLED_CREDIT : `Data: ${source}, read in this page from your computer.`;
      fillTargets(m.columns);
      const suggested = Math.min(252, Math.max(10, Math.floor(m.rows * 0.2)));
      ui.testRows.value = String(suggested);
      setState('ready');
    } else if (m.type === 'error') {
      showError(ui.dataError, dataset ? `${m.message}\n(Still using ${dataset.source}.)` : m.message);
      setState(dataset ? 'ready' : 'error');
    }
    return true;
  }, (text) => {
    showError(ui.dataError, `could not read ${source}: ${text}`);
    setState(dataset ? 'ready' : 'error');
  });
}

function fillTargets(columns: string[]): void {
  ui.target.replaceChildren(...columns.map((c) => {
    const o = document.createElement('option');
    o.value = c;
    o.textContent = c;
    return o;
  }));
  ui.target.value = columns.includes('close') ? 'close' : columns[0];
  updateInputLabels();
}

function updateInputLabels(): void {
  const t = ui.target.value || 'close';
  ui.input.options[0].textContent = `log-returns (logReturn:${t})`;
  ui.input.options[1].textContent = `level (${t})`;
}

function readInt(el: HTMLInputElement, label: string): number {
  const v = Number(el.value);
  if (el.value.trim() === '' || !Number.isInteger(v)) throw new Error(`${label} is "${el.value}"; expected a whole number`);
  return v;
}

function readSettings(): TrainSettings {
  return {
    target: ui.target.value,
    input: ui.input.value as InputKind,
    cell: ui.cell.value as CellChoice,
    hiddenSize: readInt(ui.hidden, '"Hidden size"'),
    lookback: readInt(ui.lookback, '"Lookback"'),
    epochs: readInt(ui.epochs, '"Epochs"'),
    patience: readInt(ui.patience, '"Patience"'),
    testRows: readInt(ui.testRows, '"Test rows"'),
    horizon: HORIZON,
    backend: ui.backend.value as BackendChoice,
    csv: csvChoices(),
  };
}

function startTraining(): void {
  if (!dataset || job) return;
  let settings: TrainSettings;
  try {
    settings = readSettings();
  } catch (e) {
    showError(ui.trainError, (e as Error).message);
    return;
  }
  showError(ui.trainError, null);
  ui.notices.replaceChildren();
  ui.resultPanel.hidden = true;
  view.result = null;
  view.epochs = [];
  lossChart.reset();
  ui.progress.value = 0;
  ui.status.textContent = 'Starting the worker…';
  setState('training');
  const stopFlag = view.stopMode === 'signal' ? new Int32Array(new SharedArrayBuffer(4)) : null;
  const epochs = settings.epochs;
  const worker = runWorker({ type: 'train', csv: dataset.csv, source: dataset.source, settings, stopFlag }, (m) => {
    switch (m.type) {
      case 'started':
        ui.status.textContent = `Training on ${m.trainRange[0]} to ${m.trainRange[1]}; testing on ${m.testRange[0]} to ${m.testRange[1]}. ` +
          `${m.parameters} parameters, kernels: ${m.backend}.`;
        return false;
      case 'batch':
        ui.progress.value = ((m.epoch - 1) + m.batch / m.batches) / epochs;
        return false;
      case 'epoch':
        view.epochs.push(m.epoch);
        lossChart.add(m.epoch, m.loss, m.valLoss);
        ui.progress.value = m.epoch / epochs;
        ui.status.textContent = `Epoch ${m.epoch} of ${epochs}: training loss ${fmt(m.loss)}` + (m.valLoss !== null ? `, validation loss ${fmt(m.valLoss)}` : '') +
          (view.state === 'stopping' ? ' (stopping…)' : '');
        return false;
      case 'notice': {
        const li = document.createElement('li');
        li.textContent = m.message;
        ui.notices.append(li);
        return false;
      }
      case 'result':
        job = null;
        showResult(m);
        setState(m.stopped ? 'stopped' : 'done');
        return true;
      case 'error':
        job = null;
        showError(ui.trainError, m.message);
        ui.status.textContent = 'Training failed.';
        setState('error');
        return true;
      default:
        return false;
    }
  }, (text) => {
    job = null;
    showError(ui.trainError, `the training worker failed: ${text}`);
    setState('error');
  });
  job = { worker, stopFlag };
}

function stopTraining(): void {
  if (!job) return;
  if (job.stopFlag && view.state === 'training') {
    // fit's AbortSignal: training ends after this epoch, and the model so far is evaluated.
    Atomics.store(job.stopFlag, 0, 1);
    setState('stopping');
    ui.status.textContent += ' Stopping after this epoch (press Stop again to cancel outright)…';
    return;
  }
  job.worker.terminate();
  job = null;
  const done = view.epochs.length;
  ui.status.textContent = `Stopped after ${done} epoch${done === 1 ? '' : 's'}; the model was discarded.` +
    (view.stopMode === 'terminate' ? ' (This page is not cross-origin isolated, so the worker cannot be asked to finish early and evaluate; see docs/browser.md.)' : '');
  setState('stopped');
}

function cell(row: HTMLTableRowElement, text: string, tag: 'td' | 'th' = 'td'): void {
  const c = document.createElement(tag);
  c.textContent = text;
  row.append(c);
}

function showResult(r: TrainResult): void {
  view.result = { verdict: r.verdict, stopped: r.stopped, epochsRun: r.epochsRun, backend: r.backend, metrics: r.metrics, future: r.future };
  ui.resultPanel.hidden = false;
  ui.progress.value = 1;
  ui.status.textContent = `${r.stopped ? 'Stopped early' : 'Done'}: ${r.epochsRun} epoch${r.epochsRun === 1 ? '' : 's'}, ${r.parameters} parameters, kernels ${r.backend}, ${r.seconds.toFixed(1)} s.`;
  ui.verdict.textContent = r.verdict;
  ui.verdict.classList.toggle('bad', !r.beatsNaive);
  drawForecast(ui.forecastChart, r);

  const head = document.createElement('tr');
  for (const h of ['method', 'MAE', 'RMSE', 'MAPE %', 'MASE', "Theil's U", 'directional accuracy']) cell(head, h, 'th');
  const rows = r.metrics.map((m) => {
    const tr = document.createElement('tr');
    if (m.role === 'model') tr.className = 'model';
    cell(tr, m.name);
    for (const v of [m.mae, m.rmse, m.mape, m.mase, m.theilU]) cell(tr, fmt(v));
    cell(tr, m.directionalAccuracy === null ? "n/a" : `${(m.directionalAccuracy * 100).toFixed(1)}%`);
    return tr;
  });
  ui.metrics.replaceChildren(head, ...rows);

  const pct = `${Math.round(r.future.level * 100)}%`;
  const n = r.future.dates.length;
  ui.futureTitle.textContent = `Forecast of ${r.target} for the next ${n} ${n === 1 ? r.step.one : r.step.many}, with a ${pct} prediction interval`;
  ui.resultTitle.textContent = `Test span: ${r.step.ahead} forecasts` + (r.step.period > 1 ? ` (seasonal period ${r.step.period})` : '');
  const fh = document.createElement('tr');
  for (const h of ['date', 'forecast', `${pct} lower`, `${pct} upper`]) cell(fh, h, 'th');
  const frows = r.future.dates.map((d, i) => {
    const tr = document.createElement('tr');
    cell(tr, d);
    for (const v of [r.future.value[i], r.future.lower[i], r.future.upper[i]]) cell(tr, fmt(v));
    return tr;
  });
  ui.future.replaceChildren(fh, ...frows);
}

ui.train.addEventListener('click', startTraining);
ui.stop.addEventListener('click', stopTraining);
ui.target.addEventListener('change', updateInputLabels);
// A changed reading choice reads the current file again (or the one that failed, if any).
let lastCsv: { csv: string; source: string } = { csv: BUNDLED_CSV, source: BUNDLED_SOURCE };
ui.useBundled.addEventListener('click', () => { lastCsv = { csv: BUNDLED_CSV, source: BUNDLED_SOURCE }; loadCsv(BUNDLED_CSV, BUNDLED_SOURCE); });
const reread = (): void => { if (!job) loadCsv(lastCsv.csv, lastCsv.source); };
for (const el of [ui.sort, ui.missing, ui.columns]) el.addEventListener('change', reread);
ui.file.addEventListener('change', () => {
  const file = ui.file.files?.[0];
  if (!file) return;
  file.text().then((text) => { lastCsv = { csv: text, source: file.name }; loadCsv(text, file.name); }, (e: unknown) => showError(ui.dataError, `could not read ${file.name}: ${String(e)}`));
  ui.file.value = '';
});
lossChart.reset();
loadCsv(BUNDLED_CSV, BUNDLED_SOURCE);
