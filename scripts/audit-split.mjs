// Real-code audit, round 2 (issue 17): a reproducible random split of the new services into a tuning
// half and a blind half, made before any of them is linted.
//
// Usage: node scripts/audit-split.mjs <seed> owner/name …
//        node scripts/audit-split.mjs <seed> --from fixtures/audit/repos.json --round 2
//
// The repository names are sorted (default JS order, by UTF-16 code unit), shuffled with a Fisher–Yates
// shuffle driven by mulberry32(seed), and the first half of the shuffled list is the tuning half, the
// rest the blind half (an odd count puts the extra one in the blind half). Prints
// {"seed", "method", "tuning": [...], "blind": [...]} as JSON, each half sorted. Same seed and
// same names, same split.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { mulberry32 } from './seeded-random.mjs';


export function split(repos, seed) {
  const sorted = [...new Set(repos)].sort();
  const random = mulberry32(seed);
  const shuffled = [...sorted];
  for (let i = shuffled.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
  }
  const half = Math.floor(shuffled.length / 2);
  return {
    seed,
    method: 'mulberry32(seed) driving a Fisher–Yates shuffle of the sorted names; first floor(n/2) = tuning',
    tuning: shuffled.slice(0, half).sort(),
    blind: shuffled.slice(half).sort(),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { from: { type: 'string' }, round: { type: 'string' } } });
  const seed = Number(positionals.shift());
  if (!Number.isInteger(seed) || seed < 0) {
    console.error('usage: node scripts/audit-split.mjs <seed> owner/name … | --from repos.json --round N');
    process.exit(2);
  }
  let repos = positionals;
  if (values.from) {
    const entries = JSON.parse(readFileSync(values.from, 'utf8'));
    repos = entries.filter((e) => values.round === undefined || String(e.round) === values.round).map((e) => e.repo);
  }
  console.log(JSON.stringify(split(repos, seed), null, 2));
}
