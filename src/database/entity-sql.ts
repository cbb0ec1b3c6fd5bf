import type { DataSource, EntityManager, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

// Uses TypeORM 1.1 driver internals (preparePersistentValue, prepareHydratedValue), pinned in package.json.

/** Hot-path SQL for a flat entity, values converted by the driver as the ORM would (docs/benchmarks.md, "Findings"). */
export class EntitySql<T extends ObjectLiteral> {
  private readonly metadata: EntityMetadata;
  private readonly insertColumns: ColumnMetadata[];
  private readonly selectList: string;
  private readonly selectByCondition = new Map<string, string>();
  readonly insertStatement: string;
  readonly table: string;

  constructor(
    private readonly dataSource: DataSource,
    target: EntityTarget<T>,
  ) {
    const { driver } = dataSource;
    this.metadata = dataSource.getMetadata(target);
    if (this.metadata.relations.length > 0 || this.metadata.embeddeds.length > 0) {
      throw new Error(`${this.metadata.name} has relations or embeddeds, which EntitySql does not map`);
    }
    const table = driver.escape(this.metadata.tableName);
    this.table = table;
    this.insertColumns = this.metadata.columns.filter((column) => !column.isGenerated);
    const names = this.insertColumns.map((column) => driver.escape(column.databaseName));
    this.insertStatement = `INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`;
    this.selectList = `SELECT ${this.metadata.columns.map((column) => driver.escape(column.databaseName)).join(', ')} FROM ${table}`;
  }

  /** The INSERT of `count` rows in one statement, then `suffix` (e.g. an ON DUPLICATE KEY clause). */
  insertRowsStatement(count: number, suffix = ''): string {
    const row = this.insertStatement.slice(this.insertStatement.lastIndexOf('('));
    return `${this.insertStatement}${`, ${row}`.repeat(count - 1)}${suffix}`;
  }

  insertParameters(entity: Partial<T>): unknown[] {
    const { driver } = this.dataSource;
    return this.insertColumns.map((column) => driver.preparePersistentValue(column.getEntityValue(entity), column));
  }

  /** A property's value as the driver binds it (a Date in each dialect's DATETIME form, JSON as text). */
  persistentValue(property: keyof T & string, value: unknown): unknown {
    return this.dataSource.driver.preparePersistentValue(value, this.column(property));
  }

  selectWhere(property: keyof T & string): string {
    return this.select(`${this.dataSource.driver.escape(this.column(property).databaseName)} = ?`);
  }

  /** `SELECT <every column> FROM <table> WHERE <condition>`, the condition in SQL column names. */
  select(condition: string): string {
    let sql = this.selectByCondition.get(condition);
    if (!sql) {
      sql = `${this.selectList} WHERE ${condition}`;
      this.selectByCondition.set(condition, sql);
    }
    return sql;
  }

  async find(manager: EntityManager, sql: string, parameters: unknown[]): Promise<T[]> {
    const rows = (await manager.query(sql, parameters)) as Record<string, unknown>[];
    return rows.map((row) => this.hydrate(row));
  }

  private column(property: keyof T & string): ColumnMetadata {
    const column = this.metadata.findColumnWithPropertyName(property);
    if (!column) throw new Error(`${this.metadata.name} has no column ${property}`);
    return column;
  }

  hydrate(row: Record<string, unknown>): T {
    const { driver } = this.dataSource;
    const entity = this.metadata.create() as T;
    for (const column of this.metadata.columns) {
      const value = row[column.databaseName];
      if (value !== undefined) column.setEntityValue(entity, driver.prepareHydratedValue(value, column));
    }
    return entity;
  }
}
