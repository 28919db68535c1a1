// Fused pointwise kernels of the LSTM and GRU steps (semantics: src/kernels/reference.ts).
// Each row is processed 4 lanes at a time; the last H mod 4 columns run the same vector code on
// one lane (load32_splat / store32_lane), so tails compute exactly what full vectors do.
import { sigmoidv, tanhv } from './vmath';

// @ts-ignore: decorator
@inline function ld(p: usize, one: bool): v128 {
  return one ? v128.load32_splat(p) : v128.load(p);
}
// @ts-ignore: decorator
@inline function st(p: usize, v: v128, one: bool): void {
  if (one) v128.store32_lane(p, v, 0);
  else v128.store(p, v);
}
// @ts-ignore: decorator
@inline function row(base: usize, r: i32, ld_: i32): usize {
  return base + (<usize>(r * ld_) << 2);
}

// i, f, g, o = σ, σ, tanh, σ of the gate pre-activations (plus the bias row at `b` when `biased`);
// c = f ⊙ cPrev + i ⊙ g;  h = o ⊙ tanh(c)
// @ts-ignore: decorator
@inline function pre(g: usize, b: usize, one: bool, biased: bool): v128 {
  return biased ? f32x4.add(ld(g, one), ld(b, one)) : ld(g, one);
}
// @ts-ignore: decorator
@inline function lstmFwdAt(g: usize, b: usize, hb: usize, cp: usize, h: usize, c: usize, one: bool, biased: bool): void {
  const i = sigmoidv(pre(g, b, one, biased));
  const f = sigmoidv(pre(g + hb, b + hb, one, biased));
  const gg = tanhv(pre(g + 2 * hb, b + 2 * hb, one, biased));
  const o = sigmoidv(pre(g + 3 * hb, b + 3 * hb, one, biased));
  st(g, i, one);
  st(g + hb, f, one);
  st(g + 2 * hb, gg, one);
  st(g + 3 * hb, o, one);
  const cNew = f32x4.add(f32x4.mul(f, ld(cp, one)), f32x4.mul(i, gg));
  st(c, cNew, one);
  st(h, f32x4.mul(o, tanhv(cNew)), one);
}

/** `bias` (4H floats, added to every row's pre-activations) is a byte address, or 0 for none. */
export function lstmPointwiseForward(rows: i32, H: i32, gates: usize, ldg: i32, cPrev: usize, ldcp: i32, h: usize, ldh: i32, c: usize, ldc: i32, bias: usize): void {
  if (bias) lstmFwdRows(rows, H, gates, ldg, cPrev, ldcp, h, ldh, c, ldc, bias, true);
  else lstmFwdRows(rows, H, gates, ldg, cPrev, ldcp, h, ldh, c, ldc, 0, false);
}

// @ts-ignore: decorator
@inline function lstmFwdRows(rows: i32, H: i32, gates: usize, ldg: i32, cPrev: usize, ldcp: i32, h: usize, ldh: i32, c: usize, ldc: i32, bias: usize, biased: bool): void {
  const hb = <usize>H << 2;
  for (let r = 0; r < rows; r++) {
    const g0 = row(gates, r, ldg), cp0 = row(cPrev, r, ldcp), h0 = row(h, r, ldh), c0 = row(c, r, ldc);
    let j = 0;
    for (; j + 4 <= H; j += 4) {
      const o = <usize>j << 2;
      lstmFwdAt(g0 + o, bias + o, hb, cp0 + o, h0 + o, c0 + o, false, biased);
    }
    for (; j < H; j++) {
      const o = <usize>j << 2;
      lstmFwdAt(g0 + o, bias + o, hb, cp0 + o, h0 + o, c0 + o, true, biased);
    }
  }
}

// @ts-ignore: decorator
@inline function lstmBwdAt(g: usize, hb: usize, cp: usize, c: usize, dh: usize, dc: usize, dg: usize, dcp: usize, one: bool): void {
  const onev = f32x4.splat(1);
  const i = ld(g, one);
  const f = ld(g + hb, one);
  const gg = ld(g + 2 * hb, one);
  const o = ld(g + 3 * hb, one);
  const tc = tanhv(ld(c, one));
  const dhv = ld(dh, one);
  // h = o ⊙ tanh(c): dc += dh ⊙ o ⊙ (1 − tanh²c)
  const dcv = f32x4.add(ld(dc, one), f32x4.mul(f32x4.mul(dhv, o), f32x4.sub(onev, f32x4.mul(tc, tc))));
  // c = f ⊙ cPrev + i ⊙ g
  st(dcp, f32x4.mul(dcv, f), one);
  st(dg, f32x4.mul(f32x4.mul(f32x4.mul(dcv, gg), i), f32x4.sub(onev, i)), one);
  st(dg + hb, f32x4.mul(f32x4.mul(f32x4.mul(dcv, ld(cp, one)), f), f32x4.sub(onev, f)), one);
  st(dg + 2 * hb, f32x4.mul(f32x4.mul(dcv, i), f32x4.sub(onev, f32x4.mul(gg, gg))), one);
  st(dg + 3 * hb, f32x4.mul(f32x4.mul(f32x4.mul(dhv, tc), o), f32x4.sub(onev, o)), one);
}

