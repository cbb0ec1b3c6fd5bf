// The public surface of queues/ (docs/architecture.md).
export { QueuesModule } from './queues.module';
export { QueuesService } from './queues.service';
export { QueueResponseDto, QueueListResponseDto } from './dto/queue-response.dto';
