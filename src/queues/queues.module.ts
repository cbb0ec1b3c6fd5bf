import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ActionQueues } from '../catalogue';
import { JobsModule, QUEUE_GATE } from '../jobs';
import { QueueEntity } from './queue.entity';
import { QueueClaimGate } from './queue-gate';
import { QueuesController } from './queues.controller';
import { QueuesFileLoader } from './queues-file.loader';
import { QueuesRepository } from './queues.repository';
import { QueuesService } from './queues.service';

/** The owner of the queues table; global so the claim in jobs/ reaches its gate without importing queues/. */
@Global()
@Module({
  // ActionQueues is catalogue's stateless reader of the actions table, provided here so catalogue/ need not know queues/.
  imports: [TypeOrmModule.forFeature([QueueEntity]), JobsModule],
  controllers: [QueuesController],
  providers: [QueueClaimGate, { provide: QUEUE_GATE, useExisting: QueueClaimGate }, QueuesRepository, QueuesService, QueuesFileLoader, ActionQueues],
  exports: [QUEUE_GATE],
})
export class QueuesModule {}
