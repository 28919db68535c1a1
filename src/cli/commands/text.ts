/**
 * `unroll lm train | generate | evaluate`: next-token language models on text (word or character
 * level), with one-hot inputs, a softmax over the vocabulary at every step, perplexity against
 * count-based baselines, and seeded autoregressive generation.
 *
 * `unroll classify-text train | predict | evaluate`: sequence classification of labelled texts.
 */
import { fileURLToPath } from 'node:url';
import { Option, type Command } from 'commander';
import { loadLanguageModel, loadTextClassifier, parseLabelledLines, saveLanguageModel, saveTextClassifier } from '../../text/io.js';
import { TextClassifier, type ClassifierEvaluation } from '../../text/classifier.js';
import { BASELINE_NAMES } from '../../text/baselines.js';
import type { Evaluation } from '../../text/evaluate.js';
import { DEFAULT_EMBEDDING, LanguageModel, TEXT_CELLS, type LanguageModelOptions } from '../../text/lm.js';
import type { EmbeddingChoice } from '../../text/token-input.js';
import type { TokenLevel } from '../../text/tokenizer.js';
import { readStdinText, readTextFile } from '../../data/node-io.js';
import { UnrollError } from '../../util/errors.js';
import { addCheckpointFlags, addRuntimeFlags, checkpointsOf, chooseBackend, say, type CheckpointFlags, type RuntimeFlags, refuseOutputOverInput } from '../common.js';
import { table } from '../format.js';
import { trainingProgress } from '../progress.js';
import { intFlag, numberFlag, printJson, runCommand } from '../run.js';

/** The bundled text: the opening of Moby-Dick (see data/README.md). */
export const DEFAULT_TEXT = fileURLToPath(new URL('../../../data/moby_dick_small.txt', import.meta.url));

type Flags = RuntimeFlags & CheckpointFlags & {
  text?: string; level?: string; vocab?: number; minCount?: number; window?: number; stride?: number; cell?: string; hidden?: number;
  layers?: number; dropout?: number; epochs?: number; batchSize?: number; learningRate?: number; validation?: number; patience?: number;
  out?: string; model?: string; prompt?: string; tokens?: number; temperature?: number; topK?: number; greedy?: boolean; samples?: number; blockRepeats?: number;
  allowUnk?: boolean; baselineOrder?: number; data?: string; testSize?: number; bidirectional?: boolean; maxLength?: number;
  embedding?: EmbeddingChoice;
};

/** Parses --embedding: a positive integer (the embedding's dim) or one-hot. */
function embeddingFlag(v: string): EmbeddingChoice {
  const t = v.trim().toLowerCase();
  if (t === 'one-hot' || t === 'onehot') return 'one-hot';
  const n = /^[0-9]+$/.test(t) ? Number(t) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new UnrollError(`option --embedding must be a positive integer (the embedding's size per token) or one-hot, got ${JSON.stringify(v)}`, 'usage');
  return n;
}

function readText(path: string): { text: string; source: string } {
  if (path === '-') {
    try {
      return { text: readStdinText(), source: '<stdin>' };
    } catch {
      throw new UnrollError('--text -: could not read standard input; pipe a text file in, e.g. "cat book.txt | unroll lm train --text -"', 'usage');
    }
  }
  return { text: readTextFile(path), source: path };
}

const SHOWN_DEFAULT = 'data/moby_dick_small.txt';

