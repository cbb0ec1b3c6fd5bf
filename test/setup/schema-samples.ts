import { seededRandom } from './seeded-random';

/** The part of OpenAPI 3 schemas that @nestjs/swagger writes into docs/openapi.json. */
export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  example?: unknown;
  nullable?: boolean;
}

/** Seeded choices: every request of a run follows from the seed. */
export function prng(seed: number) {
  const next = seededRandom(seed);
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)];
  return { next, int, pick, chance: (p: number) => next() < p };
}
export type Random = ReturnType<typeof prng>;

export const ODD_STRINGS = [
  '', ' ', '\u0000', '\ud800', '\udfff\ud800', '\u202e\u0301abc', '\u200b', 'İı', 'e\u0301', '😀'.repeat(70), 'x'.repeat(5000),
  '%00', '%zz', '../../etc/passwd', "' OR 1=1 --", '<script>', '__proto__', 'constructor', 'NaN', '1e309', '-0', 'null', '[]', '{}',
];
const ODD_NUMBERS = [1e308, -1e308, 2 ** 64, 2 ** 53 + 1, -(2 ** 63), 1e-320, 0.5, -0];
const EXTRA_KEYS = ['extra', 'constructor', 'toString', 'hasOwnProperty', '__proto__', '', 'a.b', '😀'];
const MUTATIONS = ['wrongType', 'nestedArray', 'null', 'oddNumber', 'deep', 'oddString', 'missingRequired', 'extraProperty', 'empty', 'long'] as const;
type Mutation = (typeof MUTATIONS)[number];

type Json = unknown;
type Location = { holder: Record<string, unknown> | unknown[]; key: string | number; schema: Schema; depth: number };

/** Builds values for the schemas of one OpenAPI document, valid-ish or mutated, from a seeded random source. */
export class SchemaSampler {
  private mutations = 0;

  constructor(
    private readonly components: Record<string, Schema>,
    private readonly random: Random,
    /** Values that reach past the validators (an existing contract, a live lease token), by property name. */
    private readonly hints: Record<string, () => Json>,
  ) {}

  private resolve(schema: Schema): Schema {
    return schema.$ref ? this.resolve(this.components[schema.$ref.split('/').pop() as string]) : schema;
  }

  /** A value that follows the schema, mostly: names with a hint take the hint's value. */
  valid(input: Schema, name = '', depth = 0): Json {
    const { random } = this;
    const schema = this.resolve(input);
    if (this.hints[name]) return this.hints[name]();
    if (schema.enum) return random.pick(schema.enum);
    if (schema.example !== undefined && random.chance(0.5)) return structuredClone(schema.example);
    switch (schema.type) {
      case 'string':
        if (schema.format === 'date-time') return new Date(Date.UTC(2026, random.int(12), 1 + random.int(28))).toISOString();
        if (schema.pattern?.includes('\\d')) return String(1 + random.int(999));
        return 'fuzz-'.concat('abcdefghij'.slice(0, random.int(10))).slice(0, schema.maxLength ?? 64);
      case 'number':
      case 'integer': {
        const min = schema.minimum ?? 0;
        const max = schema.maximum ?? 1000;
        return min + random.int(Math.min(max - min, 1000) + 1);
      }
      case 'boolean':
        return random.chance(0.5);
      case 'array':
        return Array.from({ length: depth > 3 ? 1 : 1 + random.int(3) }, () => this.valid(schema.items ?? {}, '', depth + 1));
      default:
        return this.validObject(schema, depth);
    }
  }

  private validObject(schema: Schema, depth: number): Json {
    const value: Record<string, Json> = {};
    for (const [key, property] of Object.entries(schema.properties ?? {})) {
      if (schema.required?.includes(key) || this.random.chance(0.75)) value[key] = this.valid(property, key, depth + 1);
    }
    if (schema.additionalProperties && this.random.chance(0.5)) {
      const extra = schema.additionalProperties === true ? {} : schema.additionalProperties;
      value[`k${this.random.int(10)}`] = this.valid(extra.type ? extra : { type: 'string' }, '', depth + 1);
    }
    return value;
  }

  /** A valid-ish value with one or two mutations, their kinds taken in turn so that each kind hits every operation. */
  mutated(schema: Schema): Json {
    const root = { value: this.valid(schema) };
    for (let i = 1 + this.random.int(2); i > 0; i--) {
      const kind = MUTATIONS[this.mutations++ % MUTATIONS.length];
      this.mutate(kind, this.placeFor(kind, this.locations(root, 'value', schema, 0)));
    }
    return root.value;
  }

  /** Structural mutations go where they matter: nested arrays at items that must be objects, property changes on objects. */
  private placeFor(kind: Mutation, locations: Location[]): Location {
    const fits = locations.filter(({ holder, key, schema }) => {
      if (kind === 'nestedArray') return Array.isArray(holder) && (schema.type === 'object' || schema.properties !== undefined);
      if (kind === 'missingRequired' || kind === 'extraProperty') return isRecord((holder as Record<string | number, unknown>)[key]);
      return true;
    });
    return this.random.pick(fits.length > 0 ? fits : locations);
  }

  private locations(holder: Location['holder'], key: string | number, input: Schema, depth: number): Location[] {
    const schema = this.resolve(input);
    const value = (holder as Record<string | number, unknown>)[key];
    const here: Location = { holder, key, schema, depth };
    if (Array.isArray(value)) return [here, ...value.flatMap((_, i) => this.locations(value, i, schema.items ?? {}, depth + 1))];
    if (isRecord(value)) return [here, ...Object.keys(value).flatMap((k) => this.locations(value, k, schema.properties?.[k] ?? {}, depth + 1))];
    return [here];
  }

  private mutate(kind: Mutation, { holder, key, schema, depth }: Location): void {
    const { random } = this;
    const slot = holder as Record<string | number, unknown>;
    const value = slot[key];
    switch (kind) {
      case 'wrongType': slot[key] = random.pick([123, -1, true, 'text', {}, [], { a: 1 }, [1, 'a', null]]); break;
      case 'nestedArray': slot[key] = random.pick([[], [value], [[]], [[value]]]); break;
      case 'null': slot[key] = null; break;
      case 'oddNumber': slot[key] = random.pick(ODD_NUMBERS); break;
      case 'deep': slot[key] = nest(value, Math.max(1, 28 - depth - random.int(10)), random); break;
      case 'oddString': slot[key] = random.pick(ODD_STRINGS); break;
      case 'missingRequired': {
        const required = isRecord(value) ? (schema.required ?? []).filter((name) => name in value) : [];
        if (isRecord(value) && required.length > 0) delete value[random.pick(required)];
        else slot[key] = undefined;
        break;
      }
      case 'extraProperty':
        // An own property, even for '__proto__': an assignment would set the prototype instead.
        if (isRecord(value)) Object.defineProperty(value, random.pick(EXTRA_KEYS), { value: this.valid({}), enumerable: true, writable: true, configurable: true });
        else slot[key] = { extra: value };
        break;
      case 'empty': slot[key] = random.pick(['', [], {}]); break;
      case 'long': slot[key] = String(value ?? '').padEnd(random.pick([65, 129, 257, 1025, 4097, 70_000]), 'x');
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nest(value: Json, depth: number, random: Random): Json {
  let nested = value;
  for (let i = 0; i < depth; i++) nested = random.chance(0.5) ? [nested] : { a: nested };
  return nested;
}
