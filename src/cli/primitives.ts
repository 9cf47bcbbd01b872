/**
 * Human names for the primitive each `messageId` reports. The messageId is the machine name (it is in
 * the JSON report too); this is the table's PRIMITIVE column.
 */
const PRIMITIVES: Readonly<Record<string, string>> = {
  // no-coordination-in-loop
  perItemWrite: 'write per item',
  perItemQuorumWrite: 'quorum write per item',
  perItemReplicaWrite: 'replicated write per item',
  perItemConsensusWrite: 'consensus write per item',
  perItemTransaction: 'transaction per item',
  perItemLock: 'lock per item',
  // no-global-lock
  globalLock: 'lock on a constant key',
  tableLock: 'table lock',
  processLock: 'process-wide lock',
  // no-sync-fan-out
  fanOutAwaitAll: 'fan-out, waits for all',
  fanOutSequential: 'fan-out, one by one',
  // no-wall-clock-ordering
  clockAsVersion: 'wall clock as version',
  lastWriteWins: 'last write wins by clock',
  clockOrderedReplay: 'replay in clock order',
  remoteClockTakeover: 'takeover by remote clock',
};

/**
 * The primitive a messageId names: `globalLock` → `lock on a constant key`. A messageId of a rule this
 * table does not know yet reads as its words: `perItemPublish` → `per item publish`.
 */
export function primitiveName(messageId: string | undefined): string {
  if (messageId === undefined) return 'unknown';
  return PRIMITIVES[messageId] ?? messageId.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}
