// Element-wise and reduction kernels on float32, 4 lanes at a time with a scalar tail.
// Semantics are those of src/kernels/reference.ts; sizes are in floats, pointers are byte addresses.
import { expv, exps, sigmoidv, sigmoids, tanhv, tanhs } from './vmath';

// Activation codes shared with src/kernels/wasm/abi.ts.
const TANH = 0;
const RELU = 1;
const SIGMOID = 2;
const LINEAR = 3;

// @ts-ignore: decorator
@inline function at(base: usize, i: i32): usize {
  return base + (<usize>i << 2);
}

export function activate(act: i32, m: i32, n: i32, x: usize, ldx: i32, y: usize, ldy: i32): void {
  const zero = f32x4.splat(0);
  for (let i = 0; i < m; i++) {
    const xi = at(x, i * ldx);
    const yi = at(y, i * ldy);
    let j = 0;
    if (act == TANH) {
      for (; j + 4 <= n; j += 4) v128.store(at(yi, j), tanhv(v128.load(at(xi, j))));
      for (; j < n; j++) store<f32>(at(yi, j), tanhs(load<f32>(at(xi, j))));
    } else if (act == SIGMOID) {
      for (; j + 4 <= n; j += 4) v128.store(at(yi, j), sigmoidv(v128.load(at(xi, j))));
      for (; j < n; j++) store<f32>(at(yi, j), sigmoids(load<f32>(at(xi, j))));
    } else if (act == RELU) {
      // pmax(0, v) = 0 < v ? v : 0, so NaN maps to 0 as in the reference.
      for (; j + 4 <= n; j += 4) v128.store(at(yi, j), f32x4.pmax(zero, v128.load(at(xi, j))));
      for (; j < n; j++) { const v = load<f32>(at(xi, j)); store<f32>(at(yi, j), v > 0 ? v : 0); }
    } else if (xi != yi) {
      memory.copy(yi, xi, <usize>n << 2);
    }
  }
}

export function activateBackward(act: i32, m: i32, n: i32, y: usize, ldy: i32, dy: usize, lddy: i32, dz: usize, lddz: i32): void {
  const one = f32x4.splat(1);
  const zero = f32x4.splat(0);
  for (let i = 0; i < m; i++) {
    const yi = at(y, i * ldy);
    const di = at(dy, i * lddy);
    const zi = at(dz, i * lddz);
    let j = 0;
    if (act == TANH) {
      for (; j + 4 <= n; j += 4) {
        const v = v128.load(at(yi, j));
        v128.store(at(zi, j), f32x4.mul(v128.load(at(di, j)), f32x4.sub(one, f32x4.mul(v, v))));
      }
      for (; j < n; j++) { const v = load<f32>(at(yi, j)); store<f32>(at(zi, j), load<f32>(at(di, j)) * (1 - v * v)); }
    } else if (act == SIGMOID) {
      for (; j + 4 <= n; j += 4) {
        const v = v128.load(at(yi, j));
        v128.store(at(zi, j), f32x4.mul(f32x4.mul(v128.load(at(di, j)), v), f32x4.sub(one, v)));
      }
      for (; j < n; j++) { const v = load<f32>(at(yi, j)); store<f32>(at(zi, j), load<f32>(at(di, j)) * v * (1 - v)); }
    } else if (act == RELU) {
      for (; j + 4 <= n; j += 4) {
        v128.store(at(zi, j), v128.and(v128.load(at(di, j)), f32x4.gt(v128.load(at(yi, j)), zero)));
      }
      for (; j < n; j++) store<f32>(at(zi, j), load<f32>(at(yi, j)) > 0 ? load<f32>(at(di, j)) : 0);
    } else if (zi != di) {
      memory.copy(zi, di, <usize>n << 2);
    }
  }
}

export function addRowVector(m: i32, n: i32, bias: usize, c: usize, ldc: i32): void {
  for (let i = 0; i < m; i++) {
    const ci = at(c, i * ldc);
    let j = 0;
    for (; j + 4 <= n; j += 4) v128.store(at(ci, j), f32x4.add(v128.load(at(ci, j)), v128.load(at(bias, j))));
    for (; j < n; j++) store<f32>(at(ci, j), load<f32>(at(ci, j)) + load<f32>(at(bias, j)));
  }
}

