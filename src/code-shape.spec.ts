import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

// The layout rules of docs/architecture.md, checked on the sources rather than trusted.
const SRC = resolve(__dirname);
const BASE_LAYERS = ['config', 'database', 'common', 'auth'] as const;
const JOB_DATA_OWNER = 'jobs';
const JOB_STATUS_LITERAL = /['"`](SUBMITTED|SUSPENDED|RUNNING|ERROR|ABORTED|COMPLETED)['"`]/;
const JOB_TABLE = /\b(job_executions|job_logs)\b|(FROM|INTO|UPDATE|JOIN|TABLE)\s+[`"]?jobs\b|['"`]jobs['"`]/i;
// HTTP clients of the gateway (docs/architecture.md): no Nest, they speak the wire types generated from docs/openapi.json.
const CLIENT_FOLDERS = new Set(['worker-sdk', 'worker-example', 'client', 'cli']);
// Written by `npm run openapi` from docs/openapi.json (so it names job statuses); kept in step by src/openapi/api-types.spec.ts.
const API_TYPES_FOLDER = 'api-types';
const GENERATED_FILES = new Set([join(SRC, API_TYPES_FOLDER, 'openapi.ts')]);

interface SourceFile {
  path: string;
  folder: string;
  text: string;
  imports: string[];
}

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });
}

const topFolder = (path: string) => {
  const parts = relative(SRC, path).split(sep);
  return parts.length > 1 ? parts[0] : '';
};

const files: SourceFile[] = sourceFiles(SRC).map((path) => {
  const text = readFileSync(path, 'utf8');
  const specifiers = [...text.matchAll(/(?:from\s+|import\s*\(\s*)'(\.[^']*)'/g)].map((match) => match[1]);
  return { path, folder: topFolder(path), text, imports: specifiers.map((specifier) => resolve(dirname(path), specifier)) };
});
/** What people write; the generated file follows the document, not these rules. */
const handWritten = files.filter((file) => !GENERATED_FILES.has(file.path));

const rel = (path: string) => relative(SRC, path);
/** The top-level folder an import lands in, a folder's index (`'../worker-sdk'`) included. */
const importedFolder = (target: string) => relative(SRC, target).split(sep)[0];

describe('code shape (docs/architecture.md)', () => {
  it('has no import cycle between top-level folders of src/, type-only imports included', () => {
    const edges = new Map<string, Set<string>>();
    for (const file of files) {
      for (const target of file.imports) {
        const to = topFolder(target);
        if (file.folder && to && to !== file.folder) edges.set(file.folder, (edges.get(file.folder) ?? new Set()).add(to));
      }
    }
    const cycles: string[] = [];
    const visit = (node: string, path: string[]) => {
      for (const next of edges.get(node) ?? []) {
        if (path.includes(next)) cycles.push([...path.slice(path.indexOf(next)), next].join(' → '));
        else visit(next, [...path, next]);
      }
    };
    for (const node of edges.keys()) visit(node, [node]);
    expect(cycles).toEqual([]);
  });

  it('lets base layers import only the layers below them', () => {
    const wrong = files.flatMap((file) => {
      const level = BASE_LAYERS.indexOf(file.folder as (typeof BASE_LAYERS)[number]);
      if (level < 0) return [];
      return file.imports
        .filter((target) => {
          const to = topFolder(target);
          return to !== file.folder && BASE_LAYERS.indexOf(to as (typeof BASE_LAYERS)[number]) >= level;
        })
        .concat(file.imports.filter((target) => topFolder(target) !== '' && !BASE_LAYERS.includes(topFolder(target) as never)))
        .map((target) => `${rel(file.path)} → ${rel(target)}`);
    });
    expect(wrong).toEqual([]);
  });

  it('lets a feature use another feature only through its index.ts', () => {
    const wrong = files.flatMap((file) =>
      file.imports
        .filter((target) => {
          const to = topFolder(target);
          if (!file.folder || !to || to === file.folder || BASE_LAYERS.includes(to as never)) return false;
          return target !== join(SRC, to) && target !== join(SRC, to, 'index');
        })
        .map((target) => `${rel(file.path)} → ${rel(target)}`),
    );
    expect(wrong).toEqual([]);
  });

  it('keeps the job tables and job status literals inside the job-data feature', () => {
    const outside = handWritten.filter(
      (file) => file.folder !== JOB_DATA_OWNER && !CLIENT_FOLDERS.has(file.folder) && !rel(file.path).startsWith(join('database', 'migrations')),
    );
    const named = outside.flatMap((file) =>
      file.text.split('\n').flatMap((line, index) =>
        JOB_STATUS_LITERAL.test(line) || JOB_TABLE.test(line) ? [`${rel(file.path)}:${index + 1}: ${line.trim()}`] : [],
      ),
    );
    expect(named).toEqual([]);
  });

  it('points comments only at doc sections that exist', () => {
    const missing = handWritten.flatMap((file) =>
      [...file.text.matchAll(/docs\/([a-z-]+\.md), "([^"]+)"/g)].flatMap(([pointer, doc, section]) => {
        const headings = readFileSync(join(SRC, '..', 'docs', doc), 'utf8').split('\n').filter((line) => line.startsWith('#'));
        return headings.some((heading) => heading.toLowerCase().includes(section.toLowerCase())) ? [] : [`${rel(file.path)}: ${pointer}`];
      }),
    );
    expect(missing).toEqual([]);
  });

  it('keeps README and docs/ standalone: no links out of the repository, no tracker references', () => {
    const docs = ['README.md', ...readdirSync(join(SRC, '..', 'docs')).filter((name) => name.endsWith('.md')).map((name) => join('docs', name))];
    const outside = [/\]\(\.\.\/\.\.|\.\.\/shared\//, /\b(PITFALLS|PERFORMANCE|STYLE|API)\.md\b/, /\bissue #?\d+/i];
    const found = docs.flatMap((doc) =>
      readFileSync(join(SRC, '..', doc), 'utf8')
        .split('\n')
        .flatMap((line, index) => (outside.some((pattern) => pattern.test(line)) ? [`${doc}:${index + 1}: ${line.trim()}`] : [])),
    );
    expect(found).toEqual([]);
  });

  it('keeps every source file under 300 lines', () => {
    const long = handWritten.filter((file) => file.text.split('\n').length > 300).map((file) => rel(file.path));
    expect(long).toEqual([]);
  });

  it('keeps the generated wire types self-contained, so the HTTP clients can use them without the gateway', () => {
    const wrong = files
      .filter((file) => file.folder === API_TYPES_FOLDER)
      .flatMap((file) => file.imports.filter((target) => importedFolder(target) !== API_TYPES_FOLDER).map((target) => `${rel(file.path)} → ${rel(target)}`));
    expect(wrong).toEqual([]);
  });

  it('keeps the HTTP clients free of the gateway: they import each other and the generated wire types only', () => {
    const wrong = files
      .filter((file) => CLIENT_FOLDERS.has(file.folder))
      .flatMap((file) =>
        file.imports
          .filter((target) => !CLIENT_FOLDERS.has(importedFolder(target)) && importedFolder(target) !== API_TYPES_FOLDER)
          .map((target) => `${rel(file.path)} → ${rel(target)}`),
      );
    expect(wrong).toEqual([]);
  });
});
