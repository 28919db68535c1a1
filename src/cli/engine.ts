/** Engine settings the command line makes for its own process (never the library). */
import v8 from 'node:v8';

/**
 * Node 20 validates WebAssembly relaxed SIMD (the fused multiply-add kernel variants, about 1.3×
 * faster training here) only behind a V8 flag; Node ≥ 22 has it on. The command line is its own
 * process, so it turns the flag on before any kernels are compiled, as the tests do
 * (src/kernels/relaxed.test.ts); UNROLL_RELAXED_SIMD=0 leaves it off. The library never does this.
 */
export function enableRelaxedSimd(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.UNROLL_RELAXED_SIMD === '0') return false;
  const major = Number(process.versions.node.split('.')[0]);
  if (major >= 22) return true;
  v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  return true;
}