export function registerTextCommands(program: Command): void {
  const lm = program.command('lm').description('next-word (or next-character) language models: train on text, generate, evaluate perplexity');

  // ---- lm train
  const train = lm.command('train').description('train a language model on a text file; report validation perplexity against n-gram baselines; save it');
  train
    .option('--text <file>', `UTF-8 text to learn from ("-" = stdin); the last --validation of it is held out (default: the bundled ${SHOWN_DEFAULT})`)
    .addOption(new Option('--level <level>', 'tokens: words (lower-cased, punctuation split) or characters').choices(['word', 'char']).default('word'))
    .option('--vocab <n>', 'vocabulary size incl. <unk>: the n−1 most frequent training tokens (default 2000 words / 200 chars)', intFlag('vocab'))
    .option('--min-count <n>', 'tokens seen fewer times in the training text become <unk>', intFlag('min-count'), 1)
    .option('--window <T>', 'tokens per training window: the truncated-BPTT length and the context when generating (default 20 words / 100 chars)', intFlag('window'))
    .option('--stride <n>', 'tokens between window starts (default: half the window, so windows overlap)', intFlag('stride'))
    .addOption(new Option('--cell <cell>', 'recurrent cell').choices([...TEXT_CELLS]).default('lstm'))
    .option('--hidden <n>', 'hidden units per layer', intFlag('hidden'), 128)
    .option('--embedding <d|one-hot>', 'tokens enter as ids through a learned table of d numbers per token, or as one-hot vectors of the vocabulary size', embeddingFlag, DEFAULT_EMBEDDING)
    .option('--layers <n>', 'stacked recurrent layers', intFlag('layers'), 1)
    .option('--dropout <p>', 'dropout between stacked layers (needs --layers 2+)', numberFlag('dropout'), 0)
    .option('--epochs <n>', 'passes over the training windows (at most; see --patience)', intFlag('epochs'), 20)
    .option('--batch-size <n>', 'windows per mini-batch', intFlag('batch-size'), 32)
    .option('--learning-rate <lr>', 'Adam step size', numberFlag('learning-rate'), 0.005)
    .option('--validation <f>', 'fraction of the text, from its end, held out (0 = none)', numberFlag('validation'), 0.1)
    .option('--patience <n>', 'stop after n epochs without a better validation perplexity (0 = run all epochs; the best epoch is kept either way)', intFlag('patience'), 2)
    .option('--baseline-order <n>', 'n of the n-gram Kneser–Ney baseline (default 3 for words, 5 for chars)', intFlag('baseline-order'))
    .option('--out <file>', 'where to save the model', 'lm.json');
  addCheckpointFlags(addRuntimeFlags(train))
    .addHelpText('after', `
Examples:
  unroll lm train --out moby.json                               words of the bundled Moby-Dick (about 2 minutes)
  unroll lm train --text book.txt --vocab 5000 --window 30 --hidden 256 --epochs 20 --out book.json
  unroll lm train --level char --hidden 256 --out moby-chars.json
  unroll lm train --cell gru --epochs 40 --patience 4 --json --quiet > report.json
  cat notes.txt | unroll lm train --text - --vocab 500 --window 10

The report compares validation perplexity with count-based models fitted on the same training tokens
(unigram and bigram with add-one smoothing; bigram and n-gram interpolated Kneser–Ney, n = 3 for words
and 5 for characters by default) and says plainly whether the network beats each of them.`)
    .action((flags: Flags) => runCommand(flags, () => withFlagNames(() => lmTrain(flags))));

  // ---- lm generate
  const generate = lm.command('generate').description('continue a prompt by sampling one token at a time and feeding it back (autoregressive generation)');
  generate
    .requiredOption('--model <file>', 'a model saved by "unroll lm train"')
    .requiredOption('--prompt <text>', 'text to continue (words outside the vocabulary count as <unk>)')
    .option('--tokens <n>', 'tokens to generate', intFlag('tokens'), 30)
    .option('--temperature <t>', 'sampling temperature: < 1 safer, > 1 wilder, 0 = greedy', numberFlag('temperature'), 1)
    .option('--top-k <k>', 'sample only among the k most probable tokens (0 = all)', intFlag('top-k'), 0)
    .option('--greedy', 'always take the most probable token (same as --temperature 0)')
    .option('--block-repeats <n>', 'never complete an n-gram already in the text (0 = off; default 3 when greedy, since greedy text otherwise loops, else 0)', intFlag('block-repeats'))
    .option('--samples <n>', 'independent continuations (seeds seed, seed+1, …)', intFlag('samples'), 1)
    .option('--allow-unk', 'let <unk> be generated');
  addRuntimeFlags(generate, { seedHelp: 'seed of the sampling (the same seed gives the same text; --samples uses seed, seed+1, …)' })
    .addHelpText('after', `
Examples:
  unroll lm generate --model moby.json --prompt "call me" --tokens 30 --temperature 0.8 --seed 7
  unroll lm generate --model moby.json --prompt "the whale" --greedy
  unroll lm generate --model moby.json --prompt "the sea" --top-k 10 --samples 3 --json
  unroll lm generate --model moby-chars.json --prompt "Call me " --tokens 200 --temperature 0.6

The same model, prompt, options and --seed always give the same text.`)
    .action((flags: Flags) => runCommand(flags, () => withFlagNames(() => lmGenerate(flags))));

  // ---- lm evaluate
  const evaluate = lm.command('evaluate').description('perplexity, bits per token and accuracy of a saved model on a text, against the n-gram baselines');
  evaluate
    .requiredOption('--model <file>', 'a model saved by "unroll lm train"')
    .requiredOption('--text <file>', 'UTF-8 text to score ("-" = stdin); use text the model did not train on');
  addRuntimeFlags(evaluate, { seed: false })
    .addHelpText('after', `
Examples:
  unroll lm evaluate --model moby.json --text chapter2.txt
  unroll lm evaluate --model moby.json --text chapter2.txt --json

Every token after the first is predicted once, from up to --window earlier tokens (as in training).`)
    .action((flags: Flags) => runCommand(flags, () => lmEvaluate(flags)));

  registerClassifyCommands(program);
}

