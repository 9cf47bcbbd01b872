// Guards against drift between the rules index, rule files, tests, docs and configs (eepp rule-setup).
import { readFileSync, readdirSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import plugin, { type CoordinationRule } from './index.js';

const PLUGIN_NAMESPACE = 'coordination';
import { DOCS_BASE_URL } from './util/create-rule.js';

const root = new URL('../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as Record<string, unknown>;
const ruleFiles = readdirSync(new URL('rules/', root))
  .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && file !== 'index.ts')
  .map((file) => basename(file, '.ts'))
  .sort();
const testFiles = readdirSync(new URL('rules/', root))
  .filter((file) => file.endsWith('.test.ts'))
  .map((file) => basename(file, '.test.ts'))
  .sort();
const docFiles = readdirSync(new URL('docs/rules/', root))
  .filter((file) => file.endsWith('.md'))
  .map((file) => basename(file, '.md'))
  .sort();
const ruleNames = Object.keys(plugin.rules).sort();

describe('package', () => {
  it('exports meta with the name and version of package.json', () => {
    expect(plugin.meta).toEqual({ name: pkg['name'], version: pkg['version'] });
    expect(pkg['name']).toBe('eslint-plugin-coordination');
  });

  it('has the same set of rules in the index, rule files, tests and docs', () => {
    expect(ruleNames).toEqual(ruleFiles);
    expect(testFiles).toEqual(ruleFiles);
    expect(docFiles).toEqual(ruleFiles);
  });

  it('declares the engines, peer range and exports the plugin promises', () => {
    expect(pkg['type']).toBe('module');
    expect(pkg['engines']).toEqual({ node: '^20.19.0 || ^22.13.0 || >=24' });
    expect(pkg['peerDependencies']).toMatchObject({ eslint: '^9.0.0 || ^10.0.0' });
    const exportsMap = pkg['exports'] as Record<string, { types: string; default: string }>;
    expect(exportsMap['.']).toEqual({ types: './dist/src/index.d.ts', default: './dist/src/index.js' });
    expect(exportsMap['./package.json']).toBe('./package.json');
  });

  it('pins every @typescript-eslint dev package to one exact version, and depends on each runtime one by a caret range of it', () => {
    const dev = pkg['devDependencies'] as Record<string, string>;
    const versions = new Set(Object.entries(dev).filter(([name]) => name.startsWith('@typescript-eslint/')).map(([, v]) => v));
    expect(versions.size).toBe(1);
    const [pinned] = [...versions];
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    // Caret ranges, so a project with typescript-eslint installs one copy of each, not a second one.
    const runtime = Object.entries(pkg['dependencies'] as Record<string, string>).filter(([name]) => name.startsWith('@typescript-eslint/'));
    expect(runtime.map(([name]) => name)).toContain('@typescript-eslint/utils');
    for (const [name, range] of runtime) expect(range, name).toBe(`^${pinned}`);
    expect(dev['typescript']).toMatch(/^6\.0\.\d+$/);
    expect(dev['vitest']).toMatch(/^4\.1\.\d+$/);
  });

  it('has a LICENSE of the license package.json names, and says where the project lives', () => {
    expect(pkg['license']).toBe('MIT');
    const license = readFileSync(new URL('LICENSE', root), 'utf8');
    expect(license).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} eslint-plugin-coordination contributors\n/);
    const url = 'https://github.com/eslint-plugin-coordination/eslint-plugin-coordination';
    expect(pkg['repository']).toEqual({ type: 'git', url: `git+${url}.git` });
    expect(pkg['homepage']).toBe(`${url}#readme`);
    expect(pkg['bugs']).toEqual({ url: `${url}/issues` });
  });

  it('locks the caret range of each @typescript-eslint runtime dependency to the pinned version', () => {
    const lock = JSON.parse(readFileSync(new URL('package-lock.json', root), 'utf8')) as { packages: Record<string, { version?: string; dependencies?: Record<string, string> }> };
    const dependencies = pkg['dependencies'] as Record<string, string>;
    for (const name of Object.keys(dependencies).filter((candidate) => candidate.startsWith('@typescript-eslint/'))) {
      expect(lock.packages['']?.dependencies?.[name], name).toBe(dependencies[name]);
      expect(lock.packages[`node_modules/${name}`]?.version, name).toBe((pkg['devDependencies'] as Record<string, string>)['@typescript-eslint/parser']);
    }
  });
});

