// General matrix product C = alpha · op(A) · op(B) + beta · C in WebAssembly SIMD128 (AssemblyScript).
//
// Layout follows the classic blocked scheme:
// - C is walked in column blocks of NC, the k dimension in blocks of KC and the rows in blocks of MC.
// - For each (KC × NC) block, op(B) is packed into panels of NR = 8 columns, each panel stored
//   p-major (8 consecutive floats per k step), zero-padded past n. It stays in L2 and one panel in L1.
// - For each (MC × KC) block, alpha · op(A) is packed into panels of MR rows, stored p-major
//   (MR consecutive floats per k step), zero-padded past m.
// - A micro-kernel multiplies one A panel by one B panel into an MR × 8 register tile
//   (MR · 2 f32x4 accumulators) and adds the tile into C.
// Packing absorbs all four transpose cases, offsets and leading dimensions, so there is one
// micro-kernel. All sizes are in floats; pointers are byte addresses.

import { madd } from './vmath';

// Register tile rows (6 × 8 = 12 f32x4 accumulators; 4 and 5 are kept for measurement).
export const MR: i32 = 6;
export const NR: i32 = 8;
export const KC: i32 = 256;
export const MC: i32 = 96;
export const NC: i32 = 512;

/** Bytes of scratch memory `gemm` needs: packed A, packed B and one MR × NR edge tile. */
export function gemmScratchBytes(): i32 {
  return (MC * KC + KC * NC + MR * NR) << 2;
}

export function gemm(
  transA: i32, transB: i32, m: i32, n: i32, k: i32, alpha: f32,
  a: usize, lda: i32, b: usize, ldb: i32,
  beta: f32, c: usize, ldc: i32, scratch: usize,
): void {
  run(transA, transB, m, n, k, alpha, a, lda, b, ldb, 0, beta, c, ldc, scratch);
}

/** Floats that op(B) (k × n) takes packed by `packBAll`: whole 8-column panels. */
export function packedBFloats(k: i32, n: i32): i32 {
  return ((n + NR - 1) / NR) * NR * k;
}

/**
 * Packs all of op(B) (k × n; B stored n × k when transB) into `dst`, block after block in the
 * order `gemmPacked` reads them: for each NC column block, for each KC block, the 8-column panels
 * `gemm` would pack. A weight matrix used by many products (one per time step) is packed once.
 */
export function packBAll(transB: i32, k: i32, n: i32, b: usize, ldb: i32, dst: usize): void {
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    const ncp = ((nc + NR - 1) / NR) * NR;
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      const at = dst + (<usize>(jc * k + pc * ncp) << 2);
      if (transB) packBt(b, ldb, pc, jc, kc, nc, at);
      else packB(b, ldb, pc, jc, kc, nc, at);
    }
  }
}

/** C = alpha · op(A) · op(B) + beta · C with op(B) packed by `packBAll`. */
export function gemmPacked(
  transA: i32, m: i32, n: i32, k: i32, alpha: f32, a: usize, lda: i32,
  packed: usize, beta: f32, c: usize, ldc: i32, scratch: usize,
): void {
  run(transA, 0, m, n, k, alpha, a, lda, 0, 0, packed, beta, c, ldc, scratch);
}

