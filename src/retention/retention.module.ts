import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs';
import { WebhooksModule } from '../webhooks';
import { JobRetention } from './job-retention';

@Module({ imports: [JobsModule, WebhooksModule], providers: [JobRetention], exports: [JobRetention] })
export class RetentionModule {}
