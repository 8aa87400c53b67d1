#!/usr/bin/env node
// `npm run lint:workflows`: validates every GitHub Actions workflow against the workflow schema with
// @action-validator/core (a WebAssembly build that ships inside the npm package: works offline). The
// schema does not look inside `${{ }}` expressions, so each one is also checked for balanced
// parentheses and quotes, the typo that otherwise only shows on GitHub.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateWorkflow } from '@action-validator/core';

const dir = process.argv[2] ?? '.github/workflows';
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(dir, f));
/** Problems inside one `${{ }}` expression: unbalanced parentheses or an unclosed string. */
export function expressionProblem(expression) {
  let depth = 0;
  let quoted = false;
  for (const char of expression) {
    if (char === "'") quoted = !quoted;
    else if (!quoted && char === '(') depth++;
    else if (!quoted && char === ')' && --depth < 0) return 'a ) without its (';
  }
  if (quoted) return 'an unclosed string';
  return depth ? 'a ( without its )' : null;
}

let failed = 0;
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const problems = validateWorkflow(text).errors.map((error) => `${'path' in error && error.path ? `${error.path}: ` : ''}${error.title}${error.detail ? ` (${error.detail})` : ''}`);
  text.split('\n').forEach((line, index) => {
    for (const [, expression] of line.matchAll(/\$\{\{(.*?)\}\}/g)) {
      const problem = expressionProblem(expression);
      if (problem) problems.push(`line ${index + 1}: \${{${expression}}} has ${problem}`);
    }
  });
  if (problems.length === 0) continue;
  failed++;
  for (const problem of problems) console.error(`${file}: ${problem}`);
}
console.log(`lint:workflows: ${files.length} workflow(s), ${failed} invalid`);
process.exit(files.length === 0 || failed ? 1 : 0);
