import { Body, Controller, Delete, Get, HttpCode, Param, Put, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Authenticated, RequirePermission } from '../auth/decorators';
import { nextLink } from '../common/paging/next-link';
import { ResourceNamePipe } from '../common/validation/resource-name.pipe';
import { AppConfig } from '../config/app-config';
import { ContractsService } from './contracts.service';
import { ContractDto, ListContractsQueryDto } from './dto/contract.dto';

@ApiTags('contracts')
@Controller('contracts')
export class ContractsController {
  constructor(
    private readonly contracts: ContractsService,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @Authenticated()
  @ApiOperation({ summary: 'Contracts with their actions, by name; `next` links to the following page' })
  async list(@Query() query: ListContractsQueryDto) {
    const maxItems = query.maxItems === undefined ? 100 : Number(query.maxItems);
    const enabled = query.enabled === undefined ? undefined : query.enabled === 'true';
    const page = await this.contracts.list({ type: query.type, actor: query.actor, enabled }, maxItems, query.cursor);
    return {
      contracts: page.contracts,
      ...(page.cursor ? { next: nextLink(this.config.http.contextPath, '/contracts', { ...query }, page.cursor) } : {}),
    };
  }

  @Get(':contract')
  @Authenticated()
  @ApiOperation({ summary: 'One contract with its actions' })
  get(@Param('contract') name: string) {
    return this.contracts.get(name);
  }

  @Put(':contract')
  @RequirePermission('CONTRACTS')
  @ApiOperation({ summary: 'Create or replace a contract (201 created, 200 replaced)' })
  async put(
    @Param('contract', ResourceNamePipe) name: string,
    @Body() body: ContractDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.contracts.put(name, body);
    reply.status(result.created ? 201 : 200);
    return result.contract;
  }

  @Delete(':contract')
  @HttpCode(204)
  @RequirePermission('CONTRACTS')
  @ApiOperation({ summary: 'Delete a contract and its actions; jobs created from them keep their snapshot' })
  async delete(@Param('contract') name: string) {
    await this.contracts.delete(name);
  }
}
