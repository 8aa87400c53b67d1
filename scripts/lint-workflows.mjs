#!/usr/bin/env node
// `npm run lint:workflows`: validates every GitHub Actions workflow against the workflow schema, and
// the repository's own action (action.yml) against the action schema, with @action-validator/core (a
// WebAssembly build that ships inside the npm package: works offline). The schemas do not look inside
// `${{ }}` expressions, so each one is also checked for balanced parentheses and quotes, the typo that
// otherwise only shows on GitHub.
//   node scripts/lint-workflows.mjs [<workflows dir> [<action.yml>]]
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateAction, validateWorkflow } from '@action-validator/core';

const dir = process.argv[2] ?? '.github/workflows';
const action = process.argv[3] ?? 'action.yml';
const workflows = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(dir, f));
const files = [...workflows.map((file) => ({ file, validate: validateWorkflow })), ...(existsSync(action) ? [{ file: action, validate: validateAction }] : [])];
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
for (const { file, validate } of files) {
  const text = readFileSync(file, 'utf8');
  const problems = validate(text).errors.map((error) => `${'path' in error && error.path ? `${error.path}: ` : ''}${error.title}${error.detail ? ` (${error.detail})` : ''}`);
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
console.log(`lint:workflows: ${workflows.length} workflow(s)${files.length > workflows.length ? ` and ${action}` : ''}, ${failed} invalid`);
process.exit(workflows.length === 0 || failed ? 1 : 0);
