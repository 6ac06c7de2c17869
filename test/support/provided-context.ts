/**
 * Values the integration global setup hands to test files with `project.provide(...)`; read them with
 * `inject('dynamoDbEndpoint')` (or through the helpers in `integration-env.ts`).
 */
declare module 'vitest' {
  export interface ProvidedContext {
    /** DynamoDB Local shared by the whole run, e.g. `http://127.0.0.1:41234`. */
    dynamoDbEndpoint: string;
    /** local-aws-sqs shared by the whole run. */
    sqsEndpoint: string;
  }
}

/** Set these to reuse already running emulators (e.g. from `npm run dev`) instead of starting new ones. */
export const ENDPOINT_ENV = {
  dynamoDb: 'QM_TEST_DYNAMODB_ENDPOINT',
  sqs: 'QM_TEST_SQS_ENDPOINT',
} as const;