describe.each(ruleNames)('rule %s', (name) => {
  const rule: CoordinationRule = plugin.rules[name]!;
  const { meta } = rule;

  it('has a docs URL that points at its docs page', () => {
    expect(meta.docs?.url).toBe(`${DOCS_BASE_URL}${name}.md`);
  });

  it('describes itself in one imperative sentence without a final period', () => {
    expect(meta.docs?.description).toMatch(/^(Disallow|Enforce|Require|Report) [^.]+$/);
  });

  it('never requires type information and lists its ladder levels', () => {
    expect(meta.docs?.requiresTypeChecking).toBe(false);
    expect(meta.docs?.ladderLevels.length).toBeGreaterThan(0);
  });

  it('has messages that are full sentences', () => {
    for (const [id, message] of Object.entries(meta.messages)) {
      // A site's message closes with its record's way out, a sentence of its own, then the (usually empty) record.
      expect(message, id).toMatch(/^[A-Z{].*(?:\.|\{\{advice\}\}\{\{site\}\})$/s);
      expect(id).toMatch(/^[a-z][A-Za-z]*$/);
    }
  });

  it('has an options schema that rejects unknown keys and describes every property', () => {
    const schemas = Array.isArray(meta.schema) ? meta.schema : [meta.schema];
    for (const schema of schemas) {
      if (schema.type !== 'object') continue;
      expect(schema.additionalProperties).toBe(false);
      for (const [key, property] of Object.entries(schema.properties ?? {})) {
        expect((property as { description?: string }).description, key).toBeTruthy();
        expect((property as { default?: unknown }).default, `${key}: defaults belong in meta.defaultOptions`).toBeUndefined();
      }
    }
    expect(meta.defaultOptions).toBeDefined();
  });

  it('only suggests, never fixes (these rewrites change semantics)', () => {
    expect(meta.fixable).toBeUndefined();
  });
});

describe('configs', () => {
  it('computes recommended from meta.docs.recommended, strict and all from every rule, at error, each with its lowest grade', () => {
    const recommended = ruleNames.filter((name) => plugin.rules[name]!.meta.docs?.recommended).map((name) => `${PLUGIN_NAMESPACE}/${name}`);
    expect(Object.keys(plugin.configs.recommended.rules ?? {}).sort()).toEqual(recommended);
    expect(Object.keys(plugin.configs.strict.rules ?? {}).sort()).toEqual(ruleNames.map((name) => `${PLUGIN_NAMESPACE}/${name}`));
    expect(Object.keys(plugin.configs.all.rules ?? {}).sort()).toEqual(ruleNames.map((name) => `${PLUGIN_NAMESPACE}/${name}`));
    // recommended: high only (every rule's default minConfidence); strict: medium and up; all: every grade
    for (const severity of Object.values(plugin.configs.recommended.rules ?? {})) expect(severity).toBe('error');
    for (const entry of Object.values(plugin.configs.strict.rules ?? {})) expect(entry).toEqual(['error', { minConfidence: 'medium' }]);
    for (const entry of Object.values(plugin.configs.all.rules ?? {})) expect(entry).toEqual(['error', { minConfidence: 'low' }]);
    for (const name of ruleNames) expect(plugin.rules[name]!.meta.defaultOptions?.[0]).toMatchObject({ minConfidence: 'high' });
  });

  it('names each config and registers the plugin under its namespace, without a parser', () => {
    expect(plugin.configs.recommended.name).toBe('coordination/recommended');
    expect(plugin.configs.all.name).toBe('coordination/all');
    expect(plugin.configs.strict.name).toBe('coordination/strict');
    expect(plugin.configs.recommended.plugins?.[PLUGIN_NAMESPACE]).toBe(plugin);
    expect(plugin.configs.all.languageOptions).toBeUndefined();
  });
});
