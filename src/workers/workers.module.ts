import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs';
import { LeaseReaper } from './lease-reaper';
import { WorkersController } from './workers.controller';
import { WorkersService } from './workers.service';

@Module({
  imports: [JobsModule],
  controllers: [WorkersController],
  providers: [WorkersService, LeaseReaper],
  exports: [LeaseReaper],
})
export class WorkersModule {}
