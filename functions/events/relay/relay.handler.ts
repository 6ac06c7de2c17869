import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { EventBridgeSink } from '#adapters/eventbridge/eventbridge-sink.client';
import { getLogger } from '#adapters/logging/logger';
import { boundedAwsClientConfig } from '#adapters/runtime/dependency-outage';
import { loadEnv } from '#config/env';
import { composeRelay } from './relay.app';
import { relayEnvSchema } from './relay.env';

// Composition root of the outbox relay: the one function that carries an EventBridge client.
const env = loadEnv(relayEnvSchema);
const logger = getLogger();

export const handler = composeRelay({
  sink: new EventBridgeSink(new EventBridgeClient(boundedAwsClientConfig()), env.QM_EVENT_BUS_NAME),
  onFailure: (details) => logger.warn('relay: retrying from the first event not delivered', details),
});
