/**
 * Default vocabulary for synchronous fan-out: the words real replication, federation, P2P and cache
 * code uses for a collection of copies or endpoints, and the verbs that write to them. Both lists are
 * data; `settings.coordination.fanOut` replaces either one.
 */

/**
 * Words that name copies or endpoints. An identifier matches when one of its words is the word, its
 * plural, or the word followed by a short suffix (`replicaA`, `region2`): `replicas`, `peerNodes`,
 * `secondaryCaches`.
 */
export const DEFAULT_FAN_OUT_TARGETS: readonly string[] = [
  'replica',
  'node',
  'peer',
  'region',
  'shard',
  'follower',
  'member',
  'server',
  'datacenter',
  'dc',
  'zone',
  'relay',
  'broker',
  'backend',
  'upstream',
  'cache',
  'store',
  'mirror',
  'subscriber',
  'endpoint',
  'instance',
  'host',
  'target',
  'destination',
  'inbox',
];

/**
 * Verbs that write. `name*` matches any method that starts with the verb (`insertOne`, `pushAll`);
 * other entries match the whole method name. Reads never count.
 */
export const DEFAULT_FAN_OUT_WRITE_VERBS: readonly string[] = [
  'put',
  'set',
  'save',
  'write',
  'store',
  'persist',
  'upsert',
  'insert*',
  'update*',
  'delete',
  'del',
  'remove',
  'invalidate',
  'append',
  'commit',
  'replicate',
  'push*',
  'publish*',
  'broadcast*',
  'send*',
  'post',
  'upload*',
];
