/**
 * The field readers and writers both checkpoint formats share (the fit's checkpoint.ts and the panel's
 * checkpoint-panel.ts, Node only): numeric buffers as base64 of their little-endian bytes (float64 or
 * int32, so values come back bit for bit), and readers that check each field's type before it is
 * used, refusing a wrong one through the format's own `bad` (which names the file and says what to do).
 */

/** A float64 or int32 buffer as base64 of its bytes. */
export function base64F64(a: Float64Array | Int32Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

/** An int32 buffer as base64 of its bytes (the same bytes-to-text step). */
export const base64I32: (a: Int32Array) => string = base64F64;

export interface FieldReaders {
  /** A non-negative integer (at most `maxCount`). */
  count(name: string, v: unknown): number;
  /** A finite number. */
  finite(name: string, v: unknown): number;
  /** base64 of a whole number of `width`-byte values. */
  bytes(name: string, v: unknown, width: number): Buffer;
  /** base64 of finite float64 values (`length` of them, when given). */
  floats(name: string, v: unknown, length?: number): Float64Array;
  /** base64 of int32 values. */
  ints(name: string, v: unknown): Int32Array;
}

/** The readers, refusing through `bad(what)`; `maxCount` bounds every count. */
export function fieldReaders(bad: (what: string) => never, maxCount = Infinity): FieldReaders {
  const bytes = (name: string, v: unknown, width: number): Buffer => {
    if (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v)) return bad(`"${name}" is not base64`);
    const b = Buffer.from(v, 'base64');
    if (b.length % width !== 0) bad(`"${name}" has ${b.length} bytes, not a whole number of ${width}-byte values`);
    return b;
  };
  return {
    count: (name, v) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= maxCount ? v : bad(`"${name}" is not a count`)),
    finite: (name, v) => (typeof v === 'number' && Number.isFinite(v) ? v : bad(`"${name}" is not a finite number`)),
    bytes,
    floats(name, v, length) {
      const b = bytes(name, v, 8);
      const out = new Float64Array(b.length / 8);
      for (let i = 0; i < out.length; i++) out[i] = b.readDoubleLE(i * 8);
      if (!out.every(Number.isFinite)) bad(`"${name}" holds a non-finite number`);
      if (length !== undefined && out.length !== length) bad(`"${name}" holds ${out.length} numbers, expected ${length}`);
      return out;
    },
    ints(name, v) {
      const b = bytes(name, v, 4);
      const out = new Int32Array(b.length / 4);
      for (let i = 0; i < out.length; i++) out[i] = b.readInt32LE(i * 4);
      return out;
    },
  };
}
