/**
 * The reference backend: plain TypeScript, float64. It is the living definition of every kernel's
 * semantics; the gradient checks run on it and the fast backend is tested against it.
 *
 * The loops are written for clarity first, with the obvious cache-friendly loop order (i, p, j)
 * for the row-major product. The methods are generic over Float64Array and Float32Array, so a
 * faster backend can extend this class and override only what it accelerates.
 */
import type { Activation, Backend, Buf, PackedMatrix } from './backend.js';
import { UnrollError } from '../util/errors.js';

/**
 * The reference backend's packed op(B): a reference to B itself (gemmPacked is gemm on it), so
 * packing changes nothing the reference computes. The fast backend's packed form extends it.
 */
export class PackedRef implements PackedMatrix {
  transB = false;
  b: Buf | null = null;
  bOff = 0;
  ldb = 0;
  constructor(readonly k: number, readonly n: number) {}
}

/** The PackedRef behind `p`, checked against the product's k and n. */
export function packedFor(kernel: string, p: PackedMatrix, k: number, n: number): PackedRef {
  if (!(p instanceof PackedRef)) throw new UnrollError(`${kernel}: the packed matrix was not made by this backend's allocPacked`, 'shape');
  if (p.k !== k || p.n !== n) throw new UnrollError(`${kernel}: packed matrix is ${p.k}×${p.n}, the product needs ${k}×${n}`, 'shape');
  return p;
}

export class ReferenceBackend implements Backend {
  readonly name: string = 'reference';
  readonly dtype: 'float64' | 'float32' = 'float64';

  alloc(n: number): Buf {
    return new Float64Array(n);
  }

  allocPacked(k: number, n: number): PackedMatrix {
    return new PackedRef(k, n);
  }

  allocInt32(n: number): Int32Array {
    return new Int32Array(n);
  }

  gatherRows(rows: number, n: number, ids: Int32Array, idsOff: number, src: Buf, srcOff: number, lds: number,
    dst: Buf, dstOff: number, ldd: number): void {
    for (let r = 0; r < rows; r++) {
      const id = ids[idsOff + r];
      const d = dstOff + r * ldd;
      if (id < 0) {
        for (let j = 0; j < n; j++) dst[d + j] = 0;
        continue;
      }
      const s = srcOff + id * lds;
      for (let j = 0; j < n; j++) dst[d + j] = src[s + j];
    }
  }

  scatterAddRows(rows: number, n: number, ids: Int32Array, idsOff: number, src: Buf, srcOff: number, lds: number,
    dst: Buf, dstOff: number, ldd: number): void {
    for (let r = 0; r < rows; r++) {
      const id = ids[idsOff + r];
      if (id < 0) continue;
      const s = srcOff + r * lds;
      const d = dstOff + id * ldd;
      for (let j = 0; j < n; j++) dst[d + j] += src[s + j];
    }
  }

  packB(transB: boolean, k: number, n: number, b: Buf, bOff: number, ldb: number, packed: PackedMatrix): void {
    const p = packedFor('packB', packed, k, n);
    p.transB = transB;
    p.b = b;
    p.bOff = bOff;
    p.ldb = ldb;
  }

  gemmPacked(transA: boolean, m: number, n: number, k: number, alpha: number, a: Buf, aOff: number, lda: number,
    packed: PackedMatrix, beta: number, c: Buf, cOff: number, ldc: number): void {
    const p = packedFor('gemmPacked', packed, k, n);
    if (!p.b) throw new UnrollError('gemmPacked: the packed matrix was never filled by packB', 'shape');
    this.gemm(transA, p.transB, m, n, k, alpha, a, aOff, lda, p.b, p.bOff, p.ldb, beta, c, cOff, ldc);
  }

