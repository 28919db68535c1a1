/**
 * The functions the WebAssembly kernels (asm/index.ts) export, as JavaScript sees them.
 * Sizes are element counts, pointers are byte addresses into the kernels' memory, booleans are 0/1.
 */
import type { Activation } from '../backend.js';

export interface KernelExports {
  heapBase(): number;
  gemmScratchBytes(): number;
  gemm(
    transA: number, transB: number, m: number, n: number, k: number, alpha: number,
    a: number, lda: number, b: number, ldb: number, beta: number, c: number, ldc: number, scratch: number,
  ): void;
  packedBFloats(k: number, n: number): number;
  packBAll(transB: number, k: number, n: number, b: number, ldb: number, dst: number): void;
  gemmPacked(transA: number, m: number, n: number, k: number, alpha: number, a: number, lda: number,
    packed: number, beta: number, c: number, ldc: number, scratch: number): void;
  gatherRows(rows: number, n: number, ids: number, src: number, lds: number, alpha: number, beta: number, dst: number, ldd: number): void;
  scatterAddRows(rows: number, n: number, ids: number, src: number, lds: number, dst: number, ldd: number): void;
  activate(act: number, m: number, n: number, x: number, ldx: number, y: number, ldy: number): void;
  activateBackward(act: number, m: number, n: number, y: number, ldy: number, dy: number, lddy: number, dz: number, lddz: number): void;
  addRowVector(m: number, n: number, bias: number, c: number, ldc: number): void;
  sumRows(m: number, n: number, a: number, lda: number, beta: number, out: number): void;
  axpy(n: number, alpha: number, x: number, y: number): void;
  scale(n: number, alpha: number, x: number): void;
  copy2d(m: number, n: number, x: number, ldx: number, y: number, ldy: number): void;
  mul(n: number, a: number, b: number, out: number): void;
  mulAdd(n: number, a: number, b: number, out: number): void;
  clip(n: number, limit: number, x: number): void;
  sumSquares(n: number, x: number): number;
  allFinite(n: number, x: number): number;
  adamStep(n: number, p: number, g: number, m: number, v: number, lr: number, beta1: number, beta2: number, oneMinusBeta1: number, oneMinusBeta2: number, eps: number, weightDecay: number, c1: number, c2: number): void;
  lstmPointwiseForward(rows: number, H: number, gates: number, ldg: number, cPrev: number, ldcp: number, h: number, ldh: number, c: number, ldc: number, bias: number): void;
  lstmPointwiseBackward(rows: number, H: number, gates: number, ldg: number, cPrev: number, ldcp: number, c: number, ldc: number,
    dh: number, lddh: number, dc: number, lddc: number, dGates: number, lddg: number, dcPrev: number, lddcp: number): void;
  gruPointwiseForward(rows: number, H: number, gx: number, ldgx: number, gh: number, ldgh: number, hPrev: number, ldhp: number, h: number, ldh: number): void;
  gruPointwiseBackward(rows: number, H: number, gx: number, ldgx: number, gh: number, ldgh: number, hPrev: number, ldhp: number,
    dh: number, lddh: number, dGx: number, lddgx: number, dGh: number, lddgh: number, dhPrev: number, lddhp: number): void;
  gruResetGateForward(rows: number, H: number, gx: number, ldgx: number, gh: number, ldgh: number, hPrev: number, ldhp: number, rh: number, ldrh: number): void;
  gruResetBeforeForward(rows: number, H: number, gx: number, ldgx: number, gh: number, ldgh: number, hPrev: number, ldhp: number, h: number, ldh: number): void;
  gruResetBeforeBackward(rows: number, H: number, gx: number, ldgx: number, hPrev: number, ldhp: number, dh: number, lddh: number,
    dGx: number, lddgx: number, dGh: number, lddgh: number, dhPrev: number, lddhp: number): void;
  gruResetGateBackward(rows: number, H: number, gx: number, ldgx: number, hPrev: number, ldhp: number, dRh: number, lddrh: number,
    dGx: number, lddgx: number, dGh: number, lddgh: number, dhPrev: number, lddhp: number): void;
  softmaxCrossEntropy(rows: number, classes: number, logits: number, targets: number, probs: number, dlogits: number, weight: number): number;
}

/** Activation codes, as in asm/elementwise.ts. */
export const ACTIVATION_CODE: Readonly<Record<Activation, number>> = { tanh: 0, relu: 1, sigmoid: 2, linear: 3 };
