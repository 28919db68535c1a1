// Entry point of the WebAssembly kernels: every export here is called from src/kernels/wasm/.
// Memory is imported (env.memory) and managed from JavaScript; these functions allocate nothing.
export { gemm, gemmScratchBytes, gemmPacked, packBAll, packedBFloats } from './gemm';
export {
  activate, activateBackward, addRowVector, sumRows, axpy, scale, copy2d, mul, mulAdd, clip,
  sumSquares, allFinite, adamStep, softmaxCrossEntropy,
} from './elementwise';
export { gatherRows, scatterAddRows } from './sparse';
export {
  lstmPointwiseForward, lstmPointwiseBackward, gruPointwiseForward, gruPointwiseBackward,
  gruResetGateForward, gruResetBeforeForward, gruResetBeforeBackward, gruResetGateBackward,
} from './cells';

/** First byte after the module's static data; JavaScript allocates buffers above it. */
export function heapBase(): usize {
  return __heap_base;
}
