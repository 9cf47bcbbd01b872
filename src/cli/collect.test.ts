import type { ESLint, Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import { DEFAULT_COST_MODEL } from '../model/cost.js';
import { collectReport } from './collect.js';

const lock =
  "redlock.acquire() locks 'jobs', the same key for every caller (L3 (consensus): 6 messages and 2 round trips (~200 ms) per operation, every caller in the cluster waits on this one key, ~$0.20 per operation). Key the lock by the job.";

function message(partial: Partial<Linter.LintMessage>): Linter.LintMessage {
  return { ruleId: null, message: '', line: 1, column: 1, severity: 2, ...partial } as Linter.LintMessage;
}

function result(filePath: string, messages: Linter.LintMessage[]): ESLint.LintResult {
  return { filePath, messages } as ESLint.LintResult;
}

const model = { participants: 3, ...DEFAULT_COST_MODEL };

describe('collectReport', () => {
  it('turns coordination messages into sites, parse errors into errors, and notes what it leaves out', async () => {
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
          message({ ruleId: 'coordination/future-rule', messageId: 'somethingNew', message: 'States no level.' }),
        ]),
        result('/repo/src/b.ts', [message({ fatal: true, message: 'Parsing error: Unexpected token', line: 4, column: 2 })]),
        result('/repo/README.md', [message({ severity: 1, message: 'File ignored because no matching configuration was supplied.' })]),
      ],
      {
        cwd: '/repo',
        version: '9.9.9',
        notes: ['from the run'],
        factsFor: () => Promise.resolve({ model, typed: true }),
        readSource: () => Promise.resolve('\uFEFFline one\n  await   redlock.acquire(["jobs"],\r\n    5000);\n'),
        fallbackModel: model,
      },
    );
    expect(data.files).toEqual(['src/a.ts', 'src/b.ts']);
    expect(data.errors).toEqual([{ file: 'src/b.ts', line: 4, column: 2, message: 'Parsing error: Unexpected token' }]);
    expect(data.notes).toEqual([
      'from the run',
      'README.md: File ignored because no matching configuration was supplied',
      '1 coordination message stated no ladder level and is not in the report',
    ]);
    expect(data.model).toEqual(model);
    expect(data.sites).toHaveLength(1);
    expect(data.sites[0]).toMatchObject({
      file: 'src/a.ts',
      line: 2,
      endLine: 3,
      ruleId: 'coordination/no-global-lock',
      messageId: 'globalLock',
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
});
