import { Module } from '@nestjs/common';
import { JobRetention } from './job-retention';
import { RetentionRepository } from './retention.repository';

@Module({ providers: [JobRetention, RetentionRepository], exports: [JobRetention] })
export class RetentionModule {}
