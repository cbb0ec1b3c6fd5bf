import { Body, Controller, Delete, Get, HttpCode, Param, Put, Query, Res } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Authenticated, RequirePermission } from '../auth/decorators';
import { ApiProblems } from '../common/errors/api-problems';
import { ResourceNamePipe } from '../common/validation/resource-name.pipe';
import { ContractParam } from './catalogue-params';
import { ContractsService } from './contracts.service';
import { ContractListResponseDto, ContractResponseDto } from './dto/contract-response.dto';
import { ContractDto } from './dto/contract.dto';
import { CONTRACT_BODY_EXAMPLE, CONTRACT_EXAMPLE, CONTRACT_LIST_EXAMPLE } from './dto/examples';
import { ListContractsQueryDto } from './dto/list-contracts-query.dto';
import { answerPut } from './put-result';

@ApiTags('contracts')
@Controller('contracts')
export class ContractsController {
  constructor(private readonly contracts: ContractsService) {}

  @Get()
  @Authenticated()
  @ApiOperation({ summary: 'Contracts with their actions, by name; `next` links to the following page' })
  @ApiOkResponse({ type: ContractListResponseDto, description: 'One page of contracts', example: CONTRACT_LIST_EXAMPLE })
  @ApiProblems('INVALID_CURSOR')
  listContracts(@Query() query: ListContractsQueryDto): Promise<ContractListResponseDto> {
    return this.contracts.list(query);
  }

  @Get(':contract')
  @Authenticated()
  @ContractParam()
  @ApiOperation({ summary: 'One contract with its actions' })
  @ApiOkResponse({ type: ContractResponseDto, description: 'The contract', example: CONTRACT_EXAMPLE })
  @ApiProblems('CONTRACT_NOT_FOUND')
  getContract(@Param('contract') name: string): Promise<ContractResponseDto> {
    return this.contracts.get(name);
  }

  @Put(':contract')
  @RequirePermission('CONTRACTS')
  @ContractParam()
  @ApiOperation({ summary: 'Create or replace a contract; with `actions`, the action set becomes exactly that list' })
  @ApiBody({ type: ContractDto, examples: { contract: { summary: 'A contract with one action', value: CONTRACT_BODY_EXAMPLE } } })
  @ApiCreatedResponse({ type: ContractResponseDto, description: 'Created', example: CONTRACT_EXAMPLE })
  @ApiOkResponse({ type: ContractResponseDto, description: 'Replaced', example: CONTRACT_EXAMPLE })
  async putContract(
    @Param('contract', ResourceNamePipe) name: string,
    @Body() body: ContractDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ContractResponseDto> {
    return answerPut(reply, await this.contracts.put(name, body));
  }

  @Delete(':contract')
  @HttpCode(204)
  @RequirePermission('CONTRACTS')
  @ContractParam()
  @ApiOperation({ summary: 'Delete a contract and its actions; jobs created from them keep their snapshot' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblems('CONTRACT_NOT_FOUND')
  async deleteContract(@Param('contract') name: string): Promise<void> {
    await this.contracts.delete(name);
  }
}