export function lstmPointwiseBackward(rows: i32, H: i32, gates: usize, ldg: i32, cPrev: usize, ldcp: i32, c: usize, ldc: i32,
  dh: usize, lddh: i32, dc: usize, lddc: i32, dGates: usize, lddg: i32, dcPrev: usize, lddcp: i32): void {
  const hb = <usize>H << 2;
  for (let r = 0; r < rows; r++) {
    const g0 = row(gates, r, ldg), cp0 = row(cPrev, r, ldcp), c0 = row(c, r, ldc), dh0 = row(dh, r, lddh);
    const dc0 = row(dc, r, lddc), dg0 = row(dGates, r, lddg), dcp0 = row(dcPrev, r, lddcp);
    let j = 0;
    for (; j + 4 <= H; j += 4) {
      const o = <usize>j << 2;
      lstmBwdAt(g0 + o, hb, cp0 + o, c0 + o, dh0 + o, dc0 + o, dg0 + o, dcp0 + o, false);
    }
    for (; j < H; j++) {
      const o = <usize>j << 2;
      lstmBwdAt(g0 + o, hb, cp0 + o, c0 + o, dh0 + o, dc0 + o, dg0 + o, dcp0 + o, true);
    }
  }
}

// r = σ(gx_r + gh_r), z = σ(gx_z + gh_z), n = tanh(gx_n + r ⊙ gh_n), h = (1 − z) ⊙ n + z ⊙ hPrev
// @ts-ignore: decorator
@inline function gruFwdAt(gx: usize, gh: usize, hb: usize, hp: usize, h: usize, one: bool): void {
  const r = sigmoidv(f32x4.add(ld(gx, one), ld(gh, one)));
  const z = sigmoidv(f32x4.add(ld(gx + hb, one), ld(gh + hb, one)));
  const n = tanhv(f32x4.add(ld(gx + 2 * hb, one), f32x4.mul(r, ld(gh + 2 * hb, one))));
  st(gx, r, one);
  st(gx + hb, z, one);
  st(gx + 2 * hb, n, one);
  st(h, f32x4.add(f32x4.mul(f32x4.sub(f32x4.splat(1), z), n), f32x4.mul(z, ld(hp, one))), one);
}

export function gruPointwiseForward(rows: i32, H: i32, gx: usize, ldgx: i32, gh: usize, ldgh: i32, hPrev: usize, ldhp: i32, h: usize, ldh: i32): void {
  const hb = <usize>H << 2;
  for (let r = 0; r < rows; r++) {
    const x0 = row(gx, r, ldgx), g0 = row(gh, r, ldgh), hp0 = row(hPrev, r, ldhp), h0 = row(h, r, ldh);
    let j = 0;
    for (; j + 4 <= H; j += 4) {
      const o = <usize>j << 2;
      gruFwdAt(x0 + o, g0 + o, hb, hp0 + o, h0 + o, false);
    }
    for (; j < H; j++) {
      const o = <usize>j << 2;
      gruFwdAt(x0 + o, g0 + o, hb, hp0 + o, h0 + o, true);
    }
  }
}

// @ts-ignore: decorator
@inline function gruBwdAt(gx: usize, gh: usize, hb: usize, hp: usize, dh: usize, dgx: usize, dgh: usize, dhp: usize, one: bool): void {
  const onev = f32x4.splat(1);
  const r = ld(gx, one);
  const z = ld(gx + hb, one);
  const n = ld(gx + 2 * hb, one);
  const d = ld(dh, one);
  // h = (1 − z) ⊙ n + z ⊙ hPrev
  st(dhp, f32x4.mul(d, z), one);
  const dnHat = f32x4.mul(f32x4.mul(d, f32x4.sub(onev, z)), f32x4.sub(onev, f32x4.mul(n, n)));
  const dzHat = f32x4.mul(f32x4.mul(f32x4.mul(d, f32x4.sub(ld(hp, one), n)), z), f32x4.sub(onev, z));
  const drHat = f32x4.mul(f32x4.mul(f32x4.mul(dnHat, ld(gh + 2 * hb, one)), r), f32x4.sub(onev, r));
  st(dgx, drHat, one);
  st(dgx + hb, dzHat, one);
  st(dgx + 2 * hb, dnHat, one);
  st(dgh, drHat, one);
  st(dgh + hb, dzHat, one);
  st(dgh + 2 * hb, f32x4.mul(dnHat, r), one);
}

