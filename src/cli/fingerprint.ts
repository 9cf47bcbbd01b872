/**
 * A site's fingerprint: what stays the same when code above it moves.
 */
import { createHash } from 'node:crypto';

/** The source of lines `line`…`endLine` (1-based), whitespace collapsed to single spaces. */
export function normalizedSource(lines: readonly string[], line: number, endLine: number): string {
  return lines
    .slice(Math.max(0, line - 1), Math.max(line, endLine))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Hash of the file path (relative, `/` separators), rule, messageId and the whitespace-collapsed source of
 * the reported lines: moving the lines, or re-indenting them, keeps it; editing them or renaming the file
 * changes it. 16 hex digits of SHA-256.
 *
 * @example
 * siteFingerprint('src/a.ts', 'coordination/no-global-lock', 'globalLock', "await redlock.acquire(['jobs'], 5000);")
 */
export function siteFingerprint(file: string, ruleId: string, messageId: string | null, source: string): string {
  return createHash('sha256')
    .update([file, ruleId, messageId ?? '', source].join('\n'))
    .digest('hex')
    .slice(0, 16);
}
