import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/decorators';
import { ApiProblems } from '../common/errors/api-problems';
import { LivenessDto, ReadinessDto } from './dto/health.dto';
import { HealthService } from './health.service';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @ApiOperation({ summary: 'Liveness: the process is up and serving HTTP' })
  @ApiOkResponse({ type: LivenessDto })
  getLiveness(): LivenessDto {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: the database answers within DATABASE_CONNECT_TIMEOUT_MS' })
  @ApiOkResponse({ type: ReadinessDto })
  @ApiProblems('DATABASE_UNAVAILABLE')
  getReadiness(): Promise<ReadinessDto> {
    return this.health.checkReady();
  }
}
