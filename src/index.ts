/** unroll: recurrent neural networks in TypeScript. The public entry point (re-exports only). */
export * from './kernels/index.js';
export { UnrollError } from './util/errors.js';
export { Rng } from './util/rng.js';
export { ParamStore, type Param, type Init } from './nn/params.js';
export type { Cell } from './nn/cell.js';
export { ElmanCell, type ElmanCellOptions } from './nn/elman.js';
export { CELL_KINDS, createCell, type CellKind, type CellSpec } from './nn/cells.js';
export { Unroll } from './nn/unroll.js';
export { RecurrentLayer, type SequenceLayer } from './nn/layer.js';
export { Dense } from './nn/dense.js';
export { Network, normalizeOptions, type NetworkOptions, type NetworkConfig, type OutputMode } from './nn/model.js';
export { toSequenceSet, toTargetArray, packInputs, type SequenceSet, type SequenceInput, type TargetInput } from './nn/sequences.js';
export { resolveLoss, squaredError, crossEntropy, LOSS_NAMES, type Loss, type LossName, type LossBatch, type SequenceLoss } from './train/losses.js';
export { createOptimizer, type Optimizer, type OptimizerOptions, type SGDOptions, type AdamOptions } from './train/optimizers.js';
export { Trainer, type TrainerOptions, type ClipOptions, type TargetSet } from './train/trainer.js';
export { fit, evaluate, toTargetSet, type FitOptions, type History, type EpochLog } from './train/fit.js';
export { RNN, MODEL_FORMAT, MODEL_VERSION, type ModelJSON, type RNNOptions } from './train/model.js';
