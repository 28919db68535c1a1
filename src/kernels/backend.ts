/**
 * The kernel interface: every piece of hot math in unroll goes through one of these methods.
 *
 * Conventions (BLAS-like, chosen so that the hot loop allocates nothing):
 * - Matrices are row-major. A matrix argument is a buffer, an offset into it and a leading
 *   dimension (the distance between the starts of two rows), so a kernel can work on a slice of
 *   a larger buffer (one time step of a `[T, B, H]` cache, the `h` half of an LSTM state row)
 *   without creating a view object.
 * - Kernels write into buffers they are given and never allocate.
 * - Buffers come from `alloc` of the same backend. On the reference backend they are
 *   Float64Array; on the fast backend, Float32Array views into WebAssembly memory.
 *
 * Model code is written against this interface only and never knows which backend it runs on.
 */
export type Buf = Float64Array | Float32Array;

/**
 * op(B) of a matrix product prepared once for many products (`packB`, then `gemmPacked`): the
 * recurrent weight of a cell, used by one product per time step. Opaque; made by `allocPacked`.
 */
export interface PackedMatrix {
  /** Rows of op(B) (the inner dimension of the products). */
  readonly k: number;
  /** Columns of op(B). */
  readonly n: number;
}

/** Element-wise activations with their derivatives. */
export type Activation = 'tanh' | 'relu' | 'sigmoid' | 'linear';
export const ACTIVATIONS: readonly Activation[] = ['tanh', 'relu', 'sigmoid', 'linear'];

export interface Backend {
  /** 'reference' (float64 TypeScript) or 'wasm' (float32 WebAssembly SIMD). */
  readonly name: string;
  readonly dtype: 'float64' | 'float32';

  /** A zero-filled buffer of `n` numbers in memory this backend owns. Call at plan time only. */
  alloc(n: number): Buf;

  /**
   * General matrix product: C = alpha · op(A) · op(B) + beta · C, where C is m×n,
   * op(A) is m×k and op(B) is k×n. `transA` means A is stored k×m (so op(A) = Aᵀ); likewise `transB`.
   * With beta = 0 the old contents of C are ignored (even NaN).
   */
  gemm(
    transA: boolean, transB: boolean, m: number, n: number, k: number,
    alpha: number, a: Buf, aOff: number, lda: number,
    b: Buf, bOff: number, ldb: number,
    beta: number, c: Buf, cOff: number, ldc: number,
  ): void;

  /**
   * A zero-filled Int32Array of `n` integers where this backend's kernels can read it (row ids for
   * `gatherRows` / `scatterAddRows`). Call at plan time only.
   */
  allocInt32(n: number): Int32Array;

  /**
   * Row lookup (an embedding's forward): dst[r, 0..n) = src[ids[r], 0..n) for r < rows; a row
   * whose id is negative (a padded step) is set to zero. The caller guarantees every id is below
   * the number of rows of src.
   */
  gatherRows(rows: number, n: number, ids: Int32Array, idsOff: number, src: Buf, srcOff: number, lds: number,
    dst: Buf, dstOff: number, ldd: number): void;

  /**
   * Row scatter-add (an embedding's backward): dst[ids[r], 0..n) += src[r, 0..n) for every r < rows
   * with ids[r] ≥ 0, in the order r = 0, 1, … (repeated ids accumulate).
   */
  scatterAddRows(rows: number, n: number, ids: Int32Array, idsOff: number, src: Buf, srcOff: number, lds: number,
    dst: Buf, dstOff: number, ldd: number): void;

  /** Room for op(B) of k×n, packed. Call at plan time only. */
  allocPacked(k: number, n: number): PackedMatrix;

  /**
   * Prepares op(B) (k×n; B stored n×k when `transB`) for `gemmPacked`. The fast backend copies
   * the values into its panel layout; the reference backend keeps a reference to B. Either way B
   * must not change between `packB` and the products that use it (pack again after an update).
   */
  packB(transB: boolean, k: number, n: number, b: Buf, bOff: number, ldb: number, packed: PackedMatrix): void;

  /** C = alpha · op(A) · op(B) + beta · C like `gemm`, with op(B) from `packB` (its k and n must match). */
  gemmPacked(transA: boolean, m: number, n: number, k: number, alpha: number, a: Buf, aOff: number, lda: number,
    packed: PackedMatrix, beta: number, c: Buf, cOff: number, ldc: number): void;

  /** y[i] = f(x[i]) for an m×n block (x and y may be the same block). */
  activate(act: Activation, m: number, n: number, x: Buf, xOff: number, ldx: number, y: Buf, yOff: number, ldy: number): void;

  /**
   * dz[i] = dy[i] · f'(z[i]), with f' written in terms of the activation's OUTPUT y = f(z)
   * (tanh: 1 − y², sigmoid: y(1 − y), relu: y > 0, linear: 1). m×n blocks; dz may alias dy.
   */
  activateBackward(act: Activation, m: number, n: number, y: Buf, yOff: number, ldy: number, dy: Buf, dyOff: number, lddy: number, dz: Buf, dzOff: number, lddz: number): void;

