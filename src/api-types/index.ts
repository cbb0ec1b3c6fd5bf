// The wire types of docs/openapi.json, generated into ./openapi.ts by `npm run openapi`; docs/api.md tells how.
export type { components, operations, paths } from './openapi';
