/**
 * The Jordan network (M. I. Jordan 1986, "Serial order"; CMU 11-785): a memory unit holds a
 * running average of the network's past outputs, and the hidden layer sees the input and the memory.
 *
 *   m_t = α·m_{t−1} + (1−α)·y_{t−1}              memory (fixed structure: it does not learn to remember)
 *   h_t = f(W_ih x_t + b_ih + W_mh m_t)           hidden layer
 *   y_t = W_ho h_t + b_ho                         output layer (linear) — the model's output
 *
 * Because the memory reads the outputs, the output layer belongs to the cell: a Jordan network has
 * no separate dense head, and the cell's exposed output (its `hiddenSize`) is y (outputSize wide).
 * The state row is [y_t ‖ h_t ‖ m_t] (stateSize = 2·O + H); a learnable initial state learns y_{−1}, h_{−1}, m_{−1}.
 *
 * Training (`trainingMode`):
 * - 'seed': as the seed says of the original, the gradient is "blocked at the memory units": m_t
 *   is treated as a given input, so each step trains like a feed-forward net on (x_t, m_t);
 * - 'bptt': full BPTT through m_t to m_{t−1} and y_{t−1} (and on into h_{t−1}).
 *
 * Parameters: weight_ih [H, D], bias_ih [H], weight_mh [H, O], weight_ho [O, H], bias_ho [O].
 */
import type { Activation, Backend, Buf } from '../kernels/index.js';
import type { Cell } from './cell.js';
import type { TrainingMode } from './cells.js';
import type { Param, ParamStore } from './params.js';
import { checkOptions, is } from '../util/options.js';

export interface JordanCellOptions {
  inputSize: number;
  /** Units of the hidden layer (H). */
  hiddenSize: number;
  /** Outputs y_t (O), also the width of the memory. */
  outputSize: number;
  /** @default 0.5 */
  alpha?: number;
  /** @default 'bptt' */
  trainingMode?: TrainingMode;
  /** @default 'tanh' */
  activation?: Activation;
  suffix: string;
}

export class JordanCell implements Cell {
  readonly kind: string;
  readonly inputSize: number;
  /** The exposed output width: O (the cell's output y_t). */
  readonly hiddenSize: number;
  readonly units: number;
  readonly stateSize: number;
  readonly alpha: number;
  readonly trainingMode: TrainingMode;
  readonly activation: Activation;
  readonly weightIh: Param;
  readonly biasIh: Param;
  readonly weightMh: Param;
  readonly weightHo: Param;
  readonly biasHo: Param;
  /** Hidden pre-activations then dL/dz for all steps [T·B, H]; dL/dy for all steps [T·B, O]. */
  private z: Buf;
  private dz: Buf;
  private dy: Buf;
  /** One step's dL/dh and dL/dm [B, H], [B, O]. */
  private dh: Buf;
  private dm: Buf;
  private capacity = 0;

  constructor(readonly backend: Backend, readonly store: ParamStore, options: JordanCellOptions) {
    checkOptions(options, { inputSize: is.positiveInt, hiddenSize: is.positiveInt, suffix: is.string, outputSize: is.positiveInt, alpha: is.number, trainingMode: is.string, activation: is.string }, { where: 'JordanCell' }, false);
    const { inputSize: D, hiddenSize: H, outputSize: O, suffix } = options;
    this.inputSize = D;
    this.units = H;
    this.hiddenSize = O;
    this.stateSize = 2 * O + H;
    this.alpha = options.alpha ?? 0.5;
    this.trainingMode = options.trainingMode ?? 'bptt';
    this.activation = options.activation ?? 'tanh';
    this.kind = `jordan(${this.activation}, α=${this.alpha}, ${this.trainingMode})`;
    const bound = 1 / Math.sqrt(H);
    this.weightIh = store.add(`weight_ih${suffix}`, [H, D], { kind: 'uniform', bound });
    this.biasIh = store.add(`bias_ih${suffix}`, [H], { kind: 'uniform', bound });
    this.weightMh = store.add(`weight_mh${suffix}`, [H, O], { kind: 'uniform', bound });
    this.weightHo = store.add(`weight_ho${suffix}`, [O, H], { kind: 'uniform', bound });
    this.biasHo = store.add(`bias_ho${suffix}`, [O], { kind: 'uniform', bound });
    this.z = backend.alloc(0);
    this.dz = backend.alloc(0);
    this.dy = backend.alloc(0);
    this.dh = backend.alloc(0);
    this.dm = backend.alloc(0);
  }

  plan(batch: number, steps: number): void {
    const need = batch * steps;
    if (need <= this.capacity) return;
    const k = this.backend;
    this.z = k.alloc(need * this.units);
    this.dz = k.alloc(need * this.units);
    this.dy = k.alloc(need * this.hiddenSize);
    this.dh = k.alloc(batch * this.units);
    this.dm = k.alloc(batch * this.hiddenSize);
    this.capacity = need;
  }

