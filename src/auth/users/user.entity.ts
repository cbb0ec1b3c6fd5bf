import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { JsonColumn, TimestampColumn } from '../../database/columns';

@Entity({ name: 'users' })
@Index('UQ_users_name', ['name'], { unique: true })
export class UserEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'varchar', length: 128 })
  name: string;

  /** scrypt$N$r$p$salt$hash, see password-hash.ts. */
  @Column({ name: 'password_hash', type: 'varchar', length: 255 })
  passwordHash: string;

  @JsonColumn('roles')
  roles: string[];

  @Column({ type: 'boolean' })
  enabled: boolean;

  @TimestampColumn('created_at')
  createdAt: Date;

  @TimestampColumn('updated_at')
  updatedAt: Date;
}
