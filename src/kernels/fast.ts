/**
 * The fast backend: float32 kernels in WebAssembly SIMD128 (compiled from asm/ by AssemblyScript).
 *
 * `WasmBackend` extends the reference backend, so every kernel runs either in WebAssembly (when
 * all its buffers live in the backend's memory, which is what `alloc` returns) or, otherwise, in
 * the reference's generic JavaScript loops on the same Float32Array views. Results agree with the
 * float64 reference within float32 rounding (see fast.test.ts).
 *
 * Memory (see wasm/arena.ts): buffers are views into one WebAssembly.Memory, shared where the
 * engine allows so that it can grow without invalidating earlier buffers.
 *
 * Where WebAssembly SIMD is unavailable, the factories return the float64 reference backend and
 * print a one-line notice.
 */
import type { Activation, Backend, Buf, PackedMatrix } from './backend.js';
import { PackedRef, ReferenceBackend, packedFor } from './reference.js';
import { UnrollError, badOption } from '../util/errors.js';
import { checkOptions, is } from '../util/options.js';
import { ACTIVATION_CODE, type KernelExports } from './wasm/abi.js';
import { WasmArena } from './wasm/arena.js';
import { PAGE_BYTES, loadKernels, loadKernelsSync, wasmSimdSupported, type LoadRequest, type LoadedKernels } from './wasm/loader.js';

export { wasmSimdSupported, wasmRelaxedSimdSupported } from './wasm/loader.js';

export interface WasmBackendOptions {
  /**
   * Initial size of the WebAssembly memory in MiB. A shared memory grows beyond it on demand; an
   * ordinary memory (used where SharedArrayBuffer is unavailable) cannot grow, so this is its size.
   * @default 16 with shared memory, 256 without
   */
  memoryMiB?: number;
  /**
   * 'auto' uses WebAssembly SIMD when the engine supports it; 'off' always returns the reference backend.
   * @default 'auto'
   */
  simd?: 'auto' | 'off';
  /**
   * 'auto' uses the kernels with relaxed-SIMD fused multiply-add in the matrix product where the
   * engine supports relaxed SIMD (Node ≥ 22, recent browsers; Node 20 with the flag
   * --experimental-wasm-relaxed-simd); 'off' never does. Results differ from 'off' only by float32
   * rounding (a fused multiply-add rounds once).
   * @default 'auto'
   */
  relaxedSimd?: 'auto' | 'off';
  /**
   * Use a shared memory when the engine allows it ('auto'), or never ('off').
   * @default 'auto'
   */
  sharedMemory?: 'auto' | 'off';
  /**
   * Receives one-line notices (fallback to the reference backend, memory full).
   * @default console.warn
   */
  notice?: (message: string) => void;
}

/** A packed op(B) in WebAssembly memory (panels), remembering B too for the JavaScript path. */
class PackedWasm extends PackedRef {
  /** True once packB has filled `panels` from B. */
  filled = false;
  constructor(k: number, n: number, readonly panels: Float32Array) {
    super(k, n);
  }
}

/** Products with at most this many multiply-adds run in JavaScript: a wasm call costs more. */
const SMALL_GEMM = 64;
/**
 * One-hot operands (see `oneHotRows`) are looked for in products of at least this many
 * multiply-adds whose one-hot side is at least ONE_HOT_MIN_WIDTH wide: there a lookup saves a
 * factor of the width, and the scan (which stops at the first row that is not one-hot) is cheap.
 */
const ONE_HOT_MIN_WORK = 1 << 16;
const ONE_HOT_MIN_WIDTH = 8;

export class WasmBackend extends ReferenceBackend {
  override readonly name: string = 'wasm';
  override readonly dtype: 'float64' | 'float32' = 'float32';
  private readonly k: KernelExports;
  private readonly arena: WasmArena;
  private readonly scratch: number;
  private targets: Int32Array;
  /** Row ids of a one-hot operand, and scratch for its transposes (grown on demand). */
  private hotIds: Int32Array | null = null;
  private hotScratch: Float32Array | null = null;
  private hotCount = 0;
  private readonly notice: (message: string) => void;
  private warnedFull = false;
  private readonly relaxed: boolean;

  /** Use `createWasmBackend` / `createWasmBackendSync`; this takes already-instantiated kernels. */
  constructor(kernels: LoadedKernels, notice: (message: string) => void = console.warn) {
    super();
    this.k = kernels.exports;
    this.relaxed = kernels.relaxed;
    this.arena = new WasmArena(kernels);
    this.notice = notice;
    const scratch = this.arena.allocBytes(this.k.gemmScratchBytes());
    if (scratch < 0) throw new UnrollError('WebAssembly memory too small for the matrix-product scratch space; raise option "memoryMiB"', 'option');
    this.scratch = scratch;
    this.targets = this.arena.allocI32(1024) ?? new Int32Array(1024);
  }

  /** True when the matrix product runs relaxed-SIMD fused multiply-add. */
  get relaxedSimd(): boolean {
    return this.relaxed;
  }

  /** True when the backend's memory is a SharedArrayBuffer (it can grow; worker threads can use it). */
  get sharedMemory(): boolean {
    return this.arena.shared;
  }

  /** How many gemm calls so far found a one-hot operand and skipped its zeros (a diagnostic). */
  get oneHotProducts(): number {
    return this.hotCount;
  }

  /** Bytes of WebAssembly memory handed out so far. */
  get usedBytes(): number {
    return this.arena.usedBytes;
  }

