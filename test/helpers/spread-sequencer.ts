/**
 * The order of the test files (vitest.config.ts's `sequence.sequencer`). vitest's own order runs
 * each project's files as one block; the `alone` project's files, which take turns through a lock
 * (one-at-a-time.setup.ts), would then meet each other on both workers, one waiting, and leave a
 * core idle as a serial group does. Spread evenly through the parallel files of their group, one
 * of them runs on one worker while the other goes on with the parallel files.
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';

export const ALONE_PROJECT = 'alone';

/** `spread` placed evenly among the `host` items, the first before the first host item; both keep their order. */
export function spreadEvenly<T>(host: readonly T[], spread: readonly T[]): T[] {
  const out: T[] = [];
  let next = 0;
  host.forEach((item, index) => {
    while (next < spread.length && Math.floor((next * host.length) / spread.length) <= index) out.push(spread[next++] as T);
    out.push(item);
  });
  while (next < spread.length) out.push(spread[next++] as T);
  return out;
}

export default class SpreadSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const alone = sorted.filter((spec) => spec.project.name === ALONE_PROJECT);
    if (alone.length === 0) return sorted;
    const order = alone[0]?.project.config.sequence.groupOrder;
    const rest = sorted.filter((spec) => spec.project.name !== ALONE_PROJECT);
    const host = rest.filter((spec) => spec.project.config.sequence.groupOrder === order);
    const others = rest.filter((spec) => spec.project.config.sequence.groupOrder !== order);
    // The groups run in groupOrder whatever the list's order; this keeps the list in that order too.
    const before = others.filter((spec) => spec.project.config.sequence.groupOrder < (order ?? 0));
    const after = others.filter((spec) => spec.project.config.sequence.groupOrder > (order ?? 0));
    return [...before, ...spreadEvenly(host, alone), ...after];
  }
}
