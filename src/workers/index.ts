export { WorkersModule } from './workers.module';
export { LeaseReaper } from './lease-reaper';
