import { describe, expect, it } from 'vitest';
import {
  LADDER,
  LEVEL_IDS,
  gossipRounds,
  leaderChangeMessages,
  levelCode,
  majority,
  messagesPerOp,
  parseLevel,
  roundTripsPerOp,
} from './ladder.js';

describe('ladder', () => {
  it('has six levels indexed by id, with names and sources', () => {
    expect(LADDER.map((level) => level.id)).toEqual([...LEVEL_IDS]);
    expect(LADDER.map((level) => level.code)).toEqual(['L0', 'L1', 'L2', 'L3', 'L4', 'L5']);
    expect(LADDER.map((level) => level.name)).toEqual([
      'none',
      'one store, no agreement',
      'quorum',
      'consensus',
      'distributed transaction',
      'Byzantine agreement',
    ]);
    for (const level of LADDER) {
      expect(level.examples.length).toBeGreaterThan(0);
      expect(level.source).toMatch(/seed/);
    }
  });

  it.each([
    // level, N, messages, round trips: the seeds' figures
    [0, 5, 0, 0], // CRDT / local: nothing on the hot path
    [1, 5, 2, 1], // one primary: request + reply
    [2, 5, 3, 1], // quorum W = ⌊5/2⌋+1 = 3, R = 0
    [3, 5, 10, 2], // Raft/Paxos: 2N, 2 RTT
    [4, 5, 15, 3], // 2PC: 3N, 3 RTT
    [5, 5, 25, 3], // PBFT: N², 3 RTT
  ] as const)('prices L%i for N=%i as %i messages and %i round trips', (level, n, messages, rtts) => {
    expect(messagesPerOp(level, n)).toBe(messages);
    expect(roundTripsPerOp(level)).toBe(rtts);
  });

  it('prices an async L1 call as one message and no waited round trip', () => {
    expect(messagesPerOp(1, 3, { async: true })).toBe(1);
    expect(roundTripsPerOp(1, { async: true })).toBe(0);
  });

  it('ignores async above L1: agreement is always waited for', () => {
    expect(roundTripsPerOp(3, { async: true })).toBe(2);
  });

  it('counts W + R for an explicit quorum', () => {
    expect(messagesPerOp(2, 5, { w: 2, r: 2 })).toBe(4);
    expect(messagesPerOp(2, 3, { r: 2 })).toBe(4); // W defaults to a majority of 3 = 2
  });

  it('computes majorities, leader changes and gossip rounds', () => {
    expect([1, 2, 3, 4, 5, 10].map(majority)).toEqual([1, 2, 2, 3, 3, 6]);
    expect(leaderChangeMessages(5)).toBe(25);
    expect(gossipRounds(1)).toBe(0);
    expect(gossipRounds(8)).toBe(3);
    expect(gossipRounds(1000)).toBe(10);
  });

  it('rejects participant counts that are not positive integers', () => {
    expect(() => messagesPerOp(3, 0)).toThrow(RangeError);
    expect(() => messagesPerOp(3, 2.5)).toThrow(/positive integer/);
    expect(() => gossipRounds(-1)).toThrow(RangeError);
    expect(() => leaderChangeMessages(Number.NaN)).toThrow(RangeError);
  });

  it('formats and parses level codes', () => {
    expect(levelCode(4)).toBe('L4');
    expect(parseLevel('L3')).toBe(3);
    expect(parseLevel(' l0 ')).toBe(0);
    expect(parseLevel('5')).toBe(5);
    expect(parseLevel('L6')).toBeUndefined();
    expect(parseLevel('three')).toBeUndefined();
  });
});