function run(
  transA: i32, transB: i32, m: i32, n: i32, k: i32, alpha: f32,
  a: usize, lda: i32, b: usize, ldb: i32, packed: usize,
  beta: f32, c: usize, ldc: i32, scratch: usize,
): void {
  // beta = 0 with some work to do: the first k block stores its tiles instead of adding them,
  // so C is neither zeroed first nor read (stale NaN in C still never leaks in).
  const overwrite = beta == 0 && alpha != 0 && k > 0;
  if (!overwrite) scaleC(m, n, beta, c, ldc);
  if (alpha == 0 || k == 0) return;
  const pa = scratch;
  const scratchB = pa + (<usize>(MC * KC) << 2);
  const tile = scratchB + (<usize>(KC * NC) << 2);
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    const ncp = ((nc + NR - 1) / NR) * NR;
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      const put = overwrite && pc == 0;
      let pb = scratchB;
      if (packed) pb = packed + (<usize>(jc * k + pc * ncp) << 2);
      else if (transB) packBt(b, ldb, pc, jc, kc, nc, pb);
      else packB(b, ldb, pc, jc, kc, nc, pb);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        if (transA) packAt(a, lda, ic, pc, mc, kc, alpha, pa);
        else packA(a, lda, ic, pc, mc, kc, alpha, pa);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const bPanel = pb + (<usize>(jr * kc) << 2);
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = min(MR, mc - ir);
            const cTile = c + (<usize>((ic + ir) * ldc + jc + jr) << 2);
            const aPanel = pa + (<usize>(ir * kc) << 2);
            // A remainder of at most 4 rows runs the 4-row tile (no wasted rows, direct stores).
            if (MR == 6) {
              if (mr <= 4) micro4(kc, aPanel, MR << 2, bPanel, cTile, ldc, mr, nr, tile, put);
              else micro6(kc, aPanel, bPanel, cTile, ldc, mr, nr, tile, put);
            }
            else if (MR == 5) micro5(kc, aPanel, bPanel, cTile, ldc, mr, nr, tile, put);
            else micro4(kc, aPanel, MR << 2, bPanel, cTile, ldc, mr, nr, tile, put);
          }
        }
      }
    }
  }
}

/** C = beta · C; beta = 0 overwrites with zeros so stale NaN never leaks in. */
function scaleC(m: i32, n: i32, beta: f32, c: usize, ldc: i32): void {
  if (beta == 1) return;
  const vb = f32x4.splat(beta);
  for (let i = 0; i < m; i++) {
    const row = c + (<usize>(i * ldc) << 2);
    let j = 0;
    if (beta == 0) {
      for (; j + 4 <= n; j += 4) v128.store(row + (<usize>j << 2), f32x4.splat(0));
      for (; j < n; j++) store<f32>(row + (<usize>j << 2), 0);
    } else {
      for (; j + 4 <= n; j += 4) {
        const p = row + (<usize>j << 2);
        v128.store(p, f32x4.mul(v128.load(p), vb));
      }
      for (; j < n; j++) {
        const p = row + (<usize>j << 2);
        store<f32>(p, load<f32>(p) * beta);
      }
    }
  }
}

/** Packs op(B) = B (stored k × n) rows [pc, pc+kc), columns [jc, jc+nc) into 8-column panels. */
function packB(b: usize, ldb: i32, pc: i32, jc: i32, kc: i32, nc: i32, dst: usize): void {
  for (let jr = 0; jr < nc; jr += NR) {
    const nr = min(NR, nc - jr);
    let src = b + (<usize>(pc * ldb + jc + jr) << 2);
    const step = <usize>ldb << 2;
    if (nr == NR) {
      for (let p = 0; p < kc; p++) {
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
        dst += 32;
        src += step;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        v128.store(dst, f32x4.splat(0));
        v128.store(dst, f32x4.splat(0), 16);
        for (let j = 0; j < nr; j++) store<f32>(dst + (<usize>j << 2), load<f32>(src + (<usize>j << 2)));
        dst += 32;
        src += step;
      }
    }
  }
}

/**
 * Packs op(B) = Bᵀ (B stored n × k): element (p, j) is b[j · ldb + p]. Full 8-column panels
 * read 4 consecutive p of 8 stored rows and transpose them in registers (two 4 × 4 transposes).
 */
function packBt(b: usize, ldb: i32, pc: i32, jc: i32, kc: i32, nc: i32, dst: usize): void {
  const step = <usize>ldb << 2;
  for (let jr = 0; jr < nc; jr += NR) {
    const nr = min(NR, nc - jr);
    const src = b + (<usize>((jc + jr) * ldb + pc) << 2);
    let p = 0;
    if (nr == NR) {
      for (; p + 4 <= kc; p += 4) {
        const s0 = src + (<usize>p << 2);
        const r0 = v128.load(s0), r1 = v128.load(s0 + step), r2 = v128.load(s0 + 2 * step), r3 = v128.load(s0 + 3 * step);
        const r4 = v128.load(s0 + 4 * step), r5 = v128.load(s0 + 5 * step), r6 = v128.load(s0 + 6 * step), r7 = v128.load(s0 + 7 * step);
        const d0 = dst + (<usize>(p * NR) << 2);
        transpose4(r0, r1, r2, r3, d0);
        transpose4(r4, r5, r6, r7, d0 + 16);
      }
    } else {
      for (let q = p; q < kc; q++) {
        v128.store(dst + (<usize>(q * NR) << 2), f32x4.splat(0));
        v128.store(dst + (<usize>(q * NR) << 2), f32x4.splat(0), 16);
      }
    }
    // Remaining p (and every p of a partial panel), one element at a time.
    for (let j = 0; j < nr; j++) {
      let s = src + <usize>j * step + (<usize>p << 2);
      let out = dst + (<usize>(p * NR + j) << 2);
      for (let q = p; q < kc; q++) {
        store<f32>(out, load<f32>(s));
        s += 4;
        out += NR << 2;
      }
    }
    dst += <usize>(kc * NR) << 2;
  }
}

