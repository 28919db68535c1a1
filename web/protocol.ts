/**
 * Messages between the playground page and its training worker. Plain data only (structured
 * clone): numbers, strings, arrays; no class instances cross the boundary.
 */

/** Which inputs the network sees: the target's level, or its log-returns from one step to the next. */
export type InputKind = 'level' | 'logReturn';
export type CellChoice = 'lstm' | 'gru' | 'elman';
export type BackendChoice = 'wasm' | 'reference';

/** How the CSV is read: the data panel's "Sort rows by date", "Missing cells" and "Columns" controls. */
export interface CsvChoices {
  sort: boolean;
  missing: 'error' | 'ffill' | 'drop';
  /** Value columns to read; empty = all. */
  columns: string[];
}

/** The words for one time step of the data, from its frequency (see src/data/frequency.ts). */
export interface StepWords {
  frequency: string | null;
  one: string;
  many: string;
  ahead: string;
  /** The seasonal period m used for MASE and seasonal naive (1 = none). */
  period: number;
}

/** What the user chose in the form (validated again in the worker). */
export interface TrainSettings {
  target: string;
  input: InputKind;
  cell: CellChoice;
  hiddenSize: number;
  lookback: number;
  epochs: number;
  /** Early stopping: epochs without a better validation loss before training ends (0 = train every epoch). */
  patience: number;
  /** Rows at the end held out for the one-step-ahead test. */
  testRows: number;
  /** Steps forecast past the end of the data. */
  horizon: number;
  backend: BackendChoice;
  csv: CsvChoices;
}

export type ToWorker =
  | { type: 'inspect'; csv: string; source: string; choices: CsvChoices }
  | {
    type: 'train'; csv: string; source: string; settings: TrainSettings;
    /** One Int32 set to 1 by the page when the user presses Stop (only where SharedArrayBuffer exists). */
    stopFlag: Int32Array | null;
  };

export interface MetricsRow {
  name: string;
  role: 'model' | 'naive' | 'baseline';
  mae: number;
  rmse: number;
  mape: number | null;
  mase: number | null;
  theilU: number | null;
  /** null when the forecast never predicts a move (naive). */
  directionalAccuracy: number | null;
}

export interface TrainResult {
  type: 'result';
  /** True when the user stopped training early (the model is the one trained so far). */
  stopped: boolean;
  backend: string;
  epochsRun: number;
  parameters: number;
  seconds: number;
  target: string;
  /** The data's frequency and its words. */
  step: StepWords;
  /** Test span: dates, actual values, and each method's one-step-ahead predictions. */
  test: { dates: string[]; actual: number[]; methods: { name: string; role: MetricsRow['role']; predicted: number[] }[] };
  /** A stretch of history just before the test span, for context in the chart. */
  context: { dates: string[]; values: number[] };
  metrics: MetricsRow[];
  verdict: string;
  beatsNaive: boolean;
  /** The forecast past the last row, with its prediction interval. */
  future: { level: number; dates: string[]; value: number[]; lower: (number | null)[]; upper: (number | null)[] };
}

export type FromWorker =
  | { type: 'inspected'; source: string; rows: number; first: string; last: string; columns: string[]; step: StepWords }
  | { type: 'started'; backend: string; parameters: number; epochs: number; trainRange: [string, string]; testRange: [string, string] }
  | { type: 'batch'; epoch: number; batch: number; batches: number; loss: number }
  | { type: 'epoch'; epoch: number; loss: number; valLoss: number | null }
  | { type: 'notice'; message: string }
  | TrainResult
  | { type: 'error'; message: string; code: string };