  beginForward(batch: number, steps: number, x: Buf, xOff: number, ldx: number): void {
    const k = this.backend;
    const w = this.store.values;
    const H = this.units;
    const rows = batch * steps;
    // Z = X · W_ihᵀ + b_ih for every step at once.
    k.gemm(false, true, rows, H, this.inputSize, 1, x, xOff, ldx, w, this.weightIh.offset, this.inputSize, 0, this.z, 0, H);
    k.addRowVector(rows, H, w, this.biasIh.offset, this.z, 0, H);
  }

  stepForward(t: number, batch: number, states: Buf): void {
    const k = this.backend;
    const w = this.store.values;
    const O = this.hiddenSize;
    const H = this.units;
    const S = this.stateSize;
    const prev = t * batch * S;
    const next = (t + 1) * batch * S;
    const zt = t * batch * H;
    // m_t = α·m_{t−1} + (1−α)·y_{t−1}
    for (let b = 0; b < batch; b++) {
      const m = next + b * S + O + H;
      k.copy2d(1, O, states, prev + b * S + O + H, O, states, m, O);
      k.scale(O, this.alpha, states, m);
      k.axpy(O, 1 - this.alpha, states, prev + b * S, states, m);
    }
    // h_t = f(W_ih x_t + b_ih + W_mh m_t)
    k.gemm(false, true, batch, H, O, 1, states, next + O + H, S, w, this.weightMh.offset, O, 1, this.z, zt, H);
    k.activate(this.activation, batch, H, this.z, zt, H, states, next + O, S);
    // y_t = W_ho h_t + b_ho
    k.gemm(false, true, batch, O, H, 1, states, next + O, S, w, this.weightHo.offset, H, 0, states, next, S);
    k.addRowVector(batch, O, w, this.biasHo.offset, states, next, S);
  }

  stepBackward(t: number, batch: number, states: Buf, dState: Buf, dStatePrev: Buf): void {
    const k = this.backend;
    const w = this.store.values;
    const O = this.hiddenSize;
    const H = this.units;
    const S = this.stateSize;
    const next = (t + 1) * batch * S;
    const zt = t * batch * H;
    // keep dy_t for the output-layer weights
    k.copy2d(batch, O, dState, 0, S, this.dy, t * batch * O, O);
    // dh_t = (dL/dh_t from the state) + dy_t · W_ho
    k.copy2d(batch, H, dState, O, S, this.dh, 0, H);
    k.gemm(false, false, batch, H, O, 1, dState, 0, S, w, this.weightHo.offset, H, 1, this.dh, 0, H);
    // dz_t = dh_t ⊙ f'(z_t)
    k.activateBackward(this.activation, batch, H, states, next + O, S, this.dh, 0, H, this.dz, zt, H);
    k.fill(batch * S, 0, dStatePrev, 0);
    if (this.trainingMode === 'seed') return; // the memory link is blocked: no gradient to step t−1
    // dm_t = (dL/dm_t from the state) + dz_t · W_mh
    k.copy2d(batch, O, dState, O + H, S, this.dm, 0, O);
    k.gemm(false, false, batch, O, H, 1, this.dz, zt, H, w, this.weightMh.offset, O, 1, this.dm, 0, O);
    // m_t = α·m_{t−1} + (1−α)·y_{t−1}:  dm_{t−1} = α·dm_t,  dy_{t−1} = (1−α)·dm_t
    for (let b = 0; b < batch; b++) {
      k.axpy(O, this.alpha, this.dm, b * O, dStatePrev, b * S + O + H);
      k.axpy(O, 1 - this.alpha, this.dm, b * O, dStatePrev, b * S);
    }
  }

  endBackward(batch: number, steps: number, x: Buf, xOff: number, ldx: number, states: Buf, grads: Buf,
    dx: Buf | null, dxOff: number, lddx: number): void {
    const k = this.backend;
    const O = this.hiddenSize;
    const H = this.units;
    const D = this.inputSize;
    const S = this.stateSize;
    const rows = batch * steps;
    const first = batch * S; // state row of step 0
    // dW_ih += Σ dzᵀ x ;  db_ih += Σ dz ;  dW_mh += Σ dzᵀ m ;  dW_ho += Σ dyᵀ h ;  db_ho += Σ dy
    k.gemm(true, false, H, D, rows, 1, this.dz, 0, H, x, xOff, ldx, 1, grads, this.weightIh.offset, D);
    k.sumRows(rows, H, this.dz, 0, H, 1, grads, this.biasIh.offset);
    k.gemm(true, false, H, O, rows, 1, this.dz, 0, H, states, first + O + H, S, 1, grads, this.weightMh.offset, O);
    k.gemm(true, false, O, H, rows, 1, this.dy, 0, O, states, first + O, S, 1, grads, this.weightHo.offset, H);
    k.sumRows(rows, O, this.dy, 0, O, 1, grads, this.biasHo.offset);
    // dx_t += dz_t · W_ih
    if (dx) k.gemm(false, false, rows, D, H, 1, this.dz, 0, H, this.store.values, this.weightIh.offset, D, 1, dx, dxOff, lddx);
  }
}
