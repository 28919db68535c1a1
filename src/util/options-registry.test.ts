/**
 * Every options object of the public API goes through the one options checker (issue 13).
 *
 * 1. A static scan (test-support/options-scan.ts) lists every exported function, constructor and public method of
 *    src/index.ts, src/node.ts and src/testing/index.ts (unroll, unroll/node, unroll/testing) that
 *    takes an options parameter. The table below must hold exactly those ids (a new call with options
 *    and no entry here fails the first test; so does a stale entry).
 * 2. For each entry, a misspelt key must throw an UnrollError that names the key ("unknown option
 *    "…"") and lists the known keys (including the one meant), and a value of the wrong type must throw
 *    one that names the key and says what was expected.
 * 3. The forecasting methods are objects, not functions: every exported method object (and the
 *    methods made by the exported factories) is tried the same way on fit's and forecast's options.
 * 4. Nested options objects (training, model, optimizer, schedule, clip, checkpoint, cellOptions, …)
 *    and the presets that cannot honour an option are tried by name.
 *
 * An entry may be `exempt` with the reason, for a parameter the scan picks up that is not an options
 * object a user writes (the checker's own arguments, resolved settings passed between internals).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as api from '../node.js';
import { scanOptionsParameters } from '../test-support/options-scan.js';
import { gradCheck } from '../testing/index.js';

const {
  UnrollError, RNN, LSTM, GRU, SimpleRNN, Jordan, ElmanContext, TimeDelay, NARX, Seq2Seq, Network, Trainer, Stack, Unroll,
  RecurrentLayer, DilatedLayer, BidirectionalLayer, ElmanCell, LSTMCell, GRUCell, ContextCell, JordanCell, NARXCell, TimeDelayCell,
  ParamStore, EncoderDecoder, ParallelPredictor, MinMaxScaler, StandardScaler, Forecaster, PanelForecaster, LanguageModel,
  TextClassifier, SequenceTagger, Tokenizer, NGramBaselines, referenceBackend,
} = api;

const root = fileURLToPath(new URL('../../', import.meta.url));
const backend = referenceBackend();

interface Case {
  /** Makes the call with the given options object in the scanned parameter's place. */
  call?: (options: Record<string, unknown>) => unknown;
  /** A misspelt key (with a value) and the key it should have been. */
  typo?: [Record<string, unknown>, string];
  /** A key with a value of the wrong type. */
  wrong?: Record<string, unknown>;
  /** Why this parameter is not a user's options object. */
  exempt?: string;
}

/** The call is refused with an UnrollError whose message matches every pattern. */
async function refused(label: string, fn: () => unknown, ...patterns: RegExp[]): Promise<void> {
  let error: unknown = null;
  try {
    await fn(); // an async call (createWasmBackend, runPanelBenchmarkParallel) refuses by rejecting
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof UnrollError, `${label}: expected an UnrollError, got ${error === null ? 'no error' : String(error)}`);
  for (const re of patterns) assert.match((error as Error).message, re, label);
}

const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// ---- small fixtures -------------------------------------------------------------------------------
const rnn = new RNN({ inputSize: 1, hiddenSize: 2, seed: 1 });
const x = [[1, 2, 3], [0.5, 1]];
const y = [[1], [2]];
const csv = 'date,close\n2020-01-01,1\n2020-01-02,2\n2020-01-03,3\n';
const frame = api.parseCsvFrame(csv);
const series = Float64Array.from({ length: 40 }, (_, i) => 10 + Math.sin(i / 3) + i * 0.1);
const store = (): InstanceType<typeof ParamStore> => new ParamStore();
const cell = (): InstanceType<typeof ElmanCell> => new ElmanCell(backend, store(), { inputSize: 1, hiddenSize: 2, suffix: '_l0' });
const s2s = new Seq2Seq({ inputSize: 1, outputSize: 1, hiddenSize: 2 });
const lm = LanguageModel.train('the cat sat on the mat . '.repeat(10), { hiddenSize: 3, window: 4, epochs: 1, validation: 0 });
const tok = Tokenizer.fit('a b c a b');
const oneStep = { id: 's', dates: ['1', '2', '3'], actual: Float64Array.of(1, 2, 3), predicted: Float64Array.of(1, 2, 3), previous: Float64Array.of(0, 1, 2) };
const pricePanelData = api.pricePanel(api.parseCsvFrame('date,a,b\n2020-01-01,1,2\n2020-01-02,2,3\n2020-01-03,3,4\n2020-01-04,4,5\n'), { columns: ['a', 'b'] });
const dir = mkdtempSync(join(tmpdir(), 'unroll-registry-'));
const csvPath = join(dir, 'p.csv');
writeFileSync(csvPath, csv);
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

