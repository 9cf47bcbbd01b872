/**
 * A copy of `text` that shares no memory with a longer string it was cut from. V8 keeps a cut of 13
 * characters or more (a name from the parser, `sourceCode.getText(node)`) as a view into the string it
 * was cut from: a cache that keeps such a name as a key keeps the whole text of its file alive, for as
 * long as the process runs (an editor's ESLint process, for days). Caches that outlive a file copy
 * their keys with this; a copy of a short string costs nothing V8 does not do anyway.
 */
export function detached(text: string): string {
  // A concatenation is flattened into a new string when it is sliced: the slice views that copy only.
  return text.length < 13 ? text : ` ${text}`.slice(1);
}
