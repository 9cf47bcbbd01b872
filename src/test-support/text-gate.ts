/**
 * What a text gate's tests share (`site-text.test.ts`, `clock-text.test.ts`): that the gate is open on
 * every fixture where what it stands for is found, and that a rule behind it reports the same as with
 * the gate forced open. Both with the project index closed, where the gates are asked.
 */
import { readFileSync } from 'node:fs';
import { Linter } from 'eslint';
import type { TSESTree } from '@typescript-eslint/utils';
import type { FileAnalysis } from '../analysis/file-analysis.js';
import { fixtureReports, probe } from './lint.js';
import { fixtureSources } from './paths.js';

export const CLOSED_INDEX = { coordination: { projectIndex: false } };

/** The fixtures where `finds` is true of some node of `nodeTypes` while `open` says no, and how many files each way. */
export function gateOnFixtures(
  open: (text: string) => boolean,
  nodeTypes: readonly string[],
  finds: (analysis: FileAnalysis, node: TSESTree.Node) => boolean,
): { missed: string[]; foundFiles: number; closedFiles: number } {
  let foundFiles = 0;
  let closedFiles = 0;
  const missed: string[] = [];
  for (const file of fixtureSources()) {
    const text = readFileSync(file, 'utf8');
    let found = 0;
    try {
      probe(text, nodeTypes, (analysis, node) => void (finds(analysis, node) && found++), { filename: file, settings: CLOSED_INDEX });
    } catch {
      continue; // a fixture that does not parse: nothing is found there either
    }
    const isOpen = open(text);
    if (found > 0) foundFiles++;
    if (!isOpen) closedFiles++;
    if (found > 0 && !isOpen) missed.push(file);
  }
  return { missed, foundFiles, closedFiles };
}

/** A mocked gate's switch and count of closed answers. */
export interface GateState {
  forceOpen: boolean;
  closed: number;
}

/** `rule`'s reports on every fixture with the gate as it is and forced open through `state`, and how often it closed. */
export function reportsWithGateForcedOpen(
  plugin: unknown,
  rule: string,
  state: GateState,
): { gated: Record<string, string[]>; open: Record<string, string[]>; closed: number } {
  const linter = new Linter({ configType: 'flat' });
  const files = fixtureSources();
  const lint = (): Record<string, string[]> => Object.fromEntries(files.map((file) => [file, fixtureReports(linter, file, plugin, rule, CLOSED_INDEX)]));
  state.closed = 0;
  state.forceOpen = false;
  const gated = lint();
  const closed = state.closed;
  state.forceOpen = true;
  const open = lint();
  state.forceOpen = false;
  return { gated, open, closed };
}
