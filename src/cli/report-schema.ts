/**
 * JSON Schema of the report (`schemaVersion` 1), used to validate reports read back in by `--baseline`
 * and `merge`. `docs/report.md` describes the same fields in prose.
 */
import Ajv from 'ajv';
import { type Report, SCHEMA_VERSION, TOOL_NAME } from './report.js';

/** A JSON Schema (draft-07) node; ajv checks the shape. */
type Schema = Readonly<Record<string, unknown>>;

const level = { type: 'string', pattern: '^L[0-5]$' } as const;
const count = { type: 'integer', minimum: 0 } as const;
const position = { type: 'integer', minimum: 0 } as const;
const nullablePosition = { type: ['integer', 'null'], minimum: 0 } as const;
const amount = { type: 'number', minimum: 0 } as const;

const price: Schema = {
  type: ['object', 'null'],
  required: [
    'per',
    'participants',
    'messages',
    'roundTrips',
    'latencyMs',
    'loop',
    'waitsFor',
    'slowCalls',
    'slowProbability',
    'serialises',
    'usdPerOperation',
    'usdPerMillion',
    'exact',
  ],
  properties: {
    per: { enum: ['operation', 'item'] },
    participants: { type: 'integer', minimum: 1 },
    messages: amount,
    roundTrips: amount,
    latencyMs: amount,
    loop: { enum: ['sequential', 'parallel', 'floating', null] },
    waitsFor: { oneOf: [count, { enum: ['N', 'k'] }] },
    slowCalls: count,
    slowProbability: { type: ['number', 'null'], minimum: 0, maximum: 1 },
    serialises: { enum: ['cluster', 'process', null] },
    usdPerOperation: amount,
    usdPerMillion: amount,
    exact: { type: 'boolean' },
  },
};

const site: Schema = {
  type: 'object',
  required: [
    'file',
    'line',
    'column',
    'endLine',
    'endColumn',
    'ruleId',
    'messageId',
    'severity',
    'primitive',
    'level',
    'levelName',
    'atLeast',
    'price',
    'typed',
    'message',
    'advice',
    'suggestions',
    'fingerprint',
  ],
  properties: {
    file: { type: 'string' },
    line: position,
    column: position,
    endLine: position,
    endColumn: position,
    ruleId: { type: 'string' },
    messageId: { type: ['string', 'null'] },
    severity: { enum: ['error', 'warning'] },
    primitive: { type: 'string' },
    level,
    levelName: { type: 'string' },
    atLeast: { type: 'boolean' },
    price,
    typed: { type: 'boolean' },
    message: { type: 'string' },
    advice: { type: ['string', 'null'] },
    suggestions: { type: 'array', items: { type: 'string' } },
    // Not required: reports of 0.1.x have no judgement (read as high).
    confidence: { enum: ['high', 'medium', 'low'] },
    evidence: { type: 'array', items: { type: 'string' } },
    fingerprint: { type: 'string', minLength: 1 },
    baseline: { enum: ['new', 'known'] },
  },
};

/** The report's JSON Schema (draft-07). */
export const reportSchema: Schema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  required: ['schemaVersion', 'tool', 'model', 'files', 'sites', 'errors', 'notes', 'totals'],
  properties: {
    schemaVersion: { const: SCHEMA_VERSION },
    tool: {
      type: 'object',
      required: ['name', 'version'],
      properties: { name: { const: TOOL_NAME }, version: { type: 'string' } },
    },
    model: {
      type: ['object', 'null'],
      required: ['participants', 'usdPer1000Messages', 'rttMs', 'usdPerSecondOfLatency', 'slowCallProbability'],
      properties: {
        participants: { type: 'integer', minimum: 1 },
        usdPer1000Messages: amount,
        rttMs: amount,
        usdPerSecondOfLatency: amount,
        slowCallProbability: { type: 'number', minimum: 0, maximum: 1 },
      },
    },
    files: { type: 'array', items: { type: 'string' } },
    sites: { type: 'array', items: site },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        // line and column are null for an error without a position; reports of 0.1.0 left them out then.
        required: ['file', 'message'],
        properties: { file: { type: 'string' }, line: nullablePosition, column: nullablePosition, message: { type: 'string' } },
      },
    },
    notes: { type: 'array', items: { type: 'string' } },
    totals: { type: 'object' },
    gate: { type: 'object' },
  },
};

const validate = new Ajv({ allErrors: false }).compile(reportSchema);

/** Thrown when a file is not a report this version can read; the message names the file and the field. */
export class ReportFormatError extends Error {
  override readonly name = 'ReportFormatError';
}

/**
 * Parses and validates a report's JSON text. `source` names the file in errors.
 *
 * @throws {ReportFormatError} for invalid JSON, another `schemaVersion`, or a field of the wrong shape.
 */
export function parseReport(text: string, source: string): Report {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ReportFormatError(`${source} is not JSON (${(error as Error).message})`);
  }
  const version = (data as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof data !== 'object' || data === null || Array.isArray(data) || version === undefined) {
    throw new ReportFormatError(`${source} is not a ${TOOL_NAME} JSON report (no schemaVersion)`);
  }
  if (version !== SCHEMA_VERSION) {
    throw new ReportFormatError(`${source} has schemaVersion ${JSON.stringify(version)}; this version reads ${SCHEMA_VERSION}`);
  }
  if (!validate(data)) {
    const error = validate.errors![0]!;
    throw new ReportFormatError(`${source}: report${error.dataPath} ${error.message ?? 'is invalid'}`);
  }
  return data as Report;
}
