/**
 * Suggestion safety: a suggestion's output must parse, and for TypeScript it must compile no worse than
 * its input. Input and output are type-checked together in one program over fixtures/typed, against the
 * real declarations of the installed clients (ioredis, redlock, mongodb, @aws-sdk/lib-dynamodb, kafkajs,
 * etcd3) and the Prisma stub in fixtures/typed/types; the output may not add a diagnostic its input lacks.
 */
import { Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import ts from 'typescript';
import { typedRoot } from './paths.js';

export interface SuggestionCase {
  /** Where the case comes from, for failure messages. */
  readonly name: string;
  readonly code: string;
  readonly output: string;
  /** The case's filename; its extension picks the parser and whether it is type-checked. */
  readonly filename: string;
}

interface InvalidCaseLike {
  readonly code: string;
  readonly filename?: string;
  readonly errors: readonly { readonly suggestions?: readonly { readonly output?: string }[] | null }[];
}

/** Every suggestion output declared in a rule's invalid cases (the rule tester checks they are what the rule makes). */
export function suggestionCases(ruleName: string, invalid: readonly InvalidCaseLike[]): SuggestionCase[] {
  const cases: SuggestionCase[] = [];
  invalid.forEach((test, caseIndex) => {
    for (const error of test.errors) {
      for (const suggestion of error.suggestions ?? []) {
        if (suggestion.output === undefined) continue;
        cases.push({
          name: `${ruleName} invalid[${caseIndex}] suggestion ${cases.length}`,
          code: test.code,
          output: suggestion.output,
          filename: test.filename ?? 'file.ts',
        });
      }
    }
  });
  return cases;
}

const isTypeScript = (filename: string): boolean => /\.[cm]?tsx?$/.test(filename);

/** Parse errors of `code` under the parser its filename implies (typescript-eslint or espree). */
export function parseErrors(code: string, filename: string): string[] {
  const linter = new Linter({ configType: 'flat' });
  const messages = linter.verify(
    code,
    [
      {
        // A pattern ending in `*` would not make a .ts file lintable: name the extensions.
        files: ['**/*.{js,mjs,cjs,jsx,ts,mts,cts,tsx}'],
        languageOptions: {
          ...(isTypeScript(filename) ? { parser: tsParser as never } : {}),
          ecmaVersion: 'latest',
          sourceType: filename.endsWith('.cjs') ? 'commonjs' : 'module',
        },
      },
    ],
    { filename },
  );
  // No rule runs, so any message is a parse error or a file the config did not take ("no matching configuration").
  return messages.map((message) => `${message.line}:${message.column} ${message.message}`);
}

function compilerOptions(): ts.CompilerOptions {
  const parsed = ts.getParsedCommandLineOfConfigFile(`${typedRoot}tsconfig.json`, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  });
  return {
    ...parsed!.options,
    // A suggestion that strands a variable or an import is a regression too.
    noUnusedLocals: true,
    noUnusedParameters: true,
    // Each snippet is its own module, even one without imports, so snippets never share globals.
    moduleDetection: ts.ModuleDetectionKind.Force,
  };
}

/** `TS2304 Cannot find name 'x'.`: what a diagnostic says, without where (the output moves code). */
function describeDiagnostic(diagnostic: ts.Diagnostic): string {
  return `TS${diagnostic.code} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`;
}

/** Diagnostics of `after` that `before` does not have (as a multiset: a second copy counts). */
function added(before: readonly string[], after: readonly string[]): string[] {
  const remaining = new Map<string, number>();
  for (const text of before) remaining.set(text, (remaining.get(text) ?? 0) + 1);
  return after.filter((text) => {
    const count = remaining.get(text) ?? 0;
    if (count === 0) return true;
    remaining.set(text, count - 1);
    return false;
  });
}

/**
 * For each TypeScript case, the compiler diagnostics its output adds to its input's; JavaScript cases
 * are left out (parsing is all they are held to). One program checks every case.
 */
export function addedDiagnostics(cases: readonly SuggestionCase[]): Map<SuggestionCase, string[]> {
  const typed = cases.filter((test) => isTypeScript(test.filename));
  const virtual = new Map<string, string>();
  const paths = typed.map((test, index) => {
    const extension = /\.[cm]?tsx?$/.exec(test.filename)![0];
    const input = `${typedRoot}src/__suggestions__/${index}-input${extension}`;
    const output = `${typedRoot}src/__suggestions__/${index}-output${extension}`;
    virtual.set(input, test.code);
    virtual.set(output, test.output);
    return { input, output };
  });
  const options = compilerOptions();
  const host = ts.createCompilerHost(options, true);
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (file) => virtual.has(file) || fileExists.call(host, file);
  host.readFile = (file) => virtual.get(file) ?? readFile.call(host, file);
  host.getSourceFile = (file, language, ...rest) => {
    const text = virtual.get(file);
    return text === undefined ? getSourceFile.call(host, file, language, ...rest) : ts.createSourceFile(file, text, language, true);
  };
  const program = ts.createProgram({
    rootNames: [...virtual.keys(), `${typedRoot}types/packages.d.ts`],
    options,
    host,
  });
  const diagnosticsOf = (file: string): string[] => {
    const source = program.getSourceFile(file)!;
    return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)].map(describeDiagnostic);
  };
  const result = new Map<SuggestionCase, string[]>();
  typed.forEach((test, index) => {
    result.set(test, added(diagnosticsOf(paths[index]!.input), diagnosticsOf(paths[index]!.output)));
  });
  return result;
}
