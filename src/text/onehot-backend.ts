/**
 * A kernel backend wrapper that multiplies one-hot inputs without the zeros.
 *
 * With one-hot token vectors (V numbers, one of them 1) the first layer's input product
 * x·W_ihᵀ is a column lookup, and its weight gradient dGatesᵀ·x adds each row of dGates into one
 * column. A dense gemm spends V times more work on zeros: for V = 2000 that is most of the
 * training time. This wrapper watches the network's input buffer; when a gemm reads it and every
 * row of it is one-hot (or all zero, past a sequence's end), the product is done as a lookup /
 * scatter-add instead, giving the same numbers. Any other call, or input that is not one-hot,
 * goes to the wrapped backend unchanged.
 *
 * (An engine-level index/embedding input would avoid building the one-hot rows at all; this keeps
 * the seeds' one-hot formulation and needs no engine change.)
 */
import type { Backend, Buf } from '../kernels/index.js';

export interface OneHotBackend {
  readonly backend: Backend;
  /** `input()` returns the buffer that holds one-hot rows (read at each call, since it may be reallocated). */
  watch(input: () => Buf): void;
  /** gemm calls served as lookups (for tests and diagnostics; see oneHotBackend for the WebAssembly backend). */
  readonly stats: { sparse: number; dense: number };
}

export function oneHotBackend(base: Backend): OneHotBackend {
  // The WebAssembly backend finds one-hot operands itself (in SIMD, and in worker threads too):
  // wrapping it would only add a slower JavaScript lookup in front. Its `stats.sparse` counts the
  // backend's own lookups since this call; `stats.dense` is not counted there (stays 0).
  const native = base as Backend & { readonly oneHotProducts?: number };
  if (typeof native.oneHotProducts === 'number') {
    const start = native.oneHotProducts;
    return { backend: base, stats: { get sparse() { return (native.oneHotProducts ?? start) - start; }, dense: 0 }, watch() {} };
  }
  let input: (() => Buf) | null = null;
  const stats = { sparse: 0, dense: 0 };
  let ids = new Int32Array(0);

  /** Fills ids[0..rows) with the hot index of each row (−1 for an all-zero row); false if a row is not one-hot. */
  const scan = (buf: Buf, off: number, ld: number, rows: number, width: number): boolean => {
    if (ids.length < rows) ids = new Int32Array(rows);
    for (let r = 0; r < rows; r++) {
      let hot = -1;
      const base0 = off + r * ld;
      for (let d = 0; d < width; d++) {
        const v = buf[base0 + d];
        if (v === 0) continue;
        if (v !== 1 || hot >= 0) return false;
        hot = d;
      }
      ids[r] = hot;
    }
    return true;
  };

  const scaleC = (m: number, n: number, beta: number, c: Buf, cOff: number, ldc: number): void => {
    if (beta === 1) return;
    for (let i = 0; i < m; i++) {
      const row = cOff + i * ldc;
      for (let j = 0; j < n; j++) c[row + j] = beta === 0 ? 0 : beta * c[row + j];
    }
  };

  const gemm: Backend['gemm'] = (transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc) => {
    const x = input?.();
    if (x && a === x && !transA && scan(a, aOff, lda, m, k)) {
      // C = α·X·op(B) + βC with X one-hot: row i of C is α × row ids[i] of op(B).
      stats.sparse++;
      scaleC(m, n, beta, c, cOff, ldc);
      for (let i = 0; i < m; i++) {
        const id = ids[i];
        if (id < 0) continue;
        const row = cOff + i * ldc;
        if (transB) for (let j = 0; j < n; j++) c[row + j] += alpha * b[bOff + j * ldb + id];
        else for (let j = 0; j < n; j++) c[row + j] += alpha * b[bOff + id * ldb + j];
      }
      return;
    }
    if (x && b === x && transA && !transB && scan(b, bOff, ldb, k, n)) {
      // C = α·Aᵀ·X + βC with X (k × n) one-hot: row r of X adds α·A[r, :] into column ids[r] of C.
      stats.sparse++;
      scaleC(m, n, beta, c, cOff, ldc);
      for (let r = 0; r < k; r++) {
        const id = ids[r];
        if (id < 0) continue;
        const arow = aOff + r * lda;
        for (let i = 0; i < m; i++) c[cOff + i * ldc + id] += alpha * a[arow + i];
      }
      return;
    }
    stats.dense++;
    base.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
  };

  const bound = new Map<PropertyKey, unknown>();
  const backend = new Proxy(base, {
    get(target, prop) {
      if (prop === 'gemm') return gemm;
      const v = (target as unknown as Record<PropertyKey, unknown>)[prop];
      if (typeof v !== 'function') return v;
      let f = bound.get(prop);
      if (!f) bound.set(prop, (f = (v as (...args: unknown[]) => unknown).bind(target)));
      return f;
    },
  });
  return { backend, stats, watch(fn) { input = fn; } };
}
