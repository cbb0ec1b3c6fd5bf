/** The columns a principal name is stored in: users.name, api_keys.principal, jobs.submitted_by. */
export const PRINCIPAL_NAME_MAX_LENGTH = 128;

const REFUSED_CHARACTERS = /[\p{Cc}\p{Cs}]/u;

/** The gateway's own principals (the scheduler): no credential can carry a name in it (docs/security.md, "Who is calling"). */
export const SYSTEM_PRINCIPAL_PREFIX = 'system:';

/** Non-empty, no control characters or lone surrogates, and fits the column in code points (as utf8mb4 counts). */
export function isPrincipalName(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length > 0 &&
    value.length <= 2 * PRINCIPAL_NAME_MAX_LENGTH &&
    [...value].length <= PRINCIPAL_NAME_MAX_LENGTH &&
    !REFUSED_CHARACTERS.test(value) &&
    !value.startsWith(SYSTEM_PRINCIPAL_PREFIX)
  );
}
