/**
 * Tokenizers: text → vocabulary indices → text. Two levels:
 *
 * - `word`: lower-cased words (letters and digits, with inner apostrophes: "don't", "whale's")
 *   and every punctuation mark as its own token ("whale-fish," → whale - fish ,).
 * - `char`: every character (Unicode code point) is a token, case and whitespace kept.
 *
 * The vocabulary is built from TRAINING text only, capped to the most frequent tokens (ties broken
 * by first appearance, so the same text always gives the same vocabulary). Index 0 is always
 * `<unk>`: tokens outside the vocabulary — in the training text beyond the cap, or new in later
 * text — map to it. A tokenizer serialises to plain JSON and is saved inside the model file.
 */
import { UnrollError, badOption, describe } from '../util/errors.js';
import { checkOptions, is, type KeyRules } from '../util/options.js';

export type TokenLevel = 'word' | 'char';
export const TOKEN_LEVELS: readonly TokenLevel[] = ['word', 'char'];

/** The unknown-token symbol, always index 0. */
export const UNK = '<unk>';

export interface TokenizerOptions {
  /** 'word' or 'char'. @default 'word' */
  level?: TokenLevel;
  /** Vocabulary size including `<unk>` (the most frequent maxVocab − 1 tokens are kept). @default 2000 for words, 200 for characters */
  maxVocab?: number;
  /** Tokens seen fewer times than this in the training text become `<unk>`. @default 1 */
  minCount?: number;
}

/** The keys of TokenizerOptions and their types (ranges are checked where they are used). */
const TOKENIZER_RULES = { level: is.string, maxVocab: is.number, minCount: is.number } satisfies KeyRules<TokenizerOptions>;

export interface TokenizerJSON {
  level: TokenLevel;
  /** The vocabulary in index order; vocab[0] is "<unk>". */
  vocab: string[];
  /** How often each vocabulary entry occurred in the training text (index-aligned; <unk> counts the replaced tokens). */
  counts: number[];
}

