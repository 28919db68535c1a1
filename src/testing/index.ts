/** `unroll/testing`: the finite-difference gradient check, for users who write their own layers or losses. */
export { gradCheck, relativeError, type GradCheckOptions, type GradCheckResult } from './gradcheck.js';
export { gradients, forwardStates, type GradientOptions, type GradientResult, type ForwardStatesOptions, type ForwardStates } from '../train/gradients.js';
