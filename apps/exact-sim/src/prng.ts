const HEX_CODES = Buffer.from('0123456789abcdef', 'latin1');
const GUID_BUFFER = Buffer.from('00000000-0000-0000-0000-000000000000', 'latin1');
/** Where each of the 16 bytes goes in the 36-character text. */
const GUID_OFFSETS = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];

/** A small, fast, seedable PRNG (sfc32) so the dataset and every random choice repeat for a given seed. */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 15; i++) this.next();
  }

  /** Next 32-bit unsigned integer. */
  next(): number {
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    this.d >>>= 0;
    let t = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    t = (t + this.d) | 0;
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform float in [0, 1). */
  float(): number {
    return this.next() / 4294967296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(list: readonly T[]): T {
    const value = list[Math.floor(this.float() * list.length)];
    if (value === undefined) throw new RangeError('pick from an empty list');
    return value;
  }

  /** Money-like number with two decimals in [min, max]. */
  amount(min: number, max: number): number {
    return Math.round((min + this.float() * (max - min)) * 100) / 100;
  }

  /** A version-4 shaped GUID, lower case like Exact's (written into a buffer so the string is flat and small). */
  guid(): string {
    for (let word = 0; word < 4; word++) {
      const w = this.next();
      for (let byte = 0; byte < 4; byte++) {
        let value = (w >>> (byte * 8)) & 0xff;
        const i = word * 4 + byte;
        if (i === 6) value = (value & 0x0f) | 0x40;
        if (i === 8) value = (value & 0x3f) | 0x80;
        const at = GUID_OFFSETS[i] ?? 0;
        GUID_BUFFER[at] = HEX_CODES[value >> 4] ?? 48;
        GUID_BUFFER[at + 1] = HEX_CODES[value & 0x0f] ?? 48;
      }
    }
    return GUID_BUFFER.toString('latin1', 0, 36);
  }
}

/** Derives a child seed so each division (or purpose) has its own independent stream. */
export function deriveSeed(seed: number, salt: number): number {
  let h = (seed ^ 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (salt >>> 0), 0xcc9e2d51) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x1b873593) >>> 0;
  return (h ^ (h >>> 13)) >>> 0;
}
