import { afterEach, describe, expect, it } from 'vitest';
import { checkResponse, violations } from './setup/conformance';

const JOB_PATH = '/ghibli-rest/v2/job-manager/jobs/1';
const json = { 'content-type': 'application/json; charset=utf-8', 'x-correlation-id': 'c-1' };
const problemJson = { ...json, 'content-type': 'application/problem+json' };
const problem = (status: number, code: string) =>
  JSON.stringify({ type: 'urn:x', title: 't', status, detail: 'd', instance: JOB_PATH, code });

describe('the response conformance check every e2e suite runs', () => {
  afterEach(() => {
    violations.length = 0;
  });

  it('accepts an answer the document describes', () => {
    checkResponse('GET', '/job-manager/jobs/:id', JOB_PATH, 404, problemJson, problem(404, 'JOB_NOT_FOUND'));
    expect(violations).toEqual([]);
  });

  it('flags a status the operation does not declare', () => {
    checkResponse('GET', '/job-manager/jobs/:id', JOB_PATH, 409, problemJson, problem(409, 'CONFLICT'));
    expect(violations.map((v) => v.problem)).toEqual([expect.stringContaining('does not declare 409')]);
  });

  it('flags a problem code the status does not list for the operation', () => {
    checkResponse('GET', '/job-manager/jobs/:id', JOB_PATH, 404, problemJson, problem(404, 'CONTRACT_NOT_FOUND'));
    expect(violations.map((v) => v.problem)).toEqual([expect.stringContaining('body/code must be equal to one of the allowed values')]);
  });

  it('flags a field the schema does not declare, and a missing one', () => {
    checkResponse('POST', '/job-manager/jobs/:id/logs', JOB_PATH, 200, json, JSON.stringify({ appended: 1, extra: true }));
    checkResponse('POST', '/job-manager/jobs/:id/logs', JOB_PATH, 200, json, JSON.stringify({}));
    expect(violations.map((v) => v.problem)).toEqual([
      expect.stringContaining('must NOT have additional properties'),
      expect.stringContaining("must have required property 'appended'"),
    ]);
  });

  it('flags a header the response does not declare', () => {
    checkResponse('GET', '/job-manager/jobs/:id', JOB_PATH, 404, { ...problemJson, location: '/x' }, problem(404, 'JOB_NOT_FOUND'));
    expect(violations.map((v) => v.problem)).toEqual(['header location is not declared']);
  });

  it('requires problem details on unrouted errors', () => {
    checkResponse('GET', undefined, '/ghibli-rest/v2/nowhere', 404, { 'content-type': 'text/plain' }, 'Not Found');
    expect(violations.map((v) => v.problem)).toEqual(['an unrouted 404 answered text/plain']);
  });
});
