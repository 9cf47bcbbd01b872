/**
 * Defaults of rule options that are lists. A rule's `meta.defaultOptions` reads them from here, so
 * that rule files hold no word lists; the docs show them through the rules' metadata.
 */

/**
 * `no-global-lock` `allowKeys`: keys that name a once-per-cluster duty, where a constant key is the
 * point. Matched against the key's value and the names written in it (`CRON_LOCK`, `LockKey.NightlyInvoices`).
 */
export const DEFAULT_ALLOW_KEYS: readonly string[] = [
  '(^|[^a-z])(cron|crons|schedul\\w*|job|jobs|migrat\\w*|leader|election|elect|bootstrap|boot|startup|seed|seeding|singleton|daemon|maintenance|sweep\\w*|purge|backup|heartbeat|nightly|hourly|daily|weekly|periodic|backfill\\w*|rollup|cleanup|prune|housekeeping|reindex\\w*|compaction)([^a-z]|$)',
];

/** `no-wall-clock-ordering` `versionFields`: field names that hold an order or version. */
export const DEFAULT_VERSION_FIELDS: readonly string[] = ['seq', 'sequence', 'version', 'rev', 'revision', 'order', 'lamport', 'clock', 'generation', 'epoch'];

/** `no-wall-clock-ordering` `timestampFields`: field names that hold a timestamp. */
export const DEFAULT_TIMESTAMP_FIELDS: readonly string[] = [
  'ts',
  'timestamp',
  'time',
  'updatedAt',
  'updated_at',
  'modifiedAt',
  'modified_at',
  'createdAt',
  'created_at',
  'lastModified',
  'last_modified',
  'mtime',
];
