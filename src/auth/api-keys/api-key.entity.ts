import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { JsonColumn, TimestampColumn } from '../../database/columns';

@Entity({ name: 'api_keys' })
@Index('UQ_api_keys_prefix', ['prefix'], { unique: true })
export class ApiKeyEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  /** Non-secret lookup handle, also shown in listings so an admin can tell keys apart. */
  @Column({ type: 'varchar', length: 16 })
  prefix: string;

  /** SHA-256 (hex) of the whole key; the key itself is shown once and never stored. */
  @Column({ name: 'secret_hash', type: 'varchar', length: 64 })
  secretHash: string;

  @Column({ type: 'varchar', length: 128 })
  principal: string;

  @JsonColumn('roles')
  roles: string[];

  @Column({ type: 'varchar', length: 255, nullable: true })
  description: string | null;

  @Column({ name: 'created_by', type: 'varchar', length: 128 })
  createdBy: string;

  @TimestampColumn('created_at')
  createdAt: Date;

  @TimestampColumn('expires_at', { nullable: true })
  expiresAt: Date | null;

  @TimestampColumn('revoked_at', { nullable: true })
  revokedAt: Date | null;

  @TimestampColumn('last_used_at', { nullable: true })
  lastUsedAt: Date | null;
}
