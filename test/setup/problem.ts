import { expect } from 'vitest';
import type { Response } from 'supertest';

/** Asserts an RFC 9457 problem-details response with the given status and stable code. */
export function expectProblem(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ status, code, type: expect.any(String), title: expect.any(String) });
  expect(typeof response.body.detail).toBe('string');
  expect(typeof response.body.instance).toBe('string');
}
