/**
 * The one error type that users of unroll meet. Its message says what was wrong (naming the file,
 * row, column or option) and what was expected. The CLI prints `message` alone, without a stack.
 */
export class UnrollError extends Error {
  /** Machine-readable category, e.g. 'option', 'shape', 'data', 'model-file', 'diverged'. */
  readonly code: string;
  constructor(message: string, code = 'error') {
    super(message);
    this.name = 'UnrollError';
    this.code = code;
  }
}

/** Throws an UnrollError naming an option and what it accepts. */
export function badOption(option: string, got: unknown, expected: string): never {
  throw new UnrollError(`option "${option}" is ${describe(got)}; expected ${expected}`, 'option');
}

/** A short, safe rendering of a value for error messages. */
export function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  return typeof v;
}

/**
 * Runs `build`, naming the file (`where`) in any UnrollError it throws: an option value a model file
 * holds. The value is a field of the file, not an option the user gave, so `option "hiddenSize"`
 * becomes the field's path in the file, `"config.hiddenSize"` (with `section` = 'config'), and the
 * error's code is 'model-file' (which the CLI leaves alone instead of naming its flags).
 */
export function inFile<T>(where: string, build: () => T, section?: string): T {
  try {
    return build();
  } catch (e) {
    if (e instanceof UnrollError) {
      const fields = e.message.replace(/\boption "([^"]+)"/g, (_, name: string) => `"${section ? `${section}.` : ''}${name}"`);
      throw new UnrollError(`${where}: ${fields}`, 'model-file');
    }
    throw e;
  }
}