function registerClassifyCommands(program: Command): void {
  const group = program.command('classify-text').description('sequence classification of texts (final hidden state → softmax): train, predict, evaluate');

  const train = group.command('train').description('train a text classifier on labelled lines ("label<TAB>text"); report test accuracy against baselines; save it');
  train
    .requiredOption('--data <file>', 'labelled texts, one "label<TAB>text" per line ("-" = stdin)')
    .option('--test-size <f>', 'fraction of the lines, from the END of the file, held out for testing (0 = none)', numberFlag('test-size'), 0.2)
    .addOption(new Option('--cell <cell>', 'recurrent cell').choices([...TEXT_CELLS]).default('lstm'))
    .option('--hidden <n>', 'hidden units', intFlag('hidden'), 32)
    .option('--embedding <d|one-hot>', 'tokens enter as ids through a learned table of d numbers per token, or as one-hot vectors of the vocabulary size', embeddingFlag, 32)
    .option('--bidirectional', 'read each text in both directions (figure 9.12)')
    .option('--vocab <n>', 'vocabulary size incl. <unk>', intFlag('vocab'), 5000)
    .option('--max-length <n>', 'longer texts keep their last n tokens', intFlag('max-length'), 100)
    .option('--epochs <n>', 'passes over the training texts', intFlag('epochs'), 30)
    .option('--batch-size <n>', 'texts per mini-batch', intFlag('batch-size'), 16)
    .option('--learning-rate <lr>', 'Adam step size', numberFlag('learning-rate'), 0.01)
    .option('--out <file>', 'where to save the classifier', 'classifier.json');
  addCheckpointFlags(addRuntimeFlags(train))
    .addHelpText('after', `
Examples:
  unroll classify-text train --data reviews.tsv --out reviews.json
  unroll classify-text train --data reviews.tsv --bidirectional --hidden 64 --epochs 50 --json

reviews.tsv holds lines such as "pos<TAB>the film was not dull ." The last --test-size of the lines
are held out; the report compares accuracy with the majority class and a naive Bayes bag of words.`)
    .action((flags: Flags) => runCommand(flags, () => withFlagNames(() => classifyTrain(flags))));

  const predict = group.command('predict').description('the class of each text, with probabilities');
  predict
    .requiredOption('--model <file>', 'a classifier saved by "unroll classify-text train"')
    .option('--text <text...>', 'one or more texts')
    .option('--file <file>', 'texts, one per line ("-" = stdin)');
  addRuntimeFlags(predict, { seed: false })
    .addHelpText('after', `
Examples:
  unroll classify-text predict --model reviews.json --text "the film was not dull ." "a dull show"
  unroll classify-text predict --model reviews.json --file new-reviews.txt --json`)
    .action((flags: Flags & { file?: string; text?: string | string[] }) => runCommand(flags, () => {
      const clf = loadTextClassifier(flags.model!, { backend: chooseBackend(flags.backend) });
      const texts = [...(Array.isArray(flags.text) ? flags.text : flags.text ? [flags.text] : []),
        ...(flags.file ? readText(flags.file).text.split(/\r?\n/).filter((l) => l.trim() !== '') : [])];
      if (texts.length === 0) throw new UnrollError('give texts with --text "…" or --file <file>', 'usage');
      const preds = clf.predict(texts);
      if (flags.json) return printJson({ model: flags.model, predictions: preds.map((p, i) => ({ text: texts[i], ...p })) });
      process.stdout.write(table(['text', 'class', 'probability'], preds.map((p, i) => [texts[i], p.label, p.probabilities[p.label].toFixed(3)])) + '\n');
    }));

  const evaluate = group.command('evaluate').description('accuracy and confusion matrix of a saved classifier on labelled lines, against the baselines');
  evaluate
    .requiredOption('--model <file>', 'a classifier saved by "unroll classify-text train"')
    .requiredOption('--data <file>', 'labelled texts, one "label<TAB>text" per line');
  addRuntimeFlags(evaluate, { seed: false })
    .addHelpText('after', `
Examples:
  unroll classify-text evaluate --model reviews.json --data held-out.tsv --json`)
    .action((flags: Flags) => runCommand(flags, () => {
      const clf = loadTextClassifier(flags.model!, { backend: chooseBackend(flags.backend) });
      const { text, source } = readText(flags.data!);
      const d = parseLabelledLines(text, source);
      const ev = clf.evaluate(d.texts, d.labels);
      if (flags.json) return printJson({ model: flags.model, data: source, evaluation: ev });
      process.stdout.write(classifierReport(ev) + '\n');
    }));
}

