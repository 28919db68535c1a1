// Vectorised float32 exp, sigmoid and tanh on f32x4 lanes.
//
// exp: range reduction x = n·ln2 + r with |r| ≤ ln2/2 (ln2 split in a high and a low part so
// n·ln2 is exact to float32), a degree-7 polynomial for e^r (the minimax coefficients of the
// Cephes expf), and 2^n built directly in the exponent bits. Error about 1-2 ulp.
// tanh: a rational approximation (see tanhv).

/** c + a · b; one fused multiply-add where relaxed SIMD is compiled in (the "relaxed" module variants). */
// @ts-ignore: decorator
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

const LOG2E: f32 = 1.44269504088896341;
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;
const EXP_HI: f32 = 88.3762626647949;
const EXP_LO: f32 = -87.3365478515625;
/** 1.5 · 2^23: adding it rounds a float32 of magnitude < 2^22 to an integer. */
const ROUND_MAGIC: f32 = 12582912.0;

// @ts-ignore: decorator
@inline export function expv(x: v128): v128 {
  // pmin/pmax (one instruction each on x86) rather than min/max (NaN-exact, about 8): a NaN x
  // still comes through, since pmax(x, lo) = x < lo ? lo : x and pmin(x, hi) = hi < x ? hi : x.
  x = f32x4.pmin(f32x4.pmax(x, f32x4.splat(EXP_LO)), f32x4.splat(EXP_HI));
  // n = round(x · log2 e) by adding 1.5 · 2^23: the sum's low mantissa bits hold n as an integer
  // (round to nearest even, as f32x4.nearest), so 2^n needs no float-to-int conversion below.
  const big = madd(x, f32x4.splat(LOG2E), f32x4.splat(ROUND_MAGIC));
  const n = f32x4.sub(big, f32x4.splat(ROUND_MAGIC));
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(LN2_LO)));
  let p = f32x4.splat(1.9875691500e-4);
  p = madd(p, r, f32x4.splat(1.3981999507e-3));
  p = madd(p, r, f32x4.splat(8.3334519073e-3));
  p = madd(p, r, f32x4.splat(4.1665795894e-2));
  p = madd(p, r, f32x4.splat(1.6666665459e-1));
  p = madd(p, r, f32x4.splat(5.0000001201e-1));
  p = f32x4.add(madd(f32x4.mul(p, r), r, r), f32x4.splat(1));
  // 2^n: (n + 127) << 23 reinterpreted as float32 (n stays in [-126, 127] after the clamp). The
  // bits of `big` are 0x4B400000 + n, whose high part the shift by 23 pushes out of the word.
  const pow2 = i32x4.shl(i32x4.add(big, i32x4.splat(127)), 23);
  return f32x4.mul(p, pow2);
}

// @ts-ignore: decorator
@inline export function sigmoidv(x: v128): v128 {
  return f32x4.div(f32x4.splat(1), f32x4.add(f32x4.splat(1), expv(f32x4.neg(x))));
}

// tanh(x) = x·P(x²) / Q(x²), a rational minimax fit on |x| ≤ 7.9053 (past it tanh is ±1 in
// float32, so x is clamped there); coefficients as in Eigen's float tanh. One division and no
// exp: about half the work of the exp form. Max error about 4e-7 (a few ulp near ±1); odd, so
// small x keep their relative accuracy. NaN propagates through min/max.
const TANH_CLAMP: f32 = 7.90531110763549805;

// @ts-ignore: decorator
@inline export function tanhv(x: v128): v128 {
  const xc = f32x4.pmin(f32x4.pmax(x, f32x4.splat(-TANH_CLAMP)), f32x4.splat(TANH_CLAMP));
  const z = f32x4.mul(xc, xc);
  let p = f32x4.splat(-2.76076847742355e-16);
  p = madd(p, z, f32x4.splat(2.00018790482477e-13));
  p = madd(p, z, f32x4.splat(-8.60467152213735e-11));
  p = madd(p, z, f32x4.splat(5.12229709037114e-8));
  p = madd(p, z, f32x4.splat(1.48572235717979e-5));
  p = madd(p, z, f32x4.splat(6.37261928875436e-4));
  p = madd(p, z, f32x4.splat(4.89352455891786e-3));
  let q = f32x4.splat(1.19825839466702e-6);
  q = madd(q, z, f32x4.splat(1.18534705686654e-4));
  q = madd(q, z, f32x4.splat(2.26843463243900e-3));
  q = madd(q, z, f32x4.splat(4.89352518554385e-3));
  return f32x4.div(f32x4.mul(p, xc), q);
}

/** One-lane versions for row tails: the same formulas on a splatted value. */
// @ts-ignore: decorator
@inline export function exps(x: f32): f32 {
  return f32x4.extract_lane(expv(f32x4.splat(x)), 0);
}
// @ts-ignore: decorator
@inline export function sigmoids(x: f32): f32 {
  return f32x4.extract_lane(sigmoidv(f32x4.splat(x)), 0);
}
// @ts-ignore: decorator
@inline export function tanhs(x: f32): f32 {
  return f32x4.extract_lane(tanhv(f32x4.splat(x)), 0);
}
