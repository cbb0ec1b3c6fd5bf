import { Body, Controller, Delete, Get, HttpCode, Param, Put, Res } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Authenticated, RequirePermission } from '../auth/decorators';
import { ApiProblems } from '../common/errors/api-problems';
import { ResourceNamePipe } from '../common/validation/resource-name.pipe';
import { ActionsService } from './actions.service';
import { ActionParam, ContractParam } from './catalogue-params';
import { ActionResponseDto } from './dto/action-response.dto';
import { ActionDto } from './dto/action.dto';
import { ACTION_BODY_EXAMPLE, ACTION_EXAMPLE } from './dto/examples';
import { answerPut } from './put-result';

@ApiTags('contracts')
@Controller('contracts/:contract/actions')
@ContractParam()
export class ActionsController {
  constructor(private readonly actions: ActionsService) {}

  @Get()
  @Authenticated()
  @ApiOperation({ summary: "A contract's actions, by name" })
  @ApiOkResponse({ type: [ActionResponseDto], description: "The contract's actions", example: [ACTION_EXAMPLE] })
  @ApiProblems('CONTRACT_NOT_FOUND')
  listActions(@Param('contract') contract: string): Promise<ActionResponseDto[]> {
    return this.actions.list(contract);
  }

  @Get(':action')
  @Authenticated()
  @ActionParam()
  @ApiOperation({ summary: 'One action' })
  @ApiOkResponse({ type: ActionResponseDto, description: 'The action', example: ACTION_EXAMPLE })
  @ApiProblems('CONTRACT_NOT_FOUND', 'ACTION_NOT_FOUND')
  getAction(@Param('contract') contract: string, @Param('action') action: string): Promise<ActionResponseDto> {
    return this.actions.get(contract, action);
  }

  @Put(':action')
  @RequirePermission('CONTRACTS')
  @ActionParam()
  @ApiOperation({ summary: 'Create or replace one action of an existing contract' })
  @ApiBody({ type: ActionDto, examples: { action: { summary: 'An import with three variables', value: ACTION_BODY_EXAMPLE } } })
  @ApiCreatedResponse({ type: ActionResponseDto, description: 'Created', example: ACTION_EXAMPLE })
  @ApiOkResponse({ type: ActionResponseDto, description: 'Replaced', example: ACTION_EXAMPLE })
  @ApiProblems('CONTRACT_NOT_FOUND')
  async putAction(
    @Param('contract') contract: string,
    @Param('action', ResourceNamePipe) action: string,
    @Body() body: ActionDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ActionResponseDto> {
    return answerPut(reply, await this.actions.put(contract, action, body));
  }

  @Delete(':action')
  @HttpCode(204)
  @RequirePermission('CONTRACTS')
  @ActionParam()
  @ApiOperation({ summary: 'Delete an action; jobs created from it keep their snapshot' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblems('CONTRACT_NOT_FOUND', 'ACTION_NOT_FOUND')
  async deleteAction(@Param('contract') contract: string, @Param('action') action: string): Promise<void> {
    await this.actions.delete(contract, action);
  }
}
