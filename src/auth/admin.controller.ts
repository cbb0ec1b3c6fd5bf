import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, Patch, Post, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { DomainError } from '../common/errors/domain-error';
import { ApiKeysService } from './api-keys/api-keys.service';
import { CurrentPrincipal, RequirePermission } from './decorators';
import { CreateApiKeyDto, CreateUserDto, RolesDto, UpdateUserDto } from './dto/admin.dto';
import { PermissionsService } from './permissions/permissions.service';
import { Principal } from '../common/principal';
import { isResource, RESOURCES } from '../config/resources';
import { UsersService } from './users/users.service';

@ApiTags('admin')
@RequirePermission('ADMIN')
@Controller('admin')
export class AdminController {
  constructor(
    private readonly apiKeys: ApiKeysService,
    private readonly users: UsersService,
    private readonly permissions: PermissionsService,
  ) {}

  @Post('api-keys')
  @ApiOperation({ summary: 'Create an API key; the key is in this answer only' })
  createApiKey(@Body() body: CreateApiKeyDto, @CurrentPrincipal() principal: Principal) {
    return this.apiKeys.create(body, principal.name);
  }

  @Get('api-keys')
  @ApiOperation({ summary: 'List API keys (never their secrets)' })
  listApiKeys() {
    return this.apiKeys.list();
  }

  @Delete('api-keys/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API key; it stops working at once on this instance, within 30 s on others' })
  async revokeApiKey(@Param('id', ParseIntPipe) id: number) {
    await this.apiKeys.revoke(id);
  }

  @Post('users')
  @ApiOperation({ summary: 'Create a local user (HTTP Basic)' })
  createUser(@Body() body: CreateUserDto) {
    return this.users.create(body.name, body.password, body.roles);
  }

  @Get('users')
  @ApiOperation({ summary: 'List local users' })
  listUsers() {
    return this.users.list();
  }

  @Patch('users/:name')
  @ApiOperation({ summary: "Change a local user's password, roles or enabled flag" })
  updateUser(@Param('name') name: string, @Body() body: UpdateUserDto) {
    return this.users.update(name, body);
  }

  @Get('permissions')
  @ApiOperation({ summary: 'The permission map: resource → roles' })
  getPermissions() {
    return this.permissions.getMap();
  }

  @Put('permissions/:resource')
  @ApiOperation({ summary: "Replace one resource's roles" })
  setPermission(@Param('resource') resource: string, @Body() body: RolesDto) {
    if (!isResource(resource)) {
      throw new DomainError('NOT_FOUND', `Unknown resource "${resource}"; known: ${RESOURCES.join(', ')}.`);
    }
    return this.permissions.setRoles(resource, body.roles);
  }
}
