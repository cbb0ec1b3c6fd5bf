import { ApiProperty } from '@nestjs/swagger';
import { ApiInstant, ApiInteger } from '../../common/openapi/api-fields';
import { QUEUE_STATUSES, type QueueStatus } from '../queue.entity';
import { TimeSlotDto } from './queue.dto';

/** A queue with every field, defaults filled in, and its live counts. */
export class QueueResponseDto {
  @ApiProperty({ example: 'imports' }) name: string;
  @ApiProperty({ type: String, nullable: true, example: 'Nightly imports of partner orders' }) description: string | null;
  @ApiInteger({ minimum: 1, maximum: 10, example: 5, description: '1 (very low) to 10 (very high)' }) priority: number;
  @ApiInteger({ minimum: 0, example: 2, description: 'At most this many RUNNING jobs; 0: unbounded' }) parallelism: number;
  @ApiProperty({ enum: QUEUE_STATUSES, enumName: 'QueueStatus', example: 'ENABLED' }) status: QueueStatus;
  @ApiProperty({ type: [TimeSlotDto] }) timeSlots: TimeSlotDto[];
  @ApiProperty({ example: 'UTC', description: 'IANA time zone the slots are read in' }) timezone: string;
  @ApiInteger({ minimum: 0, example: 1, description: 'Jobs of the queue RUNNING now' }) running: number;
  @ApiInteger({ minimum: 0, example: 12, description: 'Jobs SUBMITTED and due (notBefore and retry delay passed): claimable when the queue is open' }) ready: number;
  @ApiInstant() createdAt: string;
  @ApiInstant() updatedAt: string;
}

export class QueueListResponseDto {
  @ApiProperty({ type: [QueueResponseDto], description: 'Every queue, by name' }) queues: QueueResponseDto[];
}
