/**
 * Conversion between Keras / TensorFlow.js weight layouts and unroll's (PyTorch's) layout, for
 * SimpleRNN, LSTM, GRU and Dense layers, in both directions.
 *
 *                   Keras (tf.keras, tfjs-layers)                 unroll / PyTorch
 *   kernel          [D, G·H], x · kernel                          weight_ih [G·H, D], W_ih x   (transposed)
 *   recurrent       recurrent_kernel [H, G·H]                     weight_hh [G·H, H]           (transposed)
 *   bias            bias [G·H] (one bias)                         bias_ih [G·H] + bias_hh [G·H]
 *   LSTM gates      i, f, c, o                                    i, f, g, o                   (same order)
 *   GRU gates       z, r, h                                       r, z, n                      (z and r swap)
 *   GRU bias        reset_after = true: bias [2, 3H] = [input; recurrent]  →  bias_ih, bias_hh
 *                   reset_after = false: bias [3H]                         →  bias_ih (bias_hh = 0)
 *   Dense           kernel [in, out], bias [out]                  head.weight [out, in], head.bias [out]
 *
 * Keras's GRU with reset_after = true computes ĥ = tanh(W_h x + b_h + r ⊙ (U_h h + b_rh)) and
 * h = z ⊙ h_prev + (1 − z) ⊙ ĥ: exactly PyTorch's GRU, unroll's default GRU cell. With
 * reset_after = false (Keras 1, and tfjs-layers' only GRU) the reset gate multiplies h BEFORE the
 * recurrent product, ĥ = tanh(W_h x + b_h + U_h (r ⊙ h)): a different function, which is unroll's
 * GRU cell with `cellOptions: { resetAfter: false }`. Its single bias is exact in either PyTorch bias
 * (both are added outside the reset gate). Because the two GRUs share a weight layout but not their
 * function, the GRU conversions take `resetAfter` explicitly and check it against the bias shape.
 * The Keras LSTM and GRU must also use recurrent_activation 'sigmoid' (tfjs-layers defaults to
 * 'hardSigmoid').
 *
 * Import puts a Keras single bias into bias_ih and zeros into bias_hh; export adds the two biases.
 */
import { UnrollError } from '../util/errors.js';
import { checkOptions, is, type Spec } from '../util/options.js';

export type KerasRecurrentKind = 'SimpleRNN' | 'LSTM' | 'GRU';

/** A matrix or vector: nested arrays (as from tfjs `arraySync()`), or `{ shape, data }` row-major. */
export type ArrayLike2D = number[][] | number[] | { shape: number[]; data: ArrayLike<number> };

/** The weights of one Keras recurrent layer, in Keras order. */
export interface KerasRecurrentWeights {
  kernel: ArrayLike2D;
  recurrentKernel: ArrayLike2D;
  /** [G·H]; for a GRU with reset_after = true, [2, 3H]. */
  bias: ArrayLike2D;
}

/** Options of the conversions of one recurrent layer. */
export interface KerasConversionOptions {
  /** Parameter-name suffix of the layer: '_l0', '_l1', '_l0_reverse', … @default '_l0' */
  suffix?: string;
  /**
   * GRU only: which Keras GRU — true for reset_after = True (bias [2, 3H]; unroll's default GRU),
   * false for reset_after = False (bias [3H]; tfjs-layers' GRU; unroll's GRU with
   * cellOptions.resetAfter = false). Import checks it against the bias shape. @default true
   */
  resetAfter?: boolean;
}

/** The conversion options of fromKeras / toKeras. */
const KERAS_SPEC: Spec = { suffix: is.string, resetAfter: is.boolean };

function gruResetAfter(kind: KerasRecurrentKind, options: KerasConversionOptions, fn: string): boolean {
  const r = options.resetAfter;
  if (r !== undefined && kind !== 'GRU') throw new UnrollError(`${fn}: option "resetAfter" applies to GRU layers only, not ${kind}`, 'option');
  if (r !== undefined && typeof r !== 'boolean') throw new UnrollError(`${fn}: option "resetAfter" is ${JSON.stringify(r)}; expected true (Keras reset_after = True) or false (reset_after = False)`, 'option');
  return r ?? true;
}

/** Named weights in unroll's (PyTorch) layout. */
export type TorchWeights = Record<string, { shape: number[]; data: number[] }>;

const GATES: Record<KerasRecurrentKind, number> = { SimpleRNN: 1, LSTM: 4, GRU: 3 };
/** PERM[kind][g] = Keras block that holds PyTorch gate g. */
const PERM: Record<KerasRecurrentKind, number[]> = { SimpleRNN: [0], LSTM: [0, 1, 2, 3], GRU: [1, 0, 2] };

