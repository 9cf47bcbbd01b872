import { describe, expect, it } from 'vitest';
import { levelIdFromMessage, siteLevelFromMessage } from './site-level.js';

describe('siteLevelFromMessage', () => {
  it('reads the level a rule message states', () => {
    expect(siteLevelFromMessage("Lock on constant key 'jobs' (L3 (consensus): 6 messages …).")).toBe('L3');
    expect(siteLevelFromMessage('Per-item write (at least L1 (one store, no agreement): …).')).toBe('at least L1');
    expect(levelIdFromMessage('… at least L2 …')).toBe(2);
  });

  it('returns undefined for messages without a level', () => {
    expect(siteLevelFromMessage('Parsing error: Unexpected token')).toBeUndefined();
    expect(siteLevelFromMessage('HTML5 and L10n')).toBeUndefined();
    expect(levelIdFromMessage('no level')).toBeUndefined();
  });
});