  override alloc(n: number): Float32Array {
    if (!Number.isInteger(n) || n < 0) throw new UnrollError(`alloc: size must be a non-negative integer, got ${n}`, 'shape');
    const view = this.arena.allocF32(n);
    if (view) return view;
    if (!this.warnedFull) {
      this.warnedFull = true;
      this.notice('unroll: WebAssembly memory is full; further buffers use slower JavaScript kernels (raise option "memoryMiB").');
    }
    return new Float32Array(n);
  }

  /** An Int32Array in the backend's memory (class targets for softmaxCrossEntropy, row ids for gatherRows; then they need no copy). */
  override allocInt32(n: number): Int32Array {
    if (!Number.isInteger(n) || n < 0) throw new UnrollError(`allocInt32: size must be a non-negative integer, got ${n}`, 'shape');
    return this.arena.allocI32(n) ?? new Int32Array(n);
  }

  /** Byte address of element `off` of an Int32Array, or −1 when it is not in this backend's memory. */
  private addrI32(ids: Int32Array, off: number): number {
    return this.arena.owns(ids) ? ids.byteOffset + off * 4 : -1;
  }

  override gatherRows(rows: number, n: number, ids: Int32Array, idsOff: number, src: Buf, srcOff: number, lds: number,
    dst: Buf, dstOff: number, ldd: number): void {
    if (rows <= 0 || n <= 0) return;
    checkBlock('gatherRows', 'dst', dst, dstOff, rows, n, ldd);
    if (idsOff < 0 || idsOff + rows > ids.length) throw new UnrollError(`gatherRows: ${rows} ids from ${idsOff} do not fit in ${ids.length}`, 'shape');
    const pi = this.addrI32(ids, idsOff);
    const ps = this.addr(src, srcOff);
    const pd = this.addr(dst, dstOff);
    if (pi < 0 || ps < 0 || pd < 0) {
      super.gatherRows(rows, n, ids, idsOff, src, srcOff, lds, dst, dstOff, ldd);
      return;
    }
    this.k.gatherRows(rows, n, pi, ps, lds, 1, 0, pd, ldd);
  }

  override scatterAddRows(rows: number, n: number, ids: Int32Array, idsOff: number, src: Buf, srcOff: number, lds: number,
    dst: Buf, dstOff: number, ldd: number): void {
    if (rows <= 0 || n <= 0) return;
    checkBlock('scatterAddRows', 'src', src, srcOff, rows, n, lds);
    if (idsOff < 0 || idsOff + rows > ids.length) throw new UnrollError(`scatterAddRows: ${rows} ids from ${idsOff} do not fit in ${ids.length}`, 'shape');
    const pi = this.addrI32(ids, idsOff);
    const ps = this.addr(src, srcOff);
    const pd = this.addr(dst, dstOff);
    if (pi < 0 || ps < 0 || pd < 0) {
      super.scatterAddRows(rows, n, ids, idsOff, src, srcOff, lds, dst, dstOff, ldd);
      return;
    }
    this.k.scatterAddRows(rows, n, pi, ps, lds, pd, ldd);
  }

  /** Byte address of element `off` of `buf`, or −1 when `buf` is not in this backend's memory. */
  private addr(buf: Buf, off: number): number {
    if (!(buf instanceof Float32Array) || !this.arena.owns(buf)) return -1;
    return buf.byteOffset + off * 4;
  }

  override gemm(
    transA: boolean, transB: boolean, m: number, n: number, k: number,
    alpha: number, a: Buf, aOff: number, lda: number,
    b: Buf, bOff: number, ldb: number,
    beta: number, c: Buf, cOff: number, ldc: number,
  ): void {
    if (m <= 0 || n <= 0) return;
    checkBlock('gemm', 'C', c, cOff, m, n, ldc);
    if (k > 0 && alpha !== 0) {
      checkBlock('gemm', 'A', a, aOff, transA ? k : m, transA ? m : k, lda);
      checkBlock('gemm', 'B', b, bOff, transB ? n : k, transB ? k : n, ldb);
    }
    const pc = this.addr(c, cOff);
    const pa = this.addr(a, aOff);
    const pb = this.addr(b, bOff);
    if (m * n * k <= SMALL_GEMM || pa < 0 || pb < 0 || pc < 0) {
      super.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
      return;
    }
    if (m * n * k >= ONE_HOT_MIN_WORK && alpha !== 0 && this.oneHotGemm(transA, transB, m, n, k, alpha, a, aOff, lda, pa, b, bOff, ldb, pb, beta, c, cOff, ldc, pc)) return;
    this.k.gemm(transA ? 1 : 0, transB ? 1 : 0, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, this.scratch);
  }

  /**
   * The ids of a block of `rows` × `width` whose every row is one-hot (a single 1, the rest 0) or
   * all zero (id −1), in WebAssembly memory; null as soon as a row is neither (NaN, a 2, two 1s…).
   */
  private oneHotRows(x: Float32Array, off: number, ld: number, rows: number, width: number): Int32Array | null {
    let ids = this.hotIds;
    if (!ids || ids.length < rows) {
      ids = this.arena.allocI32(Math.max(rows, 2 * (ids?.length ?? 0)));
      if (!ids) return null;
      this.hotIds = ids;
    }
    for (let r = 0; r < rows; r++) {
      const at = off + r * ld;
      let hot = -1;
      for (let d = 0; d < width; d++) {
        const v = x[at + d];
        if (v === 0) continue;
        if (v !== 1 || hot >= 0) return null;
        hot = d;
      }
      ids[r] = hot;
    }
    return ids;
  }

