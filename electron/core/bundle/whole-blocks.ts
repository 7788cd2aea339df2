const BLOCK = 512;

/**
 * Cuts a stream of byte pieces into whole 512-byte blocks for node-tar's Parser, keeping back the
 * part of a block that has not fully arrived. node-tar parses whole blocks only: with a piece that
 * ends inside one, it keeps the rest unparsed until the next write, except that an entry's data is
 * taken up to the piece's end when at least a block is at hand. So which bytes of a cut-short
 * entry node-tar had passed on, and whether the last entry had ended, depended on where the
 * source's chunks happened to end (standard input and split parts arrive in reads of any size;
 * docs/design-notes.md, smallver2 and hostile8). Fed whole blocks, node-tar holds nothing back,
 * and what it has parsed when the source ends is the same for any chunking: every whole block.
 */
export class WholeBlocks {
  private carry: Buffer | null = null;

  /** The pieces' bytes in order, as whole blocks; a trailing part of a block waits for the next call. */
  whole(pieces: readonly Buffer[]): Buffer[] {
    const out: Buffer[] = [];
    for (let piece of pieces) {
      if (this.carry) {
        const take = Math.min(BLOCK - this.carry.length, piece.length);
        const joined = Buffer.concat([this.carry, piece.subarray(0, take)]);
        piece = piece.subarray(take);
        if (joined.length < BLOCK) {
          this.carry = joined;
          continue;
        }
        this.carry = null;
        out.push(joined);
      }
      const rest = piece.length % BLOCK;
      if (piece.length > rest) out.push(rest === 0 ? piece : piece.subarray(0, piece.length - rest));
      // A copy: the source may reuse its buffer for a later read.
      if (rest > 0) this.carry = Buffer.from(piece.subarray(piece.length - rest));
    }
    return out;
  }

  /** Bytes held back (less than a block). */
  get held(): number {
    return this.carry?.length ?? 0;
  }
}