export function gruPointwiseBackward(rows: i32, H: i32, gx: usize, ldgx: i32, gh: usize, ldgh: i32, hPrev: usize, ldhp: i32,
  dh: usize, lddh: i32, dGx: usize, lddgx: i32, dGh: usize, lddgh: i32, dhPrev: usize, lddhp: i32): void {
  const hb = <usize>H << 2;
  for (let r = 0; r < rows; r++) {
    const x0 = row(gx, r, ldgx), g0 = row(gh, r, ldgh), hp0 = row(hPrev, r, ldhp), dh0 = row(dh, r, lddh);
    const dx0 = row(dGx, r, lddgx), dg0 = row(dGh, r, lddgh), dhp0 = row(dhPrev, r, lddhp);
    let j = 0;
    for (; j + 4 <= H; j += 4) {
      const o = <usize>j << 2;
      gruBwdAt(x0 + o, g0 + o, hb, hp0 + o, dh0 + o, dx0 + o, dg0 + o, dhp0 + o, false);
    }
    for (; j < H; j++) {
      const o = <usize>j << 2;
      gruBwdAt(x0 + o, g0 + o, hb, hp0 + o, dh0 + o, dx0 + o, dg0 + o, dhp0 + o, true);
    }
  }
}

// GRU with the reset gate before the recurrent product (Keras reset_after = false). Each lane
// group loads and stores in the reference's per-element order, so an output that is exactly one of
// the inputs (in place, e.g. h = hPrev or rh = hPrev) gives what the reference gives.

// r = σ(gx_r + gh_r) over gx_r;  rh = r ⊙ hPrev
// @ts-ignore: decorator
@inline function gruResetGateFwdAt(gx: usize, gh: usize, hp: usize, rh: usize, one: bool): void {
  const r = sigmoidv(f32x4.add(ld(gx, one), ld(gh, one)));
  st(gx, r, one);
  st(rh, f32x4.mul(r, ld(hp, one)), one);
}

export function gruResetGateForward(rows: i32, H: i32, gx: usize, ldgx: i32, gh: usize, ldgh: i32, hPrev: usize, ldhp: i32, rh: usize, ldrh: i32): void {
  for (let r = 0; r < rows; r++) {
    const x0 = row(gx, r, ldgx), g0 = row(gh, r, ldgh), hp0 = row(hPrev, r, ldhp), o0 = row(rh, r, ldrh);
    let j = 0;
    for (; j + 4 <= H; j += 4) {
      const o = <usize>j << 2;
      gruResetGateFwdAt(x0 + o, g0 + o, hp0 + o, o0 + o, false);
    }
    for (; j < H; j++) {
      const o = <usize>j << 2;
      gruResetGateFwdAt(x0 + o, g0 + o, hp0 + o, o0 + o, true);
    }
  }
}

// z = σ(gx_z + gh_z), n = tanh(gx_n + gh_n) over gx_z, gx_n;  h = (1 − z) ⊙ n + z ⊙ hPrev
// @ts-ignore: decorator
@inline function gruResetBeforeFwdAt(gx: usize, gh: usize, hb: usize, hp: usize, h: usize, one: bool): void {
  const z = sigmoidv(f32x4.add(ld(gx + hb, one), ld(gh + hb, one)));
  st(gx + hb, z, one);
  const n = tanhv(f32x4.add(ld(gx + 2 * hb, one), ld(gh + 2 * hb, one)));
  st(gx + 2 * hb, n, one);
  st(h, f32x4.add(f32x4.mul(f32x4.sub(f32x4.splat(1), z), n), f32x4.mul(z, ld(hp, one))), one);
}

export function gruResetBeforeForward(rows: i32, H: i32, gx: usize, ldgx: i32, gh: usize, ldgh: i32, hPrev: usize, ldhp: i32, h: usize, ldh: i32): void {
  const hb = <usize>H << 2;
  for (let r = 0; r < rows; r++) {
    const x0 = row(gx, r, ldgx), g0 = row(gh, r, ldgh), hp0 = row(hPrev, r, ldhp), h0 = row(h, r, ldh);
    let j = 0;
    for (; j + 4 <= H; j += 4) {
      const o = <usize>j << 2;
      gruResetBeforeFwdAt(x0 + o, g0 + o, hb, hp0 + o, h0 + o, false);
    }
    for (; j < H; j++) {
      const o = <usize>j << 2;
      gruResetBeforeFwdAt(x0 + o, g0 + o, hb, hp0 + o, h0 + o, true);
    }
  }
}

