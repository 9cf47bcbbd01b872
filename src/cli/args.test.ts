import { describe, expect, it } from 'vitest';
import { parseCommand } from './args.js';
import { UsageError } from './errors.js';

const cwd = '/repo';

describe('parseCommand', () => {
  it('defaults to linting . as a table, with no gate and no overrides', () => {
    expect(parseCommand([], cwd)).toEqual({
      kind: 'run',
      paths: ['.'],
      configFile: undefined,
      rulesFromConfig: false,
      settingsOverride: undefined,
      concurrency: 'off',
      cache: false,
      cacheLocation: undefined,
      progress: undefined,
      output: { format: 'table', output: undefined, color: undefined, maxLevel: undefined, budgets: [], baseline: undefined, minConfidence: 'high' },
    });
  });

  it('turns cost-model flags into a settings.coordination override', () => {
    const command = parseCommand(
      ['src', '--participants', '5', '--rtt-ms', '20.5', '--usd-per-1000-messages', '0', '--usd-per-second-of-latency', '2', '--slow-call-probability', '0.05'],
      cwd,
    );
    expect(command).toMatchObject({
      kind: 'run',
      paths: ['src'],
      settingsOverride: { participants: 5, costModel: { rttMs: 20.5, usdPer1000Messages: 0, usdPerSecondOfLatency: 2, slowCallProbability: 0.05 } },
    });
  });

  it('reads gates: a global level and directory budgets', () => {
    const command = parseCommand(['--max-level', 'L2', '--max-level', './src/legacy/=3', '--baseline', 'base.json', '-f', 'json'], cwd);
    expect(command).toMatchObject({
      output: { format: 'json', maxLevel: 2, budgets: [{ path: 'src/legacy', maxLevel: 3 }], baseline: '/repo/base.json' },
    });
  });

  it('reads merge with its reports and output flags', () => {
    expect(parseCommand(['merge', 'a.json', 'b.json', '--max-level', 'L1', '--no-color'], cwd)).toMatchObject({
      kind: 'merge',
      reports: ['/repo/a.json', '/repo/b.json'],
      output: { maxLevel: 1, color: false },
    });
  });

  it.each(['table', 'json', 'sarif', 'markdown', 'html'])('takes --format %s, for a run and for merge', (format) => {
    expect(parseCommand(['-f', format], cwd)).toMatchObject({ output: { format } });
    expect(parseCommand(['merge', 'a.json', '--format', format], cwd)).toMatchObject({ kind: 'merge', output: { format } });
  });

  it('passes concurrency and cache through', () => {
    expect(parseCommand(['--concurrency', 'auto', '--cache', '--cache-location', 'tmp/cache/'], cwd)).toMatchObject({
      concurrency: 'auto',
      cache: true,
      cacheLocation: '/repo/tmp/cache/',
    });
    expect(parseCommand(['--concurrency', '4'], cwd)).toMatchObject({ concurrency: 4 });
  });

  it.each([
    [['--nope'], /^Unknown option '--nope'/],
    [['--format', 'xml'], "--format must be table, json, sarif, markdown or html, got 'xml'"],
    [['--max-level', 'L6'], "--max-level must be a level L0 to L5, got 'L6'"],
    [['--max-level', 'L1', '--max-level', 'L2'], /given twice/],
    [['--max-level', 'src=L1', '--max-level', 'src/=L2'], "--max-level sets 'src' twice"],
    [['--participants', '0'], "--participants must be a whole number >= 1, got '0'"],
    [['--rtt-ms', 'fast'], "--rtt-ms must be a number of milliseconds >= 0, got 'fast'"],
    [['--rtt-ms=-1'], "--rtt-ms must be a number of milliseconds >= 0, got '-1'"],
    [['--slow-call-probability', '1.5'], "--slow-call-probability must be a probability from 0 to 1, got '1.5'"],
    [['--concurrency', '0'], /^--concurrency must be/],
    [['--cache-location', 'x'], '--cache-location needs --cache'],
    [['merge'], 'merge needs at least one JSON report'],
    [['merge', 'a.json', '--config', 'x.js'], '--config does not apply to merge'],
  ])('rejects %j', (argv, message) => {
    expect(() => parseCommand(argv, cwd)).toThrow(UsageError);
    expect(() => parseCommand(argv, cwd)).toThrow(message);
  });
});
