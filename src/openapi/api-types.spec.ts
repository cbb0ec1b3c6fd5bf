import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { API_TYPES_FILE, generateApiTypes } from './api-types';

const ROOT = resolve(__dirname, '../..');

describe(`${API_TYPES_FILE}, the TypeScript types of docs/openapi.json`, () => {
  it('is what openapi-typescript makes of the committed document (else: run npm run openapi)', async () => {
    const document = readFileSync(resolve(ROOT, 'docs/openapi.json'), 'utf8');
    const committed = readFileSync(resolve(ROOT, API_TYPES_FILE), 'utf8');
    const generated = await generateApiTypes(document);
    // One message instead of a 2,000-line diff: the fix is always the same.
    expect(committed === generated, `${API_TYPES_FILE} is out of date with docs/openapi.json: run npm run openapi`).toBe(true);
  });

  it('is generated the same way every time', async () => {
    const document = readFileSync(resolve(ROOT, 'docs/openapi.json'), 'utf8');
    expect(await generateApiTypes(document)).toBe(await generateApiTypes(document));
  });
});
