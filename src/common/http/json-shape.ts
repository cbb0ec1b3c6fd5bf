import { DomainError } from '../errors/domain-error';

// Checked before parsing: class-transformer recursion overflowed on deep bodies (docs/security.md, "Hostile input").
export const MAX_JSON_DEPTH = 32;
export const MAX_JSON_VALUES = 50_000;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;

/** One pass over the bytes (structural characters are ASCII); malformed JSON is left to the parser. */
export function jsonShapeError(body: Uint8Array): DomainError | undefined {
  let depth = 0;
  let values = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
      continue;
    }
    if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      if (++depth > MAX_JSON_DEPTH) {
        return new DomainError('MALFORMED_REQUEST', `The JSON body nests deeper than ${MAX_JSON_DEPTH} levels.`);
      }
      values++;
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      depth--;
    } else if (byte === COMMA) {
      values++;
    }
    if (values > MAX_JSON_VALUES) {
      return new DomainError('PAYLOAD_TOO_LARGE', `The JSON body holds more than ${MAX_JSON_VALUES} values.`);
    }
  }
  return undefined;
}