const CASES: Record<string, Case> = {
  // checker and internals
  'checkOptions/0': { exempt: 'the checker itself: its first argument is whatever options object it is asked to check' },
  'checkOptions/1': { exempt: "the checker's spec (key → rule), written by the code, not a user" },
  'checkFitOptions/0': { call: (o) => api.checkFitOptions(o, 'fit'), typo: [{ epoch: 3 }, 'epochs'], wrong: { epochs: 'x' } },
  'sampleToken/1': { call: (o) => api.sampleToken([0, 1], o as never, new api.Rng(1)), typo: [{ temprature: 1, topK: 0 }, 'temperature'], wrong: { topK: 0, temperature: -1 } },
  'checkSampling/0': { call: (o) => api.checkSampling(o), typo: [{ topk: 2 }, 'topK'], wrong: { temperature: 'hot' } },
  'new LanguageModel/2': { exempt: 'the resolved settings LanguageModel.train and fromJSON build (the user\'s options are checked in LanguageModel.train)' },
  'ParamStore#add/2': { call: (o) => store().add('w', [2], o as never), typo: [{ kind: 'uniform', bund: 1 }, 'bound'], wrong: { kind: 'uniform', bound: 'x' } },
  'ParamStore#setWeights/1': { call: (o) => store().setWeights({}, o), typo: [{ strct: true }, 'strict'], wrong: { strict: 1 } },
  'createCell/3': { call: (o) => api.createCell('elman', backend, store(), { inputSize: 1, hiddenSize: 2, suffix: '', ...o } as never), typo: [{ hiddenSise: 2 }, 'hiddenSize'], wrong: { activation: 3 } },
  'gradCheck/3': { call: (o) => gradCheck(rnn, x, y, o), typo: [{ epsilon: 1e-5 }, 'eps'], wrong: { inputs: 'yes' } },
  // data
  'parseCsvFrame/1': { call: (o) => api.parseCsvFrame(csv, o), typo: [{ delimitor: ',' }, 'delimiter'], wrong: { sort: 'yes' } },
  'parseCsvSeries/1': { call: (o) => api.parseCsvSeries(csv, o), typo: [{ idcolumn: 'x' }, 'idColumn'], wrong: { columns: 'close' } },
  'parseWidePanel/1': { call: (o) => api.parseWidePanel('V1,V2\nH1,1\n', o), typo: [{ sourse: 'x' }, 'source'], wrong: { delimiter: 1 } },
  'readCsvFrame/1': { call: (o) => api.readCsvFrame(csvPath, o), typo: [{ missng: 'drop' }, 'missing'], wrong: { missing: 'skip' } },
  'readCsvSeries/1': { call: (o) => api.readCsvSeries(csvPath, o), typo: [{ valuename: 'v' }, 'valueName'], wrong: { dateColumn: 1 } },
  'readWidePanel/1': { call: (o) => api.readWidePanel(csvPath, o), typo: [{ delimeter: ',' }, 'delimiter'], wrong: { source: 2 } },
  'frameFromArrays/1': { call: (o) => api.frameFromArrays({ a: [1, 2] }, o), typo: [{ date: ['a', 'b'] }, 'dates'], wrong: { source: 1 } },
  'new MinMaxScaler/0': { call: (o) => new MinMaxScaler(o), typo: [{ range: [0, 1] }, 'featureRange'], wrong: { featureRange: 1 } },
  'createScaler/1': { call: (o) => api.createScaler('minmax', o), typo: [{ featurerange: [0, 1] }, 'featureRange'], wrong: { featureRange: '0,1' } },
  'Scaler#fit/2': { call: (o) => new StandardScaler().fit([1, 2, 3], 1, o), typo: [{ spam: { start: 0, end: 2 } }, 'span'], wrong: { span: 2 } },
  'makeWindows/1': { call: (o) => api.makeWindows({ x: { rows: 3, cols: 1, data: Float64Array.of(1, 2, 3) }, y: [1, 2, 3] }, { lookback: 1, ...o } as never), typo: [{ horizn: 1 }, 'horizon'], wrong: { stride: '1' } },
  'lastWindow/1': { call: (o) => api.lastWindow({ rows: 3, cols: 1, data: Float64Array.of(1, 2, 3) }, { lookback: 1, ...o } as never), typo: [{ ennd: 2 }, 'end'], wrong: { end: '2' } },
  'chronologicalSplit/1': { call: (o) => api.chronologicalSplit(10, { test: 2, ...o } as never), typo: [{ validaton: 2 }, 'validation'], wrong: { validation: '2' } },
  'walkForwardFolds/1': { call: (o) => api.walkForwardFolds(10, { initialTrain: 5, ...o } as never), typo: [{ stepp: 1 }, 'step'], wrong: { mode: 'rolling' } },
  // networks and layers
  'new Network/0': { call: (o) => new Network({ inputSize: 1, hiddenSize: 2, ...o } as never), typo: [{ numLayer: 2 }, 'numLayers'], wrong: { bidirectional: 'yes' } },
  'normalizeOptions/0': { call: (o) => api.normalizeOptions({ inputSize: 1, hiddenSize: 2, ...o } as never), typo: [{ hiddensize: 2 }, 'hiddenSize'], wrong: { dropout: 'x' } },
  'normalizeCellOptions/1': { call: (o) => api.normalizeCellOptions('gru', o as never), typo: [{ resetafter: true }, 'resetAfter'], wrong: { resetAfter: 'no' } },
  'new Stack/3': { call: (o) => new Stack([], backend, 1, o), typo: [{ dropOut: 0.1 }, 'dropout'], wrong: { inputToEveryLayer: 1 } },
  'new Unroll/2': { call: (o) => new Unroll(cell(), store(), { suffix: '', ...o } as never), typo: [{ learnInitialStates: true }, 'learnInitialState'], wrong: { learnInitialState: 'yes' } },
  'new RecurrentLayer/2': { call: (o) => new RecurrentLayer(cell(), store(), { suffix: '', ...o } as never), typo: [{ sufix: '_x' }, 'suffix'], wrong: { suffix: 1 } },
  'new DilatedLayer/3': { call: (o) => new DilatedLayer(cell(), store(), 2, { suffix: '', ...o } as never), typo: [{ learnInitialstate: true }, 'learnInitialState'], wrong: { learnInitialState: 0 } },
  'new BidirectionalLayer/3': { call: (o) => new BidirectionalLayer(cell(), cell(), store(), { suffix: '', ...o } as never), typo: [{ mergemode: 'sum' }, 'mergeMode'], wrong: { mergeMode: 1 } },
  'new ElmanCell/2': { call: (o) => new ElmanCell(backend, store(), { inputSize: 1, hiddenSize: 2, suffix: '', ...o } as never), typo: [{ activaton: 'tanh' }, 'activation'], wrong: { hiddenSize: '2' } },
  'new LSTMCell/2': { call: (o) => new LSTMCell(backend, store(), { inputSize: 1, hiddenSize: 2, suffix: '', ...o } as never), typo: [{ inputsize: 1 }, 'inputSize'], wrong: { suffix: 0 } },
  'new GRUCell/2': { call: (o) => new GRUCell(backend, store(), { inputSize: 1, hiddenSize: 2, suffix: '', ...o } as never), typo: [{ resetafter: false }, 'resetAfter'], wrong: { resetAfter: 'no' } },
  'new ContextCell/2': { call: (o) => new ContextCell(backend, store(), { inputSize: 1, hiddenSize: 2, suffix: '', ...o } as never), typo: [{ trainingmode: 'bptt' }, 'trainingMode'], wrong: { trainingMode: 1 } },
  'new JordanCell/2': { call: (o) => new JordanCell(backend, store(), { inputSize: 1, hiddenSize: 2, outputSize: 1, suffix: '', ...o } as never), typo: [{ alfa: 0.5 }, 'alpha'], wrong: { alpha: '0.5' } },
  'new NARXCell/2': { call: (o) => new NARXCell(backend, store(), { inputSize: 1, hiddenSize: 2, outputSize: 1, suffix: '', ...o } as never), typo: [{ inputDelay: 2 }, 'inputDelays'], wrong: { feedback: 1 } },
  'new TimeDelayCell/2': { call: (o) => new TimeDelayCell(backend, store(), { inputSize: 1, hiddenSize: 2, suffix: '', ...o } as never), typo: [{ windw: 2 }, 'window'], wrong: { window: '2' } },
  'new EncoderDecoder/0': { call: (o) => new EncoderDecoder({ inputSize: 1, outputSize: 1, hiddenSize: 2, ...o } as never), typo: [{ hiddenSze: 2 }, 'hiddenSize'], wrong: { numLayers: 'two' } },
  'EncoderDecoder#predict/1': { call: (o) => s2s.predict(x, o as never), typo: [{ step: 2 }, 'steps'], wrong: { steps: '2' } },
  'EncoderDecoder#backwardEncoder/0': { call: (o) => s2s.backwardEncoder(o), typo: [{ inputgradient: true }, 'inputGradient'], wrong: { inputGradient: 1 } },
  'Network#predict/1': { call: (o) => new Network({ inputSize: 1, hiddenSize: 2 }).predict(x, o), typo: [{ batchsize: 2 }, 'batchSize'], wrong: { batchSize: '2' } },
  'Network#setWeights/1': { call: (o) => rnn.setWeights(rnn.getWeights(), o), typo: [{ strickt: true }, 'strict'], wrong: { strict: 'no' } },
  // models and training
  'new GRU/0': { call: (o) => new GRU({ inputSize: 1, hiddenSize: 2, ...o } as never), typo: [{ numlayers: 1 }, 'numLayers'], wrong: { hiddenSize: '2' } },
  'new LSTM/0': { call: (o) => new LSTM({ inputSize: 1, hiddenSize: 2, ...o } as never), typo: [{ outputsize: 1 }, 'outputSize'], wrong: { outputSize: '1' } },
  'new SimpleRNN/0': { call: (o) => new SimpleRNN({ inputSize: 1, hiddenSize: 2, ...o } as never), typo: [{ sed: 1 }, 'seed'], wrong: { seed: 'one' } },
  'new Jordan/0': { call: (o) => new Jordan({ inputSize: 1, hiddenSize: 2, ...o } as never), typo: [{ celloptions: {} }, 'cellOptions'], wrong: { cellOptions: 3 } },
  'new ElmanContext/0': { call: (o) => new ElmanContext({ inputSize: 1, hiddenSize: 2, ...o } as never), typo: [{ hiddensize: 2 }, 'hiddenSize'], wrong: { cellOptions: 'bptt' } },
  'new TimeDelay/0': { call: (o) => new TimeDelay({ inputSize: 1, hiddenSize: 2, ...o } as never), typo: [{ celOptions: {} }, 'cellOptions'], wrong: { hiddenSize: [2] } },
  'new NARX/0': { call: (o) => new NARX({ hiddenSize: 2, ...o } as never), typo: [{ trainng: 'closed' }, 'training'], wrong: { training: 3 } },
  'RNN#fit/2': { call: (o) => rnn.fit(x, y, o), typo: [{ epoch: 3 }, 'epochs'], wrong: { batchSize: '5' } },
  'RNN#evaluate/2': { call: (o) => rnn.evaluate(x, y, o), typo: [{ batchsize: 2 }, 'batchSize'], wrong: { batchSize: 'all' } },
  'RNN#predict/1': { call: (o) => rnn.predict(x, o), typo: [{ batchSise: 2 }, 'batchSize'], wrong: { batchSize: -1 } },
  'RNN#gradients/1': { call: (o) => rnn.gradients(x, o as never), typo: [{ inputGradients: true, y }, 'inputGradient'], wrong: { y, inputGradient: 'yes' } },
  'RNN#forwardStates/1': { call: (o) => rnn.forwardStates(x, o), typo: [{ h_0: [] }, 'h0'], wrong: { h0: 'zeros' } },
  'RNN.fromJSON/2': { call: (o) => RNN.fromJSON(rnn.toJSON(), o), typo: [{ sorce: 'm' }, 'source'], wrong: { source: 1 } },
  'modelFromJSON/1': { call: (o) => api.modelFromJSON(rnn.toJSON(), o), typo: [{ backnd: backend }, 'backend'], wrong: { backend: 'wasm' } },
  'NARX#fit/2': { call: (o) => new NARX({ hiddenSize: 2 }).fit(null as never, [[1], [2], [3]] as never, o), typo: [{ epoch: 1 }, 'epochs'], wrong: { epochs: '1' } },
  'NARX#forecast/0': { call: (o) => new NARX({ hiddenSize: 2 }).forecast({ y: [1, 2], steps: 1, ...o } as never), typo: [{ futurex: [] }, 'futureX'], wrong: { steps: '1' } },
  'Seq2Seq#fit/2': { call: (o) => s2s.fit(x, [[[1]], [[2]]], o), typo: [{ validationsplit: 0.2 }, 'validationSplit'], wrong: { shuffle: 'yes' } },
  'Seq2Seq.fromJSON/1': { call: (o) => Seq2Seq.fromJSON(s2s.toJSON(), o), typo: [{ backed: backend }, 'backend'], wrong: { source: false } },
  'fit/3': { call: (o) => api.fit(rnn, x, y, o), typo: [{ shufle: false }, 'shuffle'], wrong: { shuffle: 'x' } },
  'evaluate/3': { call: (o) => api.evaluate(rnn, x, y, o), typo: [{ los: 'mse' }, 'loss'], wrong: { batchSize: 0.5 } },
  'trainLoop/1': { call: (o) => api.trainLoop({} as never, o), typo: [{ epocs: 2 }, 'epochs'], wrong: { epochs: -1 } },
  'gradients/2': { call: (o) => api.gradients(rnn, x, o as never), typo: [{ dY: [] }, 'dy'], wrong: { y, inputGradient: 2 } },
  'forwardStates/2': { call: (o) => api.forwardStates(rnn, x, o), typo: [{ c_0: [] }, 'c0'], wrong: { c0: 1 } },
  'new Trainer/1': { call: (o) => new Trainer(rnn, o), typo: [{ optimiser: 'adam' }, 'optimizer'], wrong: { clip: 5 } },
  'createOptimizer/2': { call: (o) => api.createOptimizer(backend, 4, { type: 'adam', ...o } as never), typo: [{ learningrate: 0.1 }, 'learningRate'], wrong: { beta1: '0.9' } },
  'createSchedule/0': { call: (o) => api.createSchedule({ type: 'step', ...o } as never, 0.1, 10, false), typo: [{ stepsize: 2 }, 'stepSize'], wrong: { gamma: 'half' } },
  'new ParallelPredictor/1': { call: (o) => new ParallelPredictor(rnn, o), typo: [{ thread: 2 }, 'threads'], wrong: { threads: '2' } },
  'ParallelPredictor#predict/1': { call: (o) => new ParallelPredictor(rnn, { threads: 1 }).predict(x, o), typo: [{ batch: 2 }, 'batchSize'], wrong: { batchSize: '2' } },
  'explain/2': { call: (o) => api.explain(rnn, [1, 2], o), typo: [{ outputindex: 0 }, 'outputIndex'], wrong: { outputIndex: '0' } },
  'generate/1': { call: (o) => api.generate(new RNN({ inputSize: 1, hiddenSize: 2, outputSize: 1 }), { steps: 2, ...o } as never), typo: [{ primr: [[1]] }, 'primer'], wrong: { steps: 'two' } },
  'trainStatland/0': { call: (o) => api.trainStatland(o), typo: [{ restart: 1 }, 'restarts'], wrong: { epochs: 'x' } },
  // interop
  'toSafetensors/1': { call: (o) => api.toSafetensors(rnn, o), typo: [{ dtyp: 'F32' }, 'dtype'], wrong: { prefix: 1 } },
  'fromSafetensors/1': { call: (o) => api.fromSafetensors(api.toSafetensors(rnn), o), typo: [{ prefx: '' }, 'prefix'], wrong: { config: 'lstm' } },
  'saveSafetensors/2': { call: (o) => api.saveSafetensors(rnn, join(dir, 'm.safetensors'), o), typo: [{ dtpe: 'F64' }, 'dtype'], wrong: { dtype: 64 } },
  'loadSafetensors/1': { call: (o) => api.loadSafetensors(join(dir, 'none.safetensors'), o), typo: [{ configg: {} }, 'config'], wrong: { prefix: 2 } },
  'toOnnx/1': { call: (o) => api.toOnnx(rnn, o), typo: [{ graphname: 'g' }, 'graphName'], wrong: { docString: 1 } },
  'saveOnnx/2': { call: (o) => api.saveOnnx(rnn, join(dir, 'm.onnx'), o), typo: [{ docstring: 'd' }, 'docString'], wrong: { graphName: 2 } },
  'fromTfjsModel/2': { call: (o) => api.fromTfjsModel({} as never, new Uint8Array(0), o), typo: [{ sourc: 'x' }, 'source'], wrong: { source: 1 } },
  'loadTfjsModel/1': { call: (o) => api.loadTfjsModel(join(dir, 'none.json'), o), typo: [{ bakend: backend }, 'backend'], wrong: { backend: 'wasm' } },
  'toKeras/2': { call: (o) => api.toKeras('LSTM', {} as never, o), typo: [{ sufix: '' }, 'suffix'], wrong: { suffix: 1 } },
  'fromKeras/2': { call: (o) => api.fromKeras('GRU', {} as never, o), typo: [{ resetafter: true }, 'resetAfter'], wrong: { resetAfter: 'no' } },
  'denseToKeras/1': { call: (o) => api.denseToKeras({}, o), typo: [{ prefixx: 'h' }, 'prefix'], wrong: { prefix: 1 } },
  'denseFromKeras/1': { call: (o) => api.denseFromKeras({} as never, o), typo: [{ prefex: 'h' }, 'prefix'], wrong: { prefix: false } },
  'createWasmBackend/0': { call: (o) => api.createWasmBackend(o), typo: [{ memoryMib: 32 }, 'memoryMiB'], wrong: { simd: 'on' } },
  'createWasmBackendSync/0': { call: (o) => api.createWasmBackendSync(o), typo: [{ simdd: 'off' }, 'simd'], wrong: { simd: true } },
  // loaders
  'loadModel/1': { call: (o) => api.loadModel(join(dir, 'none.json'), o), typo: [{ backed: backend }, 'backend'], wrong: { backend: 'wasm' } },
  'loadSeq2Seq/1': { call: (o) => api.loadSeq2Seq(join(dir, 'none.json'), o), typo: [{ bakend: backend }, 'backend'], wrong: { backend: 1 } },
  'loadForecaster/1': { call: (o) => api.loadForecaster(join(dir, 'none.json'), o), typo: [{ onwarning: () => {} }, 'onWarning'], wrong: { onWarning: 'log' } },
  'loadLanguageModel/1': { call: (o) => api.loadLanguageModel(join(dir, 'none.json'), o), typo: [{ backends: backend }, 'backend'], wrong: { backend: true } },
  'loadTextClassifier/1': { call: (o) => api.loadTextClassifier(join(dir, 'none.json'), o), typo: [{ backnd: backend }, 'backend'], wrong: { backend: 'x' } },
  'loadPanelForecaster/1': { call: (o) => api.loadPanelForecaster(join(dir, 'none.json'), o), typo: [{ backen: backend }, 'backend'], wrong: { backend: 0 } },
  'fileCheckpoints/1': { call: (o) => api.fileCheckpoints(join(dir, 'ck1'), o), typo: [{ resum: true }, 'resume'], wrong: { everyMinutes: '5' } },
  'panelFileCheckpoints/1': { call: (o) => api.panelFileCheckpoints(join(dir, 'ck'), o), typo: [{ resum: true }, 'resume'], wrong: { everyMinutes: '5' } },
  // forecasting
  'new Forecaster/0': { call: (o) => new Forecaster(o), typo: [{ lookbak: 10 }, 'lookback'], wrong: { lookback: 'ten' } },
  'new Forecaster/1': { call: (o) => new Forecaster({}, o), typo: [{ onwarning: () => {} }, 'onWarning'], wrong: { onWarning: 1 } },
  'Forecaster#fit/1': { call: (o) => new Forecaster({ lookback: 2 }).fit(frame, o), typo: [{ trainend: 2 }, 'trainEnd'], wrong: { onEpochEnd: 1 } },
  'Forecaster#gradientByStep/1': { call: (o) => new Forecaster({ lookback: 2 }).gradientByStep(frame, o), typo: [{ counts: 2 }, 'count'], wrong: { count: '2' } },
  'Forecaster.fromJSON/1': { call: (o) => Forecaster.fromJSON({}, o), typo: [{ sourc: 'f' }, 'source'], wrong: { source: 3 } },
  'walkForwardBacktest/0': { call: (o) => api.walkForwardBacktest(o, frame, { initialTrain: 2 }), typo: [{ horizn: 1 }, 'horizon'], wrong: { lookback: '2' } },
  'walkForwardBacktest/2': { call: (o) => api.walkForwardBacktest({}, frame, { initialTrain: 2, ...o } as never), typo: [{ refitevery: 2 }, 'refitEvery'], wrong: { onFold: 1 } },
  'holdoutEvaluation/3': { call: (o) => api.holdoutEvaluation(new Forecaster({ lookback: 2 }), frame, 2, o), typo: [{ modelname: 'm' }, 'modelName'], wrong: { benchmarks: 'all' } },
  'compareWithBaselines/3': { call: (o) => api.compareWithBaselines(oneStep as never, Float64Array.of(0, 1, 2, 3), 1, o), typo: [{ perod: 2 }, 'period'], wrong: { intervalLevel: '0.9' } },
  'dieboldMarianoTest/3': { call: (o) => api.dieboldMarianoTest([1, 2, 3, 4], [1, 2, 3, 5], [2, 2, 3, 4], o), typo: [{ lags: 1 }, 'lag'], wrong: { loss: 'mse' } },
  'mase/2': { call: (o) => api.mase([1, 2], [1, 2], { train: [1, 2, 3], ...o } as never), typo: [{ periode: 1 }, 'period'], wrong: { period: '1' } },
  'msis/3': { call: (o) => api.msis([1, 2], [0, 1], [2, 3], { train: [1, 2, 3], level: 0.95, ...o } as never), typo: [{ levell: 0.9 }, 'level'], wrong: { level: '95%' } },
  'evaluateForecast/2': { call: (o) => api.evaluateForecast([1, 2], [1, 2], { train: [1, 2, 3], ...o } as never), typo: [{ previus: [1, 2] }, 'previous'], wrong: { previous: 1 } },
  'forecastBaseline/2': { call: (o) => api.forecastBaseline([1, 2, 3], 2, { kind: 'naive', ...o } as never), typo: [{ kinds: 'naive' }, 'kind'], wrong: { kind: 1 } },
  'oneStepBaseline/2': { call: (o) => api.oneStepBaseline([1, 2, 3, 4], { start: 2, end: 4 }, { kind: 'movingAverage', window: 2, ...o } as never), typo: [{ windows: 2 }, 'window'], wrong: { window: '2' } },
  'checkBaselineSpec/0': { call: (o) => api.checkBaselineSpec({ kind: 'seasonalNaive', period: 2, ...o } as never), typo: [{ perid: 2 }, 'period'], wrong: { period: 'weekly' } },
  'standardBaselines/0': { call: (o) => api.standardBaselines(o), typo: [{ windw: 3 }, 'window'], wrong: { period: '12' } },
  'baselineMethod/1': { call: (o) => api.baselineMethod('ma', { kind: 'movingAverage', window: 2, ...o } as never), typo: [{ windoww: 3 }, 'window'], wrong: { window: [3] } },
  'defaultBenchmarks/0': { call: (o) => api.defaultBenchmarks(o), typo: [{ movingaverage: 3 }, 'movingAverage'], wrong: { movingAverage: 'five' } },
  'rollingForecasts/3': { call: (o) => api.rollingForecasts(api.naive, series, { start: 30, end: 40 }, { period: 1, ...o } as never), typo: [{ refitevery: 2 }, 'refitEvery'], wrong: { budgetMs: '1s' } },
  'runBenchmarks/3': { call: (o) => api.runBenchmarks([api.naive], series, { start: 30, end: 40 }, { period: 1, ...o } as never), typo: [{ budgetms: 10 }, 'budgetMs'], wrong: { window: 'all' } },
  'runPanelBenchmark/2': { call: (o) => api.runPanelBenchmark([api.naive], { ids: ['a'], train: [series], test: [[1]] }, { horizon: 1, period: 1, ...o } as never), typo: [{ keepForecast: true }, 'keepForecasts'], wrong: { onProgress: 'log' } },
  'runPanelBenchmarkParallel/2': { call: (o) => api.runPanelBenchmarkParallel([api.naive], { ids: ['a'], train: [series], test: [[1]] }, { horizon: 1, period: 1, ...o } as never), typo: [{ worker: 2 }, 'workers'], wrong: { workers: 'all' } },
  'etsMethod/0': { call: (o) => api.etsMethod(o), typo: [{ model: [] }, 'models'], wrong: { maxEvaluations: 'many' } },
  'arimaMethod/0': { call: (o) => api.arimaMethod(o), typo: [{ maxp: 2 }, 'maxP'], wrong: { seasonal: 'yes' } },
  'rnnMethod/0': { call: (o) => api.rnnMethod(o), typo: [{ option: {} }, 'options'], wrong: { name: 1 } },
  'rnnOptionsFor/1': { call: (o) => api.rnnOptionsFor(series, o), typo: [{ lookbak: 3 }, 'lookback'], wrong: { training: 'fast' } },
  'panelRnn/0': { call: (o) => api.panelRnn(o), typo: [{ thread: 2 }, 'threads'], wrong: { onEpoch: 'log' } },
  'panelSettings/0': { call: (o) => api.panelSettings({ horizon: 2, period: 1, ...o } as never), typo: [{ member: 2 }, 'members'], wrong: { members: 'two' } },
  'new PanelForecaster/0': { call: (o) => new PanelForecaster({ horizon: 2, period: 1, ...o } as never), typo: [{ epoch: 2 }, 'epochs'], wrong: { epochs: 'x' } },
  'PanelForecaster#fit/1': { call: (o) => new PanelForecaster({ horizon: 2, period: 1 }).fit([series], o), typo: [{ thread: 1 }, 'threads'], wrong: { threads: 'one' } },
  'PanelForecaster#forecast/1': { call: (o) => new PanelForecaster({ horizon: 2, period: 1 }).forecast([series], o), typo: [{ date: [] }, 'dates'], wrong: { dates: 'x' } },
  'PanelForecaster.fromJSON/1': { call: (o) => PanelForecaster.fromJSON({}, o), typo: [{ sourc: 'p' }, 'source'], wrong: { source: 1 } },
  // investing
  'invest/1': { call: (o) => api.invest(pricePanelData, o), typo: [{ polcy: {} }, 'policy'], wrong: { coinRuns: 'many' } },
  'pricePanel/1': { call: (o) => api.pricePanel(frame, o), typo: [{ colums: ['close'] }, 'columns'], wrong: { column: 1 } },
  'resolveCosts/0': { call: (o) => api.resolveCosts(o), typo: [{ costbps: 10 }, 'costBps'], wrong: { cashRate: '2%' } },
  'runBacktest/2': { call: (o) => api.runBacktest([[0.1]], [[1]], o), typo: [{ cashrate: 0 }, 'cashRate'], wrong: { costBps: 'ten' } },
  'sharpeDifferenceTest/2': { call: (o) => api.sharpeDifferenceTest([0.1, 0.2], [0.1, 0.3], o), typo: [{ resample: 100 }, 'resamples'], wrong: { seed: 'x' } },
  'walkForwardSignal/2': { call: (o) => api.walkForwardSignal(pricePanelData, 1, o), typo: [{ refitevery: 2 }, 'refitEvery'], wrong: { onRefit: 1 } },
  // text
  'Tokenizer.fit/1': { call: (o) => Tokenizer.fit('a b', o), typo: [{ maxvocab: 10 }, 'maxVocab'], wrong: { level: 1 } },
  'Tokenizer.fromTokens/1': { call: (o) => Tokenizer.fromTokens(['a'], o), typo: [{ mincount: 1 }, 'minCount'], wrong: { maxVocab: 'x' } },
  'NGramBaselines.fit/2': { call: (o) => NGramBaselines.fit([0, 1, 2], 3, o), typo: [{ ordr: 2 }, 'order'], wrong: { order: 'two' } },
  'LanguageModel.train/1': { call: (o) => LanguageModel.train('a b c', o), typo: [{ hiddensize: 3 }, 'hiddenSize'], wrong: { hiddenSize: 'x' } },
  'LanguageModel.train/2': { call: (o) => LanguageModel.train('a b c', {}, o), typo: [{ onEpochend: () => {} }, 'onEpochEnd'], wrong: { onEpochEnd: 1 } },
  'LanguageModel#generate/1': { call: (o) => lm.generate('the', o), typo: [{ token: 3 }, 'tokens'], wrong: { seed: 'x' } },
  'LanguageModel.fromJSON/1': { call: (o) => LanguageModel.fromJSON(lm.toJSON(), o), typo: [{ sorce: 'x' }, 'source'], wrong: { source: 1 } },
  'TextClassifier.train/2': { call: (o) => TextClassifier.train(['a', 'b'], ['x', 'y'], o), typo: [{ epoch: 1 }, 'epochs'], wrong: { epochs: 'x' } },
  'TextClassifier.train/3': { call: (o) => TextClassifier.train(['a', 'b'], ['x', 'y'], {}, o), typo: [{ onEpoch: () => {} }, 'onEpochEnd'], wrong: { checkpoint: 'ck' } },
  'TextClassifier.fromJSON/1': { call: (o) => TextClassifier.fromJSON({}, o), typo: [{ backnd: backend }, 'backend'], wrong: { backend: 'x' } },
  'SequenceTagger.train/2': { call: (o) => SequenceTagger.train([['a', 'b']], [['X', 'Y']], o), typo: [{ hiddensize: 2 }, 'hiddenSize'], wrong: { hiddenSize: 'x' } },
  'SequenceTagger.train/3': { call: (o) => SequenceTagger.train([['a']], [['X']], {}, o), typo: [{ checkpont: {} }, 'checkpoint'], wrong: { backend: 'wasm' } },
  'SequenceTagger.fromJSON/1': { call: (o) => SequenceTagger.fromJSON({}, o), typo: [{ sourse: 'x' }, 'source'], wrong: { source: 1 } },
};

