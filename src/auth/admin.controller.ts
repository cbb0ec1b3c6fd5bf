import { Body, Controller, Delete, Get, HttpCode, Param, Patch, PipeTransform, Post, Put } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../common/errors/api-problems';
import { DomainError } from '../common/errors/domain-error';
import { ApiKeysService } from './api-keys/api-keys.service';
import { CurrentPrincipal, RequirePermission } from './decorators';
import { CreateApiKeyDto, CreateUserDto, RolesDto, UpdateUserDto } from './dto/admin.dto';
import { ApiKeyDto, CreatedApiKeyDto } from './dto/api-key.dto';
import { PermissionMapDto, RESOURCE_ENUM } from './dto/permissions.dto';
import { UserDto } from './dto/user.dto';
import { PermissionsService } from './permissions/permissions.service';
import { Principal } from '../common/principal';
import { isResource, RESOURCES } from '../config/resources';
import { UsersService } from './users/users.service';

// A malformed id is a refused field, like every other path parameter (docs/api.md, "Errors: problem details").
const API_KEY_ID: PipeTransform<string, number> = {
  transform(raw: string) {
    const id = /^[0-9]{1,16}$/.test(raw) ? Number(raw) : 0;
    if (id >= 1 && Number.isSafeInteger(id)) return id;
    throw new DomainError('VALIDATION_FAILED', 'The API key id must be a positive integer.', {
      errors: [{ field: 'id', message: 'must be a positive integer written in digits' }],
    });
  },
};

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
  @ApiCreatedResponse({ type: CreatedApiKeyDto, description: 'The key, shown this once: store it now' })
  createApiKey(@Body() body: CreateApiKeyDto, @CurrentPrincipal() principal: Principal): Promise<CreatedApiKeyDto> {
    return this.apiKeys.create(body, principal.name);
  }

  @Get('api-keys')
  @ApiOperation({ summary: 'List API keys (never their secrets)' })
  @ApiOkResponse({ type: [ApiKeyDto], description: 'Every key, revoked and expired ones included, oldest first' })
  listApiKeys(): Promise<ApiKeyDto[]> {
    return this.apiKeys.list();
  }

  @Delete('api-keys/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API key; it stops working at once on this instance, within 30 s on others' })
  @ApiParam({ name: 'id', schema: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER, example: 7 } })
  @ApiNoContentResponse({ description: 'Revoked (revoking a revoked key changes nothing)' })
  @ApiProblems('NOT_FOUND')
  async revokeApiKey(@Param('id', API_KEY_ID) id: number): Promise<void> {
    await this.apiKeys.revoke(id);
  }

  @Post('users')
  @ApiOperation({ summary: 'Create a local user (HTTP Basic)' })
  @ApiCreatedResponse({ type: UserDto })
  // AUTH_BUSY: hashing the password takes a scrypt slot, as a sign-in does.
  @ApiProblems('CONFLICT', 'AUTH_BUSY')
  createUser(@Body() body: CreateUserDto): Promise<UserDto> {
    return this.users.create(body.name, body.password, body.roles);
  }

  @Get('users')
  @ApiOperation({ summary: 'List local users' })
  @ApiOkResponse({ type: [UserDto], description: 'Every user, disabled ones included, by name' })
  listUsers(): Promise<UserDto[]> {
    return this.users.list();
  }

  @Patch('users/:name')
  @ApiOperation({ summary: "Change a local user's password, roles or enabled flag" })
  @ApiParam({ name: 'name', schema: { type: 'string', example: 'alice' } })
  @ApiOkResponse({ type: UserDto, description: 'The user as changed' })
  @ApiProblems('NOT_FOUND', 'AUTH_BUSY')
  updateUser(@Param('name') name: string, @Body() body: UpdateUserDto): Promise<UserDto> {
    return this.users.update(name, body);
  }

  @Get('permissions')
  @ApiOperation({ summary: 'The permission map: resource → roles' })
  @ApiOkResponse({ type: PermissionMapDto })
  getPermissions(): Promise<PermissionMapDto> {
    return this.permissions.getMap();
  }

  @Put('permissions/:resource')
  @ApiOperation({ summary: "Replace one resource's roles" })
  @ApiParam({ name: 'resource', ...RESOURCE_ENUM })
  @ApiOkResponse({ type: PermissionMapDto, description: 'The whole map after the change' })
  @ApiProblems('NOT_FOUND')
  setPermission(@Param('resource') resource: string, @Body() body: RolesDto): Promise<PermissionMapDto> {
    if (!isResource(resource)) {
      throw new DomainError('NOT_FOUND', `Unknown resource "${resource}"; known: ${RESOURCES.join(', ')}.`);
    }
    return this.permissions.setRoles(resource, body.roles);
  }
}
