import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/decorators';
import { ConsoleService } from './console.service';

/** Public: the files hold no data, and the page's API calls carry the credentials (docs/console.md). */
@ApiExcludeController()
@Public()
@Controller('console')
export class ConsoleController {
  constructor(private readonly console: ConsoleService) {}

  @Get()
  page(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.console.send(this.console.page(), request, reply);
  }

  @Get('assets/:file')
  asset(@Param('file') file: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.console.send(this.console.asset(file), request, reply);
  }
}
