import request from 'supertest';
import type { Headers } from './auth';
import type { TestApp } from './create-test-app';

export const SUBMIT_PATH = '/job-manager/jobs';

export function submit(t: TestApp, headers: Headers, body: Record<string, unknown>) {
  return request(t.server).post(t.path(SUBMIT_PATH)).set(headers).send(body);
}
