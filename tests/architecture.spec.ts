/**
 * The direction of dependencies (issue 11): the emulator is a standalone product and the suite checks
 * it from outside; both share facts only through contract/. Computed from the source: every relative
 * import, value or type (`import`, `import type`, `export … from`, dynamic `import()`), as the TypeScript
 * scanner reads it.
 */
import { test, expect } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(import.meta.dirname, '..');
const FOLDERS = ['bin', 'certify', 'contract', 'emulator', 'helpers', 'scripts', 'specs', 'tests'];
const SOURCE = /\.(ts|mts|js|mjs)$/;

interface Edge {
  from: string;
  to: string;
}

function filesUnder(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && SOURCE.test(entry.name))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)));
}

/** Every import specifier of a file (relative or not), as the TypeScript pre-processor finds them. */
export function specifiersOf(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

function graph(): { edges: Edge[]; bare: Edge[] } {
  const edges: Edge[] = [];
  const bare: Edge[] = [];
  for (const file of FOLDERS.flatMap(filesUnder)) {
    for (const specifier of specifiersOf(readFileSync(join(ROOT, file), 'utf8'))) {
      if (specifier.startsWith('.')) edges.push({ from: file, to: relative(ROOT, resolve(ROOT, dirname(file), specifier)) });
      else bare.push({ from: file, to: specifier });
    }
  }
  return { edges, bare };
}

const under = (folder: string) => (path: string) => path.startsWith(`${folder}/`);
const show = (edges: Edge[]) => edges.map((e) => `${e.from} → ${e.to}`);

/** Strongly connected components with more than one file (or a file importing itself): Tarjan's algorithm. */
export function cycles(edges: Edge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) next.set(from, [...(next.get(from) ?? []), to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let counter = 0;
  const visit = (node: string) => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const to of next.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) low.set(node, Math.min(low.get(node)!, index.get(to)!));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (next.get(node) ?? []).includes(node)) found.push(component.sort());
    }
  };
  for (const node of new Set(edges.flatMap((e) => [e.from, e.to]))) if (!index.has(node)) visit(node);
  return found;
}

test.describe('the import graph', () => {
  const { edges, bare } = graph();

  test('the scan sees the imports it must judge', () => {
    // A scanner that found nothing would pass every rule below.
    expect(edges.some((e) => e.from === 'helpers/targets/emulator.ts' && e.to === 'emulator/index.ts')).toBe(true);
    expect(specifiersOf("import type { A } from './a.ts';\nexport { b } from '../b.ts';\nconst c = await import('./c.ts');")).toEqual(['./a.ts', '../b.ts', './c.ts']);
  });

  test('emulator/ imports nothing of the suite: not specs/, helpers/, scripts/ or tests/', () => {
    const suite = ['specs', 'helpers', 'scripts', 'tests'].map(under);
    expect(show(edges.filter((e) => under('emulator')(e.from) && suite.some((s) => s(e.to))))).toEqual([]);
  });

  test('specs/ never import emulator/', () => {
    expect(show(edges.filter((e) => under('specs')(e.from) && under('emulator')(e.to)))).toEqual([]);
  });

  test('certify/ (the seller checks) never import emulator/: they judge through helpers/certify/', () => {
    expect(show(edges.filter((e) => under('certify')(e.from) && under('emulator')(e.to)))).toEqual([]);
  });

  test('helpers/ reach the emulator only from helpers/targets/emulator.ts, through emulator/index.ts', () => {
    const allowed = (e: Edge) =>
      e.to === 'emulator/index.ts' &&
      (e.from === 'helpers/targets/emulator.ts' ||
        // The seller certification boots the emulator as the seller's Stripe (one session per run), then talks to it over HTTP only.
        e.from === 'helpers/certify/harness.ts' ||
        // The agent certification does the same as the agent's Stripe (helpers/certify/agent/harness.ts).
        e.from === 'helpers/certify/agent/harness.ts');
    expect(show(edges.filter((e) => under('helpers')(e.from) && under('emulator')(e.to) && !allowed(e)))).toEqual([]);
  });

  test('contract/ depends on nothing but itself and node: builtins', () => {
    const builtins = new Set(builtinModules);
    expect(show(edges.filter((e) => under('contract')(e.from) && !under('contract')(e.to)))).toEqual([]);
    expect(show(bare.filter((e) => under('contract')(e.from) && !(e.to.startsWith('node:') && builtins.has(e.to.slice(5)))))).toEqual([]);
  });

  test('no import cycle inside emulator/, value or type', () => {
    expect(cycles(edges.filter((e) => under('emulator')(e.from) && under('emulator')(e.to)))).toEqual([]);
  });

  test('the cycle finder finds cycles (type or value alike) and nothing else', () => {
    const e = (from: string, to: string): Edge => ({ from, to });
    expect(cycles([e('a', 'b'), e('b', 'c'), e('c', 'a'), e('c', 'd')])).toEqual([['a', 'b', 'c']]);
    expect(cycles([e('a', 'b'), e('b', 'c')])).toEqual([]);
  });
});