  gemm(
    transA: boolean, transB: boolean, m: number, n: number, k: number,
    alpha: number, a: Buf, aOff: number, lda: number,
    b: Buf, bOff: number, ldb: number,
    beta: number, c: Buf, cOff: number, ldc: number,
  ): void {
    // C = beta · C first (beta = 0 overwrites, so stale NaN never leaks in).
    for (let i = 0; i < m; i++) {
      const ci = cOff + i * ldc;
      if (beta === 0) for (let j = 0; j < n; j++) c[ci + j] = 0;
      else if (beta !== 1) for (let j = 0; j < n; j++) c[ci + j] *= beta;
    }
    if (alpha === 0 || k === 0) return;
    // Each case is written so that its innermost loop walks memory contiguously.
    if (!transB) {
      // C[i, :] += op(A)[i, p] · B[p, :]   (a row of B at a time)
      const aRow = transA ? 1 : lda; // step in i
      const aCol = transA ? lda : 1; // step in p
      for (let i = 0; i < m; i++) {
        const ci = cOff + i * ldc;
        for (let p = 0; p < k; p++) {
          const aip = alpha * a[aOff + i * aRow + p * aCol];
          const bp = bOff + p * ldb;
          for (let j = 0; j < n; j++) c[ci + j] += aip * b[bp + j];
        }
      }
    } else if (!transA) {
      // C[i, j] += A[i, :] · B[j, :]   (dot products of two rows)
      for (let i = 0; i < m; i++) {
        const ai = aOff + i * lda;
        const ci = cOff + i * ldc;
        for (let j = 0; j < n; j++) {
          const bj = bOff + j * ldb;
          // Four partial sums break the chain of dependent additions.
          let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
          let p = 0;
          for (; p + 3 < k; p += 4) {
            s0 += a[ai + p] * b[bj + p];
            s1 += a[ai + p + 1] * b[bj + p + 1];
            s2 += a[ai + p + 2] * b[bj + p + 2];
            s3 += a[ai + p + 3] * b[bj + p + 3];
          }
          for (; p < k; p++) s0 += a[ai + p] * b[bj + p];
          c[ci + j] += alpha * (s0 + s1 + s2 + s3);
        }
      }
    } else {
      // C[i, j] += Σ_p A[p, i] · B[j, p]: rare; strided, but correct.
      for (let i = 0; i < m; i++) {
        const ci = cOff + i * ldc;
        for (let j = 0; j < n; j++) {
          const bj = bOff + j * ldb;
          let s = 0;
          for (let p = 0; p < k; p++) s += a[aOff + p * lda + i] * b[bj + p];
          c[ci + j] += alpha * s;
        }
      }
    }
  }

  activate(act: Activation, m: number, n: number, x: Buf, xOff: number, ldx: number, y: Buf, yOff: number, ldy: number): void {
    for (let i = 0; i < m; i++) {
      const xi = xOff + i * ldx;
      const yi = yOff + i * ldy;
      switch (act) {
        case 'tanh':
          for (let j = 0; j < n; j++) y[yi + j] = Math.tanh(x[xi + j]);
          break;
        case 'relu':
          for (let j = 0; j < n; j++) { const v = x[xi + j]; y[yi + j] = v > 0 ? v : 0; }
          break;
        case 'sigmoid':
          for (let j = 0; j < n; j++) y[yi + j] = sigmoid(x[xi + j]);
          break;
        case 'linear':
          if (xi !== yi || x !== y) for (let j = 0; j < n; j++) y[yi + j] = x[xi + j];
          break;
      }
    }
  }

  activateBackward(act: Activation, m: number, n: number, y: Buf, yOff: number, ldy: number, dy: Buf, dyOff: number, lddy: number, dz: Buf, dzOff: number, lddz: number): void {
    for (let i = 0; i < m; i++) {
      const yi = yOff + i * ldy;
      const di = dyOff + i * lddy;
      const zi = dzOff + i * lddz;
      switch (act) {
        case 'tanh':
          for (let j = 0; j < n; j++) { const v = y[yi + j]; dz[zi + j] = dy[di + j] * (1 - v * v); }
          break;
        case 'relu':
          for (let j = 0; j < n; j++) dz[zi + j] = y[yi + j] > 0 ? dy[di + j] : 0;
          break;
        case 'sigmoid':
          for (let j = 0; j < n; j++) { const v = y[yi + j]; dz[zi + j] = dy[di + j] * v * (1 - v); }
          break;
        case 'linear':
          for (let j = 0; j < n; j++) dz[zi + j] = dy[di + j];
          break;
      }
    }
  }