test('the table covers every exported call with an options parameter (static scan of src/index.ts, src/node.ts and src/testing/index.ts)', () => {
  const scanned = scanOptionsParameters(root, ['src/index.ts', 'src/node.ts', 'src/testing/index.ts']).map((p) => p.id);
  assert.ok(scanned.length > 100, `the scan found only ${scanned.length} calls: is it reading the sources?`);
  const missing = scanned.filter((id) => !(id in CASES));
  assert.deepEqual(missing, [], `calls with options and no entry in the table: ${missing.join(', ')}`);
  const stale = Object.keys(CASES).filter((id) => !scanned.includes(id));
  assert.deepEqual(stale, [], `entries for calls the scan no longer finds: ${stale.join(', ')}`);
});

for (const [id, c] of Object.entries(CASES)) {
  if (c.exempt) continue;
  test(`${id}: a misspelt key is named with the known keys; a wrong type is named with what is expected`, async () => {
    const [typo, meant] = c.typo!;
    const key = Object.keys(typo).find((k) => k !== meant && !(k in c.wrong!))!;
    await refused(`${id} typo`, () => c.call!(typo), new RegExp(`unknown option "(?:[\\w.\\[\\]]+\\.)?${esc(key)}"`), new RegExp(`known: (?:.*, )?${esc(meant)}(?:,| and|$)|did you mean "(?:[\\w.\\[\\]]+\\.)?${esc(meant)}"\\?\\); known: `));
    const bad = Object.keys(c.wrong!).at(-1)!; // the last key holds the wrong type (the others make the call valid)
    await refused(`${id} wrong type`, () => c.call!(c.wrong!), new RegExp(`option "(?:[\\w.\\[\\]]+\\.)?${esc(bad)}"[^;]*(?:is|cannot).*expected `));
  });
}

