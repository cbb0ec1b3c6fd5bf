import { ApiExtension } from '@nestjs/swagger';
import { ErrorCode } from './error-codes';

/** OpenAPI extension naming the codes an operation answers beyond those its shape implies (docs/api.md, "Errors"). */
export const PROBLEM_CODES_EXTENSION = 'x-problem-codes';

/**
 * The error codes this operation can answer besides the ones the document derives from its shape
 * (credentials, permission, rate limit, body, parameters): the OpenAPI builder turns them into responses.
 */
export const ApiProblems = (...codes: ErrorCode[]) => ApiExtension(PROBLEM_CODES_EXTENSION, codes);
