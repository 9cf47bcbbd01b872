import { describe, expect, it } from 'vitest';
import { DEFAULT_COST_MODEL } from './model/cost.js';
import { getDefaultCatalog } from './model/catalog.js';
import { DEFAULT_FAN_OUT_TARGETS, DEFAULT_FAN_OUT_WRITE_VERBS } from './model/fan-out.js';
import { CoordinationSettingsError, DEFAULT_PARTICIPANTS, getSettings, parseSettings } from './settings.js';

describe('parseSettings: defaults', () => {
  it('fills every key when settings.coordination is absent or empty', () => {
    for (const input of [undefined, {}]) {
      const settings = parseSettings(input);
      expect(settings.catalog).toBe(getDefaultCatalog());
      expect(settings.backends).toEqual({});
      expect(settings.costModel).toEqual(DEFAULT_COST_MODEL);
      expect(settings.participants).toBe(DEFAULT_PARTICIPANTS);
      expect(settings.participants).toBe(3);
      expect(settings.lockWrappers).toEqual([]);
      expect(settings.quorumHelper).toBeUndefined();
      expect(settings.fanOut).toEqual({ targets: DEFAULT_FAN_OUT_TARGETS, writeVerbs: DEFAULT_FAN_OUT_WRITE_VERBS });
    }
  });
});

describe('parseSettings: each key', () => {
  it('catalog: adds user clients and operations, with a default "why"', () => {
    const settings = parseSettings({
      catalog: {
        clients: [{ id: 'acme.Kv', packages: ['@acme/kv'], reach: ['new Kv'] }],
        operations: [{ id: 'acme.put', client: 'acme.Kv', methods: ['put'], kind: 'quorum-write', level: 2 }],
      },
    });
    const op = settings.catalog.operations.get('acme.Kv')?.get('put')?.[0];
    expect(op).toMatchObject({ kind: 'quorum-write', level: 2, why: 'a user catalogue entry' });
    expect(settings.catalog.operations.get('prisma.Model')).toBeDefined(); // built-ins kept
  });

  it('backends: maps packages to profiles', () => {
    expect(parseSettings({ backends: { '@prisma/client': 'consensus', ioredis: 'redis-cluster' } }).backends).toEqual({
      '@prisma/client': 'consensus',
      ioredis: 'redis-cluster',
    });
  });

  it('costModel: overrides only the figures given', () => {
    expect(parseSettings({ costModel: { rttMs: 5 } }).costModel).toEqual({ ...DEFAULT_COST_MODEL, rttMs: 5 });
    expect(parseSettings({ costModel: { usdPer1000Messages: 0, usdPerSecondOfLatency: 2, slowCallProbability: 1 } }).costModel).toEqual({
      usdPer1000Messages: 0,
      rttMs: 100,
      usdPerSecondOfLatency: 2,
      slowCallProbability: 1,
    });
  });

  it('participants: sets N', () => {
    expect(parseSettings({ participants: 5 }).participants).toBe(5);
  });

  it('lockWrappers: accepts names, package exports and project functions', () => {
    const lockWrappers = [
      'withLock',
      { from: 'package', package: '@acme/locks', name: ['withLock', 'lock'] },
      { from: 'file', name: 'LockService#acquire', path: 'src/lock.ts', keyArgument: 1 },
    ];
    expect(parseSettings({ lockWrappers }).lockWrappers).toEqual(lockWrappers);
  });

  it('quorumHelper: names the helper and its count option', () => {
    const quorumHelper = { specifier: { from: 'package', package: 'p-some', name: 'default' }, countOption: 'count' };
    expect(parseSettings({ quorumHelper }).quorumHelper).toEqual(quorumHelper);
  });

  it('fanOut: replaces either list', () => {
    expect(parseSettings({ fanOut: { targets: ['pods'] } }).fanOut).toEqual({ targets: ['pods'], writeVerbs: DEFAULT_FAN_OUT_WRITE_VERBS });
    expect(parseSettings({ fanOut: { writeVerbs: ['emit*'] } }).fanOut.writeVerbs).toEqual(['emit*']);
  });
});