function classifyTrain(flags: Flags): void {
  refuseOutputOverInput('--out', flags.out, [flags.data]);
  const { text, source } = readText(flags.data!);
  const d = parseLabelledLines(text, source);
  const testSize = flags.testSize ?? 0.2;
  if (!(testSize >= 0 && testSize < 1)) throw new UnrollError(`option --test-size must be a fraction in [0, 1), got ${testSize}`, 'usage');
  const nTest = Math.floor(d.texts.length * testSize);
  if (testSize > 0 && nTest < 1) throw new UnrollError(`option --test-size ${testSize} leaves no test line out of ${d.texts.length}; use a larger fraction or 0`, 'usage');
  const cut = d.texts.length - nTest;
  const trainLabels = new Set(d.labels.slice(0, cut));
  const unseen = d.labels.slice(cut).filter((l) => !trainLabels.has(l));
  if (unseen.length > 0) throw new UnrollError(`${source}: the test lines hold label(s) ${[...new Set(unseen)].join(', ')} that no training line has; put examples of every class before the last ${testSize * 100}% of the file`, 'data');
  const epochs = flags.epochs ?? 30;
  const checkpoint = checkpointsOf(flags);
  const progress = trainingProgress({ epochs, quiet: flags.quiet, label: 'classifier training' });
  let clf: TextClassifier;
  try {
    clf = TextClassifier.train(d.texts.slice(0, cut), d.labels.slice(0, cut), {
      cell: flags.cell as LanguageModelOptions['cell'], hiddenSize: flags.hidden, embedding: flags.embedding, bidirectional: flags.bidirectional ?? false, maxVocab: flags.vocab,
      maxLength: flags.maxLength, epochs, batchSize: flags.batchSize, learningRate: flags.learningRate, seed: flags.seed ?? 42,
    }, { backend: chooseBackend(flags.backend), onEpochEnd: (epoch, loss) => progress.onEpochEnd({ epoch, loss, gradNorm: 0 }), checkpoint });
  } finally {
    progress.stop();
  }
  saveTextClassifier(clf, flags.out!);
  const ev = nTest > 0 ? clf.evaluate(d.texts.slice(cut), d.labels.slice(cut)) : null;
  if (flags.json) return printJson({ model: flags.out, data: source, classes: clf.labels, trainTexts: cut, testTexts: nTest, losses: clf.losses, evaluation: ev });
  const c = clf.network.config;
  const cellName = c.cell === 'elman' ? 'Elman RNN' : c.cell.toUpperCase();
  const what = c.bidirectional ? `a bidirectional ${cellName}` : `${c.cell === 'gru' ? 'a' : 'an'} ${cellName}`;
  const out = [`Trained ${what} text classifier on ${cut} lines of ${source} (${clf.labels.length} classes: ${clf.labels.join(', ')}; vocabulary ${clf.tokenizer.size}).`];
  out.push(ev ? `Test: the last ${nTest} lines.\n${classifierReport(ev)}` : 'No test lines were held out (--test-size 0).');
  out.push(`Saved to ${flags.out}.`);
  process.stdout.write(out.join('\n') + '\n');
}

function classifierReport(ev: ClassifierEvaluation): string {
  const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
  return [
    table(['model', 'accuracy'], [['network', pct(ev.accuracy)], ['majority class', pct(ev.majorityAccuracy)], ['naive Bayes (bag of words)', pct(ev.naiveBayesAccuracy)]]),
    '',
    'Confusion matrix (rows: actual, columns: predicted):',
    table(['', ...ev.labels], ev.labels.map((l, i) => [l, ...ev.confusion[i].map(String)])),
    '',
    ev.verdict,
  ].join('\n');
}

