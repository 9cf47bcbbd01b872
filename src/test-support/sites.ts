/**
 * Test helper: lints a snippet with every rule as the report does (`settings.coordination.siteRecords`)
 * and returns the site records the messages carry, so tests can assert a site's kind, level and price
 * rather than its English.
 */
import { Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import plugin from '../index.js';
import { type SiteRecord, decodeSiteRecord } from '../model/site.js';

export interface ReportedSite {
  readonly ruleId: string;
  readonly line: number;
  /** The message without its record: what an editor shows. */
  readonly text: string;
  readonly record: SiteRecord;
}

export function sitesOf(code: string, options: { filename?: string; settings?: Record<string, unknown> } = {}): ReportedSite[] {
  const filename = options.filename ?? 'src/file.ts';
  const linter = new Linter({ configType: 'flat' });
  const messages = linter.verify(
    code,
    [
      {
        files: ['**/*.{ts,tsx,mts,cts,js,mjs,cjs,jsx}'],
        plugins: { coordination: plugin as never },
        languageOptions: { ...(/\.[cm]?tsx?$/.test(filename) ? { parser: tsParser as never } : {}), sourceType: filename.endsWith('.cjs') ? 'commonjs' : 'module' },
        settings: { coordination: { ...options.settings, siteRecords: true } },
        rules: plugin.configs.all.rules as Linter.RulesRecord,
      },
    ],
    { filename },
  );
  const fatal = messages.filter((message) => message.fatal || !message.ruleId?.startsWith('coordination/'));
  if (fatal.length > 0) throw new Error(fatal.map((message) => message.message).join('\n'));
  return messages.map((message) => {
    const { text, record } = decodeSiteRecord(message.message);
    if (!record) throw new Error(`${message.ruleId} reported without a record: ${message.message}`);
    return { ruleId: message.ruleId!, line: message.line, text, record };
  });
}

/** The grade and evidence of each site one rule reports in a snippet (every grade: configs.all). */
export function gradesOf(rule: string, code: string, filename = 'src/file.ts'): { line: number; confidence: string | undefined; evidence: readonly string[] }[] {
  return sitesOf(code, { filename })
    .filter((site) => site.ruleId === `coordination/${rule}`)
    .map((site) => ({ line: site.line, confidence: site.record.confidence, evidence: site.record.evidence ?? [] }));
}