// dhPrev = dh ⊙ z;  dẑ = dh ⊙ (hPrev − n) ⊙ z(1 − z) and dn̂ = dh ⊙ (1 − z) ⊙ (1 − n²) into the
// z and n thirds of both dGx and dGh
// @ts-ignore: decorator
@inline function gruResetBeforeBwdAt(gx: usize, hb: usize, hp: usize, dh: usize, dgx: usize, dgh: usize, dhp: usize, one: bool): void {
  const onev = f32x4.splat(1);
  const z = ld(gx + hb, one);
  const n = ld(gx + 2 * hb, one);
  const d = ld(dh, one);
  const p = ld(hp, one);
  st(dhp, f32x4.mul(d, z), one);
  const dzHat = f32x4.mul(f32x4.mul(f32x4.mul(d, f32x4.sub(p, n)), z), f32x4.sub(onev, z));
  const dnHat = f32x4.mul(f32x4.mul(d, f32x4.sub(onev, z)), f32x4.sub(onev, f32x4.mul(n, n)));
  st(dgx + hb, dzHat, one);
  st(dgx + 2 * hb, dnHat, one);
  st(dgh + hb, dzHat, one);
  st(dgh + 2 * hb, dnHat, one);
}

export function gruResetBeforeBackward(rows: i32, H: i32, gx: usize, ldgx: i32, hPrev: usize, ldhp: i32, dh: usize, lddh: i32,
  dGx: usize, lddgx: i32, dGh: usize, lddgh: i32, dhPrev: usize, lddhp: i32): void {
  const hb = <usize>H << 2;
  for (let r = 0; r < rows; r++) {
    const x0 = row(gx, r, ldgx), hp0 = row(hPrev, r, ldhp), dh0 = row(dh, r, lddh);
    const dx0 = row(dGx, r, lddgx), dg0 = row(dGh, r, lddgh), dhp0 = row(dhPrev, r, lddhp);
    let j = 0;
    for (; j + 4 <= H; j += 4) {
      const o = <usize>j << 2;
      gruResetBeforeBwdAt(x0 + o, hb, hp0 + o, dh0 + o, dx0 + o, dg0 + o, dhp0 + o, false);
    }
    for (; j < H; j++) {
      const o = <usize>j << 2;
      gruResetBeforeBwdAt(x0 + o, hb, hp0 + o, dh0 + o, dx0 + o, dg0 + o, dhp0 + o, true);
    }
  }
}

// dr̂ = dRh ⊙ hPrev ⊙ r(1 − r) into the r third of dGx and dGh;  dhPrev += dRh ⊙ r
// @ts-ignore: decorator
@inline function gruResetGateBwdAt(gx: usize, hp: usize, drh: usize, dgx: usize, dgh: usize, dhp: usize, one: bool): void {
  const r = ld(gx, one);
  const g = ld(drh, one);
  const drHat = f32x4.mul(f32x4.mul(f32x4.mul(g, ld(hp, one)), r), f32x4.sub(f32x4.splat(1), r));
  st(dgx, drHat, one);
  st(dgh, drHat, one);
  st(dhp, f32x4.add(ld(dhp, one), f32x4.mul(g, r)), one);
}

export function gruResetGateBackward(rows: i32, H: i32, gx: usize, ldgx: i32, hPrev: usize, ldhp: i32, dRh: usize, lddrh: i32,
  dGx: usize, lddgx: i32, dGh: usize, lddgh: i32, dhPrev: usize, lddhp: i32): void {
  for (let r = 0; r < rows; r++) {
    const x0 = row(gx, r, ldgx), hp0 = row(hPrev, r, ldhp), g0 = row(dRh, r, lddrh);
    const dx0 = row(dGx, r, lddgx), dg0 = row(dGh, r, lddgh), dhp0 = row(dhPrev, r, lddhp);
    let j = 0;
    for (; j + 4 <= H; j += 4) {
      const o = <usize>j << 2;
      gruResetGateBwdAt(x0 + o, hp0 + o, g0 + o, dx0 + o, dg0 + o, dhp0 + o, false);
    }
    for (; j < H; j++) {
      const o = <usize>j << 2;
      gruResetGateBwdAt(x0 + o, hp0 + o, g0 + o, dx0 + o, dg0 + o, dhp0 + o, true);
    }
  }
}
