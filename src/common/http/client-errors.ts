import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { ERROR_CODES, ErrorCode } from '../errors/error-codes';
import { PROBLEM_CONTENT_TYPE, problemType } from '../errors/problem-details';

export function clientErrorCode(error: { code?: string }): Extract<ErrorCode, 'REQUEST_TIMEOUT' | 'HEADERS_TOO_LARGE' | 'MALFORMED_REQUEST'> {
  switch (error.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return 'REQUEST_TIMEOUT';
    case 'HPE_HEADER_OVERFLOW':
      return 'HEADERS_TOO_LARGE';
    default:
      return 'MALFORMED_REQUEST';
  }
}

const DETAILS: Record<ReturnType<typeof clientErrorCode>, string> = {
  REQUEST_TIMEOUT: 'The request was not received in time.',
  HEADERS_TOO_LARGE: 'The request line and headers exceed the size this server accepts.',
  MALFORMED_REQUEST: 'The request is not valid HTTP.',
};

/** Fastify's clientErrorHandler: problem details, then close, as the framing is lost (docs/security.md, "Hostile input"). */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const code = clientErrorCode(error);
  const { status, title } = ERROR_CODES[code];
  const body = JSON.stringify({ type: problemType(code), title, status, detail: DETAILS[code], code });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
        `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