/** Every exported forecasting method object (and each factory's method) checks fit's and forecast's options. */
test('forecasting methods: fit and forecast options are checked on every exported method object and factory', async () => {
  const isMethod = (v: unknown): v is { name: string; fit: (y: ArrayLike<number>, o: unknown) => { forecast: (h: number, o?: unknown) => unknown } } =>
    typeof v === 'object' && v !== null && typeof (v as { fit?: unknown }).fit === 'function' && typeof (v as { name?: unknown }).name === 'string';
  const exported = Object.entries(api).filter(([, v]) => isMethod(v)).map(([k]) => k).sort();
  const listed = [...api.M4_BENCHMARKS, api.ets, api.arima];
  // Every exported method object is one of the listed ones (a new export must be listed, or it goes untested).
  for (const name of exported) assert.ok(listed.includes((api as Record<string, unknown>)[name] as never), `exported method ${name} is not in the list`);
  const made = [api.etsMethod(), api.arimaMethod(), api.rnnMethod(), api.panelRnn(), api.baselineMethod('drift', { kind: 'drift' })];
  type Loose = { name: string; fit: (y: ArrayLike<number>, o: unknown) => { forecast: (h: number, o?: unknown) => unknown } };
  for (const m of [...listed, ...made] as unknown as Loose[]) {
    await refused(`${m.name}.fit typo`, () => m.fit(series, { period: 1, perod: 12 }), /unknown option "perod" \(did you mean "period"\?\); known: period, horizon/);
    await refused(`${m.name}.fit type`, () => m.fit(series, { period: '12' }), /option "period" is "12"; expected a finite number/);
    if (m.name === 'rnn' || m.name === 'panel-rnn') continue; // fitting the networks is too slow for this test; their forecast goes through the same wrapper
    const fitted = m.fit(series, { period: 1 });
    await refused(`${m.name} forecast typo`, () => fitted.forecast(2, { level: [0.9] }), /unknown option "level" \(did you mean "levels"\?\); known: levels/);
    await refused(`${m.name} forecast type`, () => fitted.forecast(2, { levels: 0.9 }), /option "levels" is 0\.9; expected an array/);
  }
});

