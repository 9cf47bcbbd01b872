/**
 * The coordination cost ladder: six levels of agreement, each with the shape of its price.
 *
 * Figures come from the seed documents (`shared/seeds/`): 2PC costs 3N messages and 3 sequential
 * round trips, Raft/Paxos 2N messages and 2 round trips in steady state (N² on a leader change),
 * leaderless quorums W+R messages and one round trip to the W-th fastest replica, gossip O(log N)
 * background rounds, Byzantine agreement O(N²) messages over 3+ rounds.
 */

/** A ladder level, 0 (no coordination) to 5 (Byzantine agreement). */
export type LevelId = 0 | 1 | 2 | 3 | 4 | 5;

/** Every level id, cheapest first. */
export const LEVEL_IDS: readonly LevelId[] = [0, 1, 2, 3, 4, 5];

/** Quorum sizes for an L2 site. `w` defaults to a majority of N, `r` to 0 (a write that does not read). */
export interface QuorumSize {
  readonly w?: number;
  readonly r?: number;
}

/** Options that change how one operation at a level is priced. */
export interface OperationShape extends QuorumSize {
  /**
   * The caller does not wait for the reply (fire-and-forget, async replication, gossip).
   * Only meaningful at L1: agreement at L2 and above is waited for by definition.
   */
  readonly async?: boolean;
  /**
   * An L2 operation that waits for every one of the N replicas (Cassandra's ALL): W = N, and the
   * operation is as slow as the slowest replica.
   */
  readonly all?: boolean;
}

/** One rung of the ladder: its name, examples and the formulas that price one operation. */
export interface LadderLevel {
  readonly id: LevelId;
  /** `L0` … `L5`, the label every message and report uses. */
  readonly code: `L${LevelId}`;
  readonly name: string;
  readonly examples: readonly string[];
  /** Messages per operation as a formula of N (for docs and messages). */
  readonly messagesFormula: string;
  /** Sequential round trips per waited operation. */
  readonly roundTrips: number;
  /** Where the number comes from. */
  readonly source: string;
}

/** The ladder, indexed by level id. */
export const LADDER: readonly LadderLevel[] = [
  {
    id: 0,
    code: 'L0',
    name: 'none',
    examples: ['immutable data', 'CRDT merge', 'sharded or process-local state', 'embedded database'],
    messagesFormula: '0',
    roundTrips: 0,
    source: 'CRDTs: $0 coordination, O(1) merge (seed 000, "Coordination Elimination")',
  },
  {
    id: 1,
    code: 'L1',
    name: 'one store, no agreement',
    examples: [
      'a waited call to one primary (Postgres, Redis, a MongoDB primary with w:1)',
      'fire-and-forget, async replication',
      'gossip (O(log N) background rounds)',
    ],
    messagesFormula: '2 (request and reply); 1 when not waited',
    roundTrips: 1,
    source: 'one request/reply pair; gossip O(log N) rounds (seed 000, "Gossip Protocol")',
  },
  {
    id: 2,
    code: 'L2',
    name: 'quorum',
    examples: ['Dynamo/Cassandra W+R>N', 'MongoDB write concern majority', 'Kafka acks=all'],
    messagesFormula: 'W + R',
    roundTrips: 1,
    source: 'Leaderless quorum: W+R messages (seed 000); quorum read/write: 1 RTT (seed 001, "The Spectrum of Coordination")',
  },
  {
    id: 3,
    code: 'L3',
    name: 'consensus',
    examples: ['Raft/Paxos/ZAB: etcd, ZooKeeper, Consul', 'store-backed locks (Redis SET NX, Redlock, advisory locks)'],
    messagesFormula: '2N (N² on a leader change)',
    roundTrips: 2,
    source: 'Paxos/Raft: 2N messages, 2 round trips in steady state (seed 000, "Paxos/Raft Costs")',
  },
  {
    id: 4,
    code: 'L4',
    name: 'distributed transaction',
    examples: ['two-phase commit, XA', 'cross-service atomic commit', 'Kafka transactions'],
    messagesFormula: '3N',
    roundTrips: 3,
    source: '2PC: 3N messages (prepare, vote, commit), 3 sequential rounds (seed 000, "2-Phase Commit Costs")',
  },
  {
    id: 5,
    code: 'L5',
    name: 'Byzantine agreement',
    examples: ['PBFT', 'blockchain consensus'],
    messagesFormula: 'N²',
    roundTrips: 3,
    source: 'PBFT: O(N²) messages, 3+ rounds (seed 001, "The True Cost of Consensus")',
  },
];

/** The ladder entry of a level. */
export function ladderLevel(level: LevelId): LadderLevel {
  // LADDER is indexed by id, so the lookup cannot miss for a LevelId.
  return LADDER[level]!;
}

/** `L0` … `L5`. */
export function levelCode(level: LevelId): `L${LevelId}` {
  return `L${level}`;
}

/** Parses `L3` or `3` back into a level id; `undefined` for anything else. */
export function parseLevel(text: string): LevelId | undefined {
  const match = /^L?([0-5])$/i.exec(text.trim());
  return match ? (Number(match[1]) as LevelId) : undefined;
}

/** The write quorum a majority needs: ⌊N/2⌋ + 1. */
export function majority(n: number): number {
  return Math.floor(n / 2) + 1;
}

function assertParticipants(n: number): void {
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`participants must be a positive integer, got ${String(n)}`);
  }
}

/**
 * Messages one operation at `level` sends among `n` participants.
 *
 * @example
 * messagesPerOp(3, 5) // 10: Raft, 2N
 * messagesPerOp(2, 5) // 3: write quorum W = 3, no read
 * messagesPerOp(1, 5, { async: true }) // 1: fire-and-forget
 * messagesPerOp(2, 5, { all: true }) // 5: every replica answers (Cassandra ALL)
 */
export function messagesPerOp(level: LevelId, n: number, shape: OperationShape = {}): number {
  assertParticipants(n);
  switch (level) {
    case 0:
      return 0;
    case 1:
      return shape.async ? 1 : 2;
    case 2:
      return (shape.all ? n : (shape.w ?? majority(n))) + (shape.r ?? 0);
    case 3:
      return 2 * n;
    case 4:
      return 3 * n;
    case 5:
      return n * n;
  }
}

/** Messages a consensus group sends to elect a new leader: N² (seed 000, "Paxos/Raft Costs", leader election row). */
export function leaderChangeMessages(n: number): number {
  assertParticipants(n);
  return n * n;
}

/** Background gossip rounds until every one of `n` nodes has an update: ⌈log₂ N⌉. */
export function gossipRounds(n: number): number {
  assertParticipants(n);
  return n === 1 ? 0 : Math.ceil(Math.log2(n));
}

/** Sequential round trips the caller waits for in one operation at `level`. */
export function roundTripsPerOp(level: LevelId, shape: OperationShape = {}): number {
  if (level === 1 && shape.async) return 0;
  return ladderLevel(level).roundTrips;
}