  addRowVector(m: number, n: number, bias: Buf, biasOff: number, c: Buf, cOff: number, ldc: number): void {
    for (let i = 0; i < m; i++) {
      const ci = cOff + i * ldc;
      for (let j = 0; j < n; j++) c[ci + j] += bias[biasOff + j];
    }
  }

  sumRows(m: number, n: number, a: Buf, aOff: number, lda: number, beta: number, out: Buf, outOff: number): void {
    if (beta === 0) for (let j = 0; j < n; j++) out[outOff + j] = 0;
    else if (beta !== 1) for (let j = 0; j < n; j++) out[outOff + j] *= beta;
    for (let i = 0; i < m; i++) {
      const ai = aOff + i * lda;
      for (let j = 0; j < n; j++) out[outOff + j] += a[ai + j];
    }
  }

  axpy(n: number, alpha: number, x: Buf, xOff: number, y: Buf, yOff: number): void {
    for (let i = 0; i < n; i++) y[yOff + i] += alpha * x[xOff + i];
  }

  scale(n: number, alpha: number, x: Buf, xOff: number): void {
    for (let i = 0; i < n; i++) x[xOff + i] *= alpha;
  }

  fill(n: number, value: number, x: Buf, xOff: number): void {
    // A plain loop for short runs: TypedArray.fill's call costs more than a few stores.
    if (n < 32) for (let i = 0; i < n; i++) x[xOff + i] = value;
    else x.fill(value, xOff, xOff + n);
  }

  copy2d(m: number, n: number, x: Buf, xOff: number, ldx: number, y: Buf, yOff: number, ldy: number): void {
    for (let i = 0; i < m; i++) {
      const xi = xOff + i * ldx;
      const yi = yOff + i * ldy;
      for (let j = 0; j < n; j++) y[yi + j] = x[xi + j];
    }
  }

  mul(n: number, a: Buf, aOff: number, b: Buf, bOff: number, out: Buf, outOff: number): void {
    for (let i = 0; i < n; i++) out[outOff + i] = a[aOff + i] * b[bOff + i];
  }

  mulAdd(n: number, a: Buf, aOff: number, b: Buf, bOff: number, out: Buf, outOff: number): void {
    for (let i = 0; i < n; i++) out[outOff + i] += a[aOff + i] * b[bOff + i];
  }

  sumSquares(n: number, x: Buf, xOff: number): number {
    let s = 0;
    for (let i = 0; i < n; i++) { const v = x[xOff + i]; s += v * v; }
    return s;
  }

  allFinite(n: number, x: Buf, xOff: number): boolean {
    for (let i = 0; i < n; i++) if (!Number.isFinite(x[xOff + i])) return false;
    return true;
  }

  softmaxCrossEntropy(
    rows: number, classes: number, logits: Buf, logitsOff: number, targets: Int32Array, targetsOff: number,
    probs: Buf, probsOff: number, dlogits: Buf | null, dlogitsOff: number, weight: number,
  ): number {
    let loss = 0;
    for (let r = 0; r < rows; r++) {
      const li = logitsOff + r * classes;
      const pi = probsOff + r * classes;
      const target = targets[targetsOff + r];
      let max = -Infinity;
      for (let j = 0; j < classes; j++) if (logits[li + j] > max) max = logits[li + j];
      let sum = 0;
      for (let j = 0; j < classes; j++) { const e = Math.exp(logits[li + j] - max); probs[pi + j] = e; sum += e; }
      for (let j = 0; j < classes; j++) probs[pi + j] /= sum;
      if (target < 0) {
        if (dlogits) for (let j = 0; j < classes; j++) dlogits[dlogitsOff + r * classes + j] = 0;
        continue;
      }
      // −log p_target computed from the log-sum-exp, so a tiny probability never gives log(0).
      loss += Math.log(sum) - (logits[li + target] - max);
      if (dlogits) {
        const di = dlogitsOff + r * classes;
        for (let j = 0; j < classes; j++) dlogits[di + j] = weight * (probs[pi + j] - (j === target ? 1 : 0));
      }
    }
    return loss;
  }

