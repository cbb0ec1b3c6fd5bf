import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../auth/decorators';
import { SCHEDULE_LIST_EXAMPLE } from './dto/examples';
import { ScheduleListResponseDto } from './dto/schedule-response.dto';
import { SchedulesService } from './schedules.service';

@ApiTags('schedules')
@Controller('job-manager/schedules')
export class SchedulesController {
  constructor(private readonly schedules: SchedulesService) {}

  @Get()
  @RequirePermission('SPENGCEMANJOBS')
  @ApiOperation({ summary: 'Every TIME action with its schedule, its next 5 fires and the last fire this instance submitted' })
  @ApiOkResponse({ type: ScheduleListResponseDto, description: 'The schedules', example: SCHEDULE_LIST_EXAMPLE })
  listSchedules(): Promise<ScheduleListResponseDto> {
    return this.schedules.list();
  }
}
