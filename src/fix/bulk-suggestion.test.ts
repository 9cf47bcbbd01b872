// The batching rewrites of issue 24's clients (drizzle, BullMQ), in both modes; the syntactic tester
// also holds every output to suggestion safety (it parses and type-checks against the real packages).
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import { describe } from 'vitest';
import rule, { type MessageIds, type Options } from '../../rules/no-coordination-in-loop.js';
import { modes } from '../test-support/rule-tester.js';

const drizzle = `import { drizzle } from 'drizzle-orm/node-postgres';
import { pgTable, text } from 'drizzle-orm/pg-core';
const db = drizzle(process.env.DATABASE_URL!);
const events = pgTable('events', { id: text('id').primaryKey(), kind: text('kind') });
`;
const bullmq = `import { Queue } from 'bullmq';
const mail = new Queue('mail');
`;

const DRIZZLE_NOTE = 'one INSERT for every row; one failing row fails the statement, where the loop kept the rows before it';

const valid: ValidTestCase<Options>[] = [];

const invalid: InvalidTestCase<MessageIds, Options>[] = [
  {
    code: `${drizzle}export async function record(batch: { id: string }[]) {
  for (const event of batch) {
    await db.insert(events).values({ id: event.id, kind: 'seen' });
  }
}`,
    errors: [
      {
        messageId: 'perItemWrite',
        line: 7,
        suggestions: [
          {
            messageId: 'suggestBulk',
            data: { bulk: 'values(rows)', note: DRIZZLE_NOTE },
            output: `${drizzle}export async function record(batch: { id: string }[]) {
  {
    const rows = Array.from(batch, (event) => ({ id: event.id, kind: 'seen' }));
    if (rows.length > 0) await db.insert(events).values(rows);
  }
}`,
          },
        ],
      },
    ],
  },
  {
    // the item itself is the row; a local named rows is kept apart
    code: `${drizzle}export async function record(rows: { id: string; kind: string }[]) {
  for (const row of rows) await db.insert(events).values(row);
}`,
    errors: [
      {
        messageId: 'perItemWrite',
        line: 6,
        suggestions: [
          {
            messageId: 'suggestBulk',
            data: { bulk: 'values(rows)', note: DRIZZLE_NOTE },
            output: `${drizzle}export async function record(rows: { id: string; kind: string }[]) {
  {
    const rows2 = Array.from(rows);
    if (rows2.length > 0) await db.insert(events).values(rows2);
  }
}`,
          },
        ],
      },
    ],
  },
  {
    // returning() after values(): each row's result is used, so no rewrite
    code: `${drizzle}export async function record(rows: { id: string; kind: string }[]) {
  for (const row of rows) await db.insert(events).values(row).returning();
}`,
    errors: [{ messageId: 'perItemWrite', line: 6, suggestions: [] }],
  },
  {
    code: `${bullmq}export async function notify(users: { id: string; email: string }[]) {
  for (const user of users) {
    await mail.add('welcome', { to: user.email }, { jobId: user.id, attempts: 3 });
  }
}`,
    errors: [
      {
        messageId: 'perItemWrite',
        line: 5,
        suggestions: [
          {
            messageId: 'suggestBulk',
            data: { bulk: 'addBulk', note: 'one round trip adds every job, all or none, in the same order' },
            output: `${bullmq}export async function notify(users: { id: string; email: string }[]) {
  await mail.addBulk(Array.from(users, (user) => ({ name: 'welcome', data: { to: user.email }, opts: { jobId: user.id, attempts: 3 } })));
}`,
          },
        ],
      },
    ],
  },
  {
    // a repeatable job has no bulk form; options the file cannot see are not rewritten either
    code: `${bullmq}export async function schedule(users: { id: string }[], opts: object) {
  for (const user of users) await mail.add('digest', { user: user.id }, { repeat: { pattern: '0 8 * * *' } });
  for (const user of users) await mail.add('digest', { user: user.id }, opts);
}`,
    errors: [
      { messageId: 'perItemWrite', line: 4, suggestions: [] },
      { messageId: 'perItemWrite', line: 5, suggestions: [] },
    ],
  },
];

describe.each(modes)('bulk suggestions for drizzle and BullMQ (%s)', (_, tester) => {
  tester().run('no-coordination-in-loop', rule, { valid, invalid });
});
