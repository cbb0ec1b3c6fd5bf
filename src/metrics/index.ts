// The metrics feature's public surface (docs/architecture.md).
export { MetricsModule } from './metrics.module';
export { GatewayMetrics, submissionOutcome } from './gateway-metrics';
