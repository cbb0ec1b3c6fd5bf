import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminController } from './admin.controller';
import { ApiKeyEntity } from './api-keys/api-key.entity';
import { ApiKeysService } from './api-keys/api-keys.service';
import { MeController } from './me.controller';
import { BootstrapAdmin } from './bootstrap-admin';
import { PermissionGuard } from './permission.guard';
import { PermissionEntity } from './permissions/permission.entity';
import { PermissionsService } from './permissions/permissions.service';
import { JwtVerifier } from './strategies/jwt-verifier';
import { ApiKeyStrategy, BasicStrategy, JwtStrategy, StrategyRegistry } from './strategies/strategies';
import { LoginThrottle } from './users/login-throttle';
import { PasswordHasher } from './users/password-hasher';
import { UserEntity } from './users/user.entity';
import { UsersService } from './users/users.service';

@Module({
  imports: [PassportModule, TypeOrmModule.forFeature([UserEntity, ApiKeyEntity, PermissionEntity])],
  controllers: [AdminController, MeController],
  providers: [
    UsersService,
    PasswordHasher,
    LoginThrottle,
    ApiKeysService,
    PermissionsService,
    JwtVerifier,
    StrategyRegistry,
    JwtStrategy,
    ApiKeyStrategy,
    BasicStrategy,
    BootstrapAdmin,
    { provide: APP_GUARD, useClass: PermissionGuard },
  ],
  exports: [PermissionsService, UsersService, ApiKeysService],
})
export class AuthModule {}
