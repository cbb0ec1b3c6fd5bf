import { Body, Controller, Delete, Get, HttpCode, Param, Put, Res } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { RequirePermission } from '../auth/decorators';
import { ApiProblems } from '../common/errors/api-problems';
import { RESOURCE_NAME_PATTERN } from '../common/validation/names';
import { ResourceNamePipe } from '../common/validation/resource-name.pipe';
import { QUEUE_BODY_EXAMPLE, QUEUE_EXAMPLE, QUEUE_LIST_EXAMPLE } from './dto/examples';
import { QueueListResponseDto, QueueResponseDto } from './dto/queue-response.dto';
import { QueueDto } from './dto/queue.dto';
import { QueuesService } from './queues.service';

// Names are exact and case-sensitive; a name outside the pattern can never have been stored.
const QueueParam = () =>
  ApiParam({ name: 'name', description: 'The queue name', schema: { type: 'string', pattern: RESOURCE_NAME_PATTERN.source }, example: 'imports' });

@ApiTags('queues')
@Controller('job-manager/queues')
export class QueuesController {
  constructor(private readonly queues: QueuesService) {}

  @Get()
  @RequirePermission('SPENGCEMANJOBS')
  @ApiOperation({ summary: 'Every queue by name, with its running and ready jobs; queues actions name are included with the defaults' })
  @ApiOkResponse({ type: QueueListResponseDto, description: 'The queues', example: QUEUE_LIST_EXAMPLE })
  listQueues(): Promise<QueueListResponseDto> {
    return this.queues.list();
  }

  @Get(':name')
  @RequirePermission('SPENGCEMANJOBS')
  @QueueParam()
  @ApiOperation({ summary: 'One queue with its running and ready jobs' })
  @ApiOkResponse({ type: QueueResponseDto, description: 'The queue', example: QUEUE_EXAMPLE })
  @ApiProblems('NOT_FOUND')
  getQueue(@Param('name') name: string): Promise<QueueResponseDto> {
    return this.queues.get(name);
  }

  @Put(':name')
  @RequirePermission('QUEUES')
  @QueueParam()
  @ApiOperation({ summary: 'Create or replace a queue; absent fields take the defaults; applies to the next claim on every instance' })
  @ApiBody({ type: QueueDto, examples: { queue: { summary: 'Two at a time, at night, Paris time', value: QUEUE_BODY_EXAMPLE } } })
  @ApiCreatedResponse({ type: QueueResponseDto, description: 'Created', example: QUEUE_EXAMPLE })
  @ApiOkResponse({ type: QueueResponseDto, description: 'Replaced', example: QUEUE_EXAMPLE })
  async putQueue(
    @Param('name', ResourceNamePipe) name: string,
    @Body() body: QueueDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<QueueResponseDto> {
    const { created, resource } = await this.queues.put(name, body);
    reply.status(created ? 201 : 200);
    return resource;
  }

  @Delete(':name')
  @HttpCode(204)
  @RequirePermission('QUEUES')
  @QueueParam()
  @ApiOperation({ summary: 'Delete a queue; refused while an action names it or it holds unfinished jobs' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblems('NOT_FOUND', 'CONFLICT')
  async deleteQueue(@Param('name') name: string): Promise<void> {
    await this.queues.delete(name);
  }
}