/** Stores the transpose of rows r0..r3 (4 floats each) as 4 vectors 32 bytes apart: out[q] = (r0[q], r1[q], r2[q], r3[q]). */
// @ts-ignore: decorator
@inline function transpose4(r0: v128, r1: v128, r2: v128, r3: v128, out: usize): void {
  const a = f32x4.shuffle(r0, r1, 0, 4, 1, 5);
  const b = f32x4.shuffle(r2, r3, 0, 4, 1, 5);
  const c = f32x4.shuffle(r0, r1, 2, 6, 3, 7);
  const d = f32x4.shuffle(r2, r3, 2, 6, 3, 7);
  v128.store(out, f32x4.shuffle(a, b, 0, 1, 4, 5));
  v128.store(out, f32x4.shuffle(a, b, 2, 3, 6, 7), 32);
  v128.store(out, f32x4.shuffle(c, d, 0, 1, 4, 5), 64);
  v128.store(out, f32x4.shuffle(c, d, 2, 3, 6, 7), 96);
}

/** Packs alpha · op(A) = alpha · A (stored m × k) rows [ic, ic+mc), columns [pc, pc+kc) into MR-row panels. */
function packA(a: usize, lda: i32, ic: i32, pc: i32, mc: i32, kc: i32, alpha: f32, dst: usize): void {
  const va = f32x4.splat(alpha);
  const step = <usize>lda << 2;
  for (let ir = 0; ir < mc; ir += MR) {
    const mr = min(MR, mc - ir);
    if (MR == 6 && mr == 6) {
      // Full 6-row panels: 4 k steps at a time, the 6 × 4 block transposed in registers.
      const s0 = a + (<usize>((ic + ir) * lda + pc) << 2);
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        const at = s0 + (<usize>p << 2);
        let r0 = v128.load(at), r1 = v128.load(at + step), r2 = v128.load(at + 2 * step);
        let r3 = v128.load(at + 3 * step), r4 = v128.load(at + 4 * step), r5 = v128.load(at + 5 * step);
        if (alpha != 1) {
          r0 = f32x4.mul(r0, va); r1 = f32x4.mul(r1, va); r2 = f32x4.mul(r2, va);
          r3 = f32x4.mul(r3, va); r4 = f32x4.mul(r4, va); r5 = f32x4.mul(r5, va);
        }
        const d = dst + (<usize>(p * 6) << 2);
        const lo = f32x4.shuffle(r0, r1, 0, 4, 1, 5), lo2 = f32x4.shuffle(r2, r3, 0, 4, 1, 5);
        const hi = f32x4.shuffle(r0, r1, 2, 6, 3, 7), hi2 = f32x4.shuffle(r2, r3, 2, 6, 3, 7);
        const e45lo = f32x4.shuffle(r4, r5, 0, 4, 1, 5), e45hi = f32x4.shuffle(r4, r5, 2, 6, 3, 7);
        v128.store(d, f32x4.shuffle(lo, lo2, 0, 1, 4, 5));
        v128.store64_lane(d, e45lo, 0, 16);
        v128.store(d, f32x4.shuffle(lo, lo2, 2, 3, 6, 7), 24);
        v128.store64_lane(d, e45lo, 1, 40);
        v128.store(d, f32x4.shuffle(hi, hi2, 0, 1, 4, 5), 48);
        v128.store64_lane(d, e45hi, 0, 64);
        v128.store(d, f32x4.shuffle(hi, hi2, 2, 3, 6, 7), 72);
        v128.store64_lane(d, e45hi, 1, 88);
      }
      for (; p < kc; p++) {
        for (let i = 0; i < 6; i++) store<f32>(dst + (<usize>(p * 6 + i) << 2), alpha * load<f32>(s0 + <usize>i * step + (<usize>p << 2)));
      }
      dst += <usize>(kc * MR) << 2;
      continue;
    }
    if (mr < MR) {
      for (let p = 0; p < kc * MR; p++) store<f32>(dst + (<usize>p << 2), 0);
    }
    for (let i = 0; i < mr; i++) {
      let src = a + (<usize>((ic + ir + i) * lda + pc) << 2);
      let out = dst + (<usize>i << 2);
      for (let p = 0; p < kc; p++) {
        store<f32>(out, alpha * load<f32>(src));
        src += 4;
        out += MR << 2;
      }
    }
    dst += <usize>(kc * MR) << 2;
  }
}

