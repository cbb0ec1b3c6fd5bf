import { Body, Controller, Delete, Get, HttpCode, Param, Put, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Authenticated, RequirePermission } from '../auth/decorators';
import { ResourceNamePipe } from '../common/validation/resource-name.pipe';
import { ActionsService } from './actions.service';
import { ActionDto } from './dto/action.dto';
import { answerPut } from './put-result';

@ApiTags('contracts')
@Controller('contracts/:contract/actions')
export class ActionsController {
  constructor(private readonly actions: ActionsService) {}

  @Get()
  @Authenticated()
  @ApiOperation({ summary: "A contract's actions" })
  list(@Param('contract') contract: string) {
    return this.actions.list(contract);
  }

  @Get(':action')
  @Authenticated()
  @ApiOperation({ summary: 'One action' })
  get(@Param('contract') contract: string, @Param('action') action: string) {
    return this.actions.get(contract, action);
  }

  @Put(':action')
  @RequirePermission('CONTRACTS')
  @ApiOperation({ summary: 'Create or replace an action (201 created, 200 replaced)' })
  async put(
    @Param('contract') contract: string,
    @Param('action', ResourceNamePipe) action: string,
    @Body() body: ActionDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return answerPut(reply, await this.actions.put(contract, action, body));
  }

  @Delete(':action')
  @HttpCode(204)
  @RequirePermission('CONTRACTS')
  @ApiOperation({ summary: 'Delete an action; jobs created from it keep their snapshot' })
  async delete(@Param('contract') contract: string, @Param('action') action: string) {
    await this.actions.delete(contract, action);
  }
}
