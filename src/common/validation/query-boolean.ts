import { Transform } from 'class-transformer';

/** "true"/"false" from a query string as a boolean; anything else is left for the validator to refuse. */
export const QueryBoolean = () => Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value));
