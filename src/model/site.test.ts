import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PRIMITIVE_KINDS } from './catalog-types.js';
import { type Multiplier, estimate } from './cost.js';
import { LEVEL_IDS } from './ladder.js';
import { redlockSite } from '../test-support/sample-site.js';
import { SITE_CODEC_VERSION, SiteCodecError, type SiteRecord, decodeSiteRecord, encodeSiteRecord, renderSite } from './site.js';

const multiplier: fc.Arbitrary<Multiplier> = fc.oneof(
  fc.record(
    { kind: fc.constant('loop' as const), mode: fc.constantFrom('sequential' as const, 'parallel' as const, 'floating' as const), iterations: fc.integer({ min: 1, max: 1000 }) },
    { requiredKeys: ['kind', 'mode'] },
  ),
  fc.record({ kind: fc.constant('fan-out' as const), mode: fc.constantFrom('sequential' as const, 'parallel' as const), targets: fc.integer({ min: 1, max: 50 }) }, { requiredKeys: ['kind', 'mode'] }),
  fc.constant({ kind: 'constant-lock-key' as const }),
  fc.constant({ kind: 'process-lock' as const }),
);

const record: fc.Arbitrary<SiteRecord> = fc
  .record({
    rule: fc.string(),
    messageId: fc.string(),
    smell: fc.string(),
    primitive: fc.record({
      kind: fc.constantFrom(...PRIMITIVE_KINDS),
      operation: fc.option(fc.string(), { nil: null }),
      package: fc.option(fc.string(), { nil: null }),
      via: fc.constantFrom('import' as const, 'type' as const, 'name' as const, null),
    }),
    // Any text, newlines and the codec's own mark included: the record is the last thing in a message.
    path: fc.array(fc.oneof(fc.string(), fc.constant('\ncoordination-site/1 {}'))),
    level: fc.constantFrom(...LEVEL_IDS),
    atLeast: fc.boolean(),
    multipliers: fc.array(multiplier, { maxLength: 3 }),
    priced: fc.boolean(),
    participants: fc.integer({ min: 1, max: 99 }),
    wayOut: fc.string(),
    typed: fc.boolean(),
  })
  .map(({ priced, participants, ...rest }) => ({
    ...rest,
    price: priced ? estimate({ level: rest.level, atLeast: rest.atLeast, multipliers: rest.multipliers }, undefined, participants) : null,
  }));

describe('site codec', () => {
  it('decodes what it encodes, after any English, and gives the English back unchanged', () => {
    fc.assert(
      fc.property(record, fc.string(), (site, english) => {
        const decoded = decodeSiteRecord(`${english}${encodeSiteRecord(site)}`);
        expect(decoded.record).toEqual(site);
        expect(decoded.text).toBe(english);
      }),
    );
  });

  it('leaves a message without a record as it is', () => {
    expect(decodeSiteRecord('plain text (L3 (consensus): 6 messages …)')).toEqual({ text: 'plain text (L3 (consensus): 6 messages …)', record: undefined });
  });

  it('refuses a record of another version, broken JSON, or missing fields, with a sentence that says which', () => {
    expect(() => decodeSiteRecord(`x\ncoordination-site/${SITE_CODEC_VERSION + 1} {}`)).toThrow(SiteCodecError);
    expect(() => decodeSiteRecord(`x\ncoordination-site/${SITE_CODEC_VERSION + 1} {}`)).toThrow(/codec version 4, but this build reads version 3/);
    expect(() => decodeSiteRecord(`x\ncoordination-site/${SITE_CODEC_VERSION} {not json`)).toThrow(/not valid JSON/);
    expect(() => decodeSiteRecord(`x\ncoordination-site/${SITE_CODEC_VERSION} {"rule":"r"}`)).toThrow(/without the fields/);
  });

  it('renders the price fragment from the estimate, or the level alone for an unpriced site', () => {
    const priced = redlockSite('Key the lock by the entity.');
    expect(renderSite(priced)).toEqual({
      price: 'L3 (consensus): 6 messages and 2 round trips (~200 ms) per operation, every caller in the cluster waits on this one key, ~$0.20 per operation',
      level: 'L3',
      advice: 'Key the lock by the entity.',
    });
    expect(renderSite({ ...priced, level: 1, atLeast: true, price: null }).price).toBe('at least L1');
  });
});
