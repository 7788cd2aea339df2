/**
 * The problems of one verification, in the order they were found. Problems about single entries
 * are listed up to a cap and counted beyond it (by code), so a bundle with a million bad files
 * gives a report of bounded size; bundle-level problems are always listed.
 */
import { problem, type Problem, type ProblemCode } from '../../../shared/problems.js';

/** Problems about single entries listed in a report; beyond this, one summary problem per code. */
export const PROBLEM_CAP = 1000;

/** Thrown by `fail`: a problem after which reading on would mean trusting what was not proven. */
export class Fatal extends Error {}

export class ProblemList {
  readonly listed: Problem[] = [];
  private entryProblems = 0;
  private readonly unlisted = new Map<ProblemCode, number>();
  /** Listed problems a later name clash explains (the entry was one of two copies): CHECKSUM_MISMATCH, FILE_UNLISTED. Bounded by the cap. */
  private readonly explainable = new Map<string, Problem>();

  /**
   * Inspectors' findings the caller accepted (a quarantine release overriding what was recorded at
   * quarantine): reported apart, never problems. Only `addFound` consults the predicate: the
   * pipeline's own problems (signature, checksums, names, limits) can never be accepted.
   */
  private readonly overriddenListed: Problem[] = [];
  private readonly overriddenBeyondCap = new Map<ProblemCode, number>();

  constructor(
    readonly cap = PROBLEM_CAP,
    private readonly accept?: ((found: Problem) => boolean) | undefined,
  ) {}

  get length(): number {
    return this.listed.length;
  }

  /** A problem; one about a single entry (`path` given) counts against the cap. */
  add(code: ProblemCode, detail?: string, path?: string): void {
    if (this.beyondCap(code, path)) return;
    this.listed.push(problem(code, detail, path));
  }

  /** A problem made elsewhere (an inspector's), listed or counted like `add`'s. */
  addFound(found: Problem): void {
    if (this.accepted(found) || this.beyondCap(found.code, found.path)) return;
    this.listed.push(found);
  }

  private accepted(found: Problem): boolean {
    if (!this.accept?.(found)) return false;
    // Listed up to the cap like problems (a release of 100,000 findings keeps no 100,000-row list), the rest counted by code.
    if (this.overriddenListed.length < this.cap) this.overriddenListed.push(found);
    else this.overriddenBeyondCap.set(found.code, (this.overriddenBeyondCap.get(found.code) ?? 0) + 1);
    return true;
  }

  /** The accepted findings: the first `cap` listed, then one summary per code (with its count) for the rest. */
  get overridden(): Problem[] {
    const summaries = [...this.overriddenBeyondCap].map(([code, count]): Problem => ({
      ...problem(code, `${count} more ${count === 1 ? 'finding' : 'findings'} of this code, overridden as recorded.`),
      count,
    }));
    return [...this.overriddenListed, ...summaries];
  }

  /** Counts a problem about a single entry; true when it is beyond the cap (counted by code, not listed). */
  private beyondCap(code: ProblemCode, path: string | undefined): boolean {
    if (path === undefined) return false;
    this.entryProblems += 1;
    if (this.entryProblems <= this.cap) return false;
    this.unlisted.set(code, (this.unlisted.get(code) ?? 0) + 1);
    return true;
  }

  /** Problems listed whatever the cap (the signature step's, import's gate). */
  push(...found: Problem[]): void {
    this.listed.push(...found);
  }

  /** The problem that ends verification: always listed, whatever the cap. */
  fail(code: ProblemCode, detail?: string, path?: string): never {
    this.listed.push(problem(code, detail, path));
    throw new Fatal();
  }

  failWith(found: Problem): never {
    this.listed.push(found);
    throw new Fatal();
  }

  /** An entry's problem that a later duplicate of the same name may explain (explainedBy). */
  addExplainable(code: 'CHECKSUM_MISMATCH' | 'FILE_UNLISTED', detail: string, path: string): void {
    const before = this.listed.length;
    this.add(code, detail, path);
    const added = this.listed.at(-1);
    if (this.listed.length > before && added) this.explainable.set(path, added);
  }

  /**
   * A listed path clashing with an earlier entry makes that entry's problem a consequence of the
   * duplicate (its first copy failed its checksum; an unlisted twin of it came first): the
   * duplicate is reported instead. A clash between unlisted entries explains nothing.
   */
  explainedBy(clash: string, clashingPathIsListed: boolean): void {
    const earlier = this.explainable.get(clash);
    if (!earlier || !clashingPathIsListed) return;
    this.explainable.delete(clash);
    this.listed.splice(this.listed.indexOf(earlier), 1);
    this.entryProblems -= 1;
  }

  /** The listed problems, then one summary per code counted beyond the cap. */
  finish(): Problem[] {
    for (const [code, count] of this.unlisted) {
      this.listed.push({
        ...problem(
          code,
          `${count} more ${count === 1 ? 'entry has' : 'entries have'} this problem; the report lists the first ${this.cap} problems about single entries (the per-file results count them all).`,
        ),
        count,
      });
    }
    this.unlisted.clear();
    return this.listed;
  }
}