export function sumRows(m: i32, n: i32, a: usize, lda: i32, beta: f32, out: usize): void {
  if (beta == 0) memory.fill(out, 0, <usize>n << 2);
  else if (beta != 1) scale(n, beta, out);
  for (let i = 0; i < m; i++) {
    const ai = at(a, i * lda);
    let j = 0;
    for (; j + 4 <= n; j += 4) v128.store(at(out, j), f32x4.add(v128.load(at(out, j)), v128.load(at(ai, j))));
    for (; j < n; j++) store<f32>(at(out, j), load<f32>(at(out, j)) + load<f32>(at(ai, j)));
  }
}

export function axpy(n: i32, alpha: f32, x: usize, y: usize): void {
  const va = f32x4.splat(alpha);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(at(y, i), f32x4.add(v128.load(at(y, i)), f32x4.mul(va, v128.load(at(x, i)))));
  for (; i < n; i++) store<f32>(at(y, i), load<f32>(at(y, i)) + alpha * load<f32>(at(x, i)));
}

export function scale(n: i32, alpha: f32, x: usize): void {
  const va = f32x4.splat(alpha);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(at(x, i), f32x4.mul(v128.load(at(x, i)), va));
  for (; i < n; i++) store<f32>(at(x, i), load<f32>(at(x, i)) * alpha);
}

export function copy2d(m: i32, n: i32, x: usize, ldx: i32, y: usize, ldy: i32): void {
  for (let i = 0; i < m; i++) memory.copy(at(y, i * ldy), at(x, i * ldx), <usize>n << 2);
}

export function mul(n: i32, a: usize, b: usize, out: usize): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(at(out, i), f32x4.mul(v128.load(at(a, i)), v128.load(at(b, i))));
  for (; i < n; i++) store<f32>(at(out, i), load<f32>(at(a, i)) * load<f32>(at(b, i)));
}

export function mulAdd(n: i32, a: usize, b: usize, out: usize): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    v128.store(at(out, i), f32x4.add(v128.load(at(out, i)), f32x4.mul(v128.load(at(a, i)), v128.load(at(b, i)))));
  }
  for (; i < n; i++) store<f32>(at(out, i), load<f32>(at(out, i)) + load<f32>(at(a, i)) * load<f32>(at(b, i)));
}

export function clip(n: i32, limit: f32, x: usize): void {
  const hi = f32x4.splat(limit);
  const lo = f32x4.splat(-limit);
  let i = 0;
  // pmin/pmax leave NaN untouched, as the reference's comparisons do.
  for (; i + 4 <= n; i += 4) v128.store(at(x, i), f32x4.pmax(lo, f32x4.pmin(hi, v128.load(at(x, i)))));
  for (; i < n; i++) {
    const v = load<f32>(at(x, i));
    if (v > limit) store<f32>(at(x, i), limit);
    else if (v < -limit) store<f32>(at(x, i), -limit);
  }
}

export function sumSquares(n: i32, x: usize): f64 {
  let s: f64 = 0;
  for (let i = 0; i < n; i++) { const v = <f64>load<f32>(at(x, i)); s += v * v; }
  return s;
}

export function allFinite(n: i32, x: usize): i32 {
  // v − v is 0 for finite v and NaN for ±Inf and NaN.
  let i = 0;
  let acc = f32x4.splat(0);
  for (; i + 4 <= n; i += 4) { const v = v128.load(at(x, i)); acc = f32x4.add(acc, f32x4.sub(v, v)); }
  let ok = f32x4.extract_lane(acc, 0) == 0 && f32x4.extract_lane(acc, 1) == 0 && f32x4.extract_lane(acc, 2) == 0 && f32x4.extract_lane(acc, 3) == 0;
  for (; i < n; i++) { const v = load<f32>(at(x, i)); if (v - v != 0) ok = false; }
  return ok ? 1 : 0;
}

/**
 * Adam (AdamW when weightDecay > 0). The caller computes, in float64, 1 − β1 and 1 − β2 (float32
 * 1 − 0.999 would be off by 5e-5 relative) and the bias corrections c1 = 1 − β1^t, c2 = 1 − β2^t.
 */