  /** Adds the row vector `bias[0..n)` to every row of the m×n block C. */
  addRowVector(m: number, n: number, bias: Buf, biasOff: number, c: Buf, cOff: number, ldc: number): void;

  /** out[j] = beta · out[j] + Σ_i A[i, j] over an m×n block (column sums, for bias gradients). */
  sumRows(m: number, n: number, a: Buf, aOff: number, lda: number, beta: number, out: Buf, outOff: number): void;

  /** y = alpha · x + y over n contiguous numbers. */
  axpy(n: number, alpha: number, x: Buf, xOff: number, y: Buf, yOff: number): void;
  /** x = alpha · x. */
  scale(n: number, alpha: number, x: Buf, xOff: number): void;
  /** x[i] = value. */
  fill(n: number, value: number, x: Buf, xOff: number): void;
  /** Copies an m×n block from x to y (blocks may have different leading dimensions). */
  copy2d(m: number, n: number, x: Buf, xOff: number, ldx: number, y: Buf, yOff: number, ldy: number): void;
  /** out = a ⊙ b (element-wise product) over n numbers; out may alias a or b. */
  mul(n: number, a: Buf, aOff: number, b: Buf, bOff: number, out: Buf, outOff: number): void;
  /** out += a ⊙ b over n numbers. */
  mulAdd(n: number, a: Buf, aOff: number, b: Buf, bOff: number, out: Buf, outOff: number): void;

  /** Σ x[i]² over n numbers (accumulated in float64). */
  sumSquares(n: number, x: Buf, xOff: number): number;
  /** True when all n numbers are finite. */
  allFinite(n: number, x: Buf, xOff: number): boolean;

  /**
   * Fused softmax + cross-entropy over `rows` rows of `classes` logits (numerically stable:
   * the row maximum is subtracted first). `targets[r]` is the class index of row r, or −1 to
   * skip the row. Writes probabilities to `probs`, and (when `dlogits` is given) the gradient
   * `weight · (p − onehot)` of the summed loss. Returns Σ −log p[target] over the rows it used.
   */
  softmaxCrossEntropy(
    rows: number, classes: number, logits: Buf, logitsOff: number, targets: Int32Array, targetsOff: number,
    probs: Buf, probsOff: number, dlogits: Buf | null, dlogitsOff: number, weight: number,
  ): number;

  /**
   * One Adam step over n parameters (bias-corrected; `step` counts from 1):
   * m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²; p −= lr · m̂ / (√v̂ + ε) + lr · weightDecay · p (decoupled, AdamW).
   */
  adamStep(n: number, p: Buf, g: Buf, m: Buf, v: Buf, lr: number, beta1: number, beta2: number, eps: number, weightDecay: number, step: number): void;

  /**
   * One RMSprop step (PyTorch's torch.optim.RMSprop, weight decay already added to g by the caller):
   * s = α·s + (1−α)·g²; centred: a = α·a + (1−α)·g and d = √(s − a²) + ε, else d = √s + ε;
   * with momentum μ > 0: buf = μ·buf + g/d, p −= lr·buf; else p −= lr·g/d.
   * `avg` is used only when centred, `buf` only when μ > 0.
   */
  rmspropStep(n: number, p: Buf, g: Buf, sq: Buf, avg: Buf | null, buf: Buf | null, lr: number, alpha: number, eps: number, momentum: number): void;

  /** One SGD step with (optionally Nesterov) momentum: vel = μ·vel + g; p −= lr · (nesterov ? g + μ·vel : vel). */
  sgdStep(n: number, p: Buf, g: Buf, vel: Buf, lr: number, momentum: number, nesterov: boolean): void;

  /** Clamps each of n numbers to [−limit, limit]. */
  clip(n: number, limit: number, x: Buf, xOff: number): void;

  /**
   * Fused LSTM step pointwise math over `rows` rows. `gates` holds the pre-activations
   * [i | f | g | o] (4H per row) and is overwritten with the activations
   * i = σ, f = σ, g = tanh, o = σ. Then c = f ⊙ cPrev + i ⊙ g and h = o ⊙ tanh(c).
   * With `bias` (4H numbers at `biasOff`), it is added to every row's pre-activations first (one
   * pass over the gates instead of a separate bias pass).
   */
  lstmPointwiseForward(rows: number, H: number, gates: Buf, gOff: number, ldg: number,
    cPrev: Buf, cpOff: number, ldcp: number, h: Buf, hOff: number, ldh: number, c: Buf, cOff: number, ldc: number,
    bias?: Buf | null, biasOff?: number): void;