  /** A scratch Float32Array in WebAssembly memory of at least n floats (null when memory is full). */
  private scratchF32(n: number): Float32Array | null {
    if (!this.hotScratch || this.hotScratch.length < n) this.hotScratch = this.arena.allocF32(Math.max(n, 2 * (this.hotScratch?.length ?? 0)));
    return this.hotScratch;
  }

  /**
   * gemm with a one-hot operand, without the zeros: A one-hot (not transposed): row i of C is
   * alpha × row ids[i] of op(B) (the input projection of one-hot tokens); B one-hot (not
   * transposed) with Aᵀ: column ids[p] of C gathers alpha × row p of A (the weight gradient of
   * that projection). Returns false, having done nothing, when neither applies.
   */
  private oneHotGemm(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
    a: Buf, aOff: number, lda: number, pa: number, b: Buf, bOff: number, ldb: number, pb: number,
    beta: number, c: Buf, cOff: number, ldc: number, pc: number): boolean {
    if (!transA && k >= ONE_HOT_MIN_WIDTH) {
      const ids = this.oneHotRows(a as Float32Array, aOff, lda, m, k);
      if (!ids) return false;
      if (!transB) {
        this.k.gatherRows(m, n, ids.byteOffset, pb, ldb, alpha, beta, pc, ldc);
        this.hotCount++;
        return true;
      }
      // op(B) = Bᵀ with B stored n × k: transpose it once (k × n), then look rows up.
      const t = this.scratchF32(k * n);
      if (!t) return false;
      const bb = b as Float32Array;
      for (let j = 0; j < n; j++) {
        const row = bOff + j * ldb;
        for (let p = 0; p < k; p++) t[p * n + j] = bb[row + p];
      }
      this.k.gatherRows(m, n, ids.byteOffset, t.byteOffset, n, alpha, beta, pc, ldc);
      this.hotCount++;
      return true;
    }
    if (transA && !transB && n >= ONE_HOT_MIN_WIDTH) {
      const ids = this.oneHotRows(b as Float32Array, bOff, ldb, k, n);
      if (!ids) return false;
      // T[j, ·] = Σ_{p: ids[p] = j} A[p, ·] (n × m), then C = beta·C + alpha·Tᵀ.
      const t = this.scratchF32(n * m);
      if (!t) return false;
      t.fill(0, 0, n * m);
      this.k.scatterAddRows(k, m, ids.byteOffset, pa, lda, t.byteOffset, m);
      const cc = c as Float32Array;
      for (let i = 0; i < m; i++) {
        const row = cOff + i * ldc;
        if (beta === 0) for (let j = 0; j < n; j++) cc[row + j] = alpha * t[j * m + i];
        else if (beta === 1) for (let j = 0; j < n; j++) cc[row + j] += alpha * t[j * m + i];
        else for (let j = 0; j < n; j++) cc[row + j] = beta * cc[row + j] + alpha * t[j * m + i];
      }
      this.hotCount++;
      return true;
    }
    return false;
  }

  override allocPacked(k: number, n: number): PackedMatrix {
    if (!Number.isInteger(k) || !Number.isInteger(n) || k < 0 || n < 0) throw new UnrollError(`allocPacked: sizes must be non-negative integers, got ${k}×${n}`, 'shape');
    const panels = k > 0 && n > 0 ? this.arena.allocF32(this.k.packedBFloats(k, n)) : null;
    return panels ? new PackedWasm(k, n, panels) : new PackedRef(k, n);
  }

  override packB(transB: boolean, k: number, n: number, b: Buf, bOff: number, ldb: number, packed: PackedMatrix): void {
    const p = packedFor('packB', packed, k, n);
    if (k > 0 && n > 0) checkBlock('packB', 'B', b, bOff, transB ? n : k, transB ? k : n, ldb);
    super.packB(transB, k, n, b, bOff, ldb, p);
    if (!(p instanceof PackedWasm)) return;
    const pb = this.addr(b, bOff);
    p.filled = pb >= 0 && k > 0 && n > 0;
    if (p.filled) this.k.packBAll(transB ? 1 : 0, k, n, pb, ldb, p.panels.byteOffset);
  }

  override gemmPacked(transA: boolean, m: number, n: number, k: number, alpha: number, a: Buf, aOff: number, lda: number,
    packed: PackedMatrix, beta: number, c: Buf, cOff: number, ldc: number): void {
    const p = packedFor('gemmPacked', packed, k, n);
    if (m <= 0 || n <= 0) return;
    checkBlock('gemmPacked', 'C', c, cOff, m, n, ldc);
    if (k > 0 && alpha !== 0) checkBlock('gemmPacked', 'A', a, aOff, transA ? k : m, transA ? m : k, lda);
    const pa = this.addr(a, aOff);
    const pc = this.addr(c, cOff);
    if (!(p instanceof PackedWasm) || !p.filled || m * n * k <= SMALL_GEMM || pa < 0 || pc < 0) {
      super.gemmPacked(transA, m, n, k, alpha, a, aOff, lda, p, beta, c, cOff, ldc);
      return;
    }
    this.k.gemmPacked(transA ? 1 : 0, m, n, k, alpha, pa, lda, p.panels.byteOffset, beta, pc, ldc, this.scratch);
  }

