import { ApiProperty } from '@nestjs/swagger';
import type { Principal } from '../../common/principal';
import { type Resource } from '../../config/resources';
import { RESOURCE_ENUM } from './permissions.dto';

/** Who the caller is and what the permission map lets it do, so a client can hide what would be refused. */
export class CurrentPrincipalDto {
  @ApiProperty({ example: 'alice', description: 'The stable name used in the IPID (JWT sub, API key principal, user name)' })
  principal: string;

  @ApiProperty({ enum: ['jwt', 'api-key', 'basic'], enumName: 'CredentialKind', example: 'basic', description: 'How the caller signed in' })
  via: Principal['via'];

  @ApiProperty({ type: [String], example: ['Users'] })
  roles: string[];

  @ApiProperty({
    ...RESOURCE_ENUM,
    isArray: true,
    example: ['SPENGCEMANJOBS', 'JOBS_ALL'],
    description: 'The resources of the permission map the roles grant',
  })
  permissions: Resource[];
}
