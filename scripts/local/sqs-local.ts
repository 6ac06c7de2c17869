import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { createRequestHandler } from 'local-aws-sqs';
import { LOCAL_REGION } from './local-aws';
import { LOCAL_HOST } from './ports';

export interface LocalSqs {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * Starts local-aws-sqs in this process (it speaks the JSON protocol of the current SDK; DLQ redrive works).
 * We build the HTTP server ourselves rather than calling `createSqsServer`, whose promise never settles when
 * the port is taken; queue URLs embed the port, so the service learns it once we are listening.
 */
export async function startLocalSqs(options: { port?: number } = {}): Promise<LocalSqs> {
  const { service, requestHandler } = createRequestHandler({
    port: options.port ?? 0,
    hostname: LOCAL_HOST,
    region: LOCAL_REGION,
    // Tests create and delete queues freely; AWS's 60 s "cannot recreate yet" rule would only get in the way.
    emulateQueueCreationLifecycle: false,
  });
  const server = createServer((req, res) => void requestHandler(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, LOCAL_HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  service.PORT = port;
  return { endpoint: `http://${LOCAL_HOST}:${port}`, port, stop: () => closeServer(server) };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    // SDK clients keep connections alive (and long polls wait up to 20 s): do not let them hold up shutdown.
    server.closeAllConnections();
  });
}

export interface QueueOptions {
  /** Queue names become `<prefix>-dispatch` and `<prefix>-dispatch-dlq`. */
  prefix: string;
  /** Default 30 s. Tests of redrive use a second or less. */
  visibilityTimeoutSeconds?: number;
  /** Receives before SQS moves a message to the DLQ; default 5. */
  maxReceiveCount?: number;
}

export interface DispatchQueues {
  dispatchQueueUrl: string;
  dispatchDlqUrl: string;
}

/** Creates the dispatch queue and its dead-letter queue (idempotent: CreateQueue returns existing queues). */
export async function ensureQueues(sqs: SQSClient, options: QueueOptions): Promise<DispatchQueues> {
  const { queueUrl, dlqUrl } = await ensureQueueWithDlq(sqs, { ...options, name: `${options.prefix}-dispatch` });
  return { dispatchQueueUrl: queueUrl, dispatchDlqUrl: dlqUrl };
}

/**
 * Creates queue `name` and its dead-letter queue `<name>-dlq` with the redrive policy the stacks deploy
 * (idempotent). `visibilityTimeoutSeconds` default 30, `maxReceiveCount` default 5.
 */
export async function ensureQueueWithDlq(
  sqs: SQSClient,
  options: { name: string; visibilityTimeoutSeconds?: number; maxReceiveCount?: number },
): Promise<{ queueUrl: string; dlqUrl: string }> {
  const { name, visibilityTimeoutSeconds = 30, maxReceiveCount = 5 } = options;
  const dlq = await sqs.send(
    new CreateQueueCommand({
      QueueName: `${name}-dlq`,
      // Keep failed messages long enough for someone to look at them (14 days, the maximum).
      Attributes: { MessageRetentionPeriod: String(14 * 24 * 3600) },
    }),
  );
  const dlqUrl = requireUrl(dlq.QueueUrl, `${name} DLQ`);
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }));
  const dlqArn = Attributes?.QueueArn;
  if (!dlqArn) throw new Error(`local SQS returned no QueueArn for the ${name} DLQ`);
  const main = await sqs.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: {
        VisibilityTimeout: String(visibilityTimeoutSeconds),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount }),
      },
    }),
  );
  return { queueUrl: requireUrl(main.QueueUrl, `${name} queue`), dlqUrl };
}

function requireUrl(url: string | undefined, what: string): string {
  if (!url) throw new Error(`local SQS returned no QueueUrl for the ${what}`);
  return url;
}