test('nested options objects are checked with their full path: training, training.schedule, model, model.cellOptions, model.embedding, rnnMethod\'s and panelRnn\'s options, optimizer, schedule, clip, earlyStopping, checkpoint, cellOptions, bootstrap', async () => {
  await refused('Forecaster training', () => new Forecaster({ training: { epoch: 2 } } as never), /unknown option "training\.epoch" \(did you mean "training\.epochs"\?\)/);
  await refused('Forecaster training type', () => new Forecaster({ training: { learningRate: 'fast' } } as never), /option "training\.learningRate" is "fast"; expected a positive number/);
  await refused('Forecaster model', () => new Forecaster({ model: { hiddenSise: 4 } } as never), /^Forecaster: unknown option "model\.hiddenSise" \(did you mean "model\.hiddenSize"\?\)/);
  await refused('Forecaster model type', () => new Forecaster({ model: { hiddenSize: 0 } }), /^option "model\.hiddenSize" is 0; expected a positive integer/);
  await refused('Forecaster model cellOptions', () => new Forecaster({ model: { cell: 'context', cellOptions: { alph: 0.5 } } }), /unknown option "model\.cellOptions\.alph" \(did you mean "model\.cellOptions\.alpha"\?\)/);
  await refused('Forecaster model embedding', () => new Forecaster({ model: { embedding: { vocabSize: 'x', dim: 2 } } }), /^option "model\.embedding\.vocabSize" is "x"; expected a positive integer/);
  await refused('Forecaster training schedule', () => new Forecaster({ training: { schedule: { type: 'step', stepSize: 2, gama: 0.5 } } } as never), /unknown option "training\.schedule\.gama" \(did you mean "training\.schedule\.gamma"\?\)/);
  await refused('Forecaster training schedule type', () => new Forecaster({ training: { schedule: 'cosine' } } as never), /^option "training\.schedule" is "cosine"; expected an object, or null/);
  await refused('fit optimizer', () => rnn.fit(x, y, { optimizer: { type: 'adam', learningrate: 0.1 } } as never), /unknown option "optimizer\.learningrate" \(did you mean "optimizer\.learningRate"\?\)/);
  await refused('fit optimizer type', () => rnn.fit(x, y, { optimizer: { type: 'adamw', weightDecay: 'some' } } as never), /option "optimizer\.weightDecay" is "some"; expected/);
  await refused('fit schedule', () => rnn.fit(x, y, { epochs: 1, schedule: { type: 'cosine', minlr: 0 } } as never), /unknown option "schedule\.minlr"/);
  await refused('fit clip', () => rnn.fit(x, y, { clip: { globalnorm: 1 } } as never), /unknown option "clip\.globalnorm" \(did you mean "clip\.globalNorm"\?\)/);
  await refused('fit earlyStopping', () => rnn.fit(x, y, { earlyStopping: { patiense: 2 } } as never), /unknown option "earlyStopping\.patiense" \(did you mean "earlyStopping\.patience"\?\)/);
  await refused('fit checkpoint', () => rnn.fit(x, y, { checkpoint: { pth: 'x' } } as never), /unknown option "checkpoint\.pth"/);
  await refused('Trainer clip', () => new Trainer(rnn, { clip: { valu: 1 } } as never), /unknown option "clip\.valu" \(did you mean "clip\.value"\?\)/);
  await refused('Jordan cellOptions', () => new Jordan({ inputSize: 1, hiddenSize: 2, cellOptions: { alpah: 0.5 } } as never), /unknown option "cellOptions\.alpah"; known: alpha/);
  await refused('TimeDelay cellOptions', () => new TimeDelay({ inputSize: 1, hiddenSize: 2, cellOptions: { windw: 3 } } as never), /unknown option "cellOptions\.windw"/);
  await refused('rnnMethod options.model', () => api.rnnMethod({ options: { model: { hiddenSize: 0 } } }).fit(series, { period: 1 }), /^option "options\.model\.hiddenSize" is 0; expected a positive integer/);
  await refused('rnnMethod options.training', () => api.rnnMethod({ options: { training: { epoch: 1 } } as never }).fit(series, { period: 1 }), /unknown option "options\.training\.epoch" \(did you mean "options\.training\.epochs"\?\)/);
  await refused('panelRnn options', () => api.panelRnn({ options: { epoch: 2 } as never }).fit(series, { period: 1, horizon: 2 }), /panel model: unknown option "options\.epoch" \(did you mean "options\.epochs"\?\)/);
  await refused('panelRnn options type', () => api.panelRnn({ options: { members: 'x' } as never }).fit(series, { period: 1, horizon: 2 }), /^option "options\.members" is "x"; expected a positive integer/);
  await refused('invest bootstrap', () => api.invest(pricePanelData, { bootstrap: { resample: 100 } } as never), /unknown option "bootstrap\.resample" \(did you mean "bootstrap\.resamples"\?\)/);
  await refused('judge model', () => api.judge({ actual: [1, 2], model: { name: 'm', predictd: [1, 2] }, benchmarks: [] } as never), /unknown option "model\.predictd" \(did you mean "model\.predicted"\?\)/);
  await refused('judge type', () => api.judge({ actual: [1, 2], model: { name: 'm', predicted: [1, 2] }, benchmarks: [], alpha: 5 } as never), /option "alpha" is 5; expected a number in \(0, 1\)/);
});