  override activate(act: Activation, m: number, n: number, x: Buf, xOff: number, ldx: number, y: Buf, yOff: number, ldy: number): void {
    const code = ACTIVATION_CODE[act];
    if (code === undefined) badOption('activation', act, "'tanh', 'relu', 'sigmoid' or 'linear'");
    if (m <= 0 || n <= 0) return;
    checkBlock('activate', 'x', x, xOff, m, n, ldx);
    checkBlock('activate', 'y', y, yOff, m, n, ldy);
    const px = this.addr(x, xOff);
    const py = this.addr(y, yOff);
    if (px < 0 || py < 0) return super.activate(act, m, n, x, xOff, ldx, y, yOff, ldy);
    this.k.activate(code, m, n, px, ldx, py, ldy);
  }

  override activateBackward(act: Activation, m: number, n: number, y: Buf, yOff: number, ldy: number, dy: Buf, dyOff: number, lddy: number, dz: Buf, dzOff: number, lddz: number): void {
    const code = ACTIVATION_CODE[act];
    if (code === undefined) badOption('activation', act, "'tanh', 'relu', 'sigmoid' or 'linear'");
    if (m <= 0 || n <= 0) return;
    checkBlock('activateBackward', 'y', y, yOff, m, n, ldy);
    checkBlock('activateBackward', 'dy', dy, dyOff, m, n, lddy);
    checkBlock('activateBackward', 'dz', dz, dzOff, m, n, lddz);
    const py = this.addr(y, yOff);
    const pdy = this.addr(dy, dyOff);
    const pdz = this.addr(dz, dzOff);
    if (py < 0 || pdy < 0 || pdz < 0) return super.activateBackward(act, m, n, y, yOff, ldy, dy, dyOff, lddy, dz, dzOff, lddz);
    this.k.activateBackward(code, m, n, py, ldy, pdy, lddy, pdz, lddz);
  }

  override addRowVector(m: number, n: number, bias: Buf, biasOff: number, c: Buf, cOff: number, ldc: number): void {
    if (m <= 0 || n <= 0) return;
    checkBlock('addRowVector', 'bias', bias, biasOff, 1, n, n);
    checkBlock('addRowVector', 'C', c, cOff, m, n, ldc);
    const pb = this.addr(bias, biasOff);
    const pc = this.addr(c, cOff);
    if (pb < 0 || pc < 0) return super.addRowVector(m, n, bias, biasOff, c, cOff, ldc);
    this.k.addRowVector(m, n, pb, pc, ldc);
  }

  override sumRows(m: number, n: number, a: Buf, aOff: number, lda: number, beta: number, out: Buf, outOff: number): void {
    if (n <= 0) return;
    checkBlock('sumRows', 'out', out, outOff, 1, n, n);
    if (m > 0) checkBlock('sumRows', 'A', a, aOff, m, n, lda);
    const pa = this.addr(a, aOff);
    const po = this.addr(out, outOff);
    if (pa < 0 || po < 0) return super.sumRows(m, n, a, aOff, lda, beta, out, outOff);
    this.k.sumRows(Math.max(m, 0), n, pa, lda, beta, po);
  }

  override axpy(n: number, alpha: number, x: Buf, xOff: number, y: Buf, yOff: number): void {
    if (n <= 0) return;
    checkBlock('axpy', 'x', x, xOff, 1, n, n);
    checkBlock('axpy', 'y', y, yOff, 1, n, n);
    const px = this.addr(x, xOff);
    const py = this.addr(y, yOff);
    if (px < 0 || py < 0) return super.axpy(n, alpha, x, xOff, y, yOff);
    this.k.axpy(n, alpha, px, py);
  }

  override scale(n: number, alpha: number, x: Buf, xOff: number): void {
    if (n <= 0) return;
    checkBlock('scale', 'x', x, xOff, 1, n, n);
    const px = this.addr(x, xOff);
    if (px < 0) return super.scale(n, alpha, x, xOff);
    this.k.scale(n, alpha, px);
  }

  override copy2d(m: number, n: number, x: Buf, xOff: number, ldx: number, y: Buf, yOff: number, ldy: number): void {
    if (m <= 0 || n <= 0) return;
    checkBlock('copy2d', 'x', x, xOff, m, n, ldx);
    checkBlock('copy2d', 'y', y, yOff, m, n, ldy);
    const px = this.addr(x, xOff);
    const py = this.addr(y, yOff);
    if (px < 0 || py < 0) return super.copy2d(m, n, x, xOff, ldx, y, yOff, ldy);
    this.k.copy2d(m, n, px, ldx, py, ldy);
  }

  override mul(n: number, a: Buf, aOff: number, b: Buf, bOff: number, out: Buf, outOff: number): void {
    if (n <= 0) return;
    checkBlock('mul', 'a', a, aOff, 1, n, n);
    checkBlock('mul', 'b', b, bOff, 1, n, n);
    checkBlock('mul', 'out', out, outOff, 1, n, n);
    const pa = this.addr(a, aOff);
    const pb = this.addr(b, bOff);
    const po = this.addr(out, outOff);
    if (pa < 0 || pb < 0 || po < 0) return super.mul(n, a, aOff, b, bOff, out, outOff);
    this.k.mul(n, pa, pb, po);
  }

  override mulAdd(n: number, a: Buf, aOff: number, b: Buf, bOff: number, out: Buf, outOff: number): void {
    if (n <= 0) return;
    checkBlock('mulAdd', 'a', a, aOff, 1, n, n);
    checkBlock('mulAdd', 'b', b, bOff, 1, n, n);
    checkBlock('mulAdd', 'out', out, outOff, 1, n, n);
    const pa = this.addr(a, aOff);
    const pb = this.addr(b, bOff);
    const po = this.addr(out, outOff);
    if (pa < 0 || pb < 0 || po < 0) return super.mulAdd(n, a, aOff, b, bOff, out, outOff);
    this.k.mulAdd(n, pa, pb, po);
  }