function toMatrix(a: ArrayLike2D, what: string): { rows: number; cols: number; data: number[] } {
  if (Array.isArray(a)) {
    if (a.length > 0 && Array.isArray(a[0])) {
      const m = a as number[][];
      const cols = m[0].length;
      if (m.some((r) => !Array.isArray(r) || r.length !== cols)) throw new UnrollError(`${what}: rows of different lengths`, 'weights');
      return { rows: m.length, cols, data: m.flat() };
    }
    return { rows: 1, cols: a.length, data: (a as number[]).slice() };
  }
  if (a && typeof a === 'object' && Array.isArray(a.shape)) {
    const data = Array.from(a.data);
    const rows = a.shape.length === 2 ? a.shape[0] : 1;
    const cols = a.shape.length === 2 ? a.shape[1] : a.shape[0];
    if (rows * cols !== data.length) throw new UnrollError(`${what}: shape [${a.shape.join(', ')}] does not match ${data.length} numbers`, 'weights');
    return { rows, cols, data };
  }
  throw new UnrollError(`${what}: expected a nested array or { shape, data }`, 'weights');
}

/**
 * Keras-layout weights of one recurrent layer → unroll/PyTorch names (`weight_ih{suffix}`, …).
 * For a Keras Bidirectional layer, convert its forward layer with suffix '_l0' and its backward
 * layer with '_l0_reverse'.
 */
export function fromKeras(kind: KerasRecurrentKind, weights: KerasRecurrentWeights, options: KerasConversionOptions = {}): TorchWeights {
  checkOptions(options, KERAS_SPEC, { where: 'fromKeras' });
  const suffix = options.suffix ?? '_l0';
  const G = GATES[kind];
  if (!G) throw new UnrollError(`fromKeras: layer kind ${JSON.stringify(kind)} is not supported; expected SimpleRNN, LSTM or GRU`, 'option');
  const resetAfter = gruResetAfter(kind, options, 'fromKeras');
  if (!weights || typeof weights !== 'object') throw new UnrollError(`fromKeras: expected { kernel, recurrentKernel, bias } of a Keras ${kind} layer`, 'weights');
  const kernel = toMatrix(weights.kernel, `${kind} kernel`);
  const rec = toMatrix(weights.recurrentKernel, `${kind} recurrent_kernel`);
  const bias = toMatrix(weights.bias, `${kind} bias`);
  const D = kernel.rows;
  const H = kernel.cols / G;
  if (!Number.isInteger(H) || rec.rows !== H || rec.cols !== G * H) {
    throw new UnrollError(`${kind}: kernel [${kernel.rows}, ${kernel.cols}] and recurrent_kernel [${rec.rows}, ${rec.cols}] do not fit ${G} gate(s) of a common unit count`, 'weights');
  }
  // A Keras GRU with reset_after = true has two bias rows (input, recurrent); every other layer one.
  const twoBiases = kind === 'GRU' && resetAfter;
  if (kind === 'GRU' && bias.rows === 1 && resetAfter) {
    throw new UnrollError('GRU: bias has shape [3H]: a GRU with reset_after = false (reset gate before the recurrent product), a different function from PyTorch\'s GRU; import it with { resetAfter: false } into a model with cellOptions: { resetAfter: false }, or use a Keras GRU with reset_after = true (bias [2, 3H])', 'weights');
  }
  if (kind === 'GRU' && bias.rows === 2 && !resetAfter) {
    throw new UnrollError('GRU: bias has shape [2, 3H]: a GRU with reset_after = true (PyTorch\'s GRU), but option resetAfter is false; import it with { resetAfter: true } into a default GRU', 'weights');
  }
  if (bias.rows !== (twoBiases ? 2 : 1) || bias.cols !== G * H) {
    throw new UnrollError(`${kind}: bias must have shape [${twoBiases ? `2, ${G * H}` : G * H}] for ${H} units, got [${bias.rows}, ${bias.cols}]`, 'weights');
  }
  for (const [what, m] of [['kernel', kernel], ['recurrent_kernel', rec], ['bias', bias]] as const) {
    const bad = m.data.findIndex((v) => typeof v !== 'number' || !Number.isFinite(v));
    if (bad >= 0) throw new UnrollError(`${kind} ${what}: number ${bad} is ${String(m.data[bad])}; weights must be finite numbers`, 'weights');
  }
  const perm = PERM[kind];
  const wIh = new Array<number>(G * H * D);
  const wHh = new Array<number>(G * H * H);
  const bIh = new Array<number>(G * H).fill(0);
  const bHh = new Array<number>(G * H).fill(0);
  for (let g = 0; g < G; g++) {
    for (let u = 0; u < H; u++) {
      const row = g * H + u; // PyTorch row
      const col = perm[g] * H + u; // Keras column
      for (let d = 0; d < D; d++) wIh[row * D + d] = kernel.data[d * G * H + col];
      for (let j = 0; j < H; j++) wHh[row * H + j] = rec.data[j * G * H + col];
      bIh[row] = bias.data[col];
      if (twoBiases) bHh[row] = bias.data[G * H + col];
    }
  }
  return {
    [`weight_ih${suffix}`]: { shape: [G * H, D], data: wIh },
    [`weight_hh${suffix}`]: { shape: [G * H, H], data: wHh },
    [`bias_ih${suffix}`]: { shape: [G * H], data: bIh },
    [`bias_hh${suffix}`]: { shape: [G * H], data: bHh },
  };
}