  adamStep(n: number, p: Buf, g: Buf, m: Buf, v: Buf, lr: number, beta1: number, beta2: number, eps: number, weightDecay: number, step: number): void {
    const c1 = 1 - Math.pow(beta1, step);
    const c2 = 1 - Math.pow(beta2, step);
    for (let i = 0; i < n; i++) {
      const gi = g[i];
      const mi = (m[i] = beta1 * m[i] + (1 - beta1) * gi);
      const vi = (v[i] = beta2 * v[i] + (1 - beta2) * gi * gi);
      p[i] -= lr * (mi / c1 / (Math.sqrt(vi / c2) + eps) + weightDecay * p[i]);
    }
  }

  rmspropStep(n: number, p: Buf, g: Buf, sq: Buf, avg: Buf | null, buf: Buf | null, lr: number, alpha: number, eps: number, momentum: number): void {
    for (let i = 0; i < n; i++) {
      const gi = g[i];
      const si = (sq[i] = alpha * sq[i] + (1 - alpha) * gi * gi);
      let d: number;
      if (avg) {
        const ai = (avg[i] = alpha * avg[i] + (1 - alpha) * gi);
        d = Math.sqrt(si - ai * ai) + eps;
      } else d = Math.sqrt(si) + eps;
      if (buf && momentum > 0) {
        const bi = (buf[i] = momentum * buf[i] + gi / d);
        p[i] -= lr * bi;
      } else p[i] -= lr * (gi / d);
    }
  }

  sgdStep(n: number, p: Buf, g: Buf, vel: Buf, lr: number, momentum: number, nesterov: boolean): void {
    for (let i = 0; i < n; i++) {
      const vi = (vel[i] = momentum * vel[i] + g[i]);
      p[i] -= lr * (nesterov ? g[i] + momentum * vi : vi);
    }
  }

  clip(n: number, limit: number, x: Buf, xOff: number): void {
    for (let i = 0; i < n; i++) {
      const v = x[xOff + i];
      if (v > limit) x[xOff + i] = limit;
      else if (v < -limit) x[xOff + i] = -limit;
    }
  }

  lstmPointwiseForward(rows: number, H: number, gates: Buf, gOff: number, ldg: number,
    cPrev: Buf, cpOff: number, ldcp: number, h: Buf, hOff: number, ldh: number, c: Buf, cOff: number, ldc: number,
    bias: Buf | null = null, biasOff = 0): void {
    for (let r = 0; r < rows; r++) {
      const g0 = gOff + r * ldg;
      const cp = cpOff + r * ldcp;
      const hr = hOff + r * ldh;
      const cr = cOff + r * ldc;
      if (bias) for (let q = 0; q < 4 * H; q++) gates[g0 + q] += bias[biasOff + q];
      for (let j = 0; j < H; j++) {
        const i = (gates[g0 + j] = sigmoid(gates[g0 + j]));
        const f = (gates[g0 + H + j] = sigmoid(gates[g0 + H + j]));
        const g = (gates[g0 + 2 * H + j] = Math.tanh(gates[g0 + 2 * H + j]));
        const o = (gates[g0 + 3 * H + j] = sigmoid(gates[g0 + 3 * H + j]));
        const cNew = f * cPrev[cp + j] + i * g; // c_t = f ⊙ c_{t−1} + i ⊙ g
        c[cr + j] = cNew;
        h[hr + j] = o * Math.tanh(cNew); // h_t = o ⊙ tanh(c_t)
      }
    }
  }