/** Packs alpha · op(A) = alpha · Aᵀ (A stored k × m): element (i, p) is a[p · lda + i]. */
function packAt(a: usize, lda: i32, ic: i32, pc: i32, mc: i32, kc: i32, alpha: f32, dst: usize): void {
  const va = f32x4.splat(alpha);
  const step = <usize>lda << 2;
  for (let ir = 0; ir < mc; ir += MR) {
    const mr = min(MR, mc - ir);
    let src = a + (<usize>(pc * lda + ic + ir) << 2);
    if (mr == MR) {
      for (let p = 0; p < kc; p++) {
        v128.store(dst, f32x4.mul(va, v128.load(src)));
        for (let i = 4; i < MR; i++) store<f32>(dst + (<usize>i << 2), alpha * load<f32>(src + (<usize>i << 2)));
        dst += MR << 2;
        src += step;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let i = 0; i < MR; i++) {
          store<f32>(dst + (<usize>i << 2), i < mr ? alpha * load<f32>(src + (<usize>i << 2)) : 0);
        }
        dst += MR << 2;
        src += step;
      }
    }
  }
}

/**
 * C[0..mr, 0..nr) += Apanel · Bpanel over kc steps, with a 6 × 8 register tile (12 accumulators).
 * Full tiles are added into C directly; edge tiles go through `tile` so nothing outside C is touched.
 */
function micro6(kc: i32, pa: usize, pb: usize, c: usize, ldc: i32, mr: i32, nr: i32, tile: usize, put: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0), c41 = f32x4.splat(0);
  let c50 = f32x4.splat(0), c51 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let av = v128.load32_splat(pa);
    c00 = madd(av, b0, c00);
    c01 = madd(av, b1, c01);
    av = v128.load32_splat(pa, 4);
    c10 = madd(av, b0, c10);
    c11 = madd(av, b1, c11);
    av = v128.load32_splat(pa, 8);
    c20 = madd(av, b0, c20);
    c21 = madd(av, b1, c21);
    av = v128.load32_splat(pa, 12);
    c30 = madd(av, b0, c30);
    c31 = madd(av, b1, c31);
    av = v128.load32_splat(pa, 16);
    c40 = madd(av, b0, c40);
    c41 = madd(av, b1, c41);
    av = v128.load32_splat(pa, 20);
    c50 = madd(av, b0, c50);
    c51 = madd(av, b1, c51);
    pa += 24;
    pb += 32;
  }
  const ld = <usize>ldc << 2;
  if (mr == MR && nr == NR) {
    addRow(c, c00, c01, put);
    addRow(c + ld, c10, c11, put);
    addRow(c + 2 * ld, c20, c21, put);
    addRow(c + 3 * ld, c30, c31, put);
    addRow(c + 4 * ld, c40, c41, put);
    addRow(c + 5 * ld, c50, c51, put);
    return;
  }
  v128.store(tile, c00); v128.store(tile, c01, 16);
  v128.store(tile, c10, 32); v128.store(tile, c11, 48);
  v128.store(tile, c20, 64); v128.store(tile, c21, 80);
  v128.store(tile, c30, 96); v128.store(tile, c31, 112);
  v128.store(tile, c40, 128); v128.store(tile, c41, 144);
  v128.store(tile, c50, 160); v128.store(tile, c51, 176);
  addTile(c, ld, mr, nr, tile, put);
}

