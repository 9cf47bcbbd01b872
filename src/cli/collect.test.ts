import type { ESLint, Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import { DEFAULT_COST_MODEL } from '../model/cost.js';
import { SITE_CODEC_VERSION, encodeSiteRecord, renderSite } from '../model/site.js';
import { redlockSite } from '../test-support/sample-site.js';
import { collectReport } from './collect.js';

// Typed in the record: the report reads the analysis's decision, not the config's parser options.
const record = { ...redlockSite('Key the lock by the job.'), typed: true };
const english = `redlock.acquire() locks 'jobs', the same key for every caller (${renderSite(record).price}). ${record.wayOut}`;
const lock = `${english}${encodeSiteRecord(record)}`;

function message(partial: Partial<Linter.LintMessage>): Linter.LintMessage {
  return { ruleId: null, message: '', line: 1, column: 1, severity: 2, ...partial } as Linter.LintMessage;
}

function result(filePath: string, messages: Linter.LintMessage[]): ESLint.LintResult {
  return { filePath, messages } as ESLint.LintResult;
}

const model = { participants: 3, ...DEFAULT_COST_MODEL };

describe('collectReport', () => {
  it('turns coordination messages into sites from their records, parse errors into errors, and notes ignored files', async () => {
    const data = await collectReport(
      [
        result('/repo/src/a.ts', [
          message({
            ruleId: 'coordination/no-global-lock',
            messageId: 'globalLock',
            message: lock,
            line: 2,
            column: 9,
            endLine: 3,
            endColumn: 5,
            suggestions: [{ desc: 'Key the lock by jobId.', fix: { range: [0, 0], text: '' } }],
          }),
          message({ ruleId: 'no-console', message: 'Unexpected console statement.' }),
        ]),
        result('/repo/src/b.ts', [message({ fatal: true, message: 'Parsing error: Unexpected token', line: 4, column: 2 })]),
        result('/repo/README.md', [message({ severity: 1, message: 'File ignored because no matching configuration was supplied.' })]),
      ],
      {
        cwd: '/repo',
        version: '9.9.9',
        notes: ['from the run'],
        factsFor: () => Promise.resolve({ model }),
        readSource: () => Promise.resolve('\uFEFFline one\n  await   redlock.acquire(["jobs"],\r\n    5000);\n'),
        fallbackModel: model,
      },
    );
    expect(data.files).toEqual(['src/a.ts', 'src/b.ts']);
    expect(data.errors).toEqual([{ file: 'src/b.ts', line: 4, column: 2, message: 'Parsing error: Unexpected token' }]);
    expect(data.notes).toEqual([
      'from the run',
      'README.md: File ignored because no matching configuration was supplied',
    ]);
    expect(data.model).toEqual(model);
    expect(data.sites).toHaveLength(1);
    expect(data.sites[0]).toMatchObject({
      file: 'src/a.ts',
      line: 2,
      endLine: 3,
      ruleId: 'coordination/no-global-lock',
      messageId: 'globalLock',
      message: english,
      primitive: 'lock on a constant key',
      level: 'L3',
      levelName: 'consensus',
      atLeast: false,
      typed: true,
      advice: 'Key the lock by the job.',
      suggestions: ['Key the lock by jobId.'],
      price: { messages: 6, roundTrips: 2, latencyMs: 200, usdPerOperation: 0.20006, usdPerMillion: 200_060, serialises: 'cluster', exact: true },
    });
    expect(data.sites[0]!.fingerprint).toMatch(/^[0-9a-f]{16}$/);
  });

  const options = {
    cwd: '/repo',
    version: '9.9.9',
    notes: [],
    factsFor: () => Promise.resolve({ model }),
    readSource: () => Promise.resolve('x\n'),
    fallbackModel: model,
  };

  it('stops with one line naming the site when a message carries no record (a stale cache, another build)', async () => {
    const stale = message({ ruleId: 'coordination/no-global-lock', messageId: 'globalLock', message: english, line: 7, column: 3 });
    const run = collectReport([result('/repo/src/a.ts', [stale])], options);
    await expect(run).rejects.toThrow(/^src\/a\.ts:7:3: coordination\/no-global-lock reported no site record: .*--cache/);
  });

  it('stops with one line when a record has a codec version this build does not read', async () => {
    const future = message({ ruleId: 'coordination/no-global-lock', messageId: 'globalLock', message: `${english}\ncoordination-site/${SITE_CODEC_VERSION + 1} {}` });
    await expect(collectReport([result('/repo/src/a.ts', [future])], options)).rejects.toThrow(
      /reported a site record of codec version 4, but this build reads version 3/,
    );
  });
});
