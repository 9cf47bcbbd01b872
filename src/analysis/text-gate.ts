/**
 * What the text gates share (`lock-text.ts`, `site-text.ts`, `clock-text.ts`): a search for words where a
 * name can start them, a search for any find of an expression, and the text they search: a file's code
 * between its comments, since what a comment says is no call's.
 */
import type { FileAnalysis } from './file-analysis.js';
import { fileValue } from './memo.js';
import { escapeRegExp } from '../util/regexp.js';

/** A gate's one test of a piece of code text. */
export interface TextGate {
  test(text: string): boolean;
}

/** Does `gate` find its text in the file's code (outside its comments)? */
export function gateOpensOn(gate: TextGate, analysis: FileAnalysis): boolean {
  for (const piece of codePieces(analysis)) if (gate.test(piece)) return true;
  return false;
}

/**
 * The file's text between its comments, in order: one piece for a file without comments. A quarter of
 * the bench corpus's text is comments (a third where no gate opens); the gates skip them instead of
 * searching them and passing over their finds. A comment starts with `/` and a line comment's line
 * break stays with the code, so a piece starts and ends where a word or a name does anyway: a gate
 * finds in the pieces what it found in the code of the whole text, and nothing that runs from code
 * into a comment, which no call's text does.
 */
function codePieces(analysis: FileAnalysis): readonly string[] {
  return piecesOfCode.get(analysis, () => {
    const { text } = analysis.sourceCode;
    const comments = analysis.sourceCode.getAllComments();
    if (comments.length === 0) return [text];
    const pieces: string[] = [];
    let at = 0;
    for (const { range } of comments) {
      if (range[0] > at) pieces.push(text.slice(at, range[0]));
      at = Math.max(at, range[1]);
    }
    if (at < text.length) pieces.push(text.slice(at));
    return pieces;
  });
}

const piecesOfCode = fileValue<readonly string[]>();

/**
 * A test for words where a name or SQL can start them, whatever their case: one search for the words
 * anywhere, then a look at each find. `splitWords` starts a word after a character that is no ASCII
 * letter or digit (the name's start, `_`, `$`, `.`, `-`) or at a capital (`withLock`, `XMLLock`); SQL
 * has a non-word character before its `lock`, which source may write as an escape (`'\\nLOCK TABLE'`).
 * `block`, `clock` and `unlock` start none; `Clock` is let through (a capital may start a word), as is
 * `MUTEXLOCK`: the gate only has to let every word through. One expression with lookbehinds for the
 * same test is several times slower: they defeat the engine's scan for a first character. `phrases`
 * are expression sources looked for the same way (a name of several words, written whole).
 */
export function wordStarts(words: ReadonlySet<string>, phrases: readonly string[] = []): (text: string) => boolean {
  const anywhere = new RegExp([...[...words].map(escapeRegExp), ...phrases].join('|'), 'gi');
  return (text) => {
    anywhere.lastIndex = 0;
    for (let found = anywhere.exec(text); found; found = anywhere.exec(text)) {
      const at = found.index;
      const first = text.charCodeAt(at);
      const starts = at === 0 || !isAsciiLetterOrDigit(text.charCodeAt(at - 1)) || isCapital(first) || !isAsciiLetterOrDigit(first) || text.charCodeAt(at - 2) === BACKSLASH;
      if (starts) return true;
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

/** Does global expression `pattern` find anything in `text`? */
export function finds(pattern: RegExp, text: string): boolean {
  pattern.lastIndex = 0;
  return pattern.test(text);
}
