import { afterAll, expect } from 'vitest';
import { violations } from './conformance';

// Runs after each test file: an answer the document does not describe fails the file that received it.
afterAll(() => {
  // One line per distinct problem, with the first request that showed it.
  const distinct = [...new Map(violations.map((v) => [v.problem, `${v.problem} (${v.status} to ${v.request})`])).values()];
  expect(distinct, 'answers that docs/openapi.json does not describe (run `npm run openapi` after changing DTOs)').toEqual([]);
});