  override clip(n: number, limit: number, x: Buf, xOff: number): void {
    if (n <= 0) return;
    checkBlock('clip', 'x', x, xOff, 1, n, n);
    const px = this.addr(x, xOff);
    if (px < 0) return super.clip(n, limit, x, xOff);
    this.k.clip(n, limit, px);
  }

  override sumSquares(n: number, x: Buf, xOff: number): number {
    if (n <= 0) return 0;
    checkBlock('sumSquares', 'x', x, xOff, 1, n, n);
    const px = this.addr(x, xOff);
    if (px < 0) return super.sumSquares(n, x, xOff);
    return this.k.sumSquares(n, px);
  }

  override allFinite(n: number, x: Buf, xOff: number): boolean {
    if (n <= 0) return true;
    checkBlock('allFinite', 'x', x, xOff, 1, n, n);
    const px = this.addr(x, xOff);
    if (px < 0) return super.allFinite(n, x, xOff);
    return this.k.allFinite(n, px) === 1;
  }

  override softmaxCrossEntropy(
    rows: number, classes: number, logits: Buf, logitsOff: number, targets: Int32Array, targetsOff: number,
    probs: Buf, probsOff: number, dlogits: Buf | null, dlogitsOff: number, weight: number,
  ): number {
    if (rows <= 0 || classes <= 0) return 0;
    checkBlock('softmaxCrossEntropy', 'logits', logits, logitsOff, rows, classes, classes);
    checkBlock('softmaxCrossEntropy', 'probs', probs, probsOff, rows, classes, classes);
    if (dlogits) checkBlock('softmaxCrossEntropy', 'dlogits', dlogits, dlogitsOff, rows, classes, classes);
    if (targetsOff < 0 || targetsOff + rows > targets.length) {
      throw new UnrollError(`softmaxCrossEntropy: targets hold ${targets.length} entries, need ${targetsOff + rows} (offset ${targetsOff} + ${rows} rows)`, 'shape');
    }
    for (let r = 0; r < rows; r++) {
      const t = targets[targetsOff + r];
      if (t >= classes || t < -1) throw new UnrollError(`softmaxCrossEntropy: target ${t} in row ${r} is outside [-1, ${classes - 1}]`, 'shape');
    }
    const pl = this.addr(logits, logitsOff);
    const pp = this.addr(probs, probsOff);
    const pd = dlogits ? this.addr(dlogits, dlogitsOff) : 0;
    if (pl < 0 || pp < 0 || pd < 0) {
      return super.softmaxCrossEntropy(rows, classes, logits, logitsOff, targets, targetsOff, probs, probsOff, dlogits, dlogitsOff, weight);
    }
    let pt: number;
    if (this.arena.owns(targets)) {
      pt = targets.byteOffset + targetsOff * 4;
    } else {
      if (this.targets.length < rows) this.targets = this.allocInt32(Math.max(rows, this.targets.length * 2));
      if (!this.arena.owns(this.targets)) {
        return super.softmaxCrossEntropy(rows, classes, logits, logitsOff, targets, targetsOff, probs, probsOff, dlogits, dlogitsOff, weight);
      }
      this.targets.set(targets.subarray(targetsOff, targetsOff + rows));
      pt = this.targets.byteOffset;
    }
    return this.k.softmaxCrossEntropy(rows, classes, pl, pt, pp, pd, weight);
  }

  override lstmPointwiseForward(rows: number, H: number, gates: Buf, gOff: number, ldg: number,
    cPrev: Buf, cpOff: number, ldcp: number, h: Buf, hOff: number, ldh: number, c: Buf, cOff: number, ldc: number,
    bias: Buf | null = null, biasOff = 0): void {
    if (rows <= 0 || H <= 0) return;
    checkBlock('lstmPointwiseForward', 'gates', gates, gOff, rows, 4 * H, ldg);
    checkBlock('lstmPointwiseForward', 'cPrev', cPrev, cpOff, rows, H, ldcp);
    checkBlock('lstmPointwiseForward', 'h', h, hOff, rows, H, ldh);
    checkBlock('lstmPointwiseForward', 'c', c, cOff, rows, H, ldc);
    if (bias) checkBlock('lstmPointwiseForward', 'bias', bias, biasOff, 1, 4 * H, 4 * H);
    const pg = this.addr(gates, gOff), pcp = this.addr(cPrev, cpOff), ph = this.addr(h, hOff), pc = this.addr(c, cOff);
    const pb = bias ? this.addr(bias, biasOff) : 0;
    if (pg < 0 || pcp < 0 || ph < 0 || pc < 0 || pb < 0) return super.lstmPointwiseForward(rows, H, gates, gOff, ldg, cPrev, cpOff, ldcp, h, hOff, ldh, c, cOff, ldc, bias, biasOff);
    this.k.lstmPointwiseForward(rows, H, pg, ldg, pcp, ldcp, ph, ldh, pc, ldc, pb);
  }

