/** Contract, action and queue names: safe in paths, logs and filters (docs/contracts.md, "REST"). */
export const RESOURCE_NAME_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;
export const RESOURCE_NAME_MESSAGE = 'must be 1-128 characters of letters, digits, ".", "_" or "-"';