// A word: letters/digits/marks, optionally joined by one apostrophe to more letters (don't, whale's, o'er).
const WORD_RE = /[\p{L}\p{N}\p{M}]+(?:['’][\p{L}\p{N}\p{M}]+)*|[^\s\p{L}\p{N}\p{M}]/gu;

/** Splits text into tokens at the given level (no vocabulary involved). */
export function splitTokens(text: string, level: TokenLevel): string[] {
  if (level === 'char') return Array.from(text);
  return Array.from(text.toLowerCase().matchAll(WORD_RE), (m) => m[0].replace(/’/g, "'"));
}

export class Tokenizer {
  readonly level: TokenLevel;
  readonly vocab: readonly string[];
  readonly counts: readonly number[];
  private readonly index: Map<string, number>;

  private constructor(json: TokenizerJSON) {
    this.level = json.level;
    this.vocab = json.vocab;
    this.counts = json.counts;
    this.index = new Map(json.vocab.map((t, i) => [t, i]));
  }

  /** Builds a vocabulary from training text. */
  static fit(text: string, options: TokenizerOptions = {}): Tokenizer {
    checkOptions(options, TOKENIZER_RULES, { where: 'Tokenizer.fit' });
    const level = options.level ?? 'word';
    if (!TOKEN_LEVELS.includes(level)) badOption('level', level, "'word' or 'char'");
    const maxVocab = options.maxVocab ?? (level === 'word' ? 2000 : 200);
    if (typeof text !== 'string') throw new UnrollError(`training text: expected a string, got ${typeof text}`, 'data');
    return new Tokenizer({ level, ...Tokenizer.rank(splitTokens(text, level), maxVocab, options.minCount ?? 1) });
  }

  /**
   * A word vocabulary from tokens that are already split (e.g. for tagging, where tokens and tags
   * must stay aligned): tokens are lower-cased, then capped and ranked as in `fit`.
   */
  static fromTokens(tokens: readonly string[], options: Omit<TokenizerOptions, 'level'> = {}): Tokenizer {
    const { level: _level, ...rules } = TOKENIZER_RULES;
    checkOptions(options, rules, { where: 'Tokenizer.fromTokens', cannot: { level: 'fromTokens makes a word vocabulary from tokens already split' } });
    if (!Array.isArray(tokens) || tokens.some((t) => typeof t !== 'string' || t.length === 0)) {
      throw new UnrollError('tokens: expected an array of non-empty strings', 'data');
    }
    const t = Tokenizer.rank(tokens.map((x) => x.toLowerCase()), options.maxVocab ?? 2000, options.minCount ?? 1);
    return new Tokenizer({ level: 'word', ...t });
  }

  private static rank(tokens: string[], maxVocab: number, minCount: number): Omit<TokenizerJSON, 'level'> {
    if (!Number.isInteger(maxVocab) || maxVocab < 2) badOption('maxVocab', maxVocab, 'an integer ≥ 2 (<unk> and at least one token)');
    if (!Number.isInteger(minCount) || minCount < 1) badOption('minCount', minCount, 'a positive integer');
    if (tokens.length === 0) throw new UnrollError('training text: it holds no tokens (it is empty or only whitespace)', 'data');
    const freq = new Map<string, number>();
    const first = new Map<string, number>();
    tokens.forEach((t, i) => {
      freq.set(t, (freq.get(t) ?? 0) + 1);
      if (!first.has(t)) first.set(t, i);
    });
    freq.delete(UNK);
    const ranked = [...freq.entries()]
      .filter(([, c]) => c >= minCount)
      .sort((a, b) => b[1] - a[1] || first.get(a[0])! - first.get(b[0])!)
      .slice(0, maxVocab - 1);
    const kept = ranked.reduce((s, [, c]) => s + c, 0);
    return { vocab: [UNK, ...ranked.map(([t]) => t)], counts: [tokens.length - kept, ...ranked.map(([, c]) => c)] };
  }

  /** Rebuilds a tokenizer from `toJSON()` output; `where` names the source in errors. */
  static fromJSON(json: unknown, where = 'tokenizer JSON'): Tokenizer {
    const j = json as Partial<TokenizerJSON> | null;
    if (!j || typeof j !== 'object') throw new UnrollError(`${where}: the "tokenizer" section is missing`, 'model-file');
    if (!TOKEN_LEVELS.includes(j.level as TokenLevel)) throw new UnrollError(`${where}: tokenizer level is ${describe(j.level)}; expected "word" or "char"`, 'model-file');
    if (!Array.isArray(j.vocab) || j.vocab.length < 2 || j.vocab[0] !== UNK || j.vocab.some((t) => typeof t !== 'string' || t.length === 0)) {
      throw new UnrollError(`${where}: the vocabulary must be an array of at least 2 non-empty strings starting with "${UNK}"`, 'model-file');
    }
    if (new Set(j.vocab).size !== j.vocab.length) throw new UnrollError(`${where}: the vocabulary has duplicate entries`, 'model-file');
    if (!Array.isArray(j.counts) || j.counts.length !== j.vocab.length || j.counts.some((c) => !Number.isInteger(c) || c < 0)) {
      throw new UnrollError(`${where}: "counts" must hold one non-negative integer per vocabulary entry (${j.vocab.length})`, 'model-file');
    }
    return new Tokenizer({ level: j.level as TokenLevel, vocab: [...j.vocab], counts: [...j.counts] });
  }

  toJSON(): TokenizerJSON {
    return { level: this.level, vocab: [...this.vocab], counts: [...this.counts] };
  }

  /** V, the vocabulary size (including <unk>): the length of a one-hot vector. */
  get size(): number {
    return this.vocab.length;
  }

  /** The index of a token (already split and, for words, lower-cased), or 0 for <unk>. */
  id(token: string): number {
    return this.index.get(token) ?? 0;
  }

  /** Tokenizes text to vocabulary indices (unknown tokens → 0). */
  encode(text: string): Int32Array {
    return Int32Array.from(splitTokens(text, this.level), (t) => this.id(t));
  }

  /** The tokens of text as strings, with unknown ones shown as <unk>. */
  tokens(text: string): string[] {
    return splitTokens(text, this.level).map((t) => (this.index.has(t) ? t : UNK));
  }

  /** Indices → text. Characters are joined as they are; words with spaces, except around punctuation. */
  decode(ids: ArrayLike<number>): string {
    const toks = Array.from(ids, (i) => {
      if (!Number.isInteger(i) || i < 0 || i >= this.vocab.length) throw new UnrollError(`decode: token index ${i} is outside the vocabulary [0, ${this.vocab.length - 1}]`, 'input');
      return this.vocab[i];
    });
    return this.level === 'char' ? toks.map((t) => (t === UNK ? '\uFFFD' : t)).join('') : joinWords(toks);
  }
}

const NO_SPACE_BEFORE = new Set([',', '.', ';', ':', '!', '?', ')', ']', '}', '%', "'", '’', '”']);
const NO_SPACE_AFTER = new Set(['(', '[', '{', '$', '“', '-', '—']);

/** Joins word tokens into readable text: "call me ishmael ." → "call me ishmael." */
export function joinWords(tokens: readonly string[]): string {
  let out = '';
  let openQuote = false;
  let prev = '';
  for (const t of tokens) {
    let space = out.length > 0;
    if (NO_SPACE_BEFORE.has(t) || t === '-' || t === '—') space = false;
    if (NO_SPACE_AFTER.has(prev)) space = false;
    if (t === '"') {
      if (openQuote) space = false;
      openQuote = !openQuote;
    } else if (prev === '"' && openQuote) space = false;
    out += (space ? ' ' : '') + t;
    prev = t;
  }
  return out;
}
