import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiInstant } from '../../common/openapi/api-fields';
import { CONTRACT_TYPES, ContractType } from '../contract.entity';
import { ActionResponseDto } from './action-response.dto';

/** A contract as stored, with all its actions by name. */
export class ContractResponseDto {
  @ApiProperty({ example: 'acme-orders' }) name: string;
  @ApiProperty({ enum: CONTRACT_TYPES, enumName: 'ContractType', example: 'INPUT' }) type: ContractType;
  @ApiProperty({ example: 'ACME' }) actor: string;
  @ApiProperty({ type: String, nullable: true, example: "Orders received from ACME's ERP" }) description: string | null;
  @ApiProperty({ example: true }) enabled: boolean;
  @ApiInstant() createdAt: string;
  @ApiInstant() updatedAt: string;
  @ApiProperty({ type: [ActionResponseDto] }) actions: ActionResponseDto[];
}

export class ContractListResponseDto {
  @ApiProperty({ type: [ContractResponseDto] }) contracts: ContractResponseDto[];
  @ApiPropertyOptional({
    example: '/ghibli-rest/v2/contracts?maxItems=2&cursor=eyJhZnRlciI6ImFjbWUtb3JkZXJzIn0.c2lnbmF0dXJlLWJ5dGVz',
    description: 'Absolute path (from the context path) of the next page; absent on the last page',
  })
  next?: string;
}
