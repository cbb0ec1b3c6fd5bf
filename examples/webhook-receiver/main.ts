import { createWebhookReceiver } from './receiver';

const secret = process.env.WEBHOOK_SECRET;
if (!secret?.startsWith('whsec_')) throw new Error('Set WEBHOOK_SECRET to the secret of POST /admin/webhooks (whsec_…)');
const port = Number(process.env.PORT ?? '3000');

const server = createWebhookReceiver({
  secret,
  onEvent: (event, messageId) => {
    process.stdout.write(`${JSON.stringify({ messageId, type: event.type, jobId: event.data.job.id, status: event.data.job.status })}\n`);
  },
});
server.listen(port, () => process.stderr.write(`listening on http://localhost:${port}\n`));
