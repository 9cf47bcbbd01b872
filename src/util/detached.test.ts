import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { detached } from './detached.js';

/**
 * The heap (MB, after a full collection) of a fresh process that cuts a long name from a 64 MB text,
 * keeps what `keep` makes of it as a map key and drops the text.
 */
function heapAfterKeeping(keep: string): number {
  const program = `
    const detached = ${detached.toString()};
    const keep = ${keep};
    // In a function of its own: the text is then held by nothing once it returns.
    function cacheName() {
      const text = 'x'.repeat(64 * 1024 * 1024) + ' const aLongIdentifierName = 1;';
      return new Map([[keep(text.slice(text.indexOf('aLong'), text.indexOf(' = 1'))), true]]);
    }
    const cache = cacheName();
    globalThis.gc();
    if ([...cache.keys()][0] !== 'aLongIdentifierName') throw new Error('not the same name');
    process.stdout.write(String(process.memoryUsage().heapUsed / 1048576));
  `;
  return Number(execFileSync(process.execPath, ['--expose-gc', '-e', program], { encoding: 'utf8' }));
}

describe('detached', () => {
  it('is equal to the text it copies, short or long', () => {
    for (const text of ['', 'id', 'twelve chars', 'thirteen char', 'aVeryLongIdentifierName$2']) expect(detached(text)).toBe(text);
  });

  it('keeps no reference to the longer text a name was cut from', () => {
    // The plain cut keeps the whole text alive (V8 cuts 13 characters or more as a view); the copy does not.
    expect(heapAfterKeeping('(name) => name')).toBeGreaterThan(64);
    expect(heapAfterKeeping('detached')).toBeLessThan(16);
  });
});
