import { RE2JS } from 're2js';

// Declared patterns run in RE2, in time linear in the value (docs/contracts.md, "Patterns").
export const MAX_PATTERN_CHARS = 1000;
const MAX_CACHED_PATTERNS = 1000;
const compiled = new Map<string, RE2JS>();

function compile(source: string): RE2JS {
  let pattern = compiled.get(source);
  if (!pattern) {
    pattern = RE2JS.compile(source);
    if (compiled.size >= MAX_CACHED_PATTERNS) compiled.clear();
    compiled.set(source, pattern);
  }
  return pattern;
}

/** re2js's message when it cannot compile the pattern, else undefined. */
export function patternCompileError(source: string): string | undefined {
  try {
    compile(source);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Whether the pattern matches anywhere in the value (as RegExp#test), or undefined when it does not compile. */
export function matchesPattern(source: string, value: string): boolean | undefined {
  let pattern: RE2JS;
  try {
    pattern = compile(source);
  } catch {
    return undefined;
  }
  return pattern.test(value);
}
