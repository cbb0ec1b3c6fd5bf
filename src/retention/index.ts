export { RetentionModule } from './retention.module';
export { JobRetention } from './job-retention';
