import type { ObjectLiteral } from 'typeorm';
import { SelectQueryBuilder } from 'typeorm';

/** `USE INDEX` → `FORCE INDEX` (docs/architecture.md, "Listing"); overrides a protected TypeORM 1.1 method, pinned in package.json. */
class ForceIndexQueryBuilder<Entity extends ObjectLiteral> extends SelectQueryBuilder<Entity> {
  protected override createSelectExpression(): string {
    return super.createSelectExpression().replace(/ USE INDEX (\([^)]*\))$/, ' FORCE INDEX $1');
  }
}

/** A copy of `query` that MySQL/MariaDB must run on `index`; unchanged on SQLite. */
export function forceIndex<Entity extends ObjectLiteral>(query: SelectQueryBuilder<Entity>, index: string): SelectQueryBuilder<Entity> {
  return new ForceIndexQueryBuilder<Entity>(query).useIndex(index);
}
