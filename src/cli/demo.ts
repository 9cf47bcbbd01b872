/**
 * `npm run demo`: lints the bundled demo service with its own flat config through ESLint's Node API
 * and prints every coordination site with its ladder level. The report CLI takes this over later.
 */
import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';
import { ESLint } from 'eslint';
import { siteLevelFromMessage } from './site-level.js';

const demoRoot = fileURLToPath(new URL('../../../fixtures/demo/', import.meta.url));

async function main(): Promise<number> {
  const eslint = new ESLint({ cwd: demoRoot, overrideConfigFile: `${demoRoot}eslint.config.js` });
  const results = await eslint.lintFiles(['.']);
  let sites = 0;
  let fatal = 0;
  for (const result of results) {
    for (const message of result.messages) {
      const where = `${relative(demoRoot, result.filePath)}:${message.line}:${message.column}`;
      if (message.fatal || message.ruleId === null) {
        fatal += 1;
        console.log(`${where}  error  ${message.message}`);
        continue;
      }
      if (!message.ruleId.startsWith('coordination/')) continue;
      sites += 1;
      const level = siteLevelFromMessage(message.message);
      console.log(`${where}  ${level ?? '?'}  ${message.ruleId}  ${message.message}`);
    }
  }
  console.log(
    sites === 0
      ? `Linted ${results.length} files of fixtures/demo: no rule found a site.`
      : `Linted ${results.length} files of fixtures/demo: ${sites} coordination site${sites === 1 ? '' : 's'}.`,
  );
  return fatal === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`coordination demo: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
  },
);
