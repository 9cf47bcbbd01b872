/**
 * Identifier words, for the name fallback and for vocabularies such as fan-out targets.
 */

import { detached } from '../util/detached.js';

/**
 * Splits an identifier into lower-case words at case changes, digits, `_`, `-`, `$` and `.`.
 *
 * @example
 * splitWords('PrismaService') // ['prisma', 'service']
 * splitWords('redisClient2') // ['redis', 'client', '2']
 * splitWords('DDBClient') // ['ddb', 'client']
 */
export function splitWords(identifier: string): readonly string[] {
  let words = wordCache.get(identifier);
  if (!words) {
    if (wordCache.size > 20_000) wordCache.clear(); // identifiers repeat; a bound keeps memory flat
    // Its words too: a long word split from a name that needed no change is a cut of the same text.
    words = split(identifier).map(detached);
    wordCache.set(detached(identifier), words);
  }
  return words;
}

// Rules ask for the same identifiers over and over (every receiver, every hint): split each once.
const wordCache = new Map<string, readonly string[]>();

function split(identifier: string): readonly string[] {
  return identifier
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([A-Za-z])(\d)/g, '$1 $2')
    .split(/[\s_\-$.]+/)
    .filter(Boolean)
    .map((word) => word.toLowerCase());
}

/**
 * True when the words of `phrase` (itself an identifier such as `AsyncLock`) appear consecutively in
 * `identifier`.
 *
 * @example
 * containsWords('orderRedisClient', 'Redis') // true
 * containsWords('mongoose', 'Mongo') // false: a word must match whole
 * containsWords('myAsyncLock', 'AsyncLock') // true
 */
export function containsWords(identifier: string, phrase: string): boolean {
  const words = splitWords(identifier);
  const wanted = splitWords(phrase);
  if (wanted.length === 0) return false;
  outer: for (let start = 0; start + wanted.length <= words.length; start++) {
    for (let offset = 0; offset < wanted.length; offset++) {
      if (words[start + offset] !== wanted[offset]) continue outer;
    }
    return true;
  }
  return false;
}

/** The identifier words of a source text: `[existing ?? incoming]` → `existing`, `incoming`. */
export function textWords(text: string): string[] {
  return text.split(/[^A-Za-z0-9_$]+/).flatMap((part) => splitWords(part));
}
