// Products where one operand has one-hot rows (every row all zeros but for a single 1, or all
// zeros): the backend detects such operands in gemm (src/kernels/fast.ts) and multiplies them as
// row lookups and row scatter-adds, skipping the zeros. Row ids are i32, −1 for an all-zero row.

/** dst[r, 0..n) = beta · dst[r, ·] + alpha · src[ids[r], ·]; an id < 0 contributes zero; beta = 0 overwrites. */
export function gatherRows(rows: i32, n: i32, ids: usize, src: usize, lds: i32, alpha: f32, beta: f32, dst: usize, ldd: i32): void {
  const va = f32x4.splat(alpha);
  const vb = f32x4.splat(beta);
  for (let r = 0; r < rows; r++) {
    const id = load<i32>(ids + (<usize>r << 2));
    const d = dst + (<usize>(r * ldd) << 2);
    let j = 0;
    if (id < 0) {
      for (; j + 4 <= n; j += 4) {
        const q = d + (<usize>j << 2);
        v128.store(q, beta == 0 ? f32x4.splat(0) : f32x4.mul(vb, v128.load(q)));
      }
      for (; j < n; j++) {
        const q = d + (<usize>j << 2);
        store<f32>(q, beta == 0 ? 0 : beta * load<f32>(q));
      }
      continue;
    }
    const s = src + (<usize>(id * lds) << 2);
    if (beta == 0) {
      for (; j + 4 <= n; j += 4) v128.store(d + (<usize>j << 2), f32x4.mul(va, v128.load(s + (<usize>j << 2))));
      for (; j < n; j++) store<f32>(d + (<usize>j << 2), alpha * load<f32>(s + (<usize>j << 2)));
    } else {
      for (; j + 4 <= n; j += 4) {
        const q = d + (<usize>j << 2);
        v128.store(q, f32x4.add(f32x4.mul(vb, v128.load(q)), f32x4.mul(va, v128.load(s + (<usize>j << 2)))));
      }
      for (; j < n; j++) {
        const q = d + (<usize>j << 2);
        store<f32>(q, beta * load<f32>(q) + alpha * load<f32>(s + (<usize>j << 2)));
      }
    }
  }
}

/** dst[ids[r], 0..n) += src[r, 0..n) for every row r with ids[r] ≥ 0. */
export function scatterAddRows(rows: i32, n: i32, ids: usize, src: usize, lds: i32, dst: usize, ldd: i32): void {
  for (let r = 0; r < rows; r++) {
    const id = load<i32>(ids + (<usize>r << 2));
    if (id < 0) continue;
    const s = src + (<usize>(r * lds) << 2);
    const d = dst + (<usize>(id * ldd) << 2);
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const q = d + (<usize>j << 2);
      v128.store(q, f32x4.add(v128.load(q), v128.load(s + (<usize>j << 2))));
    }
    for (; j < n; j++) {
      const q = d + (<usize>j << 2);
      store<f32>(q, load<f32>(q) + load<f32>(s + (<usize>j << 2)));
    }
  }
}
