/**
 * An embedding: the input layer of a model that reads token ids (a learned lookup table, PyTorch's
 * nn.Embedding, Keras' Embedding).
 *
 * The table E has one row of `dim` numbers per token of a vocabulary of V tokens. A step whose
 * input is the token id w_t (an integer in [0, V)) enters the recurrent stack as row w_t of E:
 *
 *   forward:   e_t = E[w_t, :]                          (a row lookup, no product)
 *   backward:  ∂L/∂E[v, :] = Σ_{t : w_t = v} ∂L/∂e_t     (a scatter-add of the rows' gradients)
 *
 * The ids are indices, not numbers the loss is differentiable in: there is no ∂L/∂w_t. Steps past
 * a sample's length (padding) look up nothing (e_t = 0) and add nothing to ∂L/∂E.
 *
 * This is the same function as a one-hot vector x_t times a weight matrix (E = W_ihᵀ's first
 * factor): e_t = x_tᵀ E. Keeping the ids avoids building T·B·V one-hot numbers per batch and lets
 * the recurrent layer's input product run over `dim` columns instead of V.
 *
 * Parameter `embedding.weight` [V, dim] (PyTorch's name in a module whose embedding is called
 * `embedding`), initialised N(0, 1) as PyTorch's nn.Embedding. The lookup and the scatter-add are
 * backend kernels (`gatherRows`, `scatterAddRows`); the buffers are planned once (`plan`), so a
 * training step allocates nothing.
 */
import type { Backend, Buf } from '../kernels/index.js';
import { UnrollError } from '../util/errors.js';
import type { Param, ParamStore } from './params.js';

/** The name of the table in the parameter store and in saved weights (PyTorch state_dict name). */
export const EMBEDDING_WEIGHT = 'embedding.weight';

export class Embedding {
  readonly weight: Param;
  /** Row ids of the last forward pass (−1 for padded steps), T·B of them, time-major. */
  ids: Int32Array;
  /** Looked-up rows, [T·B, dim] time-major: the recurrent stack's input. */
  out: Buf;
  /** ∂L/∂out, [T·B, dim], written by the stack's backward pass. */
  dOut: Buf;
  private rows = 0;
  private capRows = 0;

  constructor(readonly backend: Backend, readonly store: ParamStore, readonly vocabSize: number, readonly dim: number) {
    this.weight = store.add(EMBEDDING_WEIGHT, [vocabSize, dim], { kind: 'normal', std: 1 });
    this.ids = backend.allocInt32(0);
    this.out = backend.alloc(0);
    this.dOut = backend.alloc(0);
  }

  /** Makes room for `rows` = T·B steps. */
  plan(rows: number): void {
    if (rows <= this.capRows) return;
    const k = this.backend;
    this.ids = k.allocInt32(rows);
    this.out = k.alloc(rows * this.dim);
    this.dOut = k.alloc(rows * this.dim);
    this.capRows = rows;
  }

  /**
   * Looks up the ids in column 0 of x (time-major rows t·B + b, leading dimension ldx) into `out`.
   * Rows past a sample's length get id −1 (zeros). An id that is not an integer in [0, V) is refused
   * (the model's loadBatch has already named the sample and step of any such id).
   */
  forward(batch: number, steps: number, lengths: Int32Array, x: Buf, xOff: number, ldx: number): void {
    const V = this.vocabSize;
    const rows = batch * steps;
    const ids = this.ids;
    for (let t = 0; t < steps; t++) {
      for (let b = 0; b < batch; b++) {
        const r = t * batch + b;
        if (t >= lengths[b]) { ids[r] = -1; continue; }
        const v = x[xOff + r * ldx];
        if (!(v >= 0 && v < V && Number.isInteger(v))) {
          throw new UnrollError(`embedding: sample ${b} of the batch has token id ${v} at step ${t}; expected an integer from 0 to ${V - 1} (vocabSize ${V})`, 'input');
        }
        ids[r] = v;
      }
    }
    this.rows = rows;
    this.backend.gatherRows(rows, this.dim, ids, 0, this.store.values, this.weight.offset, this.dim, this.out, 0, this.dim);
  }

  /** Adds ∂L/∂E (from `dOut` of the last forward pass's rows) into the store's gradients. */
  backward(): void {
    this.backend.scatterAddRows(this.rows, this.dim, this.ids, 0, this.dOut, 0, this.dim, this.store.grads, this.weight.offset, this.dim);
  }
}

/** Checks that every valid step of a set of sequences (one number per step) holds a token id in [0, V). */
export function checkTokenIds(data: ArrayLike<number>, lengths: ArrayLike<number>, maxSteps: number, n: number, vocabSize: number, what: string): void {
  const L = lengths[n];
  for (let t = 0; t < L; t++) {
    const v = data[n * maxSteps + t];
    if (!(v >= 0 && v < vocabSize && Number.isInteger(v))) {
      throw new UnrollError(`${what}[${n}][${t}] is ${v}; a model with an embedding reads token ids, integers from 0 to ${vocabSize - 1} (vocabSize ${vocabSize})`, 'input');
    }
  }
}
