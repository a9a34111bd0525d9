import fc from 'fast-check';

export interface ByteEdit {
  at: number;
  kind: number;
  value: number;
}

/** Up to `maxLength` byte-level edits of the kinds `mutate` knows. */
export const byteEdits = (maxLength: number): fc.Arbitrary<ByteEdit[]> =>
  fc.array(
    fc.record({
      at: fc.nat(),
      kind: fc.integer({ min: 0, max: 5 }),
      value: fc.integer({ min: 0, max: 255 }),
    }),
    { minLength: 1, maxLength },
  );

/** Byte-level damage: overwrites, bit flips, cuts, insertions and deletions, interesting 32-bit values. */
export function mutate(bytes: Buffer, edits: ByteEdit[]): Buffer {
  let out = Buffer.from(bytes);
  for (const { at, kind, value } of edits) {
    const i = out.length === 0 ? 0 : at % out.length;
    if (kind === 0) out[i] = value;
    else if (kind === 1) out[i] = (out[i] ?? 0) ^ (1 << (value % 8));
    else if (kind === 2) out = out.subarray(0, i);
    else if (kind === 3) out = Buffer.concat([out.subarray(0, i), Buffer.from([value]), out.subarray(i)]);
    else if (kind === 4) out = Buffer.concat([out.subarray(0, i), out.subarray(i + 1)]);
    else if (i + 4 <= out.length) out.writeUInt32LE([0, 0xffffffff, 0x7fffffff, 1, value][value % 5]!, i);
  }
  return out;
}