export function adamStep(n: i32, p: usize, g: usize, m: usize, v: usize, lr: f32, beta1: f32, beta2: f32, oneMinusBeta1: f32, oneMinusBeta2: f32, eps: f32, weightDecay: f32, c1: f32, c2: f32): void {
  const vb1 = f32x4.splat(beta1), vb1c = f32x4.splat(oneMinusBeta1);
  const vb2 = f32x4.splat(beta2), vb2c = f32x4.splat(oneMinusBeta2);
  const vc1 = f32x4.splat(c1), vc2 = f32x4.splat(c2);
  const veps = f32x4.splat(eps), vlr = f32x4.splat(lr), vwd = f32x4.splat(weightDecay);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const gi = v128.load(at(g, i));
    const mi = f32x4.add(f32x4.mul(vb1, v128.load(at(m, i))), f32x4.mul(vb1c, gi));
    const vi = f32x4.add(f32x4.mul(vb2, v128.load(at(v, i))), f32x4.mul(vb2c, f32x4.mul(gi, gi)));
    v128.store(at(m, i), mi);
    v128.store(at(v, i), vi);
    const pi = v128.load(at(p, i));
    const upd = f32x4.add(
      f32x4.div(f32x4.div(mi, vc1), f32x4.add(f32x4.sqrt(f32x4.div(vi, vc2)), veps)),
      f32x4.mul(vwd, pi),
    );
    v128.store(at(p, i), f32x4.sub(pi, f32x4.mul(vlr, upd)));
  }
  for (; i < n; i++) {
    const gi = load<f32>(at(g, i));
    const mi = beta1 * load<f32>(at(m, i)) + oneMinusBeta1 * gi;
    const vi = beta2 * load<f32>(at(v, i)) + oneMinusBeta2 * gi * gi;
    store<f32>(at(m, i), mi);
    store<f32>(at(v, i), vi);
    const pi = load<f32>(at(p, i));
    store<f32>(at(p, i), pi - lr * (mi / c1 / (Mathf.sqrt(vi / c2) + eps) + weightDecay * pi));
  }
}

/** Fused softmax + cross-entropy; see the Backend interface. `dlogits` = 0 means no gradient. */
export function softmaxCrossEntropy(rows: i32, classes: i32, logits: usize, targets: usize, probs: usize, dlogits: usize, weight: f32): f64 {
  let loss: f64 = 0;
  for (let r = 0; r < rows; r++) {
    const li = at(logits, r * classes);
    const pi = at(probs, r * classes);
    const target = load<i32>(targets + (<usize>r << 2));
    // Row maximum.
    let vmax = f32x4.splat(-Infinity);
    let j = 0;
    for (; j + 4 <= classes; j += 4) vmax = f32x4.max(vmax, v128.load(at(li, j)));
    let rowMax = max<f32>(max<f32>(f32x4.extract_lane(vmax, 0), f32x4.extract_lane(vmax, 1)), max<f32>(f32x4.extract_lane(vmax, 2), f32x4.extract_lane(vmax, 3)));
    for (; j < classes; j++) rowMax = max<f32>(rowMax, load<f32>(at(li, j)));
    // e^{l − max} and their sum.
    const vm = f32x4.splat(rowMax);
    let vsum = f32x4.splat(0);
    j = 0;
    for (; j + 4 <= classes; j += 4) {
      const e = expv(f32x4.sub(v128.load(at(li, j)), vm));
      v128.store(at(pi, j), e);
      vsum = f32x4.add(vsum, e);
    }
    let sum: f32 = (f32x4.extract_lane(vsum, 0) + f32x4.extract_lane(vsum, 1)) + (f32x4.extract_lane(vsum, 2) + f32x4.extract_lane(vsum, 3));
    for (; j < classes; j++) { const e = exps(load<f32>(at(li, j)) - rowMax); store<f32>(at(pi, j), e); sum += e; }
    // Normalise.
    const inv = f32x4.splat(1 / sum);
    j = 0;
    for (; j + 4 <= classes; j += 4) v128.store(at(pi, j), f32x4.mul(v128.load(at(pi, j)), inv));
    for (; j < classes; j++) store<f32>(at(pi, j), load<f32>(at(pi, j)) / sum);
    const di: usize = dlogits == 0 ? <usize>0 : at(dlogits, r * classes);
    if (target < 0) {
      if (dlogits != 0) memory.fill(di, 0, <usize>classes << 2);
      continue;
    }
    loss += Math.log(<f64>sum) - <f64>(load<f32>(at(li, target)) - rowMax);
    if (dlogits != 0) {
      const vw = f32x4.splat(weight);
      j = 0;
      for (; j + 4 <= classes; j += 4) v128.store(at(di, j), f32x4.mul(vw, v128.load(at(pi, j))));
      for (; j < classes; j++) store<f32>(at(di, j), weight * load<f32>(at(pi, j)));
      store<f32>(at(di, target), weight * (load<f32>(at(pi, target)) - 1));
    }
  }
  return loss;
}