  override lstmPointwiseBackward(rows: number, H: number, gates: Buf, gOff: number, ldg: number,
    cPrev: Buf, cpOff: number, ldcp: number, c: Buf, cOff: number, ldc: number,
    dh: Buf, dhOff: number, lddh: number, dc: Buf, dcOff: number, lddc: number,
    dGates: Buf, dgOff: number, lddg: number, dcPrev: Buf, dcpOff: number, lddcp: number): void {
    if (rows <= 0 || H <= 0) return;
    const name = 'lstmPointwiseBackward';
    checkBlock(name, 'gates', gates, gOff, rows, 4 * H, ldg);
    checkBlock(name, 'cPrev', cPrev, cpOff, rows, H, ldcp);
    checkBlock(name, 'c', c, cOff, rows, H, ldc);
    checkBlock(name, 'dh', dh, dhOff, rows, H, lddh);
    checkBlock(name, 'dc', dc, dcOff, rows, H, lddc);
    checkBlock(name, 'dGates', dGates, dgOff, rows, 4 * H, lddg);
    checkBlock(name, 'dcPrev', dcPrev, dcpOff, rows, H, lddcp);
    const pg = this.addr(gates, gOff), pcp = this.addr(cPrev, cpOff), pc = this.addr(c, cOff), pdh = this.addr(dh, dhOff);
    const pdc = this.addr(dc, dcOff), pdg = this.addr(dGates, dgOff), pdcp = this.addr(dcPrev, dcpOff);
    if (pg < 0 || pcp < 0 || pc < 0 || pdh < 0 || pdc < 0 || pdg < 0 || pdcp < 0) {
      return super.lstmPointwiseBackward(rows, H, gates, gOff, ldg, cPrev, cpOff, ldcp, c, cOff, ldc, dh, dhOff, lddh, dc, dcOff, lddc, dGates, dgOff, lddg, dcPrev, dcpOff, lddcp);
    }
    this.k.lstmPointwiseBackward(rows, H, pg, ldg, pcp, ldcp, pc, ldc, pdh, lddh, pdc, lddc, pdg, lddg, pdcp, lddcp);
  }

  override gruPointwiseForward(rows: number, H: number, gx: Buf, gxOff: number, ldgx: number, gh: Buf, ghOff: number, ldgh: number,
    hPrev: Buf, hpOff: number, ldhp: number, h: Buf, hOff: number, ldh: number): void {
    if (rows <= 0 || H <= 0) return;
    checkBlock('gruPointwiseForward', 'gx', gx, gxOff, rows, 3 * H, ldgx);
    checkBlock('gruPointwiseForward', 'gh', gh, ghOff, rows, 3 * H, ldgh);
    checkBlock('gruPointwiseForward', 'hPrev', hPrev, hpOff, rows, H, ldhp);
    checkBlock('gruPointwiseForward', 'h', h, hOff, rows, H, ldh);
    const px = this.addr(gx, gxOff), pgh = this.addr(gh, ghOff), php = this.addr(hPrev, hpOff), ph = this.addr(h, hOff);
    if (px < 0 || pgh < 0 || php < 0 || ph < 0) return super.gruPointwiseForward(rows, H, gx, gxOff, ldgx, gh, ghOff, ldgh, hPrev, hpOff, ldhp, h, hOff, ldh);
    this.k.gruPointwiseForward(rows, H, px, ldgx, pgh, ldgh, php, ldhp, ph, ldh);
  }

  override gruPointwiseBackward(rows: number, H: number, gx: Buf, gxOff: number, ldgx: number, gh: Buf, ghOff: number, ldgh: number,
    hPrev: Buf, hpOff: number, ldhp: number, dh: Buf, dhOff: number, lddh: number,
    dGx: Buf, dgxOff: number, lddgx: number, dGh: Buf, dghOff: number, lddgh: number, dhPrev: Buf, dhpOff: number, lddhp: number): void {
    if (rows <= 0 || H <= 0) return;
    const name = 'gruPointwiseBackward';
    checkBlock(name, 'gx', gx, gxOff, rows, 3 * H, ldgx);
    checkBlock(name, 'gh', gh, ghOff, rows, 3 * H, ldgh);
    checkBlock(name, 'hPrev', hPrev, hpOff, rows, H, ldhp);
    checkBlock(name, 'dh', dh, dhOff, rows, H, lddh);
    checkBlock(name, 'dGx', dGx, dgxOff, rows, 3 * H, lddgx);
    checkBlock(name, 'dGh', dGh, dghOff, rows, 3 * H, lddgh);
    checkBlock(name, 'dhPrev', dhPrev, dhpOff, rows, H, lddhp);
    const px = this.addr(gx, gxOff), pgh = this.addr(gh, ghOff), php = this.addr(hPrev, hpOff), pdh = this.addr(dh, dhOff);
    const pdx = this.addr(dGx, dgxOff), pdgh = this.addr(dGh, dghOff), pdhp = this.addr(dhPrev, dhpOff);
    if (px < 0 || pgh < 0 || php < 0 || pdh < 0 || pdx < 0 || pdgh < 0 || pdhp < 0) {
      return super.gruPointwiseBackward(rows, H, gx, gxOff, ldgx, gh, ghOff, ldgh, hPrev, hpOff, ldhp, dh, dhOff, lddh, dGx, dgxOff, lddgx, dGh, dghOff, lddgh, dhPrev, dhpOff, lddhp);
    }
    this.k.gruPointwiseBackward(rows, H, px, ldgx, pgh, ldgh, php, ldhp, pdh, lddh, pdx, lddgx, pdgh, lddgh, pdhp, lddhp);
  }