/** Library option names → the CLI flags that set them, for error messages. */
const FLAG_OF: Record<string, string> = {
  maxVocab: 'vocab', minCount: 'min-count', hiddenSize: 'hidden', numLayers: 'layers', batchSize: 'batch-size', learningRate: 'learning-rate',
  baselineOrder: 'baseline-order', topK: 'top-k', window: 'window', stride: 'stride', epochs: 'epochs', dropout: 'dropout', validation: 'validation',
  patience: 'patience', temperature: 'temperature', tokens: 'tokens', prompt: 'prompt', cell: 'cell', seed: 'seed', order: 'baseline-order',
  maxLength: 'max-length', embedding: 'embedding',
};

/** Rethrows option errors of the library as usage errors that name the CLI flag. */
function withFlagNames(body: () => void): void {
  try {
    body();
  } catch (e) {
    if (e instanceof UnrollError && e.code === 'option') {
      const m = /^option "([^"]+)"/.exec(e.message);
      if (m && FLAG_OF[m[1]]) throw new UnrollError(e.message.replace(m[0], `option --${FLAG_OF[m[1]]}`), 'usage');
    }
    throw e;
  }
}

function lmTrain(flags: Flags): void {
  refuseOutputOverInput('--out', flags.out, [flags.text ?? DEFAULT_TEXT]);
  const { text, source } = readText(flags.text ?? DEFAULT_TEXT);
  const shownSource = flags.text ? source : SHOWN_DEFAULT;
  const options: LanguageModelOptions = {
    level: flags.level as TokenLevel, maxVocab: flags.vocab, minCount: flags.minCount, window: flags.window, stride: flags.stride,
    cell: flags.cell as LanguageModelOptions['cell'], hiddenSize: flags.hidden, embedding: flags.embedding, numLayers: flags.layers, dropout: flags.dropout,
    epochs: flags.epochs, batchSize: flags.batchSize, learningRate: flags.learningRate, validation: flags.validation,
    patience: flags.patience, seed: flags.seed ?? 42, baselineOrder: flags.baselineOrder,
  };
  const checkpoint = checkpointsOf(flags);
  const progress = trainingProgress({ epochs: flags.epochs ?? 20, quiet: flags.quiet, label: 'lm training' });
  let model: LanguageModel;
  try {
    model = LanguageModel.train(text, options, {
      backend: chooseBackend(flags.backend), checkpoint,
      onEpochEnd: (l) => progress.onEpochEnd({ epoch: l.epoch, loss: l.loss, valLoss: l.valLoss, gradNorm: l.gradNorm }),
      onBatchEnd: (i) => progress.onBatchEnd(i),
    });
  } finally {
    progress.stop();
  }
  saveLanguageModel(model, flags.out!);
  const r = model.report!;
  if (flags.json) {
    printJson({ model: flags.out, text: shownSource, level: model.level, options: { ...options, vocab: model.tokenizer.size, cell: model.network.config.cell }, report: r });
    return;
  }
  const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
  const val = flags.validation ?? 0.1;
  const out = [
    `Trained ${describeModel(model)} on ${shownSource}.`,
    `  training:   ${r.trainTokens} ${model.level} tokens (the first ${pct(1 - val)} of the text), ${r.windows} windows of ${model.window}`,
  ];
  if (r.validation) out.push(`  validation: ${r.validationTokens} tokens (the last ${pct(val)}), ${pct(r.validation.unknownRate)} of them <unk>`);
  const best = r.epochs.find((e) => e.epoch === r.bestEpoch);
  out.push(`  kept epoch ${r.bestEpoch} of ${r.epochs.length}${r.stoppedEarly ? ' (stopped early)' : ''}: training loss ${best ? best.loss.toFixed(3) : 'n/a'} nats/token`);
  out.push('');
  if (r.validation) out.push(`Validation (${r.validation.tokens} predicted tokens):`, evaluationTable(model, r.validation), '', r.validation.verdict);
  else out.push('No validation text was held out (--validation 0), so there is no honest perplexity to report.');
  out.push('', `Saved to ${flags.out}. Try: unroll lm generate --model ${flags.out} --prompt ${JSON.stringify(suggestedPrompt(model, text))}`);
  process.stdout.write(out.join('\n') + '\n');
}

