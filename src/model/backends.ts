/**
 * Backend profiles: the deployment behind a client decides a level more often than the call does.
 * A Prisma transaction is one primary on one Postgres, consensus on CockroachDB, two-phase commit
 * across services; Redlock over one Redis is no quorum. `settings.coordination.backends` names the
 * profile per package; without one, deployment-dependent sites are reported at their lower bound.
 */
import type { PrimitiveKind } from './catalog-types.js';
import type { LevelId } from './ladder.js';

/** A deployment shape and the levels it gives each primitive kind. */
export interface BackendProfile {
  readonly id: BackendProfileName;
  readonly description: string;
  /** Levels this deployment sets; kinds it does not list keep their catalogue level. */
  readonly levels: Readonly<Partial<Record<PrimitiveKind, LevelId>>>;
  /** Keys live on different shards: multi-key commands across slots fail (Redis Cluster CROSSSLOT). */
  readonly cluster?: boolean;
}

/** Profile names accepted in `settings.coordination.backends`. */
export type BackendProfileName =
  | 'single-primary'
  | 'redis-single'
  | 'redis-cluster'
  | 'quorum'
  | 'consensus'
  | 'two-phase-commit'
  | 'byzantine';

/** Every profile, by name. */
export const BACKEND_PROFILES: Readonly<Record<BackendProfileName, BackendProfile>> = {
  'single-primary': {
    id: 'single-primary',
    description: 'One primary (Postgres, MySQL, MongoDB with w:1): writes, reads and transactions are L1.',
    levels: { 'remote-write': 1, 'remote-read': 1, transaction: 1, 'quorum-write': 1, 'replica-write': 1, sql: 1 },
  },
  'redis-single': {
    id: 'redis-single',
    description:
      'One Redis primary with async replicas: a lock is one SET NX on one node (Redlock over one Redis is no quorum), L1.',
    levels: { 'remote-write': 1, 'remote-read': 1, lock: 1 },
  },
  'redis-cluster': {
    id: 'redis-cluster',
    description: 'Redis Cluster: one primary per slot, L1; multi-key commands across slots fail (no MSET suggestion).',
    levels: { 'remote-write': 1, 'remote-read': 1 },
    cluster: true,
  },
  quorum: {
    id: 'quorum',
    description: 'Leaderless or majority-acknowledged replication (Cassandra, DynamoDB, MongoDB majority, Kafka acks=all): writes L2, and reads L2 (a read quorum, R of N, as W + R > N needs).',
    levels: { 'remote-write': 2, 'quorum-write': 2, 'replica-write': 2, transaction: 2, 'remote-read': 2 },
  },
  consensus: {
    id: 'consensus',
    description: 'A consensus-replicated database (CockroachDB, Spanner, YugabyteDB, TiDB, etcd): writes and transactions L3.',
    levels: { 'remote-write': 3, 'quorum-write': 3, 'replica-write': 3, transaction: 3, sql: 3, lock: 3 },
  },
  'two-phase-commit': {
    id: 'two-phase-commit',
    description: 'Transactions span several services or shards with an atomic commit (XA, sharded MongoDB): transactions L4.',
    levels: { transaction: 4 },
  },
  byzantine: {
    id: 'byzantine',
    description: 'Byzantine fault-tolerant agreement (PBFT, a blockchain): every write L5.',
    levels: { 'remote-write': 5, 'quorum-write': 5, 'replica-write': 5, 'consensus-write': 5, transaction: 5, lock: 5 },
  },
};

/** Every profile name, for schemas. */
export const BACKEND_PROFILE_NAMES = Object.keys(BACKEND_PROFILES) as BackendProfileName[];

/** The profile called `name`; throws with the valid names when there is none. */
export function backendProfile(name: string): BackendProfile {
  if (!Object.hasOwn(BACKEND_PROFILES, name)) {
    throw new Error(`unknown backend profile ${JSON.stringify(name)}; expected one of ${BACKEND_PROFILE_NAMES.join(', ')}`);
  }
  return BACKEND_PROFILES[name as BackendProfileName];
}