  override gruResetGateForward(rows: number, H: number, gx: Buf, gxOff: number, ldgx: number, gh: Buf, ghOff: number, ldgh: number,
    hPrev: Buf, hpOff: number, ldhp: number, rh: Buf, rhOff: number, ldrh: number): void {
    if (rows <= 0 || H <= 0) return;
    const name = 'gruResetGateForward';
    checkBlock(name, 'gx', gx, gxOff, rows, 3 * H, ldgx);
    checkBlock(name, 'gh', gh, ghOff, rows, 3 * H, ldgh);
    checkBlock(name, 'hPrev', hPrev, hpOff, rows, H, ldhp);
    checkBlock(name, 'rh', rh, rhOff, rows, H, ldrh);
    const px = this.addr(gx, gxOff), pgh = this.addr(gh, ghOff), php = this.addr(hPrev, hpOff), prh = this.addr(rh, rhOff);
    if (px < 0 || pgh < 0 || php < 0 || prh < 0) return super.gruResetGateForward(rows, H, gx, gxOff, ldgx, gh, ghOff, ldgh, hPrev, hpOff, ldhp, rh, rhOff, ldrh);
    this.k.gruResetGateForward(rows, H, px, ldgx, pgh, ldgh, php, ldhp, prh, ldrh);
  }

  override gruResetBeforeForward(rows: number, H: number, gx: Buf, gxOff: number, ldgx: number, gh: Buf, ghOff: number, ldgh: number,
    hPrev: Buf, hpOff: number, ldhp: number, h: Buf, hOff: number, ldh: number): void {
    if (rows <= 0 || H <= 0) return;
    const name = 'gruResetBeforeForward';
    checkBlock(name, 'gx', gx, gxOff, rows, 3 * H, ldgx);
    checkBlock(name, 'gh', gh, ghOff, rows, 3 * H, ldgh);
    checkBlock(name, 'hPrev', hPrev, hpOff, rows, H, ldhp);
    checkBlock(name, 'h', h, hOff, rows, H, ldh);
    const px = this.addr(gx, gxOff), pgh = this.addr(gh, ghOff), php = this.addr(hPrev, hpOff), ph = this.addr(h, hOff);
    if (px < 0 || pgh < 0 || php < 0 || ph < 0) return super.gruResetBeforeForward(rows, H, gx, gxOff, ldgx, gh, ghOff, ldgh, hPrev, hpOff, ldhp, h, hOff, ldh);
    this.k.gruResetBeforeForward(rows, H, px, ldgx, pgh, ldgh, php, ldhp, ph, ldh);
  }

  override gruResetBeforeBackward(rows: number, H: number, gx: Buf, gxOff: number, ldgx: number, hPrev: Buf, hpOff: number, ldhp: number,
    dh: Buf, dhOff: number, lddh: number, dGx: Buf, dgxOff: number, lddgx: number, dGh: Buf, dghOff: number, lddgh: number,
    dhPrev: Buf, dhpOff: number, lddhp: number): void {
    if (rows <= 0 || H <= 0) return;
    const name = 'gruResetBeforeBackward';
    checkBlock(name, 'gx', gx, gxOff, rows, 3 * H, ldgx);
    checkBlock(name, 'hPrev', hPrev, hpOff, rows, H, ldhp);
    checkBlock(name, 'dh', dh, dhOff, rows, H, lddh);
    checkBlock(name, 'dGx', dGx, dgxOff, rows, 3 * H, lddgx);
    checkBlock(name, 'dGh', dGh, dghOff, rows, 3 * H, lddgh);
    checkBlock(name, 'dhPrev', dhPrev, dhpOff, rows, H, lddhp);
    const px = this.addr(gx, gxOff), php = this.addr(hPrev, hpOff), pdh = this.addr(dh, dhOff);
    const pdx = this.addr(dGx, dgxOff), pdgh = this.addr(dGh, dghOff), pdhp = this.addr(dhPrev, dhpOff);
    if (px < 0 || php < 0 || pdh < 0 || pdx < 0 || pdgh < 0 || pdhp < 0) {
      return super.gruResetBeforeBackward(rows, H, gx, gxOff, ldgx, hPrev, hpOff, ldhp, dh, dhOff, lddh, dGx, dgxOff, lddgx, dGh, dghOff, lddgh, dhPrev, dhpOff, lddhp);
    }
    this.k.gruResetBeforeBackward(rows, H, px, ldgx, php, ldhp, pdh, lddh, pdx, lddgx, pdgh, lddgh, pdhp, lddhp);
  }

  override gruResetGateBackward(rows: number, H: number, gx: Buf, gxOff: number, ldgx: number, hPrev: Buf, hpOff: number, ldhp: number,
    dRh: Buf, drhOff: number, lddrh: number, dGx: Buf, dgxOff: number, lddgx: number, dGh: Buf, dghOff: number, lddgh: number,
    dhPrev: Buf, dhpOff: number, lddhp: number): void {
    if (rows <= 0 || H <= 0) return;
    const name = 'gruResetGateBackward';
    checkBlock(name, 'gx', gx, gxOff, rows, 3 * H, ldgx);
    checkBlock(name, 'hPrev', hPrev, hpOff, rows, H, ldhp);
    checkBlock(name, 'dRh', dRh, drhOff, rows, H, lddrh);
    checkBlock(name, 'dGx', dGx, dgxOff, rows, 3 * H, lddgx);
    checkBlock(name, 'dGh', dGh, dghOff, rows, 3 * H, lddgh);
    checkBlock(name, 'dhPrev', dhPrev, dhpOff, rows, H, lddhp);
    const px = this.addr(gx, gxOff), php = this.addr(hPrev, hpOff), pdrh = this.addr(dRh, drhOff);
    const pdx = this.addr(dGx, dgxOff), pdgh = this.addr(dGh, dghOff), pdhp = this.addr(dhPrev, dhpOff);
    if (px < 0 || php < 0 || pdrh < 0 || pdx < 0 || pdgh < 0 || pdhp < 0) {
      return super.gruResetGateBackward(rows, H, gx, gxOff, ldgx, hPrev, hpOff, ldhp, dRh, drhOff, lddrh, dGx, dgxOff, lddgx, dGh, dghOff, lddgh, dhPrev, dhpOff, lddhp);
    }
    this.k.gruResetGateBackward(rows, H, px, ldgx, php, ldhp, pdrh, lddrh, pdx, lddgx, pdgh, lddgh, pdhp, lddhp);
  }