/**
 * A prompt to suggest after training: the first two words in the vocabulary that stand next to each
 * other in the text (or, for characters, 8 characters from the first letter on), so the suggestion
 * is words rather than the punctuation a text may open with.
 */
export function suggestedPrompt(model: { level: string; tokenizer: { encode(t: string): ArrayLike<number>; decode(ids: number[]): string; vocab: readonly string[] } }, text: string): string {
  const head = text.slice(0, 20000);
  if (model.level !== 'word') {
    const start = head.search(/\p{L}/u);
    return head.slice(Math.max(0, start), Math.max(0, start) + 8);
  }
  const ids = Array.from(model.tokenizer.encode(head));
  const isWord = (id: number): boolean => id > 0 && /\p{L}/u.test(model.tokenizer.vocab[id] ?? '');
  for (let i = 0; i + 1 < ids.length; i++) if (isWord(ids[i]) && isWord(ids[i + 1])) return model.tokenizer.decode([ids[i], ids[i + 1]]);
  return model.tokenizer.decode(ids.filter((id) => id > 0).slice(0, 2));
}

function lmGenerate(flags: Flags): void {
  const model = loadLanguageModel(flags.model!, { backend: chooseBackend(flags.backend) });
  const samples = flags.samples ?? 1;
  if (samples < 1) throw new UnrollError(`option --samples must be at least 1, got ${samples}`, 'usage');
  const seed = flags.seed ?? 42;
  const temperature = flags.greedy ? 0 : flags.temperature;
  const runs = Array.from({ length: samples }, (_, i) => model.generate(flags.prompt!, {
    tokens: flags.tokens, temperature, topK: flags.topK, seed: seed + i, allowUnknown: flags.allowUnk ?? false, noRepeatNgram: flags.blockRepeats ?? (temperature === 0 ? 3 : 0),
  }));
  if (runs[0].promptUnknown > 0) say(flags, `unroll: note: ${runs[0].promptUnknown} prompt token(s) are not in the vocabulary and were read as <unk>`);
  if (flags.json) {
    printJson({ model: flags.model, prompt: flags.prompt, temperature, topK: flags.topK, samples: runs.map((g, i) => ({ seed: seed + i, text: g.text, full: g.full, tokens: g.tokens })) });
    return;
  }
  process.stdout.write(runs.map((g) => g.full).join('\n\n') + '\n');
}

function lmEvaluate(flags: Flags): void {
  const model = loadLanguageModel(flags.model!, { backend: chooseBackend(flags.backend) });
  const { text, source } = readText(flags.text!);
  const ev = model.evaluate(text);
  if (flags.json) return printJson({ model: flags.model, text: source, level: model.level, evaluation: ev });
  process.stdout.write([
    `${describeModel(model)}, scored on ${source}: ${ev.tokens} predicted tokens, ${(ev.unknownRate * 100).toFixed(1)}% of them <unk>.`,
    evaluationTable(model, ev), '', ev.verdict,
  ].join('\n') + '\n');
}

function describeModel(model: LanguageModel): string {
  const c = model.network.config;
  const cell = c.cell === 'elman' ? 'Elman RNN' : c.cell.toUpperCase();
  const input = c.embedding ? `embedding ${c.embedding.dim}` : 'one-hot input';
  return `a ${model.level}-level ${cell} language model (${input}, ${c.numLayers > 1 ? `${c.numLayers} layers × ` : ''}${c.hiddenSize} hidden, vocabulary ${model.tokenizer.size} incl. <unk>, ${model.network.parameterCount} parameters)`;
}

function evaluationTable(model: LanguageModel, ev: Evaluation): string {
  const cell = model.network.config.cell === 'elman' ? 'Elman RNN' : model.network.config.cell.toUpperCase();
  const f = (x: number): string => x.toFixed(2);
  return table(['model', 'perplexity', 'bits/token'], [
    [`${cell} (top-1 accuracy ${(ev.accuracy * 100).toFixed(1)}%)`, f(ev.perplexity), ev.bitsPerToken.toFixed(3)],
    ...BASELINE_NAMES.map((n) => [ev.baselines[n].label, f(ev.baselines[n].perplexity), (ev.baselines[n].crossEntropy / Math.LN2).toFixed(3)]),
  ]);
}
