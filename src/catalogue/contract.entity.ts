import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TimestampColumn } from '../database/columns';

export const CONTRACT_TYPES = ['INPUT', 'OUTPUT', 'MEDIATION', 'CONNECTION'] as const;
export type ContractType = (typeof CONTRACT_TYPES)[number];

@Entity({ name: 'contracts' })
@Index('UQ_contracts_name', ['name'], { unique: true })
export class ContractEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'varchar', length: 128 })
  name: string;

  @Column({ type: 'varchar', length: 16 })
  type: ContractType;

  @Column({ type: 'varchar', length: 128 })
  actor: string;

  @Column({ type: 'varchar', length: 1024, nullable: true })
  description: string | null;

  @Column({ type: 'boolean' })
  enabled: boolean;

  @TimestampColumn('created_at')
  createdAt: Date;

  @TimestampColumn('updated_at')
  updatedAt: Date;
}
