import { describe, expect, it } from 'vitest';
import { Progress, wantsProgress } from './progress.js';

describe('Progress', () => {
  it('draws nothing in the first second, then at most every 100 ms, and erases its line', () => {
    let now = 0;
    const out: string[] = [];
    const progress = new Progress({ write: (text) => out.push(text) > 0 }, () => now);
    progress.update(1, 10, 0);
    now = 1000;
    progress.update(2, 10, 3);
    now = 1050;
    progress.update(3, 10, 4);
    now = 1060;
    progress.update(10, 10, 1234);
    progress.end();
    expect(out).toEqual([
      '\r\u001B[2Kcoordination-ladder: 2/10 files linted, 3 sites so far',
      '\r\u001B[2Kcoordination-ladder: 10/10 files linted, 1,234 sites so far',
      '\r\u001B[2K',
    ]);
  });

  it('is on by default only for the table on a terminal outside CI', () => {
    expect(wantsProgress({ isTTY: true }, {}, 'table')).toBe(true);
    expect(wantsProgress({ isTTY: true }, { CI: 'true' }, 'table')).toBe(false);
    expect(wantsProgress({ isTTY: true }, {}, 'json')).toBe(false);
    expect(wantsProgress({}, {}, 'table')).toBe(false);
  });
});
