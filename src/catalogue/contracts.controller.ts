import { Body, Controller, Delete, Get, HttpCode, Param, Put, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Authenticated, RequirePermission } from '../auth/decorators';
import { ResourceNamePipe } from '../common/validation/resource-name.pipe';
import { ContractsService } from './contracts.service';
import { ContractDto } from './dto/contract.dto';
import { ListContractsQueryDto } from './dto/list-contracts-query.dto';
import { answerPut } from './put-result';

@ApiTags('contracts')
@Controller('contracts')
export class ContractsController {
  constructor(private readonly contracts: ContractsService) {}

  @Get()
  @Authenticated()
  @ApiOperation({ summary: 'Contracts with their actions, by name; `next` links to the following page' })
  list(@Query() query: ListContractsQueryDto) {
    return this.contracts.list(query);
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
    return answerPut(reply, await this.contracts.put(name, body));
  }

  @Delete(':contract')
  @HttpCode(204)
  @RequirePermission('CONTRACTS')
  @ApiOperation({ summary: 'Delete a contract and its actions; jobs created from them keep their snapshot' })
  async delete(@Param('contract') name: string) {
    await this.contracts.delete(name);
  }
}
