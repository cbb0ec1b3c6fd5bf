import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module';
import { LeaseReaper } from './lease-reaper';
import { WorkersController } from './workers.controller';
import { WorkersRepository } from './workers.repository';
import { WorkersService } from './workers.service';

@Module({
  imports: [JobsModule],
  controllers: [WorkersController],
  providers: [WorkersService, WorkersRepository, LeaseReaper],
  exports: [WorkersRepository, LeaseReaper],
})
export class WorkersModule {}