  override adamStep(n: number, p: Buf, g: Buf, m: Buf, v: Buf, lr: number, beta1: number, beta2: number, eps: number, weightDecay: number, step: number): void {
    if (n <= 0) return;
    checkBlock('adamStep', 'p', p, 0, 1, n, n);
    checkBlock('adamStep', 'g', g, 0, 1, n, n);
    checkBlock('adamStep', 'm', m, 0, 1, n, n);
    checkBlock('adamStep', 'v', v, 0, 1, n, n);
    const pp = this.addr(p, 0);
    const pg = this.addr(g, 0);
    const pm = this.addr(m, 0);
    const pv = this.addr(v, 0);
    if (pp < 0 || pg < 0 || pm < 0 || pv < 0) return super.adamStep(n, p, g, m, v, lr, beta1, beta2, eps, weightDecay, step);
    const c1 = 1 - Math.pow(beta1, step);
    const c2 = 1 - Math.pow(beta2, step);
    this.k.adamStep(n, pp, pg, pm, pv, lr, beta1, beta2, 1 - beta1, 1 - beta2, eps, weightDecay, c1, c2);
  }
}

/** Throws when an m×n block at `off` with leading dimension `ld` does not fit in `buf`. */
function checkBlock(kernel: string, arg: string, buf: Buf, off: number, m: number, n: number, ld: number): void {
  if (m <= 0 || n <= 0) return;
  const last = off + (m - 1) * ld + n - 1;
  if (off < 0 || (m > 1 && ld < n) || last >= buf.length) {
    throw new UnrollError(
      `${kernel}: ${arg} block of ${m}×${n} at offset ${off} with leading dimension ${ld} does not fit a buffer of ${buf.length} numbers`,
      'shape',
    );
  }
}

function request(options: WasmBackendOptions, shared: boolean): LoadRequest {
  const mib = options.memoryMiB ?? (shared ? 16 : 256);
  if (!Number.isFinite(mib) || mib < 2 || mib > 4095) badOption('memoryMiB', options.memoryMiB, 'a number of MiB in [2, 4095]');
  return { initialPages: Math.ceil((mib * 1024 * 1024) / PAGE_BYTES), preferShared: shared, preferRelaxed: options.relaxedSimd !== 'off' };
}

function validate(options: WasmBackendOptions): void {
  checkOptions(options, { memoryMiB: is.number, simd: is.oneOf('auto', 'off'), relaxedSimd: is.oneOf('auto', 'off'), sharedMemory: is.oneOf('auto', 'off'), notice: is.function }, { where: 'createWasmBackend' });
  request(options, true);
  if (options.simd !== undefined && options.simd !== 'auto' && options.simd !== 'off') badOption('simd', options.simd, "'auto' or 'off'");
  if (options.relaxedSimd !== undefined && options.relaxedSimd !== 'auto' && options.relaxedSimd !== 'off') badOption('relaxedSimd', options.relaxedSimd, "'auto' or 'off'");
  if (options.sharedMemory !== undefined && options.sharedMemory !== 'auto' && options.sharedMemory !== 'off') {
    badOption('sharedMemory', options.sharedMemory, "'auto' or 'off'");
  }
}

function fallback(options: WasmBackendOptions, why: string): Backend {
  (options.notice ?? console.warn)(`unroll: ${why}; using the float64 reference backend (slower).`);
  return new ReferenceBackend();
}

function unavailable(options: WasmBackendOptions): string | null {
  if (options.simd === 'off') return 'WebAssembly SIMD turned off (option simd: "off")';
  if (!wasmSimdSupported()) return 'WebAssembly SIMD is not available in this engine';
  return null;
}

/**
 * The fast float32 backend, or the reference backend (with a one-line notice) where WebAssembly
 * SIMD is unavailable. Works everywhere, including a browser's main thread.
 */
export async function createWasmBackend(options: WasmBackendOptions = {}): Promise<Backend> {
  validate(options);
  const req = request(options, options.sharedMemory !== 'off');
  const why = unavailable(options);
  if (why) return fallback(options, why);
  const kernels = await loadKernels(req);
  return new WasmBackend(kernels, options.notice);
}

/**
 * Synchronous variant of `createWasmBackend`, for Node and workers. Browsers refuse synchronous
 * compilation of modules this size on the main thread; there it falls back with a notice.
 */
export function createWasmBackendSync(options: WasmBackendOptions = {}): Backend {
  validate(options);
  const why = unavailable(options);
  if (why) return fallback(options, why);
  const req = request(options, options.sharedMemory !== 'off');
  let kernels: LoadedKernels;
  try {
    kernels = loadKernelsSync(req);
  } catch (e) {
    return fallback(options, `WebAssembly could not be compiled synchronously here (${(e as Error).message}); use createWasmBackend()`);
  }
  return new WasmBackend(kernels, options.notice);
}
