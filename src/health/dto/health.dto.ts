import { ApiProperty } from '@nestjs/swagger';

export class LivenessDto {
  @ApiProperty({ enum: ['ok'], example: 'ok', description: 'Always ok: an answer at all is the signal' }) status: 'ok';
}

export class ReadinessDto {
  @ApiProperty({ enum: ['ok'], example: 'ok' }) status: 'ok';
  @ApiProperty({ enum: ['up'], example: 'up', description: 'The database answered a ping; otherwise the answer is 503' }) database: 'up';
}
