import type { DataSource, EntityManager, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

/**
 * Hand-written statements for the hottest paths of a flat entity (no relations, no embeddeds),
 * with values converted by the driver exactly as the ORM converts them (dates per dialect, JSON
 * columns, booleans): only the per-call query building and result transformation are skipped,
 * which cost a submission about 15 % of its CPU (docs/benchmarks.md). The SQL is written once.
 */
export class EntitySql<T extends ObjectLiteral> {
  private readonly metadata: EntityMetadata;
  private readonly insertColumns: ColumnMetadata[];
  private readonly selectList: string;
  private readonly selectByCondition = new Map<string, string>();
  readonly insertStatement: string;

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
    this.insertColumns = this.metadata.columns.filter((column) => !column.isGenerated);
    const names = this.insertColumns.map((column) => driver.escape(column.databaseName));
    this.insertStatement = `INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`;
    this.selectList = `SELECT ${this.metadata.columns.map((column) => driver.escape(column.databaseName)).join(', ')} FROM ${table}`;
  }

  /** The values of insertStatement's placeholders, in order. */
  insertParameters(entity: Partial<T>): unknown[] {
    const { driver } = this.dataSource;
    return this.insertColumns.map((column) => driver.preparePersistentValue(column.getEntityValue(entity), column));
  }

  /** A property's value as the driver binds it (a Date in each dialect's DATETIME form, JSON as text). */
  persistentValue(property: keyof T & string, value: unknown): unknown {
    return this.dataSource.driver.preparePersistentValue(value, this.column(property));
  }

  /** `SELECT <every column> FROM <table> WHERE <column> = ?` for an entity property. */
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

  /** Runs a statement of select() or selectWhere() and hydrates its rows. */
  async find(manager: EntityManager, sql: string, parameters: unknown[]): Promise<T[]> {
    const rows = (await manager.query(sql, parameters)) as Record<string, unknown>[];
    return rows.map((row) => this.hydrate(row));
  }

  private column(property: keyof T & string): ColumnMetadata {
    const column = this.metadata.findColumnWithPropertyName(property);
    if (!column) throw new Error(`${this.metadata.name} has no column ${property}`);
    return column;
  }

  /** An entity from a row of a select() statement. */
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