  lstmPointwiseBackward(rows: number, H: number, gates: Buf, gOff: number, ldg: number,
    cPrev: Buf, cpOff: number, ldcp: number, c: Buf, cOff: number, ldc: number,
    dh: Buf, dhOff: number, lddh: number, dc: Buf, dcOff: number, lddc: number,
    dGates: Buf, dgOff: number, lddg: number, dcPrev: Buf, dcpOff: number, lddcp: number): void {
    for (let r = 0; r < rows; r++) {
      const g0 = gOff + r * ldg;
      const d0 = dgOff + r * lddg;
      for (let j = 0; j < H; j++) {
        const i = gates[g0 + j];
        const f = gates[g0 + H + j];
        const g = gates[g0 + 2 * H + j];
        const o = gates[g0 + 3 * H + j];
        const tc = Math.tanh(c[cOff + r * ldc + j]);
        const dhj = dh[dhOff + r * lddh + j];
        // h = o ⊙ tanh(c): do = dh ⊙ tanh(c), dc += dh ⊙ o ⊙ (1 − tanh²c)
        const dcj = dc[dcOff + r * lddc + j] + dhj * o * (1 - tc * tc);
        // c = f ⊙ cPrev + i ⊙ g
        dcPrev[dcpOff + r * lddcp + j] = dcj * f;
        dGates[d0 + j] = dcj * g * i * (1 - i); // through i = σ
        dGates[d0 + H + j] = dcj * cPrev[cpOff + r * ldcp + j] * f * (1 - f); // through f = σ
        dGates[d0 + 2 * H + j] = dcj * i * (1 - g * g); // through g = tanh
        dGates[d0 + 3 * H + j] = dhj * tc * o * (1 - o); // through o = σ
      }
    }
  }

  gruPointwiseForward(rows: number, H: number, gx: Buf, gxOff: number, ldgx: number, gh: Buf, ghOff: number, ldgh: number,
    hPrev: Buf, hpOff: number, ldhp: number, h: Buf, hOff: number, ldh: number): void {
    for (let row = 0; row < rows; row++) {
      const x0 = gxOff + row * ldgx;
      const h0 = ghOff + row * ldgh;
      for (let j = 0; j < H; j++) {
        const r = (gx[x0 + j] = sigmoid(gx[x0 + j] + gh[h0 + j]));
        const z = (gx[x0 + H + j] = sigmoid(gx[x0 + H + j] + gh[h0 + H + j]));
        const n = (gx[x0 + 2 * H + j] = Math.tanh(gx[x0 + 2 * H + j] + r * gh[h0 + 2 * H + j]));
        h[hOff + row * ldh + j] = (1 - z) * n + z * hPrev[hpOff + row * ldhp + j];
      }
    }
  }

  gruPointwiseBackward(rows: number, H: number, gx: Buf, gxOff: number, ldgx: number, gh: Buf, ghOff: number, ldgh: number,
    hPrev: Buf, hpOff: number, ldhp: number, dh: Buf, dhOff: number, lddh: number,
    dGx: Buf, dgxOff: number, lddgx: number, dGh: Buf, dghOff: number, lddgh: number, dhPrev: Buf, dhpOff: number, lddhp: number): void {
    for (let row = 0; row < rows; row++) {
      const x0 = gxOff + row * ldgx;
      const h0 = ghOff + row * ldgh;
      const dx0 = dgxOff + row * lddgx;
      const dh0 = dghOff + row * lddgh;
      for (let j = 0; j < H; j++) {
        const r = gx[x0 + j];
        const z = gx[x0 + H + j];
        const n = gx[x0 + 2 * H + j];
        const d = dh[dhOff + row * lddh + j];
        const hp = hPrev[hpOff + row * ldhp + j];
        // h = (1 − z) ⊙ n + z ⊙ hPrev
        dhPrev[dhpOff + row * lddhp + j] = d * z;
        const dnHat = d * (1 - z) * (1 - n * n); // through n = tanh(n̂)
        const dzHat = d * (hp - n) * z * (1 - z); // through z = σ(ẑ)
        const drHat = dnHat * gh[h0 + 2 * H + j] * r * (1 - r); // n̂ = gx_n + r ⊙ gh_n, r = σ(r̂)
        dGx[dx0 + j] = drHat;
        dGx[dx0 + H + j] = dzHat;
        dGx[dx0 + 2 * H + j] = dnHat;
        dGh[dh0 + j] = drHat;
        dGh[dh0 + H + j] = dzHat;
        dGh[dh0 + 2 * H + j] = dnHat * r;
      }
    }
  }

