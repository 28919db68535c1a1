/** Saving and loading text models as files, and reading labelled text files (Node only); writes are atomic (temp file + rename). */
import { readJsonFile, writeFileAtomic } from '../data/node-io.js';
import type { Backend } from '../kernels/index.js';
import { UnrollError } from '../util/errors.js';
import { LanguageModel } from './lm.js';
import { TextClassifier } from './classifier.js';
import { checkOptions, is } from '../util/options.js';

export function saveLanguageModel(lm: LanguageModel, path: string): void {
  writeFileAtomic(path, JSON.stringify(lm.toJSON()));
}

export function loadLanguageModel(path: string, options: { backend?: Backend } = {}): LanguageModel {
  checkOptions(options, { backend: is.object }, { where: 'loadLanguageModel' });
  return LanguageModel.fromJSON(readJsonFile(path, 'unroll language model'), { source: path, ...options });
}

/** Saves a text classifier (atomic write). */
export function saveTextClassifier(clf: TextClassifier, path: string): void {
  writeFileAtomic(path, JSON.stringify(clf.toJSON()));
}

export function loadTextClassifier(path: string, options: { backend?: Backend } = {}): TextClassifier {
  checkOptions(options, { backend: is.object }, { where: 'loadTextClassifier' });
  return TextClassifier.fromJSON(readJsonFile(path, 'unroll text classifier'), { source: path, ...options });
}

/**
 * Reads labelled texts, one per line: `label<TAB>text`. Empty lines are skipped; any other line
 * without a tab, or with an empty label or text, is an error naming the file and line.
 */
export function parseLabelledLines(content: string, source: string): { texts: string[]; labels: string[] } {
  const texts: string[] = [];
  const labels: string[] = [];
  content.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    const tab = line.indexOf('\t');
    const label = tab < 0 ? '' : line.slice(0, tab).trim();
    const text = tab < 0 ? '' : line.slice(tab + 1).trim();
    if (tab < 0 || label === '' || text === '') {
      throw new UnrollError(`${source}, line ${i + 1}: expected "label<TAB>text", got ${JSON.stringify(line.length > 60 ? line.slice(0, 60) + '…' : line)}`, 'data');
    }
    labels.push(label);
    texts.push(text);
  });
  if (texts.length === 0) throw new UnrollError(`${source}: no labelled lines; expected one "label<TAB>text" per line`, 'data');
  return { texts, labels };
}
