import { describe, expect, it } from 'vitest';
import { containsWords, splitWords } from './words.js';

describe('splitWords', () => {
  it.each([
    ['PrismaService', ['prisma', 'service']],
    ['redisClient2', ['redis', 'client', '2']],
    ['DDBClient', ['ddb', 'client']],
    ['replica_a', ['replica', 'a']],
    ['kafka-producer', ['kafka', 'producer']],
    ['$transaction', ['transaction']],
    ['this.prisma', ['this', 'prisma']],
    ['', []],
  ])('%s', (identifier, words) => {
    expect(splitWords(identifier)).toEqual(words);
  });
});

describe('containsWords', () => {
  it('matches whole words, in order', () => {
    expect(containsWords('orderRedisClient', 'Redis')).toBe(true);
    expect(containsWords('REDIS', 'Redis')).toBe(true);
    expect(containsWords('myAsyncLock', 'AsyncLock')).toBe(true);
    expect(containsWords('mongoose', 'Mongo')).toBe(false);
    expect(containsWords('lockAsync', 'AsyncLock')).toBe(false);
    expect(containsWords('prismaService', '')).toBe(false);
  });
});
