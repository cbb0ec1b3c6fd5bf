// A variable declaration (docs/contracts.md, "Variable declarations") in words, for the contracts view and the submit form.

/** What a declaration asks of its value, beyond type and description: `[{key, text, code?}]`, `code` shown as code. */
export function variableFacts(variable) {
  const facts = [];
  const add = (key, text, code) => facts.push(code === undefined ? { key, text } : { key, text, code });
  if (variable.required) add('required', 'required');
  if (variable.default !== undefined) add('default', 'default', JSON.stringify(variable.default));
  if (variable.enum) add('enum', 'one of', variable.enum.map((value) => JSON.stringify(value)).join(' | '));
  if (variable.pattern !== undefined) add('pattern', 'pattern', variable.pattern);
  const { minimum, maximum } = variable;
  if (minimum !== undefined && maximum !== undefined) add('bounds', `from ${minimum} to ${maximum}`);
  else if (minimum !== undefined) add('bounds', `at least ${minimum}`);
  else if (maximum !== undefined) add('bounds', `at most ${maximum}`);
  if (variable.maxLength !== undefined) {
    add('maxLength', `at most ${variable.maxLength} ${variable.type === 'array' ? 'items' : 'characters'}`);
  }
  if (variable.secret) add('secret', 'secret: never logged');
  return facts;
}