// @ts-ignore: decorator
@inline function addRow(p: usize, lo: v128, hi: v128, put: bool): void {
  if (put) {
    v128.store(p, lo);
    v128.store(p, hi, 16);
    return;
  }
  v128.store(p, f32x4.add(v128.load(p), lo));
  v128.store(p, f32x4.add(v128.load(p, 16), hi), 16);
}

/** The 5 × 8 tile (10 accumulators). */
function micro5(kc: i32, pa: usize, pb: usize, c: usize, ldc: i32, mr: i32, nr: i32, tile: usize, put: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0), c41 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let av = v128.load32_splat(pa);
    c00 = madd(av, b0, c00);
    c01 = madd(av, b1, c01);
    av = v128.load32_splat(pa, 4);
    c10 = madd(av, b0, c10);
    c11 = madd(av, b1, c11);
    av = v128.load32_splat(pa, 8);
    c20 = madd(av, b0, c20);
    c21 = madd(av, b1, c21);
    av = v128.load32_splat(pa, 12);
    c30 = madd(av, b0, c30);
    c31 = madd(av, b1, c31);
    av = v128.load32_splat(pa, 16);
    c40 = madd(av, b0, c40);
    c41 = madd(av, b1, c41);
    pa += 20;
    pb += 32;
  }
  const ld = <usize>ldc << 2;
  if (mr == 5 && nr == NR) {
    addRow(c, c00, c01, put);
    addRow(c + ld, c10, c11, put);
    addRow(c + 2 * ld, c20, c21, put);
    addRow(c + 3 * ld, c30, c31, put);
    addRow(c + 4 * ld, c40, c41, put);
    return;
  }
  v128.store(tile, c00); v128.store(tile, c01, 16);
  v128.store(tile, c10, 32); v128.store(tile, c11, 48);
  v128.store(tile, c20, 64); v128.store(tile, c21, 80);
  v128.store(tile, c30, 96); v128.store(tile, c31, 112);
  v128.store(tile, c40, 128); v128.store(tile, c41, 144);
  addTile(c, ld, mr, nr, tile, put);
}

/** The 4 × 8 tile (8 accumulators); the A panel advances `astep` bytes per k step (its packed row count × 4). */
function micro4(kc: i32, pa: usize, astep: usize, pb: usize, c: usize, ldc: i32, mr: i32, nr: i32, tile: usize, put: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let av = v128.load32_splat(pa);
    c00 = madd(av, b0, c00);
    c01 = madd(av, b1, c01);
    av = v128.load32_splat(pa, 4);
    c10 = madd(av, b0, c10);
    c11 = madd(av, b1, c11);
    av = v128.load32_splat(pa, 8);
    c20 = madd(av, b0, c20);
    c21 = madd(av, b1, c21);
    av = v128.load32_splat(pa, 12);
    c30 = madd(av, b0, c30);
    c31 = madd(av, b1, c31);
    pa += astep;
    pb += 32;
  }
  const ld = <usize>ldc << 2;
  if (mr == 4 && nr == NR) {
    addRow(c, c00, c01, put);
    addRow(c + ld, c10, c11, put);
    addRow(c + 2 * ld, c20, c21, put);
    addRow(c + 3 * ld, c30, c31, put);
    return;
  }
  v128.store(tile, c00); v128.store(tile, c01, 16);
  v128.store(tile, c10, 32); v128.store(tile, c11, 48);
  v128.store(tile, c20, 64); v128.store(tile, c21, 80);
  v128.store(tile, c30, 96); v128.store(tile, c31, 112);
  addTile(c, ld, mr, nr, tile, put);
}

/** Adds (or, with `put`, writes) the first mr × nr entries of an edge tile (row stride NR) into C. */
function addTile(c: usize, ld: usize, mr: i32, nr: i32, tile: usize, put: bool): void {
  for (let i = 0; i < mr; i++) {
    const row = c + <usize>i * ld;
    const t = tile + (<usize>(i * NR) << 2);
    for (let j = 0; j < nr; j++) {
      const q = row + (<usize>j << 2);
      const v = load<f32>(t + (<usize>j << 2));
      store<f32>(q, put ? v : load<f32>(q) + v);
    }
  }
}
