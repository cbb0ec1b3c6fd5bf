import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs';
import { JobRetention } from './job-retention';

@Module({ imports: [JobsModule], providers: [JobRetention], exports: [JobRetention] })
export class RetentionModule {}
