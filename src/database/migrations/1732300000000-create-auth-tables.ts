import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { migrationColumns } from '../migration-columns';

export class CreateAuthTables1732300000000 implements MigrationInterface {
  name = 'CreateAuthTables1732300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = migrationColumns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'users',
        columns: [
          c.id(),
          c.string('name', 128, { exact: true }),
          c.string('password_hash', 255),
          c.json('roles'),
          c.boolean('enabled'),
          c.timestamp('created_at'),
          c.timestamp('updated_at'),
        ],
        indices: [new TableIndex({ name: 'UQ_users_name', columnNames: ['name'], isUnique: true })],
      }),
      true,
    );
    await queryRunner.createTable(
      new Table({
        name: 'api_keys',
        columns: [
          c.id(),
          c.asciiKey('prefix', 16),
          c.asciiKey('secret_hash', 64),
          c.string('principal', 128, { exact: true }),
          c.json('roles'),
          c.string('description', 255, { nullable: true }),
          c.string('created_by', 128, { exact: true }),
          c.timestamp('created_at'),
          c.timestamp('expires_at', { nullable: true }),
          c.timestamp('revoked_at', { nullable: true }),
          c.timestamp('last_used_at', { nullable: true }),
        ],
        indices: [new TableIndex({ name: 'UQ_api_keys_prefix', columnNames: ['prefix'], isUnique: true })],
      }),
      true,
    );
    await queryRunner.createTable(
      new Table({
        name: 'permissions',
        columns: [{ ...c.asciiKey('resource', 64), isPrimary: true }, c.json('roles'), c.timestamp('updated_at')],
      }),
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('permissions', true);
    await queryRunner.dropTable('api_keys', true);
    await queryRunner.dropTable('users', true);
  }
}