  /**
   * Backward of lstmPointwiseForward. Given the activated `gates`, cPrev, c, and the incoming
   * dL/dh and dL/dc (from the later step), writes dL/d(gate pre-activations) [di|df|dg|do] to
   * `dGates` and dL/dcPrev to `dcPrev` (dcPrev must not alias dc).
   */
  lstmPointwiseBackward(rows: number, H: number, gates: Buf, gOff: number, ldg: number,
    cPrev: Buf, cpOff: number, ldcp: number, c: Buf, cOff: number, ldc: number,
    dh: Buf, dhOff: number, lddh: number, dc: Buf, dcOff: number, lddc: number,
    dGates: Buf, dgOff: number, lddg: number, dcPrev: Buf, dcpOff: number, lddcp: number): void;

  /**
   * Fused GRU step (PyTorch form) over `rows` rows. `gx` holds W_ih x + b_ih as [r | z | n]
   * (3H per row) and is overwritten with the activations r, z, n; `gh` holds W_hh h_prev + b_hh
   * and is left as is. r = σ(gx_r + gh_r), z = σ(gx_z + gh_z), n = tanh(gx_n + r ⊙ gh_n),
   * h = (1 − z) ⊙ n + z ⊙ hPrev.
   */
  gruPointwiseForward(rows: number, H: number, gx: Buf, gxOff: number, ldgx: number, gh: Buf, ghOff: number, ldgh: number,
    hPrev: Buf, hpOff: number, ldhp: number, h: Buf, hOff: number, ldh: number): void;

  /**
   * Backward of gruPointwiseForward. Writes dL/d(gx) to `dGx` [dr̂ | dẑ | dn̂], dL/d(gh) to
   * `dGh` [dr̂ | dẑ | dn̂ ⊙ r] and the direct part dL/dhPrev = dh ⊙ z to `dhPrev` (overwritten).
   */
  gruPointwiseBackward(rows: number, H: number, gx: Buf, gxOff: number, ldgx: number, gh: Buf, ghOff: number, ldgh: number,
    hPrev: Buf, hpOff: number, ldhp: number, dh: Buf, dhOff: number, lddh: number,
    dGx: Buf, dgxOff: number, lddgx: number, dGh: Buf, dghOff: number, lddgh: number, dhPrev: Buf, dhpOff: number, lddhp: number): void;

  /**
   * GRU with the reset gate before the recurrent product (Keras `reset_after = false`), first half
   * of a step: r = σ(gx_r + gh_r) overwrites gx_r, and rh = r ⊙ hPrev (H per row) is written for
   * the candidate's recurrent product W_hn · rh. Only the r and z thirds of `gh` are read.
   */
  gruResetGateForward(rows: number, H: number, gx: Buf, gxOff: number, ldgx: number, gh: Buf, ghOff: number, ldgh: number,
    hPrev: Buf, hpOff: number, ldhp: number, rh: Buf, rhOff: number, ldrh: number): void;

  /**
   * Second half of that step, once gh_n = W_hn · (r ⊙ hPrev) + b_hn is in `gh`: z = σ(gx_z + gh_z)
   * and n = tanh(gx_n + gh_n) overwrite gx_z and gx_n, and h = (1 − z) ⊙ n + z ⊙ hPrev.
   */
  gruResetBeforeForward(rows: number, H: number, gx: Buf, gxOff: number, ldgx: number, gh: Buf, ghOff: number, ldgh: number,
    hPrev: Buf, hpOff: number, ldhp: number, h: Buf, hOff: number, ldh: number): void;

  /**
   * Backward of gruResetBeforeForward, given the activated `gx` [r | z | n] and dL/dh: writes
   * dẑ and dn̂ to the z and n thirds of both `dGx` and `dGh` (the pre-activations are sums, so they
   * share their gradient) and the direct part dL/dhPrev = dh ⊙ z to `dhPrev` (overwritten).
   */
  gruResetBeforeBackward(rows: number, H: number, gx: Buf, gxOff: number, ldgx: number, hPrev: Buf, hpOff: number, ldhp: number,
    dh: Buf, dhOff: number, lddh: number, dGx: Buf, dgxOff: number, lddgx: number, dGh: Buf, dghOff: number, lddgh: number,
    dhPrev: Buf, dhpOff: number, lddhp: number): void;

  /**
   * Backward of gruResetGateForward, given dL/d(r ⊙ hPrev) in `dRh`: writes dr̂ = dRh ⊙ hPrev ⊙ r(1 − r)
   * to the r third of `dGx` and `dGh`, and ADDS dRh ⊙ r to `dhPrev`.
   */
  gruResetGateBackward(rows: number, H: number, gx: Buf, gxOff: number, ldgx: number, hPrev: Buf, hpOff: number, ldhp: number,
    dRh: Buf, drhOff: number, lddrh: number, dGx: Buf, dgxOff: number, lddgx: number, dGh: Buf, dghOff: number, lddgh: number,
    dhPrev: Buf, dhpOff: number, lddhp: number): void;
}
