export type { Activation, Backend, Buf, PackedMatrix } from './backend.js';
export { ACTIVATIONS } from './backend.js';
export { ReferenceBackend, sigmoid } from './reference.js';
import { ReferenceBackend } from './reference.js';

let shared: ReferenceBackend | null = null;
/** The float64 reference backend (one shared instance; it holds no state). */
export function referenceBackend(): ReferenceBackend {
  return (shared ??= new ReferenceBackend());
}
