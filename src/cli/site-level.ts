/**
 * Reads a site's ladder level back from a rule message. ESLint's `LintMessage` carries no `data`,
 * so every rule message states its level as `L<n>` (or `at least L<n>`); see design.md.
 */
import { type LevelId, parseLevel } from '../model/ladder.js';

/** `L3` or `at least L1` as written in the message, or `undefined` when it names no level. */
export function siteLevelFromMessage(message: string): string | undefined {
  const match = /\b(at least )?(L[0-5])\b/.exec(message);
  return match ? `${match[1] ?? ''}${match[2]}` : undefined;
}

/** The level id in a message, or `undefined`. */
export function levelIdFromMessage(message: string): LevelId | undefined {
  const match = /\bL([0-5])\b/.exec(message);
  return match ? parseLevel(match[1]!) : undefined;
}
