/**
 * What the text gates share (`lock-text.ts`, `site-text.ts`): a search for words where a name can start
 * them, a search that passes over finds that do not count, and the finds that do not: those in comments.
 */
import type { TSESLint } from '@typescript-eslint/utils';
import { escapeRegExp } from '../util/regexp.js';

/** A gate's one test of a file's text; `skip` says which finds do not count (those inside a comment). */
export interface TextGate {
  test(text: string, skip?: (index: number) => boolean): boolean;
}

/**
 * A test for words where a name or SQL can start them, whatever their case: one search for the words
 * anywhere, then a look at each find. `splitWords` starts a word after a character that is no ASCII
 * letter or digit (the name's start, `_`, `$`, `.`, `-`) or at a capital (`withLock`, `XMLLock`); SQL
 * has a non-word character before its `lock`, which source may write as an escape (`'\\nLOCK TABLE'`).
 * `block`, `clock` and `unlock` start none; `Clock` is let through (a capital may start a word), as is
 * `MUTEXLOCK`: the gate only has to let every word through. One expression with lookbehinds for the
 * same test is several times slower: they defeat the engine's scan for a first character.
 */
export function wordStarts(words: ReadonlySet<string>): (text: string, skip?: (index: number) => boolean) => boolean {
  const anywhere = new RegExp([...words].map(escapeRegExp).join('|'), 'gi');
  return (text, skip) => {
    anywhere.lastIndex = 0;
    for (let found = anywhere.exec(text); found; found = anywhere.exec(text)) {
      const at = found.index;
      const first = text.charCodeAt(at);
      const starts = at === 0 || !isAsciiLetterOrDigit(text.charCodeAt(at - 1)) || isCapital(first) || !isAsciiLetterOrDigit(first) || text.charCodeAt(at - 2) === BACKSLASH;
      if (starts && !skip?.(at)) return true;
      anywhere.lastIndex = at + 1; // a word may start inside a find that started nowhere
    }
    return false;
  };
}

const BACKSLASH = 0x5c;

function isAsciiLetterOrDigit(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

function isCapital(code: number): boolean {
  return code >= 0x41 && code <= 0x5a;
}

/** Does global expression `pattern` find something in `text` that `skip` lets count? */
export function findsOutside(pattern: RegExp, text: string, skip: ((index: number) => boolean) | undefined): boolean {
  pattern.lastIndex = 0;
  for (let found = pattern.exec(text); found; found = pattern.exec(text)) {
    if (!skip?.(found.index)) return true;
    pattern.lastIndex = found.index + 1;
  }
  return false;
}

/**
 * The finds of a file that do not count: those inside a comment (a doc comment's `` `with the value` ``,
 * a note on a lock); undefined for a file without comments.
 */
export function commentSkip(sourceCode: Readonly<TSESLint.SourceCode>): ((index: number) => boolean) | undefined {
  const comments = sourceCode.getAllComments();
  return comments.length === 0 ? undefined : (index) => inComment(comments, index);
}

/** Is `index` inside one of the comments (sorted by position, as ESLint gives them)? */
function inComment(comments: readonly { readonly range: readonly [number, number] }[], index: number): boolean {
  let low = 0;
  let high = comments.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const [start, end] = comments[middle]!.range;
    if (index < start) high = middle - 1;
    else if (index >= end) low = middle + 1;
    else return true;
  }
  return false;
}