/**
 * unroll/PyTorch weights (as from `getWeights()`) → Keras layout (nested arrays) of one recurrent
 * layer. A GRU exports with bias [2, 3H] (reset_after = true) by default; with `resetAfter: false`
 * (for a model built with cellOptions.resetAfter = false) it exports bias [3H] for reset_after = false.
 */
export function toKeras(kind: KerasRecurrentKind, weights: Record<string, { shape: number[]; data: ArrayLike<number> }>,
  options: KerasConversionOptions = {}): { kernel: number[][]; recurrentKernel: number[][]; bias: number[] | number[][] } {
  checkOptions(options, KERAS_SPEC, { where: 'toKeras' });
  const suffix = options.suffix ?? '_l0';
  const G = GATES[kind];
  if (!G) throw new UnrollError(`toKeras: layer kind ${JSON.stringify(kind)} is not supported; expected SimpleRNN, LSTM or GRU`, 'option');
  const twoBiases = gruResetAfter(kind, options, 'toKeras') && kind === 'GRU';
  const get = (name: string) => {
    const w = weights[`${name}${suffix}`];
    if (!w) throw new UnrollError(`toKeras: parameter "${name}${suffix}" is missing`, 'weights');
    return w;
  };
  const wIh = get('weight_ih'), wHh = get('weight_hh'), bIh = get('bias_ih'), bHh = get('bias_hh');
  const [GH, D] = wIh.shape;
  const H = GH / G;
  if (!Number.isInteger(H) || wHh.shape[1] !== H) throw new UnrollError(`toKeras: weight_ih${suffix} [${wIh.shape}] is not a ${kind} with ${G} gate(s)`, 'weights');
  const perm = PERM[kind];
  const kernel = Array.from({ length: D }, () => new Array<number>(GH).fill(0));
  const rec = Array.from({ length: H }, () => new Array<number>(GH).fill(0));
  const biasIn = new Array<number>(GH).fill(0);
  const biasRec = new Array<number>(GH).fill(0);
  for (let g = 0; g < G; g++) {
    for (let u = 0; u < H; u++) {
      const row = g * H + u;
      const col = perm[g] * H + u;
      for (let d = 0; d < D; d++) kernel[d][col] = wIh.data[row * D + d];
      for (let j = 0; j < H; j++) rec[j][col] = wHh.data[row * H + j];
      if (twoBiases) { biasIn[col] = bIh.data[row]; biasRec[col] = bHh.data[row]; }
      else biasIn[col] = bIh.data[row] + bHh.data[row];
    }
  }
  return { kernel, recurrentKernel: rec, bias: twoBiases ? [biasIn, biasRec] : biasIn };
}

/**
 * A Keras Dense layer's `{ kernel [in, out], bias [out] }` → `{prefix}.weight` [out, in] and
 * `{prefix}.bias`; the same shape of call as `fromKeras(kind, { kernel, recurrentKernel, bias })`.
 */
export function denseFromKeras(weights: { kernel: ArrayLike2D; bias: ArrayLike2D }, options: { prefix?: string } = {}): TorchWeights {
  checkOptions(options, { prefix: is.string }, { where: 'denseFromKeras' });
  if (!weights || typeof weights !== 'object' || Array.isArray(weights) || !('kernel' in weights)) {
    throw new UnrollError('denseFromKeras: expected { kernel, bias } of a Keras Dense layer (as fromKeras takes { kernel, recurrentKernel, bias })', 'weights');
  }
  const { kernel, bias } = weights;
  const prefix = options?.prefix ?? 'head';
  const k = toMatrix(kernel, 'Dense kernel');
  const b = toMatrix(bias, 'Dense bias');
  if (b.rows * b.cols !== k.cols) throw new UnrollError(`Dense: bias has ${b.rows * b.cols} numbers; expected ${k.cols} (kernel [${k.rows}, ${k.cols}])`, 'weights');
  const w = new Array<number>(k.rows * k.cols);
  for (let i = 0; i < k.rows; i++) for (let o = 0; o < k.cols; o++) w[o * k.rows + i] = k.data[i * k.cols + o];
  return { [`${prefix}.weight`]: { shape: [k.cols, k.rows], data: w }, [`${prefix}.bias`]: { shape: [k.cols], data: b.data } };
}

/** `{prefix}.weight` [out, in] and `{prefix}.bias` → a Keras Dense kernel [in, out] and bias. */
export function denseToKeras(weights: Record<string, { shape: number[]; data: ArrayLike<number> }>, options: { prefix?: string } = {}): { kernel: number[][]; bias: number[] } {
  checkOptions(options, { prefix: is.string }, { where: 'denseToKeras' });
  const prefix = options.prefix ?? 'head';
  const w = weights[`${prefix}.weight`];
  const b = weights[`${prefix}.bias`];
  if (!w || !b) throw new UnrollError(`denseToKeras: parameters "${prefix}.weight" and "${prefix}.bias" are needed`, 'weights');
  const [O, I] = w.shape;
  const kernel = Array.from({ length: I }, (_, i) => Array.from({ length: O }, (_, o) => w.data[o * I + i]));
  return { kernel, bias: Array.from(b.data) };
}