  gruResetGateForward(rows: number, H: number, gx: Buf, gxOff: number, ldgx: number, gh: Buf, ghOff: number, ldgh: number,
    hPrev: Buf, hpOff: number, ldhp: number, rh: Buf, rhOff: number, ldrh: number): void {
    for (let row = 0; row < rows; row++) {
      const x0 = gxOff + row * ldgx;
      const h0 = ghOff + row * ldgh;
      const p0 = hpOff + row * ldhp;
      const o0 = rhOff + row * ldrh;
      for (let j = 0; j < H; j++) {
        const r = (gx[x0 + j] = sigmoid(gx[x0 + j] + gh[h0 + j]));
        rh[o0 + j] = r * hPrev[p0 + j];
      }
    }
  }

  gruResetBeforeForward(rows: number, H: number, gx: Buf, gxOff: number, ldgx: number, gh: Buf, ghOff: number, ldgh: number,
    hPrev: Buf, hpOff: number, ldhp: number, h: Buf, hOff: number, ldh: number): void {
    for (let row = 0; row < rows; row++) {
      const x0 = gxOff + row * ldgx;
      const h0 = ghOff + row * ldgh;
      for (let j = 0; j < H; j++) {
        const z = (gx[x0 + H + j] = sigmoid(gx[x0 + H + j] + gh[h0 + H + j]));
        const n = (gx[x0 + 2 * H + j] = Math.tanh(gx[x0 + 2 * H + j] + gh[h0 + 2 * H + j]));
        h[hOff + row * ldh + j] = (1 - z) * n + z * hPrev[hpOff + row * ldhp + j];
      }
    }
  }

  gruResetBeforeBackward(rows: number, H: number, gx: Buf, gxOff: number, ldgx: number, hPrev: Buf, hpOff: number, ldhp: number,
    dh: Buf, dhOff: number, lddh: number, dGx: Buf, dgxOff: number, lddgx: number, dGh: Buf, dghOff: number, lddgh: number,
    dhPrev: Buf, dhpOff: number, lddhp: number): void {
    for (let row = 0; row < rows; row++) {
      const x0 = gxOff + row * ldgx;
      const dx0 = dgxOff + row * lddgx;
      const dh0 = dghOff + row * lddgh;
      for (let j = 0; j < H; j++) {
        const z = gx[x0 + H + j];
        const n = gx[x0 + 2 * H + j];
        const d = dh[dhOff + row * lddh + j];
        const hp = hPrev[hpOff + row * ldhp + j];
        // h = (1 − z) ⊙ n + z ⊙ hPrev, z = σ(ẑ), n = tanh(n̂)
        dhPrev[dhpOff + row * lddhp + j] = d * z;
        const dzHat = d * (hp - n) * z * (1 - z);
        const dnHat = d * (1 - z) * (1 - n * n);
        dGx[dx0 + H + j] = dzHat;
        dGx[dx0 + 2 * H + j] = dnHat;
        dGh[dh0 + H + j] = dzHat;
        dGh[dh0 + 2 * H + j] = dnHat;
      }
    }
  }

  gruResetGateBackward(rows: number, H: number, gx: Buf, gxOff: number, ldgx: number, hPrev: Buf, hpOff: number, ldhp: number,
    dRh: Buf, drhOff: number, lddrh: number, dGx: Buf, dgxOff: number, lddgx: number, dGh: Buf, dghOff: number, lddgh: number,
    dhPrev: Buf, dhpOff: number, lddhp: number): void {
    for (let row = 0; row < rows; row++) {
      const x0 = gxOff + row * ldgx;
      for (let j = 0; j < H; j++) {
        const r = gx[x0 + j];
        const g = dRh[drhOff + row * lddrh + j];
        // rh = r ⊙ hPrev, r = σ(r̂)
        const drHat = g * hPrev[hpOff + row * ldhp + j] * r * (1 - r);
        dGx[dgxOff + row * lddgx + j] = drHat;
        dGh[dghOff + row * lddgh + j] = drHat;
        dhPrev[dhpOff + row * lddhp + j] += g * r;
      }
    }
  }
}

export function sigmoid(x: number): number {
  // Two branches keep exp() from overflowing for large |x|.
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}
