import { ErrorCode } from './error-codes';

export interface FieldError {
  field: string;
  message: string;
}

/** An error the client must know about; `extensions` become members of the problem (e.g. `currentStatus`). */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly options: {
      errors?: FieldError[];
      extensions?: Record<string, unknown>;
      headers?: Record<string, string>;
    } = {},
  ) {
    super(detail);
    this.name = 'DomainError';
  }
}
