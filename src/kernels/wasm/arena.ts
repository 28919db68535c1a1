/**
 * The memory behind the fast backend's buffers: a bump allocator over the kernels' WebAssembly
 * memory. Buffers are allocated at plan time and live as long as the backend (there is no free).
 *
 * Growth. Views on an ordinary WebAssembly memory become empty (detached) when it grows, which
 * would break every buffer already handed out. So:
 * - With a shared memory (Node, and cross-origin-isolated pages) the arena grows in big steps
 *   (at least doubling); old views keep working because shared memory is never detached or moved.
 * - With an ordinary memory the arena is sized once and never grows. When it is full, `alloc`
 *   returns a plain Float32Array outside WebAssembly memory; the kernels then take the JavaScript
 *   path for that buffer (correct, slower), and the backend says so once.
 */
import { PAGE_BYTES, type LoadedKernels } from './loader.js';

const ALIGN = 16;

export class WasmArena {
  private top: number;
  /** Every ArrayBuffer object the memory has exposed (a new one after each growth). */
  private readonly known: ArrayBufferLike[] = [];
  private current: ArrayBufferLike;

  constructor(private readonly kernels: LoadedKernels) {
    this.top = align(Math.max(kernels.exports.heapBase(), PAGE_BYTES));
    this.current = kernels.memory.buffer;
    this.known.push(this.current);
  }

  get shared(): boolean {
    return this.kernels.shared;
  }

  /** Bytes handed out so far (including the reserved low page). */
  get usedBytes(): number {
    return this.top;
  }

  /** Reserves `bytes` (16-byte aligned, zero-filled) and returns its address, or −1 when the memory is full. */
  allocBytes(bytes: number): number {
    const start = this.top;
    const end = align(start + Math.max(bytes, 1));
    const memory = this.kernels.memory;
    const have = memory.buffer.byteLength;
    if (end > have) {
      if (!this.kernels.shared) return -1;
      const wantPages = Math.ceil(Math.max(end, have * 2) / PAGE_BYTES);
      const pages = Math.min(wantPages, this.kernels.maxPages) - have / PAGE_BYTES;
      if (have + pages * PAGE_BYTES < end) return -1;
      memory.grow(pages);
      this.current = memory.buffer;
      this.known.push(this.current);
    }
    this.top = end;
    // Fresh pages are zero; the allocator never reuses memory, so the block is zero-filled.
    return start;
  }

  /** A Float32Array of n numbers at a fresh address, or null when the memory is full. */
  allocF32(n: number): Float32Array | null {
    const at = this.allocBytes(n * 4);
    return at < 0 ? null : new Float32Array(this.refresh(), at, n);
  }

  /** An Int32Array of n integers at a fresh address, or null when the memory is full. */
  allocI32(n: number): Int32Array | null {
    const at = this.allocBytes(n * 4);
    return at < 0 ? null : new Int32Array(this.refresh(), at, n);
  }

  /** True when `view` lies in this arena's memory, so kernels can address it directly. */
  owns(view: ArrayBufferView): boolean {
    const b = view.buffer;
    if (b === this.current) return true;
    const known = this.known;
    for (let i = known.length - 2; i >= 0; i--) if (known[i] === b) return true;
    // V8 hands out a new SharedArrayBuffer object for a shared memory not only when it grows but
    // also when ANOTHER shared memory grows (e.g. a worker's): views made since then hold the new
    // object, so look again.
    return this.refresh() === b;
  }

  /** The memory's current buffer object, remembered as known. */
  private refresh(): ArrayBufferLike {
    const now = this.kernels.memory.buffer;
    if (now !== this.current) {
      this.current = now;
      if (!this.known.includes(now)) this.known.push(now);
    }
    return now;
  }
}

function align(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}
