// docs/ladder.md explains every package of the catalogue and every backend profile; this keeps it
// from drifting when the catalogue grows.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BACKEND_PROFILE_NAMES } from './model/backends.js';
import { CLIENTS } from './model/catalog-data.js';
import { LADDER } from './model/ladder.js';

const ladder = readFileSync(new URL('../docs/ladder.md', import.meta.url), 'utf8');
const headings = ladder.split('\n').filter((line) => line.startsWith('#'));

describe('docs/ladder.md', () => {
  it.each([...new Set(CLIENTS.flatMap((client) => client.packages ?? []))])('has a section naming %s', (pkg) => {
    expect(headings.some((heading) => heading.includes(pkg))).toBe(true);
  });

  it.each(BACKEND_PROFILE_NAMES)('explains the backend profile %s', (profile) => {
    expect(ladder).toContain(`\`${profile}\``);
  });

  it.each(LADDER.map((level) => level.code))('describes level %s', (code) => {
    expect(ladder).toContain(code);
  });
});
