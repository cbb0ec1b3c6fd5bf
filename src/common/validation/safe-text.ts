import { ValidateBy, ValidationArguments, ValidationOptions } from 'class-validator';

// C0, DEL and C1; free text keeps tab, line feed and carriage return (docs/contracts.md, "Text fields").
const CONTROLS = /\p{Cc}/u;
const CONTROLS_BUT_LINE_BREAKS = /[^\P{Cc}\t\n\r]/u;

export interface SafeTextOptions {
  freeText?: boolean;
}

/** ES2024's String.prototype.isWellFormed (Node 20), which the ES2023 lib does not declare. */
export function isWellFormed(value: string): boolean {
  return (value as string & { isWellFormed(): boolean }).isWellFormed();
}

export function unsafeTextReason(value: string, options: SafeTextOptions = {}): string | undefined {
  if (!isWellFormed(value)) return 'must be well-formed Unicode (no lone surrogates)';
  if (options.freeText) {
    if (CONTROLS_BUT_LINE_BREAKS.test(value)) return 'must not contain control characters other than tab and line breaks';
  } else if (CONTROLS.test(value)) {
    return 'must not contain control characters';
  }
  return undefined;
}

/** Code points, which is how MySQL counts a varchar's characters (lone surrogates count one each). */
export function charCount(value: string): number {
  let count = 0;
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < value.length) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}

const itemsOf = (args: ValidationArguments): unknown[] => (Array.isArray(args.value) ? args.value : [args.value]);

export function IsSafeText(options: SafeTextOptions & ValidationOptions = {}): PropertyDecorator {
  const { freeText, ...validationOptions } = options;
  const reason = (value: unknown) => (typeof value === 'string' ? unsafeTextReason(value, { freeText }) : 'must be a string');
  return ValidateBy(
    {
      name: 'isSafeText',
      validator: {
        validate: (value: unknown) => reason(value) === undefined,
        defaultMessage: (args?: ValidationArguments) => {
          const found = args ? itemsOf(args).map(reason).find(Boolean) : undefined;
          return `${args?.property ?? 'value'} ${found ?? 'must be safe text'}`;
        },
      },
    },
    validationOptions,
  );
}

/** Length in characters as a MySQL varchar counts them; class-validator's MaxLength skips variation selectors. */
export function CharLength(min: number, max: number, options: ValidationOptions = {}): PropertyDecorator {
  return ValidateBy(
    {
      name: 'charLength',
      constraints: [min, max],
      validator: {
        validate: (value: unknown) => typeof value === 'string' && charCount(value) >= min && charCount(value) <= max,
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property ?? 'value'} must be ${min === 0 ? `at most ${max}` : `${min}-${max}`} characters long`,
      },
    },
    options,
  );
}