describe('parseSettings: invalid settings name the key', () => {
  it.each([
    [{ participant: 3 }, 'settings.coordination: unknown key "participant"'],
    [{ costModel: { rtt: 100 } }, 'settings.coordination.costModel: unknown key "rtt"'],
    [{ costModel: { rttMs: -1 } }, 'settings.coordination.costModel.rttMs should be >= 0, got -1'],
    [{ costModel: { rttMs: '100' } }, 'settings.coordination.costModel.rttMs should be number, got "100"'],
    [{ costModel: { rttMs: Number.POSITIVE_INFINITY } }, 'settings.coordination.costModel.rttMs must be a finite number'],
    [{ costModel: { usdPer1000Messages: Number.NaN } }, 'settings.coordination.costModel.usdPer1000Messages must be a finite number'],
    [{ costModel: { slowCallProbability: 1.5 } }, 'settings.coordination.costModel.slowCallProbability should be <= 1, got 1.5'],
    [{ participants: 0 }, 'settings.coordination.participants should be >= 1, got 0'],
    [{ participants: 2.5 }, 'settings.coordination.participants should be integer, got 2.5'],
    [{ backends: { pg: 'cockroach' } }, "settings.coordination.backends['pg'] must be one of \"single-primary\""],
    [{ backends: 'consensus' }, 'settings.coordination.backends should be object, got "consensus"'],
    [{ lockWrappers: 'withLock' }, 'settings.coordination.lockWrappers should be array, got "withLock"'],
    [{ lockWrappers: [{ from: 'package', name: 'x' }] }, 'settings.coordination.lockWrappers[0] does not match any allowed shape'],
    [{ lockWrappers: [42] }, 'settings.coordination.lockWrappers[0] does not match any allowed shape'],
    [{ quorumHelper: { specifier: 'pSome' } }, 'settings.coordination.quorumHelper: missing key "countOption"'],
    [{ fanOut: { targets: 'replicas' } }, 'settings.coordination.fanOut.targets should be array, got "replicas"'],
    [{ fanOut: { verbs: [] } }, 'settings.coordination.fanOut: unknown key "verbs"'],
    [{ catalog: { entries: [] } }, 'settings.coordination.catalog: unknown key "entries"'],
    [
      { catalog: { operations: [{ id: 'x', client: 'y', methods: ['a'], kind: 'mutex', level: 3 }] } },
      "settings.coordination.catalog.operations[0].kind must be one of \"lock\"",
    ],
    [
      { catalog: { operations: [{ id: 'x', client: 'nope', methods: ['a'], kind: 'lock', level: 3 }] } },
      'settings.coordination.catalog: catalogue operation x: unknown client nope',
    ],
    [
      { catalog: { operations: [{ id: 'x', client: 'pg.Pool', methods: ['a'], kind: 'lock', level: 7 }] } },
      'settings.coordination.catalog.operations[0].level must be one of 0, 1, 2, 3, 4, 5, got 7',
    ],
    [{ catalog: { clients: [{ id: 'z', packages: ['z'], reach: ['new'] }] } }, 'settings.coordination.catalog: catalogue client z: invalid reach path "new"'],
    ['everything', 'settings.coordination should be object, got "everything"'],
  ])('%j', (input, message) => {
    let thrown: unknown;
    try {
      parseSettings(input);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CoordinationSettingsError);
    expect((thrown as Error).message).toContain(`eslint-plugin-coordination: ${message}`);
  });
});

describe('getSettings', () => {
  it('validates once per settings object, and once per content', () => {
    const settings = { coordination: { participants: 7 } };
    const first = getSettings({ settings });
    expect(first.participants).toBe(7);
    expect(getSettings({ settings })).toBe(first);
    // A host that hands every file a fresh copy gets the same resolution (and every cache keyed by it).
    expect(getSettings({ settings: { coordination: { participants: 7 } } })).toBe(first);
    expect(getSettings({ settings: { coordination: { participants: 8 } } }).participants).toBe(8);
  });

  it('never answers an invalid copy from the cache of a valid one', () => {
    getSettings({ settings: { coordination: { participants: 7 } } });
    expect(() => getSettings({ settings: { coordination: { participants: Number.NaN } } })).toThrow(/finite/);
    expect(() => getSettings({ settings: { coordination: { participants: 'seven' } } })).toThrow();
  });

  it('reads defaults when the config has no coordination settings', () => {
    expect(getSettings({ settings: {} }).participants).toBe(3);
  });
});
