import { Entity, PrimaryColumn } from 'typeorm';
import { JsonColumn, TimestampColumn } from '../../database/columns';

@Entity({ name: 'permissions' })
export class PermissionEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  resource: string;

  @JsonColumn('roles')
  roles: string[];

  @TimestampColumn('updated_at')
  updatedAt: Date;
}
