import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal } from './decorators';
import { CurrentPrincipalDto } from './dto/me.dto';
import { PermissionsService } from './permissions/permissions.service';
import { Principal } from '../common/principal';

@ApiTags('auth')
@Controller('auth')
export class MeController {
  constructor(private readonly permissions: PermissionsService) {}

  @Get('me')
  @Authenticated()
  @ApiOperation({ summary: 'The caller: principal, roles and the permission-map resources they grant' })
  @ApiOkResponse({ type: CurrentPrincipalDto, description: 'Also 200, with no permissions, for a caller the map grants nothing' })
  getCurrentPrincipal(@CurrentPrincipal() principal: Principal): CurrentPrincipalDto {
    return {
      principal: principal.name,
      via: principal.via,
      roles: principal.roles,
      permissions: this.permissions.resourcesAllowed(principal.roles),
    };
  }
}
