import { describe, expect, it } from 'vitest';
import { onFirstUse } from '../../../electron/core/on-first-use.js';

describe('onFirstUse', () => {
  it('builds nothing until asked, then once, and returns the same value every time', () => {
    let builds = 0;
    const get = onFirstUse(() => {
      builds += 1;
      return { built: builds };
    });
    expect(builds).toBe(0);
    const first = get();
    expect(get()).toBe(first);
    expect(builds).toBe(1);
  });

  it('keeps a value that is undefined or null instead of building it again', () => {
    let builds = 0;
    const get = onFirstUse(() => {
      builds += 1;
      return undefined;
    });
    get();
    get();
    expect(builds).toBe(1);
  });

  it('builds again after a build that threw (nothing half-built is kept)', () => {
    let builds = 0;
    const get = onFirstUse(() => {
      builds += 1;
      if (builds === 1) throw new Error('first build fails');
      return builds;
    });
    expect(() => get()).toThrow('first build fails');
    expect(get()).toBe(2);
  });
});