test('a preset or kind that cannot honour an option says so instead of dropping it', async () => {
  await refused('NARX numLayers', () => new NARX({ hiddenSize: 2, numLayers: 3 } as never), /NARX: option "numLayers" cannot be honoured/);
  await refused('evaluate optimizer', () => rnn.evaluate(x, y, { optimizer: 'sgd' } as never), /evaluate: option "optimizer" cannot be honoured: evaluate makes no update/);
  await refused('Seq2Seq threads', () => s2s.fit(x, [[[1]], [[2]]], { threads: 2 } as never), /option "threads" cannot be honoured/);
  await refused('standard scaler range', () => api.createScaler('standard', { featureRange: [0, 1] }), /createScaler: option "featureRange" cannot be honoured: a "standard" scaler has no target range/);
  await refused('naive baseline period', () => api.forecastBaseline([1, 2, 3], 1, { kind: 'naive', period: 12 }), /option "period" cannot be honoured: the "naive" baseline has no season/);
  await refused('drift baseline window', () => api.standardBaselines({}) && api.baselineMethod('d', { kind: 'drift', window: 3 }), /option "window" cannot be honoured: the "drift" baseline averages no window/);
  await refused('fromTokens level', () => Tokenizer.fromTokens(['a'], { level: 'char' } as never), /Tokenizer\.fromTokens: option "level" cannot be honoured: fromTokens makes a word vocabulary/);
  await refused('panelRnn horizon', () => api.panelRnn({ options: { horizon: 12 } as never }), /panelRnn: option "options\.horizon" cannot be honoured: the horizon is the one the method is fitted for/);
});
