export { MAX_DESCRIPTION_CHARS, VARIABLE_NAME_PATTERN, VARIABLE_TYPES, validateDeclarations } from './variable-declaration';
export { MAX_PATTERN_CHARS } from './pattern';
export type { FieldError, VariableDeclaration, VariableType } from './variable-declaration';
export {
  FORBIDDEN_KEYS,
  MAX_VALUE_DEPTH,
  MAX_VALUE_NODES,
  MAX_VALUES_BYTES,
  validateVariables,
} from './validate-variables';
export type { ValidateVariablesResult } from './validate-variables';
