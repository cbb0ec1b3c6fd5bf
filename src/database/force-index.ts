import type { ObjectLiteral } from 'typeorm';
import { SelectQueryBuilder } from 'typeorm';

/**
 * TypeORM's `useIndex` emits `USE INDEX`, which only narrows MariaDB's choice: on a deep keyset
 * page it still picks `ref` on the index's first column and applies the seek predicate row by row
 * (docs/benchmarks.md, finding 6). `FORCE INDEX` makes the same index a range that starts at the
 * cursor. The hint is written only for MySQL/MariaDB, as TypeORM does for its own.
 */
class ForceIndexQueryBuilder<Entity extends ObjectLiteral> extends SelectQueryBuilder<Entity> {
  protected override createSelectExpression(): string {
    return super.createSelectExpression().replace(/ USE INDEX (\([^)]*\))$/, ' FORCE INDEX $1');
  }
}

/** A copy of `query` that MySQL/MariaDB must run on `index`; unchanged on SQLite. */
export function forceIndex<Entity extends ObjectLiteral>(query: SelectQueryBuilder<Entity>, index: string): SelectQueryBuilder<Entity> {
  return new ForceIndexQueryBuilder<Entity>(query).useIndex(index);
}
