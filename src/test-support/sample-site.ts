/** A site record as no-global-lock builds it for `redlock.acquire(['jobs'])`: for codec and report tests. */
import { estimate } from '../model/cost.js';
import type { SiteRecord } from '../model/site.js';

export function redlockSite(wayOut: string): SiteRecord {
  return {
    rule: 'no-global-lock',
    messageId: 'globalLock',
    smell: 'lock on a constant key',
    primitive: { kind: 'lock', operation: 'redlock.acquire', package: 'redlock', via: 'import' },
    path: ['redlock.acquire()'],
    level: 3,
    atLeast: false,
    multipliers: [{ kind: 'constant-lock-key' }],
    price: estimate({ level: 3, atLeast: false, multipliers: [{ kind: 'constant-lock-key' }] }),
    wayOut,
    typed: false,
  };
}
